"""JobTech (Arbetsförmedlingen) ad APIs: a paced /search client and the Historical ads adapter.

Both APIs answer `GET /search?limit=0&<geo filter>` with the envelope
`{"total": {"value": n}, "positions": m, ...}`: n ads and m vacancies (the sum of
`number_of_vacancies`). An unknown geography id is not an error there (HTTP 200, total 0), so
every region code is checked against JobTech's taxonomy before the first request.
The JobSearch adapter (current stock, one period per fetch day) is in `jobtech_search.py`.
"""

from __future__ import annotations

import calendar
import json
import logging
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Unpack
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pandas as pd

from stats.catalog.load import Part, Series
from stats.errors import CatalogError, SchemaChanged
from stats.periods import month_code, month_index
from stats.regions import load_regions
from stats.sources.base import Decoded, FetchedPart, FetchRequest
from stats.sources.http import HttpClient, HttpOptions, RateLimit, RawResponse

log = logging.getLogger(__name__)


def _split(codes: str) -> list[str]:
    return codes.split()


URLS = {
    "jobtech_historical": "https://historical.api.jobtechdev.se",
    "jobtech_search": "https://jobsearch.api.jobtechdev.se",
}
TABLE_ID = "search"
LOCAL_TZ = ZoneInfo("Europe/Stockholm")
MEASURES = {"annonser": "Annonser", "platser": "Lediga platser (antal i annonserna)"}
UNITS = {code: {"base": "antal", "decimals": 0} for code in MEASURES}  # copied into each meta
# Riket = workplace in Sweden: `country` matches workplace_address.country_concept_id, whose value
# for Sverige is in the recorded response (tests/fixtures/jobtech/historical_search_response.json)
SWEDEN_CONCEPT_ID = "i46j_HmG_v64"
# legacy ids (= SCB län and kommun codes) in JobTech's taxonomy: JobtechSwe/elastic-importers
# importers/taxonomy/resources/taxonomy_to_concept.json @ac9e55e (region and municipality;
# "90 Ospecificerad" left out). The API accepts these codes as well as concept ids.
TAXONOMY_LAN = frozenset(_split("01 03 04 05 06 07 08 09 10 12 13 14 17 18 19 20 21 22 23 24 25"))
TAXONOMY_KOMMUNER = frozenset(
    _split("""
    0114 0115 0117 0120 0123 0125 0126 0127 0128 0136 0138 0139 0140 0160 0162 0163 0180 0181
    0182 0183 0184 0186 0187 0188 0191 0192 0305 0319 0330 0331 0360 0380 0381 0382 0428 0461
    0480 0481 0482 0483 0484 0486 0488 0509 0512 0513 0560 0561 0562 0563 0580 0581 0582 0583
    0584 0586 0604 0617 0642 0643 0662 0665 0680 0682 0683 0684 0685 0686 0687 0760 0761 0763
    0764 0765 0767 0780 0781 0821 0834 0840 0860 0861 0862 0880 0881 0882 0883 0884 0885 0980
    1060 1080 1081 1082 1083 1214 1230 1231 1233 1256 1257 1260 1261 1262 1263 1264 1265 1266
    1267 1270 1272 1273 1275 1276 1277 1278 1280 1281 1282 1283 1284 1285 1286 1287 1290 1291
    1292 1293 1315 1380 1381 1382 1383 1384 1401 1402 1407 1415 1419 1421 1427 1430 1435 1438
    1439 1440 1441 1442 1443 1444 1445 1446 1447 1452 1460 1461 1462 1463 1465 1466 1470 1471
    1472 1473 1480 1481 1482 1484 1485 1486 1487 1488 1489 1490 1491 1492 1493 1494 1495 1496
    1497 1498 1499 1715 1730 1737 1760 1761 1762 1763 1764 1765 1766 1780 1781 1782 1783 1784
    1785 1814 1860 1861 1862 1863 1864 1880 1881 1882 1883 1884 1885 1904 1907 1960 1961 1962
    1980 1981 1982 1983 1984 2021 2023 2026 2029 2031 2034 2039 2061 2062 2080 2081 2082 2083
    2084 2085 2101 2104 2121 2132 2161 2180 2181 2182 2183 2184 2260 2262 2280 2281 2282 2283
    2284 2303 2305 2309 2313 2321 2326 2361 2380 2401 2403 2404 2409 2417 2418 2421 2422 2425
    2460 2462 2463 2480 2481 2482 2505 2506 2510 2513 2514 2518 2521 2523 2560 2580 2581 2582
    2583 2584
    """)
)
GEO_PARAMS = ("country", "region", "municipality")
SOURCE_TEXT = "Arbetsförmedlingen (JobTech Dev)"
RIKET_NOTE = (
    f"Riket avser annonser med arbetsplats i Sverige (country={SWEDEN_CONCEPT_ID}), även de utan "
    "angiven kommun eller län, så Riket kan vara större än summan av länen."
)
PLATSBANKEN_NOTE = (
    "Annonser i Platsbanken, inte officiell statistik: Arbetsförmedlingens statistik över nya "
    "lediga jobb räknar inte jobb som varar kortare än 10 dagar, så annonssiffrorna är "
    "normalt högre. Platser = summan av antalet lediga platser som annonserna anger."
)
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
HISTORICAL_FROM = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])-01T00:00:00$")


@dataclass(frozen=True)
class Geo:
    """One geography: its SCB code and the /search filter that selects it."""

    code: str
    param: str
    value: str

    @property
    def params(self) -> dict[str, str]:
        return {self.param: self.value}


def geo_for(series_id: str, code: str, known: frozenset[str]) -> Geo:
    """The /search filter for an SCB region code; SchemaChanged if JobTech does not know it."""
    if code == load_regions().riket_code:
        return Geo(code, "country", SWEDEN_CONCEPT_ID)
    if code in known:
        return Geo(code, "region" if len(code) == 2 else "municipality", code)
    raise SchemaChanged(
        f"region {code!r} is not a län or kommun code in JobTech's taxonomy; the API would "
        "answer 200 with total 0 for it, so no request was sent",
        series=series_id,
    )


def geos_for(series: Series, home: str, known: frozenset[str]) -> tuple[Geo, ...]:
    """The series' regions as /search filters, all checked before any request is made."""
    codes = load_regions().resolve(list(series.regions), home)
    return tuple(geo_for(series.id, code, known) for code in codes)


def geo_of_url(series_id: str, url: str) -> tuple[Geo, dict[str, list[str]]]:
    """The geography a /search URL asked for, and all its query parameters."""
    params = parse_qs(urlsplit(url).query)
    found = [(p, v) for p in GEO_PARAMS for v in params.get(p, [])]
    if len(found) != 1:
        raise SchemaChanged(
            f"{url}: expected exactly one of {', '.join(GEO_PARAMS)} in the query",
            series=series_id,
            url=url,
        )
    param, value = found[0]
    if param == "country":
        ok = value == SWEDEN_CONCEPT_ID
        code = load_regions().riket_code
    else:
        ok = value in (TAXONOMY_LAN if param == "region" else TAXONOMY_KOMMUNER)
        code = value
    if not ok:
        raise SchemaChanged(f"{url}: unknown {param} {value!r}", series=series_id, url=url)
    return Geo(code, param, value), params


def local_date(ts: datetime) -> date:
    """The Swedish calendar date of a timestamp (naive timestamps are taken as UTC)."""
    return (ts if ts.tzinfo else ts.replace(tzinfo=UTC)).astimezone(LOCAL_TZ).date()


def month_bounds(index: int) -> tuple[str, str]:
    """historical-from/-to for a whole month in local time: first 00:00:00 to last 23:59:59."""
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return (f"{year}-{month + 1:02d}-01T00:00:00", f"{year}-{month + 1:02d}-{last:02d}T23:59:59")


def read_counts(series_id: str, raw: RawResponse) -> tuple[float, float]:
    """(ads, vacancies) = (total.value, positions) of a /search envelope, or SchemaChanged."""
    expected = 'the /search envelope {"total": {"value": int}, "positions": int, ...}'
    try:
        body: Any = json.loads(raw.content)
    except ValueError as exc:
        raise SchemaChanged(
            f"{raw.url} did not return JSON ({exc}); expected {expected}",
            series=series_id,
            url=raw.url,
        ) from None
    total = body.get("total") if isinstance(body, dict) else None
    ads = total.get("value") if isinstance(total, dict) else None
    positions = body.get("positions") if isinstance(body, dict) else None
    if positions is None and ads == 0:
        positions = 0  # a sum aggregation over no ads may come back empty
    for name, value in (("total.value", ads), ("positions", positions)):
        if not _is_count(value):
            keys = ", ".join(body) if isinstance(body, dict) else type(body).__name__
            raise SchemaChanged(
                f"{raw.url}: {name} is {value!r}, expected a non-negative integer in {expected} "
                f"(got keys: {keys})",
                series=series_id,
                url=raw.url,
            )
    return float(ads), float(positions)  # type: ignore[arg-type]


def _is_count(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value) and value >= 0 and float(value).is_integer()


def counts_decoded(
    series: Series,
    geo: Geo,
    period: str,
    counts: tuple[float, float],
    meta: dict[str, Any],
    *,
    preliminary: bool = False,
) -> Decoded:
    """Two long rows (annonser, platser) for one geography and period."""
    dim = measure_dim(series)
    frame = pd.DataFrame(
        {
            "region_code": [geo.code, geo.code],
            "period": [period, period],
            dim: list(MEASURES),
            "value": list(counts),
            "status": [None, None],
            "preliminary": [preliminary, preliminary],
        }
    )
    labels = {(dim, code): label for code, label in MEASURES.items()}
    labels[("region", geo.code)] = load_regions().name(geo.code)
    labels[("period", period)] = period
    return Decoded(frame=frame, labels=labels, meta=meta, updated=None)


def measure_dim(series: Series) -> str:
    """The series' one dimension, which holds the measure codes annonser and platser."""
    if len(series.dims) != 1:
        raise CatalogError(
            f"series {series.id!r}: dims must be one dimension for the measures "
            f'{", ".join(MEASURES)} (e.g. dims = ["measure"]), not {list(series.dims)}'
        )
    return series.dims[0]


class JobtechClient:
    """GET /search with limit=0 on one JobTech API, about one request per second."""

    def __init__(
        self,
        base_url: str,
        *,
        rate: RateLimit | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        **http: Unpack[HttpOptions],
    ) -> None:
        http.setdefault("timeout", 60.0)
        self.http = HttpClient(base_url, rate=rate or RateLimit(1, 1.0), **http)
        self.now = now

    def count(self, params: Mapping[str, str], *, series: str) -> RawResponse:
        """One counts-only search; the raw response is stamped with this client's clock."""
        resp = self.http.request("GET", "/search", {"limit": "0", **params}, series=series)
        return RawResponse.of(resp, "GET", at=self.now())


@dataclass(frozen=True)
class HistoricalOptions:
    """`options` of a jobtech_historical part: first month and how many months stay open."""

    first_month: int
    preliminary_months: int

    @classmethod
    def of(cls, series: Series, part: Part) -> HistoricalOptions:
        where = f"series {series.id!r}: parts options"
        unknown = sorted(set(part.options) - {"from", "preliminary_months"})
        if unknown:
            raise CatalogError(f"{where}: unknown {unknown}; expected from, preliminary_months")
        first = part.options.get("from", "2016-01")
        match = MONTH.match(first) if isinstance(first, str) else None
        if match is None:
            raise CatalogError(f'{where}.from: must be a month like "2016-01", not {first!r}')
        months = part.options.get("preliminary_months", 3)
        if isinstance(months, bool) or not isinstance(months, int) or months < 0:
            raise CatalogError(f"{where}.preliminary_months: must be an integer ≥ 0")
        return cls(month_index(int(match[1]), int(match[2])), months)

    def note(self) -> str:
        return (
            f"De senaste {self.preliminary_months} månaderna (räknat från hämtningsdagen) är "
            "preliminära: det historiska annons-API:et innehåller bara annonser som redan har "
            "avpublicerats och fylls på i omgångar, så de senaste månaderna blir högre i "
            "efterhand. De hämtas om vid varje uppdatering tills de är slutliga."
        )


def months_old(period: int, fetched_at: datetime) -> int:
    """Whole months between a period and the (Swedish) month a response was fetched in."""
    day = local_date(fetched_at)
    return month_index(day.year, day.month) - period


class JobtechSource:
    """What both JobTech adapters share: a paced client on the adapter's API, known geographies."""

    name: str

    def __init__(
        self, client: JobtechClient | None = None, known: frozenset[str] | None = None
    ) -> None:
        self.client = client or JobtechClient(URLS[self.name])
        self.known = known if known is not None else TAXONOMY_LAN | TAXONOMY_KOMMUNER

    def meta(self, label: str, note: str) -> dict[str, Any]:
        """A decoded response's meta: `note` first, then the Platsbanken and Riket notes."""
        return {
            "label": label,
            "source": SOURCE_TEXT,
            "notes": [note, PLATSBANKEN_NOTE, RIKET_NOTE],
            "note_mandatory": [True, True, False],
            "units": {k: dict(v) for k, v in UNITS.items()},
            "license": "CC0 1.0 (annonserna)",
            "url": URLS[self.name],
        }


class JobtechHistoricalSource(JobtechSource):
    """New ads and vacancies per publication month and geography from the Historical ads API."""

    name = "jobtech_historical"

    def fetch(self, request: FetchRequest) -> FetchedPart:
        """One request per (geography, month) from `from` on; final months are reused."""
        series, part, home, previous = request.series, request.part, request.home, request.previous
        options = HistoricalOptions.of(series, part)
        measure_dim(series)
        geos = geos_for(series, home, self.known)
        today = local_date(self.client.now())
        current = month_index(today.year, today.month)
        if options.first_month > current:
            raise CatalogError(f"series {series.id!r}: options.from is after the current month")
        final = self._final_responses(series, previous, options.preliminary_months)
        months = range(options.first_month, current + 1)
        todo = sum(1 for g in geos for m in months if (g.param, g.value, m) not in final)
        log.info(
            "%s: %d requests to %s (%d reused), about %d s",
            series.id,
            todo,
            URLS[self.name],
            len(geos) * len(months) - todo,
            todo,
        )
        responses = []
        for geo in geos:
            for month in months:
                old = final.get((geo.param, geo.value, month))
                if old is None:
                    start, end = month_bounds(month)
                    params = {"historical-from": start, "historical-to": end, **geo.params}
                    old = self.client.count(params, series=series.id)
                responses.append(old)
        regions = tuple(g.code for g in geos)
        return request.fetched(self.name, TABLE_ID, tuple(responses), regions)

    def _final_responses(
        self, series: Series, previous: Sequence[RawResponse], preliminary_months: int
    ) -> dict[tuple[str, str, int], RawResponse]:
        """Earlier responses whose month was already final when they were fetched."""
        out: dict[tuple[str, str, int], RawResponse] = {}
        for raw in previous:
            try:
                geo, month = self._key(series, raw)
            except SchemaChanged:
                log.warning("%s: ignoring unexpected earlier response %s", series.id, raw.url)
                continue
            if months_old(month, raw.fetched_at) >= preliminary_months:
                out[(geo.param, geo.value, month)] = raw
        return out

    @staticmethod
    def _key(series: Series, raw: RawResponse) -> tuple[Geo, int]:
        geo, params = geo_of_url(series.id, raw.url)
        match = HISTORICAL_FROM.match(params.get("historical-from", [""])[0])
        if match is None:
            raise SchemaChanged(
                f"{raw.url}: expected historical-from=YYYY-MM-01T00:00:00 in the query",
                series=series.id,
                url=raw.url,
            )
        return geo, month_index(int(match[1]), int(match[2]))

    def decode(self, series: Series, part: Part, table_id: str, raw: RawResponse) -> Decoded:
        options = HistoricalOptions.of(series, part)
        geo, month = self._key(series, raw)
        counts = read_counts(series.id, raw)
        meta = self.meta(
            "Historiska annonser i Platsbanken per publiceringsmånad (JobTech, /search)",
            options.note(),
        )
        preliminary = months_old(month, raw.fetched_at) < options.preliminary_months
        return counts_decoded(series, geo, month_code(month), counts, meta, preliminary=preliminary)
