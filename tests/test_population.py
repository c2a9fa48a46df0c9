"""Population on 31 December for every län (2000–2025) as the outcome the projections meet."""

from __future__ import annotations

from pathlib import Path

import pytest

from stats.analysis.indicators import open_scope, run_indicator
from stats.store.dbfile import open_reader
from tests.test_indicator_pages import PROGNOSER, captions, table_of
from tests.test_pages import open_page


def test_projection_page_shows_the_home_lans_outcome_and_the_missing_vintages(
    snapshot_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_page(snapshot_db, monkeypatch, PROGNOSER)
    assert not at.exception
    # derived_folkmangd_lan_riket_2000-2025.csv: Jämtland 2000 129 566, 2024 132 839
    outcome = table_of(at, "Jämtlands län").set_index("År")["Jämtlands län"]
    assert (outcome["2000"], outcome["2024"]) == ("129 566", "132 839")
    shown = captions(at)
    assert "Årgångar som saknas; hämta dem med `stats refresh --series <id>`:" in shown
    assert any(c.startswith("befolkningsprognos_2021: ") for c in shown)
    assert (
        "Källa: SCB via Region Halland, Folkmängd 31 december (BE0101), avskriven 2026-12-01. "
        "Bearbetning: Region Jämtland Härjedalen."
    ) in shown


def test_outcome_covers_every_lan_and_year_2000_2025(snapshot_db: Path) -> None:
    # the statistical news project to 2030/2040 only, so no actual yet; the outcome series is
    # there for every län and year up to 2025 to meet a vintage fetched online
    scope = open_scope(open_reader(snapshot_db))
    frame = run_indicator(scope, "prognos_mot_utfall")
    assert frame["actual"].isna().all()
    base = run_indicator(scope, "befolkning_bas")
    years = base[base["population_basis"] == "31 december samma år"]
    assert set(years[years["region_code"].str.len() == 2]["period"]) == {
        str(y) for y in range(2000, 2026)
    }
