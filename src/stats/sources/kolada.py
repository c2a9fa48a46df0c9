"""Kolada (RKA) API v3 as a source: yearly KPIs for Riket, län and kommuner.

Data come from the path-style `/data/kpi/{kpis}/municipality/{ids}/year/{years}`, at most 25 ids
per path segment, paged through `next_url`. Kolada ids are SCB codes with län padded: Riket
"0000", Jämtlands län "0023", kommuner their kommunkod. A part names its KPIs in `table`
("N00999,N00926") or gives `discover = { query, title }` to expand a KPI group found through
`/kpi_groups?title=<query>` whose title matches the regex. The KPI metadata (`/kpi/{ids}`) is
fetched too, for the KPI titles. Kolada's own value status (e.g. "Missing") is kept.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Unpack
from urllib.parse import urljoin, urlparse

from stats.catalog.load import Part, Series
from stats.errors import CatalogError, SchemaChanged
from stats.regions import load_regions
from stats.sources.base import Decoded, FetchedPart, FetchRequest
from stats.sources.http import HttpClient, HttpOptions, RateLimit, RawResponse
from stats.sources.kolada_decode import ATTRIBUTION as ATTRIBUTION
from stats.sources.kolada_decode import KPI_ID as KPI_ID
from stats.sources.kolada_decode import SOURCE_TEXT as SOURCE_TEXT
from stats.sources.kolada_decode import decode_data as decode_data
from stats.sources.kolada_decode import decode_groups, decode_kpis
from stats.sources.kolada_decode import scb_code as scb_code

log = logging.getLogger(__name__)

KOLADA_BASE = "https://api.kolada.se/v3"
MAX_IDS = 25  # Kolada rejects more than 25 ids in one path segment
PER_PAGE = "5000"  # the largest page Kolada serves
MAX_PAGES = 1000
# Kolada publishes no rate limit; its clients keep to about five calls a second
PACE = RateLimit(5, 1.0)
# the raw archive keeps a part's responses in a folder named by its table id
TABLE_ID = re.compile(r"[A-Za-z0-9_,.+-]{1,120}")
DIMS = ("kpi", "gender")


def kolada_id(code: str) -> str:
    """Kolada id of an SCB region code: "00" → "0000", "23" → "0023", "2380" → "2380"."""
    if code == "00" or re.fullmatch(r"\d{2}", code):
        return "00" + code
    if re.fullmatch(r"\d{4}", code):
        return code
    raise CatalogError(f"region code {code!r} has no Kolada id; expected 00, a län or a kommun")


def chunked(ids: Sequence[str], size: int = MAX_IDS) -> list[list[str]]:
    """Split ids into lists of at most `size`, keeping their order."""
    return [list(ids[i : i + size]) for i in range(0, len(ids), size)]


def envelope(content: bytes, url: str, series: str = "") -> dict[str, Any]:
    """A Kolada answer `{"values": [...], "count", "next_url"}`, or SchemaChanged."""
    try:
        body = json.loads(content)
    except (ValueError, UnicodeDecodeError) as exc:
        raise SchemaChanged(f"{url} did not return JSON: {exc}", series=series, url=url) from None
    if not isinstance(body, dict) or not isinstance(body.get("values"), list):
        raise SchemaChanged(
            f"{url}: expected an object with a 'values' list", series=series, url=url
        )
    return body


class KoladaClient:
    """Kolada v3: paced calls, retries (HttpClient), 25-id chunks and next_url paging."""

    def __init__(self, base_url: str = KOLADA_BASE, **http: Unpack[HttpOptions]) -> None:
        self.http = HttpClient(base_url, rate=PACE, **http)

    def get_pages(
        self,
        path: str,
        params: dict[str, str] | None = None,
        *,
        series: str = "",
        table: str = "",
        not_found: str = "",
    ) -> list[RawResponse]:
        """GET a path and every page after it through `next_url`, bodies kept whole."""
        host = urlparse(self.http.base_url).netloc
        url, seen, pages = path, set(), []
        for _ in range(MAX_PAGES):
            resp = self.http.request(
                "GET", url, params, series=series, table=table, not_found=not_found
            )
            pages.append(RawResponse.of(resp, "GET"))
            following = envelope(resp.content, resp.url, series).get("next_url")
            if not following:
                return pages
            following = urljoin(resp.url, str(following))
            if urlparse(following).netloc != host or following in seen:
                raise SchemaChanged(
                    f"{resp.url}: next_url {following!r} leaves {host} or repeats a page",
                    series=series,
                    url=resp.url,
                )
            seen.add(following)
            url, params = following, None
        raise SchemaChanged(f"{path}: more than {MAX_PAGES} pages", series=series)

    def fetch_data(
        self,
        kpis: Sequence[str],
        municipalities: Sequence[str],
        years: Sequence[str],
        *,
        series: str = "",
        table: str = "",
    ) -> list[RawResponse]:
        """Every page of `/data/kpi/…/municipality/…/year/…`, ≤25 ids per segment.

        Examples
        --------
        >>> client.fetch_data(["N00999"], ["0000", "0023", "2380"], ["2023", "2024"])
        """
        pages = []
        for k in chunked(kpis):
            for m in chunked(municipalities):
                for y in chunked(years):
                    path = f"/data/kpi/{','.join(k)}/municipality/{','.join(m)}/year/{','.join(y)}"
                    pages += self.get_pages(
                        path,
                        {"per_page": PER_PAGE},
                        series=series,
                        table=table,
                        not_found=(
                            "Kolada has no data path /data/kpi/…/municipality/…/year/…: either "
                            "an id is unknown or v3 wants the query style (/data?kpi_id=…); "
                            "check https://api.kolada.se/v3/openapi.json"
                        ),
                    )
        return pages

    def fetch_kpis(
        self, kpis: Sequence[str], *, series: str = "", table: str = ""
    ) -> list[RawResponse]:
        """The metadata (title, description, ...) of the KPIs, ≤25 ids per call."""
        pages = []
        for chunk in chunked(kpis):
            pages += self.get_pages(
                f"/kpi/{','.join(chunk)}",
                {"per_page": PER_PAGE},
                series=series,
                table=table,
                not_found=f"unknown KPI id among {', '.join(chunk)}",
            )
        return pages

    def fetch_kpi_groups(self, title: str, *, series: str = "") -> list[RawResponse]:
        """KPI groups whose title contains `title`, e.g. ``"agenda"``."""
        return self.get_pages("/kpi_groups", {"title": title, "per_page": PER_PAGE}, series=series)


def member_ids(group: dict[str, Any]) -> list[str]:
    """KPI ids of a group's members (`{"member_id"}`, v2's `{"id"}` or plain strings)."""
    out = []
    for member in group.get("members") or []:
        kpi = member.get("member_id", member.get("id")) if isinstance(member, dict) else member
        if isinstance(kpi, str) and kpi:
            out.append(kpi)
    return out


class KoladaSource:
    """Fetch and decode Kolada KPIs declared in the catalog."""

    name = "kolada"

    def __init__(
        self,
        client: KoladaClient | None = None,
        *,
        this_year: Callable[[], int] = lambda: datetime.now(UTC).year,
    ) -> None:
        self.client = client or KoladaClient()
        self.this_year = this_year

    def discover_group(
        self, series: Series, part: Part
    ) -> tuple[str, list[str], list[RawResponse]]:
        """The one KPI group whose title matches `discover.title`: id, KPI ids, raw pages."""
        assert part.discover is not None
        raws = self.client.fetch_kpi_groups(part.discover.query, series=series.id)
        groups = [
            g
            for raw in raws
            for g in envelope(raw.content, raw.url, series.id)["values"]
            if isinstance(g, dict) and isinstance(g.get("id"), str)
        ]
        pattern = re.compile(part.discover.title)
        found = [g for g in groups if pattern.search(str(g.get("title", "")))]
        if len(found) != 1:
            shown = "; ".join(f"{g['id']}: {g.get('title')}" for g in (found or groups)[:8])
            raise SchemaChanged(
                f"kpi_groups?title={part.discover.query}: title {pattern.pattern!r} matched "
                f"{len(found)} groups, expected exactly one ({shown or 'no groups'})",
                series=series.id,
            )
        kpis = member_ids(found[0])
        if not kpis:
            raise SchemaChanged(f"KPI group {found[0]['id']} has no members", series=series.id)
        return found[0]["id"], kpis, raws

    def years(self, series: Series, part: Part) -> list[str]:
        """`options.from_year` (or periods.from, else 2000) to periods.to or this year."""
        first = part.options.get("from_year", (part.period_from or "2000")[:4])
        last = (part.period_to or str(self.this_year()))[:4]
        try:
            years = [str(y) for y in range(int(first), int(last) + 1)]
        except ValueError:
            years = []
        if not years:
            raise CatalogError(f"series {series.id!r}: no years from {first!r} to {last!r}")
        return years

    def fetch(self, request: FetchRequest) -> FetchedPart:
        series, part, home = request.series, request.part, request.home
        if "kpi" not in series.dims or set(series.dims) - set(DIMS):
            raise CatalogError(f"series {series.id!r}: Kolada dims must be ['kpi'] or {list(DIMS)}")
        group: list[RawResponse] = []
        if part.table is not None:
            table_id, kpis = part.table, [k.strip() for k in part.table.split(",") if k.strip()]
            table_id = str(part.options.get("table_id", table_id))
            if not TABLE_ID.fullmatch(table_id):
                raise CatalogError(
                    f"series {series.id!r}: Kolada table id {table_id[:40]!r}… is no short name "
                    "for the raw archive; give options.table_id, e.g. 'brp_plus_regionindex'"
                )
        else:
            table_id, kpis, group = self.discover_group(series, part)
        bad = [k for k in kpis if not KPI_ID.fullmatch(k)]
        if bad or not kpis:
            raise SchemaChanged(
                f"KPI ids {bad or kpis} are not like 'N00999'", series=series.id, table=table_id
            )
        regions = load_regions().resolve(list(series.regions), home)
        ids = [kolada_id(code) for code in regions]
        years = self.years(series, part)
        data = self.client.fetch_data(kpis, ids, years, series=series.id, table=table_id)
        meta = self.client.fetch_kpis(kpis, series=series.id, table=table_id)
        # metadata last: the store takes the table label from a part's last response
        responses = (*data, *meta, *group)
        return request.fetched(self.name, table_id, responses, regions)

    def decode(self, series: Series, part: Part, table_id: str, raw: RawResponse) -> Decoded:
        body = envelope(raw.content, raw.url, series.id)
        path = urlparse(raw.url).path
        try:
            if "/data/" in path:
                return decode_data(series, table_id, body)
            if "/kpi_groups" in path:
                return decode_groups(series, table_id, body)
            if "/kpi/" in path:
                asked = path.rsplit("/kpi/", 1)[1].split(",")
                return decode_kpis(series, part, table_id, body, asked)
        except SchemaChanged as exc:
            raise SchemaChanged(
                f"{raw.url}: {exc}", series=series.id, table=table_id, url=raw.url
            ) from None
        raise SchemaChanged(f"{raw.url} is no Kolada data or metadata path", series=series.id)
