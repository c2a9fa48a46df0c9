"""What a view of one series selects by default: region order, default codes, the unit shown."""

from __future__ import annotations

from typing import Any

from stats.analysis.totals import is_total
from stats.catalog.load import Series
from stats.regions import Regions

_SWEDISH_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}"})


def swedish_key(text: str) -> str:
    """Sort key with å, ä, ö after z, in that order."""
    return text.casefold().translate(_SWEDISH_ORDER)


def region_order(codes: list[str], regions: Regions, home: str, names: dict[str, str]) -> list[str]:
    """Riket, the home län, its kommuner and grannlän first; then the other län and kommuner."""
    present = set(codes)
    near = [
        regions.riket_code,
        home,
        *regions.kommuner.get(home, ()),
        *regions.neighbours.get(home, ()),
        *regions.lan_codes,
    ]
    first = [c for c in dict.fromkeys(near) if c in present]
    rest = sorted(present - set(first), key=lambda c: swedish_key(names.get(c) or c))
    return first + rest


def default_code(dim: str, codes: list[str], labels: dict[str, str]) -> int:
    """Index of the default code: the newest vintage, a total such as "TotSa", or the first."""
    if dim == "vintage":
        return len(codes) - 1
    for i, code in enumerate(codes):
        if is_total(code, labels.get(code, "")):
            return i
    return 0


def unit_of(
    meta: dict[str, Any], series: Series, dims: dict[str, str], picked: list[str]
) -> tuple[str, int]:
    """Unit and decimals of the selection: per code when the source gives them, else the series'.

    A catalog unit such as "personer respektive procent" is narrowed by the selected codes and
    labels ("Förändring, procent" → "procent").
    """
    units: dict[str, dict[str, Any]] = meta.get("units", {})
    for code in dims.values():
        if code in units:
            return str(units[code].get("base") or series.unit), int(units[code].get("decimals", 0))
    entry = units.get("value") or (next(iter(units.values())) if len(units) == 1 else {})
    return narrow_unit(series.unit, [*dims.values(), *picked]), int(entry.get("decimals", 0))


def narrow_unit(unit: str, texts: list[str]) -> str:
    """One part of "X respektive Y" that the selected codes name, e.g. "procent" for "..._pct"."""
    parts = unit.split(" respektive ")
    if len(parts) != 2:
        return unit
    said = " ".join(texts).casefold()
    for part in parts:
        words = {part.casefold()} | ({"pct", "andel", "procent"} if part == "procent" else set())
        if any(w in said for w in words):
            return part
    if "procent" in parts:
        return next(p for p in parts if p != "procent")
    return unit
