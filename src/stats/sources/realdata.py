"""Real data files that have no API: published tables typed in from dated pages or copied from
public repositories (see ../shared/realdata/SOURCES.md). They reach the store only through the
embedded snapshot, which keeps each file byte-for-byte with its origin; `decode` reads a CSV or
XLSX file as declared by the catalog part's `options`:

    format        "csv" | "xlsx" (first sheet); delimiter for CSV (default ",")
    region        column holding SCB region codes, or
    region_name   column holding Swedish region names ("Jämtlands län", "Jämtland", "Riket"), or
    region_prefix column holding a code and a name ("23 Jämtlands län", "2380 Östersund")
    period        column with the period; period_format "month" ("2021-01" → "2021M01"),
                  "year" or "date"
    value         column with the value
    columns       series dimension → column (e.g. { measure = "measure" })
    filter        column → value; other rows are skipped
    constants     series dimension → fixed code for every row (e.g. one part per value column)
    period_value  a fixed period when the file has no period column
    label, publisher, unit, decimals, note   what the chart's source line and notes say
    labels        series dimension → code → Swedish label; every code of a labelled
                  dimension in the file must have one
    preliminary   true when the publisher calls every value in the file preliminary
    via, obtained  who passed the figures on (when not the publisher) and how they came here
                  ("kopierad" from a public file, "avskriven" from a page), for the source line
    describes     a file of texts, not values: { dimension, column, texts = { key = column } }
                  gives each code of `dimension` (the text of `column` before " - ") its name
                  and, per key, its description as the label of "<dimension>_beskrivning_<key>"
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from typing import Any

import openpyxl
import pandas as pd

from stats.catalog.load import Part, Series
from stats.errors import SchemaChanged
from stats.regions import load_regions
from stats.sources.base import BASE_COLUMNS, Decoded, ReplaySource
from stats.sources.http import RawResponse

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _rows(raw: RawResponse, options: dict[str, Any], where: str) -> list[dict[str, Any]]:
    if options.get("format", "csv") == "xlsx":
        try:
            book = openpyxl.load_workbook(io.BytesIO(raw.content), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError) as exc:
            raise SchemaChanged(f"{where}: not a readable XLSX file ({exc})") from None
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
        values = [list(r) for r in sheet.iter_rows(values_only=True)]
        header = [str(h) for h in values[0]] if values else []
        return [dict(zip(header, r, strict=False)) for r in values[1:]]
    try:
        text = raw.content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SchemaChanged(f"{where}: not UTF-8 text ({exc})") from None
    return list(csv.DictReader(io.StringIO(text), delimiter=options.get("delimiter", ",")))


def _period(value: Any, fmt: str, where: str) -> str:
    text = str(value).strip()
    if fmt == "month":
        m = MONTH.match(text)
        if not m:
            raise SchemaChanged(f"{where}: period {text!r} is not YYYY-MM")
        return f"{m[1]}M{m[2]}"
    return text


def _region(row: dict[str, Any], options: dict[str, Any], names: dict[str, str], where: str) -> str:
    if "region" in options:
        return str(row[options["region"]]).strip()
    if "region_prefix" in options:
        prefix = str(row[options["region_prefix"]]).strip().split(" ", 1)[0]
        if prefix not in names.values():
            raise SchemaChanged(f"{where}: unknown region code {prefix!r}")
        return prefix
    name = str(row[options["region_name"]]).strip()
    code = names.get(name) or names.get(f"{name}s län") or names.get(f"{name} län")
    if code is None:
        raise SchemaChanged(f"{where}: unknown region name {name!r}")
    return code


def _value(text: Any, where: str) -> tuple[float, str | None]:
    if text is None or str(text).strip() in ("", ".."):
        return math.nan, ".."
    try:
        return float(str(text).replace(",", ".").replace("\u00a0", "").replace(" ", "")), None
    except ValueError:
        raise SchemaChanged(f"{where}: value {text!r} is not a number") from None


def _code_labels(
    frame: pd.DataFrame, declared: dict[str, dict[str, str]], where: str
) -> dict[tuple[str, str], str]:
    """The declared Swedish label of every code in the labelled dimensions of a file."""
    out = {}
    for dim, names in declared.items():
        for code in frame[dim].astype(str).unique() if dim in frame.columns else []:
            if code not in names:
                raise SchemaChanged(f"{where}: {dim} code {code!r} has no label in the catalog")
            out[(dim, code)] = str(names[code])
    return out


def _check_columns(rows: list[dict[str, Any]], opts: dict[str, Any], where: str) -> None:
    """SchemaChanged naming the declared columns the file lacks."""
    region = opts.get("region", opts.get("region_prefix", opts.get("region_name")))
    needed = [region, opts["value"]]
    needed += [opts["period"]] if "period" in opts else []
    needed += list(opts.get("columns", {}).values()) + list(opts.get("filter", {}))
    header = set(rows[0]) if rows else set()
    missing = [c for c in needed if c not in header]
    if missing:
        raise SchemaChanged(f"{where}: expected columns {missing}; found {sorted(header)}")


def _observations(
    rows: list[dict[str, Any]], opts: dict[str, Any], names: dict[str, str], where: str
) -> pd.DataFrame:
    """The declared rows of a file as long records (region, period, dims, value, status)."""
    keep = {k: str(v) for k, v in opts.get("filter", {}).items()}
    out = []
    for number, row in enumerate(rows, start=2):
        if any(str(row[k]).strip() != v for k, v in keep.items()):
            continue
        at = f"{where} row {number}"
        value, status = _value(row[opts["value"]], at)
        record = {
            "region_code": _region(row, opts, names, at),
            "period": _period(
                row[opts["period"]] if "period" in opts else opts["period_value"],
                opts.get("period_format", "year"),
                at,
            ),
            "value": value,
            "status": status,
            "preliminary": bool(opts.get("preliminary", False)),
        }
        for dim, column in opts.get("columns", {}).items():
            record[dim] = str(row[column]).strip()
        record.update(opts.get("constants", {}))
        out.append(record)
    if not out:
        raise SchemaChanged(f"{where}: no rows left after the filter {keep}")
    return pd.DataFrame(out)


def _descriptions(
    rows: list[dict[str, Any]], spec: dict[str, Any], where: str
) -> dict[tuple[str, str], str]:
    """Names and descriptions of the codes of one dimension, from a file of texts.

    "T1 - Trygghet" names code T1 "T1 - Trygghet"; "Ekonomi - Ekonomi" names Ekonomi "Ekonomi".
    """
    dim, column, texts = spec["dimension"], spec["column"], dict(spec["texts"])
    header = set(rows[0]) if rows else set()
    missing = [c for c in [column, *texts.values()] if c not in header]
    if missing:
        raise SchemaChanged(f"{where}: expected columns {missing}; found {sorted(header)}")
    labels: dict[tuple[str, str], str] = {}
    for row in rows:
        name = " ".join(str(row[column]).split())
        code, _, rest = name.partition(" - ")
        labels[(dim, code)] = code if rest == code else name
        for key, text_column in texts.items():
            labels[(f"{dim}_beskrivning_{key}", code)] = " ".join(str(row[text_column]).split())
    return labels


def _meta(series: Series, opts: dict[str, Any], raw: RawResponse) -> dict[str, Any]:
    """What the chart's source line and notes say about one declared file."""
    return {
        "label": opts.get("label", series.title),
        "source": opts.get("publisher", ""),
        "via": opts.get("via"),
        "obtained": opts.get("obtained", "kopierad"),
        "notes": [opts["note"]] if opts.get("note") else [],
        "note_mandatory": [True] if opts.get("note") else [],
        "units": {
            "value": {
                "base": opts.get("unit", series.unit),
                "decimals": int(opts.get("decimals", 0)),
            }
        },
        "origin_url": raw.url,
    }


class RealdataSource(ReplaySource):
    """Decode declared real data files; there is nothing to fetch online."""

    name = "realdata"
    missing = (
        "a real data file with no API: it is loaded from data/snapshot "
        "(`stats load-snapshot`), where MANIFEST.toml names its origin"
    )

    def decode(self, series: Series, part: Part, table_id: str, raw: RawResponse) -> Decoded:
        opts = part.options
        where = f"{table_id} ({raw.url})"
        rows = _rows(raw, opts, where)
        if "describes" in opts:
            frame = pd.DataFrame(columns=["region_code", "period", *series.dims, *BASE_COLUMNS[2:]])
            labels = _descriptions(rows, opts["describes"], where)
            return Decoded(frame, labels, _meta(series, opts, raw), opts.get("published"))
        regions = load_regions()
        _check_columns(rows, opts, where)
        frame = _observations(rows, opts, {n: c for c, n in regions.names.items()}, where)
        frame = frame[["region_code", "period", *series.dims, *BASE_COLUMNS[2:]]]
        labels = {("region", c): regions.name(c) for c in frame["region_code"].unique()}
        labels.update(_code_labels(frame, opts.get("labels", {}), where))
        return Decoded(frame, labels, _meta(series, opts, raw), opts.get("published"))
