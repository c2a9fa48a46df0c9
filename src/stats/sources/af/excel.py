"""Arbetsförmedlingen's varsel Excel files: find the newest on the index page, download, parse.

AF has no statistics API for varsel (redundancy notices). Its files are linked from
https://arbetsformedlingen.se/statistik/sok-statistik/tidigare-statistik as
`/download/18.<id>/<epoch>/<name>.xlsx` (older files `.xls`), and the id changes with every
upload. So `fetch` reads the index page, picks the link whose file name matches the part's
`options.link_pattern` (the newest `(?P<period>YYYY-MM)` when the pattern has that group, else
exactly one link) and downloads it. The downloaded workbook is the raw response; `decode`
reads it (`af.workbook`: openpyxl for xlsx, xlrd for old BIFF `.xls`).

Three layouts, chosen by `options.layout`:

* `bransch_riket_manad`: Riket by SNI section for one month, read from a real AF file
  (`varsel-riket-2020-01.xls`); see `af.bransch`. Two dims: SNI code and `uppgift` (varsel or
  berörda, uppsägning / därav nedläggning / permittering). Its Summa row is checked.

The other two come from public R scripts that read the live files (not from a file we hold),
so both are assumptions to VERIFY online:

* `manad_per_lan`: the file whose URL contains "varsel" and "lan" but not "bransch". One sheet
  named "Månad …" (e.g. "Månad 1992-01--2022-09"): a title block, then a header row with an
  empty first cell and one column per län plus "Riket"; then one row per month, "YYYY-MM" in
  the first column (Region Dalarna, `diag_varsel_per_manad` and the läget-i-Dalarna script).
  Rows become periods "YYYYMmm" with no further dimension.
* `bransch_per_lan_ar`: the file whose URL contains "varsel", "lan" and "bransch". One sheet per
  complete year, named by the year; a title block, then a header row; rows are SNI branscher
  (code, name), one column per län; a code-less "uppgift saknas" row and a "Summa" row at the
  end (Region-Dalarna/hamta_data `hamta_varsel_bransch_lan_af.R` @3573616). It holds yearly
  totals, not months: periods are "YYYY", the single dimension is the SNI code, the Summa row
  becomes code "TOT" and the code-less row "US".

The header row is found by content (the first row naming at least 15 län, short "Jämtland" or
full "Jämtlands län"), not by row number; every län must be present, and Riket too when the
series asks for it. Masked counts "<5" become NaN with status "<5", an empty cell NaN with
"..", "-"/"–" keep their symbol. Any other deviation (sheet renamed, header or län missing,
text where a count belongs, not an xlsx) raises an error naming the file, the sheet and what
was expected, so the store is left as it was. `updated` is the workbook's own modified time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd

from stats.catalog.load import Part, Series
from stats.regions import load_regions
from stats.sources.af.bransch import NOTE as NOTE_BRANSCH_RIKET
from stats.sources.af.bransch import rows_bransch_riket_manad
from stats.sources.af.links import (
    BASE_URL,
    SOURCE_TEXT,
    OptionReader,
    newest_workbook,
)
from stats.sources.af.workbook import TOTAL_ROW, Workbook, region_names, text_of
from stats.sources.base import Decoded, FetchedPart, FetchRequest
from stats.sources.http import HttpClient, RateLimit, RawResponse

__all__ = ["INDEX_URL", "AfExcelSource", "parse_options", "region_names"]

INDEX_URL = BASE_URL + "/statistik/sok-statistik/tidigare-statistik"
# layout -> (series frequency it yields, default sheet-name regex, number of dims)
LAYOUTS = {
    "manad_per_lan": ("month", r"^Månad", 0),
    "bransch_per_lan_ar": ("year", r"^\d{4}$", 1),
    "bransch_riket_manad": ("month", r"^M[aå]nad", 2),
}
SINGLE_SHEET = {"manad_per_lan", "bransch_riket_manad"}
UNITS = {"bransch_riket_manad": "antal"}  # varsel and berörda personer side by side
OPTION_KEYS = {"layout", "link_pattern", "index_url", "sheet"}
MONTH = re.compile(r"^(\d{4})(?:-|M)(0[1-9]|1[0-2])(?:-\d{2})?$")
TOTAL_SNI, UNKNOWN_SNI = "TOT", "US"
NOTE_VALUES = "Antal personer berörda av varsel om uppsägning."
NOTE_MASKED = "Arbetsförmedlingen visar antal under 5 som <5; de saknar värde här."
NOTE_YEARLY = (
    "Helårssummor per bransch (SNI 2007) och län; filen innehåller bara fullständiga år. "
    "TOT = Summa över alla branscher, US = uppgift om bransch saknas."
)


@dataclass(frozen=True)
class AfOptions:
    """A part's `options`, checked: which links to pick and how to read the workbook."""

    layout: str
    link_pattern: re.Pattern[str]
    index_url: str
    sheet: re.Pattern[str]


def parse_options(series: Series, part: Part) -> AfOptions:
    """Validate `options` against the series; CatalogError naming the series and key."""
    opts = OptionReader(series, part, OPTION_KEYS)
    layout = opts.options.get("layout")
    if layout not in LAYOUTS:
        raise opts.fail("layout", f"must be one of {', '.join(LAYOUTS)}, got {layout!r}")
    frequency, default_sheet, n_dims = LAYOUTS[layout]
    if series.frequency != frequency or len(series.dims) != n_dims:
        raise opts.fail("layout", f"{layout} yields frequency {frequency!r} with {n_dims} dims")
    if layout == "bransch_riket_manad" and list(series.regions) != ["riket"]:
        raise opts.fail("layout", f"{layout} holds Riket only; expected regions = ['riket']")
    return AfOptions(
        layout,
        opts.pattern("link_pattern", None),
        opts.index_url(INDEX_URL),
        opts.pattern("sheet", default_sheet),
    )


def _month(value: Any) -> str | None:
    if isinstance(value, datetime | date):
        return f"{value.year}M{value.month:02d}"
    m = MONTH.match(text_of(value))
    return f"{m.group(1)}M{m.group(2)}" if m else None


def _rows_manad_per_lan(book: Workbook, sheet: str, want_riket: bool) -> list[tuple[Any, ...]]:
    start, cols = book.header(sheet, want_riket)
    # rows that are not months but carry numbers may only be year or total subtotals
    subtotal = re.compile(rf"^\d{{4}}$|{'|'.join(TOTAL_ROW)}")
    period_col = min(cols) - 1
    out: list[tuple[Any, ...]] = []
    seen: set[str] = set()
    for r, row in enumerate(book.sheets[sheet][start + 1 :], start + 1):
        values = [row[c] if c < len(row) else None for c in cols]
        first = row[period_col] if 0 <= period_col < len(row) else None
        period = _month(first)
        if period is None:
            if any(text_of(v) for v in values) and not subtotal.search(text_of(first).casefold()):
                raise book.fail(sheet, f"row {r + 1} starts {first!r}; expected a month YYYY-MM")
            continue
        if period in seen:
            raise book.fail(sheet, f"month {period} appears twice")
        seen.add(period)
        for (c, code), v in zip(cols.items(), values, strict=True):
            value, status = book.cell(sheet, v, r, c)
            out.append((code, period, value, status))
    if not out:
        raise book.fail(sheet, "no month rows (YYYY-MM in the first column) below the header")
    return out


def _rows_bransch_per_lan_ar(
    book: Workbook, sheet: str, dim: str, want_riket: bool, labels: dict[tuple[str, str], str]
) -> list[tuple[Any, ...]]:
    start, cols = book.header(sheet, want_riket)
    code_col, name_col = min(cols) - 2, min(cols) - 1
    years = re.findall(r"\d{4}", sheet)
    if code_col < 0 or not years:
        raise book.fail(sheet, "expected a year in the sheet name and SNI code and name columns")
    period = years[0]
    out: list[tuple[Any, ...]] = []
    seen: set[str] = set()
    for r, row in enumerate(book.sheets[sheet][start + 1 :], start + 1):
        code, name = (text_of(row[c]) if c < len(row) else "" for c in (code_col, name_col))
        if not code and not name:
            continue
        total = TOTAL_ROW & {code.casefold(), name.casefold()}
        sni = TOTAL_SNI if total else (code or UNKNOWN_SNI)
        if sni in seen:
            raise book.fail(sheet, f"SNI code {sni!r} appears twice (row {r + 1})")
        seen.add(sni)
        labels.setdefault((dim, sni), name or code or "Uppgift saknas")
        for c, region in cols.items():
            value, status = book.cell(sheet, row[c] if c < len(row) else None, r, c)
            out.append((region, period, sni, value, status))
        if total:
            return out
    raise book.fail(sheet, "no 'Summa' row below the SNI rows; expected one at the end")


class AfExcelSource:
    """Fetch and decode the varsel workbooks declared with source `af_varsel`."""

    name = "af_varsel"

    def __init__(self, client: HttpClient | None = None) -> None:
        self.client = client or HttpClient(BASE_URL, rate=RateLimit(1, 1.0), timeout=60.0)

    def fetch(self, request: FetchRequest) -> FetchedPart:
        series, part, home = request.series, request.part, request.home
        opts = parse_options(series, part)
        raw = newest_workbook(self.client, opts.index_url, opts.link_pattern, series.id)
        regions = load_regions().resolve(list(series.regions), home)
        table = part.table or opts.layout
        return request.fetched(self.name, table, (raw,), regions)

    def decode(self, series: Series, part: Part, table_id: str, raw: RawResponse) -> Decoded:
        opts = parse_options(series, part)
        book = Workbook(series, raw)
        want_riket = "riket" in series.regions or load_regions().riket_code in series.regions
        sheets = book.pick_sheets(opts.sheet, opts.layout, opts.layout in SINGLE_SHEET)
        labels: dict[tuple[str, str], str] = {}
        rows: list[tuple[Any, ...]] = []
        for sheet in sheets:
            if opts.layout == "manad_per_lan":
                rows += _rows_manad_per_lan(book, sheet, want_riket)
            elif opts.layout == "bransch_riket_manad":
                rows += rows_bransch_riket_manad(book, sheet, series.dims, labels)
            else:
                rows += _rows_bransch_per_lan_ar(book, sheet, series.dims[0], want_riket, labels)
        columns = ["region_code", "period", *series.dims, "value", "status"]
        frame = pd.DataFrame(rows, columns=columns).astype({"value": float})
        frame["preliminary"] = False
        regions = load_regions()
        labels.update({("region", c): regions.name(c) for c in frame["region_code"].unique()})
        labels.update({("period", p): p for p in frame["period"].unique()})
        notes = {NOTE_BRANSCH_RIKET if opts.layout == "bransch_riket_manad" else NOTE_VALUES: False}
        notes.update({NOTE_YEARLY: False} if opts.layout == "bransch_per_lan_ar" else {})
        notes.update({NOTE_MASKED: True} if book.masked else {})
        meta = {
            "label": book.title(sheets[0]) or book.file,
            "source": SOURCE_TEXT,
            "notes": list(notes),
            "note_mandatory": list(notes.values()),
            "units": {"varsel": {"base": UNITS.get(opts.layout, "personer"), "decimals": 0}},
            "file": book.file,
            "sheets": sheets,
        }
        return Decoded(frame=frame, labels=labels, meta=meta, updated=book.updated)
