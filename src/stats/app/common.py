"""Regions compared with each other: bars ranked highest first and "plats 5 av 21"."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from stats.app.charts import show_drawn, with_frame
from stats.fmt import format_number
from stats.present.describe import chart_decimals
from stats.present.figures import COLOURS, figure
from stats.present.spec import Chart
from stats.regions import Home, home_code, load_regions

UNRANKED = "Rangordnas inte"
UNRANKED_LAN = "Rang saknas"


def rank_text(rank: Any, ranked: int, total: int = 21, legend: str = "") -> str:
    """ "plats 5 av 21" (plus " (<legend>)"); among fewer than all 21 län no rank is given."""
    if ranked < total:
        return f"rang saknas (uppgift för {ranked} av {total} län)"
    if rank is None or pd.isna(rank):
        return "ingen plats (värde saknas)"
    return f"plats {int(rank)} av {total}" + (f" ({legend})" if legend else "")


def show_ranked_bars(chart: Chart, home: Home) -> None:
    """Bars for one period, highest first; the home region hatched and coloured apart."""
    frame = chart.frame.dropna(subset=["value"]).sort_values("value", ascending=False)
    if frame.empty:
        st.info("Inga värden att jämföra för den här perioden.")
        return
    ranked = with_frame(chart, frame, kind="bar")
    fig = figure(ranked)
    home_bar = [code == home_code(home) for code in frame["region_code"]]
    # colour is never the only cue: the home bar is also hatched
    fig.update_traces(
        marker_color=[COLOURS[1] if h else COLOURS[0] for h in home_bar],
        marker_pattern_shape=["/" if h else "" for h in home_bar],
    )
    decimals = chart_decimals(ranked)
    table = pd.DataFrame(
        {
            "Region": frame["series"],
            chart.unit[:1].upper() + chart.unit[1:]: [
                format_number(v, decimals) for v in frame["value"]
            ],
        }
    )
    if "rank" in frame.columns:
        table["Plats"] = [
            place_text(c, r) for c, r in zip(frame["region_code"], frame["rank"], strict=True)
        ]
    show_drawn(ranked, home, fig=fig, table=table)


def place_text(region_code: str, rank: Any) -> str:
    """A bar's place: "3"; "Rang saknas" for a län when not all 21 have a value; else none."""
    if not pd.isna(rank):
        return str(int(rank))
    # Riket and kommuner are not ranked among the 21 län
    return UNRANKED_LAN if region_code in load_regions().lan_codes else UNRANKED
