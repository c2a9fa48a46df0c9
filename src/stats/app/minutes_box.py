"""The minutes' "Näringslivsstatistik" paragraph in a box with a copy button, for the pages."""

from __future__ import annotations

import streamlit as st

from stats.meetings.minutes import minutes_text
from stats.meetings.model import Meeting

HEADING = "Text till minnesanteckningarna"
HELP = (
    "Stycket Näringslivsstatistik i minnesanteckningarnas form: vem som presenterade, var hela "
    "presentationen finns och höjdpunkterna som punkter. Kopiera det med knappen i rutans övre "
    "högra hörn. Samma text finns i Word-exporten och ges av `stats minutes`."
)


def render_minutes(meeting: Meeting) -> None:
    """The paragraph as plain text in `st.code` (shown as typed, never markup; copyable)."""
    st.subheader(HEADING)
    st.caption(HELP)
    st.code(minutes_text(meeting), language=None, wrap_lines=True)
