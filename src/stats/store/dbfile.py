"""The live database file: is it whole, the copy a writer works on and swaps in, its identity,
and the read-only connections readers open through per-version links.

Wholeness is a full read of every table, so a damaged file fails on open.

DuckDB keeps a checksum per block and checks it on read: a file with random bytes in its
header fails to connect, one with damaged or missing blocks (truncated, overwritten) fails only
when those blocks are read. Reading every row once finds both; for this project's few-MB
database it takes milliseconds.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import duckdb

from stats.errors import StoreError
from stats.store.schema import use_home

log = logging.getLogger(__name__)

RECOVERY = "restore a backup with `stats restore FILE` or rebuild it with `stats load-snapshot`"


class DamagedDatabase(StoreError):
    """The database file cannot be read in full: its message names the file and the way back."""


def damaged(db_path: Path, exc: BaseException) -> DamagedDatabase:
    """The error for a database file DuckDB refused to read."""
    detail = " ".join(str(exc).split())[:200]
    return DamagedDatabase(
        f"{db_path}: cannot open the database, the file is damaged ({detail}); {RECOVERY}"
    )


def check_connection(con: duckdb.DuckDBPyConnection, db_path: Path) -> None:
    """Read every row of every table once; DamagedDatabase if any block is unreadable."""
    try:
        tables = con.execute(
            "select table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' and table_schema = 'main'"
        ).fetchall()
        for (table,) in tables:
            con.execute(f'select count(*), max(hash(t)) from "{table}" t').fetchall()
    except duckdb.Error as exc:
        raise damaged(db_path, exc) from None


def check_database(db_path: Path) -> None:
    """Open `db_path` read-only and read it in full; DamagedDatabase if that fails."""
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error as exc:
        raise damaged(db_path, exc) from None
    try:
        check_connection(con, db_path)
    finally:
        con.close()


def remove_stale_copies(db_path: Path) -> None:
    """Copies left by writers that died (we hold the lock, so no other writer is alive)."""
    for stale in db_path.parent.glob(f"{db_path.name}.new-*"):
        stale.unlink(missing_ok=True)


def open_copy(db_path: Path, work: Path, *, replace_damaged: bool) -> duckdb.DuckDBPyConnection:
    """A read-write connection to a fresh copy of the live file, checked to be whole."""
    if db_path.exists():
        shutil.copyfile(db_path, work)
    try:
        con = duckdb.connect(str(work))
    except duckdb.Error as exc:
        error: DamagedDatabase = damaged(db_path, exc)
    else:
        try:
            check_connection(con, db_path)
            return con
        except DamagedDatabase as exc:
            con.close()
            error = exc
    if not replace_damaged:
        raise error
    log.warning("%s; moved aside to %s.damaged, starting empty", error, db_path.name)
    os.replace(db_path, db_path.with_name(db_path.name + ".damaged"))
    work.unlink(missing_ok=True)
    Path(f"{work}.wal").unlink(missing_ok=True)
    return duckdb.connect(str(work))


def swap_in(work: Path, db_path: Path) -> None:
    """Make the copy durable, then replace the live file with it in one rename."""
    with work.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(work, db_path)
    dir_fd = os.open(db_path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def reader_link(db_path: Path) -> Path:
    """A hard link named after the live file's inode, so each file version is its own path.

    DuckDB keeps one database instance per path in a process: a second connection to the same
    path after a writer swapped the file would reuse the old, still-open instance and show old
    data. A per-inode name gives every version its own instance; the link keeps that version
    readable until its readers close, and the next writer removes links to old versions.
    """
    for _ in range(3):
        st = db_path.stat()
        link = db_path.with_name(f".{db_path.name}.{st.st_ino}.ro")
        if not link.exists():
            tmp = link.with_name(f"{link.name}.{os.getpid()}.tmp")
            tmp.unlink(missing_ok=True)
            os.link(db_path, tmp)
            os.replace(tmp, link)
        if link.stat().st_ino == st.st_ino:
            return link
    raise StoreError(f"{db_path}: the file keeps changing while it is opened; try again")


def remove_old_links(db_path: Path) -> None:
    """Drop reader links to replaced versions (open readers keep their version until closed)."""
    live = db_path.stat().st_ino
    for link in db_path.parent.glob(f".{db_path.name}.*.ro"):
        if link.stat().st_ino != live:
            link.unlink(missing_ok=True)


def db_signature(db_path: Path) -> tuple[int, int] | None:
    """Identity of the live file (inode, mtime); changes whenever a writer swaps it in."""
    try:
        st = db_path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns)


def open_reader(db_path: Path, home: str | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the live database (never blocks and is never blocked),
    serving the releases fetched for `home` (default: the configured home län)."""
    if not db_path.exists():
        raise StoreError(f"{db_path}: no database yet; run `stats load-snapshot` or `make run`")
    try:
        path = reader_link(db_path)
    except OSError:
        path = db_path  # a file system without hard links: the path itself
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise damaged(db_path, exc) from None
    use_home(con, home)
    return con
