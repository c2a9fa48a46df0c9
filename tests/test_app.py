"""The Befolkning page in Streamlit's AppTest, and the query it shows, on the real snapshot."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from stats.analysis.indicators import run_query
from stats.config import ROOT
from stats.store.dbfile import open_reader
from tests.test_pages import shown

APP = str(ROOT / "app.py")
SOURCE = (
    "Källa: SCB, Folkmängden per månad efter region, ålder, kön och månad (TAB6471), "
    "hämtad 2026-06-15"
)


def normalise(text: str) -> str:
    """Plain spaces and hyphens for comparison (the page keeps numbers and dates unbroken)."""
    return text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2011", "-")


def run_app() -> AppTest:
    """The whole app, switched to the population page (the landing page lists meetings)."""
    at = AppTest.from_file(APP, default_timeout=30).run()
    return at.switch_page("src/stats/app/pages/befolkning.py").run()


def test_query_jamtland_and_derived_riket(snapshot_db: Path) -> None:
    con = open_reader(snapshot_db)
    try:
        frame = run_query(con, "folkmangd_manad_total")
    finally:
        con.close()
    assert list(frame.columns) == ["region_code", "period", "value", "derived", "release_id"]
    assert not frame.duplicated(["region_code", "period"]).any()
    assert frame["value"].notna().all()
    value = frame.query("region_code == '23' and period == '2026M04'")["value"]
    # SCB TAB6471, Jämtlands län, april 2026, all ages, both sexes (sum of the 11 age groups)
    assert value.tolist() == [132785.0]
    lan = frame[frame["region_code"] != "00"]
    assert lan["region_code"].nunique() == 21
    # TAB6471 gives 11 age groups and no all-ages total: every län value is the app's own sum
    assert set(lan["derived"]) == {"summa av åldersgrupperna"}
    riket = frame[frame["region_code"] == "00"].set_index("period")
    assert len(riket) == 4
    assert set(riket["derived"]) == {"summa av länen"}
    assert riket["value"].to_dict() == lan.groupby("period")["value"].sum().to_dict()


def test_page_shows_metrics_captions_and_table(
    snapshot_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STATS_DB", str(snapshot_db))
    at = run_app()
    assert not at.exception
    assert not at.error
    assert at.title[0].value == "Befolkning per månad"
    captions = [normalise(shown(c.value)) for c in at.caption]
    assert sum(c.startswith(SOURCE) for c in captions) == 2
    assert any("Cell Key Method (CKM)" in c and "referensåret 2025" in c for c in captions)
    assert any("summan av de 21 länen" in c for c in captions)
    assert any("summan av SCB:s åldersgrupper" in c for c in captions)
    metrics = {m.label: m for m in at.metric}
    # TAB6471 has no all-ages total (aggregallowed: false): the figure is the app's own sum
    jamtland = metrics["Jämtlands län (summa av åldersgrupperna), 2026-04"]
    assert jamtland.value == "132\u00a0785"
    assert normalise(jamtland.value) == "132 785"
    assert normalise(jamtland.delta) == "\u221255 (\u22120,04 %)"
    riket = metrics["Riket (summa av länen), 2026-04"]
    assert normalise(riket.value) == "10 605 724"
    assert at.expander[0].label == "Visa som tabell"
    table = at.dataframe[0].value
    home = "Jämtlands län (summa av åldersgrupperna)"
    assert list(table.columns) == ["Månad", home, "Riket (summa av länen)"]
    assert normalise(table.iloc[-1][home]) == "132 785"
    assert table.iloc[-1]["Månad"] == "2026-04"


@pytest.mark.parametrize("kind", ["missing-file", "empty-database"])
def test_page_without_data_says_so(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / f"{kind}.duckdb"
    if kind == "empty-database":
        duckdb.connect(str(db)).close()
    monkeypatch.setenv("STATS_DB", str(db))
    at = run_app()
    assert not at.exception
    assert not at.error
    assert [i.value for i in at.info] == ["Ingen data ännu för Jämtlands län — kör `stats refresh`"]
    assert not at.metric


def test_page_shows_store_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "broken.duckdb"
    db.write_bytes(b"this is not a duckdb file" * 200)
    monkeypatch.setenv("STATS_DB", str(db))
    at = run_app()
    assert not at.exception
    assert len(at.error) == 1
    assert "cannot open the database" in at.error[0].value
