"""What the catalog declares, shown before (or instead of) data: sources, order, "no data".

Every page says the same thing where the home län has no figures: "Ingen data ännu för
Dalarnas län — kör `stats refresh`" (`no_data`), and a series declared for other län only
says whose figures it holds instead of passing them off as the home län's (`missing_text`).
"""

from __future__ import annotations

from collections.abc import Iterable

from stats.analysis.selection import swedish_key
from stats.app.db import Db, load_fetched_elsewhere
from stats.catalog.load import Catalog, Series
from stats.config import load_settings
from stats.present.citation import declared_publisher
from stats.regions import load_regions

# the one wording for a home län without data; {name} is the län, e.g. "Dalarnas län"
NO_DATA = "Ingen data ännu för {name} — kör `stats refresh`"
# region sets that hold the home län or its kommuner, whichever län is home
COVERS_HOME = ("lan", "hemlan", "hemlan_kommuner", "kommuner")
# more län than this are counted, not named
NAMED_OWNERS = 2


def home_name(home: str | None = None) -> str:
    """The home län's name, e.g. "Dalarnas län" (default: the configured home)."""
    return load_regions().name(home or load_settings().home_region)


def no_data_for(name: str) -> str:
    """ "Ingen data ännu för <name> — kör `stats refresh`", e.g. for "kommunerna i Dalarnas län"."""
    return NO_DATA.format(name=name)


def no_data(home: str | None = None) -> str:
    """ "Ingen data ännu för Dalarnas län — kör `stats refresh`" (default: the configured home)."""
    return no_data_for(home_name(home))


def declared_tables(series: Series) -> list[str]:
    """The tables the catalog declares, e.g. ["TAB638", "TAB5557"], before any fetch."""
    tables: dict[str, None] = {}
    for part in series.parts:
        if part.options.get("label"):
            tables[str(part.options["label"])] = None
        elif part.table:
            tables[part.table] = None
        elif part.discover:
            tables[f"tabell som söks fram med ”{part.discover.query}”"] = None
    return list(tables)


def declared_source(series: Series) -> str:
    """Publisher and tables the catalog declares, e.g. "SCB, TAB3138"."""
    return ", ".join([declared_publisher(series), *declared_tables(series)])


def ordered_series(catalog: Catalog, with_data: set[str] | None = None) -> list[Series]:
    """Catalog series by publisher and title; those in `with_data` (when given) first."""
    return sorted(
        catalog.series.values(),
        key=lambda s: (
            with_data is not None and s.id not in with_data,
            swedish_key(declared_publisher(s)),
            swedish_key(s.title),
        ),
    )


def declared_owners(series: Series, home: str) -> tuple[str, ...]:
    """The län a series declared with literal codes only belongs to, when the home län is not
    one of them: ("23",) for Jämtland's press releases; () when the series covers the home."""
    regions = load_regions()
    if set(series.regions) & set(COVERS_HOME):
        return ()
    # a kommun's code starts with its län's
    owners = tuple(
        dict.fromkeys(
            code[:2]
            for code in series.regions
            if code in regions.names and code != regions.riket_code
        )
    )
    return () if home in owners else owners


def owners_text(series: Series, owners: tuple[str, ...]) -> str:
    """Whose figures: "Jämtlands län", "kommunerna i Jämtlands län", "riket och 14 andra län"."""
    regions = load_regions()
    if len(owners) > NAMED_OWNERS:
        names = [f"{len(owners)} andra län"]
    else:
        names = [
            regions.name(o) if o in series.regions else f"kommunerna i {regions.name(o)}"
            for o in owners
        ]
    if regions.riket_code in series.regions:
        names.insert(0, "riket")
    return " och ".join(names)


def missing_reason(series: Series, elsewhere: Iterable[str] = (), home: str | None = None) -> str:
    """Why the home län has no figures in a series.

    "Ingen data ännu för Dalarnas län — kör `stats refresh`", naming the län in `elsewhere` it
    was fetched for instead; for a series declared for other län only, "Uppgifterna gäller
    bara Jämtlands län, inte Dalarnas län".
    """
    home = home or load_settings().home_region
    owners = declared_owners(series, home)
    if owners:
        return f"Uppgifterna gäller bara {owners_text(series, owners)}, inte {home_name(home)}"
    others = [load_regions().name(code) for code in elsewhere]
    if not others:
        return no_data(home)
    return f"{no_data(home)}; det som finns är hämtat för {' och '.join(others)}"


def missing_text(series: Series, elsewhere: Iterable[str] = (), home: str | None = None) -> str:
    """ "<title> (<publisher, tables>): <why the home län has no figures>" (`missing_reason`)."""
    return f"{series.title} ({declared_source(series)}): {missing_reason(series, elsewhere, home)}"


def fetched_elsewhere(series: Series, db: Db | None, home: str) -> list[str]:
    """The län a series was fetched for when it has no release for the home län, e.g. ["23"]."""
    return [] if db is None else load_fetched_elsewhere(*db, home).get(series.id, [])


def series_missing(series: Series, db: Db | None, home: str) -> str:
    """`missing_text` naming the län the series was fetched for when not for the home län."""
    return missing_text(series, fetched_elsewhere(series, db, home), home)
