"""A chart as data: which indicator, slice, regions and periods; its rows and source line.

Meetings store chart specs; the pages, the meeting view and the exports all draw a spec the
same way, over a scope (latest releases, or the releases a frozen meeting pinned). Plotly-free:
the figure is `stats.present.figures.figure`, the table and alt text are in `describe`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import duckdb
import pandas as pd

from stats.analysis.indicators import Indicator, load_indicators, run_indicator
from stats.errors import StatsError
from stats.present.citation import ckm_note, source_caption
from stats.present.marks import marks_note
from stats.regions import Home, home_code, load_regions
from stats.store.read import release_metas

ChartKind = Literal["line", "bar", "table"]
# what an empty chart, table cell or source line says
NO_VALUE = "Data saknas"
KINDS: tuple[ChartKind, ...] = ("line", "bar", "table")
SPEC_KEYS = {"indicator", "title", "regions", "filters", "value", "split", "kind", "period_from",
             "period_to", "unit", "decimals", "notes"}  # fmt: skip
NOTE_KEYS = {"at", "text"}
# a note's date or period: a year "2020", a month "2020-03" or a day "2020-03-15"
NOTE_AT = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
NOTE_MAX = 80


@dataclass(frozen=True)
class ChartNote:
    """An annotation the analyst puts on a chart: "2020-03" "Pandemin" (text, never markup)."""

    at: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"at": self.at, "text": self.text}


def note_from_dict(raw: Any, where: str) -> ChartNote:
    """A validated note; `at` is a year, month or day in ISO form, `text` short plain text."""
    if not isinstance(raw, dict) or set(raw) != NOTE_KEYS:
        raise StatsError(f"{where}: a note is a table with exactly the keys 'at' and 'text'")
    at, text = raw["at"], raw["text"]
    if not isinstance(at, str) or not NOTE_AT.fullmatch(at):
        raise StatsError(f"{where}.at: must be YYYY, YYYY-MM or YYYY-MM-DD")
    if len(at) == 10:
        try:
            date.fromisoformat(at)
        except ValueError:
            raise StatsError(f"{where}.at: {at} is not a calendar date") from None
    if not isinstance(text, str) or not text.strip() or len(text) > NOTE_MAX:
        raise StatsError(f"{where}.text: must be 1–{NOTE_MAX} characters")
    return ChartNote(at=at, text=text.strip())


@dataclass(frozen=True)
class ChartSpec:
    """What one chart shows. `regions` are codes or region sets (hemlan, riket, lan, ...)."""

    indicator: str
    title: str = ""
    regions: tuple[str, ...] = ("hemlan", "riket")
    filters: tuple[tuple[str, str], ...] = ()
    value: str = "value"
    split: str = "region"
    kind: ChartKind = "line"
    period_from: str | None = None
    period_to: str | None = None
    unit: str | None = None
    decimals: int | None = None
    notes: tuple[ChartNote, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain data for a meeting file; defaults are left out."""
        out: dict[str, Any] = {"indicator": self.indicator}
        default = ChartSpec(self.indicator)
        for key in sorted(SPEC_KEYS - {"indicator"}):
            value = getattr(self, key)
            if value != getattr(default, key):
                if key == "filters":
                    out[key] = dict(value)
                elif key == "notes":
                    out[key] = [note.to_dict() for note in value]
                else:
                    out[key] = list(value) if isinstance(value, tuple) else value
        return out


def spec_from_dict(raw: dict[str, Any], where: str = "chart") -> ChartSpec:
    """A validated spec; errors name `where` and the key."""
    extra = set(raw) - SPEC_KEYS
    if extra:
        raise StatsError(f"{where}: unknown keys {sorted(extra)}; expected {sorted(SPEC_KEYS)}")
    indicators = load_indicators()
    ind_id = str(raw.get("indicator", ""))
    if ind_id not in indicators:
        raise StatsError(f"{where}.indicator: unknown indicator {ind_id!r}")
    ind = indicators[ind_id]
    value = str(raw.get("value", "value"))
    if value not in ind.columns:
        raise StatsError(f"{where}.value: {value!r} is not a column of {ind_id}")
    kind = str(raw.get("kind", "line"))
    if kind not in KINDS:
        raise StatsError(f"{where}.kind: must be one of {', '.join(KINDS)}")
    filters = raw.get("filters", {})
    if not isinstance(filters, dict) or not set(filters) <= set(ind.columns):
        raise StatsError(f"{where}.filters: must map columns of {ind_id} to values")
    split = str(raw.get("split", "region"))
    if split != "region" and split not in ind.columns:
        raise StatsError(f"{where}.split: {split!r} is not 'region' or a column of {ind_id}")
    regions = tuple(str(r) for r in raw.get("regions", ("hemlan", "riket")))
    load_regions().check(list(regions))
    decimals = raw.get("decimals")
    notes = raw.get("notes", [])
    if not isinstance(notes, list):
        raise StatsError(f"{where}.notes: must be a list of {{at, text}} tables")
    return ChartSpec(
        indicator=ind_id,
        title=str(raw.get("title", "")),
        regions=regions,
        filters=tuple(sorted((str(k), str(v)) for k, v in filters.items())),
        value=value,
        split=split,
        kind=kind,
        period_from=raw.get("period_from"),
        period_to=raw.get("period_to"),
        unit=raw.get("unit"),
        decimals=None if decimals is None else int(decimals),
        notes=tuple(note_from_dict(n, f"{where}.notes[{i}]") for i, n in enumerate(notes)),
    )


@dataclass
class Chart:
    """A drawn spec: its rows, the releases behind it and everything shown around it."""

    spec: ChartSpec
    indicator: Indicator
    frame: pd.DataFrame
    metas: list[dict[str, Any]] = field(default_factory=list)
    # dates of the dialog's earlier meetings, marked on a time-series chart ("2024-06-17")
    meetings: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return self.spec.title or self.indicator.title

    @property
    def unit(self) -> str:
        return self.spec.unit or self.indicator.unit


def chart_frame(scope: duckdb.DuckDBPyConnection, spec: ChartSpec, home: Home) -> pd.DataFrame:
    """Rows of the spec's slice: series (legend name), region_code, period, value, status, ..."""
    frame = run_indicator(scope, spec.indicator)
    for column, value in spec.filters:
        frame = frame[frame[column].astype(str) == value]
    regions = load_regions()
    codes = regions.resolve(list(spec.regions), home)
    frame = frame[frame["region_code"].isin(codes)]
    if spec.period_from:
        frame = frame[frame["period"] >= spec.period_from]
    if spec.period_to:
        frame = frame[frame["period"].str[: len(spec.period_to)] <= spec.period_to]
    frame = frame.copy()
    frame["value"] = frame[spec.value]
    order = {code: i for i, code in enumerate(codes)}
    frame["_order"] = frame["region_code"].map(order)
    frame = frame.sort_values(["_order", "period"]).drop(columns="_order")
    if spec.split == "region":
        frame["series"] = frame["region_code"].map(regions.name)
    else:
        frame["series"] = (
            frame[spec.split].astype(str) + ", " + frame["region_code"].map(regions.name)
        )
    return frame.reset_index(drop=True)


def shown_rows(frame: pd.DataFrame, bar: bool) -> pd.DataFrame:
    """The rows a figure shows: every row of a line chart, the latest period of a bar chart."""
    if frame.empty or not bar:
        return frame
    latest = max(str(p) for p in frame["period"])
    return frame[frame["period"].astype(str) == latest]


def _with_content(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows that show something: a value or a status symbol ("..") from the publisher."""
    status = frame["status"] if "status" in frame.columns else pd.Series(None, index=frame.index)
    has_symbol = status.notna() & (status.astype(str).str.strip() != "")
    return frame[frame["value"].notna() | has_symbol]


def draw(scope: duckdb.DuckDBPyConnection, spec: ChartSpec, home: Home) -> Chart:
    """Everything needed to show or export a spec; it cites the releases of the rows shown.

    A bar has nothing to draw for a region without a value, so bar charts keep only the rows
    with a value or a status symbol.
    """
    indicator = load_indicators()[spec.indicator]
    frame = chart_frame(scope, spec, home)
    bar = spec.kind == "bar" or (not frame.empty and frame["period"].nunique() == 1)
    if bar:
        frame = _with_content(frame).reset_index(drop=True)
    shown = _with_content(shown_rows(frame, bar))
    # the value's own releases first, then those it was computed with (the population)
    ids = dict.fromkeys(
        int(r)
        for column in indicator.release_columns(spec.value)
        if column in shown.columns
        for r in sorted(shown[column].dropna())
    )
    return Chart(spec, indicator, frame, release_metas(scope, list(ids)))


def caption(chart: Chart, home: Home) -> str:
    """The chart's source line from the releases it shows; "Data saknas." when it shows none."""
    if not chart.metas:
        return f"{NO_VALUE}."
    return source_caption(*chart.metas, home=home)


def rank_note(chart: Chart) -> str | None:
    """Why the län shown have no rank: "Rang saknas (uppgift för 1 av 21 län)."."""
    frame = shown_rows(chart.frame, is_bar(chart))
    if not {"rank", "n_lan"} <= set(frame.columns):
        return None
    lan = load_regions().lan_codes
    unranked = frame[frame["region_code"].isin(lan) & frame["value"].notna() & frame["rank"].isna()]
    if unranked.empty:
        return None
    return f"Rang saknas (uppgift för {int(unranked['n_lan'].min())} av {len(lan)} län)."


def derived_note(chart: Chart) -> str | None:
    """Which values the app summed itself, e.g. "Jämtlands län: summa av åldersgrupperna …"."""
    if "derived" not in chart.frame.columns:
        return None
    rows = chart.frame.dropna(subset=["derived"])
    if rows.empty:
        return None
    names = load_regions().name
    kinds = dict.fromkeys(
        f"{names(str(c))}: {d}" for c, d in zip(rows["region_code"], rows["derived"], strict=True)
    )
    return (
        "Beräknat här, inte SCB:s egen uppgift: " + "; ".join(kinds) + ". SCB skyddar tabellen "
        "med Cell Key Method (CKM), så summan av delarna kan avvika något från SCB:s egen total."
    )


def footnotes(chart: Chart) -> list[str]:
    """The CKM note, self-made sums, missing ranks, preliminary marks and the definition."""
    notes = [n for n in (ckm_note(m) for m in chart.metas) if n]
    notes += [n for n in (derived_note(chart), rank_note(chart)) if n]
    notes = list(dict.fromkeys(notes))
    if "preliminary" in chart.frame.columns and chart.frame["preliminary"].fillna(False).any():
        notes.append("Ofyllda punkter är preliminära och kan revideras.")
    periods = list(chart.frame["period"]) if "period" in chart.frame.columns else []
    marks = marks_note(chart.spec.notes, chart.meetings, periods, bar=is_bar(chart))
    notes += [marks] if marks else []
    measure = dict(chart.spec.filters).get("measure")
    notes.append(f"Definition: {chart.indicator.definition_of(measure)}")
    return notes


def chart_notes(chart: Chart, home: Home) -> list[str]:
    """The source line first, then the footnotes (CKM note, preliminary marks, definition)."""
    return [caption(chart, home), *footnotes(chart)]


def is_bar(chart: Chart) -> bool:
    """Whether the figure shows bars for the latest period (a bar spec, or one period only)."""
    periods = chart.frame["period"].nunique() if not chart.frame.empty else 0
    return chart.spec.kind == "bar" or periods == 1


def slug(text: str) -> str:
    """ASCII file-name part: "Nya lediga platser, Jämtland" → "nya-lediga-platser-jamtland"."""
    text = re.sub("[\u2010-\u2015\u2212]", "-", text)  # dashes and minus keep words apart
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def file_stem(meeting_date: str, chart: Chart, home: Home) -> str:
    """e.g. "2024-06-17_nya-lediga-platser_jamtland"."""
    place = slug(load_regions().name(home_code(home)).replace(" län", "").removesuffix("s"))
    return f"{meeting_date}_{slug(chart.title)}_{place}"
