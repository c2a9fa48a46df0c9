"""Old Excel `.xls` (BIFF8, OLE2 container) read into the same row tuples openpyxl gives.

Arbetsförmedlingen published its monthly varsel files as `.xls` for years (e.g.
`varsel-riket-2020-01.xls`). openpyxl reads only xlsx, so these are read with xlrd, which since
2.0 reads nothing but `.xls`: pure Python (no compiled code to run on a downloaded file), with
the merged-cell ranges the headers need (`formatting_info=True`), and pandas' own `.xls` engine.
Each merged range is filled with its top-left value, so a header cell spanning four columns
names all four; date cells become `datetime`; errors and blanks become None.
"""

from __future__ import annotations

from typing import Any

import xlrd

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
Rows = list[tuple[Any, ...]]
# xlrd signals a damaged or truncated file with any of these (it asserts on bad records)
READ_ERRORS = (
    xlrd.XLRDError,
    xlrd.compdoc.CompDocError,
    AssertionError,
    ValueError,
    IndexError,
    KeyError,
    EOFError,
    OSError,
    UnicodeDecodeError,
    OverflowError,  # a date cell far out of range
)


class BiffError(Exception):
    """The bytes are not a readable .xls workbook; the message says why."""


def is_xls(content: bytes) -> bool:
    """True when the bytes start like an OLE2 compound file (what old .xls files are)."""
    return content.startswith(OLE2_MAGIC)


def _value(book: xlrd.Book, sheet: xlrd.sheet.Sheet, row: int, col: int) -> Any:
    kind = sheet.cell_type(row, col)
    value = sheet.cell_value(row, col)
    if kind == xlrd.XL_CELL_DATE:
        return xlrd.xldate.xldate_as_datetime(value, book.datemode)
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    return value


def _sheet_rows(book: xlrd.Book, sheet: xlrd.sheet.Sheet) -> Rows:
    grid = [[_value(book, sheet, r, c) for c in range(sheet.ncols)] for r in range(sheet.nrows)]
    for top, bottom, left, right in sheet.merged_cells:
        if top >= len(grid) or left >= sheet.ncols:
            continue
        head = grid[top][left]
        for r in range(top, min(bottom, len(grid))):
            for c in range(left, min(right, sheet.ncols)):
                grid[r][c] = head
    return [tuple(row) for row in grid]


def read_xls(content: bytes) -> dict[str, Rows]:
    """Every sheet's rows, merged ranges filled; BiffError when the bytes are not a workbook."""
    try:
        book = xlrd.open_workbook(file_contents=content, formatting_info=True, on_demand=False)
    except READ_ERRORS as exc:
        raise BiffError(f"{type(exc).__name__}: {exc}") from None
    try:
        return {sheet.name: _sheet_rows(book, sheet) for sheet in book.sheets()}
    except READ_ERRORS as exc:
        raise BiffError(f"{type(exc).__name__}: {exc}") from None
    finally:
        book.release_resources()
