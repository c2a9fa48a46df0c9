"""The meeting form of "Förbered möte": which meeting, its details and presenter; save,
freeze and the SNI file import."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from stats.app.db import open_database, reading
from stats.app.meeting_common import KIND_TEXT
from stats.app.prepare.drafting import carried_over, previous_meeting
from stats.app.prepare.state import ask, confirmed, flash, forget_draft, keep
from stats.app.swedish import UPLOAD_KEY
from stats.catalog.load import load_catalog
from stats.config import load_settings, today
from stats.fmt import format_date, format_number
from stats.ingest.imports import import_content
from stats.meetings.files import MeetingNotFound, meeting_id, meetings_dir, save_meeting
from stats.meetings.frozen_words import frozen_label
from stats.meetings.model import Meeting, SaveConflict, freeze
from stats.text import escape_markdown

NEW = "Nytt möte"
CHOICE = "prepare_meeting"
# the meeting to show after a rerun (a new meeting just saved); the box cannot be set once drawn
PICK = "prepare_pick"
# the meeting shown last: Streamlit forgets the box's state when the analyst visits another
# page (the preview), so coming back shows the same meeting, not the latest
SHOWN = "prepare_shown"
CARRY_KEY = "carry_"
MOTE_PAGE = Path(__file__).parents[1] / "pages" / "mote.py"


def choose(meetings: list[Meeting], home: str) -> Meeting | None:
    """The meeting being edited; a new one is started from a date typed as YYYY-MM-DD."""
    dates = [m.date for m in meetings]
    restore_choice([NEW, *dates])
    picked = st.selectbox("Möte", [NEW, *dates], index=len(dates) if dates else 0, key=CHOICE)
    st.session_state[SHOWN] = picked
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
    return new_meeting(meetings, day, home)


def restore_choice(options: list[str]) -> None:
    """Before the box is drawn: the meeting just saved, else the one shown before a visit to
    another page."""
    picked = st.session_state.pop(PICK, None)
    if picked not in options and CHOICE not in st.session_state:
        picked = st.session_state.get(SHOWN)
    if picked in options:
        st.session_state[CHOICE] = picked


def new_meeting(meetings: list[Meeting], day: str, home: str) -> Meeting:
    """A new meeting on `day`, from the latest earlier one unless the analyst unticks it."""
    blank = Meeting(date=day, title="Regional näringslivsdialog", region=home)
    previous = previous_meeting(meetings, day)
    if previous is None:
        return blank
    carry = st.checkbox(
        f"Utgå från förra mötet ({previous.date})",
        value=True,
        key=f"{CARRY_KEY}{day}",
        # the draft started from the other choice is dropped
        on_change=forget_draft,
        args=(day,),
    )
    st.caption(
        f"Kopierar {format_number(len(previous.charts))} diagram med sina anteckningar, "
        "rubrik, typ, plats, föredragande, roll och var presentationen publiceras. "
        "Höjdpunkter, anteckningar och frysning kopieras inte: de gäller förra mötets data."
    )
    return carried_over(previous, day, home) if carry else blank


def frozen_notice(meeting: Meeting) -> None:
    """At the top: the meeting is frozen, and what that means for changes made now."""
    if meeting.frozen is None:
        return
    when, by = format_date(meeting.frozen.at), escape_markdown(meeting.frozen.by)
    st.warning(
        f"**Mötet är fryst {when}** (av {by}): mötessidan visar de siffror som låstes då. "
        "Ändringar av text, höjdpunkter och diagramordning syns direkt när du sparar; nyare "
        "data syns inte förrän du fryser om, och ett nytt diagram över en serie som inte "
        "låstes blir tomt till dess. "
        "Att frysa om låser dagens data för hela mötet; den gamla frysningen sparas i "
        "mötesfilen men visas inte längre.",
        icon=":material/ac_unit:",
    )


def preview_link(edited: Meeting, saved: Meeting) -> None:
    """A link to the meeting page in this tab (where the analyst is signed in); it shows the
    meeting as saved, so it waits until the edits are saved (leaving would lose typed text)."""
    unsaved = edited != saved or saved.revision == 0
    help_text = (
        "Spara först: mötessidan visar det sparade mötet."
        if unsaved
        else "Öppnar mötessidan som deltagarna ser den, i den här fliken."
    )
    try:
        st.page_link(
            MOTE_PAGE,
            label="Förhandsgranska mötessidan",
            icon=":material/slideshow:",
            query_params={"datum": edited.date},
            disabled=unsaved,
            help=help_text,
        )
    except StreamlitPageNotFoundError:
        # the page run on its own (not through app.py's navigation): a plain link, new tab
        st.link_button(
            "Förhandsgranska mötessidan",
            f"mote?datum={edited.date}",
            help="Öppnas i en ny flik som visar deltagarnas vy (där är du inte inloggad).",
        )
    if unsaved:
        st.caption("Förhandsgranskningen visar det sparade mötet: spara först.")


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


def save(meeting: Meeting, who: str, done: str = "Sparat") -> None:
    """Save the edited meeting over the revision it was opened at; a conflict is an error,
    shown where the analyst clicked."""
    try:
        saved = save_meeting(meetings_dir(), meeting, meeting.revision, by=who)
    except SaveConflict as exc:
        # the message names who saved: a name someone typed
        st.error(escape_markdown(str(exc)))
        return
    keep(saved)
    st.session_state[PICK] = saved.date
    flash(f"{done} (version {saved.revision}).")
    st.rerun()


FREEZE_TEXT = (
    "Frysning låser de dataversioner som mötets diagram och höjdpunkter visar nu. Mötessidan "
    "visar sedan alltid de siffrorna, även när ny data hämtas. Mötet sparas samtidigt."
)


def freeze_section(meeting: Meeting, who: str, home: str) -> None:
    """Freeze the meeting as saved (with this session's edits) and save it, once asked."""
    st.header("Frys avsnittet")
    st.caption(
        "Frysning låser de dataversioner diagrammen visar, så att mötessidan alltid visar "
        "det som presenterades."
    )
    question = f"{FREEZE_TEXT} Frys mötet {meeting.date}?"
    label = "Frys"
    if meeting.frozen:
        st.info(f"Redan fryst: {frozen_label(meeting)}.")
        label = "Frys om med dagens data"
        question = (
            f"{FREEZE_TEXT} Den gamla frysningen ({frozen_label(meeting)}) sparas i "
            f"mötesfilen, men mötessidan visar därefter dagens data. Frys om mötet {meeting.date}?"
        )
    what = f"freeze_{meeting.date}"
    if st.button(label, key="freeze", icon=":material/ac_unit:"):
        ask(what)
    if not confirmed(what, question, "Ja, frys"):
        return
    db = open_database()
    if db is None:
        st.error("Ingen databas att frysa mot — kör `stats refresh`.")
        return
    with reading(*db) as con:
        now = datetime.now(UTC)
        frozen = freeze(con, meeting, who, now, force=bool(meeting.frozen), home=home)
    save(frozen, who, "Fryst och sparat")


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
