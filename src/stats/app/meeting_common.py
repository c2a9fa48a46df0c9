"""What the meeting pages share: plain text, times, and charts drawn over pinned releases."""

from __future__ import annotations

import re

import streamlit as st

from stats.analysis.indicators import open_scope
from stats.app.common import Prepared, prepare, reading
from stats.meetings.model import Meeting
from stats.present.spec import ChartSpec, draw
from stats.regions import Home

KIND_TEXT = {"ordinarie": "Ordinarie möte", "fördjupning": "Fördjupning"}
STATUS_ICON = {"stöds": "✅", "motsägs": "⚠️", "kan inte prövas": "❔"}
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: str) -> str:
    """Text for st.markdown that shows exactly as typed: no markdown, no HTML, no links."""
    return _MARKDOWN.sub(r"\\\1", text).replace("\n", "  \n")


def meeting_when(meeting: Meeting) -> str:
    """ "2024-10-28 13:00–15:00, Campus Östersund" (parts that are known)."""
    when = meeting.date
    if meeting.start:
        when += f" {meeting.start}" + (f"–{meeting.end}" if meeting.end else "")
    return f"{when}, {meeting.place}" if meeting.place else when


@st.cache_resource(max_entries=256, show_spinner=False)
def load_pinned_chart(
    db_path: str,
    signature: tuple[int, int],
    spec: ChartSpec,
    home: Home,
    releases: tuple[int, ...] | None,
) -> Prepared:
    """A spec drawn and prepared over the given releases (None: the latest) of one file version.

    Shared by every viewer of the meeting and never changed after it is made, so it is cached
    as a resource: each session reuses the same figure and table instead of building its own.
    """
    with reading(db_path, signature) as con:
        scope = open_scope(con, None if releases is None else list(releases))
        try:
            chart = draw(scope, spec, home)
        finally:
            scope.close()
    return prepare(chart, home)
