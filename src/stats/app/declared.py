"""What the catalog declares, shown before (or instead of) data: sources, order, "no data"."""

from __future__ import annotations

from stats.analysis.selection import swedish_key
from stats.catalog.load import Catalog, Series
from stats.present.citation import declared_publisher

NO_DATA = "Ingen data ännu — kör `stats refresh`"


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


def missing_text(series: Series) -> str:
    """ "<title> (<publisher, tables>): Ingen data ännu — kör `stats refresh`"."""
    return f"{series.title} ({declared_source(series)}): {NO_DATA}"
