"""The meeting's charts while it is prepared: order, removal, preview, notes and suggestions."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from stats.analysis.indicators import load_indicators
from stats.analysis.suggest import Suggestion, suggest_chart
from stats.app.db import Db, latest_scope
from stats.app.page import PageContext
from stats.app.prepare.drafting import (
    DraftError,
    add_note,
    move_chart,
    parse_note,
    remove_chart,
    remove_note,
)
from stats.app.prepare.preview import preview
from stats.app.prepare.state import ask, confirmed, keep_and_rerun
from stats.meetings.model import Meeting, meeting_place
from stats.present.spec import NOTE_MAX, ChartSpec
from stats.regions import Home
from stats.text import escape_markdown


def chart_title(spec: ChartSpec) -> str:
    """The chart's own title, else its indicator's."""
    return spec.title or load_indicators()[spec.indicator].title


@st.cache_data(max_entries=128, show_spinner=False)
def load_suggestions(
    db_path: str, signature: tuple[int, int], spec: ChartSpec, home: Home
) -> list[Suggestion]:
    """Suggested highlights for one chart over the latest releases of one database version."""
    with latest_scope(db_path, signature) as scope:
        return suggest_chart(scope, spec, home)


def suggestions(meeting: Meeting, spec: ChartSpec, db: Db, home: Home, i: int) -> None:
    """The chart's suggested highlights, each with a button that adds it (saved with "Spara")."""
    found = load_suggestions(*db, spec, home)
    if not found:
        st.caption("Inga förslag: diagrammet har inga månadsvärden för hemlänet.")
        return
    claimed = {h.claim for h in meeting.highlights if h.claim is not None}
    for j, suggestion in enumerate(found):
        cols = st.columns([6, 1])
        cols[0].markdown(escape_markdown(suggestion.text))
        added = suggestion.claim in claimed
        label = "Tillagd" if added else "Lägg till"
        if cols[1].button(label, key=f"suggest{i}_{j}", disabled=added):
            highlights = (*meeting.highlights, suggestion.highlight())
            keep_and_rerun(replace(meeting, highlights=highlights))


def notes(meeting: Meeting, spec: ChartSpec, i: int) -> None:
    """The chart's notes ("2020-03 Pandemin"), each removable, and a form for a new one."""
    st.markdown("**Anteckningar på diagrammet**")
    for j, note in enumerate(spec.notes):
        cols = st.columns([6, 1])
        cols[0].markdown(escape_markdown(f"{note.at}: {note.text}"))
        if cols[1].button("Ta bort", key=f"note_rm{i}_{j}"):
            keep_and_rerun(remove_note(meeting, i, j))
    cols = st.columns([2, 3, 2], vertical_alignment="bottom")
    at = cols[0].text_input("Datum eller period", key=f"note_at{i}", placeholder="2020-03")
    text = cols[1].text_input(
        "Text", key=f"note_text{i}", max_chars=NOTE_MAX, placeholder="t.ex. Pandemin"
    )
    if cols[2].button("Lägg till anteckning", key=f"note_add{i}"):
        try:
            note = parse_note(at, text)
        except DraftError as exc:
            st.error(str(exc))
            return
        keep_and_rerun(add_note(meeting, i, note))


def chart_row(meeting: Meeting, i: int) -> None:
    """Number, title and the buttons that move the chart or remove it (after a question)."""
    spec = meeting.charts[i]
    title, buttons = st.columns([3, 2], vertical_alignment="center")
    title.markdown(f"**{i + 1}. {escape_markdown(chart_title(spec))}**")
    row = buttons.container(horizontal=True, horizontal_alignment="right")
    # named in words for screen readers; the arrow is the icon
    if row.button("Flytta upp", key=f"up{i}", disabled=i == 0, icon=":material/arrow_upward:"):
        keep_and_rerun(move_chart(meeting, i, -1))
    last = i == len(meeting.charts) - 1
    if row.button("Flytta ned", key=f"down{i}", disabled=last, icon=":material/arrow_downward:"):
        keep_and_rerun(move_chart(meeting, i, 1))
    removal = f"rm_{meeting.date}_{i}"
    if row.button("Ta bort", key=f"rm{i}", icon=":material/delete:"):
        ask(removal)
    question = f"Ta bort diagrammet ”{escape_markdown(chart_title(spec))}” ur mötet?"
    if confirmed(removal, f"{question} Dess anteckningar tas också bort.", "Ja, ta bort"):
        keep_and_rerun(remove_chart(meeting, i))


def edit_charts(meeting: Meeting, ctx: PageContext) -> None:
    """Every chart of the meeting with its preview, notes and suggested highlights."""
    st.header("Diagram i mötet")
    if not meeting.charts:
        st.caption("Inga diagram ännu: lägg till från galleriet nedan.")
    home = meeting_place(meeting, ctx.home, current=True)
    for i, spec in enumerate(meeting.charts):
        with st.container(border=True):
            chart_row(meeting, i)
            if ctx.db is None:
                st.caption("Ingen data ännu — kör `stats refresh`.")
                continue
            preview(spec, ctx.db, home, key=f"preview{i}")
            notes(meeting, spec, i)
            with st.expander("Förslag till höjdpunkter", expanded=True):
                suggestions(meeting, spec, ctx.db, home, i)
