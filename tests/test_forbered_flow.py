"""The analyst's path on "Förbered möte" in AppTest: new meeting, two charts from the gallery,
a suggestion, a free-text highlight tied to data, a note, presenter; save, freeze, meeting page.

Expected numbers are SCB's (AM0210 via Region Dalarna, in the snapshot): Jämtland's BAS
unemployment 3,6 % in 2024-01 against 3,5 % in 2023-12, +2,9 % of the value, so "något högre"
(1 % to under 5 %); Regionfakta's bankruptcies in Jämtland 3 in 2021-04 against 11 in 2021-03.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from stats.config import ROOT
from stats.fmt import format_date
from stats.meetings.files import load_meeting, meeting_path
from stats.meetings.model import Claim
from stats.present.spec import ChartNote
from stats.text import escape_markdown
from tests.test_forbered_suggest import DAY as SEPTEMBER
from tests.test_forbered_suggest import signed_in, with_bankruptcies
from tests.test_suggest import FEWER_BANKRUPTCIES

DAY = "2026-10-26"
TIE = f"tie_{DAY}_1_"
MY_WORDS = "Arbetslösheten i länet steg något i januari."
UNEMPLOYMENT_UP = Claim(
    "arbetsmarknad_lan",
    "previous_month",
    "hemlan",
    (("measure", "arbetsloshet"),),
    "något högre",
)


def click(at: AppTest, key: str) -> None:
    at.button(key=key).click().run()
    assert not at.exception, at.exception


def add_from_gallery(at: AppTest, query: str, title: str) -> None:
    """Search the gallery so that the chart wanted comes first, and add it."""
    at.text_input(key="gallery_query").set_value(query).run()
    first = next(b for b in at.button if b.key and b.key.startswith("gallery_add"))
    assert any(m.value == f"**{escape_markdown(title)}**" for m in at.markdown)
    click(at, str(first.key))


def captions(at: AppTest) -> str:
    """The captions as read (markdown escapes removed)."""
    return "\n".join(c.value.replace("\\", "") for c in at.caption)


def test_prepare_a_meeting_from_gallery_to_frozen(
    snapshot_db: Path, meetings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = signed_in(monkeypatch)
    at.selectbox[0].set_value("Nytt möte").run()
    next(t for t in at.text_input if t.label.startswith("Datum för det nya mötet")).set_value(
        DAY
    ).run()
    assert not at.exception
    # two charts from the gallery, each with its preview
    add_from_gallery(at, "konkurs månad hemlänet", "Företagskonkurser (Regionfakta) per månad")
    add_from_gallery(at, "arbetslöshet hemlänet", "Arbetslöshet 20–64 år")
    assert at.button(key="rm1") and at.get("plotly_chart")
    # accept the first suggestion of the bankruptcies chart
    click(at, "suggest0_0")
    # a free-text highlight, tied to the unemployment chart with the form
    at.text_area(key=f"new_highlight_{DAY}").set_value(MY_WORDS)
    next(b for b in at.button if b.label == "Lägg till höjdpunkt").click().run()
    assert [t.value for t in at.text_area if t.key and t.key.startswith("hl_")] == [
        "Företagskonkurser (Regionfakta) per månad, Jämtlands län: 3 i april 2021, betydligt färre "
        "än föregående månad (11 i mars 2021, −72,7\u00a0%).",
        MY_WORDS,
    ]
    at.selectbox(key=f"{TIE}chart").set_value(1).run()
    at.selectbox(key=f"{TIE}comparison").set_value("previous_month").run()
    at.selectbox(key=f"{TIE}expected").set_value("något högre").run()
    # the check shows while the form is filled in
    assert "Stöds: Jämtlands län, 2024-01: 3,6\u00a0% jämfört med 3,5\u00a0%" in captions(at)
    click(at, f"{TIE}go")
    # a note on the unemployment chart: first a bad date, refused in Swedish
    at.text_input(key="note_at1").set_value("mars 2020")
    at.text_input(key="note_text1").set_value("Pandemin")
    click(at, "note_add1")
    assert any("ÅÅÅÅ-MM" in e.value for e in at.error)
    at.text_input(key="note_at1").set_value("2020-03")
    click(at, "note_add1")
    assert any(m.value == escape_markdown("2020-03: Pandemin") for m in at.markdown)
    # the presenter
    fields = {t.label: t for t in at.text_input}
    fields["Föredragande"].set_value("Emma Analytiker")
    fields["Roll"].set_value("analytiker, Region Jämtland Härjedalen")
    fields["Publiceras på"].set_value("www.regionjh.se/naringslivsdialog").run()
    next(b for b in at.button if b.label == "Spara").click().run()
    assert not at.exception and at.success[0].value == "Sparat (version 1)."
    next(b for b in at.button if b.label == "Frys").click().run()
    next(b for b in at.button if b.label == "Ja, frys").click().run()
    assert not at.exception and at.success[0].value == "Fryst och sparat (version 2)."

    saved = load_meeting(meeting_path(meetings, DAY))
    assert saved.frozen is not None
    assert [c.indicator for c in saved.charts] == ["manadsforandring", "arbetsmarknad_lan"]
    assert saved.charts[1].notes == (ChartNote("2020-03", "Pandemin"),)
    assert [h.claim for h in saved.highlights] == [FEWER_BANKRUPTCIES, UNEMPLOYMENT_UP]
    assert (saved.presenter, saved.publication) == (
        "Emma Analytiker",
        "www.regionjh.se/naringslivsdialog",
    )

    page = AppTest.from_file(str(ROOT / "src/stats/app/pages/mote.py"), default_timeout=60)
    page.query_params["datum"] = DAY
    page.run()
    assert not page.exception
    checks = captions(page)
    assert checks.count("Aktuella data: stöds.") == 2, checks
    # the page froze with the real clock: "Vid mötet" only when that was the meeting day
    frozen_on = format_date(saved.frozen.at)
    assert f"{'Vid mötet' if frozen_on == DAY else 'Med låsta data'}: stöds." in checks


def test_an_edited_suggestion_keeps_its_claim_and_is_still_checked(
    snapshot_db: Path, meetings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_bankruptcies(meetings)
    at = signed_in(monkeypatch)
    at.selectbox[0].set_value(SEPTEMBER).run()
    click(at, "suggest0_0")
    boxes = [t for t in at.text_area if t.key and t.key.startswith("hl_")]
    boxes[-1].set_value("Konkurserna minskade kraftigt i april.").run()
    assert not at.exception
    # the check stays under the edited words, with Regionfakta's 11 → 3
    assert "✅ Stöds: Jämtlands län, 2021-04: 3 jämfört med 11 i 2021-03" in captions(at)
    # and its tie form starts from the claim
    form = f"tie_{SEPTEMBER}_{len(boxes) - 1}_"
    assert at.selectbox(key=f"{form}comparison").value == "previous_month"
    assert at.selectbox(key=f"{form}expected").value == "betydligt färre"
    assert at.text_input(key=f"{form}period").value == "2021-04"
    # a change elsewhere (a note on the chart) keeps both the words and the claim
    at.text_input(key="note_at0").set_value("2020-03")
    at.text_input(key="note_text0").set_value("Pandemin")
    click(at, "note_add0")
    assert "✅ Stöds: Jämtlands län, 2021-04" in captions(at)
    next(b for b in at.button if b.label == "Spara").click().run()
    saved = load_meeting(meeting_path(meetings, SEPTEMBER)).highlights[-1]
    assert saved.text == "Konkurserna minskade kraftigt i april."
    assert saved.claim == FEWER_BANKRUPTCIES


def test_words_that_contradict_the_claim_show_motsags_while_editing(
    snapshot_db: Path, meetings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The claim says "betydligt färre" (Regionfakta: 11 → 3 in 2021-04); words saying
    "något fler" contradict it, and the analyst sees so before saving."""
    with_bankruptcies(meetings)
    at = signed_in(monkeypatch)
    at.selectbox[0].set_value(SEPTEMBER).run()
    click(at, "suggest0_0")
    boxes = [t for t in at.text_area if t.key and t.key.startswith("hl_")]
    boxes[-1].set_value("Konkurserna blev något fler i april.").run()
    assert not at.exception
    shown = captions(at)
    assert "Motsägs" in shown and "något" in shown, shown
    assert "✅ Stöds: Jämtlands län, 2021-04" not in shown


def test_hostile_search_words_are_shown_as_text(
    snapshot_db: Path, meetings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = signed_in(monkeypatch)
    words = "**fet** <img src=x onerror=alert(1)> [länk](javascript:alert(1))"
    at.text_input(key="gallery_query").set_value(words).run()
    assert not at.exception
    assert at.info[0].value == f"Inget diagram med data matchar ”{escape_markdown(words)}”."


def test_a_chart_with_a_note_is_still_in_the_meeting_for_the_gallery(
    snapshot_db: Path, meetings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The gallery offers charts without notes; one in the meeting with a note must read as
    "Finns i mötet", not be offered again (an analyst added a duplicate that way)."""
    from dataclasses import replace

    from stats.meetings.files import save_meeting
    from stats.present.gallery import read_gallery, search
    from stats.store.dbfile import open_reader

    con = open_reader(snapshot_db)
    try:
        from stats.analysis.indicators import open_scope

        entry = search(read_gallery(open_scope(con), "23"), "konkurs")[0]
    finally:
        con.close()
    september = load_meeting(meeting_path(meetings, SEPTEMBER))
    noted = replace(entry.spec, notes=(ChartNote("2021-03", "Pandemin"),))
    save_meeting(meetings, replace(september, charts=(noted,)), september.revision, by="Emma")
    at = signed_in(monkeypatch)
    at.selectbox[0].set_value(SEPTEMBER).run()
    at.text_input(key="gallery_query").set_value("konkurs").run()
    shown = [b for b in at.button if b.key and b.key.startswith("gallery_add")]
    assert shown[0].label == "Finns i mötet" and shown[0].disabled
