"""Highlights checked against the data, worded by the one rule in `wording`.

A claim is supported ("stöds") when the wording the data gives (`wording.change_words`) is
the one the analyst used; for projection vintages it must hold against every vintage compared
with. A range claim ("1–3 %") holds when every value, rounded to the claim's precision, lies
within it. Rolling 12-month comparisons sum counts and average rates.

Given the highlight's own text, the check also reads the text for the wording vocabulary
(`wording.text_disagreement`): a text that clearly says something else than its claim's wording
("ökade betydligt" tied to "något högre") makes a verdict "motsägs", with the reason first in
`observed`, whatever the data says; a claim that cannot be tested keeps "kan inte prövas" but
carries the reason too. Range claims have no wording and are not read.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

import duckdb
import pandas as pd

from stats.analysis.indicators import load_indicators, open_scope, run_indicator
from stats.analysis.wording import (
    COUNT_UNITS,
    COUNTS,
    LEVELS,
    change_words,
    in_points,
    text_disagreement,
)
from stats.catalog.load import load_catalog
from stats.fmt import format_number, format_percent, format_period
from stats.meetings.model import claim_series, meeting_place, pinned_releases
from stats.periods import shift_month_or_none
from stats.regions import Home, load_regions
from stats.store.read import scope_series

if TYPE_CHECKING:
    from stats.meetings.model import Claim, Highlight, Meeting

Status = Literal["stöds", "motsägs", "kan inte prövas"]
# the comparison period in words
COMPARISON_LABELS = {
    "previous_month": "föregående månad",
    "same_month_last_year": "samma månad året innan",
}


@dataclass(frozen=True)
class ClaimCheck:
    """The verdict on one claim: status, a Swedish sentence with the numbers, suggested words;
    `disagreement` says why the highlight's text contradicts its claim's wording (also the
    first sentence of `observed`)."""

    status: Status
    observed: str
    suggested: str | None = None
    period: str | None = None
    disagreement: str | None = None


def _pair(claim: Claim, unit: str) -> tuple[str, str]:
    expected = claim.expected or ""
    if any(w in expected for w in LEVELS):
        return LEVELS
    if any(w in expected for w in COUNTS):
        return COUNTS
    if claim.comparison != "vintages" and unit in COUNT_UNITS:
        return COUNTS
    return LEVELS


def _num(x: float, unit: str) -> str:
    if unit == "procent":
        return format_percent(x, 1)
    return format_number(x, 0 if float(x).is_integer() else 1)


def _unavailable(scope: duckdb.DuckDBPyConnection, claim: Claim, what: str) -> ClaimCheck:
    """ "kan inte prövas", naming the series that are not in the store."""
    wanted = claim_series(claim.indicator, claim.filters)
    present = scope_series(scope)
    absent = [s for s in wanted if s not in present]
    if absent:
        titles = load_catalog().series
        named = [f"{titles[s].title} ({s})" if s in titles else s for s in absent]
        what += "; serier som inte är hämtade: " + ", ".join(named)
    return ClaimCheck("kan inte prövas", f"Kan inte prövas: {what}.")


def _verdict(claim: Claim, suggested: str) -> Status:
    return "stöds" if suggested == (claim.expected or "").strip() else "motsägs"


def _compared(
    claim: Claim,
    period: str,
    values: tuple[float, float],
    unit: str,
    pair: tuple[str, str],
    text: tuple[str, str],
) -> ClaimCheck:
    """The verdict on `now` against `then` (not zero); `text` is (where, against what)."""
    now, then = values
    where, against = text
    worded = change_words(now, then, unit, pair)
    assert worded is not None  # the callers refuse a zero `then`
    suggested, change = worded
    observed = (
        f"{where}: {_num(now, unit)} jämfört med {_num(then, unit)} {against}, "
        f"{change}, alltså {suggested}."
    )
    return ClaimCheck(_verdict(claim, suggested), observed, suggested, period)


def text_against_claim(text: str, claim: Claim) -> str | None:
    """Why the highlight's `text` contradicts its claim's wording (None when it does not, or
    the claim has none), with the direction words of the claim's unit."""
    if claim.comparison == "range" or not claim.expected:
        return None
    unit = load_indicators()[claim.indicator].unit
    return text_disagreement(text, claim.expected, _pair(claim, unit))


def check_claim(
    scope: duckdb.DuckDBPyConnection,
    claim: Claim,
    home: Home,
    period: str | None = None,
    *,
    text: str | None = None,
) -> ClaimCheck:
    """Does the data in `scope` support the claim, and does the highlight's `text` (if given)
    say what the claim says? `period` overrides `claim.period`; see `_check_data`."""
    result = _check_data(scope, claim, home, period)
    reason = None if text is None else text_against_claim(text, claim)
    if reason is None:
        return result
    status: Status = "kan inte prövas" if result.status == "kan inte prövas" else "motsägs"
    observed = f"{reason} {result.observed}"
    return replace(result, status=status, observed=observed, disagreement=reason)


def _check_data(
    scope: duckdb.DuckDBPyConnection, claim: Claim, home: Home, period: str | None = None
) -> ClaimCheck:
    """Does the data in `scope` support the claim? `period` overrides `claim.period`.

    Parameters
    ----------
    scope
        From `indicators.open_scope` (latest data, or the releases a frozen meeting pinned).
    claim
        e.g. manadsforandring, measure=konkurser_regionfakta, previous_month, "betydligt fler".
    home
        The home län code, e.g. "23", for the region set "hemlan".
    """
    ind = load_indicators()[claim.indicator]
    frame = run_indicator(scope, claim.indicator)
    for column, value in claim.filters:
        frame = frame[frame[column].astype(str) == value]
    code = load_regions().resolve([claim.region], home)[0]
    region = load_regions().name(code)
    frame = frame[(frame["region_code"] == code) & frame["value"].notna()]
    period = period or claim.period
    if frame.empty:
        return _unavailable(scope, claim, f"inga värden för {region}")
    if claim.comparison == "vintages":
        latest = period or str(frame["period"].max())
        return _check_vintages(scope, claim, frame, region, latest, ind.unit)
    period = period or str(frame["period"].max())
    rows = frame[frame["period"] == period]
    if rows.empty:
        return _unavailable(scope, claim, f"inget värde för {region} {format_period(period)}")
    if claim.comparison == "range":
        return _check_range(claim, rows, region, period, ind.unit)
    values = frame.groupby("period")["value"].sum()
    more, fewer = _pair(claim, ind.unit)
    if claim.comparison == "rolling_12_year":
        return _check_rolling(scope, claim, values, region, period, ind.unit, (more, fewer))
    before = shift_month_or_none(period, -1 if claim.comparison == "previous_month" else -12)
    if before is None:
        return _unavailable(scope, claim, f"{format_period(period)} är inte en månad")
    if before not in values.index:
        return _unavailable(scope, claim, f"inget värde för {region} {format_period(before)}")
    now, then = float(values[period]), float(values[before])
    if then == 0 and not in_points(ind.unit):
        return _unavailable(scope, claim, f"värdet för {format_period(before)} är noll")
    where = f"{region}, {format_period(period)}"
    against = f"i {format_period(before)} ({COMPARISON_LABELS[claim.comparison]})"
    return _compared(claim, period, (now, then), ind.unit, (more, fewer), (where, against))


def _check_rolling(
    scope: duckdb.DuckDBPyConnection,
    claim: Claim,
    values: pd.Series[float],
    region: str,
    period: str,
    unit: str,
    pair: tuple[str, str],
) -> ClaimCheck:
    months = [shift_month_or_none(period, -i) for i in range(24)]
    if None in months:
        return _unavailable(scope, claim, f"{format_period(period)} är inte en månad")
    lacking = [format_period(m) for m in months if m is not None and m not in values.index]
    if lacking:
        return _unavailable(scope, claim, f"{region} saknar värden för {', '.join(lacking)}")
    pick = values.reindex([m for m in months if m is not None])
    recent, earlier = pick.iloc[:12], pick.iloc[12:]
    now = float(recent.sum() if unit in COUNT_UNITS else recent.mean())
    then = float(earlier.sum() if unit in COUNT_UNITS else earlier.mean())
    if then == 0 and not in_points(unit):
        return _unavailable(scope, claim, "de tolv månaderna året innan summerar till noll")
    where = f"{region}, 12 månader till {format_period(period)}"
    return _compared(claim, period, (now, then), unit, pair, (where, "tolv månader tidigare"))


def _check_range(
    claim: Claim, rows: pd.DataFrame, region: str, period: str, unit: str
) -> ClaimCheck:
    low, high = claim.low, claim.high
    assert low is not None and high is not None  # meeting_store validates range claims
    decimals = 0 if float(low).is_integer() and float(high).is_integer() else 1
    values = [round(float(v), decimals) for v in rows["value"]]
    lo, hi = min(values), max(values)
    shown = _num(lo, unit) if lo == hi else f"{_num(lo, unit)}–{_num(hi, unit)}"
    claimed = f"{_num(low, unit)}–{_num(high, unit)}"
    if unit == "procent":
        shown = shown.replace("\u00a0%–", "–")
        claimed = claimed.replace("\u00a0%–", "–")
    many = f" ({format_number(len(values))} värden)" if len(values) > 1 else ""
    observed = f"{region}, {format_period(period)}: {shown}{many}; påståendet är {claimed}."
    status: Status = "stöds" if low <= lo and hi <= high else "motsägs"
    return ClaimCheck(status, observed, shown, period)


def _check_vintages(
    scope: duckdb.DuckDBPyConnection,
    claim: Claim,
    frame: pd.DataFrame,
    region: str,
    period: str,
    unit: str,
) -> ClaimCheck:
    rows = frame[frame["period"] == period]
    by_vintage = rows.groupby("vintage")["value"].sum()
    others = [v for v in by_vintage.index if str(v) not in claim.vintages]
    vintage = claim.vintage or (str(max(others)) if others else None)
    where = f"{region} {format_period(period)}"
    if not claim.vintages:
        return _unavailable(scope, claim, "påståendet jämför inte med någon årgång")
    lacking = [v for v in (vintage, *claim.vintages) if v is None or v not in by_vintage.index]
    if lacking:
        names = ", ".join(str(v) for v in lacking if v) or "en nyare årgång"
        return _unavailable(scope, claim, f"{where} saknar framskrivningens årgång {names}")
    assert vintage is not None
    now = float(by_vintage[vintage])
    parts, words = [], []
    for old in claim.vintages:
        then = float(by_vintage[old])
        worded = change_words(now, then, unit, LEVELS)
        if worded is None:
            return _unavailable(scope, claim, f"årgång {old} är noll för {where}")
        words.append(worded[0])
        parts.append(f"{format_number(then)} i årgång {old} ({worded[1]}, {worded[0]})")
    suggested = words[0] if len(set(words)) == 1 else ", ".join(words)
    observed = f"{where}: årgång {vintage} {format_number(now)} jämfört med " + " och ".join(parts)
    status: Status = "stöds" if all(w == claim.expected for w in words) else "motsägs"
    return ClaimCheck(status, observed + ".", suggested, period)


@dataclass(frozen=True)
class HighlightCheck:
    """A highlight's claim checked in the data that was shown and in today's data."""

    index: int
    highlight: Highlight
    presented: ClaimCheck | None
    current: ClaimCheck

    @property
    def flagged(self) -> bool:
        """True when today's data contradicts a claim that held (or was never frozen), or the
        highlight's text contradicts its claim."""
        held = self.presented is None or self.presented.status == "stöds"
        return self.current.disagreement is not None or (self.current.status == "motsägs" and held)


def check_highlights(
    con: duckdb.DuckDBPyConnection, meeting: Meeting, home: Home
) -> list[HighlightCheck]:
    """Check every claim of a meeting: as presented (if frozen) and in the current data.

    The current check uses the period the frozen check examined, so a revision of the month
    that was presented is caught even after newer months arrive.
    """
    claims = [(i, h) for i, h in enumerate(meeting.highlights) if h.claim is not None]
    if not claims:
        return []
    out: list[HighlightCheck] = []
    pinned = open_scope(con, pinned_releases(con, meeting)[0]) if meeting.frozen else None
    current = open_scope(con)
    then, now = meeting_place(meeting, home), meeting_place(meeting, home, current=True)
    try:
        for i, h in claims:
            assert h.claim is not None
            presented = (
                check_claim(pinned, h.claim, then, text=h.text) if pinned is not None else None
            )
            period = presented.period if presented is not None else None
            latest = check_claim(current, h.claim, now, period, text=h.text)
            out.append(HighlightCheck(i, h, presented, latest))
    finally:
        current.close()
        if pinned is not None:
            pinned.close()
    return out
