"""What every page shares: the cached read-only connection, the chart block and the table."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from stats.catalog import Catalog, Series
from stats.charts import source_caption
from stats.errors import StoreError
from stats.fmt import keep_dates_whole
from stats.store import open_reader

NO_DATA = "Ingen data ännu — kör `stats refresh`"
# catalog source → publisher, for series that have no release yet to say it themselves
PUBLISHERS = {
    "scb": "SCB",
    "tillvaxtanalys": "Tillväxtanalys",
    "jobtech_historical": "Arbetsförmedlingen (JobTech Dev)",
    "jobtech_search": "Arbetsförmedlingen (JobTech Dev)",
    "af_varsel": "Arbetsförmedlingen",
    "kolada": "Kolada (RKA)",
}
_SWEDISH_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}"})


def swedish_key(text: str) -> str:
    """Sort key with å, ä, ö after z, in that order."""
    return text.casefold().translate(_SWEDISH_ORDER)


def declared_publisher(series: Series) -> str:
    """Who publishes a series according to the catalog, e.g. "SCB" or "Kolada (RKA)"."""
    names = dict.fromkeys(
        str(part.options.get("publisher") or PUBLISHERS.get(part.source, part.source))
        for part in series.parts
    )
    return " och ".join(names)


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
