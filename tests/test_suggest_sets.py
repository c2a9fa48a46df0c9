"""Suggestions for projection vintages and for the circular share over definition sets.

Projections on the embedded real data (SCB's statistical news, in the snapshot): Uppsala län
2040 is 460 700 in the 2022 projection against 449 700 in the 2021 one, +2,4 % ("något
högre", 1 to under 5 %); Stockholms län 2 793 700 against 2 786 300, +0,3 % ("oförändrat").
Jämtland has no projection in the snapshot. The three- and four-vintage case and the SNI file
are hand-built in the tests with illustrative numbers (test databases only, never data/).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from stats import cli
from stats.analysis.highlights import check_claim
from stats.analysis.indicators import open_scope
from stats.analysis.suggest import suggest_chart
from stats.meetings.model import Claim
from stats.present.spec import ChartSpec
from stats.store.dbfile import open_reader
from stats.store.write import open_writer
from tests.test_indicators import IMPORT

PROGNOS = ChartSpec("prognos_mot_utfall", title="Befolkningsframskrivningar", regions=("hemlan",))
CIRKULAR = ChartSpec("cirkular_andel", title="Andel sysselsatta i cirkulär ekonomi")


def latest_scope(db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A scope over the latest releases, closed with its connection afterwards."""
    con = open_reader(db)
    cur = open_scope(con)
    yield cur
    cur.close()
    con.close()


@pytest.fixture
def scope(snapshot_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    yield from latest_scope(snapshot_db)


def test_projection_vintages_on_the_statistical_news(scope: duckdb.DuckDBPyConnection) -> None:
    (uppsala,) = suggest_chart(scope, PROGNOS, "03")
    assert uppsala.text == (
        "Befolkningsframskrivningar, Uppsala län: 460\u00a0700 år 2040 i 2022 års "
        "framskrivning, något högre än 2021 års framskrivning (449\u00a0700, +2,4\u00a0%)."
    )
    assert uppsala.claim == Claim(
        indicator="prognos_mot_utfall",
        comparison="vintages",
        expected="något högre",
        period="2040",
        vintage="2022",
        vintages=("2021",),
    )
    (stockholm,) = suggest_chart(scope, PROGNOS, "01")
    assert "oförändrat jämfört med 2021 års framskrivning (2\u00a0786\u00a0300, +0,3\u00a0%)" in (
        stockholm.text
    )
    for home, found in (("03", uppsala), ("01", stockholm)):
        assert check_claim(scope, found.claim, home).status == "stöds"
    assert suggest_chart(scope, PROGNOS, "23") == []


def _add_vintages(db: Path, by_vintage: dict[str, dict[str, float]]) -> None:
    """Jämtland projections as SCB table releases, one per vintage: {vintage: {year: value}}."""
    labels = pd.DataFrame(
        {"dimension": ["ContentsCode"], "code": ["BE0401"], "label": ["Folkmängd"]}
    )
    with open_writer(db) as store:
        for vintage, years in by_vintage.items():
            frame = pd.DataFrame(
                {
                    "region_code": "23",
                    "period": list(years),
                    "dims": '{"ContentsCode": "BE0401"}',
                    "value": list(years.values()),
                    "status": None,
                    "preliminary": False,
                }
            )
            store.add_release("befolkningsprognos", frame, {"v": vintage}, [], labels, vintage)


def test_vintages_with_the_same_words_share_a_sentence(snapshot_db: Path) -> None:
    # 2024 against 2021 and 2022 at 2040: +1,9 % and +1,1 % (both "något högre"); against
    # 2020 +10,4 % ("högre"); 2040 is the decade year nearest 2024 + 15
    _add_vintages(
        snapshot_db,
        {
            "2020": {"2030": 125_000, "2040": 120_000},
            "2021": {"2030": 128_000, "2040": 130_000, "2041": 130_100},
            "2022": {"2030": 129_000, "2040": 131_000, "2041": 131_100},
            "2024": {"2030": 130_000, "2040": 132_500, "2041": 132_600, "2070": 140_000},
        },
    )
    for cur in latest_scope(snapshot_db):
        found = suggest_chart(cur, PROGNOS, "23")
        assert [s.text for s in found] == [
            "Befolkningsframskrivningar, Jämtlands län: 132\u00a0500 år 2040 i 2024 års "
            "framskrivning, högre än 2020 års framskrivning (120\u00a0000, +10,4\u00a0%).",
            "Befolkningsframskrivningar, Jämtlands län: 132\u00a0500 år 2040 i 2024 års "
            "framskrivning, något högre än 2021 och 2022 års framskrivning (130\u00a0000 och "
            "131\u00a0000, +1,9\u00a0% och +1,1\u00a0%).",
        ]
        assert [s.claim.vintages for s in found] == [("2020",), ("2021", "2022")]
        for suggestion in found:
            assert check_claim(cur, suggestion.claim, "23").status == "stöds"


def test_circular_share_over_the_definition_sets(tmp_path: Path) -> None:
    path = tmp_path / "sni.csv"
    path.write_text(IMPORT, encoding="utf-8")  # hand-built, illustrative numbers
    assert cli.main(["import-sni", str(path)]) == 0
    # (40 + 300 + 20) / 10 000 = 3,6 % and with 77 Uthyrning (+ 40) 4,0 %
    for cur in latest_scope(tmp_path / "stats.duckdb"):
        (found,) = suggest_chart(cur, CIRKULAR, "23")
        assert found.text == (
            "Andel sysselsatta i cirkulär ekonomi, Jämtlands län: 3,6–4,0\u00a0% i 2022 "
            "beroende på definition (3,6\u00a0% med SCB:s cirkulära sektor (Eurostat); "
            "4,0\u00a0% med Bred: SCB:s sektor och uthyrning och leasing)."
        )
        assert (found.claim.comparison, found.claim.low, found.claim.high) == ("range", 3.6, 4.0)
        assert found.claim.period == "2022"
        assert check_claim(cur, found.claim, "23").status == "stöds"
