"""The data behind the charts as XLSX (openpyxl) and as CSV for Swedish Excel.

Both use the long layout, one row per series and period: Serie, Regionkod, Period (ISO),
Värde, Anmärkning. A missing value is written as its status with meaning, or "Data saknas";
"Anmärkning" says "preliminärt", gives a status's meaning, names the chart's notes and earlier
meetings at that period ("2020-03 Pandemin", "Möte 2024-06-17"), or says "Ingen". The sheet's
footnotes list the notes too ("Anmärkningar: …").

XLSX: a sheet "Avsnitt" with the meeting, data note and highlights, then one sheet per chart
with title, unit, source line ("Källa: … hämtad …") and footnotes above the header row; values
are numbers with a '#,##0.0'-style format, which Swedish Excel shows as "1 234,5". Every text
cell is typed as a string (never a formula, even when it starts with "="), without control
characters and at most Excel's 32 767 characters long.

CSV: one file per chart, UTF-8 with BOM, ';' between fields, decimal comma and no thousands
separator (so Swedish Excel reads the values as numbers), ASCII minus, CRLF line ends. Values
are rounded to the decimals the chart and its table show. Text fields go through
`stats.text.spreadsheet_text`: no control characters, and a leading "=", "+", "-" or "@" gets
a "'" so no spreadsheet program runs it. The source line is a trailing "Källa" column on every
row rather than a comment line, so the file stays one rectangular table that Excel and
`csv.reader` open without options.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table as SheetTable
from openpyxl.worksheet.table import TableStyleInfo

from stats.export.section import Section
from stats.fmt import MINUS, NBSP, format_number, format_period
from stats.present.describe import (
    NO_VALUE,
    chart_decimals,
    chart_marks,
    is_missing,
    mark_cells,
    remark,
    shown_frame,
)
from stats.present.spec import Chart, caption, footnotes
from stats.regions import Home
from stats.text import clean, spreadsheet_text

NO_REMARK = "Ingen"
NO_DATA_REMARK = "inga värden för diagrammets regioner och perioder"
SHEET_NAME_MAX = 31
# the most characters an Excel cell holds
CELL_MAX = 32_767
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def header(chart: Chart) -> list[str]:
    """Column names of a chart's data rows."""
    return ["Serie", "Regionkod", "Period", f"Värde ({chart.unit})", "Anmärkning"]


def data_rows(chart: Chart) -> Iterator[list[Any]]:
    """Long rows of what the chart shows (a bar chart: its period): series, region, period, ..."""
    frame = shown_frame(chart)
    if frame.empty:
        # an empty chart says so, in every format, rather than leaving a bare header
        yield [chart.title, "", "", NO_VALUE, NO_DATA_REMARK]
        return
    n = len(frame)
    status = frame["status"] if "status" in frame.columns else [None] * n
    prelim = frame["preliminary"] if "preliminary" in frame.columns else [False] * n
    marks = mark_cells(chart_marks(chart))
    for series, region, period, value, st, pr in zip(
        frame["series"], frame["region_code"], frame["period"], frame["value"], status, prelim,
        strict=True,
    ):  # fmt: skip
        note = remark(value, st, pr)
        shown: Any = (note or NO_VALUE) if is_missing(value) else float(value)
        when = format_period(str(period))
        # a chart note or earlier meeting at this period goes with the value's own remark
        said = "; ".join(t for t in (note, marks.get(when, "")) if t)
        yield [str(series), str(region), when, shown, said or NO_REMARK]


def number_format(decimals: int) -> str:
    """Excel's stored format ('#,##0.0'); Swedish Excel shows it with space and comma."""
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def sheet_names(charts: list[Chart]) -> list[str]:
    """Unique sheet names of at most 31 characters without []:*?/\\ ("1 Arbetslöshet …")."""
    names: list[str] = []
    for i, chart in enumerate(charts, start=1):
        title = _SHEET_FORBIDDEN.sub(" ", " ".join(clean(chart.title).split()))
        # Excel refuses a sheet name that ends with an apostrophe
        names.append(f"{i} {title}"[:SHEET_NAME_MAX].rstrip().rstrip("'").rstrip())
    return names


def sheet_text(text: str) -> str:
    """A text as an XLSX cell keeps it: no control characters, at most CELL_MAX characters."""
    return clean(text)[:CELL_MAX]


def append_row(ws: Any, values: list[Any]) -> None:
    """Append a row; its texts are string cells (never formulas), its numbers numbers."""
    ws.append([sheet_text(v) if isinstance(v, str) else v for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            # openpyxl reads a text starting with "=" as a formula unless typed as a string;
            # the quote prefix keeps Excel from turning it into one when the cell is edited
            cell.data_type = "s"
            cell.quotePrefix = cell.value.startswith(("=", "+", "-", "@"))


def _write_chart_sheet(ws: Any, chart: Chart, home: Home, index: int) -> None:
    append_row(ws, [chart.title])
    ws["A1"].font = Font(bold=True, size=14)
    append_row(ws, [f"Enhet: {chart.unit}"])
    append_row(ws, [caption(chart, home)])
    for note in footnotes(chart):
        append_row(ws, [note])
    ws.append([])
    columns = header(chart)
    append_row(ws, columns)
    head = ws.max_row
    for cell in ws[head]:
        cell.font = Font(bold=True)
    fmt = number_format(chart_decimals(chart))
    for row in data_rows(chart):
        append_row(ws, row)
        value = ws.cell(row=ws.max_row, column=4)
        if isinstance(row[3], float):
            value.number_format = fmt
        else:
            value.alignment = Alignment(horizontal="right")
    ws.freeze_panes = ws.cell(row=head + 1, column=1)
    last = ws.max_row
    if last > head:
        ref = f"A{head}:{get_column_letter(len(columns))}{last}"
        table = SheetTable(displayName=f"Diagram{index}", ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
        ws.add_table(table)
    for letter, width in zip("ABCDE", (28, 11, 10, 16, 24), strict=True):
        ws.column_dimensions[letter].width = width


def write_xlsx(section: Section, path: Path) -> Path:
    """The whole section: an "Avsnitt" sheet and one sheet per chart."""
    wb = Workbook()
    summary = wb.active
    summary.title = "Avsnitt"
    append_row(summary, [f"{section.title} {section.meeting_date}"])
    summary["A1"].font = Font(bold=True, size=14)
    for line in (section.subtitle, section.data_note):
        if line:
            append_row(summary, [line])
    summary.append([])
    if section.highlights:
        append_row(summary, ["Det viktigaste"])
        summary.cell(row=summary.max_row, column=1).font = Font(bold=True)
        for text in section.highlights:
            append_row(summary, [text])
        summary.append([])
    append_row(summary, ["Flik", "Diagram", "Källa"])
    for cell in summary[summary.max_row]:
        cell.font = Font(bold=True)
    names = sheet_names(section.charts)
    for name, chart in zip(names, section.charts, strict=True):
        append_row(summary, [name, chart.title, caption(chart, section.home)])
    summary.column_dimensions["A"].width = 34
    summary.column_dimensions["B"].width = 40
    for i, (name, chart) in enumerate(zip(names, section.charts, strict=True), start=1):
        _write_chart_sheet(wb.create_sheet(name), chart, section.home, i)
    wb.properties.title = sheet_text(f"{section.title} {section.meeting_date}")
    wb.properties.language = "sv-SE"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))
    return path


def csv_number(value: float, decimals: int) -> str:
    """A value as Swedish Excel reads a number: rounded as the chart shows it, decimal comma,
    no grouping, ASCII minus ("-1234,5")."""
    return format_number(value, decimals).replace(NBSP, "").replace(MINUS, "-")


def csv_text(chart: Chart, home: Home) -> str:
    """The chart's rows as CSV text (without BOM): header row, then one row per value."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    decimals = chart_decimals(chart)
    source = spreadsheet_text(caption(chart, home))
    writer.writerow([spreadsheet_text(t) for t in [*header(chart), "Källa"]])
    for series, region, period, value, note in data_rows(chart):
        # a number is written as a number, even a negative one; only texts get the guard
        shown = csv_number(value, decimals) if isinstance(value, float) else spreadsheet_text(value)
        labels = [spreadsheet_text(t) for t in (series, region, period)]
        writer.writerow([*labels, shown, spreadsheet_text(note), source])
    return out.getvalue()


def write_csv(chart: Chart, home: Home, path: Path) -> Path:
    """One chart's data as a CSV file Swedish Excel opens correctly (UTF-8 with BOM)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(csv_text(chart, home), encoding="utf-8-sig", newline="")
    return path
