"""Run the indicator queries in queries/*.sql and read a series' release metadata."""

from __future__ import annotations

import json
import re
from typing import Any

import duckdb
import pandas as pd

from stats.config import ROOT
from stats.errors import StatsError, StoreError

QUERIES = ROOT / "queries"

# every query returns at least these columns (STYLE §4)
REQUIRED_COLUMNS = ("region_code", "period", "value")

_QUERY_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def run_query(
    con: duckdb.DuckDBPyConnection,
    name: str,
    params: list[Any] | dict[str, Any] | None = None,
) -> pd.DataFrame:
    """Run queries/<name>.sql and check its column contract.

    Parameters
    ----------
    con
        A connection to the store, usually from `store.open_reader`.
    name
        Query id, e.g. ``"folkmangd_manad_total"``.
    params
        Optional DuckDB parameters for ``?`` or ``$name`` placeholders.
    """
    path = QUERIES / f"{name}.sql"
    if not _QUERY_NAME.match(name) or not path.is_file():
        raise StatsError(f"query {name!r}: no file {path}; expected a snake_case id in queries/")
    sql = path.read_text(encoding="utf-8")
    try:
        frame = con.execute(sql, params).df() if params else con.execute(sql).df()
    except duckdb.Error as exc:
        raise StoreError(f"query {name!r} ({path.name}) failed: {exc}") from None
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise StatsError(f"query {name!r}: result lacks required columns {missing}")
    return frame


def series_meta(con: duckdb.DuckDBPyConnection, series_id: str) -> dict[str, Any] | None:
    """Latest release's meta plus release_id, fetched_at, source_updated and table_ids.

    Returns None when the store has no schema yet or the series has no release.
    """
    has_schema = con.execute(
        "select count(*) from information_schema.tables where table_name = 'latest_release'"
    ).fetchone()
    if has_schema is None or has_schema[0] == 0:
        return None
    row = con.execute(
        "select release_id, fetched_at, source_updated, meta "
        "from latest_release where series_id = ?",
        [series_id],
    ).fetchone()
    if row is None:
        return None
    release_id, fetched_at, source_updated, raw_meta = row
    tables = con.execute(
        "select distinct table_id from response where release_id = ? order by table_id",
        [release_id],
    ).fetchall()
    meta: dict[str, Any] = json.loads(raw_meta)
    meta.update(
        release_id=int(release_id),
        fetched_at=fetched_at,
        source_updated=source_updated,
        table_ids=[t[0] for t in tables] or list(meta.get("tables", [])),
    )
    return meta
