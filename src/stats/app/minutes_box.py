"""The minutes' "Näringslivsstatistik" paragraph with a Swedish copy button, for the pages.

`st.code` has a copy button, but its label ("Copy to clipboard") is English and cannot be set;
so the text sits in a read-only text area, with our own "Kopiera texten" button beside it and
a download of the same text for browsers that do not allow the clipboard.
"""

from __future__ import annotations

import html
import json

import streamlit as st

from stats.meetings.minutes import minutes_text
from stats.meetings.model import Meeting

HEADING = "Text till minnesanteckningarna"
HELP = (
    "Stycket Näringslivsstatistik i minnesanteckningarnas form: vem som presenterade, var hela "
    "presentationen finns och höjdpunkterna som punkter. Samma text finns i Word-exporten och "
    "ges av `stats minutes`."
)
COPIED = "Kopierat."


def copy_button(text: str, key: str) -> str:
    """HTML for a button that puts `text` on the clipboard; the text is data, never markup.

    The text travels as a JSON string inside an HTML attribute (escaped for the attribute, so
    `"`, `<` and `&` in a highlight stay text) and the script only reads it back.
    """
    payload = html.escape(json.dumps(text), quote=True)
    element = html.escape(f"kopiera-{key}", quote=True)
    copied = json.dumps(COPIED)
    return (
        f'<button type="button" id="{element}" data-text="{payload}" class="kopiera">'
        "Kopiera texten</button>"
        '<span role="status" aria-live="polite" class="kopierat"></span>'
        "<script>(function(){"
        f'const b=document.getElementById("{element}");'
        "if(!b||b.dataset.ready)return;b.dataset.ready='1';"
        "b.addEventListener('click',function(){"
        "navigator.clipboard.writeText(JSON.parse(b.dataset.text)).then(function(){"
        f"b.nextElementSibling.textContent={copied};}});}});}})();</script>"
    )


def render_minutes(meeting: Meeting) -> None:
    """The paragraph as plain text (a read-only text area), a copy button and a download."""
    text = minutes_text(meeting)
    st.subheader(HEADING)
    st.caption(HELP)
    st.text_area(HEADING, text, height=260, disabled=True, label_visibility="collapsed")
    left, right = st.columns(2)
    with left:
        st.html(copy_button(text, meeting.date), unsafe_allow_javascript=True)
    with right:
        st.download_button(
            "Ladda ner texten (.txt)",
            text.encode("utf-8"),
            file_name=f"{meeting.date}_naringslivsstatistik.txt",
            mime="text/plain",
            key=f"minutes-{meeting.date}",
        )
