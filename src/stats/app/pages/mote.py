"""Ett möte: its statistics section as presented (frozen), or with current data on request."""

from __future__ import annotations

import streamlit as st

from stats.analysis.highlights import HighlightCheck, check_highlights
from stats.app.charts import show_prepared
from stats.app.db import Db, reading
from stats.app.declared import home_name, no_data
from stats.app.meeting_common import STATUS_ICON, load_pinned_chart, meeting_line
from stats.app.meeting_export import show_downloads, show_publish, staff_signed_in
from stats.app.page import page, set_title
from stats.meetings.files import MeetingNotFound, find_meeting, list_meetings, meetings_dir
from stats.meetings.frozen_words import frozen_label, presented_prefix, since_frozen
from stats.meetings.markers import meeting_markers
from stats.meetings.model import Change, Meeting, changes_since, meeting_place, pinned_releases
from stats.regions import Home, home_code
from stats.text import escape_markdown

PARAM = "datum"


def choose_meeting(home: str) -> Meeting | None:
    """The meeting in the URL (?datum=2024-06-17), or a picker that puts it there.

    The URL value is public input: it is only ever used after `find_meeting` has accepted it
    as a calendar date, and it is never shown back.
    """
    directory = meetings_dir()
    wanted = st.query_params.get(PARAM)
    meetings = list_meetings(directory, home)
    if wanted:
        try:
            return find_meeting(directory, wanted, home)
        except MeetingNotFound as exc:
            # the message holds a checked date at most, never the raw value
            st.error(f"{exc} Välj ett av mötena nedan." if meetings else str(exc))
            del st.query_params[PARAM]
    if not meetings:
        st.info(f"Inga möten är inlagda för dialogen i {home_name(home)}.")
        return None
    dates = [m.date for m in meetings]
    picked = st.selectbox("Möte", dates, index=len(dates) - 1)
    if wanted is None:
        st.query_params[PARAM] = picked
    return next(m for m in meetings if m.date == picked)


def check_line(check: HighlightCheck) -> str:
    """The check against current data in one line (it quotes the claim as the file has it)."""
    result = check.current
    icon = STATUS_ICON.get(result.status, "")
    line = (
        f"{icon} {escape_markdown(result.observed)}"
        if result.status == "kan inte prövas"
        else f"{icon} Aktuella data: {result.status}. {escape_markdown(result.observed)}"
    )
    if result.suggested:
        line += f" Förslag på formulering: ”{escape_markdown(result.suggested)}”."
    return line


def show_highlights(meeting: Meeting, checks: list[HighlightCheck]) -> None:
    st.header("Det viktigaste")
    by_index = {check.index: check for check in checks}
    for i, highlight in enumerate(meeting.highlights):
        with st.container(border=True):
            st.markdown(escape_markdown(highlight.text))
            check = by_index.get(i)
            if check is None:
                if highlight.note:
                    st.caption(escape_markdown(highlight.note))
                continue
            if check.flagged:
                st.warning(check_line(check))
            else:
                st.caption(check_line(check))
            if meeting.frozen and check.presented is not None:
                presented = check.presented
                st.caption(
                    f"{presented_prefix(meeting)}: {presented.status}. "
                    + escape_markdown(presented.observed)
                )


@st.cache_resource(max_entries=32, show_spinner=False)
def meeting_state(
    db_path: str, signature: tuple[int, int], meeting: Meeting, home: Home
) -> tuple[list[int], list[str], list[HighlightCheck], list[Change]]:
    """Pins, checked highlights and changes for one meeting version and database version.

    The same for every viewer until the meeting is saved or the database is refreshed (both
    are part of the key), so it is computed once and shared.
    """
    with reading(db_path, signature) as con:
        pinned, missing = pinned_releases(con, meeting) if meeting.frozen else ([], [])
        checks = check_highlights(con, meeting, home)
        changes = changes_since(con, meeting, home) if meeting.frozen else []
    return pinned, missing, checks, changes


def show_frozen(
    meeting: Meeting, pinned: list[int], missing: list[str], changes: list[Change]
) -> tuple[bool, tuple[int, ...] | None]:
    """The frozen state, a switch to current data and what changed; (current, releases)."""
    assert meeting.frozen is not None
    releases: tuple[int, ...] | None = None
    current = st.toggle("Visa aktuella data", value=False)
    if current:
        st.info(f"Visar aktuella data, inte {frozen_label(meeting)}.")
    else:
        releases = tuple(pinned)
        st.success(f"Fryst: {frozen_label(meeting)}.")
    if missing:
        st.warning(
            "De frysta versionerna av "
            + ", ".join(missing)
            + " finns inte i den här databasen; de diagrammen blir tomma."
        )
    if changes:
        with st.expander(f"Vad har ändrats {since_frozen(meeting)} ({len(changes)})"):
            for change in changes:
                st.markdown("- " + escape_markdown(change.describe()))
    return current, releases


def show_charts(
    db: Db, meeting: Meeting, home: Home, current: bool, releases: tuple[int, ...] | None
) -> None:
    """Each chart under its (escaped) title, its table behind a switch."""
    st.header("Diagram")
    for number, spec in enumerate(meeting.charts):
        place = meeting_place(meeting, home, current=current)
        prepared = load_pinned_chart(*db, spec, place, releases, meeting_markers(meeting, home))
        title = escape_markdown(prepared.chart.title)
        st.markdown(f"### {title}")
        if prepared.chart.frame.empty:
            st.info(f"{title}: {no_data(home_code(place))}")
            continue
        show_prepared(prepared, table_key=f"tabell-{number}")


def render() -> None:
    """The whole page: the meeting in the URL, or a picker."""
    with page() as ctx:
        meeting = choose_meeting(ctx.home)
        if meeting is None:
            return
        set_title(f"{meeting.title} {meeting.date}")
        st.title(f"{escape_markdown(meeting.title)}, {meeting.date}")
        st.caption(meeting_line(meeting))
        if ctx.db is None:
            st.info("Ingen data ännu — kör `stats refresh`")
            return
        pinned, missing, checks, changes = meeting_state(*ctx.db, meeting, ctx.home)
        if meeting.frozen:
            current, releases = show_frozen(meeting, pinned, missing, changes)
        else:
            current, releases = True, None
            st.info("Mötet är inte fryst: diagrammen visar aktuella data.")
        if meeting.notes:
            st.caption(escape_markdown(meeting.notes))
        show_highlights(meeting, checks)
        show_charts(ctx.db, meeting, ctx.home, current, releases)
        if st.toggle("Exportera för protokoll och bilder", key="export"):
            show_downloads(ctx.db, meeting, ctx.home, current)
        if staff_signed_in():
            show_publish(ctx.db, meeting, ctx.home, current)


render()
