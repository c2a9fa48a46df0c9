"""Minutes-ready export: each produced file opened with its own library and checked."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from openpyxl import load_workbook
from PIL import Image, ImageStat
from pptx import Presentation

from stats.analysis.indicators import open_scope
from stats.app.charts import prepare
from stats.export import (
    NoBrowser,
    Section,
    browser_missing,
    export_section,
    section_files,
)
from stats.export.docx_export import NO_PICTURE
from stats.export.images import ImageRenderer, find_browser
from stats.export.tables_export import csv_number, number_format, sheet_names
from stats.fmt import NBSP, format_number
from stats.present.describe import chart_table, value_cell
from stats.present.spec import Chart, caption, draw, spec_from_dict
from stats.store.dbfile import open_reader
from tests.app_tables import table_cell

DATE = "2024-06-17"
SPECS: list[dict[str, Any]] = [
    {
        "indicator": "manadsforandring",
        "title": "Företagskonkurser per månad",
        "filters": {"measure": "konkurser_regionfakta"},
        "regions": ["hemlan", "grannlan"],
    },
    {
        "indicator": "arbetsmarknad_lan",
        "title": "Arbetslöshet",
        "filters": {"measure": "arbetsloshet"},
        "regions": ["hemlan", "riket"],
    },
    {"indicator": "folkmangd_manad_total", "title": "Folkmängd", "regions": ["hemlan"]},
]
HIGHLIGHTS = [
    "Arbetslösheten i Jämtlands län är lägre än i riket.",
    "Folkmängden ökade något under våren.",
]


def draw_charts(db: Path, releases: list[int] | None = None) -> list[Chart]:
    scope = open_scope(open_reader(db), releases=releases)
    return [draw(scope, spec_from_dict(raw), home="23") for raw in SPECS]


def make_section(db: Path) -> Section:
    return Section(
        meeting_date=DATE,
        title="Regional näringslivsdialog",
        charts=draw_charts(db),
        home="23",
        highlights=HIGHLIGHTS,
        chart_highlights={1: "Jämtlands län ligger under riket hela perioden."},
        data_note=f"Data som visades {DATE}",
    )


@pytest.fixture(scope="module")
def renderer() -> Iterator[ImageRenderer]:
    """One warm browser for every image test; skip (or fail in CI) without one."""
    if find_browser() is None:
        reason = browser_missing() or "no browser"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        print(f"skipping image test: {reason}")
        pytest.skip(reason)
    with ImageRenderer() as warm:
        yield warm


@pytest.fixture
def no_browser(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-chromium"))
    monkeypatch.setattr("stats.export.images.shutil.which", lambda name: None)


def test_cells_are_swedish_and_never_empty_or_bare_symbols() -> None:
    assert value_cell(1234.5, None, False, 1) == f"1{NBSP}234,5"
    assert value_cell(-3.0, "", True, 0) == "\u22123 (preliminärt)"
    assert value_cell(None, "..", False, 0) == ".. (uppgift saknas eller för osäker)"
    assert value_cell(float("nan"), None, False, 0) == "Data saknas"
    assert value_cell(None, "<5", False, 0) == "<5 (färre än 5)"


def test_chart_table_marks_preliminary_and_missing(snapshot_db: Path) -> None:
    chart = draw_charts(snapshot_db)[0]
    frame = chart.frame
    frame.loc[frame.index[-1], "preliminary"] = True
    frame.loc[frame.index[1], ["value", "status"]] = [None, ".."]
    table = chart_table(chart)
    assert table.header == ["Månad", "Jämtlands län", "Dalarnas län", "Gävleborgs län",
                            "Västernorrlands län", "Västerbottens län"]  # fmt: skip
    assert table.rows[1][1] == ".. (uppgift saknas eller för osäker)"
    assert table.rows[-1][-1].endswith(" (preliminärt)")
    assert all(cell.strip() for row in table.rows for cell in row)


def test_file_names_say_what_they_are(snapshot_db: Path) -> None:
    names = section_files(make_section(snapshot_db), ["png", "docx", "csv"])
    assert names[0] == "2024-06-17_foretagskonkurser-per-manad_jamtland.png"
    assert "2024-06-17_statistik.docx" in names
    assert "2024-06-17_folkmangd_jamtland.csv" in names
    assert not any("newplot" in n for n in names)


@pytest.mark.browser
def test_docx_for_the_minutes(snapshot_db: Path, tmp_path: Path, renderer: ImageRenderer) -> None:
    section = make_section(snapshot_db)
    files = export_section(section, {"docx"}, tmp_path, renderer=renderer)
    assert [f.name for f in files] == ["2024-06-17_statistik.docx"]
    assert renderer.running, "a renderer passed in stays warm for the next export"
    document = docx.Document(str(files[0]))
    paragraphs = [(p.style.name if p.style else "", p.text) for p in document.paragraphs]
    assert paragraphs[0] == ("Heading 1", f"Regional näringslivsdialog {DATE}")
    assert ("Heading 2", "Det viktigaste") in paragraphs
    for text in HIGHLIGHTS:
        assert ("List Bullet", text) in paragraphs
    for chart in section.charts:
        assert ("Heading 2", chart.title) in paragraphs
        assert ("Caption", caption(chart, "23")) in paragraphs
    pictures = document.inline_shapes
    assert len(pictures) == len(section.charts)
    for picture, chart in zip(pictures, section.charts, strict=True):
        descr = picture._inline.docPr.get("descr")
        assert descr and chart.title in descr and "," in descr
    assert len(document.tables) == len(section.charts)
    for table in document.tables:
        header_pr = table.rows[0]._tr.trPr
        assert header_pr is not None and header_pr.find(qn("w:tblHeader")) is not None
        assert all(c.text.strip() for row in table.rows for c in row.cells)
    unemployment = [c.text for row in document.tables[1].rows[1:] for c in row.cells[1:]]
    # SCB's monthly BAS values are preliminary
    assert "5,0 (preliminärt)" in unemployment and all("." not in c for c in unemployment)
    population = [c.text for row in document.tables[2].rows[1:] for c in row.cells[1:]]
    assert all(NBSP in c and c.replace(NBSP, "").isdigit() for c in population)
    assert document.core_properties.language == "sv-SE"


@pytest.mark.browser
def test_pptx_has_a_slide_per_chart(
    snapshot_db: Path, tmp_path: Path, renderer: ImageRenderer
) -> None:
    section = make_section(snapshot_db)
    (path,) = export_section(section, {"pptx"}, tmp_path, renderer=renderer)
    deck = Presentation(str(path))
    slides = list(deck.slides)
    assert len(slides) == 1 + len(section.charts)
    assert slides[0].shapes.title.text == "Regional näringslivsdialog"
    for slide, chart in zip(slides[1:], section.charts, strict=True):
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        assert slide.shapes.title.text == chart.title
        assert caption(chart, "23") in texts
        pictures = [s for s in slide.shapes if s.shape_type == 13]
        assert len(pictures) == 1
        assert pictures[0]._element.nvPicPr.cNvPr.get("descr")
    assert any("under riket" in s.text_frame.text for s in slides[2].shapes if s.has_text_frame)


@pytest.mark.browser
def test_png_and_svg_carry_the_source(
    snapshot_db: Path, tmp_path: Path, renderer: ImageRenderer
) -> None:
    section = make_section(snapshot_db)
    files = export_section(section, {"png", "svg"}, tmp_path, renderer=renderer)
    assert len(files) == 2 * len(section.charts)
    png = next(f for f in files if f.name == "2024-06-17_arbetsloshet_jamtland.png")
    with Image.open(png) as image:
        assert image.width >= 1600 and image.height >= 900
        grey = image.convert("L")
        plot = grey.crop((200, 300, 1500, 900))
        assert ImageStat.Stat(plot).stddev[0] > 10, "plot area is blank"
        assert len(plot.getcolors(maxcolors=1_000_000) or []) > 20
    svg = png.with_suffix(".svg").read_text(encoding="utf-8")
    assert "Källa: SCB" in svg and "Bearbetning: Region Jämtland Härjedalen." in svg
    assert "5,0" in svg and "Arbetslöshet" in svg


def test_xlsx_holds_numbers_and_sources(snapshot_db: Path, tmp_path: Path) -> None:
    section = make_section(snapshot_db)
    (path,) = export_section(section, {"xlsx"}, tmp_path)
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "Avsnitt"
    summary = [c.value for row in wb["Avsnitt"].iter_rows() for c in row if c.value]
    assert all(text in summary for text in HIGHLIGHTS)
    for name, chart in zip(wb.sheetnames[1:], section.charts, strict=True):
        ws = wb[name]
        assert len(name) <= 31
        column_a = [ws.cell(row=r, column=1).value for r in range(1, 12)]
        assert chart.title in column_a and caption(chart, "23") in column_a
        head = column_a.index("Serie") + 1
        assert ws.freeze_panes == f"A{head + 1}"
        values = [ws.cell(row=r, column=4) for r in range(head + 1, ws.max_row + 1)]
        assert values and all(isinstance(c.value, int | float) for c in values)
        assert values[0].number_format.startswith("#,##0")
    assert number_format(1) == "#,##0.0" and number_format(0) == "#,##0"


def test_csv_opens_in_swedish_excel(snapshot_db: Path, tmp_path: Path) -> None:
    section = make_section(snapshot_db)
    files = export_section(section, {"csv"}, tmp_path)
    assert len(files) == len(section.charts)
    raw = files[1].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Serie", "Regionkod", "Period", "Värde (procent)", "Anmärkning", "Källa"]
    values = [row[3] for row in rows[1:]]
    # one decimal, as the chart and its table show unemployment
    assert "5,0" in values and "3,6" in values
    assert all(len(v.partition(",")[2]) == 1 for v in values)
    assert all(float(v.replace(",", ".")) > 0 for v in values)
    assert all(row[5].startswith("Källa: SCB") for row in rows[1:])
    assert rows[1][2] == "2020-01"
    assert csv_number(-1234.5, 1) == "-1234,5" and csv_number(132785.0, 0) == "132785"
    assert csv_number(2.25, 1) == "2,3" and csv_number(-0.04, 1) == "0,0"


def test_without_a_browser_tables_still_export(
    snapshot_db: Path, tmp_path: Path, no_browser: None
) -> None:
    section = make_section(snapshot_db)
    with pytest.raises(NoBrowser) as info:
        export_section(section, {"png", "docx", "pptx", "xlsx", "csv"}, tmp_path)
    message = str(info.value)
    assert "sudo apt-get install chromium" in message and "no-such-chromium" in message
    written = {p.name for p in info.value.written}
    assert {"2024-06-17_statistik.docx", "2024-06-17_statistik.xlsx"} <= written
    assert len([n for n in written if n.endswith(".csv")]) == len(section.charts)
    assert not any(n.endswith(".png") for n in written)
    document = docx.Document(str(tmp_path / "2024-06-17_statistik.docx"))
    assert len(document.inline_shapes) == 0
    assert sum(p.text == NO_PICTURE for p in document.paragraphs) == len(section.charts)
    assert len(document.tables) == len(section.charts)
    deck = Presentation(str(tmp_path / "2024-06-17_statistik.pptx"))
    assert all(any(s.has_table for s in slide.shapes) for slide in list(deck.slides)[1:])
    assert browser_missing() == message


def test_frozen_scope_without_releases_exports_tables_that_say_so(
    snapshot_db: Path, tmp_path: Path, no_browser: None
) -> None:
    charts = draw_charts(snapshot_db, releases=[])
    section = Section(DATE, "Möte", charts, "23", data_note=f"Data som visades {DATE}")
    files = export_section(section, {"docx", "xlsx", "csv"}, tmp_path)
    document = docx.Document(str(files[0]))
    assert all(t.rows[1].cells[0].text == "Data saknas" for t in document.tables)
    assert len(load_workbook(files[1]).sheetnames) == 1 + len(charts)


def test_sheet_names_are_short_and_unique(snapshot_db: Path) -> None:
    chart = draw_charts(snapshot_db)[0]
    title = "Företag: konkurser/nedläggningar [per månad]"
    chart.spec = spec_from_dict({**SPECS[0], "title": title})
    names = sheet_names([chart, chart])
    assert len(set(names)) == 2 and all(len(n) <= 31 for n in names)
    assert not any(ch in n for n in names for ch in "[]:*?/\\")


def test_unknown_format_is_named(snapshot_db: Path, tmp_path: Path) -> None:
    with pytest.raises(Exception, match=r"export formats \['odt'\]: expected some of png"):
        export_section(make_section(snapshot_db), {"odt"}, tmp_path)


PER_1000_BARS = {
    "indicator": "jamforelse_per_1000",
    "kind": "bar",
    "regions": ["riket", "lan"],
    "title": "Företagskonkurser per 1 000 invånare, länen",
    "filters": {"measure": "konkurser_regionfakta"},
}


@pytest.mark.browser
def test_app_and_every_export_show_the_same_alt_text_and_table(
    snapshot_db: Path, tmp_path: Path, renderer: ImageRenderer
) -> None:
    scope = open_scope(open_reader(snapshot_db))
    charts = [*draw_charts(snapshot_db), draw(scope, spec_from_dict(PER_1000_BARS), "23")]
    shown = [prepare(chart, "23") for chart in charts]
    section = Section(DATE, "Möte", charts, "23")
    files = export_section(section, {"docx", "pptx", "xlsx"}, tmp_path, renderer=renderer)
    document = docx.Document(str(files[0]))
    for app, picture, table in zip(shown, document.inline_shapes, document.tables, strict=True):
        assert picture._inline.docPr.get("descr") == app.alt
        assert [c.text for c in table.rows[0].cells] == list(app.table.columns)
        assert [[c.text for c in r.cells] for r in table.rows[1:]] == app.table.values.tolist()
    slides = list(Presentation(str(files[1])).slides)[1:]
    for app, slide in zip(shown, slides, strict=True):
        [picture] = [s for s in slide.shapes if s.shape_type == 13]
        assert picture._element.nvPicPr.cNvPr.get("descr") == app.alt
        assert f"Bildbeskrivning: {app.alt}" in slide.notes_slide.notes_text_frame.text
    wb = load_workbook(files[2])
    for app, name in zip(shown, wb.sheetnames[1:], strict=True):
        rows = list(wb[name].iter_rows(values_only=False))
        head = next(i for i, row in enumerate(rows) if row[0].value == "Serie")
        for series, _code, period, value, _note in rows[head + 1 :]:
            decimals = len(value.number_format.partition(".")[2])
            text = table_cell(app.table, str(period.value), str(series.value))
            number = value.value
            assert text.startswith(
                number if isinstance(number, str) else format_number(number, decimals)
            )
    # the bar chart's table is its latest month, rates with three decimals: 3 / 131 155 × 1 000
    # (the only län with a population, so its only bar: the table has one row, 2021-04)
    assert table_cell(shown[-1].table, "2021-04", "Jämtlands län") == "0,023"
