"""A recurring meeting prepared quickly: a new meeting starts from the previous one; feedback
as a toast where the analyst is; removing a chart and freezing are asked first; a frozen
meeting says so at the top; the move buttons are named in words; the preview stays signed in.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.proto.PageLink_pb2 import PageLink
from streamlit.testing.v1 import AppTest

from stats.app.prepare.drafting import carried_over, previous_meeting
from stats.config import ROOT
from stats.fmt import format_date
from stats.meetings.files import load_meeting, meeting_path
from stats.meetings.model import Frozen, Highlight, Meeting
from stats.present.spec import ChartNote, ChartSpec
from tests.test_forbered_suggest import DAY as SEPTEMBER
from tests.test_forbered_suggest import signed_in, with_bankruptcies

JUNE = "2024-06-17"
JULY = "2024-07-15"
CHART = ChartSpec("manadsforandring", notes=(ChartNote("2020-03", "Pandemin"),))
FROZEN = Frozen(at="2024-06-17T10:00:00+00:00", by="Emma", releases={}, vintages={})
LAST = Meeting(
    date=JUNE,
    title="Näringslivsdialog",
    region="23",
    kind="fördjupning",
    start="09:00",
    place="Östersund",
    presenter="Emma Persson",
    presenter_role="regional analytiker RJH",
    publication="www.regionjh.se/naringslivsdialog",
    charts=(CHART,),
    highlights=(Highlight("Fler lediga platser i maj."),),
    notes="Frågor om varsel.",
    frozen=FROZEN,
    previous_freezes=(FROZEN,),
    revision=4,
    saved_by="Emma",
    saved_at="2024-06-17T12:00:00+00:00",
)


def test_a_new_meeting_carries_the_set_up_but_not_last_months_findings() -> None:
    new = carried_over(LAST, JULY, "23")
    assert new == Meeting(
        date=JULY,
        title="Näringslivsdialog",
        region="23",
        kind="fördjupning",
        place="Östersund",
        presenter="Emma Persson",
        presenter_role="regional analytiker RJH",
        publication="www.regionjh.se/naringslivsdialog",
        charts=(CHART,),
    )
    assert new.charts[0].notes == (ChartNote("2020-03", "Pandemin"),)


def test_the_previous_meeting_is_the_latest_before_the_day() -> None:
    august = replace(LAST, date="2024-08-26")
    assert previous_meeting([august, LAST], JULY) == LAST
    assert previous_meeting([LAST, august], "2024-09-01") == august
    assert previous_meeting([LAST, august], JUNE) is None
    assert previous_meeting([], JULY) is None


def seed_june(meetings: Path) -> Meeting:
    """The seed meeting of the repository (with its presenter) in the tests' folder."""
    shutil.copy(ROOT / "data" / "meetings" / f"{JUNE}.toml", meetings)
    return load_meeting(meeting_path(meetings, JUNE))


def click(at: AppTest, label: str) -> None:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception


def start_new(at: AppTest, day: str) -> None:
    at.selectbox[0].set_value("Nytt möte").run()
    date = next(t for t in at.text_input if t.label.startswith("Datum för det nya mötet"))
    date.set_value(day).run()
    assert not at.exception, at.exception


def texts(at: AppTest) -> dict[str, str]:
    return {t.label: t.value for t in at.text_input}


def chart_count(at: AppTest) -> int:
    return sum(1 for b in at.button if b.key and b.key.startswith("rm") and b.key[2:].isdigit())


def test_a_new_meeting_starts_from_the_previous_one(
    meetings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    june = seed_june(meetings)
    assert len(june.charts) == 8 and june.presenter == "Emma Persson"
    at = signed_in(monkeypatch)
    start_new(at, JULY)
    box = at.checkbox(key=f"carry_{JULY}")
    assert box.value and box.label == f"Utgå från förra mötet ({JUNE})"
    assert chart_count(at) == 8
    assert texts(at)["Föredragande"] == "Emma Persson"
    assert texts(at)["Publiceras på"] == "www.regionjh.se/naringslivsdialog"
    # last month's highlights and notes are not carried
    assert not [t for t in at.text_area if t.key and t.key.startswith("hl_")]
    assert next(t for t in at.text_area if t.label.startswith("Anteckningar")).value == ""
    # unticked: an empty meeting; ticked again: carried again
    box.uncheck().run()
    assert chart_count(at) == 0 and texts(at)["Föredragande"] == ""
    at.checkbox(key=f"carry_{JULY}").check().run()
    assert chart_count(at) == 8
    click(at, "Spara")
    saved = load_meeting(meeting_path(meetings, JULY))
    assert saved.charts == june.charts and saved.presenter == "Emma Persson"
    assert saved.highlights == () and saved.frozen is None and saved.notes == ""
    # the page stays on the meeting just saved, though later meetings exist
    assert at.selectbox[0].value == JULY
    assert [t.value for t in at.toast] == ["Sparat (version 1)."]


def test_the_first_meeting_of_a_region_starts_empty(
    meetings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = signed_in(monkeypatch)
    start_new(at, "2024-01-15")
    assert not at.checkbox and chart_count(at) == 0


def test_removing_a_chart_is_asked_first(meetings: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seed_june(meetings)
    at = signed_in(monkeypatch)
    at.selectbox[0].set_value(JUNE).run()
    assert (at.button(key="up1").label, at.button(key="down1").label) == (
        "Flytta upp",
        "Flytta ned",
    )
    at.button(key="rm0").click().run()
    assert chart_count(at) == 8
    assert any(w.value.startswith("Ta bort diagrammet ”Nya lediga") for w in at.warning)
    click(at, "Avbryt")
    assert chart_count(at) == 8 and not at.warning
    at.button(key="rm0").click().run()
    click(at, "Ja, ta bort")
    assert chart_count(at) == 7 and not any(b.label == "Ja, ta bort" for b in at.button)
    assert len(load_meeting(meeting_path(meetings, JUNE)).charts) == 8  # until "Spara"


def test_freezing_is_asked_first_and_a_frozen_meeting_says_so(
    snapshot_db: Path, meetings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_bankruptcies(meetings)
    at = signed_in(monkeypatch)
    at.selectbox[0].set_value(SEPTEMBER).run()
    assert not any("Mötet är fryst" in w.value for w in at.warning)
    click(at, "Frys")
    assert any(w.value.startswith("Frysning låser") for w in at.warning)
    click(at, "Avbryt")
    assert load_meeting(meeting_path(meetings, SEPTEMBER)).frozen is None
    click(at, "Frys")
    click(at, "Ja, frys")
    assert load_meeting(meeting_path(meetings, SEPTEMBER)).frozen is not None
    assert [t.value for t in at.toast] == ["Fryst och sparat (version 3)."]
    # the notice stands at the top, before the form
    frozen_at = load_meeting(meeting_path(meetings, SEPTEMBER)).frozen
    assert frozen_at is not None  # stamped by the real clock: the notice names its date
    assert f"Mötet är fryst {format_date(frozen_at.at)}" in at.warning[0].value
    assert "fryser om" in at.warning[0].value
    click(at, "Frys om med dagens data")
    assert any("Den gamla frysningen" in w.value for w in at.warning)


def preview(at: AppTest) -> PageLink:
    links = [e.proto for e in at.get("page_link")]
    return next(p for p in links if p.label == "Förhandsgranska mötessidan")


def test_the_preview_opens_the_meeting_page_in_the_same_tab_once_saved(
    meetings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STATS_ANALYST_PASSWORD", "hemligt")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("src/stats/app/pages/forbered.py").run()
    at.text_input[0].set_value("Emma")
    at.text_input[1].set_value("hemligt")
    at.button[0].click().run()
    at.selectbox[0].set_value(SEPTEMBER).run()
    assert not at.exception, at.exception
    link = preview(at)
    assert (link.label, link.page, link.query_string) == (
        "Förhandsgranska mötessidan",
        "mote",
        f"datum={SEPTEMBER}",
    )
    assert not link.disabled
    # typed and not saved: the page would show the saved meeting and the typing would be lost
    next(t for t in at.text_input if t.label == "Plats").set_value("Östersund").run()
    assert preview(at).disabled
    # back from the meeting page: the same meeting, not the latest
    at.switch_page("src/stats/app/pages/mote.py").run()
    at.switch_page("src/stats/app/pages/forbered.py").run()
    assert not at.exception, at.exception
    assert at.selectbox[0].value == SEPTEMBER
