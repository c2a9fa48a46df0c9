"""Plotly figures in Swedish format and the source/CKM captions from real snapshot metadata."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from stats.fmt import format_period
from stats.present.citation import ckm_note, source_caption
from stats.present.describe import frame_alt_text, value_decimals, value_frame
from stats.present.figures import bar_figure, line_figure
from stats.store.dbfile import open_reader
from stats.store.read import series_meta

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
    # every län names its own regional organisation (issue "Any region")
    assert source_caption(snapshot_meta).endswith(" Bearbetning: Region Västernorrland.")


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
    assert frame_alt_text(rows, "Folkmängd, Jämtlands län", "personer") == (
        f"Linjediagram: Folkmängd, Jämtlands län, 2026-01–2026-04: från 132{NBSP}810 "
        f"till 132{NBSP}785 personer."
    )


def test_source_caption_realdata_cites_no_file_name() -> None:
    meta = {
        "source": "Tillväxtanalys via Regionfakta",
        "tables": ["regionfakta_foretagskonkurser_lan"],
        "table_labels": {
            "regionfakta_foretagskonkurser_lan": "Företagskonkurser – månad (Regionfakta)"
        },
        "fetched_at": "2026-11-27T00:00:00+00:00",
    }
    assert source_caption(meta, home="23") == (
        "Källa: Tillväxtanalys via Regionfakta, Företagskonkurser – månad (Regionfakta), "
        "hämtad 2026-11-27. Bearbetning: Region Jämtland Härjedalen."
    )


def test_source_caption_names_the_licence() -> None:
    meta = {
        "source": "Kolada (RKA)",
        "license": "CC BY 4.0",
        "tables": ["N00999"],
        "table_labels": {"N00999": "Näringsliv och arbetsmarknad"},
        "fetched_at": "2026-11-27T08:00:00+00:00",
    }
    assert source_caption(meta, home="23").startswith(
        "Källa: Kolada (RKA), CC BY 4.0, Näringsliv och arbetsmarknad, hämtad 2026-11-27."
    )


@pytest.fixture
def marked() -> pd.DataFrame:
    """Jämtland with one missing (..) and two preliminary months; 2024-04 is not in the data."""
    return pd.DataFrame(
        {
            "series": ["Jämtlands län"] * 5 + ["Riket"] * 5,
            "period": ["2024M01", "2024M02", "2024M03", "2024M05", "2024M06"] * 2,
            "value": [5.0, 5.1, None, 5.4, 5.6, 6.0, 6.1, 6.1, 6.4, None],
            "status": [None, None, "..", None, None, None, None, None, None, "<5"],
            "preliminary": [False, False, False, True, True] + [False] * 5,
        }
    )


def test_preliminary_points_are_open_and_said(marked: pd.DataFrame) -> None:
    fig = line_figure(marked, "Arbetslöshet", "procent", decimals=1)
    jamtland = fig.data[0]
    assert list(jamtland.x) == ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"]
    assert list(jamtland.marker.symbol) == ["circle"] * 4 + ["circle-open"] * 2
    assert list(jamtland.customdata)[-1] == " (preliminärt)"
    assert "%{customdata}" in jamtland.hovertemplate
    assert fig.data[1].marker.symbol == "square"
    [key] = fig.layout.annotations
    assert "preliminärt" in key.text and key.showarrow is False


def test_missing_values_show_their_status(marked: pd.DataFrame) -> None:
    fig = line_figure(marked, "Arbetslöshet", "procent", decimals=1)
    jamtland, _riket, ticks = fig.data
    # a month the source lacks and a month it marks ".." are both gaps in the line
    assert jamtland.y[2] is None and jamtland.y[3] is None
    assert ticks.yaxis == "y2" and ticks.showlegend is False
    assert list(ticks.x) == ["2024-03", "2024-06"]
    assert [c[1] for c in ticks.customdata] == [
        ".. (uppgift saknas eller för osäker)",
        "&lt;5 (färre än 5)",  # Plotly shows "<5 (färre än 5)"
    ]
    assert fig.layout.yaxis2.visible is False
    assert "uppgift saknas (..)" in fig.layout.annotations[0].text


def test_value_table_shows_symbols_and_marks(marked: pd.DataFrame) -> None:
    table = value_frame(marked, decimals=1)
    assert list(table.columns) == ["Månad", "Jämtlands län", "Riket"]
    rows = table.set_index("Månad")
    assert rows.loc["2024-03", "Jämtlands län"] == ".."
    assert rows.loc["2024-06", "Riket"] == "<5"
    assert rows.loc["2024-06", "Jämtlands län"] == "5,6 (preliminärt)"
    assert rows.loc["2024-01", "Riket"] == "6,0"
    partial = value_frame(marked[marked["period"] != "2024M01"].iloc[1:], decimals=1)
    assert partial.set_index("Månad").loc["2024-02", "Jämtlands län"] == "Data saknas"


def test_many_periods_get_level_thinned_ticks() -> None:
    months = [f"{y}M{m:02d}" for y in (2022, 2023) for m in range(1, 13)]
    fig = line_figure(pd.DataFrame({"period": months, "value": range(24)}), "T", "personer")
    assert fig.layout.xaxis.tickangle == 0
    # every second month from January: 2022-01, 2022-03, …
    assert list(fig.layout.xaxis.tickvals) == [format_period(m) for m in months[::2]]
    years = [str(y) for y in range(1993, 2026)]
    fig = line_figure(pd.DataFrame({"period": years, "value": range(33)}), "T", "personer")
    assert list(fig.layout.xaxis.tickvals) == [str(y) for y in range(1995, 2026, 5)]


def test_bar_figure_for_one_period() -> None:
    frame = pd.DataFrame(
        {
            "series": ["Jämtlands län", "Östersund", "Berg"],
            "period": ["2020"] * 3,
            "value": [131155.0, 63985.0, None],
            "status": [None, None, ".."],
        }
    )
    fig = bar_figure(frame, "Folkmängd 2020", "personer")
    assert fig.layout.separators == ", "
    assert fig.layout.yaxis.separatethousands is True
    assert fig.layout.yaxis.rangemode == "tozero"
    bars = fig.data[0]
    assert list(bars.x) == ["Jämtlands län", "Östersund", "Berg"]
    assert list(bars.text) == [f"131{NBSP}155", f"63{NBSP}985", ".."]
    assert bars.customdata[2] == ".. (uppgift saknas eller för osäker)"
    assert frame_alt_text(frame, "Folkmängd 2020", "personer") == (
        f"Stapeldiagram: Folkmängd 2020, personer: Jämtlands län 131{NBSP}155; "
        f"Östersund 63{NBSP}985."
    )


def test_alt_text_names_every_trace(two_regions: pd.DataFrame) -> None:
    assert frame_alt_text(two_regions, "Folkmängd", "personer") == (
        "Linjediagram: Folkmängd, 2026-03–2026-04, personer: "
        f"Jämtlands län från 132{NBSP}840 (2026-03) till 132{NBSP}785 (2026-04); "
        f"Västernorrlands län från 243{NBSP}000 (2026-03) till 242{NBSP}900 (2026-04)."
    )


def test_declared_decimals_widen_to_the_values() -> None:
    assert value_decimals(pd.Series([1.0, 2.0]), declared=0) == 0
    assert value_decimals(pd.Series([6.9, None, 7.0]), declared=0) == 1
    assert value_decimals(pd.Series([1.0]), declared=1) == 1
    assert value_decimals(pd.Series([1 / 3]), declared=0) == 2
