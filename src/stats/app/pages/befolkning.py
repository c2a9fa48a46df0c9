"""Befolkning per månad: the home län beside Riket, with source line, CKM note and a table."""

from __future__ import annotations

from typing import Any, Literal

import pandas as pd
import streamlit as st

from stats.analysis.indicators import run_query
from stats.app.charts import mark_meetings, show_chart
from stats.app.db import reading
from stats.app.declared import no_data
from stats.app.page import page
from stats.app.tables import show_table
from stats.fmt import format_number, format_percent, format_period
from stats.present.citation import ckm_note
from stats.present.describe import frame_alt_text, value_frame
from stats.present.figures import line_figure
from stats.regions import load_regions
from stats.store.read import series_meta

SERIES = "folkmangd_manad"
QUERY = "folkmangd_manad_total"
UNIT = "personer"
RIKET_DERIVED = "Riket (summa av länen)"
DERIVED_NOTE = (
    "Riket är här beräknat som summan av de 21 länen. Med SCB:s Cell Key Method (CKM) kan "
    "summan av delarna avvika något från SCB:s egen total för riket."
)
AGE_SUM = "summa av åldersgrupperna"
AGE_SUM_NOTE = (
    "Länets folkmängd är här beräknad som summan av SCB:s åldersgrupper; SCB anger att "
    "tabellen inte ska summeras. Med Cell Key Method (CKM) kan summan avvika något från den "
    "verkliga totalen, så små förändringar mellan månader kan vara brus."
)


@st.cache_data(max_entries=4, show_spinner=False)
def load_population(
    db_path: str, signature: tuple[int, int], home: str
) -> tuple[pd.DataFrame, dict[str, Any] | None]:
    """Population totals and release metadata served for `home` in one database file version."""
    with reading(db_path, signature) as con:
        meta = series_meta(con, SERIES, home=home)
        if meta is None:
            return pd.DataFrame(), None
        return run_query(con, QUERY), meta


def show_metric(label: str, rows: pd.DataFrame) -> None:
    """Latest value with the change from the previous month (arrow set here: "−" is U+2212)."""
    latest = rows.iloc[-1]
    title = f"{label}, {format_period(latest['period'])}"
    if len(rows) < 2:
        st.metric(title, format_number(latest["value"]), border=True)
        return
    previous = rows.iloc[-2]
    change = float(latest["value"] - previous["value"])
    share = 100 * change / float(previous["value"]) if previous["value"] else None
    arrow: Literal["up", "down", "off"] = "up" if change > 0 else "down"
    colour: Literal["green", "red", "gray"] = "green" if change > 0 else "red"
    if change == 0:
        arrow, colour = "off", "gray"
    st.metric(
        title,
        format_number(latest["value"]),
        delta=f"{format_number(change, signed=True)} ({format_percent(share, 2, signed=True)})",
        delta_arrow=arrow,
        delta_color=colour,
        delta_description=f"jämfört med {format_period(previous['period'])}",
        border=True,
    )


def show_population(
    name: str, rows: pd.DataFrame, meta: dict[str, Any], note: str | None, home: str
) -> None:
    """One line chart with its source line, the earlier meetings and notes below it."""
    title = f"Folkmängd, {name}"
    figure = line_figure(rows.assign(series=name), title, UNIT)
    marks = mark_meetings(figure, rows["period"], home)
    alt = frame_alt_text(rows, title, UNIT)
    show_chart(figure, f"{alt} {marks}" if marks else alt, meta, [note, ckm_note(meta), marks])


def show_home_and_riket(frame: pd.DataFrame, meta: dict[str, Any], home: str) -> None:
    """The latest values, one chart each and a table for the home län and Riket."""
    regions = load_regions()
    home_name = regions.name(home)
    home_rows = frame[frame["region_code"] == home].sort_values("period")
    riket_rows = frame[frame["region_code"] == regions.riket_code].sort_values("period")
    if home_rows.empty:
        st.info(no_data(home))
        return
    derived = bool(riket_rows["derived"].notna().any())
    riket_name = RIKET_DERIVED if derived else regions.name(regions.riket_code)
    # TAB6471 has no all-ages total: the län figure is the app's own sum of the age groups
    age_sum = bool((home_rows["derived"] == AGE_SUM).any())
    home_label = f"{home_name} ({AGE_SUM})" if age_sum else home_name

    st.caption(
        f"Folkmängd den sista dagen i varje månad, alla åldrar och båda könen: {home_name} "
        f"och riket. Senaste månad {format_period(home_rows['period'].iloc[-1])}."
    )
    shown = {home_label: home_rows}
    if not riket_rows.empty:
        shown[riket_name] = riket_rows
    names = list(shown)
    for column, name in zip(st.columns(len(names), gap="large"), names, strict=True):
        with column:
            show_metric(name, shown[name])
    for column, name in zip(st.columns(len(names), gap="large"), names, strict=True):
        with column:
            notes = {RIKET_DERIVED: DERIVED_NOTE, home_label: AGE_SUM_NOTE if age_sum else None}
            show_population(name, shown[name], meta, notes.get(name), home)
    with st.expander("Visa som tabell"):
        long = pd.concat([rows.assign(series=name) for name, rows in shown.items()])
        show_table(value_frame(long))


def render() -> None:
    """The whole page; returns early with a message when there is nothing to show."""
    with page("Befolkning per månad") as ctx:
        db, home = ctx.db, ctx.home
        frame, meta = (pd.DataFrame(), None) if db is None else load_population(*db, home)
        if meta is None or frame.empty:
            st.info(no_data(home))
            return
        show_home_and_riket(frame, meta, home)


render()
