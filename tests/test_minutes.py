"""The minutes' "Näringslivsstatistik" paragraph, `stats minutes` and `stats suggest`.

The expected text is written from the seeded minutes of 2024-06-17 (../shared/seed): "Emma
Persson, regional analytiker RJH – presenterade aktuell näringslivsstatistik … Hela
statistikpresentationen … finns på www.regionjh.se/naringslivsdialog. Här följer några
highlights ur Emmas muntliga presentation:" and the spoken highlights as bullets.
"""

from __future__ import annotations

import html
import json
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from streamlit.testing.v1 import AppTest

from stats import cli
from stats.export.docx_export import write_docx
from stats.export.from_meeting import meeting_section
from stats.meetings.files import load_meeting, meeting_path, save_meeting
from stats.meetings.minutes import genitive, meeting_minutes, minutes_text
from stats.meetings.model import Highlight, Meeting
from stats.store.dbfile import open_reader

JUNE = "2024-06-17"
INTRO = (
    "Emma Persson, regional analytiker RJH – presenterade aktuell näringslivsstatistik. "
    "Hela statistikpresentationen finns som pdf på www.regionjh.se/naringslivsdialog. "
    "Här följer några highlights ur Emmas muntliga presentation:"
)
# the last three highlights of the minutes, word for word
SPOKEN = (
    "• Gällande arbetsmarknadsläget är antal nya lediga platser något fler än föregående "
    "månad, men fortfarande oförändrat läge under året.\n"
    "• Fortsatt risk för ökade konkurser och varsel.\n"
    "• Stabiliserat arbetsmarknadsläge förväntas under 2025, enligt arbetsförmedlingen.\n"
)


def june(folder: Path) -> Meeting:
    """The seeded June meeting with the presenter and publication the minutes name, saved."""
    seeded = load_meeting(meeting_path(folder, JUNE))
    named = replace(
        seeded,
        presenter="Emma Persson",
        presenter_role="regional analytiker RJH",
        publication="www.regionjh.se/naringslivsdialog",
    )
    return save_meeting(folder, named, seeded.revision, by="Emma")


def test_the_paragraph_in_the_minutes_form(meetings: Path) -> None:
    text = minutes_text(june(meetings))
    assert text.startswith(f"Näringslivsstatistik\n\n{INTRO}\n\n• Utifrån de nuvarande SNI")
    assert text.endswith(SPOKEN)
    assert text.count("• ") == 5


def test_missing_parts_are_left_out() -> None:
    bare = Meeting(date=JUNE, title="Möte", presenter="Lars Berg")
    assert minutes_text(bare) == (
        "Näringslivsstatistik\n\nLars Berg – presenterade aktuell näringslivsstatistik.\n"
    )
    nobody = Meeting(date=JUNE, title="Möte", highlights=(Highlight(text="Fler konkurser."),))
    assert meeting_minutes(nobody).intro == (
        "Aktuell näringslivsstatistik presenterades. "
        "Här följer några highlights ur den muntliga presentationen:"
    )
    assert genitive("Emma") == "Emmas" and genitive("Lars") == "Lars"


def test_typed_text_stays_plain_text_on_one_line() -> None:
    hostile = Meeting(
        date=JUNE,
        title="Möte",
        presenter="Emma\x1b[31m Persson",
        highlights=(Highlight(text="**fet**\n=SUM(A1)\x07 <b>x</b>"),),
    )
    minutes = meeting_minutes(hostile)
    assert minutes.bullets == ("**fet** =SUM(A1) <b>x</b>",)
    assert "\x1b" not in minutes.text() and minutes.intro.startswith("Emma[31m Persson –")


def test_stats_minutes_prints_the_paragraph(
    meetings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    june(meetings)
    assert cli.main(["minutes", "--meeting", JUNE]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"Näringslivsstatistik\n\n{INTRO}\n\n") and printed.endswith(SPOKEN)


def test_stats_minutes_names_an_unknown_meeting(
    meetings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["minutes", "--meeting", "2024-06-18"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "2024-06-18" in captured.err


def test_stats_suggest_prints_one_line_per_chart_and_comparison(
    snapshot_db: Path, meetings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["suggest", "--meeting", JUNE]) == 0
    lines = capsys.readouterr().out.splitlines()
    unemployment = [line for line in lines if line.startswith("Arbetslöshet 20–64 år · ")]
    # SCB AM0210 (BAS): Jämtland 3,6 % in 2024-01, 3,5 % in 2023-12, 3,4 % in 2023-01
    assert unemployment[:2] == [
        "Arbetslöshet 20–64 år · föregående månad: Arbetslöshet 20–64 år, Jämtlands län: "
        "3,6\u00a0% i januari 2024, något högre än föregående månad (3,5\u00a0% i december 2023, "
        "+0,1 procentenheter).",
        "Arbetslöshet 20–64 år · samma månad året innan: Arbetslöshet 20–64 år, Jämtlands län: "
        "3,6\u00a0% i januari 2024, något högre än samma månad året innan "
        "(3,4\u00a0% i januari 2023, +0,2 procentenheter).",
    ]
    assert len(unemployment) == 4
    # Regionfakta: 3 bankruptcies in 2021-04 against 11 in 2021-03, over the same population
    per_1000 = [line for line in lines if line.startswith("Företagskonkurser per 1 000")]
    assert "betydligt lägre än föregående månad" in per_1000[0] and "−72,7\u00a0%" in per_1000[0]
    # no vacancies, varsel, projections for Jämtland or SNI file in the snapshot
    assert "Nya lediga platser per månad · inga förslag: data saknas för en jämförelse" in lines
    assert len(lines) == 6 + 2 + 4


def test_the_docx_export_holds_the_same_paragraph(
    snapshot_db: Path, meetings: Path, tmp_path: Path
) -> None:
    meeting = june(meetings)
    con = open_reader(snapshot_db)
    try:
        section = meeting_section(con, replace(meeting, charts=meeting.charts[5:6]), "23")
    finally:
        con.close()
    # no pictures: the paragraphs are what is checked here
    document = docx.Document(str(write_docx(section, {}, tmp_path / "m.docx")))
    paragraphs = [(p.style.name if p.style else "", p.text) for p in document.paragraphs]
    start = paragraphs.index(("Heading 2", "Näringslivsstatistik"))
    bullets = [f"• {text}" for style, text in paragraphs[start + 2 :] if style == "List Bullet"]
    assert paragraphs[start + 1] == ("Normal", INTRO)
    assert "\n".join(bullets) + "\n" == minutes_text(meeting).split("\n\n", 2)[2]
    assert ("Heading 2", "Det viktigaste") not in paragraphs


def _box(day: str) -> None:
    from stats.app.minutes_box import render_minutes
    from stats.meetings.files import load_meeting, meeting_path, meetings_dir

    render_minutes(load_meeting(meeting_path(meetings_dir(), day)))


def test_the_app_box_shows_the_same_text_with_a_swedish_copy_button(meetings: Path) -> None:
    meeting = june(meetings)
    at = AppTest.from_function(_box, args=(JUNE,), default_timeout=30).run()
    assert not at.exception
    (box,) = at.text_area
    assert box.value == minutes_text(meeting) and box.disabled
    assert at.subheader[0].value == "Text till minnesanteckningarna"
    assert not at.code  # st.code's copy button says "Copy to clipboard"
    (button,) = [h for h in at.get("html") if "Kopiera texten" in h.proto.body]
    assert "Copy" not in button.proto.body


def test_the_copy_button_carries_hostile_text_as_data() -> None:
    from stats.app.minutes_box import copy_button

    hostile = 'a"</button><script>alert(1)</script>&amp;'
    markup = copy_button(hostile, "2024-06-17")
    assert "<script>alert(1)" not in markup and "</button><script>" not in markup
    attribute = markup.split('data-text="', 1)[1].split('"', 1)[0]
    assert json.loads(html.unescape(attribute)) == hostile
