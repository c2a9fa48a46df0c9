"""An analyst's file of employment by region × detailed SNI 2007 × year (CSV or XLSX).

Four columns, found by header name (case-insensitive): region (code or Swedish name), SNI code,
year, employed. Every row is checked; the first bad row rejects the whole file with its row
number and reason, so nothing is stored from a rejected file. The file's bytes are kept as the
release's raw response, like any API answer.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from typing import Any

import openpyxl
import pandas as pd

from stats.analysis.sni import normalize_sni
from stats.catalog.load import Part, Series
from stats.errors import SchemaChanged
from stats.regions import load_regions
from stats.sources.base import Decoded, ReplaySource
from stats.sources.http import RawResponse

COLUMNS = {
    "region": ("region", "regionkod", "region_code", "lan", "län", "kommun"),
    "sni": ("sni", "sni2007", "sni_kod", "sni-kod", "bransch"),
    "year": ("year", "ar", "år", "period"),
    "employed": ("employed", "sysselsatta", "antal", "forvarvsarbetande", "förvärvsarbetande"),
}
YEAR = re.compile(r"^(19|20)\d{2}$")


def read_table(content: bytes, name: str) -> list[list[str]]:
    """Rows of a CSV (`,` or `;`) or the first sheet of an XLSX, as strings."""
    if content[:2] == b"PK":
        try:
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError) as exc:
            raise SchemaChanged(f"{name}: not a readable XLSX file ({exc})") from None
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
        return [["" if v is None else str(v) for v in r] for r in sheet.iter_rows(values_only=True)]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252")
    dialect = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=dialect))


def _header(row: list[str], name: str) -> dict[str, int]:
    found = {}
    cells = [c.strip().lower() for c in row]
    for key, names in COLUMNS.items():
        hits = [i for i, c in enumerate(cells) if c in names]
        if not hits:
            raise SchemaChanged(
                f"{name}: row 1: no {key} column; expected one of {', '.join(names)}"
            )
        found[key] = hits[0]
    return found


def _number(text: str, where: str) -> float:
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        raise SchemaChanged(f"{where}: employed {text!r} is not a number") from None
    if value < 0 or value != int(value):
        raise SchemaChanged(f"{where}: employed {text!r} must be a whole number ≥ 0")
    return value


def parse_import(content: bytes, name: str) -> pd.DataFrame:
    """Validated rows: region_code, period, SNI2007 (dotted), value."""
    rows = read_table(content, name)
    if not rows:
        raise SchemaChanged(f"{name}: the file is empty")
    col = _header(rows[0], name)
    regions = load_regions()
    by_name = {n.lower(): c for c, n in regions.names.items()}
    out: list[dict[str, Any]] = []
    seen: dict[tuple[str, str, str], int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        where = f"{name}: row {number}"
        cell = {k: (row[i].strip() if i < len(row) else "") for k, i in col.items()}
        region = cell["region"]
        code = region if region in regions.names else by_name.get(region.lower())
        if code is None:
            raise SchemaChanged(f"{where}: region {region!r} does not exist")
        if not cell["year"]:
            raise SchemaChanged(f"{where}: the year is missing")
        if not YEAR.match(cell["year"]):
            raise SchemaChanged(f"{where}: year {cell['year']!r} is not a four-digit year")
        sni = normalize_sni(cell["sni"])
        if sni is None:
            raise SchemaChanged(f"{where}: {cell['sni']!r} is not an SNI 2007 code")
        key = (code, sni, cell["year"])
        if key in seen:
            raise SchemaChanged(f"{where}: duplicate of row {seen[key]} ({code}, {sni}, {key[2]})")
        seen[key] = number
        value = _number(cell["employed"], where)
        out.append({"region_code": code, "period": cell["year"], "SNI2007": sni, "value": value})
    if not out:
        raise SchemaChanged(f"{name}: no data rows under the header")
    return pd.DataFrame(out)


class ImportSource(ReplaySource):
    """Files an analyst imports with `stats import-sni`; refresh reuses the last import."""

    name = "import"
    missing = "no file imported yet; run `stats import-sni <fil.csv|fil.xlsx>`"

    def replay_table(self, part: Part) -> str:
        return part.table or "import"

    def decode(self, series: Series, part: Part, table_id: str, raw: RawResponse) -> Decoded:
        name = raw.url.removeprefix("file:").rsplit("/", 1)[-1]
        frame = parse_import(raw.content, name)
        frame["status"] = None
        frame["preliminary"] = False
        regions = load_regions()
        labels = {("region", c): regions.name(c) for c in frame["region_code"].unique()}
        meta = {
            "label": f"Importerad fil {name}",
            "source": part.options.get("publisher", "SCB, beställd bearbetning"),
            "notes": [f"Importerad av analytiker från filen {name}."],
            "note_mandatory": [True],
            "units": {"value": {"base": "personer", "decimals": 0}},
            "file_name": name,
        }
        columns = ["region_code", "period", *series.dims, "value", "status", "preliminary"]
        return Decoded(frame=frame[columns], labels=labels, meta=meta, updated=None)
