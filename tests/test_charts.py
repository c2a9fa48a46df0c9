"""Plotly figures in Swedish format and the source/CKM captions from real snapshot metadata."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from stats.charts import alt_text, ckm_note, line_figure, source_caption
from stats.indicators import series_meta
from stats.store import open_reader

NBSP = "\u00a0"
CAPTION = (
    "Källa: SCB, Folkmängden per månad efter region, ålder, kön och månad (TAB6471), "
    "hämtad 2026-06-15. Bearbetning: Region Jämtland Härjedalen."
)


@pytest.fixture
def snapshot_meta(snapshot_db: Path) -> dict[str, Any]:
    con = open_reader(snapshot_db)
    try:
        meta = series_meta(con, "folkmangd_manad")
    finally:
        con.close()
    assert meta is not None
    return meta


@pytest.fixture
def two_regions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "series": ["Jämtlands län"] * 2 + ["Västernorrlands län"] * 2,
            "period": ["2026M04", "2026M03", "2026M03", "2026M04"],
            "value": [132785.0, 132840.0, 243000.0, 242900.0],
        }
    )


def test_separators_and_ticks_are_swedish(two_regions: pd.DataFrame) -> None:
    fig = line_figure(two_regions, "Folkmängd", "personer")
    assert fig.layout.separators == ", "
    assert fig.layout.yaxis.tickformat == ",d"
    assert fig.layout.yaxis.separatethousands is True
    assert fig.layout.yaxis.title.text == "personer"
    assert fig.layout.title.text == "Folkmängd"


def test_periods_are_iso_categories_in_order(two_regions: pd.DataFrame) -> None:
    fig = line_figure(two_regions, "Folkmängd", "personer")
    assert fig.layout.xaxis.type == "category"
    assert list(fig.data[0].x) == ["2026-03", "2026-04"]
    assert list(fig.data[0].y) == [132840.0, 132785.0]


def test_traces_differ_by_dash_and_marker(two_regions: pd.DataFrame) -> None:
    fig = line_figure(two_regions, "Folkmängd", "personer")
    assert [t.name for t in fig.data] == ["Jämtlands län", "Västernorrlands län"]
    assert fig.data[0].line.dash != fig.data[1].line.dash
    assert fig.data[0].marker.symbol != fig.data[1].marker.symbol
    assert fig.layout.showlegend is True


def test_hover_is_swedish(two_regions: pd.DataFrame) -> None:
    hover = line_figure(two_regions, "Folkmängd", "personer").data[0].hovertemplate
    assert "Period" in hover and "Värde" in hover and "personer" in hover
    assert "%{y:,d}" in hover


def test_source_caption_exact(snapshot_meta: dict[str, Any]) -> None:
    assert source_caption(snapshot_meta) == CAPTION
    assert source_caption(snapshot_meta, home="23") == CAPTION


def test_source_caption_other_home(
    snapshot_meta: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STATS_HOME_REGION", "22")
    assert source_caption(snapshot_meta).endswith(" Bearbetning: näringslivsstatistik.")


def test_ckm_note_is_short_and_names_the_method(snapshot_meta: dict[str, Any]) -> None:
    note = ckm_note(snapshot_meta)
    assert note is not None
    assert "Från och med referensåret 2025" in note
    assert "Cell Key Method (CKM)" in note
    assert "summan av deras redovisade delar" in note
    assert "](" not in note and "\r" not in note
    assert len(note) < len(snapshot_meta["notes"][0])


def test_ckm_note_absent() -> None:
    assert ckm_note({"notes": ["Uppgiften avser den sista dagen i månaden."]}) is None
    assert ckm_note({}) is None


def test_alt_text() -> None:
    rows = pd.DataFrame({"period": ["2026M04", "2026M01"], "value": [132785.0, 132810.0]})
    assert alt_text(rows, "Folkmängd, Jämtlands län", "personer") == (
        f"Linjediagram: Folkmängd, Jämtlands län, 2026-01–2026-04: från 132{NBSP}810 "
        f"till 132{NBSP}785 personer."
    )
