"""Kolada KPI picker: the embedded catalogue, word search, and adding a KPI as a catalog series.

Expected ids and titles are read by hand from the embedded catalogue
(src/stats/sources/kolada_kpis/kpi_catalogue.csv.gz, a copy of rKolada's real Kolada metadata):
N00373 "Hållbarhet - Kommunindex", N00926 "Företagskonkurser, antal/1000 inv, 16-64 år" (not by
sex), N01006 "Företagskonkurser, antal anställda, antal/1000 inv, 16-64 år", N03932
"Arbetslöshet 16-65 år, …" (by sex). Municipality types, read the same way: N00003
"Personalkostnader, kr/inv" is K (kommuner), N00333 "Medborgarengagemang och demokratisk
delaktighet - Regionindex" is L (regions), N00926 is A (both).
"""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path

import pytest

from stats.catalog.load import load_catalog
from stats.config import load_settings
from stats.errors import CatalogError
from stats.regions import load_regions
from stats.sources.kolada_catalogue import (
    EMBEDDED,
    Kpi,
    KpiCatalogue,
    fold,
    load_kpi_catalogue,
)
from stats.sources.kolada_picker import (
    PickError,
    add_kpi_series,
    catalog_entry,
    local_kolada_series,
)

ORIGIN = EMBEDDED.with_name("ORIGIN.toml")


@pytest.fixture(scope="module")
def catalogue() -> KpiCatalogue:
    return load_kpi_catalogue()


def test_embedded_catalogue_is_the_recorded_file(catalogue: KpiCatalogue) -> None:
    origin = tomllib.loads(ORIGIN.read_text(encoding="utf-8"))["kpi_catalogue.csv.gz"]
    assert hashlib.sha256(EMBEDDED.read_bytes()).hexdigest() == origin["sha256"]
    assert len(catalogue) == origin["kpis"] == 6099
    kpi = catalogue.get("N00926")
    assert kpi is not None and kpi.title == "Företagskonkurser, antal/1000 inv, 16-64 år"
    assert not kpi.divided_by_gender and kpi.municipality_type == "A"


def test_fold_drops_case_and_accents() -> None:
    assert fold("Hållbarhet ÄÖ é") == "hallbarhet ao e"


def test_search_without_accents_finds_hallbarhet(catalogue: KpiCatalogue) -> None:
    hits = catalogue.search("hallbarhet", 10)
    assert hits[0].id == "N00373" and hits[0].title == "Hållbarhet - Kommunindex"
    assert all("hållbarhet" in k.title.casefold() for k in hits)


def test_title_hits_rank_before_description_hits(catalogue: KpiCatalogue) -> None:
    # N03700–N03703 are "Bruttoregionprodukt, …"; the BRP+ theme Ekonomisk hållbarhet (N00380,
    # N00384, N00387) names it only in its description
    hits = [k.id for k in catalogue.search("bruttoregionprodukt")]
    assert set(hits[:4]) == {"N03700", "N03701", "N03702", "N03703"}
    assert set(hits[4:]) >= {"N00380", "N00384", "N00387"}


def test_every_word_must_occur(catalogue: KpiCatalogue) -> None:
    assert [k.id for k in catalogue.search("Företagskonkurser anställda")] == ["N01006"]
    assert [k.id for k in catalogue.search("n00926")] == ["N00926"]


@pytest.mark.parametrize("query", ["", "   ", "(((*", "<script>", "zzqqxx", "å" * 5000])
def test_odd_queries_return_no_hits(catalogue: KpiCatalogue, query: str) -> None:
    assert catalogue.search(query) == []


def test_added_kpi_is_a_validated_catalog_series(catalogue: KpiCatalogue) -> None:
    added = add_kpi_series(" n00926 ", catalogue)
    local = load_settings().catalog_local_dir
    assert added.series_id == "kolada_n00926"
    assert added.path == local / "kolada_n00926.toml"
    assert [p.name for p in local.iterdir()] == ["kolada_n00926.toml"]  # no temporary file left
    series = load_catalog().get("kolada_n00926")
    assert series.publisher == "Kolada (RKA)"
    assert series.frequency == "year" and series.dims == ("kpi",)
    assert series.regions == ("riket", "hemlan", "hemlan_kommuner")
    assert series.unit == "16-64 år"
    assert series.title == "Företagskonkurser, antal/1000 inv, 16-64 år (Kolada N00926)"
    [part] = series.parts
    assert (part.source, part.table, part.options) == ("kolada", "N00926", {"from_year": 2010})
    assert local_kolada_series() == ["kolada_n00926"]


@pytest.mark.parametrize(
    ("kpi_id", "regions", "codes"),
    [
        # a kommun KPI: no län value to ask for
        ("N00003", ("riket", "hemlan_kommuner"), ["00", *load_regions().kommuner["23"]]),
        # a region KPI: no kommun values to ask for
        ("N00333", ("riket", "hemlan"), ["00", "23"]),
        ("N00926", ("riket", "hemlan", "hemlan_kommuner"), None),
    ],
)
def test_a_kpi_is_asked_only_for_the_regions_kolada_has_it_for(
    catalogue: KpiCatalogue, kpi_id: str, regions: tuple[str, ...], codes: list[str] | None
) -> None:
    add_kpi_series(kpi_id, catalogue)
    series = load_catalog().get(f"kolada_{kpi_id.lower()}")
    assert series.regions == regions
    if codes is not None:
        assert sorted(load_regions().resolve(list(series.regions), "23")) == sorted(codes)


def test_a_kpi_divided_by_sex_gets_the_gender_dim(catalogue: KpiCatalogue) -> None:
    add_kpi_series("N03932", catalogue)
    assert load_catalog().get("kolada_n03932").dims == ("kpi", "gender")


@pytest.mark.parametrize(
    "typed",
    ["N0094", "N009450", "X; rm -rf /", "../../etc/passwd", "N00945\n[series.x]", "", "ö00945"],
)
def test_a_bad_id_is_refused_in_swedish(catalogue: KpiCatalogue, typed: str) -> None:
    with pytest.raises(PickError, match=r"^Ogiltigt nyckeltals-id\. .* t\.ex\. N00945\.$"):
        add_kpi_series(typed, catalogue)
    assert not load_settings().catalog_local_dir.exists()


def test_an_unknown_id_and_a_second_add_are_refused(catalogue: KpiCatalogue) -> None:
    with pytest.raises(PickError, match=r"^Nyckeltalet N99999 finns inte i Koladas katalog"):
        add_kpi_series("N99999", catalogue)
    add_kpi_series("N00945", catalogue)
    with pytest.raises(PickError, match=r"finns redan som serien kolada_n00945"):
        add_kpi_series("N00945", catalogue)


def test_hostile_kpi_text_is_written_as_data() -> None:
    evil = 'x"""\n[series.owned]\ntitle = "y"\n\'\'\' \\u0000 <b>'
    kpi = Kpi("U00001", f"Titel {evil}, kr", f"Beskrivning {evil}", True, "K", "", "")
    added = add_kpi_series("U00001", KpiCatalogue([kpi], "test"))
    written = tomllib.loads(added.path.read_text(encoding="utf-8"))
    assert written == catalog_entry(kpi)
    assert list(written["series"]) == ["kolada_u00001"]
    assert load_catalog().get("kolada_u00001").title == f"Titel {evil}, kr (Kolada U00001)"


def test_a_broken_local_file_is_an_error_naming_it() -> None:
    local = load_settings().catalog_local_dir
    local.mkdir(parents=True)
    (local / "egen.toml").write_text('[series.egen]\ntitle = "x"\n', encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog()
    assert str(info.value).startswith(f"{local}/egen.toml: series.egen.")


def test_a_local_file_cannot_redeclare_a_built_in_series() -> None:
    local = load_settings().catalog_local_dir
    local.mkdir(parents=True)
    entry = (Path(__file__).parents[1] / "src/stats/catalog/catalog.d/kolada.toml").read_text()
    (local / "kopia.toml").write_text(entry, encoding="utf-8")
    with pytest.raises(CatalogError, match=r"kopia\.toml: series\.kolada_naringsliv: already"):
        load_catalog()


def test_the_local_folder_is_a_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STATS_CATALOG_LOCAL", str(tmp_path / "egen"))
    added = add_kpi_series("N00926", load_kpi_catalogue())
    assert added.path == tmp_path / "egen" / "kolada_n00926.toml"
    assert "kolada_n00926" in load_catalog().series
