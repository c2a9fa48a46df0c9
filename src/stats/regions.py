"""Riket, län and kommuner from regions.toml, and the region sets the catalog names."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from stats.errors import CatalogError

REGIONS_FILE = Path(__file__).with_name("regions.toml")

# names a catalog entry may use in `regions`; resolved against the configured home län
REGION_SETS = ("riket", "lan", "hemlan", "hemlan_kommuner", "grannlan", "kommuner")
# the sets whose codes depend on the home län (and so are recorded when a meeting is frozen)
HOME_SETS = ("hemlan", "hemlan_kommuner", "grannlan")


@dataclass(frozen=True)
class Regions:
    """Region codes and names; `lan[code]` holds name, neighbours and kommuner."""

    riket_code: str
    names: dict[str, str]
    lan_codes: tuple[str, ...]
    neighbours: dict[str, tuple[str, ...]]
    kommuner: dict[str, tuple[str, ...]]
    organisations: dict[str, str]

    def name(self, code: str) -> str:
        """Swedish name of a region code, or the code itself when unknown."""
        return self.names.get(code, code)

    def resolve(self, sets: list[str], home: Home) -> tuple[str, ...]:
        """Expand region set names and literal codes to an ordered list of codes.

        `home` is a län code, or a Place whose recorded home sets are used as they are.
        """
        place = home if isinstance(home, Place) else self.place(home)
        out: list[str] = []
        for item in sets:
            if item == "riket":
                codes: tuple[str, ...] = (self.riket_code,)
            elif item == "lan":
                codes = self.lan_codes
            elif item in HOME_SETS:
                codes = place.codes(item)
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

    def check(self, sets: list[str]) -> None:
        """Check region set names and literal codes without assuming any home län."""
        for item in sets:
            if item not in REGION_SETS and item not in self.names:
                raise CatalogError(
                    f"unknown region {item!r}: expected one of {', '.join(REGION_SETS)} "
                    "or a code in regions.toml"
                )

    def is_single(self, item: str) -> bool:
        """Whether a set name or code always stands for exactly one region, for any home län."""
        return item in ("hemlan", "riket") or (item in self.names and item not in REGION_SETS)

    def place(self, home: str) -> Place:
        """The home län's place as regions.toml describes it today."""
        if home not in self.kommuner:
            raise CatalogError(f"home region {home!r} is not one of the 21 län codes")
        return Place(
            home=home,
            sets=(
                ("hemlan", (home,)),
                ("hemlan_kommuner", self.kommuner[home]),
                ("grannlan", self.neighbours[home]),
            ),
            processor=self.organisations[home],
        )


@dataclass(frozen=True)
class Place:
    """Whose statistics these are: the home län, its region sets and who processed the figures.

    Made from regions.toml for current views (`Regions.place`), and recorded in a frozen
    meeting so that it shows the same regions and source lines whatever the configuration
    says later.
    """

    home: str
    sets: tuple[tuple[str, tuple[str, ...]], ...]
    processor: str

    def codes(self, region_set: str) -> tuple[str, ...]:
        """The codes of one home-dependent set (hemlan, hemlan_kommuner, grannlan)."""
        return dict(self.sets)[region_set]


def load_regions(path: Path | None = None) -> Regions:
    """Load regions.toml, or the file STATS_REGIONS_FILE names (a deployment's own neighbour
    list or organisation names)."""
    return _load_regions(path or Path(os.environ.get("STATS_REGIONS_FILE", REGIONS_FILE)))


@cache
def _load_regions(path: Path) -> Regions:
    """One file's regions (cached per path: the files do not change while the app runs)."""
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
        organisations={code: entry["organisation"] for code, entry in lan.items()},
    )


# where a view's home län comes from: a län code (resolved against regions.toml now) or a
# recorded Place (a frozen meeting's)
Home = str | Place


def home_code(home: Home) -> str:
    """The län code of a home, e.g. "23"."""
    return home.home if isinstance(home, Place) else home


def as_place(home: Home) -> Place:
    """A home as a Place: a recorded one as it is, a län code as regions.toml says today."""
    return home if isinstance(home, Place) else load_regions().place(home)
