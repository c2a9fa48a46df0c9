"""The statistics section as a 16:9 slide deck for the analyst (python-pptx).

A title slide (meeting title, date, data note), then one slide per chart: its title, the picture
(alt text in `descr`) or, without a browser, the latest rows of its data table, its highlight
when it has one and the source line small at the bottom. Footnotes and the alt text go into the
speaker notes. Every text goes through `stats.text.clean` on its way in (python-pptx would write
a control character as "_x000B_", and lxml refuses one in an attribute).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from stats.export.images import INSTALL_ADVICE
from stats.export.section import Section, property_text
from stats.present.describe import Table, alt_text, chart_table
from stats.present.spec import Chart, chart_notes
from stats.regions import Home
from stats.text import clean

SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)
EDGE = Inches(0.5)
TITLE_TOP, TITLE_HEIGHT = Inches(0.3), Inches(1.0)
BODY_TOP = Inches(1.4)
SOURCE_HEIGHT = Inches(0.6)
HIGHLIGHT_WIDTH = Inches(4.0)
# rows of the data table a slide without a picture shows (the latest periods)
SLIDE_ROWS = 10
LAYOUT_TITLE, LAYOUT_TITLE_ONLY = 0, 5


def _place(shape: Any, left: int, top: int, width: int, height: int) -> None:
    shape.left, shape.top, shape.width, shape.height = left, top, width, height


def _text_box(slide: Any, text: str, box: tuple[int, int, int, int], size: int) -> Any:
    shape = slide.shapes.add_textbox(*box)
    frame = shape.text_frame
    frame.word_wrap = True
    frame.text = clean(text)
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(size)
    return shape


def _add_table(slide: Any, table: Table, box: tuple[int, int, int, int]) -> Any:
    rows = table.rows[-SLIDE_ROWS:]
    shape = slide.shapes.add_table(len(rows) + 1, len(table.header), *box)
    grid = shape.table
    grid.first_row = True
    for j, text in enumerate(table.header):
        grid.cell(0, j).text = clean(text)
    for i, values in enumerate(rows, start=1):
        for j, text in enumerate(values):
            cell = grid.cell(i, j)
            cell.text = clean(text)
            if j >= table.first_value:
                cell.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT
    for row in grid.rows:
        for cell in row.cells:
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(12)
    return shape


def _chart_slide(prs: Any, chart: Chart, png: bytes | None, highlight: str, home: Home) -> Any:
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
    title = slide.shapes.title
    title.text = clean(chart.title)
    for run in title.text_frame.paragraphs[0].runs:
        run.font.size = Pt(32)
    _place(title, EDGE, TITLE_TOP, SLIDE_WIDTH - 2 * EDGE, TITLE_HEIGHT)
    notes = chart_notes(chart, home)
    body_height = SLIDE_HEIGHT - BODY_TOP - SOURCE_HEIGHT - Inches(0.2)
    body_width = SLIDE_WIDTH - 2 * EDGE - (HIGHLIGHT_WIDTH + Inches(0.3) if highlight else 0)
    if png is not None:
        picture = slide.shapes.add_picture(io.BytesIO(png), EDGE, BODY_TOP, height=body_height)
        if picture.width > body_width:
            ratio = body_width / picture.width
            picture.width, picture.height = int(body_width), int(picture.height * ratio)
        if not highlight:
            picture.left = int((SLIDE_WIDTH - picture.width) / 2)
        picture._element.nvPicPr.cNvPr.set("descr", clean(alt_text(chart)))
        picture._element.nvPicPr.cNvPr.set("title", clean(chart.title))
    else:
        table = chart_table(chart)
        _add_table(slide, table, (EDGE, BODY_TOP, body_width, Inches(0.35) * SLIDE_ROWS))
        _text_box(
            slide,
            f"Diagrambilden saknas (installera Chromium: {INSTALL_ADVICE}). "
            f"Tabellen visar de senaste {min(SLIDE_ROWS, len(table.rows))} raderna.",
            (EDGE, BODY_TOP + body_height - Inches(0.4), body_width, Inches(0.4)),
            11,
        )
    if highlight:
        left = SLIDE_WIDTH - EDGE - HIGHLIGHT_WIDTH
        _text_box(slide, highlight, (left, BODY_TOP, HIGHLIGHT_WIDTH, body_height), 20)
    source_top = SLIDE_HEIGHT - SOURCE_HEIGHT - Inches(0.1)
    _text_box(slide, notes[0], (EDGE, source_top, SLIDE_WIDTH - 2 * EDGE, SOURCE_HEIGHT), 10)
    slide.notes_slide.notes_text_frame.text = clean(
        "\n".join([*notes, f"Bildbeskrivning: {alt_text(chart)}"])
    )
    return slide


def write_pptx(section: Section, pictures: Mapping[int, bytes], path: Path) -> Path:
    """Write the deck to `path`: a title slide and one slide per chart."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(SLIDE_WIDTH), Emu(SLIDE_HEIGHT)
    props = prs.core_properties
    props.title = property_text(f"{section.title} {section.meeting_date}")
    props.subject = property_text(section.subtitle)
    props.author = property_text(section.processor)
    props.language = "sv-SE"
    first = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE])
    first.shapes.title.text = clean(section.title)
    _place(first.shapes.title, EDGE, Inches(2.0), SLIDE_WIDTH - 2 * EDGE, Inches(1.5))
    subtitle = first.placeholders[1]
    subtitle.text = clean(
        "\n".join(t for t in (section.subtitle, section.meeting_date, section.data_note) if t)
    )
    _place(subtitle, EDGE, Inches(3.8), SLIDE_WIDTH - 2 * EDGE, Inches(1.8))
    for i, chart in enumerate(section.charts):
        highlight = section.chart_highlights.get(i, "")
        _chart_slide(prs, chart, pictures.get(i), highlight, section.home)
    path.parent.mkdir(parents=True, exist_ok=True)
    prs.save(str(path))
    return path
