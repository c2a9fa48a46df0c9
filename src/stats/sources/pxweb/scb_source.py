"""SCB as a source adapter: catalog part → selection → PxWebApi 2 → JSON-stat2 → long rows."""

from __future__ import annotations

import re

from stats.catalog.load import Part, Series
from stats.errors import SchemaChanged
from stats.ingest.jsonstat import Dataset
from stats.regions import load_regions
from stats.sources.base import Decoded, FetchedPart, FetchRequest, parse_jsonstat_response
from stats.sources.http import RawResponse
from stats.sources.pxweb.scb import ScbClient, Selection


def build_selection(series: Series, part: Part, home: str) -> dict[str, Selection]:
    """The catalog query plus the series' regions, as client selections."""
    regions = load_regions().resolve(list(series.regions), home)
    selection = {series.region_dim: Selection(values=regions)}
    for var, q in part.query.items():
        selection[var] = Selection(q.values, q.codelist, q.output_values)
    return selection


class ScbSource:
    """Fetch and decode SCB tables declared in the catalog."""

    name = "scb"

    def __init__(self, client: ScbClient | None = None) -> None:
        self.client = client or ScbClient()

    def discover_table(self, series: Series, part: Part) -> str:
        """Find the one table whose title matches `discover.title` among the search hits."""
        assert part.discover is not None
        hits = self.client.search_tables(part.discover.query, include_discontinued=True)
        pattern = re.compile(part.discover.title)
        found = [t for t in hits if pattern.search(str(t.get("label", "")))]
        if len(found) != 1:
            titles = "; ".join(f"{t.get('id')}: {t.get('label')}" for t in found[:5]) or "none"
            raise SchemaChanged(
                f"discover {part.discover.query!r} / {part.discover.title!r} matched {len(found)} "
                f"tables, expected exactly one ({titles})",
                series=series.id,
            )
        return str(found[0]["id"])

    def fetch(self, request: FetchRequest) -> FetchedPart:
        series, part, home = request.series, request.part, request.home
        table_id = part.table or self.discover_table(series, part)
        selection = build_selection(series, part, home)
        responses = self.client.fetch_data(table_id, selection, series=series.id)
        regions = selection[series.region_dim].values
        return request.fetched(self.name, table_id, tuple(responses), regions)

    def decode(self, series: Series, part: Part, table_id: str, raw: RawResponse) -> Decoded:
        return decode_dataset(series, table_id, parse_jsonstat_response(series, table_id, raw))


def decode_dataset(series: Series, table_id: str, dataset: Dataset) -> Decoded:
    """Check a JSON-stat2 dataset against the series and turn it into long rows."""
    ids = [d.id for d in dataset.dimensions]
    for var in (series.region_dim, series.time_dim, *series.dims):
        if var not in ids:
            raise SchemaChanged(
                f"table {table_id} has no dimension {var!r} (dimensions: {', '.join(ids)})",
                series=series.id,
                table=table_id,
            )
    kept = {series.region_dim, series.time_dim, *series.dims}
    for dim in dataset.dimensions:
        if dim.id not in kept and len(dim.codes) > 1:
            raise SchemaChanged(
                f"table {table_id} returns {len(dim.codes)} values of {dim.id!r}, which the "
                "catalog does not keep in `dims`; select one value or add it to `dims`",
                series=series.id,
                table=table_id,
            )
    frame = dataset.to_frame()
    frame = frame.rename(columns={series.region_dim: "region_code", series.time_dim: "period"})
    frame["preliminary"] = False
    columns = ["region_code", "period", *series.dims, "value", "status", "preliminary"]
    names = {series.region_dim: "region", series.time_dim: "period"}
    labels = {
        (names.get(dim.id, dim.id), code): label
        for dim in dataset.dimensions
        for code, label in zip(dim.codes, dim.labels, strict=True)
    }
    meta = {
        "label": dataset.label,
        "source": dataset.source,
        "notes": list(dataset.notes),
        "note_mandatory": list(dataset.note_mandatory),
        "units": {k: {"base": u.base, "decimals": u.decimals} for k, u in dataset.units.items()},
        "measuring_type": dict(dataset.measuring_type),
        "contact": [dict(c) for c in dataset.contact],
        "official_statistics": dataset.px.get("official-statistics"),
        "next_update": dataset.px.get("nextUpdate"),
        "update_frequency": dataset.px.get("updateFrequency"),
    }
    return Decoded(frame=frame[columns], labels=labels, meta=meta, updated=dataset.updated)
