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
