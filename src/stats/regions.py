"""Riket, län and kommuner from regions.toml, and the region sets the catalog names."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from stats.errors import CatalogError

REGIONS_FILE = Path(__file__).with_name("regions.toml")

# names a catalog entry may use in `regions`; resolved against the configured home län
REGION_SETS = ("riket", "lan", "hemlan", "hemlan_kommuner", "grannlan", "kommuner")


@dataclass(frozen=True)
class Regions:
    """Region codes and names; `lan[code]` holds name, neighbours and kommuner."""

    riket_code: str
    names: dict[str, str]
    lan_codes: tuple[str, ...]
    neighbours: dict[str, tuple[str, ...]]
    kommuner: dict[str, tuple[str, ...]]

    def name(self, code: str) -> str:
        """Swedish name of a region code, or the code itself when unknown."""
        return self.names.get(code, code)

    def resolve(self, sets: list[str], home: str) -> tuple[str, ...]:
        """Expand region set names and literal codes to an ordered list of codes."""
        if home not in self.kommuner:
            raise CatalogError(f"home region {home!r} is not one of the 21 län codes")
        out: list[str] = []
        for item in sets:
            if item == "riket":
                codes: tuple[str, ...] = (self.riket_code,)
            elif item == "lan":
                codes = self.lan_codes
            elif item == "hemlan":
                codes = (home,)
            elif item == "hemlan_kommuner":
                codes = self.kommuner[home]
            elif item == "grannlan":
                codes = self.neighbours[home]
            elif item == "kommuner":
                codes = tuple(k for lan in self.lan_codes for k in self.kommuner[lan])
            elif item in self.names:
                codes = (item,)
            else:
                raise CatalogError(
                    f"unknown region {item!r}: expected one of {', '.join(REGION_SETS)} "
                    "or a code in regions.toml"
                )
            out.extend(c for c in codes if c not in out)
        return tuple(out)


@cache
def load_regions(path: Path = REGIONS_FILE) -> Regions:
    """Load regions.toml (cached: the file is part of the package)."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    names = {raw["riket"]["code"]: raw["riket"]["name"]}
    lan = raw["lan"]
    names.update({code: entry["name"] for code, entry in lan.items()})
    names.update(raw["kommun"])
    return Regions(
        riket_code=raw["riket"]["code"],
        names=names,
        lan_codes=tuple(lan),
        neighbours={code: tuple(entry["neighbours"]) for code, entry in lan.items()},
        kommuner={code: tuple(entry["kommuner"]) for code, entry in lan.items()},
    )
