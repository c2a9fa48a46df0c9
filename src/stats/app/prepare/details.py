"""The meeting form of "Förbered möte": which meeting, its details and presenter; save,
freeze and the SNI file import."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import streamlit as st

from stats.app.db import open_database, reading
from stats.app.meeting_common import KIND_TEXT
from stats.app.prepare.state import flash, keep
from stats.app.swedish import UPLOAD_KEY
from stats.catalog.load import load_catalog
from stats.config import load_settings, today
from stats.fmt import format_number
from stats.ingest.imports import import_content
from stats.meetings.files import MeetingNotFound, meeting_id, meetings_dir, save_meeting
from stats.meetings.model import Meeting, SaveConflict, freeze
from stats.text import escape_markdown

NEW = "Nytt möte"


def choose(meetings: list[Meeting], home: str) -> Meeting | None:
    """The meeting being edited; a new one is started from a date typed as YYYY-MM-DD."""
    dates = [m.date for m in meetings]
    picked = st.selectbox("Möte", [NEW, *dates], index=len(dates) if dates else 0)
    if picked != NEW:
        return next(m for m in meetings if m.date == picked)
    typed = st.text_input("Datum för det nya mötet (ÅÅÅÅ-MM-DD)", today().isoformat())
    try:
        day = meeting_id(typed.strip())
    except MeetingNotFound:
        # the typed text is shown back as text only
        st.error(f"”{escape_markdown(typed)}” är inget datum. Skriv t.ex. 2026-10-26.")
        return None
    if day in dates:
        st.info(f"Mötet {day} finns redan: välj det i listan ovan.")
        return None
    return Meeting(date=day, title="Regional näringslivsdialog", region=home)


def edit_details(meeting: Meeting) -> Meeting:
    """Title, kind, place, presenter and where the presentation is published; notes."""
    title = st.text_input("Rubrik", meeting.title)
    kinds = list(KIND_TEXT)
    kind = st.selectbox(
        "Typ", kinds, index=kinds.index(meeting.kind), format_func=KIND_TEXT.__getitem__
    )
    place = st.text_input("Plats", meeting.place)
    notes = st.text_area("Anteckningar (visas på mötessidan)", meeting.notes)
    cols = st.columns(3)
    presenter = cols[0].text_input("Föredragande", meeting.presenter, placeholder="Namn")
    role = cols[1].text_input(
        "Roll", meeting.presenter_role, placeholder="t.ex. analytiker, Region Jämtland Härjedalen"
    )
    publication = cols[2].text_input(
        "Publiceras på", meeting.publication, placeholder="t.ex. www.regionjh.se"
    )
    return replace(
        meeting,
        title=title,
        kind=kind,  # type: ignore[arg-type]
        place=place,
        notes=notes,
        presenter=presenter.strip(),
        presenter_role=role.strip(),
        publication=publication.strip(),
    )


def save(meeting: Meeting, who: str) -> None:
    """Save the edited meeting over the revision it was opened at; a conflict is an error."""
    try:
        saved = save_meeting(meetings_dir(), meeting, meeting.revision, by=who)
    except SaveConflict as exc:
        # the message names who saved: a name someone typed
        st.error(escape_markdown(str(exc)))
        return
    keep(saved)
    flash(f"Sparat (version {saved.revision}).")
    st.rerun()


def freeze_section(meeting: Meeting, who: str, home: str) -> None:
    """Freeze the meeting as saved (with this session's edits) and save it."""
    st.header("Frys avsnittet")
    st.caption(
        "Frysning låser de dataversioner diagrammen visar, så att mötessidan alltid visar "
        "det som presenterades."
    )
    force = False
    if meeting.frozen:
        st.info(f"Redan fryst: {meeting.frozen.label()}.")
        force = st.checkbox("Frys om med dagens data (de gamla låsningarna sparas)")
    if st.button("Frys", disabled=bool(meeting.frozen) and not force):
        db = open_database()
        if db is None:
            st.error("Ingen databas att frysa mot — kör `stats refresh`.")
            return
        with reading(*db) as con:
            frozen = freeze(con, meeting, who, datetime.now(UTC), force=force, home=home)
        save(frozen, who)


def import_section() -> None:
    """The SNI file upload (its widget texts are Swedish: `swedish.UPLOADER_CSS`)."""
    st.header("Importera sysselsatta per SNI-kod")
    st.caption(
        "CSV (, eller ;) eller XLSX med kolumnerna region, sni, år och sysselsatta. "
        "Hela filen avvisas om en rad är fel; felet anger raden."
    )
    upload = st.file_uploader("Fil", type=["csv", "xlsx"], key=UPLOAD_KEY)
    if upload is not None and st.button("Importera"):
        # the client's file name is only a label, never part of a path
        series = load_catalog().get("sysselsatta_sni_detalj")
        outcome = import_content(load_settings(), series, upload.name, upload.getvalue())
        if outcome.ok:
            st.success(f"Importerat: {format_number(outcome.rows)} rader.")
        else:
            # the reason quotes the file's rows
            st.error(escape_markdown(outcome.message))
