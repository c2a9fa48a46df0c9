"""The statistics section as a Word document for the minutes (python-docx).

Layout: Heading 1 with the meeting title and date, the subtitle and data note, the minutes'
"Näringslivsstatistik" paragraph (Heading 2, presenter and publication, the highlights as a
bulleted list; the same text as `stats minutes`), or for a section without it Heading 2 "Det
viktigaste" with the highlights as a bulleted list, then per chart a Heading 2, the picture
(alt text in the drawing's `descr`), the source line and footnotes as captions and the data
table (header row repeated on every page). A4, Swedish as the document language. Every text
goes through `stats.text.clean` on its way in: Word's XML has no room for control characters
(python-docx raises on them), and a typed soft line break becomes a line break.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from stats.export.images import INSTALL_ADVICE
from stats.export.section import Section, property_text
from stats.present.describe import Table, alt_text, chart_table
from stats.present.spec import chart_notes
from stats.text import clean

LANGUAGE = "sv-SE"
# A4 with 2,5 cm margins leaves 16 cm for text and pictures
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Cm(21.0), Cm(29.7), Cm(2.5)
PICTURE_WIDTH = Cm(16.0)
NO_PICTURE = (
    "Diagrambilden saknas: ingen webbläsare (Chromium) fanns när dokumentet skapades. "
    f"Installera den med {INSTALL_ADVICE} och exportera igen. Tabellen nedan visar samma "
    "uppgifter."
)


def _set_language(document: Any) -> None:
    """Swedish for spell checking, hyphenation and screen readers (w:lang in docDefaults)."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    document.core_properties.language = LANGUAGE


def _set_styles(document: Any) -> None:
    """Captions as quiet small text (the template's are bold and blue)."""
    font = document.styles["Caption"].font
    font.bold, font.italic, font.size = False, False, Pt(9)
    font.color.rgb = RGBColor(0x33, 0x33, 0x33)


def _set_page(document: Any) -> None:
    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.left_margin = section.right_margin = MARGIN
        section.top_margin = section.bottom_margin = MARGIN


def mark_header_row(row: Any) -> None:
    """Repeat the row at the top of every page and tell screen readers it is a header."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    tr_pr.insert_element_before(
        header, "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange"
    )
    cant_split = OxmlElement("w:cantSplit")
    tr_pr.insert_element_before(cant_split, "w:trHeight", "w:tblHeader")


def add_table(document: Any, table: Table) -> Any:
    """A data table: caption paragraph, bold header row marked as repeating, no empty cells."""
    document.add_paragraph(clean(table.caption), style="Caption")
    out = document.add_table(rows=1, cols=len(table.header))
    out.style = "Table Grid"
    head = out.rows[0]
    mark_header_row(head)
    for i, (cell, text) in enumerate(zip(head.cells, table.header, strict=True)):
        cell.text = ""
        cell.paragraphs[0].add_run(clean(text)).bold = True
        if i >= table.first_value:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for values in table.rows:
        cells = out.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, values, strict=True)):
            cell.text = clean(text)
            if i >= table.first_value:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return out


def add_picture(document: Any, png: bytes, alt: str, title: str) -> Any:
    """The chart picture at text width, its alt text in the drawing's `descr` attribute."""
    shape = document.add_picture(io.BytesIO(png), width=PICTURE_WIDTH)
    # the picture stays on the page of its source line
    document.paragraphs[-1].paragraph_format.keep_with_next = True
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", clean(alt))
    doc_pr.set("title", clean(title))
    return shape


def _add_highlights(document: Any, section: Section) -> None:
    """The minutes' paragraph with its bullets, else "Det viktigaste" with the highlights."""
    minutes = section.minutes
    if minutes is not None:
        document.add_heading(clean(minutes.heading), level=2)
        document.add_paragraph(clean(minutes.intro))
        bullets = list(minutes.bullets)
    elif section.highlights:
        document.add_heading("Det viktigaste", level=2)
        bullets = section.highlights
    else:
        return
    for text in bullets:
        document.add_paragraph(clean(text), style="List Bullet")


def write_docx(section: Section, pictures: Mapping[int, bytes], path: Path) -> Path:
    """Write the section to `path`; a chart without a picture gets the no-browser note."""
    document = docx.Document()
    _set_page(document)
    _set_language(document)
    _set_styles(document)
    props = document.core_properties
    props.title = property_text(f"{section.title} {section.meeting_date}")
    props.subject = property_text(section.subtitle)
    props.author = property_text(section.processor)
    props.keywords = "statistik; näringsliv; protokoll"
    document.add_heading(clean(f"{section.title} {section.meeting_date}"), level=1)
    if section.subtitle:
        document.add_paragraph(clean(section.subtitle), style="Subtitle")
    if section.data_note:
        document.add_paragraph(clean(section.data_note))
    _add_highlights(document, section)
    for i, chart in enumerate(section.charts):
        document.add_heading(clean(chart.title), level=2)
        png = pictures.get(i)
        if png is not None:
            add_picture(document, png, alt_text(chart), chart.title)
        else:
            note = document.add_paragraph()
            note.add_run(NO_PICTURE).italic = True
        for line in chart_notes(chart, section.home):
            paragraph = document.add_paragraph(clean(line), style="Caption")
            paragraph.paragraph_format.space_after = Pt(2)
        add_table(document, chart_table(chart))
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path
