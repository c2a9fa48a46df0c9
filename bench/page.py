"""Page-load benchmark: the Befolkning page in headless Chromium, cold and warm.

Builds a database from the embedded snapshot in a temp dir, starts `streamlit run app.py` on a
free port and times navigation → script state notRunning with a Plotly chart on the page.
Writes bench/results/page.json. Run: `.venv/bin/python bench/page.py`.

The server and browser helpers here are also used by tests/test_browser.py.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib.metadata import version as _version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "page.json"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
READY_JS = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    return app !== null
        && app.getAttribute("data-test-script-state") === "notRunning"
        && document.querySelector(".js-plotly-plot") !== null
        && document.querySelector("[data-testid='stSkeleton']") === null;
}"""


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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


@contextmanager
def serve(db: Path, port: int, log: Path, timeout: float = 60.0) -> Iterator[str]:
    """Run `streamlit run app.py` against db; yield its URL once /_stcore/health says ok."""
    env = {**os.environ, "STATS_DB": str(db)}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + timeout
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"streamlit exited with {proc.returncode}: see {log}")
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                        if resp.read().decode().strip() == "ok":
                            break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit not healthy after {timeout:.0f} s: see {log}")
                time.sleep(0.2)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def wait_ready(page: Any, timeout_ms: float = 60_000) -> None:
    """Wait until the script has finished, a Plotly chart is drawn and no skeleton remains."""
    page.wait_for_function(READY_JS, timeout=timeout_ms)


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
