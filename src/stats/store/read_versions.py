"""Read release versions: content pins for freezing a meeting, and what differs between releases.

A release is known by its content hash (`content_sha256`), so a frozen meeting can find the
numbers it showed in any copy of the database; these functions are the selects behind
`meetings.model.freeze`, `pinned_releases` and `changes_since`. The current releases are
those served for a home län (`home`, default the configured one; see `store.read.use_home`).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import duckdb

from stats.store.schema import use_home

# (vintage or None, release_id, content_sha256, fetched_at) of a series' current release
CurrentRelease = tuple[str | None, int, str, datetime]


def _marks(values: list[str]) -> str:
    return ", ".join("?" for _ in values)


def latest_content(
    con: duckdb.DuckDBPyConnection, series_ids: list[str], *, home: str | None = None
) -> dict[str, str]:
    """Content hash of the latest release per series, for the series that have one."""
    if not series_ids:
        return {}
    use_home(con, home)
    rows = con.execute(
        "select series_id, content_sha256 from latest_release "
        f"where series_id in ({_marks(series_ids)})",
        series_ids,
    ).fetchall()
    return {str(sid): str(sha) for sid, sha in rows}


def vintage_content(
    con: duckdb.DuckDBPyConnection, series_ids: list[str], *, home: str | None = None
) -> dict[str, dict[str, str]]:
    """Content hash of the latest release per series and projection vintage, vintages in order."""
    if not series_ids:
        return {}
    use_home(con, home)
    rows = con.execute(
        "select series_id, vintage, content_sha256 from vintage_release "
        f"where vintage is not null and series_id in ({_marks(series_ids)}) "
        "order by series_id, vintage",
        series_ids,
    ).fetchall()
    out: dict[str, dict[str, str]] = {}
    for sid, vintage, sha in rows:
        out.setdefault(str(sid), {})[str(vintage)] = str(sha)
    return out


def release_ids_by_content(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], int]:
    """The newest release id per (series_id, content_sha256)."""
    rows = con.execute(
        "select series_id, content_sha256, max(release_id) from release group by all"
    ).fetchall()
    return {(str(s), str(h)): int(r) for s, h, r in rows}


def newest_meta(con: duckdb.DuckDBPyConnection, series_id: str) -> dict[str, Any]:
    """The meta of a series' newest release; empty when it has none."""
    row = con.execute(
        "select meta from release where series_id = ? order by release_id desc limit 1",
        [series_id],
    ).fetchone()
    meta: dict[str, Any] = json.loads(row[0]) if row else {}
    return meta


def current_releases(
    con: duckdb.DuckDBPyConnection, series_id: str, *, per_vintage: bool, home: str | None = None
) -> list[CurrentRelease]:
    """The current release of a series, or with `per_vintage` one per projection vintage."""
    use_home(con, home)
    if per_vintage:
        sql = (
            "select vintage, release_id, content_sha256, fetched_at from vintage_release "
            "where series_id = ? and vintage is not null order by vintage"
        )
    else:
        sql = (
            "select null, release_id, content_sha256, fetched_at from latest_release "
            "where series_id = ?"
        )
    rows = con.execute(sql, [series_id]).fetchall()
    return [(v if v is None else str(v), int(r), str(h), f) for v, r, h, f in rows]


def revised_values(
    con: duckdb.DuckDBPyConnection, old_id: int, new_id: int, home: str | None
) -> list[tuple[str, str, dict[str, str], float | None, float | None]]:
    """(region, period, dims, old value, new value) that differ; `home` region and newest first."""
    rows = con.execute(
        "select n.region_code, n.period, n.dims, o.value, n.value "
        "from observation o join observation n using (region_code, period, dims) "
        "where o.release_id = ? and n.release_id = ? and o.value is distinct from n.value "
        "order by (n.region_code = ?) desc, n.period desc, n.region_code",
        [old_id, new_id, home or ""],
    ).fetchall()
    return [(str(r), str(p), json.loads(d), old, new) for r, p, d, old, new in rows]


def new_periods(con: duckdb.DuckDBPyConnection, old_id: int, new_id: int) -> list[str]:
    """Periods in release `new_id` that release `old_id` lacks, in order."""
    rows = con.execute(
        "select distinct period from observation where release_id = ? except "
        "select distinct period from observation where release_id = ? order by 1",
        [new_id, old_id],
    ).fetchall()
    return [str(p[0]) for p in rows]
