"""The meeting file format: TOML text ⇄ a validated Meeting, with no file I/O.

A file holds the meeting's fields, `[frozen]` pins, `[[previous_freezes]]`, `[[chart]]` specs
and `[[highlight]]` statements in a fixed key order, so it can be reviewed and versioned.
`parse_meeting` names the file and key in every error; `dumps_meeting` writes the same order.
Reading, listing and saving the files is in `meeting_store`.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any

import tomli_w

from stats.analysis.indicators import load_indicators
from stats.analysis.wording import wordings
from stats.errors import StatsError
from stats.meetings.model import COMPARISONS, KINDS, Claim, Frozen, Highlight, Meeting, MeetingError
from stats.present.spec import ChartSpec, spec_from_dict
from stats.regions import HOME_SETS, Place, load_regions
from stats.text import clean

MEETING_KEYS = ("format", "date", "region", "title", "kind", "start", "end", "place",
                "presenter", "presenter_role", "publication", "revision", "saved_by", "saved_at",
                "notes", "frozen", "previous_freezes",
                "chart", "highlight")  # fmt: skip
CLAIM_KEYS = ("indicator", "comparison", "region", "filters", "expected", "low", "high",
              "period", "vintage", "vintages")  # fmt: skip
# The file format's version. Every change to the format bumps it and adds a migration from the
# previous version, so that every file ever written still reads:
#   1  (no `format` key) the 2024 files;
#   2  `format` and the meeting's `region` (the län code of its dialog);
#   3  `[frozen.place]` (home län, its region sets, processor) and `[frozen.definitions]`;
#   4  `presenter`, `presenter_role`, `publication` and each chart's `notes` (annotations).
FORMAT = 4
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


class _Fields:
    """Typed access to one TOML table; errors read `file: key: message`."""

    def __init__(self, where: str, table: Any, allowed: tuple[str, ...]) -> None:
        self.where = where
        if not isinstance(table, dict):
            raise MeetingError(f"{where}: must be a table")
        extra = sorted(set(table) - set(allowed))
        if extra:
            raise MeetingError(f"{where}: unknown keys {extra}; expected {list(allowed)}")
        self.table: dict[str, Any] = table

    def fail(self, key: str, message: str) -> MeetingError:
        # the file itself is "name: key", a table inside it "name: table.key"
        sep = "." if ": " in self.where else ": "
        return MeetingError(f"{self.where}{sep}{key}: {message}")

    def text(self, key: str, default: str | None = None) -> str:
        value = self.table.get(key, default)
        if not isinstance(value, str):
            raise self.fail(key, "required text" if value is None else "must be text")
        return value

    def optional(self, key: str) -> str | None:
        return self.text(key) if key in self.table else None

    def number(self, key: str) -> float | None:
        value = self.table.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(key, "must be a number")
        return float(value)

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "must be a list of text")
        return tuple(value)

    def mapping(self, key: str) -> dict[str, str]:
        value = self.table.get(key, {})
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise self.fail(key, "must be a table of text values")
        return dict(value)

    def tables(self, key: str) -> list[Any]:
        value = self.table.get(key, [])
        if not isinstance(value, list):
            raise self.fail(key, f"must be an array of tables ([[{key}]])")
        return value


def _one_region(region: str, home: str | None) -> bool:
    """Whether a claim's region names one region: for the meeting's own län if it has one
    (Gotland's `hemlan_kommuner` is one kommun), else for every län."""
    regions = load_regions()
    if home is None:
        return regions.is_single(region)
    try:
        return len(regions.resolve([region], home)) == 1
    except StatsError:
        return False


def _claim(where: str, raw: Any, home: str | None = None) -> Claim:
    f = _Fields(where, raw, CLAIM_KEYS)
    indicators = load_indicators()
    ind_id = f.text("indicator")
    if ind_id not in indicators:
        raise f.fail("indicator", f"unknown indicator {ind_id!r}")
    comparison = f.text("comparison")
    if comparison not in COMPARISONS:
        raise f.fail("comparison", f"must be one of {', '.join(COMPARISONS)}")
    filters = f.mapping("filters")
    if not set(filters) <= set(indicators[ind_id].columns):
        raise f.fail("filters", f"keys must be columns of {ind_id}")
    region = f.text("region", "hemlan")
    if not _one_region(region, home):
        raise f.fail("region", "must name one region (a code, hemlan or riket)")
    claim = Claim(
        indicator=ind_id,
        comparison=comparison,
        region=region,
        filters=tuple(sorted(filters.items())),
        expected=f.optional("expected"),
        low=f.number("low"),
        high=f.number("high"),
        period=f.optional("period"),
        vintage=f.optional("vintage"),
        vintages=f.strings("vintages"),
    )
    if comparison == "range":
        if claim.low is None or claim.high is None or claim.low > claim.high:
            raise f.fail("low", "a range claim needs low <= high")
    elif claim.expected not in wordings():
        raise f.fail("expected", f"must be one of {', '.join(wordings())}")
    if comparison == "vintages" and not claim.vintages:
        raise f.fail("vintages", "a vintages claim needs the vintages it compares with")
    return claim


def _frozen(where: str, raw: Any) -> Frozen:
    f = _Fields(
        where, raw, ("at", "by", "releases", "vintages", "unavailable", "place", "definitions")
    )
    at = f.text("at")
    try:
        datetime.fromisoformat(at)
    except ValueError:
        raise f.fail("at", "must be an ISO 8601 date and time") from None
    vintages = f.table.get("vintages", {})
    if not isinstance(vintages, dict):
        raise f.fail("vintages", "must be a table of tables")
    sub = _Fields(f"{where}.vintages", vintages, tuple(vintages))
    return Frozen(
        at=at,
        by=f.text("by", ""),
        releases=f.mapping("releases"),
        vintages={sid: sub.mapping(sid) for sid in vintages},
        unavailable=f.strings("unavailable"),
        place=_place(f"{where}.place", raw["place"]) if "place" in raw else None,
        definitions=f.mapping("definitions"),
    )


def _place(where: str, raw: Any) -> Place:
    f = _Fields(where, raw, ("home", "processor", *HOME_SETS))
    home = f.text("home")
    if home not in load_regions().lan_codes:
        raise f.fail("home", "must be a län code such as 23")
    return Place(
        home=home,
        sets=tuple((name, f.strings(name)) for name in HOME_SETS),
        processor=f.text("processor"),
    )


def _from_format_1(raw: dict[str, Any]) -> dict[str, Any]:
    """Format 1 → 2: nothing to rewrite; a format-1 file names no region (None)."""
    return raw


def _from_format_2(raw: dict[str, Any]) -> dict[str, Any]:
    """Format 2 → 3: nothing to rewrite; a freeze without `place` resolves at view time."""
    return raw


def _from_format_3(raw: dict[str, Any]) -> dict[str, Any]:
    """Format 3 → 4: nothing to rewrite; no presenter and no chart notes."""
    return raw


MIGRATIONS = {1: _from_format_1, 2: _from_format_2, 3: _from_format_3}


def migrate(raw: dict[str, Any], name: str) -> dict[str, Any]:
    """The file's table brought to the current FORMAT, one migration step at a time."""
    version = raw.get("format", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise MeetingError(f"{name}: format: must be a whole number >= 1")
    if version > FORMAT:
        raise MeetingError(
            f"{name}: format: written in format {version}, newer than this program reads "
            f"({FORMAT}); update the program"
        )
    while version < FORMAT:
        raw = MIGRATIONS[version](raw)
        version += 1
    return {**raw, "format": FORMAT}


def _checked_head(f: _Fields, name: str) -> None:
    """Region, date (= the file name), kind, times and revision, or a MeetingError."""
    region = f.optional("region")
    if region is not None and region not in load_regions().lan_codes:
        raise f.fail("region", "must be a län code such as 23")
    meeting_date = f.text("date")
    try:
        date.fromisoformat(meeting_date)
    except ValueError:
        raise f.fail("date", "must be YYYY-MM-DD") from None
    if name.endswith(".toml") and Path(name).stem != meeting_date:
        raise f.fail("date", f"{meeting_date} differs from the file name {name}")
    if f.text("kind", "ordinarie") not in KINDS:
        raise f.fail("kind", f"must be one of {', '.join(KINDS)}")
    for key in ("start", "end"):
        value = f.optional(key)
        if value is not None and not _TIME.match(value):
            raise f.fail(key, "must be HH:MM")
    revision = f.table.get("revision", 0)
    if not isinstance(revision, int) or isinstance(revision, bool) or revision < 0:
        raise f.fail("revision", "must be a whole number >= 0")


def _charts(f: _Fields, name: str) -> tuple[ChartSpec, ...]:
    charts = []
    for i, chart in enumerate(f.tables("chart")):
        where = f"{name}: chart[{i}]"
        try:
            charts.append(spec_from_dict(chart, where))
        except StatsError as exc:
            message = str(exc)
            full = message if message.startswith(where) else f"{where}: {message}"
            raise MeetingError(full) from None
    return tuple(charts)


def _highlights(f: _Fields, name: str, region: str | None) -> tuple[Highlight, ...]:
    highlights = []
    for i, item in enumerate(f.tables("highlight")):
        h = _Fields(f"{name}: highlight[{i}]", item, ("text", "claim", "note"))
        claim = _claim(f"{h.where}.claim", item["claim"], region) if "claim" in item else None
        highlights.append(Highlight(text=h.text("text"), claim=claim, note=h.text("note", "")))
    return tuple(highlights)


def parse_meeting(text: str, name: str) -> Meeting:
    """A validated meeting from TOML text; `name` (the file name) prefixes every error."""
    try:
        raw = migrate(tomllib.loads(text), name)
    except tomllib.TOMLDecodeError as exc:
        raise MeetingError(f"{name}: not valid TOML: {exc}") from None
    f = _Fields(name, raw, MEETING_KEYS)
    _checked_head(f, name)
    region = f.optional("region")
    return Meeting(
        date=f.text("date"),
        region=region,
        title=f.text("title"),
        kind=f.text("kind", "ordinarie"),  # type: ignore[arg-type]
        start=f.optional("start"),
        end=f.optional("end"),
        place=f.text("place", ""),
        presenter=f.text("presenter", ""),
        presenter_role=f.text("presenter_role", ""),
        publication=f.text("publication", ""),
        charts=_charts(f, name),
        highlights=_highlights(f, name, region),
        notes=f.text("notes", ""),
        frozen=_frozen(f"{name}: frozen", raw["frozen"]) if "frozen" in raw else None,
        previous_freezes=tuple(
            _frozen(f"{name}: previous_freezes[{i}]", p)
            for i, p in enumerate(f.tables("previous_freezes"))
        ),
        revision=int(raw.get("revision", 0)),
        saved_by=f.text("saved_by", ""),
        saved_at=f.text("saved_at", ""),
    )


def _cleaned(value: Any) -> Any:
    """Every text in a nested table without control characters (stats.text.clean)."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {k: _cleaned(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_cleaned(v) for v in value]
    return value


def _contains_crlf(value: Any) -> bool:
    if isinstance(value, str):
        return "\r\n" in value
    if isinstance(value, dict):
        return any(_contains_crlf(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_contains_crlf(v) for v in value)
    return False


def _key(key: str) -> str:
    return key if _BARE.match(key) else tomli_w.dumps({key: 0}).split(" = ")[0]


def _section(name: str, data: dict[str, Any], multiline: bool, *, array: bool = False) -> str:
    """One table; nested dicts become sub-tables (`[chart.filters]`) so arrays stay `[[…]]`."""
    scalars = {k: v for k, v in data.items() if not isinstance(v, dict)}
    out = (f"[[{name}]]\n" if array else f"[{name}]\n") + tomli_w.dumps(
        scalars, multiline_strings=multiline
    )
    for key, value in data.items():
        if isinstance(value, dict):
            out += "\n" + _section(f"{name}.{_key(key)}", value, multiline)
    return out


def _frozen_dict(frozen: Frozen) -> dict[str, Any]:
    out: dict[str, Any] = {"at": frozen.at, "by": frozen.by}
    if frozen.unavailable:
        out["unavailable"] = list(frozen.unavailable)
    out["releases"] = dict(frozen.releases)
    if frozen.vintages:
        out["vintages"] = {sid: dict(v) for sid, v in frozen.vintages.items()}
    if frozen.place is not None:
        place = frozen.place
        out["place"] = {"home": place.home, "processor": place.processor}
        out["place"] |= {name: list(codes) for name, codes in place.sets}
    if frozen.definitions:
        out["definitions"] = dict(frozen.definitions)
    return out


def _claim_dict(claim: Claim) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in CLAIM_KEYS:
        value = getattr(claim, key)
        if value not in (None, ()):
            out[key] = list(value) if key == "vintages" else value
    if claim.filters:
        out["filters"] = dict(out["filters"])
    return out


def dumps_meeting(meeting: Meeting) -> str:
    """The file text: fields, [frozen], [[previous_freezes]], [[chart]], [[highlight]]."""
    head: dict[str, Any] = {"format": FORMAT, "date": meeting.date}
    if meeting.region:
        head["region"] = meeting.region
    head |= {"title": meeting.title, "kind": meeting.kind}
    for key in ("start", "end", "place", "presenter", "presenter_role", "publication"):
        if getattr(meeting, key):
            head[key] = getattr(meeting, key)
    head["revision"] = meeting.revision
    for key in ("saved_by", "saved_at", "notes"):
        if getattr(meeting, key):
            head[key] = getattr(meeting, key)
    sections: list[tuple[str, dict[str, Any], bool]] = []
    if meeting.frozen is not None:
        sections.append(("frozen", _frozen_dict(meeting.frozen), False))
    sections += [("previous_freezes", _frozen_dict(p), True) for p in meeting.previous_freezes]
    sections += [("chart", spec.to_dict(), True) for spec in meeting.charts]
    for h in meeting.highlights:
        item: dict[str, Any] = {"text": h.text}
        if h.note:
            item["note"] = h.note
        if h.claim is not None:
            item["claim"] = _claim_dict(h.claim)
        sections.append(("highlight", item, True))
    head = _cleaned(head)
    sections = [(name, _cleaned(data), array) for name, data, array in sections]
    multiline = not _contains_crlf([head, *(s[1] for s in sections)])
    parts = [tomli_w.dumps(head, multiline_strings=multiline)]
    parts += [_section(name, data, multiline, array=array) for name, data, array in sections]
    return "\n".join(parts)
