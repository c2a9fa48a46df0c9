"""Förbered möte (staff only): the meeting's details, highlights tied to data and checked as
they are written, its charts with previews and notes, the chart gallery; save, freeze, import.

The parts live in `stats.app.prepare`; this page lays them out. Access: see `prepare.signin`.
"""

from __future__ import annotations

import streamlit as st

from stats.app.page import page
from stats.app.prepare.changes import show_changes, show_minutes
from stats.app.prepare.chart_list import edit_charts
from stats.app.prepare.details import (
    choose,
    edit_details,
    freeze_section,
    frozen_notice,
    import_section,
    preview_link,
    save,
)
from stats.app.prepare.gallery_view import show_gallery
from stats.app.prepare.highlight_form import edit_highlights
from stats.app.prepare.signin import sign_out, signed_in
from stats.app.prepare.state import draft_of, show_flash, sync_widgets
from stats.meetings.files import list_meetings, meetings_dir
from stats.text import escape_markdown


def render() -> None:
    """The whole page, behind the analyst sign-in."""
    with page("Förbered möte") as ctx:
        if not signed_in():
            return
        who = str(st.session_state["analyst"])
        st.caption(f"Inloggad som {escape_markdown(who)}.")
        if st.button("Logga ut"):
            sign_out()
            st.rerun()
        show_flash()
        chosen = choose(list_meetings(meetings_dir(), ctx.home), ctx.home)
        if chosen is None:
            return
        draft = draft_of(chosen)
        sync_widgets(draft)
        frozen_notice(draft)
        # every typed text is read before any button may change the draft
        edited = edit_highlights(edit_details(draft), ctx)
        show_changes(edited, ctx)
        edit_charts(edited, ctx)
        show_gallery(edited, ctx)
        st.divider()
        preview_link(edited, chosen)
        if st.button("Spara", type="primary"):
            save(edited, who)
        freeze_section(edited, who, ctx.home)
        show_minutes(edited)
        import_section()


render()
