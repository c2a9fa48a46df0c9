"""What every source adapter provides: fetch raw responses, decode one into long rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd

from stats.catalog import Part, Series
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

    def fetch(
        self,
        series: Series,
        part: Part,
        part_index: int,
        home: str,
        previous: Sequence[RawResponse] = (),
    ) -> FetchedPart:
        """Call the API for one part of a series.

        `previous` holds this part's raw responses in the series' latest release, so a source
        that fetches incrementally (e.g. one request per month) can reuse final periods and
        re-fetch only new and preliminary ones.
        """
        ...

    def decode(self, series: Series, part: Part, table_id: str, raw: RawResponse) -> Decoded:
        """Turn one raw response into long rows; raise a StatsError naming what is wrong."""
        ...
