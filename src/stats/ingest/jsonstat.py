"""Pure JSON-stat 2.0 decoder: body → Dataset, keeping SCB's units, status, notes and px metadata.

No I/O here; ``sources/scb.py`` fetches, this module only parses and validates.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from stats.errors import DecodeError

_NUMERIC = (int, float, type(None))


@dataclass(frozen=True)
class Unit:
    """Unit of one metric category, e.g. base "antal", decimals 0."""

    base: str
    decimals: int


@dataclass(frozen=True)
class Dimension:
    """One dimension with its categories in ``category.index`` order."""

    id: str
    label: str
    codes: tuple[str, ...]
    labels: tuple[str, ...]
    role: str | None
    elimination: bool | None
    elimination_value_code: str | None
    extension: Mapping[str, Any]


@dataclass(frozen=True)
class Dataset:
    """A decoded JSON-stat 2.0 dataset; ``values`` is row-major, last dimension fastest."""

    label: str
    source: str
    updated: str | None
    table_id: str | None
    notes: tuple[str, ...]
    note_mandatory: tuple[bool, ...]
    dimensions: tuple[Dimension, ...]
    values: npt.NDArray[np.float64]
    status: Mapping[int, str]
    units: Mapping[str, Unit]
    measuring_type: Mapping[str, str]
    contact: tuple[Mapping[str, str], ...]
    px: Mapping[str, Any]

    def dimension(self, dim_id: str) -> Dimension:
        """Return the dimension with id ``dim_id``; DecodeError if the dataset has none."""
        for dim in self.dimensions:
            if dim.id == dim_id:
                return dim
        ids = [d.id for d in self.dimensions]
        raise DecodeError(
            f"dataset {self.table_id or self.label!r} has no dimension {dim_id!r}; "
            f"expected one of {ids}"
        )

    def to_frame(self) -> pd.DataFrame:
        """Return one row per cell: ``<id>``, ``<id>_label`` per dimension, ``value``, ``status``.

        Code and label columns are categoricals built with numpy, never a loop per cell; status
        is object (str or None). A metadata body (no values) gives an empty frame.
        """
        n = len(self.values)
        sizes = [len(d.codes) for d in self.dimensions]
        columns: dict[str, Any] = {}
        stride = n
        for dim, size in zip(self.dimensions, sizes, strict=True):
            stride //= max(size, 1)
            # position of each cell along this dimension, in the row-major layout
            pos = (np.arange(n, dtype=np.intp) // max(stride, 1)) % max(size, 1)
            columns[dim.id] = _categorical(pos, dim.codes)
            label_codes, label_cats = pd.factorize(pd.Index(dim.labels, dtype=str))
            columns[f"{dim.id}_label"] = _categorical(label_codes[pos], tuple(label_cats))
        columns["value"] = self.values
        status = np.full(n, None, dtype=object)
        if self.status and n:
            status[np.fromiter(self.status.keys(), dtype=np.intp)] = list(self.status.values())
        columns["status"] = pd.Series(status, dtype=object)
        return pd.DataFrame(columns)


def _categorical(pos: npt.NDArray[np.intp], categories: tuple[str, ...]) -> pd.Categorical[str]:
    return pd.Categorical.from_codes(pos, categories=pd.Index(categories, dtype=str))


def parse_jsonstat(body: bytes | str | Mapping[str, Any]) -> Dataset:
    """Decode a JSON-stat 2.0 dataset, validating shape, counts and values.

    Parameters
    ----------
    body
        The response body (bytes or str) or an already decoded mapping, e.g. the SCB PxWebApi 2
        answer for TAB6471 (``value: []`` for a metadata body is accepted).

    Returns
    -------
    Dataset
        Dimensions, float64 values (NaN for null), status, units, notes and SCB extensions.

    Raises
    ------
    DecodeError
        If the body is not valid JSON-stat 2.0; the message names what was wrong.
    """
    doc = _load(body)
    ids, sizes, dims_doc = _layout(doc)
    roles = {
        dim_id: role
        for role, role_ids in (doc.get("role") or {}).items()
        for dim_id in role_ids or ()
    }
    dimensions = tuple(
        _dimension(dim_id, size, dims_doc.get(dim_id), roles.get(dim_id))
        for dim_id, size in zip(ids, sizes, strict=True)
    )
    ext = doc.get("extension") or {}
    px = ext.get("px") or {}
    notes, note_mandatory = _notes(doc.get("note"), ext.get("noteMandatory") or {})
    values = _values(doc.get("value"), math.prod(sizes))
    units, measuring_type = _metrics(dims_doc, ids, px.get("decimals"))
    return Dataset(
        label=str(doc.get("label", "")),
        source=str(doc.get("source", "")),
        updated=doc.get("updated"),
        table_id=px.get("tableid"),
        notes=notes,
        note_mandatory=note_mandatory,
        dimensions=dimensions,
        values=values,
        status=_status(doc.get("status"), len(values)),
        units=units,
        measuring_type=measuring_type,
        contact=tuple(
            {str(k): str(v) for k, v in person.items() if v is not None}
            for person in ext.get("contact") or ()
        ),
        px=px,
    )


def _layout(doc: Mapping[str, Any]) -> tuple[list[str], list[int], Mapping[str, Any]]:
    """The dataset's ``id``, ``size`` and ``dimension``, checked to agree with each other."""
    if doc.get("class") != "dataset":
        raise DecodeError(f"JSON-stat class is {doc.get('class')!r}; expected 'dataset'")
    for key in ("id", "size", "dimension"):
        if key not in doc:
            raise DecodeError(f"JSON-stat dataset has no {key!r}; expected id, size and dimension")
    ids, sizes, dims_doc = doc["id"], doc["size"], doc["dimension"]
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise DecodeError(f"JSON-stat 'id' is {ids!r}; expected a list of dimension ids")
    if not isinstance(sizes, list) or not all(type(s) is int and s >= 0 for s in sizes):
        raise DecodeError(f"JSON-stat 'size' is {sizes!r}; expected a list of non-negative ints")
    if len(ids) != len(sizes):
        raise DecodeError(
            f"JSON-stat 'id' has {len(ids)} entries but 'size' has {len(sizes)}; expected equal"
        )
    if not isinstance(dims_doc, Mapping):
        raise DecodeError("JSON-stat 'dimension' is not an object; expected {id: dimension}")
    return ids, sizes, dims_doc


def _notes(raw: Any, mandatory: Mapping[str, Any]) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    """The dataset's notes (one string or a list) and whether each is mandatory."""
    raw = raw or ()
    notes = tuple(str(n) for n in ([raw] if isinstance(raw, str) else raw))
    return notes, tuple(bool(mandatory.get(str(i), False)) for i in range(len(notes)))


def _load(body: bytes | str | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(body, Mapping):
        return body
    try:
        doc = json.loads(body)
    except json.JSONDecodeError as exc:
        raise DecodeError(
            f"invalid JSON ({exc.msg} at line {exc.lineno} column {exc.colno}); "
            "expected a complete JSON-stat 2.0 object"
        ) from exc
    except UnicodeDecodeError as exc:
        raise DecodeError(f"body is not UTF-8 text ({exc.reason}); expected JSON") from exc
    if not isinstance(doc, dict):
        raise DecodeError(f"JSON top level is {type(doc).__name__}; expected a JSON-stat object")
    return doc


def _dimension(dim_id: str, size: int, raw: Any, role: str | None) -> Dimension:
    if not isinstance(raw, Mapping):
        raise DecodeError(f"dimension {dim_id!r} is listed in 'id' but missing from 'dimension'")
    category = raw.get("category") or {}
    labels = category.get("label") or {}
    index = category.get("index")
    if isinstance(index, list):
        codes = [str(code) for code in index]
    elif isinstance(index, Mapping):
        if sorted(p for p in index.values() if type(p) is int) != [*range(len(index))]:
            raise DecodeError(
                f"dimension {dim_id!r}: category.index positions are not 0..{len(index) - 1}; "
                "expected each position exactly once"
            )
        codes = [str(code) for code in sorted(index, key=index.__getitem__)]
    elif index is None and len(labels) == 1:
        # JSON-stat allows omitting index when there is a single category
        codes = [str(code) for code in labels]
    else:
        raise DecodeError(
            f"dimension {dim_id!r}: category.index is {type(index).__name__}; "
            "expected an object {code: position} or a list of codes"
        )
    if len(codes) != size:
        raise DecodeError(
            f"dimension {dim_id!r} has {len(codes)} categories but size says {size}; expected equal"
        )
    if len(set(codes)) != len(codes):
        raise DecodeError(f"dimension {dim_id!r}: category codes repeat; expected unique codes")
    ext = raw.get("extension") or {}
    elimination = ext.get("elimination")
    return Dimension(
        id=dim_id,
        label=str(raw.get("label", dim_id)),
        codes=tuple(codes),
        labels=tuple(str(labels.get(code, code)) for code in codes),
        role=role,
        elimination=None if elimination is None else bool(elimination),
        elimination_value_code=ext.get("eliminationValueCode"),
        extension=ext,
    )


def _values(raw: Any, expected: int) -> npt.NDArray[np.float64]:
    if raw is None or raw == []:
        return np.empty(0, dtype=np.float64)
    if not isinstance(raw, list):
        raise DecodeError(f"JSON-stat 'value' is {type(raw).__name__}; expected a list")
    if len(raw) != expected:
        raise DecodeError(
            f"JSON-stat 'value' has {len(raw)} cells but the product of 'size' is {expected}; "
            "expected equal"
        )
    if not set(map(type, raw)).issubset(_NUMERIC):
        pos, bad = next((i, v) for i, v in enumerate(raw) if type(v) not in _NUMERIC)
        raise DecodeError(f"JSON-stat value at cell {pos} is {bad!r}; expected a number or null")
    # numpy turns None into NaN for a float64 target
    return np.array(raw, dtype=np.float64)


def _status(raw: Any, cells: int) -> dict[int, str]:
    """Accept the three JSON-stat forms: one string for all, a list per cell, or {index: sym}."""
    if raw is None or cells == 0:
        return {}
    if isinstance(raw, str) or (isinstance(raw, list) and len(raw) == 1):
        sym = raw if isinstance(raw, str) else raw[0]
        return {} if sym is None else dict.fromkeys(range(cells), str(sym))
    if isinstance(raw, list):
        if len(raw) != cells:
            raise DecodeError(f"JSON-stat 'status' has {len(raw)} entries; expected {cells} or 1")
        return {i: str(sym) for i, sym in enumerate(raw) if sym is not None}
    if not isinstance(raw, Mapping):
        raise DecodeError(f"JSON-stat 'status' is {type(raw).__name__}; expected str/list/object")
    status = {int(k): str(sym) for k, sym in raw.items() if str(k).isdigit()}
    if len(status) != len(raw) or max(status, default=0) >= cells:
        raise DecodeError(f"JSON-stat 'status' keys {list(raw)[:5]}; expected indexes < {cells}")
    return status


def _metrics(
    dims_doc: Mapping[str, Any], ids: list[str], default_decimals: Any
) -> tuple[dict[str, Unit], dict[str, str]]:
    """Collect category.unit and extension.measuringType, keyed by metric category code."""
    units: dict[str, Unit] = {}
    kinds: dict[str, str] = {}
    for dim_id in ids:
        for code, unit in ((dims_doc[dim_id].get("category") or {}).get("unit") or {}).items():
            decimals = unit.get("decimals", default_decimals)
            base = unit.get("base", unit.get("label", ""))
            units[str(code)] = Unit(str(base), 0 if decimals is None else int(decimals))
        ext = dims_doc[dim_id].get("extension") or {}
        kinds.update({str(code): str(kind) for code, kind in ext.get("measuringType", {}).items()})
    return units, kinds
