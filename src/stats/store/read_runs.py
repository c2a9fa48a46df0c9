"""Read what a scheduled refresh decides from: each series' stored release and fetch history.

`due_state` gives, per series, the latest release's responses (table, URL, source `updated`,
raw file), when the series was last fetched from its source and whether its last attempt
failed. "Last fetched" is the newer of the release's own fetch time and the last scheduled run
that fetched it without error (an unchanged answer makes no release). Loading the snapshot is
no fetch: its releases keep the time the snapshot's answers were fetched. Only runs for the
home län count (a run records its home; one from before that counts for every home).
`last_run` is the newest scheduled run, for the page Datakällor.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import duckdb

from stats.store.read import has_store
from stats.store.schema import has_relation, served_fetch_log, served_refresh_run, use_home

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
    last_fetch: datetime | None = None
    last_failed: datetime | None = None
    # the last scheduled run that fetched it without error (the release may be older)
    run_fetch: datetime | None = None

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


def _last_failed(con: duckdb.DuckDBPyConnection) -> dict[str, datetime]:
    """series_id → start of its last fetch attempt, for series whose last attempt failed
    (attempts for the home län in `stats_home` or every län)."""
    rows = con.execute(
        f"""
        select series_id, max(started_at), arg_max(ok, started_at)
        from {served_fetch_log(con)}
        where outcome <> ?
        group by series_id
        """,
        [SKIPPED],
    ).fetchall()
    return {str(sid): at for sid, at, ok in rows if not ok}


def _run_fetches(con: duckdb.DuckDBPyConnection) -> dict[str, datetime]:
    """series_id → start of the last scheduled run that fetched it without error (runs for the
    home län in `stats_home`, or not recorded: a run for another län fetched that län's data)."""
    if not has_relation(con, "refresh_run"):
        return {}
    out: dict[str, datetime] = {}
    runs = served_refresh_run(con)
    for started, fetched in con.execute(f"select started_at, fetched from {runs}").fetchall():
        for sid in json.loads(fetched):
            out[sid] = max(started, out.get(sid, started))
    return out


def due_state(con: duckdb.DuckDBPyConnection) -> dict[str, StoredSeries]:
    """Per series id, the stored state a `--due` decision reads (empty for a new database),
    for the home län set on `con` by `use_home`."""
    if not has_store(con):
        return {}
    responses: dict[str, list[StoredResponse]] = {}
    for sid, *fields in con.execute(
        """
        select r.series_id, p.part, p.source, p.table_id, p.url, p.source_updated, p.raw_path
        from response p join latest_release r using (release_id)
        order by r.series_id, p.seq
        """
    ).fetchall():
        responses.setdefault(str(sid), []).append(StoredResponse(*fields))
    runs, failed = _run_fetches(con), _last_failed(con)
    out = {}
    for sid, fetched, updated in con.execute(
        "select series_id, fetched_at, source_updated from latest_release"
    ).fetchall():
        last = max(fetched, runs.get(sid, fetched))
        kept = tuple(responses.get(sid, []))
        out[sid] = StoredSeries(sid, fetched, updated, kept, last, failed.get(sid), runs.get(sid))
    for sid, at in failed.items():
        out.setdefault(sid, StoredSeries(sid, last_failed=at))
    return out


def last_run(con: duckdb.DuckDBPyConnection, home: str | None = None) -> RunRecord | None:
    """The newest scheduled run for `home` (default: the configured home län), or None (no run
    yet, or a database from before runs were kept)."""
    if not has_relation(con, "refresh_run"):
        return None
    use_home(con, home)
    row = con.execute(
        "select started_at, finished_at, checked, due, failures "
        f"from {served_refresh_run(con)} order by started_at desc limit 1"
    ).fetchone()
    if row is None:
        return None
    failures = [(str(sid), str(message)) for sid, message in json.loads(row[4])]
    return RunRecord(row[0], row[1], int(row[2]), int(row[3]), failures)
