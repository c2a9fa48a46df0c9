"""Small live previews of charts while a meeting is prepared (the meeting page's figure)."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from stats.app.charts import load_chart
from stats.app.db import Db, latest_scope
from stats.present.figures import figure
from stats.present.gallery import draw_many
from stats.present.spec import NO_VALUE, Chart, ChartSpec
from stats.regions import Home

PREVIEW_HEIGHT = 260
# no mode bar in a preview: its tooltips are Plotly's English, and a preview is for choosing
PREVIEW_CONFIG = {"displaylogo": False, "displayModeBar": False, "staticPlot": True}


def small_figure(chart: Chart, height: int) -> go.Figure | None:
    """The chart's figure, small and without template; None when it has no rows."""
    if chart.frame.empty:
        return None
    fig = figure(chart)
    fig.update_layout(template="none", height=height, margin={"l": 40, "r": 10, "t": 60, "b": 40})
    # the period axis names itself by its ticks; its title would sit on the legend when small
    fig.update_xaxes(title_text=None)
    return fig


@st.cache_data(max_entries=256, show_spinner=False)
def load_preview(
    db_path: str, signature: tuple[int, int], spec: ChartSpec, home: Home, height: int
) -> go.Figure | None:
    """One spec's small figure over the latest releases of one database version."""
    return small_figure(load_chart(db_path, signature, spec, home), height)


@st.cache_data(max_entries=64, show_spinner=False)
def load_previews(
    db_path: str, signature: tuple[int, int], specs: tuple[ChartSpec, ...], home: Home, height: int
) -> list[go.Figure | None]:
    """Small figures of many specs (a gallery page), drawn over one scope (`draw_many`)."""
    with latest_scope(db_path, signature) as scope:
        return [small_figure(c, height) for c in draw_many(scope, list(specs), home)]


def preview(spec: ChartSpec, db: Db, home: Home, key: str, height: int = PREVIEW_HEIGHT) -> None:
    """The chart, small, as the meeting page draws it; "Data saknas" without rows."""
    show_figure(load_preview(*db, spec, home, height), key)


def show_figure(fig: go.Figure | None, key: str) -> None:
    """A small figure, or "Data saknas"."""
    if fig is None:
        st.caption(NO_VALUE)
        return
    st.plotly_chart(fig, key=key, config=PREVIEW_CONFIG)
