"""What the meeting pages share: the meeting's line of text and charts over pinned releases."""

from __future__ import annotations

import streamlit as st

from stats.analysis.indicators import open_scope
from stats.app.charts import Prepared, prepare
from stats.app.db import reading
from stats.meetings.markers import with_meetings
from stats.meetings.model import Meeting
from stats.present.spec import ChartSpec, draw
from stats.regions import Home
from stats.text import escape_markdown

KIND_TEXT = {"ordinarie": "Ordinarie möte", "fördjupning": "Fördjupning"}
STATUS_ICON = {"stöds": "✅", "motsägs": "⚠️", "kan inte prövas": "❔"}


def meeting_when(meeting: Meeting) -> str:
    """ "2024-10-28 13:00–15:00, Campus Östersund" (parts that are known)."""
    when = meeting.date
    if meeting.start:
        when += f" {meeting.start}" + (f"–{meeting.end}" if meeting.end else "")
    return f"{when}, {meeting.place}" if meeting.place else when


def meeting_line(meeting: Meeting) -> str:
    """Kind, time and place for Markdown, e.g. "Ordinarie möte · 2024-10-28 13:00, Campus".

    The place (and an unknown kind) are typed by the analyst, so the line is escaped.
    """
    return escape_markdown(f"{KIND_TEXT.get(meeting.kind, meeting.kind)} · {meeting_when(meeting)}")


@st.cache_resource(max_entries=256, show_spinner=False)
def load_pinned_chart(
    db_path: str,
    signature: tuple[int, int],
    spec: ChartSpec,
    home: Home,
    releases: tuple[int, ...] | None,
    meetings: tuple[str, ...] = (),
) -> Prepared:
    """A spec drawn and prepared over the given releases (None: the latest) of one file version,
    marking the `meetings` (dates, from `stats.meetings.markers.meeting_markers`).

    Shared by every viewer of the meeting and never changed after it is made, so it is cached
    as a resource: each session reuses the same figure and table instead of building its own.
    """
    with reading(db_path, signature) as con:
        scope = open_scope(con, None if releases is None else list(releases))
        try:
            chart = with_meetings(draw(scope, spec, home), meetings)
        finally:
            scope.close()
    return prepare(chart, home)
