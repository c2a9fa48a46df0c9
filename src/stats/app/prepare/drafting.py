"""What "Förbered möte" does to a meeting being edited, without Streamlit: charts moved, added
and removed, notes on charts, highlights tied to a claim; Swedish messages for bad input."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from stats.analysis.indicators import load_indicators
from stats.analysis.wording import wordings
from stats.errors import StatsError
from stats.meetings.model import Claim, Comparison, Meeting
from stats.periods import is_month
from stats.present.spec import NOTE_AT, NOTE_MAX, ChartNote, ChartSpec, note_from_dict
from stats.regions import load_regions

COMPARISON_TEXT: dict[Comparison, str] = {
    "previous_month": "Senaste månaden mot föregående månad",
    "same_month_last_year": "Senaste månaden mot samma månad året innan",
    "rolling_12_year": "Tolv månader mot tolv månader tidigare",
    "vintages": "Årgång mot tidigare årgångar",
    "range": "Värdet ligger inom ett intervall",
}
MONTHLY: tuple[Comparison, ...] = ("previous_month", "same_month_last_year", "rolling_12_year")
_PERIOD = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2]))?$")


class DraftError(StatsError):
    """Input the analyst typed that cannot be used; the message is Swedish, for the page."""


def move_chart(meeting: Meeting, index: int, step: int) -> Meeting:
    """The meeting with chart `index` moved `step` places (−1 up, +1 down), within bounds."""
    charts = list(meeting.charts)
    target = index + step
    if not (0 <= index < len(charts) and 0 <= target < len(charts)):
        return meeting
    charts[index], charts[target] = charts[target], charts[index]
    return replace(meeting, charts=tuple(charts))


def remove_chart(meeting: Meeting, index: int) -> Meeting:
    """The meeting without chart `index`."""
    return replace(meeting, charts=meeting.charts[:index] + meeting.charts[index + 1 :])


def add_chart(meeting: Meeting, spec: ChartSpec) -> Meeting:
    """The meeting with `spec` last (a chart already in the meeting is not added twice)."""
    if spec in meeting.charts:
        return meeting
    return replace(meeting, charts=(*meeting.charts, spec))


def _with_chart(meeting: Meeting, index: int, spec: ChartSpec) -> Meeting:
    charts = list(meeting.charts)
    charts[index] = spec
    return replace(meeting, charts=tuple(charts))


def parse_note(at: str, text: str) -> ChartNote:
    """A note from what the analyst typed ("2020-03", "Pandemin"); DraftError in Swedish."""
    at, text = at.strip(), text.strip()
    if not NOTE_AT.fullmatch(at):
        raise DraftError(
            "Ange datum eller period som ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD, t.ex. 2020-03."
        )
    if len(at) == 10:
        try:
            date.fromisoformat(at)
        except ValueError:
            raise DraftError(f"{at} är inget datum i kalendern.") from None
    if not text:
        raise DraftError("Skriv en kort text till anteckningen, t.ex. ”Pandemin”.")
    if len(text) > NOTE_MAX:
        raise DraftError(f"Texten får vara högst {NOTE_MAX} tecken (nu {len(text)}).")
    return note_from_dict({"at": at, "text": text}, where="anteckning")


def add_note(meeting: Meeting, index: int, note: ChartNote) -> Meeting:
    """The meeting with `note` on chart `index`, notes in date order."""
    spec = meeting.charts[index]
    notes = tuple(sorted((*spec.notes, note), key=lambda n: n.at))
    return _with_chart(meeting, index, replace(spec, notes=notes))


def remove_note(meeting: Meeting, index: int, note: int) -> Meeting:
    """The meeting without note `note` of chart `index`."""
    spec = meeting.charts[index]
    notes = spec.notes[:note] + spec.notes[note + 1 :]
    return _with_chart(meeting, index, replace(spec, notes=notes))


def comparisons_for(spec: ChartSpec, periods: list[str]) -> tuple[Comparison, ...]:
    """Comparisons that make sense for a chart: month ones for monthly data, vintages for
    projections, a range always."""
    found: list[Comparison] = []
    if periods and is_month(max(periods)):
        found += MONTHLY
    if "vintage" in load_indicators()[spec.indicator].columns:
        found.append("vintages")
    return (*found, "range")


def claim_regions(spec: ChartSpec) -> tuple[str, ...]:
    """The single regions a claim about the chart can name: the home län first, then riket and
    the chart's own single codes."""
    regions = load_regions()
    singles = [r for r in spec.regions if regions.is_single(r)]
    return tuple(dict.fromkeys(["hemlan", *singles, "riket"]))


def parse_period(text: str) -> str | None:
    """ "2024-01" → "2024M01", "2040" → "2040", "" → None (the latest); DraftError otherwise."""
    text = text.strip()
    if not text:
        return None
    match = _PERIOD.match(text)
    if match is None:
        raise DraftError("Ange perioden som ÅÅÅÅ-MM (månad) eller ÅÅÅÅ (år), t.ex. 2024-01.")
    year, month = match.groups()
    return f"{year}M{month}" if month else year


def build_claim(
    spec: ChartSpec,
    comparison: Comparison,
    region: str,
    period: str | None,
    expected: str | None = None,
    bounds: tuple[float, float] | None = None,
    vintages: tuple[str, ...] = (),
) -> Claim:
    """A claim about chart `spec`'s slice; DraftError in Swedish when it is incomplete."""
    if comparison == "range":
        if bounds is None or bounds[0] > bounds[1]:
            raise DraftError("Ange ett intervall där från är högst till.")
        low, high = bounds
        return Claim(spec.indicator, comparison, region, spec.filters, None, low, high, period)
    if expected not in wordings():
        raise DraftError("Välj vilket ordval höjdpunkten använder, t.ex. ”något fler”.")
    if comparison == "vintages" and not vintages:
        raise DraftError("Välj minst en tidigare årgång att jämföra med.")
    return Claim(
        spec.indicator, comparison, region, spec.filters, expected, period=period, vintages=vintages
    )


def tie_claim(meeting: Meeting, index: int, claim: Claim | None) -> Meeting:
    """The meeting with highlight `index` tied to `claim` (None unties it); the text stays."""
    highlights = list(meeting.highlights)
    highlights[index] = replace(highlights[index], claim=claim)
    return replace(meeting, highlights=tuple(highlights))


def previous_meeting(meetings: list[Meeting], day: str) -> Meeting | None:
    """The latest of `meetings` before `day` (e.g. 2024-06-17 for 2024-07-15), if any."""
    return max((m for m in meetings if m.date < day), key=lambda m: m.date, default=None)


def carried_over(previous: Meeting, day: str, region: str | None) -> Meeting:
    """A new meeting on `day` that starts from `previous`: its title, kind, place, presenter,
    role, publication and charts (with their notes). Not its highlights and notes (they speak
    of last month's data), its times, its freezes or its revision."""
    return Meeting(
        date=day,
        title=previous.title,
        region=region,
        kind=previous.kind,
        place=previous.place,
        presenter=previous.presenter,
        presenter_role=previous.presenter_role,
        publication=previous.publication,
        charts=previous.charts,
    )
