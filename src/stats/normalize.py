"""Turn decoded JSON-stat datasets of one series into the store's long observation rows."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd

from stats.catalog import Part, Series
from stats.errors import SchemaChanged
from stats.jsonstat import Dataset


@dataclass(frozen=True)
class Normalized:
    """Observations, dimension labels and table metadata ready for `Store.add_release`."""

    frame: pd.DataFrame
    labels: pd.DataFrame
    meta: dict[str, Any]
    vintage: str | None


def _keep_period(period: str, part: Part) -> bool:
    if part.period_from and period < part.period_from:
        return False
    return not (part.period_to and period[: len(part.period_to)] > part.period_to)


def _part_frame(series: Series, part: Part, table_id: str, dataset: Dataset) -> pd.DataFrame:
    ids = [d.id for d in dataset.dimensions]
    where = f"table {table_id}"
    for var in (series.region_dim, series.time_dim, *series.dims):
        if var not in ids:
            raise SchemaChanged(
                f"{where} has no dimension {var!r} (dimensions: {', '.join(ids)})",
                series=series.id,
                table=table_id,
            )
    kept = {series.region_dim, series.time_dim, *series.dims}
    for dim in dataset.dimensions:
        if dim.id not in kept and len(dim.codes) > 1:
            raise SchemaChanged(
                f"{where} returns {len(dim.codes)} values of {dim.id!r}, which the catalog does "
                "not keep in `dims`; select one value or add it to `dims`",
                series=series.id,
                table=table_id,
            )
    frame = dataset.to_frame()
    for var, mapping in part.recode.items():
        if var in frame.columns:
            frame[var] = frame[var].astype(str).replace(mapping)
    frame = frame.rename(columns={series.region_dim: "region_code", series.time_dim: "period"})
    frame["region_code"] = frame["region_code"].astype(str)
    frame["period"] = frame["period"].astype(str)
    keep = frame["period"].map(lambda p: _keep_period(p, part))
    return frame[keep.astype(bool)]


def _dims_json(frame: pd.DataFrame, dims: tuple[str, ...]) -> pd.Series:
    if not dims:
        return pd.Series("{}", index=frame.index, dtype=object)
    combos = frame[list(dims)].astype(str).drop_duplicates()
    mapping = {
        tuple(row): json.dumps(
            dict(zip(dims, row, strict=True)), ensure_ascii=False, sort_keys=True
        )
        for row in combos.itertuples(index=False, name=None)
    }
    keys = pd.MultiIndex.from_frame(frame[list(dims)].astype(str))
    return pd.Series(keys.map(mapping), index=frame.index, dtype=object)


def _meta(series: Series, tables: list[tuple[str, Dataset]]) -> dict[str, Any]:
    notes: list[str] = []
    mandatory: list[bool] = []
    units: dict[str, dict[str, Any]] = {}
    measuring: dict[str, str] = {}
    for _table, ds in tables:
        for note, must in zip(ds.notes, ds.note_mandatory, strict=False):
            if note not in notes:
                notes.append(note)
                mandatory.append(must)
        units.update({k: {"base": u.base, "decimals": u.decimals} for k, u in ds.units.items()})
        measuring.update(ds.measuring_type)
    first = tables[-1][1]
    return {
        "title": series.title,
        "tables": sorted({t for t, _ in tables}),
        "table_labels": {t: ds.label for t, ds in tables},
        "source": first.source,
        "notes": notes,
        "note_mandatory": mandatory,
        "units": units,
        "measuring_type": measuring,
        "contact": [dict(c) for c in first.contact],
        "official_statistics": first.px.get("official-statistics"),
        "next_update": first.px.get("nextUpdate"),
        "update_frequency": first.px.get("updateFrequency"),
    }


def _labels(tables: list[tuple[str, Dataset]], series: Series, part_of: list[Part]) -> pd.DataFrame:
    rows: dict[tuple[str, str], str] = {}
    for (_t, ds), part in zip(tables, part_of, strict=True):
        for dim in ds.dimensions:
            name = {series.region_dim: "region", series.time_dim: "period"}.get(dim.id, dim.id)
            mapping = part.recode.get(dim.id, {})
            for code, label in zip(dim.codes, dim.labels, strict=True):
                rows.setdefault((name, mapping.get(code, code)), label)
    return pd.DataFrame(
        [(d, c, lab) for (d, c), lab in rows.items()], columns=["dimension", "code", "label"]
    )


def normalize_series(series: Series, fetched: list[tuple[Part, str, Dataset]]) -> Normalized:
    """Stitch the decoded responses of all parts into one observation frame."""
    frames = [_part_frame(series, part, table, ds) for part, table, ds in fetched]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if frame.empty:
        raise SchemaChanged("the responses hold no observations", series=series.id)
    frame["dims"] = _dims_json(frame, series.dims)
    frame["preliminary"] = False
    frame["status"] = frame["status"].astype(object).where(frame["status"].notna(), None)
    dupes = frame.duplicated(["region_code", "period", "dims"])
    if dupes.any():
        first = frame[dupes].iloc[0]
        raise SchemaChanged(
            f"parts overlap: region {first['region_code']}, period {first['period']} "
            "comes from more than one table; check `periods` in the catalog",
            series=series.id,
        )
    tables = [(table, ds) for _p, table, ds in fetched]
    vintage = series.vintage
    if vintage == "first_period":
        vintage = str(frame["period"].min())[:4]
    return Normalized(
        frame=frame[["region_code", "period", "dims", "value", "status", "preliminary"]],
        labels=_labels(tables, series, [p for p, _t, _d in fetched]),
        meta=_meta(series, tables),
        vintage=vintage,
    )
