"""The database the pages read: its file version, the cached read-only connection, cursors.

Every cached read takes the home län as an argument: what a file serves depends on it (a
release fetched for one län is not another's), so one län's result is never served for another.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import duckdb
import streamlit as st

from stats.analysis.indicators import open_scope
from stats.config import load_settings
from stats.errors import StoreError
from stats.store.dbfile import db_signature, open_reader
from stats.store.read import series_overview, series_with_data


class Db(NamedTuple):
    """A database file and its version, the key of every cached read (`load_chart(*db, …)`)
    together with the home län."""

    path: str
    signature: tuple[int, int]


def open_database() -> Db | None:
    """Path and file version of the configured database, or None when there is no file yet."""
    path = load_settings().db_path
    signature = db_signature(path)
    return None if signature is None else Db(str(path), signature)


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


@contextmanager
def latest_scope(db_path: str, signature: tuple[int, int]) -> Iterator[duckdb.DuckDBPyConnection]:
    """A scope over the latest releases (`indicators.open_scope`), closed after the block."""
    with reading(db_path, signature) as con:
        scope = open_scope(con)
        try:
            yield scope
        finally:
            scope.close()


@st.cache_data(max_entries=4, show_spinner=False)
def load_series_with_data(db_path: str, signature: tuple[int, int], home: str) -> set[str]:
    """Ids of the series with a release served for `home` in this database file version."""
    with reading(db_path, signature) as con:
        return series_with_data(con, home=home)


@st.cache_data(max_entries=4, show_spinner=False)
def load_fetched_elsewhere(
    db_path: str, signature: tuple[int, int], home: str
) -> dict[str, list[str]]:
    """Series without a release for `home` but with one fetched for other län: their codes."""
    with reading(db_path, signature) as con:
        overview = series_overview(con, [], home=home)
    if overview.empty:
        return {}
    rows = overview[overview["release_id"].isna() & overview["other_homes"].notna()]
    return {str(r.series_id): str(r.other_homes).split(",") for r in rows.itertuples()}
