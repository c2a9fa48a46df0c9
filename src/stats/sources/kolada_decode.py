"""Kolada v3 answers decoded into long rows: pure code, no I/O (the client is `kolada.py`).

`decode_data` turns `/data/kpi/…` pages into observations (SCB region codes, Kolada's value
status kept), `decode_kpis` checks and reads `/kpi/{ids}` metadata, `decode_groups` expands a
KPI group from `/kpi_groups`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from stats.catalog.load import Part, Series
from stats.errors import SchemaChanged
from stats.regions import load_regions
from stats.sources.base import Decoded

SOURCE_TEXT = "Kolada (RKA)"
LICENSE = "CC BY 4.0"
ATTRIBUTION = "Källa: Kolada (RKA), CC BY 4.0"
GENDERS = {"T": "Totalt", "K": "Kvinnor", "M": "Män"}
KPI_ID = re.compile(r"[A-Z]\d{5}")


def scb_code(kolada: str) -> str:
    """SCB region code of a Kolada id: "0000" → "00", "0023" → "23", "2380" → "2380"."""
    if not re.fullmatch(r"\d{4}", kolada):
        raise SchemaChanged(f"municipality id {kolada!r} is not a Kolada region id (4 digits)")
    # no kommunkod starts with 00, so "00" + two digits is always Riket or a län
    return kolada[2:] if kolada.startswith("00") else kolada


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
