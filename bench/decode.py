"""Time parse_jsonstat(bytes) + to_frame() against pyjstat on a ~1.5 million cell JSON-stat body.

Run: .venv/bin/python bench/decode.py   (writes bench/results/decode.json)

The input is the real SCB TAB6471 response (tests/fixtures/scb/TAB6471_data.json) with its Tid
dimension replicated under synthetic period codes (1900M01, 1900M02, ...) and the real values tiled
to match. The numbers are tiled from the real response for timing only; they are not statistics.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pyjstat import pyjstat

from stats.ingest.jsonstat import parse_jsonstat

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "scb" / "TAB6471_data.json"
RESULTS = ROOT / "bench" / "results" / "decode.json"
TARGET_CELLS = 1_500_000
REPEATS = 5


def build_body(target_cells: int) -> tuple[bytes, int]:
    """Tile the real TAB6471 response along Tid until it holds about ``target_cells`` cells."""
    doc: dict[str, Any] = json.loads(FIXTURE.read_bytes())
    if doc["id"][-1] != "Tid":
        raise SystemExit(f"{FIXTURE}: expected Tid as the last dimension, got {doc['id']}")
    months = doc["size"][-1]
    reps = max(1, round(target_cells / len(doc["value"])))
    periods = [f"{1900 + i // 12}M{i % 12 + 1:02d}" for i in range(months * reps)]
    # Tid varies fastest: each row of months (one per other-dimension cell) is repeated reps times
    rows = np.array(doc["value"], dtype=object).reshape(-1, months)
    doc["value"] = np.tile(rows, (1, reps)).ravel().tolist()
    doc["size"][-1] = len(periods)
    doc["dimension"]["Tid"]["category"] = {
        "index": {code: pos for pos, code in enumerate(periods)},
        "label": {code: code for code in periods},
    }
    return json.dumps(doc, ensure_ascii=False).encode("utf-8"), len(doc["value"])


def time_runs(run: Callable[[], pd.DataFrame], repeats: int) -> tuple[list[float], pd.DataFrame]:
    times: list[float] = []
    frame = pd.DataFrame()
    for _ in range(repeats):
        start = time.perf_counter()
        frame = run()
        times.append(time.perf_counter() - start)
    return times, frame


def main() -> None:
    body, cells = build_body(TARGET_CELLS)
    text = body.decode("utf-8")
    runs: dict[str, Callable[[], pd.DataFrame]] = {
        "stats.ingest.jsonstat parse_jsonstat(bytes).to_frame()": lambda: parse_jsonstat(
            body
        ).to_frame(),
        "pyjstat Dataset.read(str).write('dataframe')": lambda: pyjstat.Dataset.read(text).write(
            "dataframe"
        ),
    }
    results: list[dict[str, Any]] = []
    frames: list[pd.DataFrame] = []
    for name, run in runs.items():
        times, frame = time_runs(run, REPEATS)
        frames.append(frame)
        median = statistics.median(times)
        results.append(
            {
                "decoder": name,
                "repeats": REPEATS,
                "median_s": round(median, 4),
                "min_s": round(min(times), 4),
                "cells_per_s": round(cells / median),
                "rows": len(frame),
                "columns": len(frame.columns),
            }
        )
    # both decoders must agree on the numbers, or the timing compares different work
    ours, theirs = frames
    if not np.array_equal(ours["value"].to_numpy(), theirs["value"].to_numpy(dtype=np.float64)):
        raise SystemExit("stats.ingest.jsonstat and pyjstat disagree on the values")

    print(f"input: {cells:,} cells, {len(body) / 1e6:.1f} MB (TAB6471 tiled along Tid)")
    print(f"{'decoder':<52} {'median s':>9} {'min s':>7} {'cells/s':>12} {'cols':>5}")
    for row in results:
        print(
            f"{row['decoder']:<52} {row['median_s']:>9.3f} {row['min_s']:>7.3f} "
            f"{row['cells_per_s']:>12,} {row['columns']:>5}"
        )
    print(f"speed-up: {results[0]['cells_per_s'] / results[1]['cells_per_s']:.1f}x")

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "input": {
            "fixture": FIXTURE.relative_to(ROOT).as_posix(),
            "cells": cells,
            "body_bytes": len(body),
            "note": "real TAB6471 values tiled along synthetic Tid codes; for timing only",
        },
        "machine": {
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "versions": {pkg: version(pkg) for pkg in ("numpy", "pandas", "pyjstat")},
        "results": results,
    }
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
