"""The chart gallery of "Förbered möte": search by word, small live previews, one click adds."""

from __future__ import annotations

import math
from dataclasses import replace

import plotly.graph_objects as go
import streamlit as st

from stats.app.db import latest_scope
from stats.app.page import PageContext
from stats.app.prepare.drafting import add_chart
from stats.app.prepare.preview import load_previews, show_figure
from stats.app.prepare.state import keep_and_rerun
from stats.meetings.model import Meeting, meeting_place
from stats.present.gallery import Entry, read_gallery
from stats.present.spec import slug
from stats.regions import Home
from stats.text import escape_markdown

PAGE_SIZE = 6
COLUMNS = 2
GALLERY_HEIGHT = 220


@st.cache_data(max_entries=4, show_spinner=False)
def load_gallery(db_path: str, signature: tuple[int, int], home: Home) -> list[Entry]:
    """Every chart the gallery offers over one database version (latest releases)."""
    with latest_scope(db_path, signature) as scope:
        return read_gallery(scope, home)


def page_of(hits: list[tuple[int, Entry]], query: str) -> list[tuple[int, Entry]]:
    """The hits of the page the analyst picked (6 per page)."""
    pages = max(1, math.ceil(len(hits) / PAGE_SIZE))
    if pages == 1:
        return hits
    number = st.selectbox(
        "Sida",
        range(pages),
        format_func=lambda p: f"Sida {p + 1} av {pages}",
        key=f"gallery_page_{slug(query)}",
    )
    return hits[number * PAGE_SIZE : (number + 1) * PAGE_SIZE]


def card(meeting: Meeting, number: int, entry: Entry, fig: go.Figure | None) -> None:
    """One offered chart: title, region set, preview and "Lägg till i mötet"."""
    with st.container(border=True):
        st.markdown(f"**{escape_markdown(entry.spec.title)}**")
        st.caption(escape_markdown(entry.view.capitalize()))
        show_figure(fig, key=f"gallery_preview{number}")
        # a chart in the meeting may carry notes the gallery's never has
        present = entry.spec in {replace(c, notes=()) for c in meeting.charts}
        label = "Finns i mötet" if present else "Lägg till i mötet"
        if st.button(label, key=f"gallery_add{number}", disabled=present):
            keep_and_rerun(add_chart(meeting, entry.spec))


def show_gallery(meeting: Meeting, ctx: PageContext) -> None:
    """Search box and the matching charts, a page at a time, each with its live preview."""
    st.header("Lägg till diagram")
    if ctx.db is None:
        st.caption("Ingen data ännu — kör `stats refresh`.")
        return
    home = meeting_place(meeting, ctx.home, current=True)
    entries = load_gallery(*ctx.db, home)
    query = st.text_input(
        "Sök diagram", key="gallery_query", placeholder="t.ex. konkurs, lediga, framskrivning"
    )
    hits = [(n, e) for n, e in enumerate(entries) if e.matches(query)]
    if not hits:
        # the search words are the analyst's own: shown as text only
        st.info(f"Inget diagram med data matchar ”{escape_markdown(query.strip())}”.")
        return
    st.caption(f"{len(hits)} av {len(entries)} diagram med data.")
    shown = page_of(hits, query)
    specs = tuple(entry.spec for _, entry in shown)
    figures = load_previews(*ctx.db, specs, home, GALLERY_HEIGHT)
    for start in range(0, len(shown), COLUMNS):
        row = zip(shown[start : start + COLUMNS], figures[start : start + COLUMNS], strict=True)
        for col, ((number, entry), fig) in zip(st.columns(COLUMNS), row, strict=False):
            with col:
                card(meeting, number, entry, fig)
