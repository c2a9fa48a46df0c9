"""Kolada-nyckeltal (staff only): search Kolada's KPIs by word and add one as a series.

The analyst signs in on "Förbered möte" (the same session unlocks this page). The search runs
over the embedded KPI catalogue, or the one `stats kolada-catalogue` fetched; an added KPI
becomes a catalog file in the local catalog folder, fetched by the next `stats refresh`, and
can be removed again (after a confirmation); built-in series cannot.
Everything from the catalogue and the search box is shown as text.
"""

from __future__ import annotations

import time

import streamlit as st

from stats.app.auth import expired
from stats.app.page import page
from stats.catalog.load import load_catalog
from stats.config import load_settings
from stats.fmt import format_number
from stats.sources.kolada_catalogue import Kpi, KpiCatalogue, load_kpi_catalogue
from stats.sources.kolada_picker import (
    PickError,
    add_kpi_series,
    local_kolada_series,
    remove_kpi_series,
    series_id_for,
)
from stats.text import escape_markdown

MAX_HITS = 25
SHORT = 220
TYPES = {"K": "kommuner", "L": "regioner", "A": "kommuner och regioner"}
LEAD = (
    "Sök bland Koladas nyckeltal på ord i titel och beskrivning (å, ä och ö går att skriva som "
    "a och o) och lägg till ett som serie. Serien hämtas vid nästa `stats refresh` för riket "
    "och för det nyckeltalet finns för: hemlänet, hemlänets kommuner eller båda."
)


def signed_in_as() -> str | None:
    """The analyst's name when signed in on Förbered möte in this session, else None."""
    since = st.session_state.get("analyst_since")
    name = st.session_state.get("analyst")
    if not name or since is None or expired(float(since), time.time()):
        return None
    return str(name)


def short(text: str) -> str:
    """The first SHORT characters of a description, cut at a word."""
    text = " ".join(text.split())
    return text if len(text) <= SHORT else text[:SHORT].rsplit(" ", 1)[0] + " …"


def add(kpi_text: str, catalogue: KpiCatalogue) -> None:
    """Add the KPI and say what happens next; a refusal is one Swedish line."""
    try:
        added = add_kpi_series(kpi_text, catalogue)
    except PickError as exc:
        st.error(escape_markdown(str(exc)))
        return
    st.success(
        f"Tillagd som serien `{added.series_id}`. Den hämtas vid nästa `stats refresh`; "
        f"till dess visar [Alla serier](serier?serie={added.series_id}) "
        "”Ingen data ännu — kör `stats refresh`”."
    )


def show_hit(kpi: Kpi, declared: set[str], catalogue: KpiCatalogue) -> None:
    """One search hit: id, title, short description, and the add button (ids are checked)."""
    with st.container(border=True):
        st.markdown(f"**{escape_markdown(kpi.id)}** {escape_markdown(kpi.title)}")
        st.caption(escape_markdown(short(kpi.description)) or "Ingen beskrivning.")
        facts = TYPES.get(kpi.municipality_type, "okänd regiontyp")
        facts += ", per kön" if kpi.divided_by_gender else ""
        area = f" Område: {escape_markdown(kpi.operating_area)}." if kpi.operating_area else ""
        st.caption(f"Finns för {facts}.{area}")
        series_id = series_id_for(kpi.id)
        if series_id in declared:
            st.markdown(f"Finns redan som [serien `{series_id}`](serier?serie={series_id}).")
        elif st.button("Lägg till som serie", key=f"add_{kpi.id}"):
            add(kpi.id, catalogue)


def search_section(catalogue: KpiCatalogue, declared: set[str]) -> None:
    query = st.text_input("Sök nyckeltal", max_chars=200, placeholder="t.ex. hållbarhet")
    if not query.strip():
        return
    hits = catalogue.search(query, MAX_HITS)
    if not hits:
        st.info(f"Inga nyckeltal innehåller alla orden i ”{escape_markdown(query)}”.")
        return
    more = " (de första)" if len(hits) == MAX_HITS else ""
    st.caption(f"{len(hits)} träffar{more} för ”{escape_markdown(query)}”, titelträffar först.")
    for kpi in hits:
        show_hit(kpi, declared, catalogue)


def by_id_section(catalogue: KpiCatalogue) -> None:
    with st.form("by_id"):
        typed = st.text_input("Lägg till med id", max_chars=20, placeholder="t.ex. N00945")
        if st.form_submit_button("Lägg till"):
            add(typed, catalogue)


def confirm_removal(series_id: str, title: str) -> None:
    """Ask before deleting the series' catalog file; only picker-added files are removable."""
    with st.container(border=True):
        st.warning(
            f"Ta bort serien {title}? Katalogfilen `{series_id}.toml` raderas och serien "
            "hämtas inte längre vid `stats refresh`. Redan hämtade data ligger kvar i databasen."
        )
        yes, no, _rest = st.columns([1, 1, 3])
        if yes.button("Ja, ta bort", key=f"confirm_remove_{series_id}", type="primary"):
            st.session_state.pop("kolada_remove", None)
            try:
                remove_kpi_series(series_id)
            except PickError as exc:
                st.error(escape_markdown(str(exc)))
                return
            st.session_state["kolada_removed"] = title
            st.rerun()
        if no.button("Avbryt", key=f"cancel_remove_{series_id}"):
            st.session_state.pop("kolada_remove", None)
            st.rerun()


def added_section() -> None:
    """The series the picker added, each with a link and a remove button (asked once more)."""
    removed = st.session_state.pop("kolada_removed", None)
    if removed:
        st.success(f"Serien {removed} är borttagen ur katalogen.")
    added = local_kolada_series()
    if not added:
        return
    st.header("Tillagda nyckeltal")
    catalog = load_catalog()
    for series_id in added:
        series = catalog.series.get(series_id)
        title = escape_markdown(series.title) if series else series_id
        link, button = st.columns([4, 1])
        link.markdown(f"[{title}](serier?serie={series_id})")
        if button.button("Ta bort", key=f"remove_{series_id}"):
            st.session_state["kolada_remove"] = series_id
        if st.session_state.get("kolada_remove") == series_id:
            confirm_removal(series_id, title)


def render() -> None:
    """The whole page, for a signed-in analyst."""
    with page("Kolada-nyckeltal", LEAD):
        who = signed_in_as()
        if who is None:
            st.info("Sidan är för analytiker. Logga in på sidan Förbered möte först.")
            st.markdown("[Gå till Förbered möte](forbered)")
            return
        st.caption(f"Inloggad som {escape_markdown(who)}.")
        catalogue = load_kpi_catalogue(load_settings().data_dir)
        origin = escape_markdown(catalogue.origin)
        st.caption(
            f"Katalogen: {format_number(len(catalogue))} nyckeltal ({origin}). "
            "Med nätverk hämtar `stats kolada-catalogue` den senaste från Kolada."
        )
        declared = set(load_catalog().series)
        search_section(catalogue, declared)
        by_id_section(catalogue)
        added_section()


render()
