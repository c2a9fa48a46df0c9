"""Förbered möte (staff only): meetings, highlights and charts; save, freeze, import SNI data.

Access: a password from `.streamlit/secrets.toml` (`analyst_password = "..."`) or the
environment variable STATS_ANALYST_PASSWORD. Without one the page stays locked; the meeting
pages stay open to everyone.
"""

from __future__ import annotations

import os
import time
from dataclasses import replace
from datetime import UTC, datetime

import streamlit as st

from stats.analysis.indicators import load_indicators
from stats.analysis.suggest import Suggestion, suggest_chart
from stats.analysis.wording import threshold_rows
from stats.app.auth import (
    FREE_ATTEMPTS_PROCESS,
    SESSION_HOURS,
    Credential,
    Throttle,
    attempt,
    expired,
)
from stats.app.charts import load_chart
from stats.app.db import Db, latest_scope, open_database, reading
from stats.app.meeting_common import KIND_TEXT
from stats.app.page import PageContext, page
from stats.catalog.load import load_catalog
from stats.config import load_settings
from stats.ingest.imports import import_content
from stats.meetings.files import list_meetings, meetings_dir, save_meeting
from stats.meetings.model import Highlight, Meeting, SaveConflict, freeze, meeting_place
from stats.present.figures import figure
from stats.present.spec import NO_VALUE, ChartSpec, spec_from_dict
from stats.regions import Home
from stats.text import clean, escape_markdown

REGION_SETS = {"hemlan": "Hemlänet", "riket": "Riket", "grannlan": "Grannlänen",
               "lan": "Alla län", "hemlan_kommuner": "Hemlänets kommuner"}  # fmt: skip
AUTH_HASH = "analyst_password_scrypt"
KINDS = {"line": "Linjediagram", "bar": "Stapeldiagram (senaste perioden)", "table": "Tabell"}
PREVIEW_HEIGHT = 260
# highlights added from suggestions, per meeting date, kept until "Spara"
ADDED = "added_highlights"


def configured_credential() -> Credential:
    """The analyst password (plain and/or scrypt hash) from Streamlit secrets or the
    environment."""
    try:
        plain_pw, hashed = (st.secrets.get(k) for k in ("analyst_password", AUTH_HASH))
    except Exception:  # no secrets file at all
        plain_pw = hashed = None
    return Credential(
        plain=str(plain_pw) if plain_pw else os.environ.get("STATS_ANALYST_PASSWORD") or None,
        scrypt=str(hashed) if hashed else os.environ.get("STATS_ANALYST_PASSWORD_SCRYPT") or None,
    )


@st.cache_resource
def process_throttle() -> Throttle:
    """Failed sign-ins of every session in this server process."""
    return Throttle(free=FREE_ATTEMPTS_PROCESS)


def sign_out() -> None:
    for key in ("analyst", "analyst_since"):
        st.session_state.pop(key, None)


def signed_in() -> bool:
    """Ask for the password; failures are throttled and logged; a session lasts 8 hours."""
    since = st.session_state.get("analyst_since")
    if st.session_state.get("analyst") and since is not None:
        if not expired(float(since), time.time()):
            return True
        sign_out()
        st.info(f"Du har loggats ut efter {SESSION_HOURS} timmar. Logga in igen.")
    credential = configured_credential()
    if not credential.configured:
        st.warning(
            "Analytikervyn är låst: inget lösenord är inställt. Lägg "
            '`analyst_password = "…"` i `.streamlit/secrets.toml` eller sätt '
            "miljövariabeln `STATS_ANALYST_PASSWORD` och starta om appen."
        )
        return False
    session = st.session_state.setdefault("login_throttle", Throttle())
    with st.form("login", enter_to_submit=False):
        name = st.text_input("Ditt namn (sparas med ändringarna)")
        given = st.text_input("Lösenord", type="password")
        if st.form_submit_button("Logga in"):
            ok, wait = attempt(credential, given, session, process_throttle())
            if ok:
                st.session_state["analyst"] = clean(name).strip() or "analytiker"
                st.session_state["analyst_since"] = time.time()
                st.rerun()
            elif wait > 0:
                st.error(f"Fel lösenord eller för många försök. Vänta {wait:.0f} sekunder.")
            else:
                st.error("Fel lösenord.")
    return False


def choose(meetings: list[Meeting], home: str) -> Meeting:
    """The meeting being edited; a new one can be started from a date."""
    dates = [m.date for m in meetings]
    picked = st.selectbox("Möte", ["Nytt möte", *dates], index=len(dates) if dates else 0)
    if picked != "Nytt möte":
        return next(m for m in meetings if m.date == picked)
    day = st.date_input("Datum för det nya mötet", format="YYYY-MM-DD")
    return Meeting(date=day.isoformat(), title="Regional näringslivsdialog", region=home)


def edit_details(meeting: Meeting) -> Meeting:
    title = st.text_input("Rubrik", meeting.title)
    kinds = list(KIND_TEXT)
    kind = st.selectbox(
        "Typ", kinds, index=kinds.index(meeting.kind), format_func=KIND_TEXT.__getitem__
    )
    place = st.text_input("Plats", meeting.place)
    notes = st.text_area("Anteckningar (visas på mötessidan)", meeting.notes)
    return replace(meeting, title=title, kind=kind, place=place, notes=notes)  # type: ignore[arg-type]


def edit_highlights(meeting: Meeting) -> Meeting:
    st.header("Höjdpunkter")
    st.caption("Skrivs som vanlig text. Höjdpunkter kopplade till data kontrolleras mot siffrorna.")
    kept: list[Highlight] = []
    for i, h in enumerate(meeting.highlights):
        text = st.text_area(f"Höjdpunkt {i + 1}", h.text, key=f"h{meeting.date}{i}")
        if h.claim is not None:
            claim = escape_markdown(f"{h.claim.indicator} ({h.claim.comparison})")
            st.caption(f"Kopplad till {claim}.")
        if not st.checkbox("Ta bort", key=f"hx{meeting.date}{i}"):
            kept.append(replace(h, text=text))
    new = st.text_area("Ny höjdpunkt", key=f"hnew{meeting.date}")
    if new.strip():
        kept.append(Highlight(text=new))
    with st.expander("Ordval och gränser"):
        for span, words in threshold_rows():
            st.markdown(f"- {escape_markdown(span)}: {escape_markdown(words)}")
    return replace(meeting, highlights=tuple(kept))


def with_added(meeting: Meeting) -> Meeting:
    """The meeting with the highlights added from suggestions since it was last saved."""
    added = st.session_state.setdefault(ADDED, {}).get(meeting.date, [])
    return replace(meeting, highlights=(*meeting.highlights, *added))


@st.cache_data(max_entries=128, show_spinner=False)
def load_suggestions(
    db_path: str, signature: tuple[int, int], spec: ChartSpec, home: Home
) -> list[Suggestion]:
    """Suggested highlights for one chart over the latest releases of one database version."""
    with latest_scope(db_path, signature) as scope:
        return suggest_chart(scope, spec, home)


def preview(spec: ChartSpec, db: Db, home: Home, i: int) -> None:
    """The chart, small, as the meeting page draws it."""
    chart = load_chart(*db, spec, home)
    if chart.frame.empty:
        st.caption(NO_VALUE)
        return
    fig = figure(chart)
    fig.update_layout(template="none", height=PREVIEW_HEIGHT)
    st.plotly_chart(fig, key=f"preview{i}", config={"displaylogo": False})


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
            pending = st.session_state.setdefault(ADDED, {}).setdefault(meeting.date, [])
            pending.append(suggestion.highlight())
            st.rerun()


def chart_details(meeting: Meeting, spec: ChartSpec, ctx: PageContext, i: int) -> None:
    """Preview and suggested highlights under a chart of the meeting."""
    with st.expander("Förhandsvisning och förslag till höjdpunkter", expanded=True):
        if ctx.db is None:
            st.caption("Ingen data ännu — kör `stats refresh`.")
            return
        home = meeting_place(meeting, ctx.home, current=True)
        preview(spec, ctx.db, home, i)
        suggestions(meeting, spec, ctx.db, home, i)


def edit_charts(meeting: Meeting, ctx: PageContext) -> Meeting:
    st.header("Diagram")
    charts = list(meeting.charts)
    for i, spec in enumerate(charts):
        cols = st.columns([6, 1, 1, 1])
        cols[0].markdown(
            f"{i + 1}. {escape_markdown(spec.title or load_indicators()[spec.indicator].title)}"
        )
        if cols[1].button("↑", key=f"up{i}", disabled=i == 0):
            charts[i - 1], charts[i] = charts[i], charts[i - 1]
        if cols[2].button("↓", key=f"down{i}", disabled=i == len(charts) - 1):
            charts[i + 1], charts[i] = charts[i], charts[i + 1]
        if cols[3].button("Ta bort", key=f"rm{i}"):
            charts.pop(i)
            break
        chart_details(meeting, spec, ctx, i)
    with st.expander("Lägg till diagram"):
        indicators = load_indicators()
        ind = st.selectbox("Indikator", list(indicators), format_func=lambda i: indicators[i].title)
        title = st.text_input("Rubrik (tom = indikatorns)")
        measure = ""
        if "measure" in indicators[ind].columns:
            measures = [i.measure for i in indicators[ind].inputs]
            measure = st.selectbox("Mått", measures)
        regions = st.multiselect(
            "Regioner",
            list(REGION_SETS),
            default=["hemlan", "riket"],
            format_func=REGION_SETS.__getitem__,
        )
        kind = st.selectbox("Diagramtyp", list(KINDS), format_func=KINDS.__getitem__)
        if st.button("Lägg till"):
            raw = {
                "indicator": ind,
                "title": title,
                "regions": regions or ["hemlan"],
                "kind": kind,
                "filters": {"measure": measure} if measure else {},
            }
            charts.append(spec_from_dict(raw, where="nytt diagram"))
    return replace(meeting, charts=tuple(charts))


def save(meeting: Meeting, base: int, who: str) -> None:
    try:
        saved = save_meeting(meetings_dir(), meeting, base, by=who)
    except SaveConflict as exc:
        # the message names who saved: a name someone typed
        st.error(escape_markdown(str(exc)))
        return
    st.session_state["base"] = {saved.date: saved.revision}
    st.session_state.setdefault(ADDED, {}).pop(saved.date, None)
    st.success(f"Sparat (version {saved.revision}).")


def freeze_section(meeting: Meeting, base: int, who: str, home: str) -> None:
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
        save(frozen, base, who)


def import_section() -> None:
    st.header("Importera sysselsatta per SNI-kod")
    st.caption(
        "CSV (, eller ;) eller XLSX med kolumnerna region, sni, år och sysselsatta. "
        "Hela filen avvisas om en rad är fel; felet anger raden."
    )
    upload = st.file_uploader("Fil", type=["csv", "xlsx"])
    if upload is not None and st.button("Importera"):
        # the client's file name is only a label, never part of a path
        series = load_catalog().get("sysselsatta_sni_detalj")
        outcome = import_content(load_settings(), series, upload.name, upload.getvalue())
        if outcome.ok:
            st.success(f"Importerat: {outcome.rows} rader.")
        else:
            # the reason quotes the file's rows
            st.error(escape_markdown(outcome.message))


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
        meeting = with_added(choose(list_meetings(meetings_dir(), ctx.home), ctx.home))
        base = st.session_state.setdefault("base", {}).get(meeting.date, meeting.revision)
        st.session_state["base"][meeting.date] = base
        edited = edit_charts(edit_highlights(edit_details(meeting)), ctx)
        st.link_button("Förhandsgranska mötessidan", f"mote?datum={meeting.date}")
        if st.button("Spara", type="primary"):
            save(edited, base, who)
        freeze_section(meeting, base, who, ctx.home)
        import_section()


render()
