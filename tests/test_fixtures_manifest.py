"""Every fixture file is listed in MANIFEST.toml; recorded ones with provenance and a sha256."""

from __future__ import annotations

import hashlib
import tomllib
from typing import Any

import pytest

from tests.fixture_files import FIXTURES

RECORDED_KEYS = {"origin_repo", "origin_path", "commit", "sha256", "kind", "description"}


def _manifest() -> dict[str, Any]:
    return tomllib.loads((FIXTURES / "MANIFEST.toml").read_text(encoding="utf-8"))


def _fixture_files() -> list[str]:
    return sorted(
        path.relative_to(FIXTURES).as_posix()
        for path in FIXTURES.rglob("*")
        if path.is_file()
        and path.name != "MANIFEST.toml"
        and path.suffix not in {".py", ".pyc"}
        and "__pycache__" not in path.parts
    )


def _hand_built_folders() -> list[str]:
    return [key for key, entry in _manifest().items() if entry.get("kind") == "hand-built"]


def _recorded() -> list[str]:
    return sorted(key for key, entry in _manifest().items() if entry.get("kind") != "hand-built")


def test_every_fixture_file_is_listed() -> None:
    listed = set(_recorded())
    folders = tuple(_hand_built_folders())
    unlisted = [f for f in _fixture_files() if f not in listed and not f.startswith(folders)]
    assert not unlisted, f"add these to tests/fixtures/MANIFEST.toml: {unlisted}"


def test_hand_built_entries_are_existing_folders() -> None:
    for folder in _hand_built_folders():
        assert folder.endswith("/"), f"hand-built entry {folder!r} must name a folder ending in /"
        assert any((FIXTURES / folder).iterdir()), f"hand-built folder {folder!r} is empty"
        assert _manifest()[folder].get("description"), f"{folder!r} needs a description"


@pytest.mark.parametrize("relpath", _recorded())
def test_recorded_fixture_exists_with_provenance_and_hash(relpath: str) -> None:
    entry = _manifest()[relpath]
    assert set(entry) >= RECORDED_KEYS, f"{relpath}: missing {RECORDED_KEYS - set(entry)}"
    assert entry["kind"] == "recorded"
    assert len(entry["commit"]) == 40
    path = FIXTURES / relpath
    assert path.is_file(), f"{relpath} is listed but not present"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"], (
        f"{relpath} differs from its recorded sha256; fixtures must not be edited by hand"
    )
