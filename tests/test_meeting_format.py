"""The meeting file format is versioned: older files migrate on read, newer ones are refused."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from stats.meetings.file_format import FORMAT, dumps_meeting, parse_meeting
from stats.meetings.files import (
    MeetingNotFound,
    find_meeting,
    list_meetings,
    load_meeting,
    save_meeting,
)
from stats.meetings.model import Highlight, MeetingError
from stats.present.spec import ChartNote
from tests.conftest import SEED_MEETINGS

FORMAT_1 = sorted(SEED_MEETINGS.glob("*.toml"))


def test_the_2024_files_are_format_1_as_committed() -> None:
    assert [p.name for p in FORMAT_1] == [
        "2024-06-17.toml", "2024-08-26.toml", "2024-09-23.toml", "2024-10-28.toml",
        "2024-11-25.toml",
    ]  # fmt: skip
    for path in FORMAT_1:
        assert "format" not in tomllib.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", FORMAT_1, ids=lambda p: p.name)
def test_format_1_files_load_and_write_as_the_current_format(path: Path) -> None:
    meeting = load_meeting(path)
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    assert meeting.date == raw["date"] and meeting.title == raw["title"]
    assert len(meeting.charts) == len(raw.get("chart", []))
    assert [h.text for h in meeting.highlights] == [h["text"] for h in raw.get("highlight", [])]
    assert meeting.region is None
    text = dumps_meeting(meeting)
    assert tomllib.loads(text)["format"] == FORMAT
    assert parse_meeting(text, path.name) == meeting


def test_a_newer_format_is_refused_by_name(tmp_path: Path) -> None:
    text = (SEED_MEETINGS / "2024-06-17.toml").read_text(encoding="utf-8")
    newer = FORMAT + 1
    with pytest.raises(MeetingError, match=f"format {newer}, newer than this program reads"):
        parse_meeting(f"format = {newer}\n" + text, "2024-06-17.toml")


def test_meetings_of_another_region_are_not_this_dialogs(tmp_path: Path) -> None:
    june = load_meeting(SEED_MEETINGS / "2024-06-17.toml")
    august = load_meeting(SEED_MEETINGS / "2024-08-26.toml")
    save_meeting(tmp_path, replace(june, region="20"), 0)
    save_meeting(tmp_path, replace(august, region="23"), 0)
    assert [m.date for m in list_meetings(tmp_path, "23")] == ["2024-08-26"]
    assert [m.date for m in list_meetings(tmp_path, "20")] == ["2024-06-17"]
    with pytest.raises(MeetingNotFound, match="hör till Region Dalarnas näringslivsdialog"):
        find_meeting(tmp_path, "2024-06-17", "23")
    with pytest.raises(MeetingError, match="region: must be a län code"):
        parse_meeting(dumps_meeting(replace(june, region="99")), "2024-06-17.toml")


def test_saving_removes_control_characters(tmp_path: Path) -> None:
    june = load_meeting(SEED_MEETINGS / "2024-06-17.toml")
    typed = Highlight(text="Ny rad\x0bsedan\x00 slut 🚀", note="a\x07b")
    saved = save_meeting(tmp_path, replace(june, highlights=(typed,), title="Möte\x1b"), 0)
    assert saved.highlights[0].text == "Ny rad\nsedan slut 🚀"
    assert saved.highlights[0].note == "ab"
    assert saved.title == "Möte"
    assert load_meeting(tmp_path / "2024-06-17.toml") == saved


def test_presenter_and_chart_notes_round_trip_as_plain_text() -> None:
    june = load_meeting(SEED_MEETINGS / "2024-06-17.toml")
    note = ChartNote(at="2020-03", text='Pandemin <b>"=1+1"</b>')
    chart = replace(june.charts[0], notes=(note, ChartNote(at="2024-06-17", text="Möte")))
    meeting = replace(
        june,
        presenter="Emma Persson",
        presenter_role="regional analytiker RJH",
        publication="www.regionjh.se/naringslivsdialog",
        charts=(chart, *june.charts[1:]),
    )
    text = dumps_meeting(meeting)
    assert parse_meeting(text, "2024-06-17.toml") == meeting
    assert tomllib.loads(text)["chart"][0]["notes"][0] == {"at": "2020-03", "text": note.text}


@pytest.mark.parametrize(
    ("notes", "message"),
    [
        ('[{at = "2020-13", text = "x"}]', "must be YYYY, YYYY-MM or YYYY-MM-DD"),
        ('[{at = "2021-02-30", text = "x"}]', "is not a calendar date"),
        ('[{at = "2021-02-30\\n", text = "x"}]', "must be YYYY, YYYY-MM or YYYY-MM-DD"),
        ('[{at = "2020", text = ""}]', "must be 1–80 characters"),
        ('[{at = "2020", text = "x", url = "y"}]', "exactly the keys"),
        ('"2020"', "must be a list"),
    ],
)
def test_a_bad_chart_note_is_refused_by_key(notes: str, message: str) -> None:
    text = (
        'format = 4\ndate = "2024-06-17"\ntitle = "M"\n\n[[chart]]\n'
        f'indicator = "manadsforandring"\nnotes = {notes}\n'
    )
    with pytest.raises(MeetingError, match=r"chart\[0\]\.notes"):
        parse_meeting(text, "2024-06-17.toml")
    with pytest.raises(MeetingError, match=message):
        parse_meeting(text, "2024-06-17.toml")
