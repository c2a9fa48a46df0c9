"""JobSearch as a source: the ads and vacancies open right now, one period per fetch day.

JobSearch only sees ads that are published and not yet unpublished, so a past day cannot be
fetched later. Each refresh asks once per geography (`limit=0` plus `region`, `municipality` or
`country`: one request gives both `total.value` and `positions`, which a `stats=region` request
would not) and carries the earlier days' responses forward, so every release holds every day
fetched so far. The period is the Swedish date of the fetch, e.g. "2026-11-27".
"""

from __future__ import annotations

import logging

from stats.catalog.load import Part, Series
from stats.errors import CatalogError, SchemaChanged
from stats.sources.base import Decoded, FetchedPart, FetchRequest
from stats.sources.http import RawResponse
from stats.sources.jobtech.historical import (
    TABLE_ID,
    JobtechSource,
    counts_decoded,
    geo_of_url,
    geos_for,
    local_date,
    measure_dim,
    read_counts,
)

log = logging.getLogger(__name__)

STOCK_NOTE = (
    "Antalet annonser som är publicerade i Platsbanken vid hämtningen, och deras lediga platser. "
    "Perioden är hämtningsdagen (svensk tid). Serien byggs upp av dagliga hämtningar och kan "
    "inte hämtas i efterhand; dagar utan hämtning saknas."
)


class JobtechSearchSource(JobtechSource):
    """The current stock of open ads and vacancies per geography from the JobSearch API."""

    name = "jobtech_search"

    def fetch(self, request: FetchRequest) -> FetchedPart:
        """Today's count per geography, after the earlier days' responses from `previous`."""
        series, part, home, previous = request.series, request.part, request.home, request.previous
        if part.options:
            raise CatalogError(
                f"series {series.id!r}: a jobtech_search part takes no options, got "
                f"{sorted(part.options)}"
            )
        measure_dim(series)
        geos = geos_for(series, home, self.known)
        today = local_date(self.client.now())
        wanted = {(g.param, g.value) for g in geos}
        kept: dict[tuple[str, str, str], RawResponse] = {}
        for raw in sorted(previous, key=lambda r: r.fetched_at):
            try:
                geo, _params = geo_of_url(series.id, raw.url)
            except SchemaChanged:
                log.warning("%s: ignoring unexpected earlier response %s", series.id, raw.url)
                continue
            day = local_date(raw.fetched_at)
            if day != today and (geo.param, geo.value) in wanted:
                kept[(geo.param, geo.value, day.isoformat())] = raw
        log.info("%s: %d requests, %d earlier responses kept", series.id, len(geos), len(kept))
        fresh = [self.client.count(geo.params, series=series.id) for geo in geos]
        regions = tuple(g.code for g in geos)
        responses = (*kept.values(), *fresh)
        return request.fetched(self.name, TABLE_ID, responses, regions)

    def decode(self, series: Series, part: Part, table_id: str, raw: RawResponse) -> Decoded:
        geo, _params = geo_of_url(series.id, raw.url)
        counts = read_counts(series.id, raw)
        meta = self.meta(
            "Publicerade annonser i Platsbanken just nu (JobTech JobSearch, /search)", STOCK_NOTE
        )
        return counts_decoded(series, geo, local_date(raw.fetched_at).isoformat(), counts, meta)
