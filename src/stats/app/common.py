"""What every page shares: the cached read-only connection, drawn chart specs, chart and table."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from stats.analysis.indicators import open_scope
from stats.catalog.load import Catalog, Series
from stats.config import load_settings
from stats.errors import StoreError
from stats.fmt import format_number, format_percent, keep_dates_whole
from stats.present.citation import declared_publisher, source_caption
from stats.present.describe import NO_VALUE, alt_text, chart_decimals, chart_table, symbol_key
from stats.present.figures import COLOURS, figure
from stats.present.spec import Chart, ChartSpec, caption, draw, footnotes
from stats.regions import Home, home_code, load_regions
from stats.store.read import series_with_data
from stats.store.write import db_signature, open_reader

NO_DATA = "Ingen data ännu — kör `stats refresh`"
UNRANKED = "Rangordnas inte"
UNRANKED_LAN = "Rang saknas"
# a database file and its version (path, signature), the key of every cached read
Db = tuple[str, tuple[int, int]]
_SWEDISH_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}"})


def swedish_key(text: str) -> str:
    """Sort key with å, ä, ö after z, in that order."""
    return text.casefold().translate(_SWEDISH_ORDER)


def declared_tables(series: Series) -> list[str]:
    """The tables the catalog declares, e.g. ["TAB638", "TAB5557"], before any fetch."""
    tables: dict[str, None] = {}
    for part in series.parts:
        if part.options.get("label"):
            tables[str(part.options["label"])] = None
        elif part.table:
            tables[part.table] = None
        elif part.discover:
            tables[f"tabell som söks fram med ”{part.discover.query}”"] = None
    return list(tables)


def declared_source(series: Series) -> str:
    """Publisher and tables the catalog declares, e.g. "SCB, TAB3138"."""
    return ", ".join([declared_publisher(series), *declared_tables(series)])


def ordered_series(catalog: Catalog, with_data: set[str] | None = None) -> list[Series]:
    """Catalog series by publisher and title; those in `with_data` (when given) first."""
    return sorted(
        catalog.series.values(),
        key=lambda s: (
            with_data is not None and s.id not in with_data,
            swedish_key(declared_publisher(s)),
            swedish_key(s.title),
        ),
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


@contextmanager
def reading(db_path: str, signature: tuple[int, int]) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on the shared connection, closed after the block (cursors are per thread)."""
    con = connect(db_path, signature).cursor()
    try:
        yield con
    finally:
        con.close()


def show_chart(
    figure: go.Figure, alt: str, meta: Mapping[str, Any], notes: list[str | None]
) -> None:
    """A chart with its source line and notes below it."""
    st.plotly_chart(figure, alt=alt, config={"displaylogo": False})
    st.caption(keep_dates_whole(source_caption(meta)))
    for text in notes:
        if text:
            st.caption(text)


def show_table(table: pd.DataFrame, numeric: list[str] | None = None) -> None:
    """A table of formatted text; `numeric` columns (default: all but the first) align right."""
    right = st.column_config.TextColumn(alignment="right")
    columns = list(table.columns)[1:] if numeric is None else numeric
    st.dataframe(table, hide_index=True, column_config=dict.fromkeys(columns, right))


def show_static_table(table: pd.DataFrame, numeric: list[str]) -> None:
    """A short table printed whole (no scrolling, long labels wrap); `numeric` aligns right."""
    right = {"text-align": "right !important"}
    aligned = table.style.set_properties(subset=pd.Index(numeric), **right)
    st.table(aligned, hide_index=True)


def open_database() -> Db | None:
    """Path and file version of the configured database, or None when there is no file yet."""
    path = load_settings().db_path
    signature = db_signature(path)
    return None if signature is None else (str(path), signature)


@st.cache_data(max_entries=4, show_spinner=False)
def load_series_with_data(db_path: str, signature: tuple[int, int]) -> set[str]:
    """Ids of the series that have a release in this database file version."""
    with reading(db_path, signature) as con:
        return series_with_data(con)


@st.cache_data(max_entries=128, show_spinner=False)
def load_chart(db_path: str, signature: tuple[int, int], spec: ChartSpec, home: Home) -> Chart:
    """A chart spec drawn over the latest releases of one database file version."""
    with reading(db_path, signature) as con:
        scope = open_scope(con)
        try:
            return draw(scope, spec, home)
        finally:
            scope.close()


def with_frame(chart: Chart, frame: pd.DataFrame, **changes: Any) -> Chart:
    """The same chart over other rows (one month, one region), with spec fields changed."""
    spec = replace(chart.spec, **changes)
    return Chart(spec, chart.indicator, frame.reset_index(drop=True), chart.metas)


def missing_text(series: Series) -> str:
    """ "<title> (<publisher, tables>): Ingen data ännu — kör `stats refresh`"."""
    return f"{series.title} ({declared_source(series)}): {NO_DATA}"


def cell(value: Any, text: str) -> str:
    """`text` for a value, "Data saknas" when there is none (no empty table cells)."""
    return NO_VALUE if value is None or pd.isna(value) else text


def rank_text(rank: Any, ranked: int, total: int = 21, legend: str = "") -> str:
    """ "plats 5 av 21" (plus " (<legend>)"); among fewer than all 21 län no rank is given."""
    if ranked < total:
        return f"rang saknas (uppgift för {ranked} av {total} län)"
    if rank is None or pd.isna(rank):
        return "ingen plats (värde saknas)"
    return f"plats {int(rank)} av {total}" + (f" ({legend})" if legend else "")


def percent_range(values: Iterable[float], decimals: int = 1) -> str:
    """The span of shares in percent, e.g. "1,4–2,9 %" (one value: "2,9 %")."""
    finite = [v for v in values if v is not None and not pd.isna(v)]
    if not finite:
        return NO_VALUE
    low, high = format_number(min(finite), decimals), format_percent(max(finite), decimals)
    return high if format_percent(min(finite), decimals) == high else f"{low}–{high}"


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


def prepare(
    chart: Chart, home: Home, *, fig: go.Figure | None = None, table: pd.DataFrame | None = None
) -> Prepared:
    """Figure, alt text, source line, footnotes and table of a drawn spec.

    Alt text and table are the ones every export shows (`stats.present.describe`).
    """
    if table is None:
        table = chart_table(chart).frame()
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
    )


def show_prepared(prepared: Prepared, *, table_key: str | None = None) -> None:
    """A prepared chart: figure with alt text, "Källa: …" line, footnotes and its table.

    The table sits in an expander, or with `table_key` behind a "Visa som tabell" switch that
    builds it only when asked (pages with many charts stay quick for many viewers).
    """
    st.plotly_chart(prepared.figure, alt=prepared.alt, config={"displaylogo": False})
    st.caption(prepared.caption)
    for note in prepared.notes:
        st.caption(note)
    if table_key is not None:
        if st.toggle("Visa som tabell", key=table_key):
            show_table(prepared.table)
            if prepared.key:
                st.caption(prepared.key)
        return
    with st.expander("Visa som tabell"):
        show_table(prepared.table)
        if prepared.key:
            st.caption(prepared.key)


def show_drawn(
    chart: Chart, home: Home, *, fig: go.Figure | None = None, table: pd.DataFrame | None = None
) -> None:
    """A drawn spec: figure with alt text, "Källa: …" line, footnotes, table in an expander."""
    show_prepared(prepare(chart, home, fig=fig, table=table))


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
