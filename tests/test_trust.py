"""Outside text stays text: meeting ids from the public URL, and text typed into meetings."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from stats.config import ROOT
from stats.meetings.files import MeetingNotFound, find_meeting, meeting_id, meeting_path
from stats.text import clean, escape_html, escape_markdown, spreadsheet_text

MOTE = str(ROOT / "src" / "stats" / "app" / "pages" / "mote.py")

HOSTILE_IDS = [
    "../../pyproject",
    "../../.streamlit/config",
    "/etc/passwd",
    "[Logga in här](https://evil.example/phish)",
    "20240617",  # date.fromisoformat takes this on Python 3.11
    "2024-W25-1",  # and this
    "2024-02-30",
    "2024-06-17/../../../pyproject",
    "2024-06-17\x00",
    " 2024-06-17",
]


@pytest.mark.parametrize("raw", HOSTILE_IDS)
def test_meeting_ids_are_real_dates_only(raw: str, tmp_path: Path) -> None:
    with pytest.raises(MeetingNotFound) as info:
        meeting_path(tmp_path, raw)
    assert raw not in str(info.value)


def test_a_real_date_is_an_id_and_stays_in_the_folder(tmp_path: Path) -> None:
    assert meeting_id("2024-06-17") == "2024-06-17"
    assert meeting_path(tmp_path, "2024-06-17") == tmp_path / "2024-06-17.toml"
    with pytest.raises(MeetingNotFound, match="Mötet 2024-06-18 finns inte"):
        find_meeting(tmp_path, "2024-06-18")


def _mote(datum: str) -> AppTest:
    at = AppTest.from_file(MOTE, default_timeout=60)
    at.query_params["datum"] = datum
    return at.run()


@pytest.mark.parametrize(
    "raw",
    [
        "../../pyproject",
        "../../.streamlit/config",
        str(ROOT / "pyproject"),
        "[x](https://evil.example/)",
    ],
)
def test_meeting_page_shows_no_file_and_no_link(raw: str, meetings: Path) -> None:
    at = _mote(raw)
    assert not at.exception
    shown = " ".join(e.value for e in [*at.error, *at.markdown, *at.title, *at.caption, *at.info])
    assert "Mötet finns inte" in at.error[0].value
    for leak in ("build-system", "setuptools", "toolbarMode", "evil.example", "No such file"):
        assert leak not in shown
    # the list of meetings is offered instead
    assert at.selectbox and "2024-06-17" in at.selectbox[0].options


ADVERSARIAL = (
    "Rad ett\x0brad två\x00 🚀 \u200fשלום\u200e "
    '=HYPERLINK("https://evil.example","x") <img src=x onerror=alert(1)> '
    "[a](javascript:alert(1)) " + "x" * 5000
)


def test_clean_removes_control_characters_but_keeps_text() -> None:
    text = clean(ADVERSARIAL)
    assert "\x00" not in text and "\x0b" not in text
    assert text.startswith("Rad ett\nrad två 🚀 \u200fשלום\u200e =HYPERLINK(")
    assert text.endswith("x" * 5000)
    assert clean("a\tb\r\nc") == "a\tb\r\nc"


def test_escapes_leave_no_markup() -> None:
    md = escape_markdown(ADVERSARIAL)
    assert "](" not in md.replace("\\](", "").replace("\\]\\(", "")
    assert "\\<img" in md and "\\[a\\]\\(javascript" in md
    h = escape_html('<a href="https://evil.example">x</a>\nny rad')
    assert h == "&lt;a href=&quot;https://evil.example&quot;&gt;x&lt;/a&gt;<br>ny rad"


@pytest.mark.parametrize("lead", ["=", "+", "-", "@"])
def test_spreadsheet_text_is_never_a_formula(lead: str) -> None:
    assert spreadsheet_text(f"{lead}1+1") == f"'{lead}1+1"
    assert spreadsheet_text("3,2 %") == "3,2 %"


def test_addresses_in_typed_text_never_become_links() -> None:
    # GFM links www.…, http://… and a@b.se in plain text even when escaped; a word joiner
    # where the link would start keeps them text, invisibly
    md = escape_markdown("Se www.regionjh.se, https://evil.example och a@b.se.")
    assert "www." not in md and "https://" not in md and "@b" not in md
    assert md.replace("\u2060", "").replace("\\", "") == (
        "Se www.regionjh.se, https://evil.example och a@b.se."
    )
