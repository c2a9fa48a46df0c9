"""The catalog loads, declares what the backbone needs, and rejects broken files by key."""

from __future__ import annotations

from pathlib import Path

import pytest

from stats.catalog.load import load_catalog
from stats.errors import CatalogError
from stats.regions import load_regions

BROKEN = Path(__file__).parent / "fixtures" / "catalog_broken"

EXPECTED = {
    "bad_frequency": "series.s.frequency: must be one of day, month, quarter, year",
    "bad_id": "series.Bad-Id: id must be lowercase ASCII snake_case",
    "bad_regex": "series.s.parts[0].discover.title: not a valid regular expression",
    "no_parts": "series.s.parts: must have at least one [[parts]] entry",
    "no_table": "series.s.parts[0]: give exactly one of `table` or `discover`",
    "not_toml": "not valid TOML",
    "query_not_list": "series.s.parts[0].query.Tid: must be a table",
    "region_in_query": "series.s.parts[0].query.Region: is filled from `regions`",
    "time_not_selected": "series.s.parts[0].query: dimension 'Tid' is not selected",
    "typo_key": "series.s.parts[0].tabel: unknown key",
    "unknown_region": "series.s.regions: unknown region 'atlantis'",
    "unknown_source": "series.s.parts[0].source: unknown source 'xyz'",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_catalog_names_file_and_key(name: str) -> None:
    path = BROKEN / f"{name}.toml"
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    message = str(info.value)
    assert message.startswith(f"{name}.toml: "), message
    assert EXPECTED[name] in message


def test_every_broken_file_has_an_expectation() -> None:
    assert {p.stem for p in BROKEN.glob("*.toml")} == set(EXPECTED)


def test_catalog_declares_the_backbone_series() -> None:
    catalog = load_catalog()
    tables = {p.table for s in catalog.series.values() for p in s.parts}
    assert {"TAB6471", "TAB638", "TAB5557", "TAB698", "TAB3785", "TAB900", "TAB5837"} <= tables
    assert {"TAB6260", "TAB3138"} <= tables
    annual = catalog.get("folkmangd_ar")
    assert [(p.table, p.period_from, p.period_to) for p in annual.parts] == [
        ("TAB638", None, "2024"),
        ("TAB5557", "2025", None),
    ]
    vintages = {
        s.vintage
        for s in catalog.series.values()
        if s.id.startswith("befolkningsprognos") and s.parts[0].source == "scb"
    }
    assert vintages == {"first_period", "2021", "2022"}
    assert all(p.discover for p in catalog.get("befolkningsprognos_2021").parts)


def test_unknown_series_lists_known_ids() -> None:
    with pytest.raises(CatalogError, match=r"unknown series 'nope'; known: .*folkmangd_manad"):
        load_catalog().get("nope")


def test_regions_resolve_home_lan_and_its_kommuner() -> None:
    regions = load_regions()
    codes = regions.resolve(["riket", "lan", "hemlan_kommuner"], home="23")
    assert codes[0] == "00"
    assert len(codes) == 1 + 21 + 8
    assert codes[-8:] == ("2303", "2305", "2309", "2313", "2321", "2326", "2361", "2380")
    assert regions.name("2380") == "Östersund"
    assert regions.resolve(["grannlan"], home="23") == ("20", "21", "22", "24")
    assert len(regions.resolve(["kommuner"], home="01")) == 290


def test_another_home_lan_is_configuration() -> None:
    codes = load_regions().resolve(["hemlan", "hemlan_kommuner"], home="25")
    assert codes[0] == "25"
    assert all(c.startswith("25") for c in codes)
    with pytest.raises(CatalogError, match="home region '99'"):
        load_regions().resolve(["hemlan"], home="99")


def test_series_ids_are_unique_across_catalog_files(tmp_path: Path) -> None:
    good = (Path(__file__).parent / "fixtures" / "catalog" / "lan_only.toml").read_text()
    (tmp_path / "a.toml").write_text(good)
    (tmp_path / "b.toml").write_text(good)
    with pytest.raises(CatalogError, match=r"b.toml: series.folkmangd_manad: already declared"):
        load_catalog(tmp_path)


def test_catalog_directory_loads_every_file(tmp_path: Path) -> None:
    good = (Path(__file__).parent / "fixtures" / "catalog" / "lan_only.toml").read_text()
    (tmp_path / "a.toml").write_text(good)
    catalog = load_catalog(tmp_path)
    assert set(catalog.series) == {"folkmangd_manad", "folkmangd_nyckel"}
    assert catalog.paths == (tmp_path / "a.toml",)
