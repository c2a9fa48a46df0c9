"""Meetings of the regional näringslivsdialog: charts, highlights, notes and frozen data.

A meeting is plain data (one TOML file each: format in meeting_toml.py, files in
meeting_store.py). Freezing pins the content hash of every store release its charts and claims
read, so the meeting can later be drawn over exactly the numbers that were shown
(`pinned_releases` + `indicators.open_scope`), and `changes_since` lists what has happened to
those series since: new releases, revised values, new periods and new projection vintages.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Literal

import duckdb

from stats.analysis.indicators import load_indicators
from stats.config import load_settings
from stats.errors import StatsError
from stats.fmt import format_date, format_number, format_period
from stats.present.spec import ChartSpec
from stats.regions import Home, Place, as_place, home_code, load_regions
from stats.store.read_versions import (
    current_releases,
    latest_content,
    new_periods,
    newest_meta,
    release_ids_by_content,
    revised_values,
    vintage_content,
)

MeetingKind = Literal["ordinarie", "fördjupning"]
KINDS: tuple[MeetingKind, ...] = ("ordinarie", "fördjupning")
Comparison = Literal[
    "previous_month", "same_month_last_year", "rolling_12_year", "vintages", "range"
]
COMPARISONS: tuple[Comparison, ...] = (
    "previous_month",
    "same_month_last_year",
    "rolling_12_year",
    "vintages",
    "range",
)
ChangeKind = Literal[
    "new_release", "revised", "new_periods", "new_vintage", "missing", "new_definition"
]


class MeetingError(StatsError):
    """A meeting file is invalid or a meeting operation is not allowed; names the file and key."""


class SaveConflict(MeetingError):
    """Someone else saved the meeting after this editor opened it."""

    def __init__(self, message: str, *, revision: int, saved_by: str, saved_at: str) -> None:
        super().__init__(message)
        self.revision = revision
        self.saved_by = saved_by
        self.saved_at = saved_at


@dataclass(frozen=True)
class Claim:
    """What a highlight says in numbers, so it can be checked against the data.

    `period` is the period described (for `vintages` the projection year, e.g. "2040");
    None means the latest period in the data. `expected` is a wording from
    `wording.wording` ("något fler"); `low`/`high` bound a `range` claim in the
    indicator's unit. `vintage` is the projection described (None = the newest) and
    `vintages` the ones it is compared with.
    """

    indicator: str
    comparison: Comparison
    region: str = "hemlan"
    filters: tuple[tuple[str, str], ...] = ()
    expected: str | None = None
    low: float | None = None
    high: float | None = None
    period: str | None = None
    vintage: str | None = None
    vintages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Highlight:
    """A short statement the analyst says out loud; `text` is stored verbatim (never markup)."""

    text: str
    claim: Claim | None = None
    note: str = ""


@dataclass(frozen=True)
class Frozen:
    """Pins: {series_id: content_sha256} of the latest release, per vintage for projections."""

    at: str
    by: str
    releases: dict[str, str]
    vintages: dict[str, dict[str, str]]
    unavailable: tuple[str, ...] = ()
    # what the view resolved at freezing time (None in meetings frozen before this was kept):
    # the home län, its region sets and the processor; and each indicator's definition version
    place: Place | None = None
    definitions: dict[str, str] = field(default_factory=dict)

    def label(self) -> str:
        """ "data låsta 2024-06-17": when the data was fixed, true whatever the meeting's date.

        A view of a meeting shows `frozen_words.frozen_label(meeting)`, which also says how the
        freeze relates to the meeting.
        """
        return f"data låsta {format_date(self.at)}"


@dataclass(frozen=True)
class Meeting:
    """One meeting; `date` (YYYY-MM-DD) is its id and file name, `revision` counts saves.

    `region` is the län code of the dialog the meeting belongs to (None in files written before
    meetings named their region: they belong to the deployment that reads them). `presenter`
    and `presenter_role` name who gives the statistics slot ("Anna Andersson", "analytiker,
    Region Jämtland Härjedalen"); `publication` says where the full presentation is published
    ("www.regionjh.se/naringslivsdialog"), as plain text for the minutes.
    """

    date: str
    title: str
    region: str | None = None
    kind: MeetingKind = "ordinarie"
    start: str | None = None
    end: str | None = None
    place: str = ""
    presenter: str = ""
    presenter_role: str = ""
    publication: str = ""
    charts: tuple[ChartSpec, ...] = ()
    highlights: tuple[Highlight, ...] = ()
    notes: str = ""
    frozen: Frozen | None = None
    previous_freezes: tuple[Frozen, ...] = ()
    revision: int = 0
    saved_by: str = ""
    saved_at: str = ""


@dataclass(frozen=True)
class Change:
    """One thing that happened to a pinned series since the meeting was frozen."""

    series_id: str
    title: str
    kind: ChangeKind
    fetched_at: datetime | None = None
    count: int = 0
    example: str = ""
    periods: tuple[str, ...] = ()
    vintage: str | None = None

    def describe(self) -> str:
        """One Swedish sentence for the participants' "what changed" list."""
        name = self.title + (f", årgång {self.vintage}" if self.vintage else "")
        if self.kind == "new_release":
            when = f" hämtad {format_date(self.fetched_at)}" if self.fetched_at else ""
            return f"{name}: ny version{when}."
        if self.kind == "revised":
            what = "reviderat värde" if self.count == 1 else "reviderade värden"
            example = f", t.ex. {self.example}" if self.example else ""
            return f"{name}: {format_number(self.count)} {what}{example}."
        if self.kind == "new_periods":
            shown = [format_period(p) for p in self.periods]
            if len(shown) > 4:
                listed = f"{shown[0]} – {shown[-1]} ({format_number(len(shown))} perioder)"
            else:
                listed = ", ".join(shown)
            return f"{name}: {'ny period' if len(shown) == 1 else 'nya perioder'} {listed}."
        if self.kind == "new_vintage":
            return f"{self.title}: ny årgång {self.vintage}."
        if self.kind == "new_definition":
            return (
                f"{self.title}: indikatorns definition har ändrats sedan mötet; aktuella data "
                "räknas med den nya definitionen."
            )
        return f"{name}: den data som visades finns inte i den här databasen."


def next_meeting(meetings: list[Meeting], today: date) -> Meeting | None:
    """The first meeting on or after `today`, e.g. 2024-08-26 for 2024-06-18."""
    upcoming = sorted((m for m in meetings if m.date >= today.isoformat()), key=lambda m: m.date)
    return upcoming[0] if upcoming else None


def claim_series(indicator_id: str, filters: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """Series an indicator slice reads: only the inputs of a filtered `measure`, plus the rest."""
    ind = load_indicators()[indicator_id]
    measures = {v for k, v in filters if k == "measure"}
    if not measures or not ind.inputs:
        return ind.series
    inputs = {i.series for i in ind.inputs}
    wanted = {i.series for i in ind.inputs if i.measure in measures}
    return tuple(s for s in ind.series if s in wanted or s not in inputs)


def meeting_series(meeting: Meeting) -> tuple[str, ...]:
    """Every series behind the meeting's charts and claims, in first-use order."""
    out: dict[str, None] = {}
    for spec in meeting.charts:
        out.update(dict.fromkeys(claim_series(spec.indicator, spec.filters)))
    for h in meeting.highlights:
        if h.claim is not None:
            out.update(dict.fromkeys(claim_series(h.claim.indicator, h.claim.filters)))
    return tuple(out)


def freeze(
    con: duckdb.DuckDBPyConnection,
    meeting: Meeting,
    by: str,
    now: datetime,
    *,
    force: bool = False,
    home: Home | None = None,
) -> Meeting:
    """Pin the latest release of every series behind the meeting (not saved; save it next).

    Also records what the view resolves at display time, so that the frozen meeting shows the
    same regions and words whatever the configuration says later: the region codes of the
    home län's sets (its kommuner, its neighbours), the processor on the source line, and each
    indicator's definition version.

    Parameters
    ----------
    con
        A connection to the store (read-only is enough).
    meeting
        e.g. the 2024-06-17 meeting; a frozen meeting is refused unless `force`, and then the
        old pins move to `previous_freezes` so nothing is lost.
    by, now
        Who froze it and when (an aware datetime).
    """
    if meeting.frozen is not None and not force:
        raise MeetingError(
            f"mötet {meeting.date} är redan fryst ({meeting.frozen.label()}); "
            "frys om bara med force=True (de gamla låsningarna sparas)"
        )
    series = list(meeting_series(meeting))
    releases = latest_content(con, series)
    pins = Frozen(
        at=now.isoformat(timespec="seconds"),
        by=by,
        releases=dict(sorted(releases.items())),
        vintages=vintage_content(con, series),
        unavailable=tuple(s for s in series if s not in releases),
        place=as_place(meeting_place(meeting, home, current=True)),
        definitions=definition_versions(meeting),
    )
    previous = meeting.previous_freezes
    if meeting.frozen is not None:
        previous = (*previous, meeting.frozen)
    return replace(meeting, frozen=pins, previous_freezes=previous)


def meeting_place(meeting: Meeting, home: Home | None = None, *, current: bool = False) -> Home:
    """Whose statistics a view of the meeting shows.

    A frozen meeting shows the place it recorded (unless `current` data is asked for); else the
    meeting's own region, else `home` (default: the configured STATS_HOME_REGION).
    """
    if not current and meeting.frozen is not None and meeting.frozen.place is not None:
        return meeting.frozen.place
    return meeting.region or (home if home is not None else load_settings().home_region)


def definition_versions(meeting: Meeting) -> dict[str, str]:
    """{indicator id: definition version} for every indicator behind the meeting."""
    used = [s.indicator for s in meeting.charts]
    used += [h.claim.indicator for h in meeting.highlights if h.claim is not None]
    indicators = load_indicators()
    return {i: indicators[i].version for i in sorted(set(used)) if i in indicators}


def _frozen(meeting: Meeting) -> Frozen:
    if meeting.frozen is None:
        raise MeetingError(f"mötet {meeting.date} är inte fryst; frys det först")
    return meeting.frozen


def pinned_releases(
    con: duckdb.DuckDBPyConnection, meeting: Meeting
) -> tuple[list[int], list[str]]:
    """Release ids in this database with the pinned content, and series whose content is absent.

    Pass the ids to `open_scope(con, releases=ids)` to draw the numbers that were shown.
    """
    frozen = _frozen(meeting)
    index = release_ids_by_content(con)
    ids: set[int] = set()
    missing: list[str] = []
    pins = [(s, h) for s, h in frozen.releases.items()]
    pins += [(s, h) for s, by_vintage in frozen.vintages.items() for h in by_vintage.values()]
    for sid, sha in pins:
        found = index.get((sid, sha))
        if found is None:
            if sid not in missing:
                missing.append(sid)
        else:
            ids.add(found)
    return sorted(ids), missing


def _series_title(con: duckdb.DuckDBPyConnection, series_id: str) -> str:
    return str(newest_meta(con, series_id).get("title") or series_id)


def _value(x: float | None) -> str:
    if x is None:
        return format_number(None)
    return format_number(x, 0 if float(x).is_integer() else 1)


def _diff(
    con: duckdb.DuckDBPyConnection,
    head: Change,
    old_id: int,
    new_id: int,
    home: str | None,
) -> list[Change]:
    """The new release itself, revised values and new periods between two releases."""
    out = [head]
    revised = revised_values(con, old_id, new_id, home)
    if revised:
        region, period, dims, old, new = revised[0]
        parts = [str(v) for v in dims.values()]
        where = load_regions().name(region) + (f" ({', '.join(parts)})" if parts else "")
        example = f"{where} {format_period(period)}: {_value(old)} → {_value(new)}"
        out.append(replace(head, kind="revised", count=len(revised), example=example))
    periods = new_periods(con, old_id, new_id)
    if periods:
        out.append(replace(head, kind="new_periods", periods=tuple(periods)))
    return out


def changed_definitions(frozen: Frozen) -> list[Change]:
    """Indicators whose definition version differs from the one recorded at freezing."""
    indicators = load_indicators()
    return [
        Change(
            ind_id, indicators[ind_id].title if ind_id in indicators else ind_id, "new_definition"
        )
        for ind_id, version in sorted(frozen.definitions.items())
        if ind_id not in indicators or indicators[ind_id].version != version
    ]


def changes_since(
    con: duckdb.DuckDBPyConnection, meeting: Meeting, home: Home | None = None
) -> list[Change]:
    """What changed since freezing: new releases, revisions, new periods and vintages in the
    pinned series, and indicator definitions changed since.

    Examples of revised values prefer the home region (e.g. "23").
    """
    frozen = _frozen(meeting)
    home = home_code(meeting_place(meeting, home))
    index = release_ids_by_content(con)
    out: list[Change] = changed_definitions(frozen)
    for sid in sorted(set(frozen.releases) | set(frozen.vintages)):
        title = _series_title(con, sid)
        per_vintage = sid in frozen.vintages
        pins: dict[str | None, str] = (
            dict(frozen.vintages[sid].items()) if per_vintage else {None: frozen.releases[sid]}
        )
        current = current_releases(con, sid, per_vintage=per_vintage)
        if any((sid, sha) not in index for sha in pins.values()):
            out.append(Change(sid, title, "missing"))
            continue
        for vintage, release_id, sha, fetched_at in current:
            head = Change(sid, title, "new_release", fetched_at=fetched_at, vintage=vintage)
            if vintage not in pins:
                out.append(replace(head, kind="new_vintage"))
            elif sha != pins[vintage]:
                old_id = index[(sid, pins[vintage])]
                out.extend(_diff(con, head, old_id, release_id, home))
    return out
