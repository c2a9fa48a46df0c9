"""Näringslivsstatistik: page setup and navigation only; the pages live in src/stats/app/pages."""

from pathlib import Path
from typing import Any

import streamlit as st

from stats.app.page import APP_NAME
from stats.app.swedish import swedish_widgets

PAGES = Path(__file__).parent / "src" / "stats" / "app" / "pages"

SWEDISH = "<script>document.documentElement.lang = 'sv';</script>"

st.set_page_config(page_title=APP_NAME, layout="wide")
# no English "Deploy" button or developer options for the people reading the statistics
st.set_option("client.toolbarMode", "viewer")
# Streamlit serves <html lang="en">; the pages are Swedish, so screen readers are told so
st.html(SWEDISH, unsafe_allow_javascript=True)
# Swedish in place of Streamlit's English widget texts, on every page (stats.app.swedish)
swedish_widgets()


# section → (page file and URL path, title, icon); the first page is the start page
NAVIGATION = {
    "Möten": [
        ("moten", "Möten", "event"),
        ("mote", "Mötet", "slideshow"),
        ("forbered", "Förbered möte", "lock"),
        ("kolada", "Kolada-nyckeltal", "manage_search"),
    ],
    "Statistik": [
        ("befolkning", "Befolkning per månad", "groups"),
        ("serier", "Alla serier", "show_chart"),
        ("arbetsmarknad", "Arbetsmarknad och företag", "work"),
        ("prognoser", "Befolkningsframskrivningar", "timeline"),
        ("brp_plus", "BRP+ livskvalitet och hållbarhet", "diversity_3"),
        ("cirkular", "Cirkulär ekonomi", "recycling"),
        ("kallor", "Datakällor", "database"),
    ],
}


def pages() -> dict[str, list[Any]]:
    """The pages, made anew on every run: a `st.Page` is single-use per run (`run()` marks it
    called), so pages shared between sessions raised "This page cannot be called directly"
    when two sessions ran at once (bench/publish.py's 20 concurrent sessions)."""
    return {
        section: [
            # no icon on the page itself: Streamlit makes a page's Material icon the tab's
            # favicon, fetched from fonts.gstatic.com, so every reader's browser would call
            # Google; the sidebar links draw the icons from the bundled font instead
            st.Page(PAGES / f"{name}.py", title=title, url_path=name, default=name == "moten")
            for name, title, _icon in entries
        ]
        for section, entries in NAVIGATION.items()
    }


def sidebar_navigation(sections: dict[str, list[Any]]) -> None:
    """Our own links in the sidebar: Streamlit's navigation puts <div>s inside its <ul>, which
    screen readers (and axe-core's `list` rule) read as a broken list."""
    with st.sidebar:
        for section, entries in sections.items():
            st.markdown(f"**{section}**")
            icons = [icon for _name, _title, icon in NAVIGATION[section]]
            for entry, icon in zip(entries, icons, strict=True):
                st.page_link(entry, icon=f":material/{icon}:")


sections = pages()
page = st.navigation(sections, position="hidden")
sidebar_navigation(sections)
page.run()
