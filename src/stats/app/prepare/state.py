"""The meeting being edited, kept per session until it is saved (and the question before an
irreversible action, the message after a save): charts added, moved and
removed, notes and claims live here between reruns; typed text lives in the widgets."""

from __future__ import annotations

from typing import NoReturn

import streamlit as st

from stats.meetings.model import Meeting

DRAFTS = "prepare_drafts"
# after a change of the draft the next run sets the texts of the widgets drawn per highlight or
# chart from it (Session State set before a widget is drawn also updates the browser), so no
# widget keeps the text of the item that used to sit in its place
RESYNC = "prepare_resync"
HIGHLIGHT_KEY = "hl_"
NEW_KEY = "new_highlight_"
NOTE_KEYS = ("note_at", "note_text")
TIE_KEY = "tie_"
FLASH = "prepare_flash"
# the one irreversible action waiting for "Ja" or "Avbryt" (e.g. "rm_2024-06-17_3")
CONFIRM = "prepare_confirm"


def draft_of(meeting: Meeting) -> Meeting:
    """The session's edited version of `meeting` (the meeting itself the first time)."""
    drafts: dict[str, Meeting] = st.session_state.setdefault(DRAFTS, {})
    return drafts.setdefault(meeting.date, meeting)


def keep(meeting: Meeting) -> None:
    """Remember `meeting` as the session's edited version; the next run shows its texts."""
    st.session_state.setdefault(DRAFTS, {})[meeting.date] = meeting
    st.session_state[RESYNC] = True
    # a question asked about a chart by its place may now be about another chart
    st.session_state.pop(CONFIRM, None)


def forget_draft(day: str) -> None:
    """Drop the session's edits of meeting `day`: the next run starts it afresh."""
    st.session_state.setdefault(DRAFTS, {}).pop(day, None)
    st.session_state[RESYNC] = True


def keep_and_rerun(meeting: Meeting) -> NoReturn:
    """Remember the edit (made from what the widgets show) and draw the page again with it."""
    keep(meeting)
    st.rerun()


def highlight_key(meeting: Meeting, i: int) -> str:
    return f"{HIGHLIGHT_KEY}{meeting.date}_{i}"


def sync_widgets(meeting: Meeting) -> None:
    """Before any widget is drawn: the texts from the draft after a change, else as typed."""
    resync = bool(st.session_state.pop(RESYNC, False))
    for i, h in enumerate(meeting.highlights):
        if resync or highlight_key(meeting, i) not in st.session_state:
            st.session_state[highlight_key(meeting, i)] = h.text
    if resync:
        st.session_state[f"{NEW_KEY}{meeting.date}"] = ""
        for key in [k for k in st.session_state if str(k).startswith(NOTE_KEYS)]:
            st.session_state[key] = ""
        # the tie forms are keyed by position: after a removal or a move a form must be filled
        # again from the highlight now at that place, not keep the one that sat there before
        for key in [k for k in st.session_state if str(k).startswith(TIE_KEY)]:
            del st.session_state[key]


def flash(message: str) -> None:
    """A success message for the next run (after `st.rerun`)."""
    st.session_state[FLASH] = message


def show_flash() -> None:
    """The message `flash` left, once: at the top and as a toast where the analyst is."""
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message)
        st.toast(message, icon=":material/check_circle:")


def ask(what: str) -> None:
    """Ask the analyst to confirm `what` (answered with `confirmed`)."""
    st.session_state[CONFIRM] = what


def confirmed(what: str, question: str, yes: str) -> bool:
    """True when the analyst answers `yes` to `question` about `what` (asked with `ask`);
    "Avbryt" forgets the question. Nothing is shown when `what` was not asked."""
    if st.session_state.get(CONFIRM) != what:
        return False
    with st.container(border=True):
        st.warning(question)
        row = st.container(horizontal=True)
        if row.button(yes, key=f"{what}_yes", type="primary"):
            st.session_state.pop(CONFIRM, None)
            return True
        if row.button("Avbryt", key=f"{what}_no"):
            st.session_state.pop(CONFIRM, None)
            st.rerun()
    return False
