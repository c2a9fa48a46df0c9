"""A writer for tests/test_crash.py to kill: run as `python -m tests.crash_child MODE ...`.

refresh URL DB RAW   refresh the load catalog against the fake at URL, as `stats refresh` does
bulk DB ROWS         add one release of ROWS made-up rows (test-only, never in data/)
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from stats.ingest.refresh import refresh
from stats.sources.pxweb.scb import ScbClient
from stats.sources.pxweb.scb_source import ScbSource
from stats.store.write import LABEL_COLUMNS, open_writer
from tests.load_run import load_catalog_for_fake


def refresh_load(url: str, db: Path, raw: Path) -> None:
    catalog = load_catalog_for_fake()
    with open_writer(db) as store:
        refresh(store, raw, catalog, list(catalog.series), {"scb": ScbSource(ScbClient(url))}, "23")


def bulk_write(db: Path, rows: int) -> None:
    """A long write: many rows of a test-only series (the values are row numbers, not data)."""
    frame = pd.DataFrame(
        {
            "region_code": "23",
            "period": [f"p{i}" for i in range(rows)],
            "dims": "{}",
            "value": range(rows),
            "status": None,
            "preliminary": False,
        }
    )
    with open_writer(db) as store:
        print("writing", flush=True)
        store.add_release("crash_test_bulk", frame, {}, [], pd.DataFrame(columns=LABEL_COLUMNS))
        store.log_fetch("crash_test_bulk", datetime.now(UTC), ok=True, outcome="new release")


def main(argv: list[str]) -> int:
    if argv[0] == "refresh":
        refresh_load(argv[1], Path(argv[2]), Path(argv[3]))
    elif argv[0] == "bulk":
        bulk_write(Path(argv[1]), int(argv[2]))
    else:
        raise SystemExit(f"unknown mode {argv[0]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
