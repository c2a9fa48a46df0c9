"""The only module that writes DuckDB: versioned releases, observations and the fetch log
(their tables and views are in `schema`).

Writers never touch the live file. `open_writer` copies the live database beside itself,
applies changes there and swaps it in with an atomic rename, so a Streamlit process holding a
read-only connection on the old file keeps working and reopens when the file changes.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from stats.errors import StoreError
from stats.store.dbfile import open_copy, remove_old_links, remove_stale_copies, swap_in
from stats.store.schema import ANY_HOME, SCHEMA

OBSERVATION_COLUMNS = ["region_code", "period", "dims", "value", "status", "preliminary"]
LABEL_COLUMNS = ["dimension", "code", "label"]


@dataclass(frozen=True)
class ResponseRecord:
    """Provenance of one raw response that went into a release."""

    part: int
    source: str
    table_id: str
    method: str
    url: str
    request_body: str
    fetched_at: datetime
    source_updated: str | None
    sha256: str
    raw_path: str


@dataclass(frozen=True)
class ReleaseResult:
    """What `add_release` did: a new release, or nothing because the content was unchanged.
    `home_region` is the home län the release serves (ANY_HOME: every län)."""

    series_id: str
    release_id: int
    rows: int
    new: bool
    home_region: str = ANY_HOME


def content_hash(frame: pd.DataFrame, meta: dict[str, Any]) -> str:
    """Hash of the observations and their metadata, independent of row order and fetch time."""
    ordered = frame[OBSERVATION_COLUMNS].sort_values(["region_code", "period", "dims"])
    digest = hashlib.sha256(ordered.to_csv(index=False).encode("utf-8"))
    digest.update(json.dumps(meta, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def _check_frame(series_id: str, frame: pd.DataFrame) -> None:
    """StoreError unless the frame has every observation column and unique keys."""
    missing = [c for c in OBSERVATION_COLUMNS if c not in frame.columns]
    if missing:
        raise StoreError(f"series {series_id!r}: observation frame lacks columns {missing}")
    if frame.duplicated(["region_code", "period", "dims"]).any():
        raise StoreError(f"series {series_id!r}: duplicate (region, period, dims) keys")


class Store:
    """A read-write connection inside `open_writer`; every method is one transaction."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        con.execute(SCHEMA)

    def add_release(
        self,
        series_id: str,
        frame: pd.DataFrame,
        meta: dict[str, Any],
        responses: list[ResponseRecord],
        labels: pd.DataFrame,
        vintage: str | None = None,
        *,
        skip_if_known: bool = False,
        home_region: str = ANY_HOME,
    ) -> ReleaseResult:
        """Store observations as a new release unless identical content is already the latest.

        With `skip_if_known` (snapshot loading) any earlier release with the same content counts,
        so an old snapshot never lands on top of newer refreshed data. `home_region` is the home
        län the content was fetched for (ANY_HOME: it serves every home); only releases serving
        that home count as earlier ones.
        """
        _check_frame(series_id, frame)
        digest = content_hash(frame, meta)
        known = self._known_release(
            series_id, vintage, digest, home_region, any_earlier=skip_if_known
        )
        if known is not None:
            return ReleaseResult(series_id, known, len(frame), False, home_region)
        self.con.execute("begin transaction")
        try:
            release_id = self._next_release_id()
            self._insert_release(
                release_id, series_id, digest, vintage, len(frame), meta, responses, home_region
            )
            self._insert_responses(release_id, responses)
            self._insert_rows("observation", release_id, frame[OBSERVATION_COLUMNS])
            self._insert_rows("label", release_id, labels[LABEL_COLUMNS])
            self.con.execute("commit")
        except Exception:
            self.con.execute("rollback")
            raise
        return ReleaseResult(series_id, release_id, len(frame), True, home_region)

    def _known_release(
        self, series_id: str, vintage: str | None, digest: str, home: str, *, any_earlier: bool
    ) -> int | None:
        """The release with this content and home: the latest one serving `home`, or with
        `any_earlier` any such release."""
        current = self.con.execute(
            "select release_id, content_sha256 = ? and home_region is not distinct from ? "
            "from release where series_id = ? and vintage is not distinct from ? "
            "and (? = ? or home_region is null or home_region in (?, ?)) "
            "order by (content_sha256 = ? and ?) desc, release_id desc limit 1",
            [digest, home, series_id, vintage, home, ANY_HOME, ANY_HOME, home, digest, any_earlier],
        ).fetchone()
        return int(current[0]) if current is not None and current[1] else None

    def _next_release_id(self) -> int:
        row = self.con.execute("select nextval('release_seq')").fetchone()
        assert row is not None
        return int(row[0])

    def _insert_release(
        self,
        release_id: int,
        series_id: str,
        digest: str,
        vintage: str | None,
        rows: int,
        meta: dict[str, Any],
        responses: list[ResponseRecord],
        home_region: str,
    ) -> None:
        """The release row: fetched and source-updated times are the newest of its responses."""
        updated = max((r.source_updated or "" for r in responses), default="") or None
        fetched = max(r.fetched_at for r in responses) if responses else datetime.now(UTC)
        self.con.execute(
            "insert into release (release_id, series_id, fetched_at, content_sha256, vintage, "
            "source_updated, row_count, meta, home_region) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                release_id,
                series_id,
                fetched,
                digest,
                vintage,
                updated,
                rows,
                json.dumps(meta, ensure_ascii=False),
                home_region,
            ],
        )

    def stamp_home(self, stamps: dict[int, str]) -> None:
        """Record the home län (or ANY_HOME) of releases whose home was not recorded."""
        for release_id, home in stamps.items():
            self.con.execute(
                "update release set home_region = ? where release_id = ? and home_region is null",
                [home, release_id],
            )

    def _insert_responses(self, release_id: int, responses: list[ResponseRecord]) -> None:
        for seq, r in enumerate(responses):
            self.con.execute(
                "insert into response values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    release_id,
                    seq,
                    r.part,
                    r.source,
                    r.table_id,
                    r.method,
                    r.url,
                    r.request_body,
                    r.fetched_at,
                    r.source_updated,
                    r.sha256,
                    r.raw_path,
                ],
            )

    def _insert_rows(self, table: str, release_id: int, rows: pd.DataFrame) -> None:
        """Append a frame to `table` (observation or label), every row under `release_id`."""
        self.con.register("new_rows", rows)
        try:
            self.con.execute(
                f"insert into {table} select ?, {', '.join(rows.columns)} from new_rows",
                [release_id],
            )
        finally:
            self.con.unregister("new_rows")

    def log_fetch(
        self,
        series_id: str,
        started_at: datetime,
        *,
        ok: bool,
        outcome: str,
        release_id: int | None = None,
        rows: int | None = None,
        message: str = "",
        home_region: str = ANY_HOME,
    ) -> None:
        """Record one attempt, successful or not, for the home län `home_region` (ANY_HOME:
        every län), so that after a switch the new län is not shown the old one's attempts."""
        self.con.execute(
            "insert into fetch_log (series_id, started_at, finished_at, ok, outcome, release_id, "
            "row_count, message, home_region) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                series_id,
                started_at,
                datetime.now(UTC),
                ok,
                outcome,
                release_id,
                rows,
                message,
                home_region,
            ],
        )

    def log_run(
        self,
        started_at: datetime,
        finished_at: datetime,
        *,
        checked: int,
        due: int,
        fetched: list[str],
        failures: list[tuple[str, str]],
        home_region: str,
    ) -> None:
        """Record one scheduled run (`stats refresh --due`) for the home län `home_region`:
        counts, the series fetched without error and (series, message) of those that failed."""
        self.con.execute(
            "insert into refresh_run (started_at, finished_at, checked, due, fetched, failures, "
            "home_region) values (?, ?, ?, ?, ?, ?, ?)",
            [
                started_at,
                finished_at,
                checked,
                due,
                json.dumps(fetched),
                json.dumps(failures, ensure_ascii=False),
                home_region,
            ],
        )


def _lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


@contextmanager
def open_writer(db_path: Path, *, replace_damaged: bool = False) -> Iterator[Store]:
    """Write to a copy of the database and swap it in atomically when the block succeeds.

    Only one writer at a time (an exclusive lock file, released by the kernel even when the
    writer is killed); readers are never blocked. If the block raises, or the process dies, the
    copy is discarded and the live database is untouched. A damaged live file raises
    DamagedDatabase, unless `replace_damaged` (load-snapshot) moves it aside to `*.damaged` and
    starts from an empty database.
    """
    work = db_path.with_name(f"{db_path.name}.new-{os.getpid()}")
    with writer_lock(db_path):
        try:
            remove_stale_copies(db_path)
            con = open_copy(db_path, work, replace_damaged=replace_damaged)
            try:
                yield Store(con)
                con.execute("checkpoint")
            finally:
                con.close()
            swap_in(work, db_path)
            remove_old_links(db_path)
        finally:
            work.unlink(missing_ok=True)
            Path(f"{work}.wal").unlink(missing_ok=True)


@contextmanager
def writer_lock(db_path: Path) -> Iterator[None]:
    """The one-writer-at-a-time lock (refresh, load-snapshot, restore); StoreError if taken."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    lock = _lock_path(db_path).open("w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        raise StoreError(
            f"{db_path}: another refresh is writing this database; try again"
        ) from None
    try:
        yield
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()
