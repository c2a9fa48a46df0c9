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
import math
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Unpack
from urllib.parse import urljoin, urlparse

import pandas as pd

from stats.catalog.load import Part, Series
from stats.errors import CatalogError, SchemaChanged
from stats.regions import load_regions
from stats.sources.base import Decoded, FetchedPart, FetchRequest
from stats.sources.http import HttpClient, HttpOptions, RateLimit, RawResponse

log = logging.getLogger(__name__)

KOLADA_BASE = "https://api.kolada.se/v3"
MAX_IDS = 25  # Kolada rejects more than 25 ids in one path segment
PER_PAGE = "5000"  # the largest page Kolada serves
MAX_PAGES = 1000
# Kolada publishes no rate limit; its clients keep to about five calls a second
PACE = RateLimit(5, 1.0)
SOURCE_TEXT = "Kolada (RKA)"
LICENSE = "CC BY 4.0"
ATTRIBUTION = "Källa: Kolada (RKA), CC BY 4.0"
GENDERS = {"T": "Totalt", "K": "Kvinnor", "M": "Män"}
KPI_ID = re.compile(r"[A-Z]\d{5}")
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


def scb_code(kolada: str) -> str:
    """SCB region code of a Kolada id: "0000" → "00", "0023" → "23", "2380" → "2380"."""
    if not re.fullmatch(r"\d{4}", kolada):
        raise SchemaChanged(f"municipality id {kolada!r} is not a Kolada region id (4 digits)")
    # no kommunkod starts with 00, so "00" + two digits is always Riket or a län
    return kolada[2:] if kolada.startswith("00") else kolada


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


def _frame(rows: list[dict[str, Any]], dims: Sequence[str]) -> pd.DataFrame:
    columns = ["region_code", "period", *dims, "value", "status", "preliminary"]
    frame = pd.DataFrame(rows, columns=columns).astype({"value": "float64", "preliminary": "bool"})
    # pandas turns None into NaN when it builds the frame; a missing status stays None
    frame["status"] = frame["status"].astype(object).where(frame["status"].notna(), None)
    return frame


def _meta(label: str, units: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "label": label,
        "source": SOURCE_TEXT,
        "license": LICENSE,
        "attribution": ATTRIBUTION,
        "notes": [],
        "note_mandatory": [],
        "units": units or {},
    }


def _number(raw: Any, where: str) -> float:
    if raw is None:
        return math.nan
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return float(raw)
    raise SchemaChanged(f"{where}: value {raw!r} is not a number or null")


def decode_data(series: Series, table_id: str, body: dict[str, Any]) -> Decoded:
    """Data rows `{"kpi", "municipality", "period", "values": [{gender, value, status}]}`."""
    rows: list[dict[str, Any]] = []
    for item in body["values"]:
        if not isinstance(item, dict) or not isinstance(item.get("values"), list):
            raise SchemaChanged(f"data row {item!r:.80} has no 'values' list")
        kpi, period = str(item.get("kpi", "")), str(item.get("period", ""))
        where = f"{kpi} {item.get('municipality')} {period}"
        if not KPI_ID.fullmatch(kpi) or not re.fullmatch(r"\d{4}", period):
            raise SchemaChanged(f"data row {where}: expected a KPI id and a four-digit year")
        region = scb_code(str(item.get("municipality", "")))
        for cell in item["values"]:
            gender = cell.get("gender") if isinstance(cell, dict) else None
            if gender not in GENDERS:
                raise SchemaChanged(f"data row {where}: gender {gender!r}, expected T, K or M")
            assert isinstance(cell, dict)
            if cell.get("isdeleted") or ("gender" not in series.dims and gender != "T"):
                continue
            rows.append(
                {
                    "region_code": region,
                    "period": period,
                    "kpi": kpi,
                    "gender": gender,
                    "value": _number(cell.get("value"), where),
                    "status": str(cell["status"]) if cell.get("status") else None,
                    "preliminary": False,
                }
            )
    frame = _frame(rows, series.dims)
    regions = load_regions()
    labels = {("region", c): regions.name(c) for c in frame["region_code"].unique()}
    if "gender" in series.dims:
        labels.update({("gender", g): GENDERS[g] for g in frame["gender"].unique()})
    return Decoded(frame=frame, labels=labels, meta=_meta(f"Kolada {table_id}"), updated=None)


def _unit(title: str, fallback: str) -> str:
    """Kolada puts the unit after the last comma of a KPI title ("…, andel (%)")."""
    head, sep, tail = title.rpartition(",")
    return tail.strip() if sep and head and tail.strip() else fallback


def check_kpis(part: Part, body: dict[str, Any], asked: Sequence[str]) -> None:
    """Every KPI asked for is in the metadata, titled as `options.expect_title` says.

    Ids declared offline (e.g. BRP+'s index KPIs, marked "verify online") thus fail with a
    message naming the KPI when the live catalogue disagrees, instead of loading nothing.
    """
    titles = {str(k.get("id")): str(k.get("title") or "") for k in body["values"]}
    missing = [k for k in asked if k and k not in titles]
    if missing:
        raise SchemaChanged(f"Kolada has no KPI {', '.join(missing)} (verify the ids online)")
    expected = part.options.get("expect_title")
    if expected is None:
        return
    for kpi_id, title in titles.items():
        if not re.search(str(expected), title):
            raise SchemaChanged(
                f"KPI {kpi_id} is titled {title!r}; the catalog expects a title matching "
                f"{expected!r} (verify online)"
            )


def decode_kpis(
    series: Series, part: Part, table_id: str, body: dict[str, Any], asked: Sequence[str] = ()
) -> Decoded:
    """KPI metadata `{"id", "title", "publication_date", ...}`: labels, units, updated."""
    decimals = int(part.options.get("decimals", 1))
    labels: dict[tuple[str, str], str] = {}
    units: dict[str, Any] = {}
    published = []
    for kpi in body["values"]:
        if not isinstance(kpi, dict) or not isinstance(kpi.get("id"), str):
            raise SchemaChanged(f"KPI entry {kpi!r:.80} has no 'id'")
        title = str(kpi.get("title") or kpi["id"])
        labels[("kpi", kpi["id"])] = title
        units[kpi["id"]] = {"base": _unit(title, series.unit), "decimals": decimals}
        if isinstance(kpi.get("publication_date"), str):
            published.append(kpi["publication_date"])
    check_kpis(part, body, asked)
    ids = ", ".join(k for _d, k in labels)
    meta = _meta(str(part.options.get("label") or f"Kolada (RKA): nyckeltal {ids}"), units)
    if part.options.get("publisher"):  # an index Kolada passes on (BRP+): "… via Kolada (RKA)"
        meta |= {"source": str(part.options["publisher"]), "via": SOURCE_TEXT}
    return Decoded(_frame([], series.dims), labels, meta, max(published, default=None))


def decode_groups(series: Series, table_id: str, body: dict[str, Any]) -> Decoded:
    """The KPI group listing: the group with id `table_id` gives the table label."""
    groups = [g for g in body["values"] if isinstance(g, dict) and g.get("id") == table_id]
    label = str(groups[0].get("title") or table_id) if groups else f"Kolada {table_id}"
    return Decoded(_frame([], series.dims), {}, _meta(label), None)
