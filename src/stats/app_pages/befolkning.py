"""Befolkning per månad: the home län beside Riket, with source line, CKM note and a table."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import duckdb
import pandas as pd
import streamlit as st

from stats.charts import alt_text, ckm_note, line_figure, source_caption
from stats.config import load_settings
from stats.errors import StatsError, StoreError
from stats.fmt import format_number, format_percent, format_period, keep_dates_whole
from stats.indicators import run_query, series_meta
from stats.regions import load_regions
from stats.store import db_signature, open_reader

SERIES = "folkmangd_manad"
QUERY = "folkmangd_manad_total"
UNIT = "personer"
NO_DATA = "Ingen data ännu — kör `stats refresh`"
RIKET_DERIVED = "Riket (summa av länen)"
DERIVED_NOTE = (
    "Riket är här beräknat som summan av de 21 länen. Med SCB:s Cell Key Method (CKM) kan "
    "summan av delarna avvika något från SCB:s egen total för riket."
)


def _close(con: duckdb.DuckDBPyConnection) -> None:
    con.close()


@st.cache_resource(max_entries=2, on_release=_close, show_spinner=False)
def connect(db_path: str, signature: tuple[int, int]) -> duckdb.DuckDBPyConnection:
    """Read-only connection per database file version; a refresh swaps the file and the key."""
    try:
        return open_reader(Path(db_path))
    except duckdb.Error as exc:
        raise StoreError(f"{db_path}: cannot open the database read-only: {exc}") from None


@st.cache_data(max_entries=4, show_spinner=False)
def load_population(
    db_path: str, signature: tuple[int, int]
) -> tuple[pd.DataFrame, dict[str, Any] | None]:
    """Population totals and release metadata for one database file version."""
    con = connect(db_path, signature).cursor()
    try:
        meta = series_meta(con, SERIES)
        if meta is None:
            return pd.DataFrame(), None
        return run_query(con, QUERY), meta
    finally:
        con.close()


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


def show_chart(name: str, rows: pd.DataFrame, meta: dict[str, Any], note: str | None) -> None:
    """One line chart with its source line and notes below it."""
    title = f"Folkmängd, {name}"
    figure = line_figure(rows.assign(series=name), title, UNIT)
    st.plotly_chart(figure, alt=alt_text(rows, title, UNIT), config={"displaylogo": False})
    st.caption(keep_dates_whole(source_caption(meta)))
    for text in (note, ckm_note(meta)):
        if text:
            st.caption(text)


def show_table(columns: dict[str, pd.DataFrame]) -> None:
    """The charts' numbers as formatted text, one column per region."""
    table = pd.DataFrame(
        {name: rows.set_index("period")["value"] for name, rows in columns.items()}
    ).sort_index()
    shown = pd.DataFrame({"Månad": [format_period(p) for p in table.index]})
    for name in columns:
        shown[name] = [format_number(v) for v in table[name]]
    right = st.column_config.TextColumn(alignment="right")
    st.dataframe(shown, hide_index=True, column_config=dict.fromkeys(columns, right))


def render() -> None:
    """The whole page; returns early with a message when there is nothing to show."""
    st.title("Befolkning per månad")
    settings = load_settings()
    regions = load_regions()
    home = settings.home_region
    home_name = regions.name(home)
    signature = db_signature(settings.db_path)
    if signature is None:
        st.info(NO_DATA)
        return
    try:
        frame, meta = load_population(str(settings.db_path), signature)
    except StatsError as exc:
        st.error(str(exc))
        return
    if meta is None or frame.empty:
        st.info(NO_DATA)
        return
    home_rows = frame[frame["region_code"] == home].sort_values("period")
    riket_rows = frame[frame["region_code"] == regions.riket_code].sort_values("period")
    if home_rows.empty:
        st.info(f"Ingen data för {home_name} ännu — kör `stats refresh`")
        return
    derived = bool(riket_rows["derived"].any())
    riket_name = RIKET_DERIVED if derived else regions.name(regions.riket_code)

    st.caption(
        f"Folkmängd den sista dagen i varje månad, alla åldrar och båda könen: {home_name} "
        f"och riket. Senaste månad {format_period(home_rows['period'].iloc[-1])}."
    )
    shown = {home_name: home_rows}
    if not riket_rows.empty:
        shown[riket_name] = riket_rows
    names = list(shown)
    for column, name in zip(st.columns(len(names), gap="large"), names, strict=True):
        with column:
            show_metric(name, shown[name])
    for column, name in zip(st.columns(len(names), gap="large"), names, strict=True):
        with column:
            show_chart(name, shown[name], meta, DERIVED_NOTE if name == RIKET_DERIVED else None)
    with st.expander("Visa som tabell"):
        show_table(shown)


render()
