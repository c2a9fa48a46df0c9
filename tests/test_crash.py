"""Crash safety: a writer killed with SIGKILL mid-write leaves the store exactly as it was, the
lock file does not block the next writer, and a damaged database file fails clearly on open and
comes back with `stats load-snapshot`. The killed writers run in subprocesses (tests/crash_child.py)
against the loopback fake; about 10 s in all (marked `slow`).
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from stats.cli import main
from stats.errors import StoreError
from stats.store.dbfile import DamagedDatabase, check_database, open_reader
from stats.store.write import open_writer
from tests.fake_pxweb import FakePxWeb, running
from tests.load_run import client_for, load_catalog_for_fake
from tests.store_checks import dump, query

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def start_child(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.crash_child", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition: Callable[[], bool], child: subprocess.Popen[str], what: str) -> None:
    deadline = time.monotonic() + 30
    while not condition():
        if child.poll() is not None:
            raise AssertionError(f"the child ended before {what}: {child.communicate()}")
        if time.monotonic() > deadline:
            child.kill()
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def kill(child: subprocess.Popen[str]) -> None:
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=10)
    assert child.returncode == -signal.SIGKILL


def copies(db: Path) -> list[Path]:
    return sorted(db.parent.glob(f"{db.name}.new-*"))


def refresh_some(fake: FakePxWeb, db: Path, raw: Path, count: int) -> None:
    from stats.ingest.refresh import refresh
    from stats.sources.pxweb.scb_source import ScbSource

    catalog = load_catalog_for_fake()
    ids = list(catalog.series)[:count]
    with open_writer(db) as store:
        outcomes = refresh(store, raw, catalog, ids, {"scb": ScbSource(client_for(fake))}, "23")
    assert all(o.ok for o in outcomes), outcomes


def test_refresh_killed_mid_run_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    db, raw = tmp_path / "db.duckdb", tmp_path / "raw"
    with running(max_calls=1000, window=1.0) as fake:
        refresh_some(fake, db, raw, 4)
        before, digest = dump(db), sha256(db)
        fake.faults.slow_body = 0.1  # ~4 s for the whole catalog: time to kill it half-way
        child = start_child("refresh", fake.url, str(db), str(raw))
        posts = lambda: sum(1 for c in fake.calls if c.method == "POST")  # noqa: E731
        wait_for(lambda: posts() >= 12 + 20, child, "six more series fetched into the copy")
        assert copies(db), "the child should be writing its copy"
        kill(child)
        assert sha256(db) == digest and dump(db) == before
        assert (db.parent / f"{db.name}.lock").exists()  # left behind, but not held
        fake.faults.slow_body = 0
        refresh_some(fake, db, raw, 14)  # the next refresh is not blocked and completes
    assert copies(db) == []  # the dead writer's copy was cleared away
    [(series,)] = query(db, "select count(distinct series_id) from latest_release")
    assert series == 14
    for (path,) in query(db, "select raw_path from response"):
        assert (raw / path).is_file()  # every response the store names is archived


def test_bulk_write_killed_in_duckdb_leaves_the_store_as_it_was(snapshot_db: Path) -> None:
    before, digest = dump(snapshot_db), sha256(snapshot_db)
    child = start_child("bulk", str(snapshot_db), "1000000")
    wait_for(
        lambda: any(Path(f"{c}.wal").exists() for c in copies(snapshot_db)),
        child,
        "the write to reach DuckDB",
    )
    time.sleep(0.3)
    kill(child)
    assert sha256(snapshot_db) == digest and dump(snapshot_db) == before
    with open_writer(snapshot_db) as store:
        store.con.execute("select 1")
    assert copies(snapshot_db) == [] and dump(snapshot_db) == before


def damage_truncate(db: Path) -> None:
    with db.open("r+b") as fh:
        fh.truncate(db.stat().st_size // 2)


def damage_random(db: Path) -> None:
    db.write_bytes(os.urandom(db.stat().st_size))


def damage_block(db: Path) -> None:
    with db.open("r+b") as fh:
        fh.seek(db.stat().st_size // 2 // 4096 * 4096)
        fh.write(os.urandom(4096))


@pytest.mark.parametrize("damage", [damage_truncate, damage_random, damage_block])
def test_a_damaged_database_fails_clearly_and_load_snapshot_brings_it_back(
    snapshot_db: Path, damage: Callable[[Path], None], capsys: pytest.CaptureFixture[str]
) -> None:
    before = dump(snapshot_db)
    damage(snapshot_db)
    with pytest.raises(DamagedDatabase, match=r"damaged.*stats restore FILE.*stats load-snapshot"):
        check_database(snapshot_db)
    with pytest.raises(StoreError, match="damaged"), open_writer(snapshot_db):
        pass
    assert main(["refresh", "--series", "folkmangd_manad"]) == 1
    printed = " ".join(capsys.readouterr().err.split())
    assert "cannot open the database, the file is damaged" in printed
    assert main(["load-snapshot"]) == 0
    check_database(snapshot_db)
    assert (snapshot_db.parent / f"{snapshot_db.name}.damaged").exists()  # kept for inspection
    after = dump(snapshot_db)
    assert {t: len(rows) for t, rows in after.items()} == {t: len(r) for t, r in before.items()}
    open_reader(snapshot_db).close()
