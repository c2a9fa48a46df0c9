"""What changed since the previous meeting's freeze (drafted), and the text for the minutes.

The draft comes from `meetings.draft`; each line can be added to the meeting as a highlight or
to its notes with one click (kept in the session's draft until "Spara"). The minutes box is
`app.minutes_box`, over the meeting as edited.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from stats.app.db import Db, reading
from stats.app.minutes_box import render_minutes
from stats.app.page import PageContext
from stats.app.prepare.state import keep_and_rerun
from stats.meetings.draft import Draft, draft_changes
from stats.meetings.files import list_meetings, meetings_dir
from stats.meetings.model import Highlight, Meeting
from stats.text import escape_markdown


def load_draft(db: Db, meeting: Meeting, home: str) -> Draft:
    """The draft over the latest releases of this database version (not cached: it is cheap
    next to the charts, and the meetings folder may have changed since the last run)."""
    with reading(*db) as con:
        return draft_changes(con, list_meetings(meetings_dir(), home), meeting.date, home)


def with_note(meeting: Meeting, line: str) -> Meeting:
    """The meeting with `line` appended to its notes (a new line of its own)."""
    notes = f"{meeting.notes.rstrip()}\n{line}" if meeting.notes.strip() else line
    return replace(meeting, notes=notes)


def show_changes(meeting: Meeting, ctx: PageContext) -> None:
    """The drafted list with "Som höjdpunkt" and "Till anteckningar" per line."""
    st.subheader("Ändrat sedan förra mötet")
    if ctx.db is None:
        st.caption("Ingen databas ännu: kör `stats load-snapshot` eller `stats refresh`.")
        return
    draft = load_draft(ctx.db, meeting, ctx.home)
    st.caption(escape_markdown(draft.heading()))
    texts = {h.text for h in meeting.highlights}
    for i, line in enumerate(draft.lines):
        text, as_highlight, as_note = st.columns([6, 1, 1])
        text.markdown(escape_markdown(line))
        if as_highlight.button("Som höjdpunkt", key=f"change_hl_{i}", disabled=line in texts):
            keep_and_rerun(replace(meeting, highlights=(*meeting.highlights, Highlight(line))))
        noted = line in meeting.notes
        if as_note.button("Till anteckningar", key=f"change_note_{i}", disabled=noted):
            keep_and_rerun(with_note(meeting, line))


def show_minutes(meeting: Meeting) -> None:
    """The minutes' paragraph for the meeting as edited (presenter, highlights, publication)."""
    with st.expander("Text till minnesanteckningarna", expanded=False):
        render_minutes(meeting)
