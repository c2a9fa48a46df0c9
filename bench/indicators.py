"""Time every indicator query at full scale: 290 kommuner + 21 län + riket, every input series,
30 years of months. The observations are SYNTHETIC (random numbers in the store's real schema,
written through Store.add_release) and exist only in a temporary database for timing; they never
reach data/ or the app.

Run: .venv/bin/python bench/indicators.py [--repeats 15]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from stats.analysis.indicators import load_indicators, open_scope, run_indicator
from stats.regions import load_regions
from stats.store.write import open_reader, open_writer

RESULTS = Path(__file__).parent / "results" / "indicators.json"
rng = np.random.default_rng(2026)


def months(years: int) -> list[str]:
    return [f"{y}M{m:02d}" for y in range(2026 - years, 2026) for m in range(1, 13)]


def frame(regions: list[str], periods: list[str], dims: list[str]) -> pd.DataFrame:
    grid = pd.MultiIndex.from_product([regions, periods, dims], names=["r", "p", "d"])
    out = grid.to_frame(index=False).rename(
        columns={"r": "region_code", "p": "period", "d": "dims"}
    )
    out["value"] = rng.integers(0, 5000, len(out)).astype(float)
    out["status"] = None
    out["preliminary"] = False
    return out


def build(db: Path) -> int:
    regions = load_regions()
    codes = [
        "00",
        *regions.lan_codes,
        *(k for lan in regions.lan_codes for k in regions.kommuner[lan]),
    ]
    ms = months(30)
    years = [str(y) for y in range(1996, 2026)]
    ages = [f"{a}-{a + 9}" for a in range(0, 100, 10)] + ["100+"]
    pop_dims = [
        json.dumps({"Alder": a, "Kon": k}, sort_keys=True)
        for a in ages
        for k in ("TotSa", "1", "2")
    ]
    series = {
        "folkmangd_manad": frame(codes, ms, pop_dims),
        "folkmangd_ar": frame(codes, years, ["{}"]),
        "nya_annonser_manad": frame(
            codes, ms, ['{"measure": "annonser"}', '{"measure": "platser"}']
        ),
        "varsel_lan_manad": frame(codes[:22], ms, ["{}"]),
        "konkurser_manad_lan": frame(
            codes, ms, ['{"variabel": "anstallda"}', '{"variabel": "konkurser"}']
        ),
        "konkurser_lan_regionfakta": frame(codes[:22], ms, ["{}"]),
        "arbetsloshet_bas_manad": frame(codes[:22], ms, ["{}"]),
        "brp_lan": frame(
            codes[:22], years, [json.dumps({"ContentsCode": c}) for c in ("A", "B", "C")]
        ),
        "sysselsatta_sni_detalj": frame(
            codes,
            years[-5:],
            [
                json.dumps({"SNI2007": f"{d:02d}.{g:03d}"})
                for d in (33, 38, 45, 47, 86, 95)
                for g in range(100, 200, 10)
            ],
        ),
    }
    prognos_dims = [
        json.dumps({"Alder": a, "ContentsCode": "F", "Kon": k}, sort_keys=True)
        for a in ages
        for k in ("1", "2")
    ]
    empty_labels = pd.DataFrame(columns=["dimension", "code", "label"])
    rows = 0
    with open_writer(db) as store:
        for sid, f in series.items():
            store.add_release(sid, f, {}, [], empty_labels)
            rows += len(f)
        for vintage in ("2021", "2022", "2024"):
            f = frame(codes, [str(y) for y in range(int(vintage), int(vintage) + 47)], prognos_dims)
            labels = pd.DataFrame(
                [("ContentsCode", "F", "Folkmängd")], columns=["dimension", "code", "label"]
            )
            store.add_release("befolkningsprognos", f, {"v": vintage}, [], labels, vintage=vintage)
            rows += len(f)
    return rows


def _median_ms(run: object, repeats: int) -> tuple[float, int]:
    timings, rows = [], 0
    for _ in range(repeats):
        t = time.perf_counter()
        rows = len(run())  # type: ignore[operator]
        timings.append(time.perf_counter() - t)
    return round(1000 * statistics.median(timings), 1), rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    regions = load_regions()
    shown = ["00", *regions.lan_codes, *regions.kommuner["23"]]
    region_list = ", ".join(f"'{r}'" for r in shown)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        t0 = time.perf_counter()
        rows = build(db)
        built = time.perf_counter() - t0
        con = open_reader(db)
        scope_ms, _ = _median_ms(lambda: [open_scope(con)], args.repeats)
        scope = open_scope(con)
        results = {}
        print(f"open_scope (materialises the population base once): {scope_ms} ms")
        print(f"{'indicator':24s} {'dashboard ms':>12s} {'rows':>7s} {'full ms':>9s} {'rows':>9s}")
        for ind in load_indicators():
            # what one chart asks for: the shown regions and, where there is one, one measure
            dash = f"select * from {ind} where region_code in ({region_list})"
            if "measure" in load_indicators()[ind].columns:
                first = scope.execute(f"select min(measure) from {ind}").fetchall()[0][0]
                dash += f" and measure = '{first}'"
            dash_ms, dash_rows = _median_ms(lambda q=dash: scope.execute(q).df(), args.repeats)
            full_ms, full_rows = _median_ms(
                lambda i=ind: run_indicator(scope, i), max(3, args.repeats // 3)
            )
            results[ind] = {
                "dashboard_median_ms": dash_ms,
                "dashboard_rows": dash_rows,
                "full_median_ms": full_ms,
                "full_rows": full_rows,
            }
            print(f"{ind:24s} {dash_ms:12.1f} {dash_rows:7,} {full_ms:9.1f} {full_rows:9,}")
    report = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "observations": rows,
        "build_s": round(built, 1),
        "repeats": args.repeats,
        "open_scope_median_ms": scope_ms,
        "dashboard_query": "riket, 21 län and the home län's 8 kommuner; one measure where the "
        "indicator has several; timed until the rows are a pandas DataFrame",
        "results": results,
        "note": "synthetic observations, for timing only",
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"{rows:,} synthetic observations, built in {built:.1f} s → {RESULTS}")


if __name__ == "__main__":
    main()
