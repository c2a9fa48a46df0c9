"""Gallery benchmark: list every chart the "Förbered möte" gallery offers over the embedded
snapshot and build the small preview figure of each, cold (first pass in a fresh process) and
warm (repeated passes, nothing memoised: each pass opens a scope, reads the indicators, draws
every spec with `draw_many`, which runs each indicator once, and builds and serialises every
figure again). The page itself also caches each chart and figure
per database version, so a rerun there costs less than a warm pass here.

Run: .venv/bin/python -m bench.gallery [--repeats 5]   (writes bench/results/gallery.json)
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.page import build_snapshot_db
from stats.analysis.indicators import open_scope
from stats.present.figures import figure
from stats.present.gallery import draw_many, read_gallery
from stats.store.write import open_reader

RESULTS = Path(__file__).parent / "results" / "gallery.json"
TARGET_S = 2.0


def one_pass(db: Path) -> tuple[int, float, float]:
    """(charts, seconds to list them, seconds to list them and build every preview)."""
    con = open_reader(db)
    try:
        start = time.perf_counter()
        scope = open_scope(con)
        try:
            entries = read_gallery(scope, "23")
            listed = time.perf_counter() - start
            for chart in draw_many(scope, [e.spec for e in entries], "23"):
                fig = figure(chart)
                fig.update_layout(template="none", height=220)
                fig.to_json()  # what Streamlit sends to the browser
        finally:
            scope.close()
        return len(entries), listed, time.perf_counter() - start
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = build_snapshot_db(Path(tmp))
        charts, cold_list, cold = one_pass(db)
        warm = [one_pass(db) for _ in range(args.repeats)]
    result = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "charts": charts,
        "cold_s": round(cold, 3),
        "cold_list_s": round(cold_list, 3),
        "warm_median_s": round(statistics.median(w[2] for w in warm), 3),
        "warm_max_s": round(max(w[2] for w in warm), 3),
        "warm_list_median_s": round(statistics.median(w[1] for w in warm), 3),
        "target_s": TARGET_S,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
