"""Outside text is text: one place that makes typed or fetched text safe to show and store.

Outside text is everything a user typed (meeting title, place, notes, highlights, chart titles,
names) and everything a remote source sent (problem+json details, HTML error pages, file
contents). It is shown as written, never run as Markdown, HTML, a link, a formula or a path.

- `clean` removes control characters other than tab, newline and carriage return (Word's soft
  line break `\\x0b`, NUL, …) and is applied when a meeting is saved and a file is imported;
- `escape_markdown` is for every Markdown-aware Streamlit element;
- `escape_html` is for HTML; `escape_plotly` is the same in the entities Plotly decodes, for
  every Plotly title, legend name, axis title, tick label, annotation and hover text;
- `spreadsheet_text` keeps a CSV field from being read as a formula (XLSX text cells are typed
  as strings instead, so they keep their exact text).
"""

from __future__ import annotations

import html
import re
import unicodedata

# C0 and C1 control characters except \t \n \r, plus DEL
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&^])")
# GFM makes links of www.x.se, http://… and a@b.se in plain text, escaped or not; an invisible
# word joiner (U+2060) where such a link would start keeps them text
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)(?<=www)(?=\.)|(?=://)|(?<=@)")
# what spreadsheet programs read as the start of a formula (OWASP "CSV injection")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clean(text: str) -> str:
    """Text without control characters other than tab and line breaks; NFC-normalized.

    Word's soft line break (vertical tab) becomes a newline, so the line stays broken.
    """
    text = text.replace("\x0b", "\n")
    return unicodedata.normalize("NFC", _CONTROL.sub("", text))


def escape_markdown(text: str) -> str:
    """Text for st.markdown, st.title, st.caption, … that shows exactly as typed.

    No Markdown, no HTML, no links, no LaTeX; line breaks are kept.
    """
    escaped = _MARKDOWN.sub(r"\\\1", _AUTOLINK.sub(WORD_JOINER, clean(text)))
    return escaped.replace("\n", "  \n")


def escape_html(text: str) -> str:
    """Text for Plotly titles, legends and hover labels: no tags, no links, line breaks kept."""
    return html.escape(clean(text), quote=True).replace("\n", "<br>")


def spreadsheet_text(text: str) -> str:
    """A cell text that no spreadsheet program reads as a formula (prefixed with `'`)."""
    text = clean(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def escape_plotly(text: str) -> str:
    """`escape_html` in the entities Plotly decodes: it knows `&lt;` and `&#34;` but not `&quot;`.

    Plotly shows `&quot;` as written, so a typed `"` becomes the numeric entity instead.
    """
    return escape_html(text).replace("&quot;", "&#34;")
