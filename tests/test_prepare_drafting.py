"""Editing a meeting on "Förbered möte" without Streamlit: charts, notes, claims, Swedish errors."""

from __future__ import annotations

import pytest

from stats.app.prepare.drafting import (
    DraftError,
    add_chart,
    add_note,
    build_claim,
    comparisons_for,
    move_chart,
    parse_note,
    parse_period,
    remove_chart,
    remove_note,
    tie_claim,
)
from stats.meetings.model import Claim, Highlight, Meeting
from stats.present.spec import ChartNote, ChartSpec

A = ChartSpec("manadsforandring", filters=(("measure", "konkurser_regionfakta"),))
B = ChartSpec("arbetsmarknad_lan", filters=(("measure", "arbetsloshet"),))
C = ChartSpec("prognos_mot_utfall", split="vintage")
MEETING = Meeting(date="2026-10-26", title="Möte", charts=(A, B, C))


def test_charts_move_within_bounds_and_are_removed() -> None:
    assert move_chart(MEETING, 0, 1).charts == (B, A, C)
    assert move_chart(MEETING, 2, -1).charts == (A, C, B)
    assert move_chart(MEETING, 0, -1) == MEETING
    assert move_chart(MEETING, 2, 1) == MEETING
    assert remove_chart(MEETING, 1).charts == (A, C)
    assert add_chart(MEETING, A) == MEETING
    assert add_chart(remove_chart(MEETING, 0), A).charts == (B, C, A)


def test_notes_are_added_in_date_order_and_removed() -> None:
    meeting = add_note(MEETING, 1, parse_note(" 2020-03 ", " Pandemin "))
    meeting = add_note(meeting, 1, parse_note("2019", "AGI-byte"))
    assert meeting.charts[1].notes == (
        ChartNote("2019", "AGI-byte"),
        ChartNote("2020-03", "Pandemin"),
    )
    assert meeting.charts[0].notes == ()
    assert remove_note(meeting, 1, 0).charts[1].notes == (ChartNote("2020-03", "Pandemin"),)


@pytest.mark.parametrize(
    ("at", "text", "message"),
    [
        ("mars 2020", "Pandemin", "ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD"),
        ("2020-13", "Pandemin", "ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD"),
        ("2021-02-30", "Pandemin", "2021-02-30 är inget datum i kalendern."),
        ("2020-03", "  ", "Skriv en kort text"),
        ("2020-03", "x" * 81, "högst 80 tecken (nu 81)"),
    ],
    ids=["words", "month-13", "feb-30", "no-text", "too-long"],
)
def test_bad_notes_are_refused_in_swedish(at: str, text: str, message: str) -> None:
    with pytest.raises(DraftError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_note(at, text)


def test_periods_are_typed_as_shown() -> None:
    assert parse_period("2024-01") == "2024M01"
    assert parse_period(" 2040 ") == "2040"
    assert parse_period("") is None
    with pytest.raises(DraftError, match="ÅÅÅÅ-MM"):
        parse_period("jan 2024")


def test_comparisons_make_sense_for_the_chart() -> None:
    assert comparisons_for(A, ["2021M03", "2021M04"]) == (
        "previous_month",
        "same_month_last_year",
        "rolling_12_year",
        "range",
    )
    assert comparisons_for(C, ["2030", "2040"]) == ("vintages", "range")
    assert comparisons_for(A, []) == ("range",)


def test_claims_are_built_from_the_chart_and_tied_to_a_highlight() -> None:
    claim = build_claim(B, "previous_month", "hemlan", "2024M01", "något högre")
    assert claim == Claim(
        "arbetsmarknad_lan",
        "previous_month",
        "hemlan",
        (("measure", "arbetsloshet"),),
        "något högre",
        period="2024M01",
    )
    meeting = Meeting(date="2026-10-26", title="Möte", highlights=(Highlight("Text"),))
    tied = tie_claim(meeting, 0, claim)
    assert tied.highlights[0] == Highlight("Text", claim)
    assert build_claim(B, "range", "riket", None, bounds=(3.5, 3.7)).low == 3.5
    with pytest.raises(DraftError, match="ordval"):
        build_claim(B, "previous_month", "hemlan", None, None)
    with pytest.raises(DraftError, match="intervall"):
        build_claim(B, "range", "hemlan", None, bounds=(4.0, 3.0))
    with pytest.raises(DraftError, match="årgång"):
        build_claim(C, "vintages", "hemlan", "2040", "högre")
