"""Outside text is text in every figure and export: escaped, never a formula, never a crash."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import docx
import pandas as pd
import plotly.graph_objects as go
import pytest
from openpyxl import load_workbook
from PIL import Image
from pptx import Presentation

from stats.export import Section, export_section
from stats.export.images import ImageRenderer
from stats.export.layout import export_figure
from stats.export.tables_export import CELL_MAX, sheet_names
from stats.present.figures import bar_figure, figure, line_figure
from stats.present.spec import Chart, spec_from_dict
from stats.text import clean

# no_browser and renderer are fixtures
from tests.test_export import DATE, SPECS, draw_charts, no_browser, renderer  # noqa: F401

LINK = '<a href="https://evil.example">x</a>'
ADVERSARIAL = (
    "Rad\x0bny\x00 🚀 \u200fשלום\u200e "
    '=HYPERLINK("https://evil.example","x") <img src=x onerror=alert(1)> '
    "[a](javascript:alert(1)) " + "x" * 5000
)
FORMULA = '=HYPERLINK("https://evil.example","x")'


def _json(fig: go.Figure) -> str:
    return str(fig.to_plotly_json())


def _link_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "series": [LINK, LINK, "Riket", "Riket"],
            "period": ["2026M03", "2026M04"] * 2,
            "value": [1.0, 2.0, 3.0, None],
            "status": [None, None, None, "<5"],
        }
    )


def test_line_figure_texts_are_escaped() -> None:
    fig = line_figure(_link_frame(), LINK, f"{LINK} %{{x}}", x_title=LINK)
    text = _json(fig)
    assert "<a " not in text and "&lt;a" in text
    assert fig.layout.title.text == "&lt;a href=&#34;https://evil.example&#34;&gt;x&lt;/a&gt;"
    assert fig.data[0].name == fig.layout.title.text
    assert fig.layout.xaxis.title.text == fig.layout.title.text
    # a typed "%{x}" is shown as written, not filled in by the hover template
    assert "&#37;{x}" in fig.data[0].hovertemplate
    assert "%{x}</" not in fig.data[0].hovertemplate
    assert fig.data[-1].customdata[0][1] == "&lt;5 (färre än 5)"


def test_bar_figure_texts_are_escaped() -> None:
    frame = _link_frame()
    fig = bar_figure(frame[frame["period"] == "2026M04"], LINK, LINK)
    text = _json(fig)
    assert "<a " not in text and "&lt;a" in text
    assert list(fig.data[0].x) == [fig.layout.title.text, "Riket"]
    assert list(fig.data[0].text)[1] == "&lt;5"


def test_quotes_show_as_typed_in_plotly() -> None:
    # Plotly decodes &#34; but shows &quot; literally
    fig = line_figure(_link_frame(), 'Företag "AB" & co', "st")
    assert fig.layout.title.text == "Företag &#34;AB&#34; &amp; co"


def _chart(snapshot_db: Path, title: str, series: str | None = None) -> Chart:
    chart = draw_charts(snapshot_db)[1]
    chart.spec = spec_from_dict({**SPECS[1], "title": title})
    if series is not None:
        chart.frame.loc[chart.frame["region_code"] == "23", "series"] = series
    return chart


def test_app_and_export_figures_escape_once(snapshot_db: Path) -> None:
    chart = _chart(snapshot_db, LINK, series=LINK)
    for fig in (figure(chart), export_figure(chart, "23")):
        text = _json(fig)
        assert "<a " not in text and "&lt;a" in text
        assert "&amp;lt;" not in text and "&amp;#34;" not in text
    assert export_figure(chart, "23").layout.title.text == figure(chart).layout.title.text


def _hostile_section(snapshot_db: Path) -> Section:
    charts = [
        _chart(snapshot_db, ADVERSARIAL, series=FORMULA + " \x0b" + LINK),
        _chart(snapshot_db, FORMULA),
    ]
    return Section(
        DATE,
        "Möte\x0b<b>fet</b>",
        charts,
        "23",
        highlights=[ADVERSARIAL, FORMULA, "+1", "-1", "@SUM(A1)"],
        chart_highlights={0: ADVERSARIAL},
        data_note="Data\x00 som visades",
    )


def _check_docx(path: Path) -> None:
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    assert "\x00" not in xml and "\x0b" not in xml
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "🚀" in text and "<img src=x onerror=alert(1)>" in text
    assert clean(ADVERSARIAL) in text and "x" * 5000 in text
    assert FORMULA in text


def _check_xlsx(path: Path) -> None:
    cells = {c.value: c for row in load_workbook(path)["Avsnitt"].iter_rows() for c in row}
    for typed in (clean(ADVERSARIAL), FORMULA, "+1", "-1", "@SUM(A1)"):
        assert typed in cells, typed
        assert cells[typed].data_type == "s"
    assert cells[FORMULA].quotePrefix and not cells[clean(ADVERSARIAL)].quotePrefix
    assert cells["Möte\n<b>fet</b> 2024-06-17"].data_type == "s"


def _check_csv(path: Path) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    series = {row[0] for row in rows[1:]}
    assert "'" + FORMULA + " \n" + LINK in series and "Riket" in series


def _check_pptx(path: Path) -> None:
    slides = list(Presentation(str(path)).slides)
    assert slides[1].shapes.title.text == clean(ADVERSARIAL)
    texts = [s.text_frame.text for s in slides[1].shapes if s.has_text_frame]
    assert clean(ADVERSARIAL) in texts and not any("_x000B_" in t for t in texts)


def _export_checked(
    db: Path, formats: set[str], out: Path, warm: ImageRenderer | None = None
) -> dict[str, Path]:
    """Export the hostile section and check its documents; the first file of each format."""
    files = export_section(_hostile_section(db), formats, out, renderer=warm)
    assert all(len(f.name.encode()) < 255 for f in files)
    first = {f.suffix: f for f in reversed(files)}
    _check_docx(first[".docx"])
    _check_pptx(first[".pptx"])
    _check_xlsx(first[".xlsx"])
    _check_csv(first[".csv"])
    return first


def test_hostile_text_exports_as_text_without_a_browser(
    snapshot_db: Path,
    tmp_path: Path,
    no_browser: None,  # noqa: F811
) -> None:
    _export_checked(snapshot_db, {"docx", "pptx", "xlsx", "csv"}, tmp_path)


@pytest.mark.browser
def test_hostile_text_in_every_format(
    snapshot_db: Path,
    tmp_path: Path,
    renderer: ImageRenderer,  # noqa: F811
) -> None:
    formats = {"png", "svg", "docx", "pptx", "xlsx", "csv"}
    by_ext = _export_checked(snapshot_db, formats, tmp_path, renderer)
    assert len(docx.Document(str(by_ext[".docx"])).inline_shapes) == 2
    with Image.open(by_ext[".png"]) as image:
        assert image.width >= 1600
    svg = by_ext[".svg"].read_text(encoding="utf-8")
    assert "<img" not in svg and "<a " not in svg and "<b>" not in svg
    assert not re.search(r"""href=["']?javascript:""", svg)
    # the text is shown as typed (the SVG writes "<" as &#60;), escaped once, quotes intact
    assert "&#60;img src=x" in svg and FORMULA in svg
    assert not any(twice in svg for twice in ("&amp;lt;", "&#38;lt;", "&#38;#34;", "&amp;quot;"))


def test_xlsx_cells_keep_excel_limits(snapshot_db: Path, tmp_path: Path) -> None:
    chart = _chart(snapshot_db, "Företag per bransch, 'alla'")
    section = Section(DATE, "Möte", [chart], "23", highlights=["y" * (CELL_MAX + 10)])
    (path,) = export_section(section, {"xlsx"}, tmp_path)
    wb = load_workbook(path)
    values = [c.value for row in wb["Avsnitt"].iter_rows() for c in row]
    assert "y" * CELL_MAX in values and "y" * (CELL_MAX + 1) not in values
    assert sheet_names([chart]) == ["1 Företag per bransch, 'alla"]
