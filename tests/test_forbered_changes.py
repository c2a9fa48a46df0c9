"""Förbered möte drafts what changed since the previous frozen meeting, and the minutes text.

The June meeting is frozen over the snapshot, then a test release revises one bankruptcy
figure (Jämtland 2021-03: 11 → 12, a value built here, never in data/) and adds 2021-05.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from stats.meetings.files import load_meeting, meeting_path
from stats.meetings.minutes import minutes_text
from tests.store_checks import add_release
from tests.test_draft import _freeze_june
from tests.test_forbered_flow import click
from tests.test_forbered_suggest import signed_in

SEPTEMBER = "2024-09-23"
REVISED = (
    "Företagskonkurser per månad och län: 1 reviderat värde, t.ex. Jämtlands län 2021-03: 11 → 12."
)


def test_changes_since_june_are_drafted_and_one_becomes_a_highlight(
    snapshot_db: Path, meetings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _freeze_june(snapshot_db, meetings)
    add_release(snapshot_db, "konkurser_lan_regionfakta", {("23", "2021M03"): 12.0}, "2021M05")
    at = signed_in(monkeypatch)
    at.selectbox[0].set_value(SEPTEMBER).run()
    assert any("Sedan mötet 2024\\-06\\-17" in c.value for c in at.caption)
    lines = [m.value.replace("\\", "") for m in at.markdown]
    assert REVISED in lines
    index = lines.index(REVISED) - lines.index(next(x for x in lines if "ny period" in x))
    click(at, f"change_hl_{index}")
    assert at.button(key=f"change_hl_{index}").disabled
    spara = next(b for b in at.button if b.label == "Spara")
    spara.click().run()
    saved = load_meeting(meeting_path(meetings, SEPTEMBER))
    assert REVISED in [h.text for h in saved.highlights]
    (box,) = [t for t in at.text_area if t.disabled]
    assert box.value == minutes_text(saved)
