"""The meeting being edited, kept per session until it is saved: charts added, moved and
removed, notes and claims live here between reruns; typed text lives in the widgets."""

from __future__ import annotations

from typing import NoReturn

import streamlit as st

from stats.meetings.model import Meeting

DRAFTS = "prepare_drafts"
# widgets drawn per highlight or chart by position: after a change of the draft they start
# again from it, so no widget keeps the text of the item that used to sit in its place
NEW_KEY = "new_highlight_"
POSITIONAL = ("hl_", "tie_", "note_", NEW_KEY)
FLASH = "prepare_flash"


def draft_of(meeting: Meeting) -> Meeting:
    """The session's edited version of `meeting` (the meeting itself the first time)."""
    drafts: dict[str, Meeting] = st.session_state.setdefault(DRAFTS, {})
    return drafts.setdefault(meeting.date, meeting)


def keep(meeting: Meeting) -> None:
    """Remember `meeting` as the session's edited version (after a save: the saved one)."""
    st.session_state.setdefault(DRAFTS, {})[meeting.date] = meeting


def forget_positional() -> None:
    """Drop the positional widgets' state (the draft holds what they showed)."""
    for key in [k for k in st.session_state if str(k).startswith(POSITIONAL)]:
        del st.session_state[key]


def keep_and_rerun(meeting: Meeting) -> NoReturn:
    """Remember the edit (made from what the widgets show) and draw the page again with it."""
    keep(meeting)
    forget_positional()
    st.rerun()


def flash(message: str) -> None:
    """A success message for the next run (after `st.rerun`)."""
    st.session_state[FLASH] = message


def show_flash() -> None:
    """The message `flash` left, once."""
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message)
