"""Read what a scheduled refresh decides from: each series' stored release and fetch history.

`due_state` gives, per series, the latest release's responses (table, URL, source `updated`,
raw file) and the times of its last successful and last failed fetch attempt; skipped
attempts (`stats refresh --due` found nothing new) do not count as fetches. `last_run` is the
newest scheduled run, for the page Datakällor.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import duckdb

from stats.store.read import has_store

SKIPPED = "skipped"


@dataclass(frozen=True)
class StoredResponse:
    """One response behind a series' latest release."""

    part: int
    source: str
    table_id: str
    url: str
    source_updated: str | None
    raw_path: str


@dataclass(frozen=True)
class StoredSeries:
    """What the store holds for one series; any field may be empty for a series never fetched."""

    series_id: str
    fetched_at: datetime | None = None
    source_updated: str | None = None
    responses: tuple[StoredResponse, ...] = ()
    last_ok: datetime | None = None
    last_failed: datetime | None = None

    def part(self, index: int) -> list[StoredResponse]:
        """The stored responses of one catalog part."""
        return [r for r in self.responses if r.part == index]


@dataclass(frozen=True)
class RunRecord:
    """One scheduled run: when, how many series checked and due, and which failed, with why."""

    started_at: datetime
    finished_at: datetime
    checked: int
    due: int
    failures: list[tuple[str, str]]


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    row = con.execute(
        "select count(*) from information_schema.tables where table_name = ?", [name]
    ).fetchone()
    return row is not None and row[0] > 0


def _attempts(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[datetime | None, datetime | None]]:
    """series_id → (last successful attempt, last attempt if it failed), skips left out."""
    rows = con.execute(
        """
        select
            series_id,
            max(started_at) filter (where ok) as last_ok,
            arg_max(ok, started_at) as last_attempt_ok,
            max(started_at) as last_attempt
        from fetch_log
        where outcome <> ?
        group by series_id
        """,
        [SKIPPED],
    ).fetchall()
    return {str(sid): (ok_at, None if last_ok else at) for sid, ok_at, last_ok, at in rows}


def due_state(con: duckdb.DuckDBPyConnection) -> dict[str, StoredSeries]:
    """Per series id, the stored state a `--due` decision reads (empty for a new database)."""
    if not has_store(con):
        return {}
    releases = con.execute(
        "select series_id, fetched_at, source_updated from latest_release"
    ).fetchall()
    responses: dict[str, list[StoredResponse]] = {}
    for sid, *fields in con.execute(
        """
        select r.series_id, p.part, p.source, p.table_id, p.url, p.source_updated, p.raw_path
        from response p join latest_release r using (release_id)
        order by r.series_id, p.seq
        """
    ).fetchall():
        responses.setdefault(str(sid), []).append(StoredResponse(*fields))
    attempts = _attempts(con)
    out = {
        str(sid): StoredSeries(str(sid), fetched, updated, tuple(responses.get(str(sid), [])))
        for sid, fetched, updated in releases
    }
    for sid, (ok_at, failed_at) in attempts.items():
        base = out.get(sid, StoredSeries(sid))
        out[sid] = StoredSeries(
            sid, base.fetched_at, base.source_updated, base.responses, ok_at, failed_at
        )
    return out


def last_run(con: duckdb.DuckDBPyConnection) -> RunRecord | None:
    """The newest scheduled run, or None (no run yet, or a database from before runs were kept)."""
    if not _has_table(con, "refresh_run"):
        return None
    row = con.execute(
        "select started_at, finished_at, checked, due, failures from refresh_run "
        "order by started_at desc limit 1"
    ).fetchone()
    if row is None:
        return None
    failures = [(str(sid), str(message)) for sid, message in json.loads(row[4])]
    return RunRecord(row[0], row[1], int(row[2]), int(row[3]), failures)
