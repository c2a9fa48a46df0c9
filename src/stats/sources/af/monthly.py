"""Arbetsförmedlingen's monthly `web-sok-lan-kom-YYYY-MM.xlsx`: inskrivna arbetslösa per kommun.

The file is linked from https://arbetsformedlingen.se/statistik/sok-statistik/tidigare-statistik-tidsserier
with a generated id in the URL, so `fetch` reads that page, takes the newest link whose file
name matches `options.link_pattern` (the helpers of `af_excel`) and downloads it; the xlsx
bytes are the raw response. Each workbook holds the whole history, published around the 23rd
of the following month.

The data sit in a pivot cache (read by `af_pivot`), one record per PERIOD ("YYYY-MM") × LAN ×
KOMMUN_BESKR × background fields (KOEN, UTBILDNING, …) with the count INSAL = inskrivna
arbetslösa (field names from UtvecklaNorrbotten/kompetensarena-norrbotten `R/etl/af_normalize.R`;
VERIFY online). `decode` uses the first cache that has those four fields and sums INSAL over
the background fields, so the series has no dims:

* kommun = the records naming that kommun (name or SCB code, mapped via regions.toml);
* län = its kommuner plus its "Uppgift saknas" rows (the file has no län rows);
* Riket = all län, plus the records whose län is "Uppgift saknas" (if any).

AF masks counts under 5 as "<5". A kommun-month that is one masked record keeps "<5"; a sum
with any masked part is NaN with status "<5-summa" rather than a lower bound, because the SQL
indicators and the charts read a value as exact and show a status only where the value is
missing. An empty INSAL makes its sums NaN with "..". An unknown kommun or län name, or a
kommun filed under another län, raises SchemaChanged naming it, so the store stays as it was.

`decode` has no home län, so for a series declaring `hemlan_kommuner` it keeps the kommuner of
every län (the regions any home could ask for); the home kommuner are among them.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

import pandas as pd

from stats.catalog.load import Part, Series
from stats.errors import CatalogError
from stats.regions import load_regions
from stats.sources.af.links import BASE_URL, SOURCE_TEXT, OptionReader, newest_workbook
from stats.sources.af.pivot import PivotWorkbook, Value, count_status
from stats.sources.af.workbook import region_names
from stats.sources.base import Decoded, FetchedPart, FetchRequest
from stats.sources.http import HttpClient, RateLimit, RawResponse

log = logging.getLogger(__name__)

INDEX_URL = BASE_URL + "/statistik/sok-statistik/tidigare-statistik-tidsserier"
LINK_PATTERN = r"^web-sok-lan-kom-(?P<period>20\d\d-(?:0[1-9]|1[0-2]))\.xlsx$"
OPTION_KEYS = {"link_pattern", "index_url"}
# role → accepted cache field names, in role order: period, län, kommun, count
FIELDS = {
    "period": ("PERIOD",),
    "län": ("LAN", "LAN_BESKR", "LAN_KOD"),
    "kommun": ("KOMMUN_BESKR", "KOMMUN", "KOMMUN_KOD"),
    "INSAL (inskrivna arbetslösa)": ("INSAL",),
}
UNKNOWN_PLACE = {"", "uppgift saknas", "okänd", "okänt", "okänd kommun", "okänt län"}
MASKED_SUM = "<5-summa"
MONTH = re.compile(r"^(\d{4})(?:-|M)?(0[1-9]|1[0-2])(?:-\d{2}(?:[T ].*)?)?$")
CODE_NAME = re.compile(r"^(\d{4})(?:\s+\S.*)?$")
NOTE_VALUES = (
    "Inskrivna arbetslösa (INSAL) vid månadens slut, summerade ur Arbetsförmedlingens "
    "pivotcache. Län = länets kommuner plus personer med okänd kommun (Uppgift saknas); "
    "riket = summan av länen plus personer med okänt län."
)
NOTE_MASKED = (
    "Arbetsförmedlingen visar antal under 5 som <5. En summa som innehåller sådana antal "
    "saknar värde här och har status <5-summa."
)


@dataclass(frozen=True)
class MonthlyOptions:
    """A part's `options`, checked: which link on which index page."""

    link_pattern: re.Pattern[str]
    index_url: str


def parse_options(series: Series, part: Part) -> MonthlyOptions:
    """Validate `options` against the series; CatalogError naming the series and key."""
    opts = OptionReader(series, part, OPTION_KEYS)
    if series.frequency != "month" or series.dims:
        raise CatalogError(
            f"series {series.id!r}: source af_monthly yields frequency 'month' with dims = []"
        )
    return MonthlyOptions(opts.pattern("link_pattern", LINK_PATTERN), opts.index_url(INDEX_URL))


def _text(value: Value) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return " ".join((value or "").split())


class _Places:
    """AF's LAN and KOMMUN_BESKR values → (län code, kommun code); None where unknown."""

    def __init__(self, book: PivotWorkbook) -> None:
        regions = load_regions()
        self.book = book
        self.lan_codes = set(regions.lan_codes)
        self.kommun_lan = {k: lan for lan, ks in regions.kommuner.items() for k in ks}
        self.kommun_names = {regions.name(k).casefold(): k for k in self.kommun_lan}
        self.memo: dict[tuple[Value, Value], tuple[str | None, str | None]] = {}

    def lan(self, value: Value) -> str | None:
        text = _text(value).zfill(2) if isinstance(value, float) else _text(value)
        key = text.casefold()
        code = text if text in self.lan_codes else region_names().get(key)
        if code in self.lan_codes or key in UNKNOWN_PLACE:
            return code
        raise self.book.fail(f"unknown län {text!r} in the pivot cache; expected a län name")

    def kommun(self, value: Value) -> str | None:
        text = _text(value).zfill(4) if isinstance(value, float) else _text(value)
        key = text.casefold().removesuffix(" kommun")
        m = CODE_NAME.match(text)
        code = m.group(1) if m else self.kommun_names.get(key)
        if code in self.kommun_lan or (not m and key in UNKNOWN_PLACE):
            return code
        raise self.book.fail(
            f"unknown kommun {text!r} in the pivot cache; expected a kommun name or SCB code "
            "as in regions.toml, or 'Uppgift saknas'"
        )

    def place(self, lan_value: Value, kommun_value: Value) -> tuple[str | None, str | None]:
        key = (lan_value, kommun_value)
        if key not in self.memo:
            lan, kommun = self.lan(lan_value), self.kommun(kommun_value)
            if kommun is not None and lan not in (None, self.kommun_lan[kommun]):
                raise self.book.fail(
                    f"kommun {_text(kommun_value)!r} ({kommun}) is listed under län "
                    f"{_text(lan_value)!r}; expected län {self.kommun_lan[kommun]}"
                )
            self.memo[key] = (self.kommun_lan[kommun] if kommun else lan, kommun)
        return self.memo[key]


def _month(book: PivotWorkbook, value: Value, memo: dict[Value, str]) -> str:
    if value not in memo:
        m = MONTH.match(_text(value))
        if not m:
            raise book.fail(f"PERIOD {_text(value)!r} in the pivot cache; expected YYYY-MM")
        memo[value] = f"{m.group(1)}M{m.group(2)}"
    return memo[value]


def _result(total: float, parts: float, masked: float, missing: float) -> tuple[float, str | None]:
    """A sum as (value, status): masked parts make it NaN ("<5" alone, else "<5-summa")."""
    if masked:
        return math.nan, "<5" if parts == 1 else MASKED_SUM
    if missing:
        return math.nan, ".."
    return total, None


def sum_insal(book: PivotWorkbook) -> dict[tuple[str, str], list[float]]:
    """(region code, period) → [sum, parts, masked parts, missing parts] for kommun, län, riket."""
    cache, keep = book.find_cache(FIELDS)
    places, months = _Places(book), dict[Value, str]()
    leaves: dict[tuple[str, str | None, str | None], list[float]] = {}
    for period_v, lan_v, kommun_v, insal in book.rows(cache, keep):
        count = count_status(insal)
        if count is None:
            raise book.fail(
                f"INSAL value {insal!r} in {cache.records}; expected a count, '<5' or empty"
            )
        key = (_month(book, period_v, months), *places.place(lan_v, kommun_v))
        acc = leaves.setdefault(key, [0.0, 0, 0, 0])
        acc[1] += 1
        if count[1] is None:
            acc[0] += count[0]
        elif count[1] == "..":
            acc[3] += 1
        else:
            acc[2] += 1
    if not leaves:
        raise book.fail(f"{cache.records} holds no records; expected one per month and kommun")
    riket = load_regions().riket_code
    totals: dict[tuple[str, str], list[float]] = {}
    for (period, lan, kommun), acc in leaves.items():
        for code in (riket, lan, kommun):
            if code is not None:
                into = totals.setdefault((code, period), [0.0, 0, 0, 0])
                for i, v in enumerate(acc):
                    into[i] += v
    return totals


class AfMonthlySource:
    """Fetch and decode the series declared with source `af_monthly`."""

    name = "af_monthly"

    def __init__(self, client: HttpClient | None = None) -> None:
        self.client = client or HttpClient(BASE_URL, rate=RateLimit(1, 1.0), timeout=120.0)

    def fetch(self, request: FetchRequest) -> FetchedPart:
        series, part, home, previous = request.series, request.part, request.home, request.previous
        opts = parse_options(series, part)
        raw = newest_workbook(self.client, opts.index_url, opts.link_pattern, series.id, previous)
        regions = load_regions().resolve(list(series.regions), home)
        return request.fetched(self.name, part.table or "", (raw,), regions)

    def decode(self, series: Series, part: Part, table_id: str, raw: RawResponse) -> Decoded:
        parse_options(series, part)
        file = unquote(urlsplit(raw.url).path.rsplit("/", 1)[-1]) or raw.url
        book = PivotWorkbook(raw.content, file=file, url=raw.url, series=series.id)
        totals = sum_insal(book)
        regions = load_regions()
        wanted = {c for h in regions.lan_codes for c in regions.resolve(list(series.regions), h)}
        rows = [
            (code, period, *_result(*acc))
            for (code, period), acc in sorted(totals.items())
            if code in wanted
        ]
        frame = pd.DataFrame(rows, columns=["region_code", "period", "value", "status"])
        frame = frame.astype({"value": float})
        frame["preliminary"] = False
        masked = int((frame["status"] == MASKED_SUM).sum() + (frame["status"] == "<5").sum())
        labels = {("region", c): regions.name(c) for c in frame["region_code"].unique()}
        labels.update({("period", p): p for p in frame["period"].unique()})
        notes = {NOTE_VALUES: False, **({NOTE_MASKED: True} if masked else {})}
        title, modified = book.properties()
        meta: dict[str, Any] = {
            "label": title or f"Arbetssökande per län och kommun ({file})",
            "source": SOURCE_TEXT,
            "notes": list(notes),
            "note_mandatory": list(notes.values()),
            "units": {"inskrivna_arbetslosa": {"base": "personer", "decimals": 0}},
            "file": file,
            "masked_values": masked,
        }
        return Decoded(frame=frame, labels=labels, meta=meta, updated=modified)
