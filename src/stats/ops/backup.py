"""`stats backup`: one tar.gz of the database, the meetings and the raw archive, with a manifest.

Layout inside the archive (every member a regular file):

    MANIFEST.json          {"format", "created_at", "files": [{"path", "size", "sha256"}]}
    db/stats.duckdb        the live database, checked whole before it is archived
    meetings/<file>        the meeting TOML files
    raw/<file>             the raw-response archive (gzip bodies and MANIFEST.jsonl)

The live database file is never changed in place (writers swap in a new file), so reading it
through one open file descriptor gives a consistent copy while the app and a refresh run.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from stats.errors import StoreError
from stats.store.dbfile import check_database

FORMAT = "stats-backup/1"
MANIFEST = "MANIFEST.json"
DB_MEMBER = "db/stats.duckdb"
TREES = ("meetings", "raw")


@dataclass(frozen=True)
class Targets:
    """Where the backed-up things live on this machine."""

    db: Path
    meetings: Path
    raw: Path

    def tree(self, name: str) -> Path:
        return {"meetings": self.meetings, "raw": self.raw}[name]


def default_archive(backup_dir: Path, now: datetime) -> Path:
    """`<dir>/stats-backup-20260615T060000Z.tar.gz`."""
    return backup_dir / f"stats-backup-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}.tar.gz"


def _tree_files(root: Path) -> Iterator[tuple[str, Path]]:
    """(relative posix path, path) of every regular file under root, sorted; links skipped."""
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path.relative_to(root).as_posix(), path


def _sha256_of(fh: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: fh.read(1 << 20), b""):
        digest.update(block)
    return digest.hexdigest()


def _add(tar: tarfile.TarFile, name: str, fh: IO[bytes], size: int) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o644, 0
    tar.addfile(info, fh)


def _add_file(tar: tarfile.TarFile, name: str, path: Path, files: list[dict[str, object]]) -> None:
    """Hash and add one file through a single descriptor, so both see the same bytes."""
    with path.open("rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        digest = _sha256_of(fh)
        fh.seek(0)
        _add(tar, name, fh, size)
    files.append({"path": name, "size": size, "sha256": digest})


def write_backup(targets: Targets, out: Path, now: datetime) -> Path:
    """Write the archive to `out` (atomically: a temporary file renamed at the end)."""
    if not targets.db.exists():
        raise StoreError(f"{targets.db}: no database to back up")
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".backup-") as tmp:
        db_copy = Path(tmp) / "stats.duckdb"
        with targets.db.open("rb") as src, db_copy.open("wb") as dst:
            shutil.copyfileobj(src, dst)
        check_database(db_copy)  # never rotate a good backup out for a damaged one
        partial = Path(tmp) / "archive.tar.gz"
        files: list[dict[str, object]] = []
        with tarfile.open(partial, "w:gz") as tar:
            _add_file(tar, DB_MEMBER, db_copy, files)
            for tree in TREES:
                for rel, path in _tree_files(targets.tree(tree)):
                    _add_file(tar, f"{tree}/{rel}", path, files)
            manifest = {"format": FORMAT, "created_at": now.isoformat(), "files": files}
            data = json.dumps(manifest, indent=1, ensure_ascii=False).encode("utf-8")
            _add(tar, MANIFEST, io.BytesIO(data), len(data))
        with partial.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, out)
    return out
