"""Möten: the dialog's meetings, the next one first, and how fresh the data is per source."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from stats import config
from stats.app.db import Db, reading
from stats.app.declared import home_name, no_data
from stats.app.meeting_common import meeting_line
from stats.app.page import page, show_error
from stats.app.tables import show_static_table
from stats.errors import StatsError
from stats.fmt import format_date
from stats.meetings.files import list_meetings, meetings_dir
from stats.meetings.frozen_words import frozen_label
from stats.meetings.model import Meeting, next_meeting
from stats.present.citation import obtained_word, publisher_via
from stats.store.read import series_overview
from stats.text import escape_markdown

LEAD = (
    "Statistikavsnittet för varje möte: de diagram och höjdpunkter analytikern presenterar. "
    "Ett fryst möte visar exakt de siffror som låstes för mötet."
)


def meeting_link(meeting: Meeting) -> str:
    """A stable, shareable link to a meeting's page."""
    return f"mote?datum={meeting.date}"


def show_meeting(meeting: Meeting, *, upcoming: bool) -> None:
    status = (
        f"fryst, {frozen_label(meeting)}"
        if meeting.frozen
        else ("kommande" if upcoming else "inte fryst")
    )
    with st.container(border=True):
        title = escape_markdown(meeting.title)
        st.markdown(f"**[{title}, {meeting.date}]({meeting_link(meeting)})**")
        st.caption(
            f"{meeting_line(meeting)} · "
            f"{len(meeting.charts)} diagram, {len(meeting.highlights)} höjdpunkter · "
            f"{status}"
        )


def latest_dates(part: pd.DataFrame) -> str:
    """The newest date per way the data came here: "hämtad 2026-06-15; avskriven 2026-11-27"."""
    newest = part.groupby("obtained")["fetched_at"].max().sort_values(ascending=False)
    return "; ".join(f"{word} {format_date(day)}" for word, day in newest.items())


@st.cache_data(max_entries=4, show_spinner=False)
def freshness(db_path: str, signature: tuple[int, int], home: str) -> pd.DataFrame:
    """Per publisher: latest fetch (or copy) of what is served for `home`, and the publisher's
    own latest update."""
    with reading(db_path, signature) as con:
        overview = series_overview(con, [], home=home)
    if overview.empty:
        return overview
    overview = overview.dropna(subset=["release_id"])
    metas = [
        {**json.loads(m), "series_id": s}
        for m, s in zip(overview["meta"], overview["series_id"], strict=True)
    ]
    overview["publisher"] = [publisher_via(m) for m in metas]
    # a page typed in today is not fresh data: say how each date came about
    overview["obtained"] = [obtained_word(m) for m in metas]
    rows = []
    for publisher, part in overview.groupby("publisher"):
        updated = [str(u) for u in part["source_updated"].dropna() if str(u)]
        rows.append(
            {
                "Källa": publisher or "okänd",
                "Serier med data": str(len(part)),
                "Senast hämtad eller inläst": latest_dates(part),
                "Källans senaste uppdatering": format_date(max(updated))
                if updated
                else "Uppgift saknas",
            }
        )
    return pd.DataFrame(rows)


def show_meetings(home: str) -> None:
    """The next meeting, the earlier ones newest first, then any later ones."""
    try:
        meetings = list_meetings(meetings_dir(), home)
    except StatsError as exc:
        show_error(exc)
        meetings = []
    if not meetings:
        st.info(f"Inga möten är inlagda för dialogen i {home_name(home)}.")
        return
    today = config.today().isoformat()
    upcoming = [m for m in meetings if m.date >= today]
    past = sorted((m for m in meetings if m.date < today), key=lambda m: m.date, reverse=True)
    nxt = next_meeting(meetings, config.today())
    st.header("Nästa möte")
    if nxt is None:
        st.info("Inget kommande möte är inlagt.")
    else:
        show_meeting(nxt, upcoming=True)
    st.header("Tidigare möten")
    if not past:
        st.info("Inga tidigare möten.")
    for meeting in past:
        show_meeting(meeting, upcoming=False)
    others = [m for m in upcoming if m is not nxt]
    if others:
        st.header("Senare möten")
        for meeting in others:
            show_meeting(meeting, upcoming=True)


def show_freshness(db: Db | None, home: str) -> None:
    """Per publisher, when its series were fetched and last updated at the source."""
    st.header("Datakällornas aktualitet")
    try:
        table = freshness(*db, home) if db else pd.DataFrame()
    except StatsError as exc:
        show_error(exc)
        table = pd.DataFrame()
    if table.empty:
        st.info(no_data(home))
    else:
        show_static_table(table, ["Serier med data"])
        st.caption("Mer per serie under Datakällor.")


def render() -> None:
    """The whole page."""
    with page("Regional näringslivsdialog") as ctx:
        st.write(LEAD)
        show_meetings(ctx.home)
        show_freshness(ctx.db, ctx.home)


render()
