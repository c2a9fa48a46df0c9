"""AF's monthly varsel file for Riket by bransch (`varsel-riket-YYYY-MM.xls`), layout
`bransch_riket_manad`.

Read from the real January 2020 file (tests/fixtures/af/af_varsel_riket_2020-01_bransch.xls):
one sheet "Manad"; a title ("Under månaden inkomna varsel. Antal varsel och berörda personer"),
the month's last day as a date cell, then three header rows of merged cells ("Uppsägningar"
over "Totalt" and "därav nedläggningar (inkl. konkurser)", "Permitteringar" over "Totalt") above
the row "SNI-kod | Näringsgren | Varsel | Berörda personer | …". Then one row per SNI 2007
section A–S, an "Uppgift saknas" row, a "Summa" row and footnotes. Each value column becomes a
code of the `uppgift` dim from its header texts, so a column that moves is still read right and
a column we do not know raises. The Summa row must equal the sum of the rows above it
(178 varsel and 3 304 berörda personer in 2020-01); if it does not, the file is rejected.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any

from stats.sources.af.workbook import HEADER_SCAN_ROWS, TOTAL_ROW, Workbook, text_of

Cell = tuple[float, str | None]
SNI_SECTION = re.compile(r"^[A-U]$")
FILE_MONTH = re.compile(r"(20\d\d|19\d\d)-(0[1-9]|1[0-2])")
TOTAL_SNI, UNKNOWN_SNI = "TOT", "US"
UNKNOWN_TEXT = "uppgift saknas"
KINDS = {"uppsägning": "uppsagning", "permittering": "permittering"}
# (kind, subset, measure) read from a column's header texts → uppgift code and Swedish label
UPPGIFT = {
    ("uppsagning", "totalt", "varsel"): ("uppsagning_varsel", "Varsel om uppsägning"),
    ("uppsagning", "totalt", "berorda"): ("uppsagning_berorda", "Berörda av varsel om uppsägning"),
    ("uppsagning", "nedlaggning", "varsel"): (
        "nedlaggning_varsel",
        "Varsel om uppsägning, därav nedläggning (inkl. konkurs)",
    ),
    ("uppsagning", "nedlaggning", "berorda"): (
        "nedlaggning_berorda",
        "Berörda av uppsägning, därav nedläggning (inkl. konkurs)",
    ),
    ("permittering", "totalt", "varsel"): ("permittering_varsel", "Varsel om permittering"),
    ("permittering", "totalt", "berorda"): (
        "permittering_berorda",
        "Berörda av varsel om permittering",
    ),
}
NOTE = (
    "Under månaden inkomna varsel i riket per bransch (SNI 2007): antal varsel och berörda "
    "personer, uppsägningar (därav nedläggningar inkl. konkurser) och permitteringar. "
    "TOT = Summa, US = uppgift om bransch saknas."
)


def _header(book: Workbook, sheet: str) -> tuple[int, int]:
    """(row, column) of the 'SNI-kod' cell followed by 'Näringsgren'."""
    rows = book.sheets[sheet]
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        texts = [text_of(v).casefold() for v in row]
        for c, text in enumerate(texts[:-1]):
            if text.startswith("sni") and texts[c + 1] == "näringsgren":
                return r, c
    raise book.fail(sheet, f"no row with 'SNI-kod', 'Näringsgren' in {HEADER_SCAN_ROWS} rows")


def _period(book: Workbook, sheet: str, header: int) -> str:
    """The month of the date cell above the header; it must agree with the file name."""
    found = [
        v for row in book.sheets[sheet][:header] for v in row if isinstance(v, datetime | date)
    ]
    if not found:
        raise book.fail(sheet, "no date cell (the month's last day) above the header")
    period = f"{found[0].year}M{found[0].month:02d}"
    named = FILE_MONTH.search(book.file)
    if named and f"{named.group(1)}M{named.group(2)}" != period:
        raise book.fail(sheet, f"the date cell says {period} but the file name says {named[0]}")
    return period


def _uppgift(book: Workbook, sheet: str, header: int, col: int) -> tuple[str, str]:
    rows = book.sheets[sheet][: header + 1]
    texts = [text_of(row[col]).casefold() for row in rows if col < len(row)]
    joined = " | ".join(t for t in texts if t)
    kind = next((code for word, code in KINDS.items() if word in joined), None)
    subset = "nedlaggning" if "nedläggning" in joined else "totalt"
    measure = {"varsel": "varsel", "berörda personer": "berorda"}.get(texts[-1] if texts else "")
    if kind is None or measure is None or (kind, subset, measure) not in UPPGIFT:
        raise book.fail(
            sheet,
            f"column {col + 1} is headed {joined!r}; expected Uppsägningar or Permitteringar "
            "over Varsel or Berörda personer",
        )
    return UPPGIFT[(kind, subset, measure)]


def _sni(code: str, name: str) -> str | None:
    """The SNI code of a body row: a section letter, TOT for Summa, US for Uppgift saknas."""
    if TOTAL_ROW & {code.casefold(), name.casefold()}:
        return TOTAL_SNI
    if SNI_SECTION.match(code):
        return code
    return UNKNOWN_SNI if UNKNOWN_TEXT in (code.casefold(), name.casefold()) else None


def _check_sum(book: Workbook, sheet: str, column: dict[str, Cell]) -> None:
    parts = [v for sni, (v, _) in column.items() if sni != TOTAL_SNI]
    total = column[TOTAL_SNI][0]
    if math.isnan(total) or any(math.isnan(v) for v in parts):
        return  # a masked or missing part: the sum cannot be checked
    if abs(sum(parts) - total) > 0.5:
        message = f"the Summa row says {total:g} but the rows above sum to {sum(parts):g}"
        raise book.fail(sheet, message)


def rows_bransch_riket_manad(
    book: Workbook, sheet: str, dims: tuple[str, ...], labels: dict[tuple[str, str], str]
) -> list[tuple[Any, ...]]:
    """Long rows (region "00", period, SNI code, uppgift code, value, status) of one sheet."""
    header, code_col = _header(book, sheet)
    period = _period(book, sheet, header)
    row0 = book.sheets[sheet][header]
    value_cols = {
        c: _uppgift(book, sheet, header, c)
        for c in range(code_col + 2, len(row0))
        if text_of(row0[c])
    }
    if not value_cols:
        raise book.fail(sheet, f"no value columns after the SNI code in header row {header + 1}")
    columns: dict[str, dict[str, Cell]] = {u: {} for u, _ in value_cols.values()}
    for r, row in enumerate(book.sheets[sheet][header + 1 :], header + 1):
        code, name = (text_of(row[c]) if c < len(row) else "" for c in (code_col, code_col + 1))
        sni = _sni(code, name)
        if sni is None:
            if any(isinstance(row[c], int | float) for c in value_cols if c < len(row)):
                raise book.fail(sheet, f"row {r + 1} starts {code!r}; expected an SNI section")
            continue
        if sni in columns[next(iter(columns))]:
            raise book.fail(sheet, f"SNI code {sni!r} appears twice (row {r + 1})")
        labels[(dims[0], sni)] = name if sni not in (TOTAL_SNI, UNKNOWN_SNI) else code or name
        for c, (uppgift, label) in value_cols.items():
            labels[(dims[1], uppgift)] = label
            columns[uppgift][sni] = book.cell(sheet, row[c] if c < len(row) else None, r, c)
        if sni == TOTAL_SNI:
            break
    else:
        raise book.fail(sheet, "no 'Summa' row below the SNI rows; expected one at the end")
    for column in columns.values():
        _check_sum(book, sheet, column)
    return [
        ("00", period, sni, uppgift, value, status)
        for uppgift, column in columns.items()
        for sni, (value, status) in column.items()
    ]
