"""What every source adapter provides: fetch raw responses, decode one into long rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd

from stats.catalog.load import Part, Series
from stats.errors import DecodeError, SourceError
from stats.ingest.jsonstat import Dataset, parse_jsonstat
from stats.sources.http import RawResponse

# columns every decoded frame has, besides one column per `series.dims` entry
BASE_COLUMNS = ("region_code", "period", "value", "status", "preliminary")


@dataclass(frozen=True)
class FetchedPart:
    """Raw responses for one catalog part, from the API or from the snapshot."""

    part: Part
    part_index: int
    source: str
    table_id: str
    responses: tuple[RawResponse, ...]
    expected_regions: tuple[str, ...] = ()


@dataclass(frozen=True)
class FetchRequest:
    """What a source is asked to fetch: one part of a series, for the configured home län.

    `previous` holds this part's raw responses in the series' latest release, so a source that
    fetches incrementally (e.g. one request per month) can reuse final periods and re-fetch
    only new and preliminary ones.
    """

    series: Series
    part: Part
    part_index: int
    home: str
    previous: tuple[RawResponse, ...] = ()

    def fetched(
        self,
        source: str,
        table_id: str,
        responses: Sequence[RawResponse],
        expected_regions: Sequence[str] = (),
    ) -> FetchedPart:
        """The answer to this request."""
        return FetchedPart(
            self.part, self.part_index, source, table_id, tuple(responses), tuple(expected_regions)
        )


@dataclass(frozen=True)
class Decoded:
    """One response as long rows: region_code, period, the series' dims, value, status, preliminary.

    `labels` maps (dimension, code) to a Swedish label, with "region" and "period" as the names
    of the region and time dimensions. `meta` carries what the source says about the table
    (label, source, notes, note_mandatory, units, measuring_type, contact, ...).
    """

    frame: pd.DataFrame
    labels: dict[tuple[str, str], str]
    meta: dict[str, Any]
    updated: str | None
    extra: dict[str, Any] = field(default_factory=dict)


class Source(Protocol):
    """A source adapter; `fetch` does I/O, `decode` is pure."""

    name: str

    def fetch(self, request: FetchRequest) -> FetchedPart:
        """Call the API for one part of a series."""
        ...

    def decode(self, series: Series, part: Part, table_id: str, raw: RawResponse) -> Decoded:
        """Turn one raw response into long rows; raise a StatsError naming what is wrong."""
        ...


class ReplaySource:
    """An adapter with nothing to fetch online: `fetch` replays the part's latest release.

    Subclasses set `name`, `missing` (the SourceError's message when there is no release to
    replay yet) and `decode`.
    """

    name: str
    missing: str

    def replay_table(self, part: Part) -> str:
        """The table id a replayed part is stored under."""
        return part.table or part.source

    def fetch(self, request: FetchRequest) -> FetchedPart:
        if request.previous:
            table_id = self.replay_table(request.part)
            return request.fetched(self.name, table_id, request.previous)
        raise SourceError(self.missing, series=request.series.id)


def parse_jsonstat_response(series: Series, table_id: str, raw: RawResponse) -> Dataset:
    """A JSON-stat2 response body as a Dataset; a body that does not parse is a SourceError."""
    try:
        return parse_jsonstat(raw.content)
    except DecodeError as exc:
        raise SourceError(
            f"table {table_id}: {exc}", series=series.id, table=table_id, url=raw.url
        ) from None
