"""Charts on the pages: drawn specs, prepared once, shown with source line, notes and table."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from stats.app.db import latest_scope
from stats.app.tables import show_table
from stats.fmt import keep_dates_whole
from stats.meetings.markers import page_meetings, with_meetings
from stats.periods import period_range
from stats.present.citation import source_caption
from stats.present.describe import alt_text, chart_table, symbol_key
from stats.present.figure_marks import add_marks
from stats.present.figures import figure
from stats.present.marks import marks_text, placed_marks
from stats.present.spec import Chart, ChartSpec, caption, draw, footnotes
from stats.regions import Home
from stats.text import escape_markdown

# Plotly's mode bar names its buttons in English only ("Download plot as a png", "Zoom in");
# dragging still zooms and a double click resets, and the pictures are in the exports
CHART_CONFIG = {"displaylogo": False, "displayModeBar": False}


def show_source(line: str) -> None:
    """A "Källa: …" line as text: titles and notes in it come from the publishers, so they are
    escaped (never Markdown or links), and dates never break across lines."""
    st.caption(escape_markdown(keep_dates_whole(line)))


def show_chart(
    figure: go.Figure, alt: str, meta: Mapping[str, Any], notes: list[str | None]
) -> None:
    """A chart with its source line and notes below it."""
    st.plotly_chart(figure, alt=alt, config=CHART_CONFIG)
    show_source(source_caption(meta))
    for text in notes:
        if text:
            st.caption(escape_markdown(text))


def mark_meetings(fig: go.Figure, periods: Iterable[Any], home: Home) -> str | None:
    """Mark the dialog's meetings before today on a line figure of series rows (not a drawn
    spec); returns the footnote naming those in its range, for the notes and the alt text."""
    codes = [str(p) for p in periods]
    marks = placed_marks(codes, (), page_meetings(home))
    add_marks(fig, period_range(codes), marks)
    return marks_text(marks)


@st.cache_data(max_entries=128, show_spinner=False)
def _drawn(db_path: str, signature: tuple[int, int], spec: ChartSpec, home: Home) -> Chart:
    with latest_scope(db_path, signature) as scope:
        return draw(scope, spec, home)


def load_chart(db_path: str, signature: tuple[int, int], spec: ChartSpec, home: Home) -> Chart:
    """A chart spec drawn over the latest releases of one database file version, marking the
    dialog's meetings before today (read on each call: a saved meeting shows at once)."""
    return with_meetings(_drawn(db_path, signature, spec, home), page_meetings(home))


def with_frame(chart: Chart, frame: pd.DataFrame, **changes: Any) -> Chart:
    """The same chart over other rows (one month, one region), with spec fields changed."""
    return replace(chart, spec=replace(chart.spec, **changes), frame=frame.reset_index(drop=True))


@dataclass(frozen=True)
class Prepared:
    """Everything shown for a drawn spec, computed once (figures and tables are costly)."""

    chart: Chart
    figure: go.Figure
    alt: str
    caption: str
    notes: list[str]
    table: pd.DataFrame
    key: str | None
    # the table's value columns (aligned right); None: all but the first
    numeric: list[str] | None = None


def prepare(
    chart: Chart, home: Home, *, fig: go.Figure | None = None, table: pd.DataFrame | None = None
) -> Prepared:
    """Figure, alt text, source line, footnotes and table of a drawn spec.

    Alt text and table are the ones every export shows (`stats.present.describe`).
    """
    numeric = None
    if table is None:
        described = chart_table(chart)
        table, numeric = described.frame(), described.header[described.first_value :]
    fig = figure(chart) if fig is None else fig
    # Streamlit's theme styles the chart in the browser; Plotly's own template (7 kB per
    # figure) would only be serialised, hashed and sent with every view
    fig.update_layout(template="none")
    return Prepared(
        chart=chart,
        figure=fig,
        alt=alt_text(chart),
        caption=keep_dates_whole(caption(chart, home)),
        notes=footnotes(chart),
        table=table,
        key=symbol_key(chart.frame),
        numeric=numeric,
    )


def show_prepared(prepared: Prepared, *, table_key: str | None = None) -> None:
    """A prepared chart: figure with alt text, "Källa: …" line, footnotes and its table.

    The table sits in an expander, or with `table_key` behind a "Visa som tabell" switch that
    builds it only when asked (pages with many charts stay quick for many viewers).
    """
    st.plotly_chart(prepared.figure, alt=prepared.alt, config=CHART_CONFIG)
    show_source(prepared.caption)
    for note in prepared.notes:
        # a footnote can quote a note the analyst typed: shown as text, never as Markdown
        st.caption(escape_markdown(note))
    if table_key is not None:
        if st.toggle("Visa som tabell", key=table_key):
            _show_table(prepared)
        return
    with st.expander("Visa som tabell"):
        _show_table(prepared)


def _show_table(prepared: Prepared) -> None:
    show_table(prepared.table, prepared.numeric)
    if prepared.key:
        st.caption(prepared.key)


def show_drawn(
    chart: Chart, home: Home, *, fig: go.Figure | None = None, table: pd.DataFrame | None = None
) -> None:
    """A drawn spec: figure with alt text, "Källa: …" line, footnotes, table in an expander."""
    show_prepared(prepare(chart, home, fig=fig, table=table))
