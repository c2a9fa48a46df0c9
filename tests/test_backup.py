"""`stats backup` / `stats restore`: a round trip gives back every table and file; a tampered
or hostile archive is refused before anything on disk changes."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
from pathlib import Path
from typing import Any

import duckdb
import pytest

from stats.cli import main
from stats.ops.backup import Targets, write_backup
from stats.ops.restore import BadArchive, restore_backup
from stats.store.dbfile import DamagedDatabase, db_signature, open_reader
from stats.store.write import open_writer
from tests.conftest import LOADED_AT
from tests.store_checks import query


def tables(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every base table, sorted."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_type = 'BASE TABLE'"
            ).fetchall()
        ]
        return {n: con.execute(f'select * from "{n}" order by all').fetchall() for n in names}
    finally:
        con.close()


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def state(
    t: Targets,
) -> tuple[dict[str, list[tuple[Any, ...]]], dict[str, bytes], dict[str, bytes]]:
    return tables(t.db), files(t.meetings), files(t.raw)


@pytest.fixture
def targets(snapshot_db: Path, meetings: Path, tmp_path: Path) -> Targets:
    """The snapshot database, the seed meetings and the raw archive the snapshot load wrote."""
    t = Targets(db=snapshot_db, meetings=meetings, raw=tmp_path / "data" / "raw")
    assert any(t.raw.rglob("*.gz")) and any(t.meetings.glob("*.toml"))
    return t


@pytest.fixture
def small(tmp_path: Path) -> Targets:
    """A store with one fetch-log row, two meeting files and two raw files: enough for the
    refusal tests, which never get as far as the contents."""
    t = Targets(db=tmp_path / "s.duckdb", meetings=tmp_path / "m", raw=tmp_path / "r")
    with open_writer(t.db) as store:
        store.log_fetch("x", LOADED_AT, ok=True, outcome="unchanged")
    for folder, name in [(t.meetings, "2024-06-17.toml"), (t.raw, "scb/T/a.json.gz")]:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"content of " + name.encode())
    (t.meetings / "2024-08-26.toml").write_bytes(b"second")
    (t.raw / "MANIFEST.jsonl").write_bytes(b"{}\n")
    return t


def test_round_trip_gives_back_every_table_and_file(targets: Targets, tmp_path: Path) -> None:
    before = state(targets)
    archive = write_backup(targets, tmp_path / "b" / "backup.tar.gz", LOADED_AT)
    targets.db.unlink()
    next(targets.meetings.glob("*.toml")).write_text("changed", encoding="utf-8")
    (targets.meetings / "2099-01-01.toml").write_text("new", encoding="utf-8")
    shutil.rmtree(targets.raw / "scb")
    restored = restore_backup(archive, targets)
    assert state(targets) == before
    assert restored.files == 1 + len(before[1]) + len(before[2])
    # what was there before the restore is kept beside it
    assert (targets.meetings.with_name("meetings.pre-restore") / "2099-01-01.toml").exists()


def test_cli_backup_and_restore(
    targets: Targets, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = state(targets)
    out = tmp_path / "nightly.tar.gz"
    assert main(["backup", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip().endswith("nightly.tar.gz")
    targets.db.write_bytes(b"broken")
    assert main(["restore", str(out)]) == 0
    assert "återställt" in capsys.readouterr().err
    assert state(targets) == before


def rebuild(archive: Path, out: Path, change: Any) -> Path:
    """A copy of `archive` with its members passed through `change(name, data)`, which returns
    a list of (TarInfo, bytes) to write instead (the manifest is kept as it was)."""
    with tarfile.open(archive, "r:gz") as src, tarfile.open(out, "w:gz") as dst:
        for member in src:
            fh = src.extractfile(member)
            data = fh.read() if fh else b""
            for info, content in change(member, data):
                dst.addfile(info, io.BytesIO(content) if info.isreg() else None)
    return out


def keep(member: tarfile.TarInfo, data: bytes) -> list[tuple[tarfile.TarInfo, bytes]]:
    return [(member, data)]


def extra(
    name: str, data: bytes = b"x", kind: bytes = tarfile.REGTYPE, link: str = ""
) -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.type, info.size, info.linkname = kind, len(data) if kind == tarfile.REGTYPE else 0, link
    return info, data


def flip_meeting(member: tarfile.TarInfo, data: bytes) -> list[tuple[tarfile.TarInfo, bytes]]:
    if member.name.startswith("meetings/"):
        data = data[:-1] + bytes([data[-1] ^ 1])  # same size, one bit changed
    return [(member, data)]


def hostile(entry: tuple[tarfile.TarInfo, bytes]) -> Any:
    def change(member: tarfile.TarInfo, data: bytes) -> list[tuple[tarfile.TarInfo, bytes]]:
        if member.name == "MANIFEST.json":  # list the extra member, so only its path is wrong
            manifest = json.loads(data)
            info, content = entry
            digest = hashlib.sha256(content).hexdigest()
            manifest["files"].append({"path": info.name, "size": info.size, "sha256": digest})
            data = json.dumps(manifest).encode()
            member.size = len(data)
            return [entry, (member, data)]
        return [(member, data)]

    return change


def drop_raw(member: tarfile.TarInfo, data: bytes) -> list[tuple[tarfile.TarInfo, bytes]]:
    return [] if member.name.startswith("raw/") else [(member, data)]


CASES = {
    "tampered": (flip_meeting, "does not match its sha256"),
    "missing": (drop_raw, "lists files the archive lacks"),
    "unlisted": (
        lambda m, d: (
            [*keep(m, d), extra("raw/extra.gz")] if m.name == "db/stats.duckdb" else keep(m, d)
        ),
        "not in MANIFEST.json",
    ),
    "dotdot": (hostile(extra("raw/../../escaped")), "not a plain path"),
    "absolute": (hostile(extra("/tmp/escaped-stats-test")), "not a plain path"),
    "outside": (hostile(extra("etc/passwd")), "not a plain path"),
    "symlink": (
        hostile(extra("raw/link", b"", tarfile.SYMTYPE, "/etc/passwd")),
        "not a regular file",
    ),
    "hardlink": (
        hostile(extra("raw/hard", b"", tarfile.LNKTYPE, "db/stats.duckdb")),
        "not a regular file",
    ),
    "device": (hostile(extra("raw/dev", b"", tarfile.CHRTYPE)), "not a regular file"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_tampered_or_hostile_archive_is_refused_and_nothing_changes(
    small: Targets, tmp_path: Path, case: str
) -> None:
    targets = small
    change, message = CASES[case]
    good = write_backup(targets, tmp_path / "good.tar.gz", LOADED_AT)
    bad = rebuild(good, tmp_path / "bad.tar.gz", change)
    before = state(targets)
    listing = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(BadArchive, match=message):
        restore_backup(bad, targets)
    assert state(targets) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing  # no staging left, no escape
    assert not Path("/tmp/escaped-stats-test").exists()


def test_not_an_archive_is_refused(small: Targets, tmp_path: Path) -> None:
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"\x1f\x8b not really gzip")
    with pytest.raises(BadArchive, match=r"not a readable tar.gz|cannot be read"):
        restore_backup(junk, small)


def test_a_damaged_database_is_not_backed_up(small: Targets, tmp_path: Path) -> None:
    small.db.write_bytes(b"not a database" * 100)
    with pytest.raises(DamagedDatabase):
        write_backup(small, tmp_path / "x.tar.gz", LOADED_AT)
    assert not (tmp_path / "x.tar.gz").exists()


def test_a_replica_copy_opens_read_only_and_a_swapped_in_copy_is_seen(
    targets: Targets, tmp_path: Path
) -> None:
    """docs/drift.md: replicas get a copy of the file and rename each new one over the old."""
    replica = tmp_path / "replica" / "stats.duckdb"
    replica.parent.mkdir()
    shutil.copyfile(targets.db, replica)
    first = db_signature(replica)
    con = open_reader(replica)
    assert con.execute("select count(*) from latest").fetchall() == query(
        targets.db, "select count(*) from latest"
    )
    with open_writer(targets.db) as store:
        store.log_fetch("replica_test", LOADED_AT, ok=True, outcome="unchanged")
    staged = replica.with_name("stats.duckdb.incoming")
    shutil.copyfile(targets.db, staged)
    os.replace(staged, replica)
    assert db_signature(replica) != first  # the app's cache key changes, so it reopens
    fresh = open_reader(replica)
    assert fresh.execute(
        "select count(*) from fetch_log where series_id = 'replica_test'"
    ).fetchall() == [(1,)]
    assert con.execute(
        "select count(*) from fetch_log where series_id = 'replica_test'"
    ).fetchall() == [(0,)]
    con.close()
    fresh.close()
