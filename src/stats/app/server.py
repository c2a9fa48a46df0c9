"""Run the Streamlit app on a free port until it answers; Chromium flags for headless use.

Shared by the browser tests and the page benchmarks, so neither depends on the other.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from stats.config import ROOT

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


def streamlit_command(port: int) -> list[str]:
    """`streamlit run app.py` headless on `port`, without usage stats or a file watcher."""
    return [
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


@contextmanager
def serve(db: Path, port: int, log: Path, timeout: float = 60.0) -> Iterator[str]:
    """Run `streamlit run app.py` against db; yield its URL once /_stcore/health says ok."""
    env = {**os.environ, "STATS_DB": str(db)}
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            streamlit_command(port), cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            wait_healthy(proc, url, log, timeout)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def wait_healthy(proc: subprocess.Popen[bytes], url: str, log: Path, timeout: float) -> None:
    """Poll `url`/_stcore/health until it says ok; RuntimeError if the server exits or stalls."""
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}: see {log}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.read().decode().strip() == "ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"streamlit not healthy after {timeout:.0f} s: see {log}")
        time.sleep(0.2)


def wait_ready(page: Any, timeout_ms: float = 60_000) -> None:
    """Wait until the script has finished, a Plotly chart is drawn and no skeleton remains."""
    page.wait_for_function(READY_JS, timeout=timeout_ms)
