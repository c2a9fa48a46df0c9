"""Which home län a release served: a län code, or every län when nothing in it is home-relative.

A series declared with a home-relative region set (hemlan, hemlan_kommuner, grannlan) is fetched
for the configured home län, so its content belongs to that län. Its release is stamped with the
län whose sets hold the regions beyond the series' fixed ones (riket, the 21 län, all kommuner,
literal codes). A release without such regions, such as the embedded snapshot's monthly
population of the 21 län, serves every home län alike and is stamped ANY_HOME.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from stats.catalog.load import Catalog, Series
from stats.regions import HOME_SETS, Regions, load_regions
from stats.store.read import series_overview, unrecorded_homes
from stats.store.schema import ANY_HOME
from stats.store.write import Store


def served_home(
    series: Series, codes: Iterable[str], home: str, regions: Regions | None = None
) -> str:
    """The home län a release of `series` with these region codes served, e.g. "23".

    `home` is the län it was fetched for, tried first; content fetched for another län (a
    snapshot recorded elsewhere) is stamped with that län, found from its codes.
    """
    relative = [item for item in series.regions if item in HOME_SETS]
    if not relative:
        return ANY_HOME
    regions = regions or load_regions()
    fixed = [item for item in series.regions if item not in HOME_SETS]
    extra = set(codes) - set(regions.resolve(fixed, home))
    if not extra:
        return ANY_HOME
    for lan in (home, *regions.lan_codes):
        if extra <= set(regions.resolve(relative, lan)):
            return lan
    return home


def attempt_home(series: Series, home: str) -> str:
    """The home län a fetch attempt of `series` for `home` is logged for: `home` when the
    series holds a home-relative region set, else ANY_HOME (it is the same for every län)."""
    return home if any(item in HOME_SETS for item in series.regions) else ANY_HOME


def stamp_unrecorded(store: Store, catalog: Catalog, home: str) -> int:
    """Stamp the releases of a file from before homes were recorded; returns how many.

    A series no longer in the catalog is stamped ANY_HOME, as nothing says whose it was.
    """
    stamps = {
        release_id: (
            served_home(catalog.series[series_id], codes, home)
            if series_id in catalog.series
            else ANY_HOME
        )
        for release_id, series_id, codes in unrecorded_homes(store.con)
    }
    store.stamp_home(stamps)
    return len(stamps)


def served_name(home_region: str | None) -> str:
    """Whom a release was fetched for, in Swedish: "Jämtlands län", "alla län", or "" unknown."""
    if home_region is None:
        return ""
    return "alla län" if home_region == ANY_HOME else load_regions().name(home_region)


def other_homes_only(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Series with no release for the configured home län: the län their releases serve."""
    overview = series_overview(con, [])
    if overview.empty:
        return {}
    rows = overview[overview["release_id"].isna() & overview["other_homes"].notna()]
    return {str(r.series_id): str(r.other_homes).split(",") for r in rows.itertuples()}
