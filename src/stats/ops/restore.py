"""`stats restore FILE`: check a backup archive in full, then swap it in.

The archive is treated as hostile. Every member must be a regular file at a plain relative path
under db/, meetings/ or raw/ (no links, devices, absolute paths or `..`), listed once in the
manifest with its size and sha256, and the manifest may list nothing that is missing. Members
are streamed into staging folders beside their targets and hashed on the way; the database
must open and read in full. Only then is anything replaced: each of the database, the meetings
folder and the raw archive by one rename, under the writers' lock. What was there before is
kept beside it as `<name>.pre-restore` until the next restore.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from stats.errors import StoreError
from stats.ops.backup import DB_MEMBER, FORMAT, MANIFEST, TREES, Targets
from stats.store.dbfile import check_database
from stats.store.write import writer_lock

MAX_MANIFEST_BYTES = 16 << 20
MAX_MEMBERS = 200_000


class BadArchive(StoreError):
    """The archive is not a backup this program wrote, or it was changed after it was written."""


@dataclass(frozen=True)
class Restored:
    """What a restore put back."""

    files: int
    bytes: int


def _safe_name(name: str) -> str:
    """The member name if it is a plain relative path under db/, meetings/ or raw/."""
    path = PurePosixPath(name)
    parts = path.parts
    if (
        not parts
        or path.is_absolute()
        or "\\" in name
        or any(p in ("", ".", "..") for p in parts)
        or str(path) != name
        or (name != DB_MEMBER and (parts[0] not in TREES or len(parts) < 2))
    ):
        raise BadArchive(f"member {name!r} is not a plain path under db/, meetings/ or raw/")
    return name


def _read_manifest(tar: tarfile.TarFile, member: tarfile.TarInfo) -> dict[str, dict[str, Any]]:
    """path -> {size, sha256} from MANIFEST.json, checked for shape."""
    if not member.isreg() or member.size > MAX_MANIFEST_BYTES:
        raise BadArchive(f"{MANIFEST} is not a regular file of sane size")
    fh = tar.extractfile(member)
    assert fh is not None
    try:
        manifest = json.loads(fh.read())
        files = {str(f["path"]): f for f in manifest["files"]}
        ok = manifest.get("format") == FORMAT and len(files) == len(manifest["files"])
        ok = ok and all(
            isinstance(f["size"], int) and isinstance(f["sha256"], str) for f in files.values()
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise BadArchive(f"{MANIFEST} is not a backup manifest: {exc}") from None
    if not ok or DB_MEMBER not in files:
        raise BadArchive(f"{MANIFEST} is not a {FORMAT} manifest with {DB_MEMBER}")
    return files


def _members(tar: tarfile.TarFile) -> tuple[dict[str, dict[str, Any]], list[tarfile.TarInfo]]:
    """The manifest and the file members, every one checked against it."""
    members, seen = [], set()
    manifest: dict[str, dict[str, Any]] | None = None
    for count, member in enumerate(tar, start=1):
        if count > MAX_MEMBERS:
            raise BadArchive(f"more than {MAX_MEMBERS} members")
        if member.name == MANIFEST and manifest is None:
            manifest = _read_manifest(tar, member)
            continue
        name = _safe_name(member.name)
        if not member.isreg():
            raise BadArchive(f"member {name!r} is not a regular file (link, folder or device)")
        if name in seen:
            raise BadArchive(f"member {name!r} appears twice")
        seen.add(name)
        members.append(member)
    if manifest is None:
        raise BadArchive(f"no {MANIFEST}")
    for member in members:
        entry = manifest.get(member.name)
        if entry is None or entry["size"] != member.size:
            raise BadArchive(f"member {member.name!r} is not in {MANIFEST} with its size")
    missing = sorted(set(manifest) - seen)
    if missing:
        raise BadArchive(f"{MANIFEST} lists files the archive lacks: {', '.join(missing[:5])}")
    return manifest, members


def _target(targets: Targets, name: str) -> Path:
    return targets.db if name == DB_MEMBER else targets.tree(name.split("/", 1)[0])


def _staged_path(stage: dict[Path, Path], targets: Targets, name: str) -> Path:
    """Where a member is written: inside the staging folder beside its target, never outside."""
    target = _target(targets, name)
    folder = stage[target]
    out = folder / "file" if name == DB_MEMBER else folder / name.split("/", 1)[1]
    if not out.resolve().is_relative_to(folder.resolve()):
        raise BadArchive(f"member {name!r} would be written outside {folder}")
    return out


def _extract(tar: tarfile.TarFile, member: tarfile.TarInfo, out: Path, sha256: str) -> None:
    """Stream one member to `out`, hashing it; BadArchive if the bytes differ from the manifest."""
    out.parent.mkdir(parents=True, exist_ok=True)
    src = tar.extractfile(member)
    assert src is not None
    digest = hashlib.sha256()
    with out.open("xb") as dst:
        for block in iter(lambda: src.read(1 << 20), b""):
            digest.update(block)
            dst.write(block)
    if digest.hexdigest() != sha256:
        raise BadArchive(f"member {member.name!r} does not match its sha256 in {MANIFEST}")


@contextmanager
def _staging(targets: Targets) -> Iterator[dict[Path, Path]]:
    """One empty staging folder beside each target; removed afterwards whatever happens."""
    stage = {}
    try:
        for target in (targets.db, targets.meetings, targets.raw):
            target.parent.mkdir(parents=True, exist_ok=True)
            folder = target.with_name(f".{target.name}.restore-{os.getpid()}")
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            stage[target] = folder
        yield stage
    finally:
        for folder in stage.values():
            shutil.rmtree(folder, ignore_errors=True)


def _swap(staged: Path, target: Path) -> None:
    """Keep the current version as `<name>.pre-restore` and rename the staged one in."""
    kept = target.with_name(target.name + ".pre-restore")
    if kept.is_dir():
        shutil.rmtree(kept)
    else:
        kept.unlink(missing_ok=True)
    if target.exists():
        os.replace(target, kept)
    os.replace(staged, target)


def restore_backup(archive: Path, targets: Targets) -> Restored:
    """Check `archive` in full, then replace the database, meetings and raw archive with it."""
    try:
        tar = tarfile.open(archive, "r:gz")  # noqa: SIM115 (closed by the with below)
    except (OSError, tarfile.TarError) as exc:
        raise BadArchive(f"{archive}: not a readable tar.gz: {exc}") from None
    with tar, _staging(targets) as stage:
        try:
            manifest, members = _members(tar)
            for member in members:
                out = _staged_path(stage, targets, member.name)
                _extract(tar, member, out, manifest[member.name]["sha256"])
        except (OSError, tarfile.TarError, EOFError) as exc:
            raise BadArchive(f"{archive}: cannot be read in full: {exc}") from None
        check_database(stage[targets.db] / "file")
        with writer_lock(targets.db):
            _swap(stage[targets.db] / "file", targets.db)
            for tree in TREES:
                (stage[targets.tree(tree)]).mkdir(exist_ok=True)
                _swap(stage[targets.tree(tree)], targets.tree(tree))
    return Restored(len(members), sum(m.size for m in members))
