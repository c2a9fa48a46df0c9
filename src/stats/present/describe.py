"""A chart in words and numbers: its decimals, its data table and its alt text.

The one place for what the app and every export show beside the picture. The data table is the
accessible alternative to the picture: a header row, one row per period (or per series when
there are many), Swedish numbers via `stats.fmt`, no empty value cells ("Data saknas") and no
symbol-only cells (a status symbol always comes with its meaning). A time-series chart's notes
and earlier meetings get an "Anmärkning" column in its table (empty in the rows without one, so
a screen reader reads nothing there) and a sentence in its alt text.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from stats.fmt import MISSING, WHOLE_UNITS, format_number, format_period
from stats.periods import is_month, is_year
from stats.present.marks import Mark, marks_note, placed_marks
from stats.present.spec import NO_VALUE as NO_VALUE
from stats.present.spec import Chart, is_bar, shown_rows

# what the symbols in a status column mean (Trafa, Kolada and Arbetsförmedlingen conventions)
STATUS_TEXT = {
    MISSING: "uppgift saknas eller för osäker",
    "<5": "färre än 5",
    "<5-summa": "summan innehåller antal under 5",
    "–": "inget finns",
    "-": "inget finns",
    ".": "ej tillämpligt",
}
PRELIMINARY = "preliminärt"
# the column of a chart's notes and earlier meetings; rows without one leave it empty
MARK_COLUMN = "Anmärkning"
# more series than this turn the wide table (one column per series) into a long one
MAX_WIDE_SERIES = 5
# most decimals a value can widen its source's declared decimals to
MAX_FITTED_DECIMALS = 2
_QUARTER_LENGTH = 6


def status_text(status: str) -> str:
    """A status symbol with its meaning, e.g. ".." → ".. (uppgift saknas eller för osäker)"."""
    meaning = STATUS_TEXT.get(status)
    return f"{status} ({meaning})" if meaning else status


def symbol_key(frame: pd.DataFrame) -> str | None:
    """ "Teckenförklaring: .. = uppgift saknas …" for the status symbols in a frame."""
    if "status" not in frame.columns:
        return None
    symbols = sorted({str(s) for s in frame["status"].dropna() if s})
    if not symbols:
        return None
    return "Teckenförklaring: " + "; ".join(
        f"{s} = {STATUS_TEXT.get(s, 'se källan')}" for s in symbols
    )


def is_missing(value: Any) -> bool:
    """None, NaN and pandas' NA count as missing."""
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and not math.isfinite(value)


def _fitted(values: list[float], declared: int) -> int:
    """The declared decimals, or more (up to the limit) when the values have them."""
    for digits in range(declared, MAX_FITTED_DECIMALS + 1):
        if all(math.isclose(v, round(v, digits), abs_tol=1e-9) for v in values):
            return digits
    return MAX_FITTED_DECIMALS


def value_decimals(
    values: Iterable[Any], unit: str = "", *, chosen: int | None = None, declared: int | None = None
) -> int:
    """The one decimals rule for a chart's or a series' values.

    The `chosen` decimals (a chart spec's) win; a source's `declared` decimals widen to what
    the values need (6.9 with 0 declared → 1, at most 2); else whole units ("personer") get 0,
    values all under 1 (bankruptcies per 1 000 inhabitants in a month) 3, and others 1.
    """
    if chosen is not None:
        return chosen
    finite = [float(v) for v in values if not is_missing(v)]
    if declared is not None:
        return _fitted(finite, declared)
    if unit in WHOLE_UNITS:
        return 0
    return 3 if finite and max(abs(v) for v in finite) < 1 else 1


def chart_decimals(chart: Chart) -> int:
    """Decimals a drawn chart shows, by `value_decimals`."""
    values = chart.frame["value"] if "value" in chart.frame.columns else pd.Series(dtype=float)
    return value_decimals(values, chart.unit, chosen=chart.spec.decimals)


def period_title(periods: Iterable[str]) -> str:
    """Title of a period column or axis: "Månad", "Kvartal", "År" or "Period"."""
    codes = [str(p) for p in periods]
    if codes and all(is_month(p) for p in codes):
        return "Månad"
    if codes and all(len(p) == _QUARTER_LENGTH and p[4] == "K" for p in codes):
        return "Kvartal"
    if codes and all(is_year(p) for p in codes):
        return "År"
    return "Period"


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


def value_cell(
    value: Any, status: Any, preliminary: Any, decimals: int, *, bare_symbols: bool = False
) -> str:
    """One table cell: "1 234,5", "7 (preliminärt)", ".. (uppgift saknas …)" or "Data saknas".

    With `bare_symbols` (a table with a symbol key below it) a missing value shows its status
    symbol alone, e.g. "..".
    """
    symbol = "" if is_missing(status) else str(status).strip()
    if bare_symbols and symbol and is_missing(value):
        return symbol
    note = remark(value, status, preliminary)
    if is_missing(value):
        return note or NO_VALUE
    number = format_number(float(value), decimals)
    return f"{number} ({note})" if note else number


@dataclass(frozen=True)
class Table:
    """A chart's numbers as Swedish text: caption, header row and body rows."""

    caption: str
    header: list[str]
    rows: list[list[str]]
    # columns from this index on hold values (right-aligned), the ones before are labels
    first_value: int = 1

    def frame(self) -> pd.DataFrame:
        """The table as a DataFrame of text, for the app."""
        return pd.DataFrame(self.rows, columns=self.header)


Cells = dict[tuple[str, str], tuple[Any, Any, Any]]
_EMPTY: tuple[Any, Any, Any] = (None, None, False)


def _cells_of(frame: pd.DataFrame) -> Cells:
    n = len(frame)
    status = frame["status"] if "status" in frame.columns else [None] * n
    prelim = frame["preliminary"] if "preliminary" in frame.columns else [False] * n
    return {
        (str(s), str(p)): (v, st, pr)
        for s, p, v, st, pr in zip(
            frame["series"], frame["period"], frame["value"], status, prelim, strict=True
        )
    }


def value_table(
    frame: pd.DataFrame,
    *,
    decimals: int = 0,
    title: str = "",
    unit: str = "",
    max_wide: int | None = MAX_WIDE_SERIES,
    bare_symbols: bool = False,
) -> Table:
    """The one table builder: a frame (series, period, value[, status, preliminary]) as text.

    Up to `max_wide` series (None: any number) get one row per period and a column per series;
    more get one row per series and period, without the period column when there is only one
    (a bar chart of the latest period names it in the caption). `bare_symbols`: see
    `value_cell`.
    """
    value_head = f"Värde ({unit})" if unit else "Värde"
    if frame.empty:
        return Table(_caption(title, unit), ["Uppgift"], [[NO_VALUE]])
    if "series" not in frame.columns:
        frame = frame.assign(series=title)
    series = [str(s) for s in dict.fromkeys(frame["series"])]
    periods = sorted({str(p) for p in frame["period"]})
    found = _cells_of(frame)

    def cell(s: str, p: str) -> str:
        return value_cell(*found.get((s, p), _EMPTY), decimals, bare_symbols=bare_symbols)

    first = period_title(periods)
    if max_wide is None or len(series) <= max_wide:
        rows = [[format_period(p)] + [cell(s, p) for s in series] for p in periods]
        return Table(_caption(title, unit), [first, *series], rows)
    if len(periods) == 1:
        only = periods[0]
        rows = [[s, cell(s, only)] for s in series]
        return Table(_caption(title, unit, only), ["Serie", value_head], rows)
    rows = [[format_period(p), s, cell(s, p)] for s in series for p in periods]
    return Table(_caption(title, unit), [first, "Serie", value_head], rows, 2)


def _caption(title: str, unit: str, period: str | None = None) -> str:
    """ "Tabell: <title>[, <period>][, <unit>]"."""
    parts = [title, format_period(period) if period else "", unit]
    return "Tabell: " + ", ".join(p for p in parts if p)


def value_frame(frame: pd.DataFrame, *, decimals: int = 0) -> pd.DataFrame:
    """A page's table of raw series rows: a column per series, bare symbols (key shown below)."""
    table = value_table(frame, decimals=decimals, max_wide=None, bare_symbols=True)
    return table.frame()


def shown_frame(chart: Chart) -> pd.DataFrame:
    """The rows the figure shows: every row of a line chart, the latest period of a bar chart."""
    return shown_rows(chart.frame, is_bar(chart))


def chart_marks(chart: Chart) -> list[Mark]:
    """The notes and earlier meetings a time-series chart draws (none on a bar chart)."""
    if is_bar(chart) or chart.frame.empty:
        return []
    return placed_marks(list(chart.frame["period"]), chart.spec.notes, chart.meetings)


def mark_cells(marks: list[Mark]) -> dict[str, str]:
    """{period as shown ("2024-06"): "Möte 2024-06-17; 2024-06 Ny SNI"} of a chart's marks."""
    out: dict[str, list[str]] = {}
    for mark in marks:
        out.setdefault(format_period(mark.period), []).append(mark.label)
    return {period: "; ".join(labels) for period, labels in out.items()}


def with_marks(table: Table, marks: list[Mark]) -> Table:
    """A wide table (a row per period) with an "Anmärkning" column after the period, empty in
    rows without one; the column only when some row has a mark. A long table lists the marks
    only in the chart's footnotes."""
    cells = mark_cells(marks)
    if table.first_value != 1 or table.header[0] == "Serie":
        return table
    if not any(row[0] in cells for row in table.rows):
        return table
    rows = [[row[0], cells.get(row[0], ""), *row[1:]] for row in table.rows]
    header = [table.header[0], MARK_COLUMN, *table.header[1:]]
    return Table(table.caption, header, rows, table.first_value + 1)


def chart_table(chart: Chart) -> Table:
    """A drawn chart's data table, the same in the app and in every export."""
    table = value_table(
        shown_frame(chart),
        decimals=chart_decimals(chart),
        title=chart.title,
        unit=chart.unit,
    )
    return with_marks(table, chart_marks(chart))


def frame_alt_text(
    frame: pd.DataFrame, title: str, unit: str, *, decimals: int = 0, trace: str = "series"
) -> str:
    """One Swedish sentence for screen readers describing a line (or one-period bar) chart."""
    ordered = frame[frame["value"].notna()].sort_values("period")
    if ordered.empty:
        return f"Linjediagram: {title}. Inga värden."
    if trace in ordered.columns and ordered["period"].nunique() == 1:
        values = "; ".join(
            f"{name} {format_number(v, decimals)}"
            for name, v in zip(ordered[trace], ordered["value"], strict=True)
        )
        return f"Stapeldiagram: {title}, {unit}: {values}."
    first, last = ordered.iloc[0], ordered.iloc[-1]
    span = f"{format_period(str(first['period']))}–{format_period(str(last['period']))}"
    if trace not in ordered.columns or ordered[trace].nunique() < 2:
        return (
            f"Linjediagram: {title}, {span}: från {format_number(first['value'], decimals)} "
            f"till {format_number(last['value'], decimals)} {unit}."
        )
    parts = []
    for name in dict.fromkeys(ordered[trace]):
        rows = ordered[ordered[trace] == name]
        start, end = rows.iloc[0], rows.iloc[-1]
        parts.append(
            f"{name} från {format_number(start['value'], decimals)} "
            f"({format_period(str(start['period']))}) till "
            f"{format_number(end['value'], decimals)} ({format_period(str(end['period']))})"
        )
    return f"Linjediagram: {title}, {span}, {unit}: " + "; ".join(parts) + "."


def alt_text(chart: Chart) -> str:
    """A drawn chart's alt text, the same in the app and in every export (DOCX, PPTX)."""
    frame = shown_frame(chart)
    if frame.empty:
        return f"Diagram: {chart.title}. Inga värden."
    title = chart.title
    bar = is_bar(chart)
    if bar:
        title = f"{title}, {format_period(max(str(p) for p in frame['period']))}"
    text = frame_alt_text(frame, title, chart.unit, decimals=chart_decimals(chart))
    marks = marks_note(chart.spec.notes, chart.meetings, list(frame["period"]), bar=bar)
    return f"{text} {marks}" if marks else text
