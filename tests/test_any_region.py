"""Any of the 21 län runs its own dialog: region data for every län, validation that assumes
no län, and every page rendered for every home län over the embedded snapshot."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from stats.catalog.load import load_catalog
from stats.config import ROOT
from stats.errors import StatsError
from stats.ingest.snapshot import load_snapshot
from stats.meetings.file_format import parse_meeting
from stats.present.citation import processor
from stats.present.spec import spec_from_dict
from stats.regions import load_regions
from stats.store.write import open_writer
from tests.conftest import LOADED_AT
from tests.test_pages import shown

PAGES = ROOT / "src" / "stats" / "app" / "pages"
REGIONS = load_regions()
CLAIM = """date = "2024-06-17"
region = "{home}"
title = "Regional näringslivsdialog"

[[highlight]]
text = "Folkmängden i kommunen ökade."

[highlight.claim]
indicator = "manadsforandring"
comparison = "previous_month"
region = "hemlan_kommuner"
expected = "något fler"
"""


def test_every_lan_has_its_organisation_kommuner_and_neighbours() -> None:
    assert len(REGIONS.lan_codes) == 21
    for code in REGIONS.lan_codes:
        assert REGIONS.organisations[code].startswith("Region ") or code == "14", code
        assert REGIONS.kommuner[code] and all(k[:2] == code for k in REGIONS.kommuner[code])
    assert REGIONS.organisations["14"] == "Västra Götalandsregionen"
    assert processor("20") == "Region Dalarna"
    assert processor("23") == "Region Jämtland Härjedalen"
    # Gotland: one kommun, no land border
    assert REGIONS.kommuner["09"] == ("0980",) and REGIONS.neighbours["09"] == ()


def test_a_kommun_claim_is_one_region_on_gotland_and_not_in_jamtland() -> None:
    gotland = parse_meeting(CLAIM.format(home="09"), "2024-06-17.toml")
    assert gotland.highlights[0].claim is not None
    with pytest.raises(StatsError, match="must name one region"):
        parse_meeting(CLAIM.format(home="23"), "2024-06-17.toml")


def test_chart_validation_takes_any_lans_codes() -> None:
    spec = spec_from_dict({"indicator": "manadsforandring", "regions": ["0980", "hemlan"]})
    assert spec.regions == ("0980", "hemlan")
    with pytest.raises(StatsError, match="unknown region"):
        spec_from_dict({"indicator": "manadsforandring", "regions": ["9999"]})


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One snapshot database for the 21 × 9 page renders (read only)."""
    folder = tmp_path_factory.mktemp("snapshot")
    db = folder / "stats.duckdb"
    with open_writer(db) as store:
        load_snapshot(store, folder / "raw", load_catalog(), ROOT / "data" / "snapshot",
                      now=lambda: LOADED_AT)  # fmt: skip
    return db


def _texts(at: AppTest) -> str:
    elements = [*at.markdown, *at.caption, *at.title, *at.header, *at.subheader, *at.info]
    return " ".join(shown(str(e.value)) for e in elements)


PAGE_FILES = ["moten", "mote", "befolkning", "serier", "arbetsmarknad", "prognoser",
              "cirkular", "kallor", "forbered", "kolada"]  # fmt: skip


@pytest.mark.parametrize("name", PAGE_FILES)
def test_every_page_for_every_lan(
    name: str, shared_db: Path, meetings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No exception for any home län; where the page names a home, it is the configured one
    and so is the processor, and Jämtland is never presented as another län's home."""
    monkeypatch.setenv("STATS_DB", str(shared_db))
    monkeypatch.setenv("STATS_ANALYST_PASSWORD", "hemligt")
    for home in REGIONS.lan_codes:
        monkeypatch.setenv("STATS_HOME_REGION", home)
        at = AppTest.from_file(str(PAGES / f"{name}.py"), default_timeout=60)
        at.query_params["datum"] = "2024-06-17"
        at.run()
        assert not at.exception, (name, home, at.exception)
        shown = _texts(at)
        org = REGIONS.organisations[home]
        if "Bearbetning:" in shown:
            assert f"Bearbetning: {org}" in shown, (name, home)
            if home != "23":
                assert "Bearbetning: Region Jämtland Härjedalen" not in shown, (name, home)


@pytest.mark.parametrize("home", REGIONS.lan_codes)
def test_population_page_for_every_lan(
    home: str, shared_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STATS_DB", str(shared_db))
    monkeypatch.setenv("STATS_HOME_REGION", home)
    at = AppTest.from_file(str(PAGES / "befolkning.py"), default_timeout=60).run()
    assert not at.exception
    name = REGIONS.name(home)
    shown = _texts(at)
    assert name in shown, f"{name} not on the page"
    assert f"Bearbetning: {REGIONS.organisations[home]}" in shown
    if home != "23":
        assert "Jämtlands län" not in shown
