"""Circular-economy definition sets (definitions/circular.toml): loaded, validated, as a table."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from stats.analysis.sni import normalize_sni
from stats.errors import CatalogError

SETS_FILE = Path(__file__).parents[1] / "catalog" / "definitions" / "circular.toml"


@dataclass(frozen=True)
class DefinitionSet:
    """A named, versioned list of SNI codes that make up the circular sector."""

    id: str
    name: str
    version: str
    source: str
    codes: tuple[str, ...]


def load_sets(path: Path = SETS_FILE) -> list[DefinitionSet]:
    """Parse the definition sets; an invalid SNI code fails with file, set and code."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(f"{path.name}: cannot read definition sets: {exc}") from None
    sets = []
    for set_id, entry in raw.get("set", {}).items():
        where = f"{path.name}: set.{set_id}"
        for key in ("name", "version", "source", "codes"):
            if not entry.get(key):
                raise CatalogError(f"{where}.{key}: required")
        codes = []
        for code in entry["codes"]:
            normal = normalize_sni(str(code))
            if normal is None:
                raise CatalogError(f"{where}.codes: {code!r} is not a valid SNI 2007 code")
            codes.append(normal)
        if len(set(codes)) != len(codes):
            raise CatalogError(f"{where}.codes: a code is listed twice")
        sets.append(
            DefinitionSet(set_id, entry["name"], entry["version"], entry["source"], tuple(codes))
        )
    if not sets:
        raise CatalogError(f"{path.name}: at least one [set.<id>] is required")
    return sets


def sets_frame(sets: list[DefinitionSet]) -> pd.DataFrame:
    """One row per (set, code) for SQL: set_id, set_name, version, source, code (digits only)."""
    return pd.DataFrame(
        [
            (s.id, s.name, s.version, s.source, code.replace(".", ""))
            for s in sets
            for code in s.codes
        ],
        columns=["set_id", "set_name", "version", "source", "code"],
    )
