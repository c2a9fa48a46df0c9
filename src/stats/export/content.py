"""What every export format shows of a chart: its decimals, data table, alt text and notes.

The data table is the accessible alternative to the picture: a header row, one row per period
(or per series for a one-period bar chart), Swedish numbers via `stats.fmt`, no empty cells
("Data saknas") and no symbol-only cells (a status symbol always comes with its meaning).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from stats.fmt import format_number, format_period
from stats.present.figures import NO_VALUE, PRELIMINARY, status_text
from stats.present.figures import alt_text as describe_frame
from stats.present.spec import Chart, caption, chart_decimals, footnotes, is_bar

# units counted in whole items are shown without decimals, as chartspec.figure does
# more series than this turn the wide table (one column per series) into a long one
MAX_WIDE_SERIES = 5
_MONTH = re.compile(r"^\d{4}M\d{2}$")
_YEAR = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class Table:
    """A chart's numbers as Swedish text: caption, header row and body rows."""

    caption: str
    header: list[str]
    rows: list[list[str]]
    # columns from this index on hold values (right-aligned), the ones before are labels
    first_value: int = 1


def shown_frame(chart: Chart) -> pd.DataFrame:
    """The rows the figure shows: every row of a line chart, the latest period of a bar chart."""
    frame = chart.frame
    if frame.empty or not is_bar(chart):
        return frame
    latest = max(str(p) for p in frame["period"])
    return frame[frame["period"].astype(str) == latest]


def period_title(periods: list[str]) -> str:
    """Header of the period column: "Månad", "År" or "Period"."""
    if periods and all(_MONTH.match(p) for p in periods):
        return "Månad"
    if periods and all(_YEAR.match(p) for p in periods):
        return "År"
    return "Period"


def is_missing(value: Any) -> bool:
    """None, NaN and pandas' NA count as missing."""
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and not math.isfinite(value)


def remark(value: Any, status: Any, preliminary: Any) -> str:
    """What a reader must know about one value: its status meaning or that it is preliminary."""
    parts = []
    symbol = "" if is_missing(status) else str(status).strip()
    if symbol:
        parts.append(status_text(symbol))
    elif is_missing(value):
        parts.append(NO_VALUE)
    if not is_missing(preliminary) and bool(preliminary):
        parts.append(PRELIMINARY)
    return ", ".join(parts)


def value_cell(value: Any, status: Any, preliminary: Any, decimals: int) -> str:
    """One table cell: "1 234,5", "7 (preliminärt)", ".. (uppgift saknas …)" or "Data saknas"."""
    note = remark(value, status, preliminary)
    if is_missing(value):
        return note or NO_VALUE
    number = format_number(float(value), decimals)
    return f"{number} ({note})" if note else number


def _row_of(frame: pd.DataFrame) -> dict[tuple[str, str], tuple[Any, Any, Any]]:
    status = frame["status"] if "status" in frame.columns else [None] * len(frame)
    prelim = frame["preliminary"] if "preliminary" in frame.columns else [False] * len(frame)
    return {
        (str(s), str(p)): (v, st, pr)
        for s, p, v, st, pr in zip(
            frame["series"], frame["period"], frame["value"], status, prelim, strict=True
        )
    }


def data_table(chart: Chart) -> Table:
    """The chart's numbers as an accessible table (see the module docstring)."""
    frame = shown_frame(chart)
    decimals = chart_decimals(chart)
    if frame.empty:
        return Table(f"Tabell: {chart.title}, {chart.unit}", ["Uppgift"], [[NO_VALUE]])
    series = [str(s) for s in dict.fromkeys(frame["series"])]
    periods = sorted({str(p) for p in frame["period"]})
    cells = _row_of(frame)
    empty: tuple[Any, Any, Any] = (None, None, False)
    if is_bar(chart):
        period = format_period(periods[-1])
        rows = [[s, value_cell(*cells.get((s, periods[-1]), empty), decimals)] for s in series]
        return Table(
            f"Tabell: {chart.title}, {period}, {chart.unit}",
            ["Serie", f"Värde ({chart.unit})"],
            rows,
        )
    first = period_title(periods)
    if len(series) <= MAX_WIDE_SERIES:
        rows = [
            [format_period(p)] + [value_cell(*cells.get((s, p), empty), decimals) for s in series]
            for p in periods
        ]
        return Table(f"Tabell: {chart.title}, {chart.unit}", [first, *series], rows)
    rows = [
        [format_period(p), s, value_cell(*cells.get((s, p), empty), decimals)]
        for s in series
        for p in periods
    ]
    return Table(
        f"Tabell: {chart.title}, {chart.unit}", [first, "Serie", f"Värde ({chart.unit})"], rows, 2
    )


def chart_alt_text(chart: Chart) -> str:
    """A Swedish description for screen readers, in Swedish number format."""
    frame = shown_frame(chart)
    if frame.empty:
        return f"Diagram: {chart.title}. Inga värden."
    title = chart.title
    if is_bar(chart):
        title = f"{title}, {format_period(max(str(p) for p in frame['period']))}"
    return describe_frame(frame, title, chart.unit, decimals=chart_decimals(chart))


def chart_notes(chart: Chart, home: str) -> list[str]:
    """The source line first, then the footnotes (CKM note, preliminary marks, definition)."""
    return [caption(chart, home), *footnotes(chart)]
