"""The drafted list of what changed since the previous meeting's freeze.

The June meeting is frozen over the snapshot (Regionfakta: Jämtland 11 bankruptcies in
2021-03), then a release revises 2021-03 to 12 and adds 2021-05, and a new projection vintage
arrives; the expected lines are written from those numbers. The projection figures are
hand-built for the test database only.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from stats.meetings.draft import draft_changes, previous_frozen
from stats.meetings.files import list_meetings, load_meeting, meeting_path, save_meeting
from stats.meetings.model import freeze
from stats.store.dbfile import open_reader
from tests.store_checks import add_release
from tests.test_forbered_suggest import KONKURSER
from tests.test_suggest_sets import PROGNOS, _add_vintages

JUNE = "2024-06-17"


def _freeze_june(db: Path, folder: Path) -> None:
    june = load_meeting(meeting_path(folder, JUNE))
    charts = replace(june, charts=(KONKURSER, PROGNOS), highlights=())
    con = open_reader(db)
    try:
        frozen = freeze(con, charts, by="Emma", now=datetime(2024, 6, 17, 16, 55, tzinfo=UTC))
    finally:
        con.close()
    save_meeting(folder, frozen, june.revision, by="Emma")


def test_changes_since_the_last_frozen_meeting_are_drafted(
    snapshot_db: Path, meetings: Path
) -> None:
    _add_vintages(snapshot_db, {"2021": {"2040": 130_000}, "2022": {"2040": 131_000}})
    _freeze_june(snapshot_db, meetings)
    add_release(snapshot_db, "konkurser_lan_regionfakta", {("23", "2021M03"): 12.0}, "2021M05")
    _add_vintages(snapshot_db, {"2024": {"2040": 132_500}})
    con = open_reader(snapshot_db)
    try:
        # 2024-08-26 is not frozen, so the September draft goes back to June
        draft = draft_changes(con, list_meetings(meetings), "2024-09-23", home="23")
    finally:
        con.close()
    assert draft.previous is not None and draft.previous.date == JUNE
    assert draft.text() == (
        "Sedan mötet 2024-06-17 (data frysta 2024-06-17):\n"
        "- Företagskonkurser per månad och län: ny period 2021-05.\n"
        "- Företagskonkurser per månad och län: 1 reviderat värde, t.ex. Jämtlands län "
        "2021-03: 11 → 12.\n"
        "- befolkningsprognos: ny årgång 2024.\n"
    )


def test_nothing_changed_and_nothing_frozen_say_so(snapshot_db: Path, meetings: Path) -> None:
    _freeze_june(snapshot_db, meetings)
    con = open_reader(snapshot_db)
    try:
        same = draft_changes(con, list_meetings(meetings), "2024-08-26")
        first = draft_changes(con, list_meetings(meetings), JUNE)
    finally:
        con.close()
    assert same.lines == ()
    assert (
        same.text()
        == "Inget har ändrats i statistiken sedan mötet 2024-06-17 (data frysta 2024-06-17).\n"
    )
    assert first.previous is None
    assert (
        first.text() == "Inget möte före 2024-06-17 är fryst, så det finns inget att jämföra med.\n"
    )
    assert previous_frozen(list_meetings(meetings), "2024-06-18") is not None
