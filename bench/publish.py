"""Publish benchmark: the 2024-06-17 seed meeting (8 charts) published with its PDF, then read.

Builds a database from the embedded snapshot in a temp dir and times
- publish: `publish_meeting` into an empty folder (browser start, 8 charts' pictures, DOCX,
  PPTX, XLSX, CSV, PNG and the PDF printed by Chromium), and a republish into the same folder;
- readers: the folder served by `python -m http.server` on 127.0.0.1, then 200 concurrent
  readers, each loading the meeting page and what it links in (CSS, scripts with the bundled
  plotly.min.js, the 8 pictures); median and 95th percentile per page load, and per HTML only.
Writes bench/results/publish.json. Run: `.venv/bin/python bench/publish.py`.
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
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "publish.json"
DATE = "2024-06-17"
READERS = 200


def _build(tmp: Path) -> Path:
    from stats.catalog.load import load_catalog
    from stats.ingest.snapshot import load_snapshot
    from stats.store.write import open_writer

    db = tmp / "stats.duckdb"
    with open_writer(db) as store:
        load_snapshot(store, tmp / "raw", load_catalog(), ROOT / "data" / "snapshot")
    return db


def _publish(db: Path, site: Path) -> float:
    from stats.meetings.files import find_meeting
    from stats.publish.site import publish_meeting
    from stats.store.write import open_reader

    meeting = find_meeting(ROOT / "tests" / "fixtures" / "meetings", DATE, "23")
    con = open_reader(db)
    try:
        start = time.perf_counter()
        publish_meeting(con, meeting, "23", site)
        return time.perf_counter() - start
    finally:
        con.close()


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=60) as answer:
        return len(answer.read())


def _reader(base: str, linked: list[str]) -> tuple[float, float]:
    """(seconds for the HTML, seconds for the whole page) of one reader."""
    start = time.perf_counter()
    _get(f"{base}/{DATE}/index.html")
    html = time.perf_counter() - start
    for path in linked:
        _get(f"{base}/{path}")
    return html, time.perf_counter() - start


def _readers(site: Path) -> dict[str, Any]:
    pictures = sorted(p.relative_to(site).as_posix() for p in (site / DATE).glob("bilder/*"))
    linked = ["assets/site.css", "assets/plotly.min.js", "assets/charts.js", *pictures]
    port = _port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=site, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                _get(f"{base}/index.html")
                break
            except OSError:
                time.sleep(0.05)
        with ThreadPoolExecutor(max_workers=READERS) as pool:
            times = list(pool.map(lambda _: _reader(base, linked), range(READERS)))
    finally:
        server.terminate()
        server.wait(10)
    html = sorted(t[0] for t in times)
    page = sorted(t[1] for t in times)
    return {
        "readers": READERS,
        "files_per_page": 1 + len(linked),
        "html_median_s": round(statistics.median(html), 4),
        "page_median_s": round(statistics.median(page), 4),
        "page_p95_s": round(page[int(0.95 * len(page)) - 1], 4),
    }


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-publish-") as tmp_name:
        tmp = Path(tmp_name)
        os.environ["STATS_DB"] = str(tmp / "stats.duckdb")
        os.environ["STATS_DATA_DIR"] = str(tmp)
        db = _build(tmp)
        site = tmp / "site"
        first = _publish(db, site)
        again = _publish(db, site)
        result = {
            "charts": 8,
            "publish_s": round(first, 2),
            "republish_s": round(again, 2),
            "pdf_bytes": (site / DATE / "filer" / f"{DATE}_statistik.pdf").stat().st_size,
            **_readers(site),
            "cpu_count": os.cpu_count(),
        }
        shutil.rmtree(site)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
