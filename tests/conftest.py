"""Shared fixtures: keep the developer's data out of tests; build databases from the snapshot."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from stats.catalog.load import load_catalog
from stats.config import ROOT
from stats.ingest.snapshot import load_snapshot
from stats.store.write import open_writer

# The moment every test database was "loaded" and the day the pages think it is: fixed, so no
# test depends on the day it runs.
LOADED_AT = datetime(2026, 6, 15, 6, 0, tzinfo=UTC)
TODAY = date(2026, 6, 15)
SEED_MEETINGS = Path(__file__).parent / "fixtures" / "meetings"


@pytest.fixture(autouse=True)
def isolated_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own database and raw archive; the snapshot is the repo's."""
    monkeypatch.setenv("STATS_DB", str(tmp_path / "stats.duckdb"))
    monkeypatch.setenv("STATS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("STATS_SNAPSHOT_DIR", str(ROOT / "data" / "snapshot"))
    monkeypatch.delenv("STATS_HOME_REGION", raising=False)
    # no test sees the working tree's meetings or today's date unless it sets them itself
    monkeypatch.setenv("STATS_MEETINGS_DIR", str(tmp_path / "meetings"))
    monkeypatch.setenv("STATS_TODAY", TODAY.isoformat())
    yield tmp_path


@pytest.fixture
def meetings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the seed meetings (tests/fixtures/meetings) that tests may change."""
    folder = tmp_path / "meetings"
    shutil.copytree(SEED_MEETINGS, folder, dirs_exist_ok=True)
    monkeypatch.setenv("STATS_MEETINGS_DIR", str(folder))
    return folder


@pytest.fixture
def snapshot_db(tmp_path: Path) -> Path:
    """A database loaded from the embedded snapshot (real SCB TAB6471 data)."""
    db = tmp_path / "stats.duckdb"
    with open_writer(db) as store:
        outcomes = load_snapshot(
            store,
            tmp_path / "data" / "raw",
            load_catalog(),
            ROOT / "data" / "snapshot",
            now=lambda: LOADED_AT,
        )
    assert all(o.ok for o in outcomes), outcomes
    return db
