"""One downloaded AF workbook (xlsx via openpyxl, old .xls via xlrd) as rows per sheet.

Shared by the varsel layouts in `af.excel` and `af.bransch`: sheet picking, the län header row
found by content, and the reading of one count cell ("<5" masks, empty, AF's symbols). Every
error names the series, the file and the sheet, so the store is left as it was.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cache
from typing import Any
from urllib.parse import unquote, urlsplit

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from stats.catalog.load import Series
from stats.errors import SchemaChanged, SourceError
from stats.regions import load_regions
from stats.sources.af.biff import BiffError, is_xls, read_xls
from stats.sources.http import RawResponse

MASKED = re.compile(r"^<\s*\d+$")
NUMBER = re.compile(r"^-?\d[\d \u00a0]*(?:,\d+)?$")
SYMBOLS = {"..", ".", "-", "–", "—"}
RIKET_NAMES = {"riket", "sverige", "hela riket"}
TOTAL_ROW = {"summa", "totalt", "samtliga"}
HEADER_SCAN_ROWS = 60
MIN_LAN_IN_HEADER = 15
XLSX_ERRORS = (
    zipfile.BadZipFile,
    InvalidFileException,
    KeyError,
    ValueError,
    OSError,
    EOFError,
    SyntaxError,
)


@cache
def region_names() -> dict[str, str]:
    """Län names as AF may print them (full, short, with code) → SCB code, plus Riket → 00."""
    regions = load_regions()
    out = dict.fromkeys(RIKET_NAMES, regions.riket_code)
    for code in regions.lan_codes:
        full = text_of(regions.name(code)).casefold()
        short = full.removesuffix(" län").removesuffix("s")
        for name in (full, short, short + "s"):
            out[name] = out[f"{code} {name}"] = code
    return out


def _region_columns(row: Sequence[Any]) -> dict[int, str]:
    names = region_names()
    keys = [text_of(v).casefold() for v in row]
    return {i: names[k] for i, k in enumerate(keys) if k in names}


def text_of(value: Any) -> str:
    """A cell as single-spaced text; whole floats without ".0", None as ""."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else " ".join(str(value).split())


def _read_xlsx(content: bytes) -> tuple[dict[str, list[tuple[Any, ...]]], str | None]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheets = {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}
        modified = book.properties.modified
    finally:
        book.close()
    when = modified if isinstance(modified, datetime) else None
    return sheets, when.replace(tzinfo=when.tzinfo or UTC).isoformat() if when else None


class Workbook:
    """One downloaded workbook; errors name the series, the file and the sheet."""

    def __init__(self, series: Series, raw: RawResponse) -> None:
        self.series = series
        self.url = raw.url
        self.file = unquote(urlsplit(raw.url).path.rsplit("/", 1)[-1]) or raw.url
        self.masked = False
        self.updated: str | None = None
        content = raw.content
        if is_xls(content):
            try:
                self.sheets = read_xls(content)
            except BiffError as exc:
                raise self._unreadable(content, str(exc)) from None
            return
        if not content.startswith(b"PK\x03\x04"):
            raise SourceError(
                f"{self.file}: download is not an xlsx (zip) or xls (BIFF) file: "
                f"{len(content)} bytes starting {content[:24]!r}",
                series=series.id,
                url=raw.url,
            )
        try:
            self.sheets, self.updated = _read_xlsx(content)
        except XLSX_ERRORS as exc:
            raise self._unreadable(content, str(exc)) from None

    def _unreadable(self, content: bytes, why: str) -> SourceError:
        return SourceError(
            f"{self.file}: cannot read the workbook ({len(content)} bytes, truncated "
            f"download?): {why}",
            series=self.series.id,
            url=self.url,
        )

    def fail(self, sheet: str, message: str) -> SchemaChanged:
        return SchemaChanged(
            f"file {self.file}, sheet {sheet!r}: {message}", series=self.series.id, url=self.url
        )

    def pick_sheets(self, pattern: re.Pattern[str], layout: str, single: bool) -> list[str]:
        names = [s for s in self.sheets if pattern.search(s)]
        if not names or (single and len(names) != 1):
            raise SchemaChanged(
                f"file {self.file}: expected {'one sheet' if single else 'sheets'} named like "
                f"'{pattern.pattern}' ({layout}), found {len(names)} among sheets "
                f"{', '.join(repr(s) for s in self.sheets)}",
                series=self.series.id,
                url=self.url,
            )
        return names

    def title(self, sheet: str) -> str:
        """The first text in the sheet: the title block above the header."""
        return next((text_of(v) for r in self.sheets[sheet] for v in r if isinstance(v, str)), "")

    def header(self, sheet: str, want_riket: bool) -> tuple[int, dict[int, str]]:
        """(row index, column → region code) of the län header row."""
        rows = self.sheets[sheet]
        for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
            cols = _region_columns(row)
            if len(set(cols.values()) - {"00"}) < MIN_LAN_IN_HEADER:
                continue
            missing = [c for c in load_regions().lan_codes if c not in cols.values()]
            missing += ["00 (Riket)"] if want_riket and "00" not in cols.values() else []
            if missing:
                raise self.fail(sheet, f"header row {i + 1} has no column for {', '.join(missing)}")
            if len(set(cols.values())) != len(cols):
                raise self.fail(sheet, f"header row {i + 1} names a region twice")
            if not want_riket:
                cols = {k: v for k, v in cols.items() if v != "00"}
            return i, cols
        raise self.fail(
            sheet,
            f"no header row naming the län (e.g. 'Stockholms län' … 'Norrbottens län') in the "
            f"first {HEADER_SCAN_ROWS} rows",
        )

    def cell(self, sheet: str, value: Any, row: int, col: int) -> tuple[float, str | None]:
        """A count as (value, status): numbers, '<5' masks, empty and AF's symbols."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value), None
        text = text_of(value)
        if not text:
            return math.nan, ".."
        if MASKED.match(text):
            self.masked = True
            return math.nan, "<5"
        if text in SYMBOLS:
            return math.nan, text
        if NUMBER.match(text):
            return float(text.replace(" ", "").replace("\u00a0", "").replace(",", ".")), None
        where = f"{get_column_letter(col + 1)}{row + 1}"
        raise self.fail(sheet, f"cell {where} holds {text!r}; expected a count, '<5' or empty")
