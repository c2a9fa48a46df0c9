"""Meeting-page benchmark: a frozen meeting with 8 charts, cold, warm and 20 viewers at once.

Builds a database from the embedded snapshot, writes a benchmark meeting (8 charts over the
series the snapshot holds) into a temporary meetings folder, freezes it, starts the app and
times, in headless Chromium, navigation → script finished with all 8 Plotly charts drawn:
the first load (cold: new server, empty caches) and 5 reloads (warm).

20 concurrent viewers are simulated as 20 new sessions over Streamlit's websocket protocol,
started in the same instant against the running server: the server's work per viewer (each
real viewer draws the charts in their own browser). With --tabs the same 20 are also opened as
tabs of one Chromium on this 2-core machine, where the tabs' own Plotly rendering competes with
the server for the two cores.
Writes bench/results/meeting.json. Run: `.venv/bin/python -m bench.meeting`.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.page import CHROMIUM_ARGS, build_snapshot_db, free_port, serve
from stats.meetings.files import save_meeting
from stats.meetings.model import Highlight, Meeting, freeze
from stats.present.spec import spec_from_dict
from stats.store.write import open_reader

RESULTS = Path(__file__).parent / "results" / "meeting.json"
DATE = "2099-01-01"
CHARTS = [
    {"indicator": "arbetsmarknad_lan", "filters": {"measure": "arbetsloshet"},
     "regions": ["hemlan", "riket", "grannlan"]},
    {"indicator": "arbetsmarknad_lan", "filters": {"measure": "arbetsloshet"},
     "regions": ["lan"], "kind": "bar"},
    {"indicator": "manadsforandring", "filters": {"measure": "konkurser_regionfakta"},
     "regions": ["hemlan", "grannlan"]},
    {"indicator": "manadsforandring", "filters": {"measure": "konkurser_regionfakta"},
     "regions": ["lan"], "kind": "bar"},
    {"indicator": "manadsforandring", "filters": {"measure": "konkurser_regionfakta"},
     "regions": ["riket"], "value": "change"},
    {"indicator": "folkmangd_manad_total", "regions": ["hemlan"]},
    {"indicator": "folkmangd_manad_total", "regions": ["lan"], "kind": "bar"},
    {"indicator": "prognos_mot_utfall", "filters": {"source_kind": "statistiknyhet"},
     "regions": ["lan"], "split": "vintage", "kind": "bar"},
]  # fmt: skip
READY_8 = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    return app !== null
        && app.getAttribute("data-test-script-state") === "notRunning"
        && document.querySelectorAll(".js-plotly-plot").length >= 8
        && document.querySelector("[data-testid='stSkeleton']") === null;
}"""


def write_meeting(db: Path, folder: Path) -> None:
    charts = tuple(spec_from_dict(c, where=f"bench chart {i}") for i, c in enumerate(CHARTS))
    meeting = Meeting(
        date=DATE,
        title="Benchmark",
        charts=charts,
        highlights=(Highlight(text="Arbetslösheten i länet är lägre än i riket."),),
    )
    con = open_reader(db)
    try:
        frozen = freeze(con, meeting, by="bench", now=datetime.now(UTC))
    finally:
        con.close()
    save_meeting(folder, frozen, base_revision=0, by="bench")


async def concurrent(url: str, chromium: str, viewers: int) -> list[float]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        pages = [await browser.new_page(viewport={"width": 1400, "height": 1000})
                 for _ in range(viewers)]  # fmt: skip

        async def one(page: object) -> float:
            start = time.perf_counter()
            await page.goto(f"{url}/mote?datum={DATE}", wait_until="commit")  # type: ignore[attr-defined]
            await page.wait_for_function(READY_8, timeout=120_000)  # type: ignore[attr-defined]
            return time.perf_counter() - start

        times = await asyncio.gather(*(one(p) for p in pages))
        await browser.close()
        return list(times)


async def session(port: int, query: str, page: str) -> float:
    """One new viewer over Streamlit's own websocket protocol, without a browser: connect,
    ask for the page, wait until the script has finished and every element was sent."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    start = time.perf_counter()
    async with websockets.connect(
        f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], max_size=None
    ) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = page
        await ws.send(msg.SerializeToString())
        while True:
            reply = ForwardMsg()
            reply.ParseFromString(await ws.recv())
            if reply.WhichOneof("type") == "script_finished":
                if reply.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                    raise RuntimeError(f"the page did not finish: {reply.script_finished}")
                return time.perf_counter() - start


async def simulated_sessions(port: int, viewers: int, query: str, page: str) -> list[float]:
    """`viewers` new sessions started in the same instant; seconds until each is complete."""
    await session(port, query, page)  # the server has shown the page once
    return list(await asyncio.gather(*(session(port, query, page) for _ in range(viewers))))


def main() -> None:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("chromium not found on PATH (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="bench-meeting-") as tmp:
        workdir = Path(tmp)
        db = build_snapshot_db(workdir)
        folder = workdir / "meetings"
        folder.mkdir()
        write_meeting(db, folder)
        os.environ["STATS_MEETINGS_DIR"] = str(folder)
        port = free_port()
        with serve(db, port, workdir / "streamlit.log") as url:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                start = time.perf_counter()
                page.goto(f"{url}/mote?datum={DATE}", wait_until="commit")
                page.wait_for_function(READY_8, timeout=120_000)
                cold = time.perf_counter() - start
                warm = []
                for _ in range(5):
                    start = time.perf_counter()
                    page.reload(wait_until="commit")
                    page.wait_for_function(READY_8, timeout=120_000)
                    warm.append(time.perf_counter() - start)
                version = browser.version
                browser.close()
            sessions = asyncio.run(simulated_sessions(port, 20, f"datum={DATE}", "mote"))
            floor = asyncio.run(simulated_sessions(port, 20, "", "moten"))
            tabs = asyncio.run(concurrent(url, chromium, 20)) if "--tabs" in sys.argv else []
    result = {
        "page": f"mote?datum={DATE} (frozen, 8 charts over the embedded snapshot)",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cold_s": round(cold, 3),
        "warm_median_s": round(statistics.median(warm), 3),
        "warm_runs_s": [round(w, 3) for w in warm],
        "simulated_sessions": len(sessions),
        "simulated_median_s": round(statistics.median(sessions), 3),
        "simulated_max_s": round(max(sessions), 3),
        "landing_page_20_sessions_median_s": round(statistics.median(floor), 3),
        "browser_tabs": len(tabs),
        "browser_tabs_median_s": round(statistics.median(tabs), 3) if tabs else None,
        "method": "warm/cold: one headless Chromium tab, navigation until all 8 charts are drawn; "
        "simulated: 20 new sessions over Streamlit's websocket protocol started in the same "
        "instant, each timed until its script finished and all its elements were received "
        "(server work only, the viewers' browsers draw the charts on their own machines); the "
        "landing page's figure is the same test on the lightest page (Streamlit's own cost per "
        "session); browser_tabs (--tabs): 20 tabs of one Chromium on the same 2 cores",
        "chromium": version,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
