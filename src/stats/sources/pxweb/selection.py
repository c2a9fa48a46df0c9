"""PxWeb selections without I/O: expand codes and expressions, split by maxDataCells, build bodies.

Shared by the PxWebApi clients; mirrors the server's selection expressions (SCB.md §1.2).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from stats.errors import SchemaChanged, SourceError
from stats.ingest.jsonstat import Dataset

_COUNT_EXPR = re.compile(r"(top|bottom)\(([1-9]\d*)(?:,(\d+))?\)", re.IGNORECASE)
_CODE_EXPR = re.compile(r"(from|to)\(([^,()]+)\)", re.IGNORECASE)
_RANGE_EXPR = re.compile(r"range\(([^,()]+),([^,()]+)\)", re.IGNORECASE)


@dataclass(frozen=True)
class Selection:
    """Codes or PxWebApi expressions to select for one variable, optionally via a codelist."""

    values: tuple[str, ...]
    codelist: str | None = None
    output_values: str | None = None


def expand_values(
    values: Sequence[str], codes: Sequence[str], *, is_time: bool = False
) -> list[str]:
    """Resolve codes and expressions to a variable's codes, in metadata order, like the server.

    Parameters
    ----------
    values : codes or expressions (case-insensitive): ``*``/``?`` wildcards, ``top(n[,offset])``,
        ``bottom(n[,offset])`` (counted from the latest period when ``is_time``), ``from(code)``,
        ``to(code)``, ``range(a,b)``. An unknown code raises SchemaChanged.

    Examples
    --------
    >>> expand_values(["top(2)"], ["2026M01", "2026M02", "2026M03"], is_time=True)
    ['2026M02', '2026M03']
    """
    folded = [c.casefold() for c in codes]
    chosen: set[int] = set()
    for value in values:
        if value.casefold() in folded:
            chosen.add(folded.index(value.casefold()))
        else:
            chosen.update(_expression_indices(value.strip(), folded, is_time))
    return [codes[i] for i in sorted(chosen)]


def _expression_indices(expr: str, folded: list[str], is_time: bool) -> range | list[int]:
    n = len(folded)
    if "*" in expr or "?" in expr:
        pattern = re.escape(expr.casefold()).replace(r"\*", ".*").replace(r"\?", ".")
        return [i for i, c in enumerate(folded) if re.fullmatch(pattern, c)]
    if m := _COUNT_EXPR.fullmatch(expr):
        count, offset = int(m[2]), int(m[3] or 0)
        from_end = (m[1].lower() == "top") == is_time
        if from_end:
            return range(max(0, n - offset - count), max(0, n - offset))
        return range(min(n, offset), min(n, offset + count))
    if m := _CODE_EXPR.fullmatch(expr):
        i = _code_index(m[2], folded, expr)
        return range(i, n) if m[1].lower() == "from" else range(i + 1)
    if m := _RANGE_EXPR.fullmatch(expr):
        a, b = sorted((_code_index(m[1], folded, expr), _code_index(m[2], folded, expr)))
        return range(a, b + 1)
    raise SchemaChanged(f"code {expr!r} is not among the variable's {n} codes")


def _code_index(code: str, folded: list[str], expr: str) -> int:
    try:
        return folded.index(code.strip().casefold())
    except ValueError:
        raise SchemaChanged(
            f"code {code!r} in {expr!r} is not among the variable's codes"
        ) from None


def split_selection(
    expanded: Mapping[str, Sequence[str]], max_cells: int
) -> list[dict[str, list[str]]]:
    """Split the largest variable into chunks until every part has at most ``max_cells`` cells."""
    if max_cells < 1:
        raise SourceError(f"max_data_cells must be at least 1, got {max_cells}")
    parts = {var: list(codes) for var, codes in expanded.items()}
    cells = cell_count(parts)
    if cells <= max_cells or not parts:
        return [parts]
    var = max(parts, key=lambda v: len(parts[v]))
    codes = parts[var]
    size = max(1, max_cells // (cells // len(codes)))
    chunks: list[dict[str, list[str]]] = []
    for start in range(0, len(codes), size):
        chunks.extend(split_selection({**parts, var: codes[start : start + size]}, max_cells))
    return chunks


def cell_count(expanded: Mapping[str, Sequence[str]]) -> int:
    return math.prod(len(codes) for codes in expanded.values())


def expand_selection(meta: Dataset, selection: Mapping[str, Selection]) -> dict[str, list[str]]:
    """Check the selection against the metadata and expand it, in dimension order."""
    names = ", ".join(dim.id for dim in meta.dimensions)
    for var in selection.keys() - {dim.id for dim in meta.dimensions}:
        raise SchemaChanged(f"variable {var!r} is not in the table (variables: {names})")
    expanded: dict[str, list[str]] = {}
    for dim in meta.dimensions:
        sel = selection.get(dim.id)
        if sel is None:
            if not dim.elimination:
                raise SchemaChanged(
                    f"mandatory variable {dim.id!r} is not in the catalog query"
                    f" — has the table changed? (variables: {names})"
                )
            continue
        try:
            codes = expand_values(sel.values, dim.codes, is_time=dim.role == "time")
        except SchemaChanged as exc:
            raise SchemaChanged(f"variable {dim.id!r}: {exc}") from None
        if not codes:
            raise SchemaChanged(f"variable {dim.id!r}: {list(sel.values)} match no codes")
        expanded[dim.id] = codes
    return expanded


def selection_body(
    part: Mapping[str, list[str]],
    expanded: Mapping[str, list[str]],
    selection: Mapping[str, Selection],
) -> str:
    """JSON body for one request; unsplit variables keep their expressions as written."""
    entries = []
    for var, codes in part.items():
        sel = selection[var]
        entry: dict[str, Any] = {
            "variableCode": var,
            "valueCodes": list(sel.values) if codes == expanded[var] else codes,
        }
        if sel.codelist:
            entry["codelist"] = sel.codelist
            if sel.output_values and sel.codelist.startswith("agg_"):
                entry["outputValues"] = sel.output_values
        entries.append(entry)
    return json.dumps({"selection": entries}, ensure_ascii=False)
