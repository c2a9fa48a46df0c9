"""Publish benchmark: a frozen meeting of 8 charts published with its PDF, then read.

The meeting is bench/meeting.py's (8 charts over series the snapshot holds, frozen), because the
seed meeting 2024-06-17 has data for only 2 of its 8 charts in the snapshot; the seed meeting's
publish time is also measured, for comparison with earlier runs. Builds a database from the
embedded snapshot in a temp dir and times
- publish: `publish_meeting` into an empty folder (browser start, 8 charts' pictures, DOCX,
  PPTX, XLSX, CSV, PNG and the PDF printed by Chromium), then twice more into the same folder
  (warm: Python imports and caches loaded; each publish starts its own Chromium);
- readers: the folder served by `python -m http.server` on 127.0.0.1, then 200 concurrent
  readers, each loading the meeting page and what it links in (CSS, scripts with the bundled
  plotly.min.js, the 8 pictures); median and 95th percentile per page load, and per HTML only;
- live sessions: `streamlit run app.py` on 127.0.0.1 over the same database, then 20 concurrent
  sessions of `/mote?datum=2099-01-01`, each a page load in its own context of one headless
  Chromium, timed until the script has finished and every chart is drawn (after one warm-up
  session, so the server's caches are warm); and, measured the same way, 20 concurrent browser
  readers of the static page until its charts are drawn, and one reader alone until the first
  chart is drawn (the target: under 0.5 s). The ratios: live sessions' median over
  the 200 static readers' median, and over the 20 static browser readers' median.
On this shared 2-core machine the browser, the server and the readers compete for the cores:
compare figures from the same run. Writes bench/results/publish.json.
Run: `.venv/bin/python bench/publish.py`.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from stats.app.server import CHROMIUM_ARGS, free_port, serve

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results" / "publish.json"
SEED = "2024-06-17"
READERS = 200
SESSIONS = 20
MEETINGS_SEED = ROOT / "tests" / "fixtures" / "meetings"
# the live page: the script has finished, no skeleton is left and every chart is drawn
LIVE_JS = """(charts) => {
    const app = document.querySelector("[data-testid='stApp']");
    return app !== null
        && app.getAttribute("data-test-script-state") === "notRunning"
        && document.querySelectorAll(".js-plotly-plot").length >= charts
        && document.querySelector("[data-testid='stSkeleton']") === null;
}"""
# the static page: charts.js has drawn every chart
STATIC_JS = "(charts) => document.querySelectorAll('.chart.drawn .js-plotly-plot').length >= charts"


def _build(tmp: Path) -> Path:
    from stats.catalog.load import load_catalog
    from stats.ingest.snapshot import load_snapshot
    from stats.store.write import open_writer

    db = tmp / "stats.duckdb"
    with open_writer(db) as store:
        load_snapshot(store, tmp / "raw", load_catalog(), ROOT / "data" / "snapshot")
    return db


def _publish(db: Path, site: Path, folder: Path = MEETINGS_SEED, date: str = SEED) -> float:
    from stats.meetings.files import find_meeting
    from stats.publish.site import publish_meeting
    from stats.store.write import open_reader

    meeting = find_meeting(folder, date, "23")
    con = open_reader(db)
    try:
        start = time.perf_counter()
        publish_meeting(con, meeting, "23", site)
        return time.perf_counter() - start
    finally:
        con.close()


async def _session(browser: Any, url: str, ready_js: str, charts: int) -> float:
    """Seconds from navigation until `ready_js` holds, in a fresh browser context."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = await context.new_page()
        start = time.perf_counter()
        await page.goto(url, wait_until="commit")
        await page.wait_for_function(ready_js, arg=charts, timeout=300_000)
        return time.perf_counter() - start
    finally:
        await context.close()


async def _browser_sessions(url: str, ready_js: str, charts: int) -> list[float]:
    """One warm-up session, then SESSIONS at once in contexts of one headless Chromium."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=shutil.which("chromium"), headless=True, args=CHROMIUM_ARGS
        )
        try:
            await _session(browser, url, ready_js, charts)
            return list(
                await asyncio.gather(
                    *(_session(browser, url, ready_js, charts) for _ in range(SESSIONS))
                )
            )
        finally:
            await browser.close()


async def _alone(url: str, ready_js: str, charts: int, runs: int = 5) -> list[float]:
    """One reader at a time (after a warm-up): seconds until `charts` charts are drawn."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=shutil.which("chromium"), headless=True, args=CHROMIUM_ARGS
        )
        try:
            await _session(browser, url, ready_js, charts)
            return [await _session(browser, url, ready_js, charts) for _ in range(runs)]
        finally:
            await browser.close()


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=300) as answer:
        return len(answer.read())


def _reader(base: str, page: str, linked: list[str]) -> tuple[float, float]:
    """(seconds for the HTML, seconds for the whole page) of one reader."""
    start = time.perf_counter()
    _get(f"{base}/{page}")
    html = time.perf_counter() - start
    for path in linked:
        _get(f"{base}/{path}")
    return html, time.perf_counter() - start


@contextmanager
def _static_server(site: Path) -> Iterator[str]:
    """`python -m http.server` serving the site on loopback; yields its base URL."""
    port = free_port()
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
        yield base
    finally:
        server.terminate()
        server.wait(10)


def _readers(base: str, site: Path, date: str) -> dict[str, Any]:
    pictures = sorted(p.relative_to(site).as_posix() for p in (site / date).glob("bilder/*"))
    linked = ["assets/site.css", "assets/plotly.min.js", "assets/charts.js", *pictures]
    with ThreadPoolExecutor(max_workers=READERS) as pool:
        times = list(
            pool.map(lambda _: _reader(base, f"{date}/index.html", linked), range(READERS))
        )
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
    from bench.meeting import CHARTS, DATE, write_meeting

    with tempfile.TemporaryDirectory(prefix="bench-publish-") as tmp_name:
        tmp = Path(tmp_name)
        os.environ["STATS_DB"] = str(tmp / "stats.duckdb")
        os.environ["STATS_DATA_DIR"] = str(tmp)
        db = _build(tmp)
        site = tmp / "site"
        meetings = tmp / "meetings"
        write_meeting(db, meetings)
        os.environ["STATS_MEETINGS_DIR"] = str(meetings)
        first = _publish(db, site, meetings, DATE)
        warm = [_publish(db, site, meetings, DATE) for _ in range(2)]
        seed = _publish(db, tmp / "seed-site")
        result: dict[str, Any] = {
            "meeting": DATE,
            "charts": len(CHARTS),
            "publish_first_s": round(first, 2),
            "publish_warm_s": [round(t, 2) for t in warm],
            "publish_seed_2024_06_17_s": round(seed, 2),
            "load_average_1min": round(os.getloadavg()[0], 1),
            "pdf_bytes": (site / DATE / "filer" / f"{DATE}_statistik.pdf").stat().st_size,
        }
        with _static_server(site) as base:
            result |= _readers(base, site, DATE)
            static_page = f"{base}/{DATE}/index.html"
            static_browser = asyncio.run(_browser_sessions(static_page, STATIC_JS, len(CHARTS)))
            # the target: one reader, local server, under 0.5 s to the first chart
            first_chart = asyncio.run(_alone(static_page, STATIC_JS, 1))
        with serve(db, free_port(), tmp / "streamlit.log") as url:
            live_page = f"{url}/mote?datum={DATE}"
            live = asyncio.run(_browser_sessions(live_page, LIVE_JS, len(CHARTS)))
        result |= {
            "static_browser_sessions": SESSIONS,
            "static_browser_median_s": round(statistics.median(static_browser), 3),
            "static_first_chart_alone_median_s": round(statistics.median(first_chart), 3),
            "live_sessions": SESSIONS,
            "live_median_s": round(statistics.median(live), 3),
            "live_p95_s": round(sorted(live)[int(0.95 * SESSIONS) - 1], 3),
        }
        result["ratio_live_to_static_readers"] = round(
            result["live_median_s"] / result["page_median_s"], 1
        )
        result["ratio_live_to_static_browser"] = round(
            result["live_median_s"] / result["static_browser_median_s"], 1
        )
        result["cpu_count"] = os.cpu_count()
        shutil.rmtree(site)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
