"""A frozen meeting's data is named truthfully: "data som visades" only for a freeze on the
meeting day, "data låsta … inför mötet …" for a freeze when the slot was prepared."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from stats.export.from_meeting import meeting_section
from stats.meetings.files import load_meeting, meeting_path, save_meeting
from stats.meetings.frozen_words import (
    frozen_label,
    frozen_note,
    presented_prefix,
    since_frozen,
)
from stats.meetings.model import Frozen, Highlight, Meeting, freeze
from stats.publish.html import Listed, index_body
from stats.store.dbfile import open_reader
from tests.test_highlights import KONKURS_CLAIM
from tests.test_meeting_pages import KONKURSER, page
from tests.test_pages import shown

DECEMBER = "2026-12-14"


def _frozen(day: str, at: str) -> Meeting:
    pins = Frozen(at=at, by="Emma", releases={}, vintages={})
    return Meeting(date=day, title="Regional näringslivsdialog", frozen=pins)


@pytest.mark.parametrize(
    ("day", "at", "label", "prefix", "since"),
    [
        # frozen on the meeting day (18:55 Swedish summer time)
        (
            "2024-06-17",
            "2024-06-17T16:55:00+00:00",
            "data som visades 2024-06-17",
            "Vid mötet",
            "sedan mötet",
        ),
        # 22:30 UTC on the 16th is 00:30 on the 17th in Sweden: the meeting day
        (
            "2024-06-17",
            "2024-06-16T22:30:00+00:00",
            "data som visades 2024-06-17",
            "Vid mötet",
            "sedan mötet",
        ),
        # frozen when the slot was prepared, two weeks ahead
        (
            DECEMBER,
            "2026-12-01T09:15:00+01:00",
            "data låsta 2026-12-01 inför mötet 2026-12-14",
            "Med låsta data",
            "sedan data låstes",
        ),
        # frozen three days after the meeting: not claimed to be what was shown
        (
            "2024-06-17",
            "2024-06-20T08:00:00+02:00",
            "data låsta 2024-06-20, efter mötet 2024-06-17",
            "Med låsta data",
            "sedan data låstes",
        ),
    ],
)
def test_label_by_freeze_date_against_meeting_date(
    day: str, at: str, label: str, prefix: str, since: str
) -> None:
    meeting = _frozen(day, at)
    assert frozen_label(meeting) == label
    assert frozen_note(meeting) == label[0].upper() + label[1:] + "."
    assert presented_prefix(meeting) == prefix
    assert since_frozen(meeting) == since


def test_label_does_not_depend_on_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Republished before or after the meeting, the words are the same."""
    meeting = _frozen(DECEMBER, "2026-12-01T09:15:00+01:00")
    labels = set()
    for today in ("2026-12-01", DECEMBER, "2027-03-01"):
        monkeypatch.setenv("STATS_TODAY", today)
        labels.add(frozen_label(meeting))
    assert labels == {"data låsta 2026-12-01 inför mötet 2026-12-14"}


def test_unfrozen_meeting_has_no_label() -> None:
    with pytest.raises(ValueError, match="2024-06-17"):
        frozen_label(Meeting(date="2024-06-17", title="Möte"))


def test_the_pins_alone_only_say_when() -> None:
    """Without the meeting (the Förbered page's "Redan fryst: …") the label says only when."""
    assert _frozen(DECEMBER, "2026-12-01T09:15:00+01:00").frozen.label() == (  # type: ignore[union-attr]
        "data låsta 2026-12-01"
    )


def _december(db: Path, folder: Path) -> Meeting:
    """A meeting on 2026-12-14, frozen on 2026-12-01 with bankruptcies, saved in `folder`.

    Its one highlight says "något fler" where its claim (March 2021, 11 against 7) says
    "betydligt fler"."""
    june = load_meeting(meeting_path(folder, "2024-06-17"))
    said = Highlight(text="Något fler konkurser i mars.", claim=KONKURS_CLAIM)
    meeting = replace(
        june, date=DECEMBER, charts=(KONKURSER,), highlights=(said,), notes="", revision=0
    )
    con = open_reader(db)
    try:
        done = freeze(con, meeting, by="Emma", now=datetime(2026, 12, 1, 8, 15, tzinfo=UTC))
    finally:
        con.close()
    save_meeting(folder, done, base_revision=0, by="Emma")
    return done


def test_export_and_index_say_locked_before_the_meeting(snapshot_db: Path, meetings: Path) -> None:
    meeting = _december(snapshot_db, meetings)
    con = open_reader(snapshot_db)
    try:
        section = meeting_section(con, meeting, "23")
    finally:
        con.close()
    assert section.data_note == "Data låsta 2026-12-01 inför mötet 2026-12-14."
    listed = Listed(section.meeting_date, section.title, section.about, section.data_note)
    # the index keeps dates whole in <span class="date">; the words read the same
    index_text = re.sub(r"<span class=\"date\">([^<]*)</span>", r"\1", index_body([listed]))
    assert "Data låsta 2026-12-01 inför mötet 2026-12-14.</span>" in index_text
    assert "som visades" not in index_body([listed])


def test_meeting_page_before_the_meeting(snapshot_db: Path, meetings: Path) -> None:
    _december(snapshot_db, meetings)
    at = page("mote.py", datum=DECEMBER)
    assert not at.exception
    assert [s.value for s in at.success] == ["Fryst: data låsta 2026-12-01 inför mötet 2026-12-14."]
    captions = [shown(c.value) for c in at.caption]
    assert any(c.startswith("Med låsta data: motsägs. Texten säger ”något”") for c in captions)
    assert not any("Vid mötet" in c or "som visades" in c for c in captions)
    # the text contradicts its claim: a warning with the reason, and the data's wording
    [warning] = [shown(w.value) for w in at.warning]
    assert warning.startswith(
        "Aktuella data: motsägs. Texten säger ”något”, kopplingen ”betydligt fler”. "
        "Jämtlands län, 2021-03: 11 jämfört med 7"
    )
    assert warning.endswith("Förslag på formulering: ”betydligt fler”.")


def test_index_before_the_meeting(snapshot_db: Path, meetings: Path) -> None:
    _december(snapshot_db, meetings)
    at = page("moten.py")
    assert not at.exception
    captions = [shown(c.value) for c in at.caption]
    assert any("fryst, data låsta 2026-12-01 inför mötet 2026-12-14" in c for c in captions)
