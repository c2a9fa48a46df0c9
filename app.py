"""Näringslivsstatistik: page setup and navigation only; the pages live in src/stats/app_pages."""

from pathlib import Path

import streamlit as st

PAGES = Path(__file__).parent / "src" / "stats" / "app_pages"

st.set_page_config(page_title="Näringslivsstatistik", layout="wide")
# no English "Deploy" button or developer options for the people reading the statistics
st.set_option("client.toolbarMode", "viewer")
page = st.navigation(
    [
        st.Page(
            PAGES / "befolkning.py",
            title="Befolkning per månad",
            icon=":material/groups:",
            url_path="befolkning",
            default=True,
        ),
        st.Page(
            PAGES / "serier.py",
            title="Alla serier",
            icon=":material/show_chart:",
            url_path="serier",
        ),
        st.Page(
            PAGES / "kallor.py",
            title="Datakällor",
            icon=":material/database:",
            url_path="kallor",
        ),
    ]
)
page.run()
