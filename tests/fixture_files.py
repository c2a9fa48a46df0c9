"""One loader for recorded fixtures under tests/fixtures (listed in MANIFEST.toml)."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def load_fixture(relpath: str) -> bytes:
    """Return the raw bytes of ``tests/fixtures/<relpath>``, e.g. ``scb/TAB6471_data.json``."""
    return (FIXTURES / relpath).read_bytes()
