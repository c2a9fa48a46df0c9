"""Page-load benchmark: the Befolkning page in headless Chromium, cold and warm.

Builds a database from the embedded snapshot in a temp dir, starts `streamlit run app.py` on a
free port and times navigation → script state notRunning with a Plotly chart on the page.
Writes bench/results/page.json. Run: `.venv/bin/python bench/page.py`.

The server and browser helpers live in stats.app.server, shared with tests/test_browser.py.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib.metadata import version as _version
from pathlib import Path

from stats.app.server import CHROMIUM_ARGS, free_port, serve, wait_ready

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "page.json"


def build_snapshot_db(workdir: Path) -> Path:
    """Load the embedded snapshot into workdir/stats.duckdb, as `stats load-snapshot` does."""
    from stats.catalog.load import load_catalog
    from stats.ingest.snapshot import load_snapshot
    from stats.store.write import open_writer

    db = workdir / "stats.duckdb"
    with open_writer(db) as store:
        outcomes = load_snapshot(store, workdir / "raw", load_catalog(), ROOT / "data" / "snapshot")
    failed = [o for o in outcomes if not o.ok]
    if failed:
        raise RuntimeError(f"snapshot load failed: {failed}")
    return db


def main() -> None:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("chromium not found on PATH (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="bench-page-") as tmp:
        workdir = Path(tmp)
        db = build_snapshot_db(workdir)
        with (
            serve(db, free_port(), workdir / "streamlit.log") as url,
            sync_playwright() as pw,
        ):
            browser = pw.chromium.launch(
                executable_path=chromium, headless=True, args=CHROMIUM_ARGS
            )
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            start = time.perf_counter()
            page.goto(f"{url}/befolkning", wait_until="commit")
            wait_ready(page)
            cold = time.perf_counter() - start
            warm = []
            for _ in range(5):
                start = time.perf_counter()
                page.reload(wait_until="commit")
                wait_ready(page)
                warm.append(time.perf_counter() - start)
            version = browser.version
            browser.close()
    result = {
        "page": "befolkning",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cold_s": round(cold, 3),
        "warm_median_s": round(statistics.median(warm), 3),
        "warm_runs_s": [round(w, 3) for w in warm],
        "chromium": version,
        "python": sys.version.split()[0],
        "streamlit": _version("streamlit"),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
