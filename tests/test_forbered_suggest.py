"""Förbered möte: chart previews, suggested highlights added with one click, Swedish forms."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from stats.config import ROOT
from stats.meetings.files import load_meeting, meeting_path, save_meeting
from stats.present.spec import ChartSpec
from stats.text import escape_markdown
from tests.test_suggest import FEWER_BANKRUPTCIES

FORBERED = str(ROOT / "src" / "stats" / "app" / "pages" / "forbered.py")
KONKURSER = ChartSpec(
    "manadsforandring",
    title="Företagskonkurser",
    regions=("hemlan",),
    filters=(("measure", "konkurser_regionfakta"),),
)
DAY = "2024-09-23"


def signed_in(monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("STATS_ANALYST_PASSWORD", "hemligt")
    at = AppTest.from_file(FORBERED, default_timeout=60).run()
    at.text_input[0].set_value("Emma")
    at.text_input[1].set_value("hemligt")
    at.button[0].click().run()
    assert not at.exception
    return at


def with_bankruptcies(folder: Path) -> None:
    """The September meeting with one bankruptcies chart (Regionfakta data in the snapshot)."""
    september = load_meeting(meeting_path(folder, DAY))
    save_meeting(folder, replace(september, charts=(KONKURSER,)), september.revision, by="Emma")


def test_login_form_has_no_english_enter_hint(
    snapshot_db: Path, meetings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STATS_ANALYST_PASSWORD", "hemligt")
    at = AppTest.from_file(FORBERED, default_timeout=60).run()
    forms = [f.proto.form for f in at.get("form") if f.proto.form.form_id == "login"]
    assert forms and forms[0].enter_to_submit is False


def test_a_suggestion_is_added_with_its_claim_and_saved(
    snapshot_db: Path, meetings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_bankruptcies(meetings)
    before = load_meeting(meeting_path(meetings, DAY)).highlights
    at = signed_in(monkeypatch)
    at.selectbox[0].set_value(DAY).run()
    assert not at.exception
    # the chart's preview and its suggestion, with the numbers from Regionfakta (11 → 3)
    assert at.get("plotly_chart")
    sentence = (
        "Företagskonkurser, Jämtlands län: 3 i april 2021, betydligt färre än föregående månad "
        "(11 i mars 2021, −72,7\u00a0%)."
    )
    assert any(m.value == escape_markdown(sentence) for m in at.markdown)
    at.button(key="suggest0_0").click().run()
    assert not at.exception
    # added to the meeting being edited, not yet to the file
    assert any(t.value == sentence for t in at.text_area)
    assert at.button(key="suggest0_0").disabled
    assert load_meeting(meeting_path(meetings, DAY)).highlights == before
    next(b for b in at.button if b.label == "Spara").click().run()
    assert not at.exception and at.success
    saved = load_meeting(meeting_path(meetings, DAY)).highlights
    assert len(saved) == len(before) + 1
    assert saved[-1].text == sentence
    assert saved[-1].claim == FEWER_BANKRUPTCIES
