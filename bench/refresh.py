"""Calls per second a refresh achieves against the rate a PxWebApi 2 /config allows.

Run: .venv/bin/python bench/refresh.py [--max-calls 30] [--window 10] [--rounds 3]
     (writes bench/results/refresh.json)

The server is the loopback fake (tests/fake_pxweb.py) on 127.0.0.1 serving the recorded SCB
TAB6471 bodies, with SCB's production limits by default (30 calls per 10 s). The load is the
test-only catalog tests/fixtures/load/tab6471_load.toml (14 series, 56 calls per refresh at
maxDataCells 80), refreshed `--rounds` times by one client, as a nightly run would.

The rate is averaged over whole windows: a sliding-window limit admits at most `max_calls` in
each window a run touches, so calls / (windows x window) is comparable with the allowed rate
(a plain calls / elapsed would flatter a run that ends right after a burst). Goal: >= 80 % of
the allowed rate with 0 answers 429.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the fake server and the load catalog live under tests/

from tests.fake_pxweb import running  # noqa: E402
from tests.load_run import LoadRun, client_for, run_load  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "refresh.json"
GOAL = 0.8


def measure(max_calls: int, window: float, max_cells: int, rounds: int) -> LoadRun:
    """Refresh the load catalog `rounds` times against a fake with these limits."""
    with (
        tempfile.TemporaryDirectory() as tmp,
        running(max_calls=max_calls, window=window, max_cells=max_cells) as fake,
    ):
        return run_load(
            fake, Path(tmp) / "db.duckdb", Path(tmp) / "raw", client_for(fake), rounds=rounds
        )


def report(run: LoadRun, args: argparse.Namespace) -> dict[str, object]:
    failed = [o.series_id for o in run.outcomes if not o.ok]
    return {
        "command": "python bench/refresh.py " + " ".join(sys.argv[1:]),
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": platform.platform(),
        "python": platform.python_version(),
        "limit": {
            "max_calls": args.max_calls,
            "window_s": args.window,
            "max_cells": args.max_cells,
        },
        "rounds": args.rounds,
        "series_refreshed": len(run.outcomes),
        "series_failed": failed,
        "calls": run.calls,
        "answers_429": run.too_many,
        "peak_calls_in_one_window": run.peak,
        "seconds_first_to_last_call": round(run.seconds, 2),
        "windows": run.windows,
        "calls_per_s": round(run.rate, 3),
        "allowed_calls_per_s": round(run.allowed_rate, 3),
        "share_of_allowed": round(run.utilisation, 3),
        "goal_met": run.utilisation >= GOAL and run.too_many == 0 and not failed,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-calls", type=int, default=30, help="maxCallsPerTimeWindow")
    parser.add_argument("--window", type=float, default=10.0, help="timeWindow in seconds")
    parser.add_argument("--max-cells", type=int, default=80, help="maxDataCells (forces splits)")
    parser.add_argument("--rounds", type=int, default=3, help="refreshes of the load catalog")
    args = parser.parse_args()
    run = measure(args.max_calls, args.window, args.max_cells, args.rounds)
    result = report(run, args)
    print(
        f"{run.calls} calls in {run.seconds:.1f} s ({run.windows} windows of {args.window:g} s): "
        f"{run.rate:.2f} calls/s of {run.allowed_rate:.2f} allowed = {run.utilisation:.0%}; "
        f"429s: {run.too_many}; peak {run.peak}/{args.max_calls} in one window"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0 if result["goal_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
