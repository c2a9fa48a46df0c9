"""Read the store: series data, release metadata, stored responses and scope views.

Every select over the store's tables for series and releases lives here (meeting pins and
release comparisons in `read_versions`); `schema` holds the schema, `write` every write.

"Latest" means the newest release fetched for a home län: each function that reads the latest
releases takes `home` (default: the configured home län, STATS_HOME_REGION) and serves only the
releases fetched for that län or for every län (`use_home`). Releases fetched for another home
län stay in the store and are served again when the setting returns to it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import duckdb
import pandas as pd

from stats.errors import StoreError
from stats.store.schema import ANY_HOME, has_relation, served_fetch_log, use_home
from stats.store.write import ResponseRecord


def records_homes(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the file records the home län of its releases (a file from before does not)."""
    return has_relation(con, "serving_release")


def unrecorded_homes(con: duckdb.DuckDBPyConnection) -> list[tuple[int, str, list[str]]]:
    """(release_id, series_id, region codes) of every release whose home is not recorded."""
    rows = con.execute(
        "select r.release_id, r.series_id, list(distinct o.region_code order by o.region_code) "
        "from release r left join observation o using (release_id) "
        "where r.home_region is null group by all order by r.release_id"
    ).fetchall()
    return [(int(r), str(s), [str(c) for c in codes if c is not None]) for r, s, codes in rows]


def has_store(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database holds the store's schema (an empty file does not)."""
    return has_relation(con, "latest_release")


def series_meta(
    con: duckdb.DuckDBPyConnection, series_id: str, *, home: str | None = None
) -> dict[str, Any] | None:
    """Latest release's meta plus series_id, release_id, fetched_at, updated and table_ids.

    Returns None when the store has no schema yet or the series has no release for `home`.
    """
    if not has_store(con):
        return None
    use_home(con, home)
    row = con.execute(
        "select series_id, release_id, fetched_at, source_updated, meta "
        "from latest_release where series_id = ?",
        [series_id],
    ).fetchone()
    return None if row is None else _release_meta(con, row)


def series_with_data(con: duckdb.DuckDBPyConnection, *, home: str | None = None) -> set[str]:
    """Ids of the series that have at least one release for `home`."""
    if not has_store(con):
        return set()
    use_home(con, home)
    return {str(r[0]) for r in con.execute("select series_id from latest_release").fetchall()}


def series_codes(
    con: duckdb.DuckDBPyConnection, series_id: str, *, home: str | None = None
) -> tuple[list[str], dict[str, list[str]]]:
    """Region codes and, per extra dimension, the codes in the latest release of a series."""
    use_home(con, home)
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
    con: duckdb.DuckDBPyConnection,
    series_id: str,
    dimensions: list[str],
    *,
    home: str | None = None,
) -> dict[str, dict[str, str]]:
    """Labels per dimension ("region" or a dim id) and code, in the source's own order.

    The series' latest release comes first; codes it leaves unlabelled (realdata files often
    carry bare codes such as Kon = "1") take the newest label any other release gives them.
    """
    use_home(con, home)
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
    *,
    home: str | None = None,
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
    home
        The home län whose releases are served, e.g. ``"23"``; default the configured one.

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
    use_home(con, home)
    try:
        return con.execute(sql, params).df()
    except duckdb.Error as exc:
        raise StoreError(f"series {series_id!r}: cannot read observations: {exc}") from None


def latest_releases(
    con: duckdb.DuckDBPyConnection, *, home: str | None = None
) -> list[tuple[Any, ...]]:
    """(series_id, release_id, vintage, row_count, fetched_at, source_updated, home_region)
    per series; home_region is None in a file that does not record it."""
    use_home(con, home)
    served = "home_region" if records_homes(con) else "null::varchar"
    return con.execute(
        "select series_id, release_id, vintage, row_count, fetched_at, source_updated, "
        f"{served} from latest_release order by series_id"
    ).fetchall()


def latest_responses(
    con: duckdb.DuckDBPyConnection, series_id: str | None = None, *, home: str | None = None
) -> list[tuple[str, ResponseRecord]]:
    """(series_id, response) behind the latest release of one series (None: of every series).

    Ordered by series and then as they were stored, e.g. the parts of ``"folkmangd_manad"``.
    """
    use_home(con, home)
    rows = con.execute(
        "select r.series_id, p.part, p.source, p.table_id, p.method, p.url, p.request_body, "
        "p.fetched_at, p.source_updated, p.sha256, p.raw_path from latest_release r "
        "join response p using (release_id) "
        "where ?::varchar is null or r.series_id = ? order by r.series_id, p.seq",
        [series_id, series_id],
    ).fetchall()
    return [(str(row[0]), ResponseRecord(*row[1:])) for row in rows]


def _latest_per(key: str, releases: Sequence[int] | None, table: str) -> str:
    """Select of the newest release per `key` among `releases` (None: all releases in `table`)."""
    if releases is None:
        where = ""
    elif releases:
        where = f"where release_id in ({', '.join(str(int(r)) for r in releases)})"
    else:
        where = "where false"
    return (
        f"select * from {table} {where} "
        f"qualify row_number() over (partition by {key} order by release_id desc) = 1"
    )


def create_scope_views(
    cur: duckdb.DuckDBPyConnection, releases: Sequence[int] | None, *, home: str | None = None
) -> None:
    """Temporary views `obs`, `scope_release` and `vintage_obs` over `releases` (None = latest).

    `obs` holds the observations of the newest release per series, `vintage_obs` those of the
    newest release per series and projection vintage; `scope_release` the releases behind `obs`.
    The latest are those served for `home`; pinned `releases` are read whoever they served.
    """
    use_home(cur, home)
    table = "serving_release" if releases is None and records_homes(cur) else "release"
    per_series = _latest_per("series_id", releases, table)
    cur.execute(
        "create temp view obs as select r.series_id, o.* from observation o "
        f"join ({per_series}) r using (release_id)"
    )
    cur.execute(f"create temp view scope_release as {per_series}")
    cur.execute(
        "create temp view vintage_obs as select r.series_id, r.vintage, o.* "
        f"from observation o join ({_latest_per('series_id, vintage', releases, table)}) r "
        "using (release_id)"
    )


def scope_series(scope: duckdb.DuckDBPyConnection) -> set[str]:
    """Ids of the series with a release in a scope made by `create_scope_views`."""
    return {str(r[0]) for r in scope.execute("select series_id from scope_release").fetchall()}


OVERVIEW_SQL = """
    with releases as (
        select
            series_id,
            count(*) as releases,
            string_agg(distinct vintage, ', ' order by vintage) as vintages
        from {served}
        group by series_id
    ),
    origin as (
        select release_id, bool_and(list_contains(?, sha256)) as from_snapshot
        from response
        group by release_id
    ),
    last_fetch as (
        select series_id, started_at, ok, outcome, message
        from {attempts}
        qualify row_number() over (partition by series_id order by started_at desc) = 1
    ),
    other as ({other}),
    ids as (
        select series_id from latest_release
        union select series_id from last_fetch
        union select series_id from other
    )
    select
        ids.series_id,
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
        f.message as attempt_message,
        {home_region} as home_region,
        h.other_homes
    from ids
    left join latest_release l on l.series_id = ids.series_id
    left join releases r on r.series_id = ids.series_id
    left join origin o on o.release_id = l.release_id
    left join last_fetch f on f.series_id = ids.series_id
    left join other h on h.series_id = ids.series_id
    order by ids.series_id
"""
# the län codes other releases of a series were fetched for, e.g. "20,23"
OTHER_HOMES = """
    select series_id, string_agg(distinct home_region, ',' order by home_region) as other_homes
    from release where home_region not in (?, getvariable('stats_home'))
    group by series_id
"""
NO_OTHER_HOMES = "select null::varchar as series_id, null::varchar as other_homes where false"


def series_overview(
    con: duckdb.DuckDBPyConnection, snapshot_hashes: list[str], *, home: str | None = None
) -> pd.DataFrame:
    """Freshness per series: latest release, number of releases, vintages and last fetch.

    One row per series that has a release (for any home län) or a fetch attempt; the release
    columns describe the latest release served for `home`. `from_snapshot` is true when every
    response behind it has a sha256 listed in `snapshot_hashes`; `home_region` is the home län
    it was fetched for (ANY_HOME: every län) and `other_homes` the län codes other releases
    were fetched for, comma-separated.
    """
    if not has_store(con):
        return pd.DataFrame()
    use_home(con, home)
    homes = records_homes(con)
    sql = OVERVIEW_SQL.format(
        served="serving_release" if homes else "release",
        attempts=served_fetch_log(con),
        other=OTHER_HOMES if homes else NO_OTHER_HOMES,
        home_region="l.home_region" if homes else "null::varchar",
    )
    params: list[Any] = [snapshot_hashes, ANY_HOME] if homes else [snapshot_hashes]
    try:
        return con.execute(sql, params).df()
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
