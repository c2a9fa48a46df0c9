"""Highlights: wording thresholds and claims checked against the snapshot data."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from stats.analysis.highlights import check_claim, check_highlights
from stats.analysis.indicators import open_scope
from stats.analysis.wording import threshold_rows, wording, wordings
from stats.meetings.files import load_meeting
from stats.meetings.model import Claim, Highlight, Meeting, freeze
from stats.store.dbfile import open_reader
from tests.test_meetings import KONKURSER, SEEDS, add_release


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (0.0, "oförändrat"),
        (0.99, "oförändrat"),
        (-0.99, "oförändrat"),
        (1.0, "något fler"),
        (-1.0, "något färre"),
        (4.99, "något fler"),
        (5.0, "fler"),
        (-5.0, "färre"),
        (14.99, "fler"),
        (15.0, "betydligt fler"),
        (-15.0, "betydligt färre"),
        (57.1, "betydligt fler"),
    ],
    ids=str,
)
def test_wording_thresholds_at_the_boundaries(change: float, expected: str) -> None:
    assert wording(change) == expected


def test_wording_for_rates_and_bad_input() -> None:
    assert wording(2.0, "högre", "lägre") == "något högre"
    assert wording(-20.0, "högre", "lägre") == "betydligt lägre"
    with pytest.raises(ValueError, match="not a finite number"):
        wording(math.nan)
    assert {"oförändrat", "något fler", "betydligt lägre", "högre"} <= set(wordings())


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        (0.0, "oförändrat"),
        (0.09, "oförändrat"),
        (3.6 - 3.5, "något högre"),
        (3.4 - 3.5, "något lägre"),
        (0.49, "något högre"),
        (0.5, "högre"),
        (-0.99, "lägre"),
        (1.0, "betydligt högre"),
        (-2.3, "betydligt lägre"),
    ],
    ids=str,
)
def test_wording_in_procentenheter(points: float, expected: str) -> None:
    assert wording(points, "högre", "lägre", points=True) == expected


def test_threshold_table_for_the_ui() -> None:
    assert threshold_rows() == [
        ("under 1\u00a0%", "oförändrat"),
        ("1\u00a0% till under 5\u00a0%", "något fler / något färre"),
        ("5\u00a0% till under 15\u00a0%", "fler / färre"),
        ("15\u00a0% eller mer", "betydligt fler / betydligt färre"),
        ("under 0,1 procentenheter", "oförändrat"),
        ("0,1 till under 0,5 procentenheter", "något högre / något lägre"),
        ("0,5 till under 1,0 procentenheter", "högre / lägre"),
        ("1,0 procentenheter eller mer", "betydligt högre / betydligt lägre"),
    ]


KONKURS_CLAIM = Claim(
    indicator="manadsforandring",
    comparison="previous_month",
    filters=(("measure", "konkurser_regionfakta"),),
    expected="betydligt fler",
    period="2021M03",
)


def test_bankruptcies_march_2021_are_betydligt_fler(snapshot_db: Path) -> None:
    scope = open_scope(open_reader(snapshot_db))
    result = check_claim(scope, KONKURS_CLAIM, home="23")
    assert result.status == "stöds" and result.suggested == "betydligt fler"
    assert result.observed == (
        "Jämtlands län, 2021-03: 11 jämfört med 7 i 2021-02 (föregående månad), "
        "+57,1\u00a0%, alltså betydligt fler."
    )
    wrong = check_claim(scope, replace(KONKURS_CLAIM, expected="något färre"), home="23")
    assert wrong.status == "motsägs" and wrong.suggested == "betydligt fler"


def test_latest_period_is_used_without_one(snapshot_db: Path) -> None:
    scope = open_scope(open_reader(snapshot_db))
    result = check_claim(scope, replace(KONKURS_CLAIM, period=None), home="23")
    # 2021M04: 3 against 11
    assert result.period == "2021M04" and result.suggested == "betydligt färre"
    assert result.status == "motsägs"


def test_missing_series_cannot_be_checked_and_is_named(snapshot_db: Path) -> None:
    scope = open_scope(open_reader(snapshot_db))
    meeting = load_meeting(SEEDS / "2024-06-17.toml")
    vacancies = meeting.highlights[2].claim
    assert vacancies is not None
    result = check_claim(scope, vacancies, home="23")
    assert result.status == "kan inte prövas" and result.suggested is None
    assert "inga värden för Jämtlands län" in result.observed
    assert "Nya annonser och platser i Platsbanken per månad (nya_annonser_manad)" in (
        result.observed
    )
    assert "konkurser" not in result.observed
    circular = meeting.highlights[0].claim
    assert circular is not None
    assert "sysselsatta_sni_detalj" in check_claim(scope, circular, home="23").observed
    projection = meeting.highlights[1].claim
    assert projection is not None
    assert check_claim(scope, projection, home="23").status == "kan inte prövas"


def test_missing_comparison_month_is_named(snapshot_db: Path) -> None:
    scope = open_scope(open_reader(snapshot_db))
    claim = replace(KONKURS_CLAIM, comparison="same_month_last_year")
    result = check_claim(scope, claim, home="23")
    assert result.status == "kan inte prövas"
    assert "inget värde för Jämtlands län 2020-03" in result.observed


UNEMPLOYMENT = Claim(
    indicator="arbetsmarknad_lan",
    comparison="previous_month",
    filters=(("measure", "arbetsloshet"),),
    expected="något högre",
    period="2024M01",
)


def test_rates_are_compared_in_procentenheter(snapshot_db: Path) -> None:
    scope = open_scope(open_reader(snapshot_db))
    # SCB AM0210 (BAS, 20–64 år): Jämtland 3,6 % in 2024-01, 3,5 % in 2023-12, 3,4 % in
    # 2023-01; +0,1 and +0,2 procentenheter, both "något högre" (0,1 to under 0,5), where the
    # relative changes (+2,9 % and +5,9 %) would have said "något högre" and "högre"
    month = check_claim(scope, UNEMPLOYMENT, home="23")
    assert (month.status, month.suggested) == ("stöds", "något högre")
    assert month.observed == (
        "Jämtlands län, 2024-01: 3,6\u00a0% jämfört med 3,5\u00a0% i 2023-12 "
        "(föregående månad), +0,1 procentenheter, alltså något högre."
    )
    year = check_claim(scope, replace(UNEMPLOYMENT, comparison="same_month_last_year"), home="23")
    assert (year.status, year.suggested) == ("stöds", "något högre")
    assert year.observed == (
        "Jämtlands län, 2024-01: 3,6\u00a0% jämfört med 3,4\u00a0% i 2023-01 "
        "(samma månad året innan), +0,2 procentenheter, alltså något högre."
    )
    wrong = check_claim(scope, replace(UNEMPLOYMENT, expected="högre"), home="23")
    assert wrong.status == "motsägs"


def test_rolling_twelve_months_averages_rates(snapshot_db: Path) -> None:
    scope = open_scope(open_reader(snapshot_db))
    # means of SCB's monthly rates: 39,6 / 12 = 3,3 % (2023-02..2024-01) against
    # 42,1 / 12 = 3,508 % (2022-02..2023-01), −0,208 procentenheter: "något lägre"
    claim = replace(UNEMPLOYMENT, comparison="rolling_12_year", expected="något lägre")
    result = check_claim(scope, claim, home="23")
    assert (result.status, result.suggested) == ("stöds", "något lägre")
    assert "12 månader till 2024-01" in result.observed
    assert "−0,2 procentenheter" in result.observed


def test_range_claim(snapshot_db: Path) -> None:
    scope = open_scope(open_reader(snapshot_db))
    claim = replace(UNEMPLOYMENT, comparison="range", expected=None, low=3.0, high=4.0)
    inside = check_claim(scope, claim, home="23")
    assert inside.status == "stöds"
    assert inside.observed == "Jämtlands län, 2024-01: 4,0\u00a0%; påståendet är 3,0–4,0\u00a0%."
    outside = check_claim(scope, replace(claim, low=1.0, high=3.0), home="23")
    assert outside.status == "motsägs"


def test_projection_vintages_from_statistical_news(snapshot_db: Path) -> None:
    scope = open_scope(open_reader(snapshot_db))
    claim = Claim(
        indicator="prognos_mot_utfall",
        comparison="vintages",
        region="03",
        filters=(("source_kind", "statistiknyhet"),),
        expected="något högre",
        period="2040",
        vintage="2022",
        vintages=("2021",),
    )
    # Uppsala län 2040: 460 700 (2022) against 449 700 (2021), +2,4 %
    result = check_claim(scope, claim, home="23")
    assert (result.status, result.suggested) == ("stöds", "något högre")
    assert "årgång 2022 460\u00a0700 jämfört med 449\u00a0700 i årgång 2021" in result.observed
    stockholm = check_claim(scope, replace(claim, region="01"), home="23")
    assert (stockholm.status, stockholm.suggested) == ("motsägs", "oförändrat")


def test_revision_that_contradicts_a_frozen_claim_is_flagged(snapshot_db: Path) -> None:
    meeting = Meeting(
        date="2021-04-20",
        title="Regional näringslivsdialog",
        charts=(KONKURSER,),
        highlights=(
            Highlight(text="Betydligt fler konkurser i mars.", claim=KONKURS_CLAIM),
            Highlight(text="Bara text."),
        ),
    )
    con = open_reader(snapshot_db)
    meeting = freeze(con, meeting, by="Emma", now=datetime(2021, 4, 20, tzinfo=UTC))
    before = check_highlights(con, meeting, home="23")
    con.close()
    assert [(c.index, c.current.status, c.flagged) for c in before] == [(0, "stöds", False)]
    add_release(snapshot_db, "konkurser_lan_regionfakta", {("23", "2021M03"): 7.0}, "2021M05")
    con = open_reader(snapshot_db)
    try:
        after = check_highlights(con, meeting, home="23")
    finally:
        con.close()
    (result,) = after
    assert result.presented is not None and result.presented.status == "stöds"
    assert result.current.status == "motsägs" and result.current.suggested == "oförändrat"
    assert result.current.period == "2021M03" and result.flagged
