"""Ett möte: its statistics section as presented (frozen), or with current data on request."""

from __future__ import annotations

import streamlit as st

from stats.analysis.highlights import HighlightCheck, check_highlights
from stats.app.common import open_database, reading, show_prepared
from stats.app.meeting_common import (
    KIND_TEXT,
    STATUS_ICON,
    load_pinned_chart,
    meeting_when,
    plain,
)
from stats.app.meeting_export import show_downloads
from stats.config import load_settings
from stats.errors import StatsError
from stats.meetings.files import MeetingNotFound, find_meeting, list_meetings, meetings_dir
from stats.meetings.model import Change, Meeting, changes_since, meeting_place, pinned_releases
from stats.regions import Home

PARAM = "datum"


def choose_meeting() -> Meeting | None:
    """The meeting in the URL (?datum=2024-06-17), or a picker that puts it there.

    The URL value is public input: it is only ever used after `find_meeting` has accepted it
    as a calendar date, and it is never shown back.
    """
    directory = meetings_dir()
    home = load_settings().home_region
    wanted = st.query_params.get(PARAM)
    if wanted:
        try:
            return find_meeting(directory, wanted, home)
        except MeetingNotFound as exc:
            # the message holds a checked date at most, never the raw value
            st.error(f"{exc} Välj ett av mötena nedan.")
            del st.query_params[PARAM]
    meetings = list_meetings(directory, home)
    if not meetings:
        st.info("Inga möten är inlagda.")
        return None
    dates = [m.date for m in meetings]
    picked = st.selectbox("Möte", dates, index=len(dates) - 1)
    if wanted is None:
        st.query_params[PARAM] = picked
    return next(m for m in meetings if m.date == picked)


def show_highlights(meeting: Meeting, checks: list[HighlightCheck]) -> None:
    st.subheader("Det viktigaste")
    by_index = {check.index: check for check in checks}
    for i, highlight in enumerate(meeting.highlights):
        with st.container(border=True):
            st.markdown(plain(highlight.text))
            check = by_index.get(i)
            if check is None:
                if highlight.note:
                    st.caption(plain(highlight.note))
                continue
            result = check.current
            icon = STATUS_ICON.get(result.status, "")
            line = (
                f"{icon} {result.observed}"
                if result.status == "kan inte prövas"
                else f"{icon} Aktuella data: {result.status}. {result.observed}"
            )
            if result.suggested:
                line += f" Förslag på formulering: ”{result.suggested}”."
            if check.flagged:
                st.warning(line)
            else:
                st.caption(line)
            if meeting.frozen and check.presented is not None:
                st.caption(f"Vid mötet: {check.presented.status}. {check.presented.observed}")


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


def render() -> None:
    home = load_settings().home_region
    meeting = choose_meeting()
    if meeting is None:
        return
    st.title(f"{plain(meeting.title)}, {meeting.date}")
    st.caption(plain(f"{KIND_TEXT.get(meeting.kind, meeting.kind)} · {meeting_when(meeting)}"))
    db = open_database()
    if db is None:
        st.info("Ingen data ännu — kör `stats refresh`")
        return
    pinned, missing, checks, changes = meeting_state(*db, meeting, home)
    releases: tuple[int, ...] | None = None
    current = meeting.frozen is None
    if meeting.frozen:
        current = st.toggle("Visa aktuella data", value=False)
        if current:
            st.info("Visar aktuella data, inte det som visades vid mötet.")
        else:
            releases = tuple(pinned)
            st.success(f"Fryst: {meeting.frozen.label()}.")
        if missing:
            st.warning(
                "De frysta versionerna av "
                + ", ".join(missing)
                + " finns inte i den här databasen; de diagrammen blir tomma."
            )
        if changes:
            with st.expander(f"Vad har ändrats sedan mötet ({len(changes)})"):
                for change in changes:
                    st.markdown("- " + plain(change.describe()))
    else:
        st.info("Mötet är inte fryst: diagrammen visar aktuella data.")
    if meeting.notes:
        st.caption(plain(meeting.notes))
    show_highlights(meeting, checks)
    st.subheader("Diagram")
    for number, spec in enumerate(meeting.charts):
        prepared = load_pinned_chart(
            *db, spec, meeting_place(meeting, home, current=current), releases
        )
        chart = prepared.chart
        st.markdown(f"#### {plain(chart.title)}")
        if chart.frame.empty:
            st.info(f"{plain(chart.title)}: Ingen data ännu — kör `stats refresh`")
            continue
        show_prepared(prepared, table_key=f"tabell-{number}")
    if st.toggle("Exportera för protokoll och bilder", key="export"):
        show_downloads(db, meeting, home, current)


try:
    render()
except StatsError as exc:
    st.error(str(exc))
