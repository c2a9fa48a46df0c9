"""One owner per presentation concern: publishers from the catalog, plotly-free specs, and the
meeting page's table in the chart's own decimals."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from stats.analysis.indicators import open_scope
from stats.app.charts import prepare
from stats.catalog.load import CATALOG_DIR, load_catalog
from stats.errors import CatalogError
from stats.present.citation import declared_publisher
from stats.present.spec import draw, spec_from_dict
from stats.store.dbfile import open_reader
from tests.app_tables import table_cell

# source ids a reader should never see as a publisher
SOURCE_IDS = {"scb", "tillvaxtanalys", "jobtech_historical", "jobtech_search", "af_varsel",
              "af_monthly", "kolada", "realdata", "import"}  # fmt: skip


def test_the_meeting_model_does_not_import_plotly() -> None:
    code = "import sys, stats.meetings.model; print('plotly' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_every_catalog_file_declares_its_publisher() -> None:
    catalog = load_catalog()
    for series in catalog.series.values():
        assert series.publisher, f"{series.id}: its catalog file declares no publisher"
        assert declared_publisher(series) not in SOURCE_IDS
    publishers = {s.id: declared_publisher(s) for s in catalog.series.values()}
    assert publishers["inskrivna_arbetslosa_manad"] == "Arbetsförmedlingen"
    assert publishers["sysselsatta_sni_detalj"] == "SCB, beställd bearbetning"
    assert publishers["konkurser_manad_lan"] == "Tillväxtanalys"
    # a part's own publisher (a recorded file) wins over its file's
    assert publishers["konkurser_lan_regionfakta"] == "Tillväxtanalys via Regionfakta"


def test_an_empty_publisher_names_file_and_key(tmp_path: Path) -> None:
    good = (CATALOG_DIR / "scb.toml").read_text(encoding="utf-8")
    bad = tmp_path / "scb.toml"
    bad.write_text(good.replace('publisher = "SCB"', 'publisher = ""'), encoding="utf-8")
    with pytest.raises(CatalogError, match=r"scb\.toml: publisher: must be a non-empty string"):
        load_catalog(bad)


@pytest.mark.parametrize(
    ("raw", "period", "series", "expected"),
    [
        pytest.param(
            {"indicator": "jamforelse_per_1000", "regions": ["hemlan"],
             "filters": {"measure": "konkurser_regionfakta"}},
            "2021-01", "Jämtlands län", "0,053",
            id="bankruptcies-7-per-131155-inhabitants",
        ),
        pytest.param(
            {"indicator": "arbetsmarknad_lan", "regions": ["hemlan", "riket", "grannlan"],
             "title": "Arbetslöshet 20–64 år", "filters": {"measure": "arbetsloshet"}},
            # SCB publishes BAS per month as preliminary statistics
            "2020-01", "Västerbottens län", "4,5 (preliminärt)",
            id="unemployment-one-decimal",
        ),
    ],
)  # fmt: skip
def test_meeting_table_keeps_the_charts_decimals(
    snapshot_db: Path, raw: dict[str, object], period: str, series: str, expected: str
) -> None:
    chart = draw(open_scope(open_reader(snapshot_db)), spec_from_dict(raw), "23")
    assert table_cell(prepare(chart, "23").table, period, series) == expected
