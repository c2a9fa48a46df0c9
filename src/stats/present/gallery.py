"""The chart gallery of "Förbered möte": every indicator × slice × region set with data.

Each entry is a `ChartSpec` with a Swedish title and the words it is found by (title,
definition, measure label, series titles), searched without regard to case or accents:
"konkurs" finds the bankruptcy charts, "lediga" the vacancy charts and "framskrivning" the
projections. What the gallery offers per indicator is declared below as data (`OFFERS`);
which slices exist is read from the indicator's rows in the current scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd

from stats.analysis.indicators import Indicator, load_indicators, run_indicator
from stats.catalog.load import load_catalog
from stats.present.spec import Chart, ChartKind, ChartSpec, draw, slug
from stats.regions import Home, load_regions


@dataclass(frozen=True)
class View:
    """A region set a chart is offered for, e.g. the home län and riket as lines; it is
    offered when a region of `needs` has a value."""

    label: str
    regions: tuple[str, ...]
    kind: ChartKind
    needs: tuple[str, ...]


VIEWS = {
    "hemlan_riket": View("hemlänet och riket", ("hemlan", "riket"), "line", ("hemlan", "riket")),
    "lan": View("alla län, senaste perioden", ("riket", "lan"), "bar", ("lan",)),
    "kommuner": View(
        "hemlänets kommuner, senaste perioden",
        ("hemlan", "hemlan_kommuner"),
        "bar",
        ("hemlan_kommuner",),
    ),
}


@dataclass(frozen=True)
class Offer:
    """What the gallery offers of one indicator.

    `slice` names the columns whose value combinations each get a chart; `labels` names a
    slice value ("nya_platser" → "Nya lediga platser"), else the `label_column` or the value
    itself; `title` is the chart title with `{label}` for the slice; `fixed` filters apply to
    every chart; `words` are extra search words per slice value.
    """

    title: str
    views: tuple[str, ...]
    slice: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    label_column: str = ""
    fixed: tuple[tuple[str, str], ...] = ()
    split: str = "region"
    unit: str | None = None
    decimals: int | None = None
    words: dict[str, str] = field(default_factory=dict)


COUNTS = {
    "nya_platser": "Nya lediga platser",
    "nya_annonser": "Nya annonser i Platsbanken",
    "varsel": "Varsel om uppsägning",
    "konkurser": "Företagskonkurser",
    "anstallda_konkurser": "Anställda berörda av konkurser",
    "konkurser_regionfakta": "Företagskonkurser (Regionfakta)",
}
COUNT_WORDS = {
    "nya_platser": "lediga jobb platsbanken annonser",
    "nya_annonser": "lediga jobb platsbanken",
    "varsel": "uppsägningar",
    "konkurser": "konkurs",
    "anstallda_konkurser": "konkurs anställda",
    "konkurser_regionfakta": "konkurs",
}
RATES = {
    "arbetsloshet": "Arbetslöshet 20–64 år",
    "arbetsloshet_bas": "Arbetslöshet 20–64 år (BAS)",
    "sysselsattningsgrad": "Sysselsättningsgrad 20–64 år",
}
SOURCE_KINDS = {"statistiknyhet": "SCB:s statistiknyheter", "tabell": "SCB:s tabeller"}
OFFERS: dict[str, Offer] = {
    "folkmangd_manad_total": Offer(
        "Folkmängd", ("hemlan_riket", "lan"), words={"": "befolkning invånare"}
    ),
    "manadsforandring": Offer(
        "{label} per månad", ("hemlan_riket", "lan"), ("measure",), COUNTS, words=COUNT_WORDS
    ),
    "jamforelse_per_1000": Offer(
        "{label} per 1 000 invånare",
        ("lan", "kommuner"),
        ("measure",),
        COUNTS,
        words=COUNT_WORDS,
    ),
    "arbetsmarknad_lan": Offer(
        "{label}", ("hemlan_riket", "lan"), ("measure",), RATES, words={"": "arbetslösa"}
    ),
    "brp_lan": Offer(
        "{label}", ("hemlan_riket", "lan"), ("contents",), label_column="contents_label"
    ),
    "prognos_mot_utfall": Offer(
        "Befolkningsframskrivningar mot utfall ({label})",
        ("hemlan_riket", "lan"),
        ("source_kind",),
        SOURCE_KINDS,
        split="vintage",
        unit="personer",
        decimals=0,
        words={"": "prognos årgång befolkning"},
    ),
    "cirkular_andel": Offer(
        "Andel sysselsatta i cirkulär ekonomi", ("hemlan_riket", "lan"), split="set_name"
    ),
    "brp_plus": Offer(
        "BRP+ {label}",
        ("lan",),
        ("del", "tema"),
        label_column="tema_label",
        fixed=(("kon", "TotSa"), ("niva", "lan")),
        unit="index 0–100",
        decimals=2,
        words={"": "livskvalitet hållbarhet index"},
    ),
}


@dataclass(frozen=True)
class Entry:
    """One chart the gallery offers: the spec, a line on what it shows and its search text."""

    spec: ChartSpec
    view: str
    words: str

    def matches(self, query: str) -> bool:
        """Whether every word of the query is in the entry's words (case and accents aside)."""
        return all(term in self.words for term in slug(query).split("-") if term)


def fold(*texts: str) -> str:
    """Search text: lowercase ASCII words, e.g. "Företagskonkurser" → "foretagskonkurser"."""
    return slug(" ".join(texts)).replace("-", " ")


def _series_titles(ind: Indicator, value: str) -> list[str]:
    """Titles of the series a slice reads (only the matching input's, when it has inputs)."""
    series = load_catalog().series
    wanted = [i.series for i in ind.inputs if i.measure == value] or list(ind.series)
    return [series[s].title for s in dict.fromkeys(wanted) if s in series]


def _label(offer: Offer, values: tuple[str, ...], rows: pd.DataFrame) -> str:
    """The slice's label: declared, from the label column, or the value itself."""
    last = values[-1] if values else ""
    if last in offer.labels:
        return offer.labels[last]
    if offer.label_column and not rows.empty:
        return str(rows[offer.label_column].iloc[0])
    return last


def _entries(ind: Indicator, offer: Offer, frame: pd.DataFrame, home: Home) -> list[Entry]:
    """The indicator's entries with data for the home län's region sets."""
    for column, value in offer.fixed:
        frame = frame[frame[column].astype(str) == value]
    frame = frame[frame["value"].notna()]
    groups = frame.groupby(list(offer.slice), sort=True) if offer.slice else [((), frame)]
    regions = load_regions()
    out: list[Entry] = []
    for key, rows in groups:
        values = tuple(str(v) for v in (key if isinstance(key, tuple) else (key,)))
        label = _label(offer, values, rows)
        title = offer.title.format(label=label)
        filters = tuple(sorted((*offer.fixed, *zip(offer.slice, values, strict=True))))
        measure = values[-1] if offer.slice == ("measure",) else None
        extra = offer.words.get(values[-1] if values else "", offer.words.get("", ""))
        for name in offer.views:
            view = VIEWS[name]
            if not rows["region_code"].isin(regions.resolve(list(view.needs), home)).any():
                continue
            spec = ChartSpec(
                ind.id,
                title=title,
                regions=view.regions,
                filters=filters,
                split=offer.split,
                kind=view.kind,
                unit=offer.unit,
                decimals=offer.decimals,
            )
            text = [title, view.label, ind.title, ind.definition_of(measure), extra]
            words = fold(*text, *_series_titles(ind, values[-1] if values else ""))
            out.append(Entry(spec, view.label, words))
    return out


def gallery_entries(frames: dict[str, pd.DataFrame], home: Home) -> list[Entry]:
    """Every offered chart with data in `frames` (indicator id → its rows), in OFFERS order."""
    indicators = load_indicators()
    out: list[Entry] = []
    for ind_id, offer in OFFERS.items():
        frame = frames.get(ind_id)
        if frame is not None and not frame.empty:
            out.extend(_entries(indicators[ind_id], offer, frame, home))
    return out


def read_gallery(scope: duckdb.DuckDBPyConnection, home: Home) -> list[Entry]:
    """The gallery over a scope (the latest releases): each offered indicator read once."""
    frames = {ind_id: run_indicator(scope, ind_id) for ind_id in OFFERS}
    return gallery_entries(frames, home)


def search(entries: list[Entry], query: str) -> list[Entry]:
    """The entries whose words hold every word of `query`; all of them for an empty query."""
    return [e for e in entries if e.matches(query)]


def _held_rows(specs: list[ChartSpec]) -> tuple[str, list[str]]:
    """A where clause matching the rows of any of the specs' filters, and its parameters."""
    if any(not spec.filters for spec in specs):
        return "true", []
    clauses, params = [], []
    for spec in dict.fromkeys(specs):
        clauses.append(" and ".join(f'cast("{c}" as varchar) = ?' for c, _ in spec.filters))
        params += [value for _, value in spec.filters]
    return " or ".join(f"({c})" for c in clauses), params


def hold_indicators(scope: duckdb.DuckDBPyConnection, specs: list[ChartSpec]) -> None:
    """Run each indicator's SQL once into a temporary table of the same name in this scope,
    keeping only the rows the specs' filters select.

    Many charts of one indicator (16 BRP+ themes) then read a few rows instead of running its
    SQL again per chart. The scope then serves only these specs: it is the gallery's own and
    closed after drawing them.
    """
    indicators = load_indicators()
    by_indicator: dict[str, list[ChartSpec]] = {}
    for spec in specs:
        by_indicator.setdefault(spec.indicator, []).append(spec)
    for ind_id, wanted in by_indicator.items():
        if indicators[ind_id].materialize:
            continue
        where, params = _held_rows(wanted)
        scope.execute(
            f"create temp table held_{ind_id} as select * from {ind_id} where {where}", params
        )
        scope.execute(f"drop view {ind_id}")
        scope.execute(f"alter table held_{ind_id} rename to {ind_id}")


def draw_many(scope: duckdb.DuckDBPyConnection, specs: list[ChartSpec], home: Home) -> list[Chart]:
    """Every spec drawn over one scope, each indicator run once (`hold_indicators`)."""
    hold_indicators(scope, specs)
    return [draw(scope, spec, home) for spec in specs]
