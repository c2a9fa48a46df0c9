"""Tillväxtanalys (PxWeb v1) as a source adapter: find the table by title, select by label.

The table file name changes every few months, so a part gives `discover = { query = <folder>,
title = <regex> }` and the adapter picks the one table in the folder whose text matches. Region
values are running numbers whose text starts with the real code ("23 Jämtlands län"), so regions
are mapped by the first token of the text, never by the value code; other variables are selected
by their value texts, and their labels become the codes that the part's `recode` shortens.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import pandas as pd

from stats.catalog.load import Part, Series
from stats.errors import SchemaChanged
from stats.ingest.jsonstat import Dataset, Dimension
from stats.regions import load_regions
from stats.sources.base import Decoded, FetchedPart, FetchRequest, parse_jsonstat_response
from stats.sources.http import RawResponse
from stats.sources.pxweb.selection import expand_values
from stats.sources.pxweb.v1 import PxWebV1Client, V1Table, V1Variable

API_ROOT = "https://statistik.tillvaxtanalys.se/PxWeb/api/v1/sv"
DATABASE = "Tillväxtanalys statistikdatabas"
PUBLISHER = "Tillväxtanalys"
# Riket has no code in the text; these are the texts PxWeb databases use for it
RIKET_TEXT = re.compile(r"(?i)^(00\b.*|riket|hela riket|sverige|hela sverige|hela landet)$")
PERIOD_PATTERNS = {
    "month": re.compile(r"\d{4}M(0[1-9]|1[0-2])"),
    "quarter": re.compile(r"\d{4}K[1-4]"),
    "year": re.compile(r"\d{4}"),
}


def region_code_of(text: str, known: Collection[str], riket: str = "00") -> str | None:
    """SCB code of a region value text by its first token ("23 Jämtlands län" → "23").

    Riket is recognised by its text ("Riket", "Sverige", "00 Riket", ...); a text whose first
    token is not a known region code gives None.

    Examples
    --------
    >>> region_code_of("2380 Östersund", {"2380"})
    '2380'
    """
    text = text.strip()
    if RIKET_TEXT.match(text):
        return riket
    token = text.split(maxsplit=1)[0] if text else ""
    return token if token in known else None


def region_name_of(text: str, code: str) -> str:
    """The name part of a region text: "23 Jämtlands län" → "Jämtlands län"."""
    first, _, rest = text.strip().partition(" ")
    return rest.strip() if first == code and rest.strip() else text.strip()


def _sample(texts: Sequence[str], n: int = 5) -> str:
    shown = ", ".join(repr(t) for t in texts[:n])
    return shown + (f", … ({len(texts)} in all)" if len(texts) > n else "")


def select_regions(var: V1Variable, wanted: Sequence[str]) -> list[str]:
    """Value codes of the wanted SCB region codes, found through the value texts."""
    known = load_regions().names
    by_code: dict[str, str] = {}
    for value, text in zip(var.values, var.value_texts, strict=True):
        code = region_code_of(text, known)
        if code is None:
            continue
        if code in by_code:
            raise SchemaChanged(
                f"variable {var.code!r}: two values have region {code} in their text; "
                "expected one value per region"
            )
        by_code[code] = value
    missing = [code for code in wanted if code not in by_code]
    if missing:
        raise SchemaChanged(
            f"variable {var.code!r}: no value text for region(s) {', '.join(missing)}; expected "
            f"texts like '23 Jämtlands län' or 'Riket' (texts: {_sample(var.value_texts)})"
        )
    return [by_code[code] for code in wanted]


def select_by_label(var: V1Variable, values: Sequence[str]) -> list[str]:
    """Value codes whose texts match `values` (texts, wildcards or expressions), table order."""
    texts = list(var.value_texts)
    if len(set(texts)) != len(texts):
        raise SchemaChanged(f"variable {var.code!r}: value texts repeat; cannot select by text")
    try:
        chosen = expand_values(values, texts, is_time=var.time)
    except SchemaChanged:
        raise SchemaChanged(
            f"variable {var.code!r}: {list(values)} do not all match a value text "
            f"(texts: {_sample(texts)})"
        ) from None
    if not chosen:
        raise SchemaChanged(f"variable {var.code!r}: {list(values)} match no value text")
    index = {text: i for i, text in enumerate(texts)}
    return [var.values[index[text]] for text in chosen]


def build_selection(
    series: Series, part: Part, home: str, table: V1Table
) -> tuple[dict[str, list[str]], tuple[str, ...]]:
    """The v1 selection in table order, and the SCB region codes it asks for."""
    wanted = load_regions().resolve(list(series.regions), home)
    codes = {v.code for v in table.variables}
    for name in (series.region_dim, *part.query):
        if name not in codes:
            table.variable(name)  # raises, naming the variables the table has
    selection: dict[str, list[str]] = {}
    for var in table.variables:
        if var.code == series.region_dim:
            selection[var.code] = select_regions(var, wanted)
        elif var.code in part.query:
            selection[var.code] = select_by_label(var, part.query[var.code].values)
        elif not var.elimination:
            raise SchemaChanged(
                f"mandatory variable {var.code!r} ({var.text}) is not in the catalog query"
                f" — has the table changed? (variables: {', '.join(sorted(codes))})"
            )
    return selection, wanted


def _named(exc: SchemaChanged, series: Series, table_id: str) -> SchemaChanged:
    if exc.series:
        return exc
    return SchemaChanged(f"table {table_id}: {exc}", series=series.id, table=table_id, url=exc.url)


class TillvaxtanalysSource:
    """Fetch and decode Tillväxtanalys tables declared in the catalog."""

    name = "tillvaxtanalys"

    def __init__(self, client: PxWebV1Client | None = None) -> None:
        self.client = client or PxWebV1Client(API_ROOT, DATABASE)

    def locate_table(self, series: Series, part: Part) -> tuple[str, str]:
        """(folder, table file): `table = "<folder>/<file>.px"`, or the one title match."""
        if part.table is not None:
            folder, _, table_id = part.table.rpartition("/")
            return folder, table_id
        assert part.discover is not None
        folder, pattern = part.discover.query, re.compile(part.discover.title)
        tables = [i for i in self.client.list_folder(folder, series=series.id) if i.type == "t"]
        found = [t for t in tables if pattern.search(t.text)]
        if len(found) != 1:
            shown = "; ".join(f"{t.id}: {t.text}" for t in (found or tables)[:8]) or "none"
            what = "matches" if found else "tables in the folder"
            raise SchemaChanged(
                f"folder {folder!r}: title {pattern.pattern!r} matched {len(found)} tables, "
                f"expected exactly one ({what}: {shown})",
                series=series.id,
            )
        return folder, found[0].id

    def fetch(self, request: FetchRequest) -> FetchedPart:
        series, part, home = request.series, request.part, request.home
        folder, table_id = self.locate_table(series, part)
        try:
            table = self.client.get_table(folder, table_id, series=series.id)
            selection, wanted = build_selection(series, part, home, table)
        except SchemaChanged as exc:
            raise _named(exc, series, table_id) from None
        responses = self.client.fetch_data(folder, table_id, selection, series=series.id)
        return request.fetched(self.name, table_id, tuple(responses), wanted)

    def decode(self, series: Series, part: Part, table_id: str, raw: RawResponse) -> Decoded:
        dataset = parse_jsonstat_response(series, table_id, raw)
        try:
            return decode_dataset(series, part, table_id, dataset)
        except SchemaChanged as exc:
            raise _named(exc, series, table_id) from None


def _periods(dim_codes: Sequence[str], dim_labels: Sequence[str], frequency: str) -> dict[str, str]:
    """Period per time code: the text when it is a period ("2026M01"), else the code."""
    pattern = PERIOD_PATTERNS[frequency]
    out = {}
    for code, label in zip(dim_codes, dim_labels, strict=True):
        if pattern.fullmatch(label.strip()):
            out[code] = label.strip()
        elif pattern.fullmatch(code):
            out[code] = code
        else:
            raise SchemaChanged(
                f"time value {code!r} ({label!r}) is not a {frequency} period like "
                f"{pattern.pattern!r}"
            )
    return out


def decode_dataset(series: Series, part: Part, table_id: str, dataset: Dataset) -> Decoded:
    """Check a json-stat2 dataset against the series and turn it into long rows (pure)."""
    _check_dimensions(series, dataset)
    frame = dataset.to_frame()
    labels: dict[tuple[str, str], str] = {}
    region_of = _region_codes(dataset.dimension(series.region_dim), labels)
    time_dim = dataset.dimension(series.time_dim)
    period_of = _periods(time_dim.codes, time_dim.labels, series.frequency)
    labels.update({("period", p): p for p in period_of.values()})
    out = pd.DataFrame(
        {
            "region_code": frame[series.region_dim].astype(str).map(region_of),
            "period": frame[series.time_dim].astype(str).map(period_of),
        }
    )
    recoded: dict[str, str] = {}
    for var in series.dims:
        # the text, not the running-number code, is the stable key; recode shortens it
        out[var] = frame[f"{var}_label"].astype(str)
        recoded |= _recode_texts(dataset.dimension(var), part.recode.get(var), labels)
    out["value"] = frame["value"]
    out["status"] = frame["status"]
    out["preliminary"] = bool(part.options.get("preliminary", False))
    columns = ["region_code", "period", *series.dims, "value", "status", "preliminary"]
    meta = _meta(series, table_id, dataset, recoded)
    return Decoded(frame=out[columns], labels=labels, meta=meta, updated=dataset.updated)


def _check_dimensions(series: Series, dataset: Dataset) -> None:
    """Every declared dimension is there, and any other one has a single value."""
    ids = [d.id for d in dataset.dimensions]
    for var in (series.region_dim, series.time_dim, *series.dims):
        if var not in ids:
            raise SchemaChanged(f"no dimension {var!r} in the response (dimensions: {ids})")
    kept = {series.region_dim, series.time_dim, *series.dims}
    for dim in dataset.dimensions:
        if dim.id not in kept and len(dim.codes) > 1:
            raise SchemaChanged(
                f"the response has {len(dim.codes)} values of {dim.id!r}, which the catalog does "
                "not keep in `dims`; select one value or add it to `dims`"
            )


def _region_codes(dim: Dimension, labels: dict[tuple[str, str], str]) -> dict[str, str]:
    """Region value code → SCB region code, found through the value text; labels added."""
    known = load_regions().names
    region_of: dict[str, str] = {}
    for code, text in zip(dim.codes, dim.labels, strict=True):
        region = region_code_of(text, known)
        if region is None:
            raise SchemaChanged(f"region value {code!r} has text {text!r}: no known region code")
        region_of[code] = region
        labels[("region", region)] = region_name_of(text, region)
    return region_of


def _recode_texts(
    dim: Dimension, mapping: Mapping[str, str] | None, labels: dict[tuple[str, str], str]
) -> dict[str, str]:
    """Value code → the catalog's `recode` of its text (the text itself without one)."""
    unknown = [t for t in dim.labels if mapping is not None and t not in mapping]
    if unknown:
        raise SchemaChanged(
            f"variable {dim.id!r} has value text(s) {_sample(unknown)} that recode.{dim.id} in "
            "the catalog does not map; add them or narrow the query"
        )
    labels.update({(dim.id, t): t for t in dim.labels})
    return {
        code: mapping.get(text, text) if mapping else text
        for code, text in zip(dim.codes, dim.labels, strict=True)
    }


def _meta(
    series: Series, table_id: str, dataset: Dataset, recoded: Mapping[str, str]
) -> dict[str, Any]:
    """The release metadata: label, source, notes, units and measuring types by recoded value."""
    units: dict[str, Any] = {
        recoded.get(code, code): {"base": u.base, "decimals": u.decimals}
        for code, u in dataset.units.items()
    } or {"value": {"base": series.unit, "decimals": 0}}
    return {
        "label": dataset.label or table_id,
        "source": dataset.source or PUBLISHER,
        "notes": list(dataset.notes),
        "note_mandatory": list(dataset.note_mandatory),
        "units": units,
        "measuring_type": {recoded.get(c, c): k for c, k in dataset.measuring_type.items()},
        "table_file": table_id,
    }
