"""Suggested highlights on the embedded real data, expected sentences written from the sources.

Bankruptcies: Regionfakta's "Företagskonkurser – månad" gives Jämtlands län 7, 7, 11, 3 for
2021-01..04, so 2021-04 against 2021-03 is (3 − 11) / 11 = −72,7 % (≥ 15 %: "betydligt
färre"); there is no 2020 and no 24 months, so no year-on-year or 12-month suggestion.
Unemployment (SCB AM0210, BAS, 20–64 år) is a rate, compared in procentenheter (0,1 to under
0,5: "något högre/lägre"): Jämtland 3,6 % in 2024-01 against 3,5 % in 2023-12 is +0,1
procentenheter ("något högre", not +2,9 %), against 3,4 % in 2023-01 +0,2 procentenheter
("något högre", not "högre" by +5,9 %); the mean of 2023-02..2024-01 is 39,6 / 12 = 3,3 %
against 42,1 / 12 = 3,508 % for 2022-02..2023-01, −0,208 procentenheter ("något lägre");
18 län are above 3,6 % in 2024-01, so plats 19 av 21.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from stats.analysis.highlights import check_claim
from stats.analysis.suggest import suggest_chart, suggest_meeting
from stats.meetings.model import Claim, Meeting
from stats.present.spec import ChartSpec
from tests.test_suggest_sets import latest_scope

KONKURSER = ChartSpec(
    "manadsforandring",
    title="Företagskonkurser",
    filters=(("measure", "konkurser_regionfakta"),),
)
# 2021-04 against 2021-03 in Jämtlands län: 3 against 11
FEWER_BANKRUPTCIES = Claim(
    indicator="manadsforandring",
    comparison="previous_month",
    region="hemlan",
    filters=(("measure", "konkurser_regionfakta"),),
    expected="betydligt färre",
    period="2021M04",
)
ARBETSLOSHET = ChartSpec(
    "arbetsmarknad_lan",
    title="Arbetslöshet 20–64 år",
    regions=("hemlan", "riket"),
    filters=(("measure", "arbetsloshet"),),
)


@pytest.fixture
def scope(snapshot_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    yield from latest_scope(snapshot_db)


def test_bankruptcies_suggest_the_month_before_with_hand_computed_numbers(
    scope: duckdb.DuckDBPyConnection,
) -> None:
    (only,) = suggest_chart(scope, KONKURSER, "23")
    assert only.text == (
        "Företagskonkurser, Jämtlands län: 3 i april 2021, betydligt färre än föregående månad "
        "(11 i mars 2021, −72,7\u00a0%)."
    )
    assert only.claim == FEWER_BANKRUPTCIES


def test_unemployment_suggests_all_four_comparisons_in_procentenheter(
    scope: duckdb.DuckDBPyConnection,
) -> None:
    texts = [s.text for s in suggest_chart(scope, ARBETSLOSHET, "23")]
    head = "Arbetslöshet 20–64 år, Jämtlands län: "
    assert texts == [
        head + "3,6\u00a0% i januari 2024, något högre än föregående månad "
        "(3,5\u00a0% i december 2023, +0,1 procentenheter).",
        head + "3,6\u00a0% i januari 2024, något högre än samma månad året innan "
        "(3,4\u00a0% i januari 2023, +0,2 procentenheter).",
        head + "i genomsnitt 3,3\u00a0% under februari 2023–januari 2024, något lägre än "
        "tolv månader tidigare (3,5\u00a0% under februari 2022–januari 2023, "
        "−0,2 procentenheter).",
        head + "3,6\u00a0% i januari 2024, plats 19 av 21 län (1 = högst).",
    ]


def test_every_suggestion_is_supported_by_check_claim(scope: duckdb.DuckDBPyConnection) -> None:
    suggestions = [
        *suggest_chart(scope, KONKURSER, "23"),
        *suggest_chart(scope, ARBETSLOSHET, "23"),
    ]
    assert len(suggestions) == 5
    for suggestion in suggestions:
        assert check_claim(scope, suggestion.claim, "23").status == "stöds", suggestion.text


def test_an_edited_suggestion_keeps_its_claim_and_a_wrong_word_is_contradicted(
    scope: duckdb.DuckDBPyConnection,
) -> None:
    highlight = suggest_chart(scope, KONKURSER, "23")[0].highlight()
    edited = replace(highlight, text="Konkurserna minskade kraftigt i april.")
    assert edited.claim == highlight.claim
    assert edited.claim is not None
    assert check_claim(scope, edited.claim, "23").status == "stöds"
    wrong = replace(edited.claim, expected="något färre")
    assert check_claim(scope, wrong, "23").status == "motsägs"


def test_charts_without_monthly_home_data_get_no_suggestions(
    scope: duckdb.DuckDBPyConnection,
) -> None:
    meeting = Meeting(
        date="2024-06-17",
        title="Möte",
        charts=(
            ChartSpec("manadsforandring", filters=(("measure", "nya_platser"),)),
            ChartSpec("prognos_mot_utfall", filters=(("source_kind", "tabell"),)),
            KONKURSER,
        ),
    )
    counts = [len(found) for _, found in suggest_meeting(scope, meeting, "23")]
    # no vacancies in the snapshot; projections are yearly
    assert counts == [0, 0, 1]
