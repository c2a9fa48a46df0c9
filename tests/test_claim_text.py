"""A highlight's own words against its claim's wording: "betydligt" in the text is not
supported by a claim worded "något högre", whatever the data says."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from stats.analysis.highlights import check_claim, check_highlights, text_against_claim
from stats.analysis.indicators import open_scope
from stats.analysis.wording import COUNTS, LEVELS, text_disagreement
from stats.config import ROOT
from stats.meetings.files import load_meeting
from stats.meetings.model import Claim, Highlight, Meeting, freeze
from stats.store.dbfile import open_reader
from tests.test_highlights import KONKURS_CLAIM, UNEMPLOYMENT
from tests.test_meetings import KONKURSER


@pytest.mark.parametrize(
    ("text", "expected", "pair", "reason"),
    [
        # the brief's cases
        ("något fler än föregående månad", "något fler", COUNTS, None),
        (
            "betydligt fler än föregående månad",
            "något fler",
            COUNTS,
            "Texten säger ”betydligt”, kopplingen ”något fler”.",
        ),
        ("Färre konkurser i mars", "fler", COUNTS, "Texten säger ”färre”, kopplingen ”fler”."),
        ("Arbetslösheten steg något i januari", "något högre", LEVELS, None),
        (
            "Arbetslösheten ökade betydligt i januari",
            "något högre",
            LEVELS,
            "Texten säger ”betydligt”, kopplingen ”något högre”.",
        ),
        # "risk för ökade" reads as up: no strength word, so only the direction is checked
        ("Fortsatt risk för ökade konkurser", "något fler", COUNTS, None),
        ("Fortsatt risk för ökade konkurser", "fler", COUNTS, None),
        (
            "Fortsatt risk för ökade konkurser",
            "färre",
            COUNTS,
            "Texten säger ”ökade”, kopplingen ”färre”.",
        ),
        (
            "Fortsatt risk för ökade konkurser",
            "oförändrat",
            COUNTS,
            "Texten säger ”ökade”, kopplingen ”oförändrat”.",
        ),
        # strength and direction both wrong: both quoted, in the text's order
        (
            "Betydligt färre lediga platser",
            "något fler",
            COUNTS,
            "Texten säger ”betydligt färre”, kopplingen ”något fler”.",
        ),
        # a plain "fler" claim (5 to under 15 %) is not "något fler" (1 to under 5 %)
        ("Något fler varsel", "fler", COUNTS, "Texten säger ”något”, kopplingen ”fler”."),
        ("Antalet varsel var oförändrat", "oförändrat", COUNTS, None),
        ("Arbetslösheten är oförändrad", "oförändrat", LEVELS, None),
        (
            "Arbetslösheten är oförändrad",
            "något lägre",
            LEVELS,
            "Texten säger ”oförändrad”, kopplingen ”något lägre”.",
        ),
        ("Arbetslösheten sjönk något", "något lägre", LEVELS, None),
        (
            "Arbetslösheten minskade",
            "något högre",
            LEVELS,
            "Texten säger ”minskade”, kopplingen ”något högre”.",
        ),
        # free prose: none of the vocabulary
        ("Hur kan vi jobba vidare med detta?", "betydligt fler", COUNTS, None),
        # "något" as a pronoun, away from any direction word, is no strength
        ("Något att tänka på: fler konkurser", "fler", COUNTS, None),
        # the other unit's pair is no direction: "högre utbildning" in a count's text
        ("Fler sysselsatta med högre utbildning", "fler", COUNTS, None),
        # a negation makes the text unclear: never flagged
        ("Arbetslösheten ökade inte", "oförändrat", LEVELS, None),
        # the claim's words among others (two comparisons in one sentence): not flagged
        ("Fler konkurser än i maj men färre än i fjol", "fler", COUNTS, None),
    ],
)
def test_text_against_wording(
    text: str, expected: str, pair: tuple[str, str], reason: str | None
) -> None:
    assert text_disagreement(text, expected, pair) == reason


def test_a_claim_without_wording_is_not_read() -> None:
    rng = replace(UNEMPLOYMENT, comparison="range", expected=None, low=3.0, high=4.0)
    assert text_against_claim("Betydligt lägre än i fjol, 3–4 %", rng) is None
    assert text_against_claim("Betydligt lägre", replace(UNEMPLOYMENT, expected=None)) is None
    # the pair comes from the claim's unit: unemployment (procent) uses högre/lägre
    assert text_against_claim("Arbetslösheten var lägre", UNEMPLOYMENT) == (
        "Texten säger ”lägre”, kopplingen ”något högre”."
    )


def test_supported_claim_with_contradicting_text_is_motsags(snapshot_db: Path) -> None:
    scope = open_scope(open_reader(snapshot_db))
    # Jämtland 2024-01: 3,6 % against 3,5 %, +0,1 procentenheter: "något högre" (stöds)
    plain = check_claim(scope, UNEMPLOYMENT, home="23")
    agrees = check_claim(scope, UNEMPLOYMENT, home="23", text="Arbetslösheten steg något.")
    assert plain.status == agrees.status == "stöds" and agrees.disagreement is None
    assert agrees.observed == plain.observed
    text = "Arbetslösheten ökade betydligt i januari."
    said = check_claim(scope, UNEMPLOYMENT, home="23", text=text)
    reason = "Texten säger ”betydligt”, kopplingen ”något högre”."
    assert (said.status, said.disagreement, said.suggested) == ("motsägs", reason, "något högre")
    assert said.observed == f"{reason} {plain.observed}"


def test_untestable_claim_keeps_its_status_but_carries_the_reason(snapshot_db: Path) -> None:
    scope = open_scope(open_reader(snapshot_db))
    vacancies = load_meeting(ROOT / "data" / "meetings" / "2024-06-17.toml").highlights[2].claim
    assert vacancies is not None and vacancies.expected == "något fler"
    # the snapshot has no Platsbanken series: "kan inte prövas" stays, the reason comes first
    result = check_claim(scope, vacancies, home="23", text="Betydligt fler lediga platser.")
    assert result.status == "kan inte prövas"
    assert result.disagreement == "Texten säger ”betydligt”, kopplingen ”något fler”."
    assert result.observed.startswith("Texten säger ”betydligt”, kopplingen ”något fler”. Kan")


@pytest.mark.parametrize(
    "path",
    [
        ROOT / "data" / "meetings" / "2024-06-17.toml",
        ROOT / "tests" / "fixtures" / "meetings" / "2024-06-17.toml",
    ],
    ids=["data", "fixtures"],
)
def test_seed_highlights_agree_with_their_claims(path: Path, snapshot_db: Path) -> None:
    """The five highlights of 2024-06-17, read by hand: 1–3 % is a range (not read); "något
    högre befolkningsökning" = "något högre"; "något fler än föregående månad, men fortfarande
    oförändrat läge under året" has the claim's "något fler" (the "oförändrat" is the year);
    the last two have no claim."""
    meeting = load_meeting(path)
    assert len(meeting.highlights) == 5
    claims = [(h.text, h.claim) for h in meeting.highlights if h.claim is not None]
    assert len(claims) == 3
    assert [text_against_claim(text, claim) for text, claim in claims] == [None, None, None]
    con = open_reader(snapshot_db)
    try:
        checks = check_highlights(con, meeting, home="23")
    finally:
        con.close()
    assert [c.current.disagreement for c in checks] == [None, None, None]
    assert "motsägs" not in [c.current.status for c in checks]


def _meeting(text: str, claim: Claim) -> Meeting:
    return Meeting(
        date="2021-04-20",
        title="Regional näringslivsdialog",
        charts=(KONKURSER,),
        highlights=(Highlight(text=text, claim=claim),),
    )


def test_frozen_highlight_whose_text_disagrees_is_flagged(snapshot_db: Path) -> None:
    # March 2021: 11 bankruptcies against 7, "betydligt fler" (stöds in the data)
    con = open_reader(snapshot_db)
    try:
        agreeing = freeze(
            con,
            _meeting("Betydligt fler konkurser i mars.", KONKURS_CLAIM),
            by="Emma",
            now=datetime(2021, 4, 20, tzinfo=UTC),
        )
        wrong = replace(agreeing, highlights=(Highlight("Något fler konkurser.", KONKURS_CLAIM),))
        (fine,) = check_highlights(con, agreeing, home="23")
        (result,) = check_highlights(con, wrong, home="23")
    finally:
        con.close()
    assert (fine.current.status, fine.flagged) == ("stöds", False)
    assert result.presented is not None and result.presented.status == "motsägs"
    assert result.current.status == "motsägs" and result.flagged
    assert result.current.disagreement == "Texten säger ”något”, kopplingen ”betydligt fler”."
