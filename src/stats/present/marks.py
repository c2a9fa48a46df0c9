"""Chart notes and earlier-meeting markers, placed on a chart's periods.

A note ("2020-03", "Pandemin") or an earlier meeting ("2024-06-17") sits at the chart period
that holds its date: a month on a monthly chart (a year at its January, a day at its month),
a year on a yearly chart, a quarter on a quarterly one. Marks outside the periods shown are
left out. The figure draws them; the table, the alt text and the footnotes list them.
Plotly-free and independent of `spec` (which imports this module for its footnotes).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from stats.periods import is_month, is_year, period_range

if TYPE_CHECKING:
    from stats.present.spec import ChartNote

_QUARTER = re.compile(r"^\d{4}K[1-4]$")
# the heading of the list of notes in footnotes, alt text and tables
HEADING = "Anmärkningar"


@dataclass(frozen=True)
class Mark:
    """A note or an earlier meeting at one of the chart's periods (`period`, an SCB code)."""

    period: str
    at: str
    text: str
    meeting: bool = False

    @property
    def label(self) -> str:
        """How a list names it (plain text): "2020-03 Pandemin" or "Möte 2024-06-17"."""
        return self.text if self.meeting else f"{self.at} {self.text}"


def meeting_text(day: str) -> str:
    """The label of an earlier meeting: "Möte 2024-06-17"."""
    return f"Möte {day}"


def period_at(at: str, periods: Sequence[str]) -> str | None:
    """The period code of `periods`' kind that holds `at` ("2020", "2020-03", "2020-03-15").

    "2020-03" on a monthly chart is "2020M03", "2020" is "2020M01"; on a yearly chart both are
    "2020"; on a quarterly chart "2020-05" is "2020K2". None when the kind is another.
    """
    year, month = at[:4], int(at[5:7]) if len(at) >= 7 else 1
    codes = [str(p) for p in periods]
    if codes and all(is_month(p) for p in codes):
        return f"{year}M{month:02d}"
    if codes and all(is_year(p) for p in codes):
        return year
    if codes and all(_QUARTER.match(p) for p in codes):
        return f"{year}K{(month - 1) // 3 + 1}"
    return at if at in codes else None


def placed_marks(
    periods: Sequence[str], notes: Iterable[ChartNote], meetings: Iterable[str]
) -> list[Mark]:
    """The notes and meetings that fall on the chart's period range, in date order."""
    shown = period_range([str(p) for p in periods])
    marks = [Mark("", n.at, n.text) for n in notes]
    marks += [Mark("", day, meeting_text(day), meeting=True) for day in meetings]
    out = []
    for mark in marks:
        code = period_at(mark.at, shown)
        if code is not None and code in shown:
            out.append(Mark(code, mark.at, mark.text, mark.meeting))
    return sorted(out, key=lambda m: (m.at, m.meeting))


def marks_text(marks: Iterable[Mark]) -> str | None:
    """ "Anmärkningar: 2020-03 Pandemin; Möte 2024-06-17." (None when there are none)."""
    labels = [m.label for m in marks]
    return f"{HEADING}: " + "; ".join(labels) + "." if labels else None


def marks_note(
    notes: Sequence[ChartNote], meetings: Sequence[str], periods: Sequence[str], *, bar: bool
) -> str | None:
    """The footnote listing a chart's marks: every note of a bar chart (which shows one period
    and draws none), the notes and earlier meetings in a time-series chart's range."""
    if bar:
        return marks_text(Mark("", n.at, n.text) for n in sorted(notes, key=lambda n: n.at))
    return marks_text(placed_marks(periods, notes, meetings))
