"""Suggested highlights from the data: Swedish sentences with the numbers, each tied to a claim.

For a chart of a monthly indicator the home län's latest month is compared with the month
before, the same month a year earlier and (given 24 months) the 12 months before; where the
indicator ranks the 21 län, the rank is named too. The words come from
`wording.wording` (the one wording rule), and every suggestion carries the `Claim` it
makes, with the period written out, so that `check_claim` finds it supported ("stöds") in the
data it was drawn from, and keeps checking the same month when newer months arrive.
Rates and shares in percent are compared and worded in procentenheter (the rule is
`wording.change_words`).

For projections (an indicator keyed by `vintage`) the newest vintage is compared with each
earlier one at a horizon year (the year ending in 0 nearest 15 years after the newest vintage
among the years they share), one sentence per wording ("något högre än 2021 och 2022 års
framskrivning"). For the circular share (keyed by `set_id`) the latest year's range over the
definition sets is proposed as a range claim.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from stats.analysis.highlights import COMPARISON_LABELS
from stats.analysis.indicators import load_indicators, run_indicator
from stats.analysis.wording import COUNT_UNITS, COUNTS, LEVELS, UNCHANGED, change_words, in_points
from stats.fmt import format_number, format_percent, period_in_words
from stats.meetings.model import Claim, Comparison, Highlight, Meeting
from stats.periods import is_month, shift_month_or_none
from stats.present.spec import ChartSpec
from stats.regions import Home, home_code, load_regions

# how many months back the comparison period lies
MONTHS_BACK: dict[Comparison, int] = {"previous_month": -1, "same_month_last_year": -12}
# the projection year compared: the decade year nearest this many years after the newest vintage
HORIZON_YEARS = 15
LABELS: dict[str, str] = {
    **COMPARISON_LABELS,
    "rolling_12_year": "tolv månader mot tolv månader",
    "vintages": "tidigare årgångar",
    "range": "intervall",
}


@dataclass(frozen=True)
class Suggestion:
    """One proposed highlight: the sentence and the claim that ties it to the data."""

    text: str
    claim: Claim
    # what is compared, for listings: "föregående månad", "rang bland länen", ...
    label: str = ""

    def highlight(self) -> Highlight:
        """The suggestion as a highlight for the meeting (text and claim)."""
        return Highlight(text=self.text, claim=self.claim)


@dataclass(frozen=True)
class _Series:
    """The home län's values of one chart slice, by month, and how to word them."""

    title: str
    region: str
    unit: str
    values: pd.Series[float]
    rows: pd.DataFrame
    spec: ChartSpec

    @property
    def latest(self) -> str:
        return str(self.values.index.max())

    def claim(
        self, comparison: Comparison, expected: str | None, bounds: float | None = None
    ) -> Claim:
        """The claim about the latest month; `bounds` makes a range of one value."""
        return Claim(
            indicator=self.spec.indicator,
            comparison=comparison,
            region="hemlan",
            filters=self.spec.filters,
            expected=expected,
            low=bounds,
            high=bounds,
            period=self.latest,
        )


def _pair(unit: str) -> tuple[str, str]:
    """ "fler/färre" for counts, "högre/lägre" otherwise (as `check_claim` without words)."""
    return COUNTS if unit in COUNT_UNITS else LEVELS


def _num(x: float, unit: str) -> str:
    if in_points(unit):
        return format_percent(x, 1)
    if float(x).is_integer():
        return format_number(x)
    return format_number(x, 1 if abs(x) >= 1 else 3)


def _phrase(word: str, against: str) -> str:
    """ "betydligt färre än föregående månad", "oförändrat jämfört med ..."."""
    return f"{word} {'jämfört med' if word == UNCHANGED else 'än'} {against}"


def _versus(s: _Series, comparison: Comparison) -> Suggestion | None:
    """Latest month against the month before or the same month a year earlier."""
    label, back = LABELS[comparison], MONTHS_BACK[comparison]
    before = shift_month_or_none(s.latest, back)
    if before is None or before not in s.values.index:
        return None
    now, then = float(s.values[s.latest]), float(s.values[before])
    worded = change_words(now, then, s.unit, _pair(s.unit))
    if worded is None:
        return None
    word, change = worded
    text = (
        f"{s.title}, {s.region}: {_num(now, s.unit)} i {period_in_words(s.latest)}, "
        f"{_phrase(word, label)} ({_num(then, s.unit)} i {period_in_words(before)}, {change})."
    )
    return Suggestion(text, s.claim(comparison, word), LABELS[comparison])


def _trend(s: _Series) -> Suggestion | None:
    """The 12 months to the latest against the 12 before: sums of counts, means of rates."""
    months = [shift_month_or_none(s.latest, -i) for i in range(24)]
    if None in months or any(m not in s.values.index for m in months):
        return None
    pick = s.values.reindex([m for m in months if m is not None])
    recent, earlier = pick.iloc[:12], pick.iloc[12:]
    counts = s.unit in COUNT_UNITS
    now = float(recent.sum() if counts else recent.mean())
    then = float(earlier.sum() if counts else earlier.mean())
    worded = change_words(now, then, s.unit, _pair(s.unit))
    if worded is None:
        return None
    word, change = worded
    how = "sammanlagt" if counts else "i genomsnitt"
    span, span_before = (
        f"{period_in_words(str(part.index[-1]))}–{period_in_words(str(part.index[0]))}"
        for part in (recent, earlier)
    )
    text = (
        f"{s.title}, {s.region}: {how} {_num(now, s.unit)} under {span}, "
        f"{_phrase(word, 'tolv månader tidigare')} ({_num(then, s.unit)} under {span_before}, "
        f"{change})."
    )
    return Suggestion(text, s.claim("rolling_12_year", word), LABELS["rolling_12_year"])


def _rank(s: _Series) -> Suggestion | None:
    """The home län's rank among the 21 län, where the indicator ranks them.

    The claim is the value itself (a range of one value), which `check_claim` can test; the
    rank is read from the same row.
    """
    if "rank" not in s.rows.columns:
        return None
    row = s.rows[s.rows["period"] == s.latest].iloc[0]
    if pd.isna(row["rank"]) or pd.isna(row.get("n_lan")):
        return None
    now = float(row["value"])
    shown = round(now, 0 if now.is_integer() else 1)
    text = (
        f"{s.title}, {s.region}: {_num(now, s.unit)} i {period_in_words(s.latest)}, "
        f"plats {int(row['rank'])} av {int(row['n_lan'])} län (1 = högst)."
    )
    return Suggestion(text, s.claim("range", None, shown), "rang bland länen")


def _series(frame: pd.DataFrame, spec: ChartSpec, home: Home) -> _Series | None:
    """The home län's monthly values of the chart's slice; None unless one value per month."""
    rows, region = _home_rows(frame, spec, home)
    if rows.empty or rows["period"].duplicated().any():
        return None
    if not is_month(str(rows["period"].max())):
        return None
    values = rows.set_index("period")["value"].astype(float).sort_index()
    ind = load_indicators()[spec.indicator]
    return _Series(spec.title or ind.title, region, ind.unit, values, rows, spec)


def _home_rows(frame: pd.DataFrame, spec: ChartSpec, home: Home) -> tuple[pd.DataFrame, str]:
    """The chart slice's rows for the home län with a value, and the län's name."""
    for column, value in spec.filters:
        frame = frame[frame[column].astype(str) == value]
    code = home_code(home)
    rows = frame[(frame["region_code"] == code) & frame["value"].notna()]
    return rows, load_regions().name(code)


def _horizon(years: list[str], newest: str) -> str:
    """The year ending in 0 nearest HORIZON_YEARS after `newest`, else the nearest year."""
    target = int(newest) + HORIZON_YEARS
    return min(years, key=lambda y: (not y.endswith("0"), abs(int(y) - target), y))


def _kind(rows: pd.DataFrame, spec: ChartSpec) -> tuple[pd.DataFrame, tuple[tuple[str, str], ...]]:
    """One source kind of projection (the one with most vintages), named in the filters."""
    if "source_kind" not in rows.columns or rows["source_kind"].nunique() < 2:
        return rows, spec.filters
    counts = rows.groupby("source_kind")["vintage"].nunique()
    kind = str(max(counts.index, key=lambda k: (counts[k], k == "tabell")))
    return rows[rows["source_kind"] == kind], (*spec.filters, ("source_kind", kind))


def _vintages(frame: pd.DataFrame, spec: ChartSpec, home: Home) -> list[Suggestion]:
    """The newest projection vintage against each earlier one at the horizon year."""
    rows, region = _home_rows(frame, spec, home)
    rows, filters = _kind(rows, spec)
    if rows["vintage"].nunique() < 2:
        return []
    newest = str(rows["vintage"].max())
    by_year = rows.groupby(["period", "vintage"])["value"].sum()
    years = [
        str(y)
        for y in rows.loc[rows["vintage"] == newest, "period"].unique()
        if len(by_year[y]) > 1
    ]
    if not years:
        return []
    year = _horizon(years, newest)
    values = by_year[year]
    ind = load_indicators()[spec.indicator]
    now = float(values[newest])
    groups: dict[str, list[tuple[str, float, str]]] = {}
    for old in sorted(str(v) for v in values.index if str(v) != newest):
        worded = change_words(now, float(values[old]), ind.unit, LEVELS)
        if worded is not None:
            groups.setdefault(worded[0], []).append((old, float(values[old]), worded[1]))
    title = spec.title or ind.title
    out = []
    for word, olds in groups.items():
        names = " och ".join(v for v, _, _ in olds)
        numbers = " och ".join(format_number(x) for _, x, _ in olds)
        changes = " och ".join(c for _, _, c in olds)
        text = (
            f"{title}, {region}: {format_number(now)} år {year} i {newest} års framskrivning, "
            f"{_phrase(word, f'{names} års framskrivning')} ({numbers}, {changes})."
        )
        claim = Claim(
            indicator=spec.indicator,
            comparison="vintages",
            filters=filters,
            expected=word,
            period=year,
            vintage=newest,
            vintages=tuple(v for v, _, _ in olds),
        )
        out.append(Suggestion(text, claim, LABELS["vintages"]))
    return out


def _definition_range(frame: pd.DataFrame, spec: ChartSpec, home: Home) -> list[Suggestion]:
    """The latest year's share over every definition set, as a range claim."""
    rows, region = _home_rows(frame, spec, home)
    if rows.empty:
        return []
    period = str(rows["period"].max())
    rows = rows[rows["period"] == period].sort_values("value")
    ind = load_indicators()[spec.indicator]
    low, high = (round(float(rows["value"].iloc[i]), 1) for i in (0, -1))
    shown = _num(low, ind.unit) if low == high else f"{_num(low, ind.unit)}–{_num(high, ind.unit)}"
    if in_points(ind.unit):
        shown = shown.replace("\u00a0%–", "–")
    names = "; ".join(
        f"{_num(float(r['value']), ind.unit)} med {r['set_name']}" for _, r in rows.iterrows()
    )
    text = (
        f"{spec.title or ind.title}, {region}: {shown} i {period_in_words(period)} "
        f"beroende på definition ({names})."
    )
    claim = Claim(
        indicator=spec.indicator,
        comparison="range",
        filters=spec.filters,
        low=low,
        high=high,
        period=period,
    )
    return [Suggestion(text, claim, "definitionsuppsättningar")]


def suggest_chart(
    scope: duckdb.DuckDBPyConnection,
    spec: ChartSpec,
    home: Home,
    frame: pd.DataFrame | None = None,
) -> list[Suggestion]:
    """Suggested highlights for one chart, for the home län's latest month, projection
    vintage or definition sets.

    Parameters
    ----------
    scope
        From `indicators.open_scope` (the latest releases).
    spec
        e.g. manadsforandring with measure=konkurser_regionfakta.
    home
        The home län, e.g. "23".
    frame
        The indicator's rows when already read (`run_indicator(scope, spec.indicator)`).
    """
    if frame is None:
        frame = run_indicator(scope, spec.indicator)
    keys = load_indicators()[spec.indicator].keys
    if "vintage" in keys:
        return _vintages(frame, spec, home)
    if "set_id" in keys:
        return _definition_range(frame, spec, home)
    series = _series(frame, spec, home)
    if series is None:
        return []
    found = [
        _versus(series, "previous_month"),
        _versus(series, "same_month_last_year"),
        _trend(series),
        _rank(series),
    ]
    return [s for s in found if s is not None]


def suggest_meeting(
    scope: duckdb.DuckDBPyConnection, meeting: Meeting, home: Home
) -> list[tuple[ChartSpec, list[Suggestion]]]:
    """Suggestions for every chart of a meeting, in chart order (each indicator read once)."""
    frames: dict[str, pd.DataFrame] = {}
    out: list[tuple[ChartSpec, list[Suggestion]]] = []
    code = home_code(home)
    for spec in meeting.charts:
        if spec.indicator not in frames:
            # every comparison is about the home län, so the other regions' rows go at once
            frame = run_indicator(scope, spec.indicator)
            frames[spec.indicator] = frame[frame["region_code"] == code]
        out.append((spec, suggest_chart(scope, spec, home, frames[spec.indicator])))
    return out
