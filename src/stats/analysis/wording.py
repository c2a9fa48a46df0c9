"""The Swedish wording of a change: the one rule that claims and suggestions are worded by.

Counts, levels and projections are worded by their change in percent of the earlier value;
rates and shares (indicators in the unit "procent", such as unemployment or the circular
share) by their change in procentenheter, so that 3,5 % → 3,6 % is "+0,1 procentenheter",
not "+2,9 %". The thresholds (on the unrounded change; each lower bound belongs to its own
band):

| Förändring i procent   | Förändring i procentenheter | Ord                              |
|------------------------|-----------------------------|----------------------------------|
| under 1 %              | under 0,1                   | oförändrat                       |
| 1 % till under 5 %     | 0,1 till under 0,5          | något fler / något färre         |
| 5 % till under 15 %    | 0,5 till under 1,0          | fler / färre                     |
| 15 % eller mer         | 1,0 eller mer               | betydligt fler / betydligt färre |

Counts (antal, företag) use "fler/färre"; rates, shares, projections and everything else use
"högre/lägre". Month-to-month counts in a small län are noisy: 1 % of 300 vacancies is three.
A change under 0,1 procentenheter does not show in a rate published with one decimal.
`change_words` is the one rule: `highlights.check_claim` and the suggestions both word changes
with it.
"""

from __future__ import annotations

import math

from stats.fmt import format_number, format_percent

COUNTS = ("fler", "färre")
LEVELS = ("högre", "lägre")
COUNT_UNITS = ("antal", "företag")
# rates and shares: worded by the change in procentenheter
PERCENT_UNIT = "procent"
Band = tuple[tuple[float, str], ...]
# (upper bound of |change|, degree word); the last band has no upper bound
THRESHOLDS: Band = (
    (1.0, "oförändrat"),
    (5.0, "något"),
    (15.0, ""),
    (math.inf, "betydligt"),
)
# the same bands in procentenheter, for units in percent
POINT_THRESHOLDS: Band = (
    (0.1, "oförändrat"),
    (0.5, "något"),
    (1.0, ""),
    (math.inf, "betydligt"),
)
UNCHANGED = "oförändrat"
# the change is rounded before it meets a bound, so 3,6 − 3,5 (0,0999… in binary) is 0,1
CHANGE_DIGITS = 9


def wording(
    change: float, more: str = "fler", fewer: str = "färre", *, points: bool = False
) -> str:
    """Swedish words for a change: 3.2 (%) → "något fler", −20 (%) → "betydligt färre".

    Parameters
    ----------
    change
        The change in percent (not a fraction), e.g. 57.1 for 7 → 11; in procentenheter
        when `points`, e.g. 0.1 for 3,5 % → 3,6 %.
    more, fewer
        The word pair: "fler"/"färre" for counts, "högre"/"lägre" for rates and projections.
    points
        Use the thresholds in procentenheter (rates and shares).

    Examples
    --------
    >>> wording(57.1)
    'betydligt fler'
    >>> wording(-0.4, "högre", "lägre")
    'oförändrat'
    >>> wording(0.1, "högre", "lägre", points=True)
    'något högre'
    """
    if not math.isfinite(change):
        raise ValueError(f"change {change!r} is not a finite number")
    size = round(abs(change), CHANGE_DIGITS)
    for bound, degree in POINT_THRESHOLDS if points else THRESHOLDS:
        if size < bound:
            if degree == UNCHANGED:
                return UNCHANGED
            word = more if change > 0 else fewer
            return f"{degree} {word}" if degree else word
    raise ValueError(f"change {change!r} is not a finite number")


def wordings() -> tuple[str, ...]:
    """Every wording `wording` can give, for validating a claim's `expected`."""
    out = [UNCHANGED]
    for more, fewer in (COUNTS, LEVELS):
        for _, degree in THRESHOLDS[1:]:
            out += [f"{degree} {w}".strip() for w in (more, fewer)]
    return tuple(out)


def in_points(unit: str) -> bool:
    """True for rates and shares, which are compared in procentenheter."""
    return unit == PERCENT_UNIT


def change_of(now: float, then: float, unit: str) -> float | None:
    """The change the wording is decided on: procentenheter for rates and shares, else the
    change in percent of `then` (None when `then` is zero)."""
    if in_points(unit):
        return now - then
    return None if then == 0 else 100.0 * (now - then) / then


def change_text(change: float, unit: str) -> str:
    """ "+0,1 procentenheter" for rates and shares, "+57,1 %" otherwise."""
    if in_points(unit):
        return f"{format_number(change, 1, signed=True)} procentenheter"
    return format_percent(change, 1, signed=True)


def change_words(
    now: float, then: float, unit: str, pair: tuple[str, str]
) -> tuple[str, str] | None:
    """(wording, change as text) of `now` against `then` by the unit's rule; None if `then`
    is zero for a relative change. E.g. 3,6 against 3,5 % → ("något högre", "+0,1 procentenheter").
    """
    change = change_of(now, then, unit)
    if change is None:
        return None
    return wording(change, *pair, points=in_points(unit)), change_text(change, unit)


def _threshold_rows(points: bool) -> list[tuple[str, str]]:
    band, pair = (POINT_THRESHOLDS, LEVELS) if points else (THRESHOLDS, COUNTS)
    unit = " procentenheter" if points else ""
    rows: list[tuple[str, str]] = []
    lower = 0.0
    for bound, degree in band:
        low, high = (
            format_number(x, 1) if points else format_percent(x, 0) for x in (lower, bound)
        )
        if lower == 0:
            span = f"under {high}{unit}"
        else:
            span = (
                f"{low}{unit} eller mer" if math.isinf(bound) else f"{low} till under {high}{unit}"
            )
        words = (f"{degree} {w}".strip() for w in pair)
        rows.append((span, UNCHANGED if degree == UNCHANGED else " / ".join(words)))
        lower = bound
    return rows


def threshold_rows() -> list[tuple[str, str]]:
    """The thresholds as (förändring, ord) rows for the UI: first in percent for counts and
    levels, then in procentenheter for rates and shares, e.g. ("under 1 %", "oförändrat"),
    ("0,1 till under 0,5 procentenheter", "något högre / något lägre")."""
    return _threshold_rows(points=False) + _threshold_rows(points=True)
