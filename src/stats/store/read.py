"""Read the store: series data, release metadata, stored responses and scope views.

Every select over the store's tables for series and releases lives here (meeting pins and
release comparisons in `read_versions`); `write` holds the schema and every write.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import duckdb
import pandas as pd

from stats.errors import StoreError
from stats.store.write import ResponseRecord


def has_store(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database holds the store's schema (an empty file does not)."""
    row = con.execute(
        "select count(*) from information_schema.tables where table_name = 'latest_release'"
    ).fetchone()
    return row is not None and row[0] > 0


def series_meta(con: duckdb.DuckDBPyConnection, series_id: str) -> dict[str, Any] | None:
    """Latest release's meta plus series_id, release_id, fetched_at, updated and table_ids.

    Returns None when the store has no schema yet or the series has no release.
    """
    if not has_store(con):
        return None
    row = con.execute(
        "select series_id, release_id, fetched_at, source_updated, meta "
        "from latest_release where series_id = ?",
        [series_id],
    ).fetchone()
    return None if row is None else _release_meta(con, row)


def series_with_data(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Ids of the series that have at least one release."""
    if not has_store(con):
        return set()
    return {str(r[0]) for r in con.execute("select series_id from latest_release").fetchall()}


def series_codes(
    con: duckdb.DuckDBPyConnection, series_id: str
) -> tuple[list[str], dict[str, list[str]]]:
    """Region codes and, per extra dimension, the codes in the latest release of a series."""
    regions = con.execute(
        "select distinct region_code from latest where series_id = ? order by region_code",
        [series_id],
    ).fetchall()
    combos = con.execute(
        "select distinct dims from latest where series_id = ?", [series_id]
    ).fetchall()
    codes: dict[str, list[str]] = {}
    for (raw,) in combos:
        for dim, code in json.loads(raw).items():
            if str(code) not in codes.setdefault(dim, []):
                codes[dim].append(str(code))
    return [str(r[0]) for r in regions], {dim: sorted(c) for dim, c in codes.items()}


def series_labels(
    con: duckdb.DuckDBPyConnection, series_id: str, dimensions: list[str]
) -> dict[str, dict[str, str]]:
    """Labels per dimension ("region" or a dim id) and code, in the source's own order.

    The series' latest release comes first; codes it leaves unlabelled (realdata files often
    carry bare codes such as Kon = "1") take the newest label any other release gives them.
    """
    rows = con.execute(
        """
        with own as (
            select release_id from latest_release where series_id = ?
        ),
        ranked as (
            select
                l.dimension,
                l.code,
                l.label,
                l.release_id in (select release_id from own) as is_own,
                row_number() over (
                    partition by l.dimension, l.code
                    order by l.release_id in (select release_id from own) desc,
                        l.release_id desc
                ) as rank,
                l.rowid as position
            from label l
            where list_contains(?, l.dimension)
        )
        select dimension, code, label from ranked
        where rank = 1
        order by not is_own, position
        """,
        [series_id, dimensions],
    ).fetchall()
    labels: dict[str, dict[str, str]] = {}
    for dimension, code, label in rows:
        labels.setdefault(str(dimension), {})[str(code)] = str(label)
    return labels


def series_frame(
    con: duckdb.DuckDBPyConnection,
    series_id: str,
    regions: list[str],
    dims: dict[str, str],
) -> pd.DataFrame:
    """Latest observations of one series for some regions and one code per extra dimension.

    Parameters
    ----------
    con
        A connection to the store.
    series_id
        Catalog id, e.g. ``"konkurser_lan_regionfakta"``.
    regions
        Region codes to keep, e.g. ``["23", "00"]``.
    dims
        Dimension id to code, e.g. ``{"Kon": "TotSa"}``; dimensions left out are not filtered.

    Returns region_code, period, value, status and preliminary, ordered by region and period.
    """
    where = ["series_id = ?", "list_contains(?, region_code)"]
    params: list[Any] = [series_id, regions]
    for dim, code in dims.items():
        # a quoted JSON path keeps dimension ids such as "SNI2007" or "Juridisk_form" literal
        where.append("json_extract_string(dims, ?) = ?")
        params += [f'$."{dim}"', code]
    sql = (
        "select region_code, period, value, status, preliminary from latest "
        f"where {' and '.join(where)} order by region_code, period"
    )
    try:
        return con.execute(sql, params).df()
    except duckdb.Error as exc:
        raise StoreError(f"series {series_id!r}: cannot read observations: {exc}") from None


def latest_releases(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    """(series_id, release_id, vintage, row_count, fetched_at, source_updated) per series."""
    return con.execute(
        "select series_id, release_id, vintage, row_count, fetched_at, source_updated "
        "from latest_release order by series_id"
    ).fetchall()


def latest_responses(
    con: duckdb.DuckDBPyConnection, series_id: str | None = None
) -> list[tuple[str, ResponseRecord]]:
    """(series_id, response) behind the latest release of one series (None: of every series).

    Ordered by series and then as they were stored, e.g. the parts of ``"folkmangd_manad"``.
    """
    rows = con.execute(
        "select r.series_id, p.part, p.source, p.table_id, p.method, p.url, p.request_body, "
        "p.fetched_at, p.source_updated, p.sha256, p.raw_path from latest_release r "
        "join response p using (release_id) "
        "where ?::varchar is null or r.series_id = ? order by r.series_id, p.seq",
        [series_id, series_id],
    ).fetchall()
    return [(str(row[0]), ResponseRecord(*row[1:])) for row in rows]


def _latest_per(key: str, releases: Sequence[int] | None) -> str:
    """Select of the newest release per `key` among `releases` (None: among all releases)."""
    if releases is None:
        where = ""
    elif releases:
        where = f"where release_id in ({', '.join(str(int(r)) for r in releases)})"
    else:
        where = "where false"
    return (
        f"select * from release {where} "
        f"qualify row_number() over (partition by {key} order by release_id desc) = 1"
    )


def create_scope_views(cur: duckdb.DuckDBPyConnection, releases: Sequence[int] | None) -> None:
    """Temporary views `obs`, `scope_release` and `vintage_obs` over `releases` (None = latest).

    `obs` holds the observations of the newest release per series, `vintage_obs` those of the
    newest release per series and projection vintage; `scope_release` the releases behind `obs`.
    """
    cur.execute(
        "create temp view obs as select r.series_id, o.* from observation o "
        f"join ({_latest_per('series_id', releases)}) r using (release_id)"
    )
    cur.execute(f"create temp view scope_release as {_latest_per('series_id', releases)}")
    cur.execute(
        "create temp view vintage_obs as select r.series_id, r.vintage, o.* "
        f"from observation o join ({_latest_per('series_id, vintage', releases)}) r "
        "using (release_id)"
    )


def scope_series(scope: duckdb.DuckDBPyConnection) -> set[str]:
    """Ids of the series with a release in a scope made by `create_scope_views`."""
    return {str(r[0]) for r in scope.execute("select series_id from scope_release").fetchall()}


def series_overview(con: duckdb.DuckDBPyConnection, snapshot_hashes: list[str]) -> pd.DataFrame:
    """Freshness per series: latest release, number of releases, vintages and last fetch.

    One row per series that has a release or a fetch attempt. `from_snapshot` is true when
    every response behind the latest release has a sha256 listed in `snapshot_hashes`.
    """
    if not has_store(con):
        return pd.DataFrame()
    sql = """
        with releases as (
            select
                series_id,
                count(*) as releases,
                string_agg(distinct vintage, ', ' order by vintage) as vintages
            from release
            group by series_id
        ),
        origin as (
            select release_id, bool_and(list_contains(?, sha256)) as from_snapshot
            from response
            group by release_id
        ),
        last_fetch as (
            select series_id, started_at, ok, outcome, message
            from fetch_log
            qualify row_number() over (partition by series_id order by started_at desc) = 1
        ),
        final as (
            select
                coalesce(l.series_id, f.series_id) as series_id,
                l.release_id,
                l.fetched_at,
                l.source_updated,
                l.row_count,
                l.meta,
                r.releases,
                r.vintages,
                coalesce(o.from_snapshot, false) as from_snapshot,
                f.started_at as attempted_at,
                f.ok as attempt_ok,
                f.outcome as attempt_outcome,
                f.message as attempt_message
            from latest_release l
            join releases r on r.series_id = l.series_id
            left join origin o on o.release_id = l.release_id
            full join last_fetch f on f.series_id = l.series_id
        )
        select * from final order by series_id
    """
    try:
        return con.execute(sql, [snapshot_hashes]).df()
    except duckdb.Error as exc:
        raise StoreError(f"cannot read the release overview: {exc}") from None


# --- chart data (present/spec.py) ---


def _release_meta(con: duckdb.DuckDBPyConnection, row: tuple[Any, ...]) -> dict[str, Any]:
    """A release's stored meta plus series_id, release_id, fetched_at, updated and table_ids."""
    series_id, release_id, fetched_at, updated, meta = row
    tables = con.execute(
        "select distinct table_id from response where release_id = ? order by 1",
        [release_id],
    ).fetchall()
    m: dict[str, Any] = json.loads(meta)
    m.update(
        series_id=series_id,
        release_id=int(release_id),
        fetched_at=fetched_at,
        source_updated=updated,
        table_ids=[t[0] for t in tables] or list(m.get("tables", [])),
    )
    return m


def release_metas(
    con: duckdb.DuckDBPyConnection, release_ids: Sequence[int]
) -> list[dict[str, Any]]:
    """Meta of the given releases (any vintage) in the order given, as `_release_meta`."""
    ids = list(dict.fromkeys(int(r) for r in release_ids))
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    rows = con.execute(
        "select series_id, release_id, fetched_at, source_updated, meta from release "
        f"where release_id in ({marks})",
        ids,
    ).fetchall()
    rows.sort(key=lambda row: ids.index(int(row[1])))
    return [_release_meta(con, row) for row in rows]
