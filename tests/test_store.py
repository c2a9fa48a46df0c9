"""The store: atomic swap while a reader (the app) holds the database open, one writer at a time."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest
import responses

from stats.errors import StoreError
from stats.store.dbfile import db_signature, open_reader
from stats.store.write import open_writer
from tests.test_refresh import real_data, register_ok, run_refresh

READER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from stats.store.dbfile import db_signature, open_reader

    db = Path(sys.argv[1])
    con, sig = open_reader(db), db_signature(db)
    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() == "reopen" and db_signature(db) != sig:
            con.close()
            con, sig = open_reader(db), db_signature(db)
        n = con.execute(
            "select count(*) from release where series_id = 'folkmangd_manad'"
        ).fetchone()[0]
        v = con.execute(
            "select value from latest where region_code = '01' and period = '2026M01' "
            "and dims->>'$.Alder' = '0-9' and dims->>'$.Kon' = 'TotSa'"
        ).fetchone()[0]
        print(n, int(v), flush=True)
    """
)


def test_refresh_runs_while_another_process_holds_the_database(
    snapshot_db: Path, tmp_path: Path
) -> None:
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(snapshot_db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert reader.stdin is not None and reader.stdout is not None
    try:
        assert reader.stdout.readline().strip() == "ready"
        reader.stdin.write("query\n")
        reader.stdin.flush()
        assert reader.stdout.readline().split() == ["1", "245284"]
        # a naive writer is locked out while the app process has the file open
        with pytest.raises(duckdb.IOException):
            duckdb.connect(str(snapshot_db))
        revised = real_data()
        revised["value"][0] = 245300

        with responses.RequestsMock() as rsps:
            register_ok(rsps, json.dumps(revised).encode())
            outcome, _ = run_refresh(snapshot_db, tmp_path / "raw")
        assert outcome.ok and outcome.new, outcome
        # the open connection still answers from the file it opened ...
        reader.stdin.write("query\n")
        reader.stdin.flush()
        assert reader.stdout.readline().split() == ["1", "245284"]
        # ... and reopening after the swap shows the new release
        reader.stdin.write("reopen\n")
        reader.stdin.flush()
        assert reader.stdout.readline().split() == ["2", "245300"]
    finally:
        reader.stdin.close()
        reader.wait(timeout=10)
    assert reader.returncode == 0


def test_only_one_writer_at_a_time(tmp_path: Path) -> None:
    db = tmp_path / "stats.duckdb"
    with (
        open_writer(db),
        pytest.raises(StoreError, match="another refresh is writing"),
        open_writer(db),
    ):
        pass


def test_a_failed_write_leaves_the_live_file_untouched(snapshot_db: Path) -> None:
    before = db_signature(snapshot_db)
    with pytest.raises(RuntimeError), open_writer(snapshot_db) as store:
        store.con.execute("delete from observation")
        raise RuntimeError("crash mid-refresh")
    assert db_signature(snapshot_db) == before
    assert not list(snapshot_db.parent.glob("*.new-*"))
    con = open_reader(snapshot_db)
    assert con.execute(
        "select count(*) from latest where series_id = 'folkmangd_manad'"
    ).fetchone() == (2772,)


def test_reader_on_missing_database_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="run `stats load-snapshot`"):
        open_reader(tmp_path / "none.duckdb")


def test_a_reader_opened_after_a_swap_sees_the_new_file_in_the_same_process(
    snapshot_db: Path, tmp_path: Path
) -> None:
    old = open_reader(snapshot_db)  # the app's cached connection stays open
    count = "select count(*) from release where series_id = 'folkmangd_manad'"
    assert old.execute(count).fetchall() == [(1,)]
    revised = real_data()
    revised["value"][0] = 245300
    with responses.RequestsMock() as rsps:
        register_ok(rsps, json.dumps(revised).encode())
        outcome, _ = run_refresh(snapshot_db, tmp_path / "raw")
    assert outcome.ok and outcome.new
    new = open_reader(snapshot_db)
    assert new.execute(count).fetchall() == [(2,)]
    assert old.execute(count).fetchall() == [(1,)]
    links = list(snapshot_db.parent.glob(f".{snapshot_db.name}.*.ro"))
    assert len(links) == 1  # the writer removed the link to the replaced version
