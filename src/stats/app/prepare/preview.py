"""Small live previews of charts while a meeting is prepared (the meeting page's figure)."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from stats.app.charts import load_chart
from stats.app.db import Db
from stats.present.figures import figure
from stats.present.spec import NO_VALUE, Chart, ChartSpec
from stats.regions import Home

PREVIEW_HEIGHT = 260
# no mode bar in a preview: its tooltips are Plotly's English, and a preview is for choosing
PREVIEW_CONFIG = {"displaylogo": False, "displayModeBar": False, "staticPlot": True}


@st.cache_data(max_entries=256, show_spinner=False)
def load_preview(
    db_path: str, signature: tuple[int, int], spec: ChartSpec, home: Home, height: int
) -> go.Figure | None:
    """The spec's figure, small and without template; None when it has no rows."""
    chart: Chart = load_chart(db_path, signature, spec, home)
    if chart.frame.empty:
        return None
    fig = figure(chart)
    fig.update_layout(template="none", height=height, margin={"l": 40, "r": 10, "t": 60, "b": 40})
    # the period axis names itself by its ticks; its title would sit on the legend when small
    fig.update_xaxes(title_text=None)
    return fig


def preview(spec: ChartSpec, db: Db, home: Home, key: str, height: int = PREVIEW_HEIGHT) -> None:
    """The chart, small, as the meeting page draws it; "Data saknas" without rows."""
    fig = load_preview(*db, spec, home, height)
    if fig is None:
        st.caption(NO_VALUE)
        return
    st.plotly_chart(fig, key=key, config=PREVIEW_CONFIG)
