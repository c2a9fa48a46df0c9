"""Export benchmark: a section of 8 charts to DOCX, cold (browser start included) and warm.

Builds a database from the embedded snapshot in a temp dir, draws 8 charts (the snapshot's
series with different regions and chart kinds), then times
- cold: a fresh `ImageRenderer` started and a DOCX export (8 pictures) with it,
- warm: further DOCX exports with the same renderer, already running,
- per image: single PNG renders (scale 2) on the warm renderer,
- all formats: PNG + SVG + DOCX + PPTX + XLSX + CSV on the warm renderer.
Writes bench/results/export.json. Run: `.venv/bin/python bench/export.py`.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib.metadata import version as _version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "export.json"

SPECS: list[dict[str, Any]] = [
    {"indicator": "manadsforandring", "title": "Företagskonkurser per månad",
     "filters": {"measure": "konkurser_regionfakta"}, "regions": ["hemlan", "grannlan"]},
    {"indicator": "manadsforandring", "title": "Företagskonkurser, Jämtland och riket",
     "filters": {"measure": "konkurser_regionfakta"}, "regions": ["hemlan", "riket"]},
    {"indicator": "jamforelse_per_1000", "title": "Konkurser per 1 000 invånare",
     "filters": {"measure": "konkurser_regionfakta"}, "regions": ["lan"], "kind": "bar"},
    {"indicator": "arbetsmarknad_lan", "title": "Arbetslöshet",
     "filters": {"measure": "arbetsloshet"}, "regions": ["hemlan", "riket"]},
    {"indicator": "arbetsmarknad_lan", "title": "Arbetslöshet i grannlänen",
     "filters": {"measure": "arbetsloshet"}, "regions": ["hemlan", "grannlan"]},
    {"indicator": "arbetsmarknad_lan", "title": "Arbetslöshet per län",
     "filters": {"measure": "arbetsloshet"}, "regions": ["lan"], "kind": "bar"},
    {"indicator": "folkmangd_manad_total", "title": "Folkmängd", "regions": ["hemlan"]},
    {"indicator": "prognos_mot_utfall", "title": "Befolkningsframskrivningar mot utfall",
     "filters": {"source_kind": "statistiknyhet"}, "regions": ["lan"], "split": "vintage",
     "kind": "bar"},
]  # fmt: skip
WARM_RUNS = 3


def chromium_version(path: Path) -> str:
    """`chromium --version`, e.g. "Chromium 156.0.8078.108 built on Debian …"."""
    done = subprocess.run([str(path), "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip()


def main() -> None:
    from bench.page import build_snapshot_db
    from stats.analysis.indicators import open_scope
    from stats.export import FORMATS, ImageRenderer, Section, export_figure, export_section
    from stats.export.images import require_browser
    from stats.present.spec import draw, spec_from_dict
    from stats.store.write import open_reader

    browser = require_browser()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        scope = open_scope(open_reader(build_snapshot_db(workdir)))
        charts = [draw(scope, spec_from_dict(raw), home="23") for raw in SPECS]
        empty = [c.title for c in charts if c.frame.empty]
        if empty:
            raise RuntimeError(f"charts without data in the snapshot: {empty}")
        section = Section(
            meeting_date="2024-06-17",
            title="Regional näringslivsdialog",
            charts=charts,
            home="23",
            highlights=["Arbetslösheten i Jämtlands län är lägre än i riket."],
            data_note="Data som visades 2024-06-17",
        )
        renderer = ImageRenderer(browser)
        start = time.perf_counter()
        renderer.start()
        browser_start = time.perf_counter() - start
        export_section(section, {"docx"}, workdir / "cold", renderer=renderer)
        cold = time.perf_counter() - start
        warm = []
        for run in range(WARM_RUNS):
            start = time.perf_counter()
            export_section(section, {"docx"}, workdir / f"warm{run}", renderer=renderer)
            warm.append(time.perf_counter() - start)
        images = []
        for chart in charts:
            start = time.perf_counter()
            renderer.render(export_figure(chart, section.home), "png")
            images.append(time.perf_counter() - start)
        start = time.perf_counter()
        everything = export_section(section, set(FORMATS), workdir / "all", renderer=renderer)
        all_formats = time.perf_counter() - start
        renderer.close()
    result = {
        "charts": len(charts),
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "docx_cold_s": round(cold, 3),
        "browser_start_s": round(browser_start, 3),
        "docx_warm_median_s": round(statistics.median(warm), 3),
        "docx_warm_runs_s": [round(w, 3) for w in warm],
        "png_warm_median_s": round(statistics.median(images), 3),
        "png_warm_max_s": round(max(images), 3),
        "all_formats_warm_s": round(all_formats, 3),
        "all_formats_files": len(everything),
        "chromium": chromium_version(browser),
        "python": sys.version.split()[0],
        "kaleido": _version("kaleido"),
        "plotly": _version("plotly"),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
