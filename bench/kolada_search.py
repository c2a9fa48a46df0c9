"""Time loading and searching the embedded Kolada KPI catalogue (6 099 KPIs).

Run: .venv/bin/python bench/kolada_search.py   (writes bench/results/kolada_search.json)
"""

from __future__ import annotations

import json
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from stats.sources.kolada_catalogue import EMBEDDED, KpiCatalogue, read_catalogue_file

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "kolada_search.json"
QUERIES = ["hallbarhet", "företagskonkurser", "nystartade foretag", "bruttoregionprodukt",
           "sysselsättning kvinnor 20-64", "N00926", "a"]  # fmt: skip
REPEATS = 5


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    read = [timed(lambda: read_catalogue_file(EMBEDDED)) for _ in range(REPEATS)]
    kpis = read_catalogue_file(EMBEDDED)
    index = [timed(lambda: KpiCatalogue(kpis, "bench")) for _ in range(REPEATS)]
    catalogue = KpiCatalogue(kpis, "bench")
    search = {
        q: statistics.median(timed(lambda q=q: catalogue.search(q)) for _ in range(REPEATS))
        for q in QUERIES
    }
    result = {
        "kpis": len(catalogue),
        "read_s_median": statistics.median(read),
        "index_s_median": statistics.median(index),
        "search_ms_median": {q: round(s * 1000, 2) for q, s in search.items()},
        "python": platform.python_version(),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
