"""Näringslivsstatistik: page setup and navigation only; the pages live in src/stats/app_pages."""

from pathlib import Path
from typing import Any

import streamlit as st

PAGES = Path(__file__).parent / "src" / "stats" / "app_pages"

st.set_page_config(page_title="Näringslivsstatistik", layout="wide")
# no English "Deploy" button or developer options for the people reading the statistics
st.set_option("client.toolbarMode", "viewer")


@st.cache_resource
def pages() -> dict[str, list[Any]]:
    """The pages, made once per server process (resolving their files costs every run)."""
    return {
        "Möten": [
            st.Page(
                PAGES / "moten.py",
                title="Möten",
                icon=":material/event:",
                url_path="moten",
                default=True,
            ),
            st.Page(PAGES / "mote.py", title="Mötet", icon=":material/slideshow:", url_path="mote"),
            st.Page(
                PAGES / "forbered.py",
                title="Förbered möte",
                icon=":material/lock:",
                url_path="forbered",
            ),
        ],
        "Statistik": [
            st.Page(
                PAGES / "befolkning.py",
                title="Befolkning per månad",
                icon=":material/groups:",
                url_path="befolkning",
            ),
            st.Page(
                PAGES / "serier.py",
                title="Alla serier",
                icon=":material/show_chart:",
                url_path="serier",
            ),
            st.Page(
                PAGES / "arbetsmarknad.py",
                title="Arbetsmarknad och företag",
                icon=":material/work:",
                url_path="arbetsmarknad",
            ),
            st.Page(
                PAGES / "prognoser.py",
                title="Befolkningsframskrivningar",
                icon=":material/timeline:",
                url_path="prognoser",
            ),
            st.Page(
                PAGES / "cirkular.py",
                title="Cirkulär ekonomi",
                icon=":material/recycling:",
                url_path="cirkular",
            ),
            st.Page(
                PAGES / "kallor.py",
                title="Datakällor",
                icon=":material/database:",
                url_path="kallor",
            ),
        ],
    }


page = st.navigation(pages())
page.run()
