"""Suggested highlights for a meeting of 8 charts, warm: target under 300 ms.

Builds a database from the embedded snapshot and times `suggest_meeting` for two 8-chart
meetings over the latest releases: the seeded 2024-06-17 meeting (data/meetings; offline its
vacancy, varsel, Jämtland projection and SNI charts have no data, so they return at once) and
the 8 charts of bench/meeting.py, which all have data and so exercise every comparison that
applies (month before, year before, 12 months, rank; projection vintages). "Warm" is what the
app sees after the first call: the catalog and indicator definitions loaded and the database
open; each run opens its own scope (as a page run does) and reads each indicator once.
Writes bench/results/suggest.json. Run: `.venv/bin/python -m bench.suggest`.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.meeting import CHARTS
from bench.page import ROOT, build_snapshot_db
from stats.analysis.indicators import open_scope
from stats.analysis.suggest import suggest_meeting
from stats.meetings.files import load_meeting
from stats.meetings.model import Meeting
from stats.present.spec import spec_from_dict
from stats.store.write import open_reader

RESULTS = Path(__file__).parent / "results" / "suggest.json"
SEED = ROOT / "data" / "meetings" / "2024-06-17.toml"
RUNS = 20
TARGET_S = 0.300


def time_meeting(db: Path, meeting: Meeting) -> tuple[float, list[float], int]:
    """(cold seconds, warm seconds per run, number of suggestions)."""
    con = open_reader(db)
    times: list[float] = []
    found = 0
    try:
        for _ in range(RUNS + 1):
            start = time.perf_counter()
            scope = open_scope(con)
            result = suggest_meeting(scope, meeting, "23")
            scope.close()
            times.append(time.perf_counter() - start)
            found = sum(len(s) for _, s in result)
    finally:
        con.close()
    return times[0], times[1:], found


def main() -> None:
    seed = load_meeting(SEED)
    charts = tuple(spec_from_dict(c, where=f"bench chart {i}") for i, c in enumerate(CHARTS))
    with_data = Meeting(date="2099-01-01", title="Benchmark", charts=charts)
    result: dict[str, object] = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "target_s": TARGET_S,
        "runs": RUNS,
    }
    with tempfile.TemporaryDirectory(prefix="bench-suggest-") as tmp:
        db = build_snapshot_db(Path(tmp))
        for name, meeting in (("seed_2024_06_17", seed), ("bench_meeting_charts", with_data)):
            assert len(meeting.charts) == 8, name
            cold, warm, found = time_meeting(db, meeting)
            result[name] = {
                "charts": len(meeting.charts),
                "suggestions": found,
                "cold_s": round(cold, 3),
                "warm_median_s": round(statistics.median(warm), 3),
                "warm_max_s": round(max(warm), 3),
            }
    result["method"] = (
        "suggest_meeting over open_scope(latest releases) of a database loaded from "
        "data/snapshot, home län 23; the first run is cold (catalog and indicator SQL loaded), "
        f"then {RUNS} warm runs, each with its own scope"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
