"""Stitch the decoded responses of one series into the store's long observation rows."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd

from stats.catalog.load import Part, Series
from stats.errors import SchemaChanged
from stats.sources.base import Decoded

OBSERVATION = ["region_code", "period", "dims", "value", "status", "preliminary"]


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


def _part_frame(series: Series, part: Part, decoded: Decoded) -> pd.DataFrame:
    frame = decoded.frame.copy()
    for var in series.dims:
        frame[var] = frame[var].astype(str)
        if var in part.recode:
            frame[var] = frame[var].replace(part.recode[var])
    frame["region_code"] = frame["region_code"].astype(str)
    frame["period"] = frame["period"].astype(str)
    keep = frame["period"].map(lambda p: _keep_period(p, part)).astype(bool)
    return frame[keep]


def _dims_json(frame: pd.DataFrame, dims: tuple[str, ...]) -> pd.Series:
    if not dims:
        return pd.Series("{}", index=frame.index, dtype=object)
    combos = frame[list(dims)].drop_duplicates()
    mapping = {
        row: json.dumps(dict(zip(dims, row, strict=True)), ensure_ascii=False, sort_keys=True)
        for row in combos.itertuples(index=False, name=None)
    }
    keys = pd.MultiIndex.from_frame(frame[list(dims)])
    return pd.Series(keys.map(mapping), index=frame.index, dtype=object)


def _meta(series: Series, decoded: list[tuple[Part, str, Decoded]]) -> dict[str, Any]:
    notes: list[str] = []
    mandatory: list[bool] = []
    merged: dict[str, Any] = {}
    for _part, _table, d in decoded:
        for i, note in enumerate(d.meta.get("notes", [])):
            if note not in notes:
                notes.append(note)
                flags = d.meta.get("note_mandatory", [])
                mandatory.append(bool(flags[i]) if i < len(flags) else False)
        for key in ("units", "measuring_type"):
            merged.setdefault(key, {}).update(d.meta.get(key, {}))
    last = decoded[-1][2].meta
    meta = {k: v for k, v in last.items() if k not in ("label", "notes", "note_mandatory")}
    meta.update(merged)
    meta.update(
        title=series.title,
        tables=sorted({t for _p, t, _d in decoded}),
        table_labels={t: d.meta.get("label", t) for _p, t, d in decoded},
        notes=notes,
        note_mandatory=mandatory,
    )
    return meta


def _labels(series: Series, decoded: list[tuple[Part, str, Decoded]]) -> pd.DataFrame:
    rows: dict[tuple[str, str], str] = {}
    for part, _table, d in decoded:
        for (dim, code), label in d.labels.items():
            mapped = part.recode.get(dim, {}).get(code, code)
            rows.setdefault((dim, mapped), label)
    return pd.DataFrame(
        [(d, c, lab) for (d, c), lab in rows.items()], columns=["dimension", "code", "label"]
    )


def normalize_series(series: Series, decoded: list[tuple[Part, str, Decoded]]) -> Normalized:
    """Stitch the decoded responses of all parts into one observation frame."""
    frames = [_part_frame(series, part, d) for part, _table, d in decoded]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if frame.empty:
        raise SchemaChanged("the responses hold no observations", series=series.id)
    frame["dims"] = _dims_json(frame, series.dims)
    frame["status"] = frame["status"].astype(object).where(frame["status"].notna(), None)
    frame["preliminary"] = frame["preliminary"].astype(bool)
    dupes = frame.duplicated(["region_code", "period", "dims"])
    if dupes.any():
        first = frame[dupes].iloc[0]
        raise SchemaChanged(
            f"parts overlap: region {first['region_code']}, period {first['period']} "
            "comes from more than one response; check `periods` in the catalog",
            series=series.id,
        )
    vintage = series.vintage
    if vintage == "first_period":
        vintage = str(frame["period"].min())[:4]
    return Normalized(
        frame=frame[OBSERVATION],
        labels=_labels(series, decoded),
        meta=_meta(series, decoded),
        vintage=vintage,
    )
