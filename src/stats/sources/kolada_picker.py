"""Add a Kolada KPI as a series: a catalog entry written as TOML data to the local catalog.

The analyst picks a KPI from the catalogue (`kolada_catalogue`); `add_kpi_series` writes
`<STATS_CATALOG_LOCAL>/kolada_<id>.toml` with one series, `kolada_<id>`, from 2010, by sex when
Kolada divides the KPI so, for Riket and what the KPI has values for (its municipality type):
the home län (L, regions), its kommuner (K) or both (A). The entry is built as a
dict and written with tomli_w, never by formatting text; it is read back through the catalog
loader (same validation as catalog.d, the id must be new) before an atomic rename puts it in
place. The next `stats refresh` fetches it through the Kolada adapter; until then the pages say
"Ingen data ännu — kör `stats refresh`". `remove_kpi_series` deletes such a file again; the
built-in catalog (catalog.d) is never touched.

Messages are Swedish: they are shown to the analyst as text (escaped by the page).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

from stats.catalog.load import Catalog, load_catalog, local_catalog_dir
from stats.errors import CatalogError, StatsError
from stats.sources.kolada import ATTRIBUTION, KPI_ID, SOURCE_TEXT
from stats.sources.kolada_catalogue import Kpi, KpiCatalogue

FROM_YEAR = 2010
# the regions asked for by the KPI's municipality_type: Kolada has values for kommuner (K),
# for regions, i.e. län (L), or for both (A); a KPI is asked only for what it has, as the
# adapter fails when an asked region does not answer. Riket (0000) answers for every type.
REGIONS_BY_TYPE = {
    "K": ["riket", "hemlan_kommuner"],
    "L": ["riket", "hemlan"],
    "A": ["riket", "hemlan", "hemlan_kommuner"],
}
MAX_ID_INPUT = 20
HEADER = (
    "# Added with the Kolada picker (page 'Kolada-nyckeltal'); fetched by `stats refresh`.\n"
    "# Written as data by src/stats/sources/kolada_picker.py; remove it on the same page.\n"
)


class PickError(StatsError):
    """A KPI cannot be added; the message is Swedish, for the analyst."""


@dataclass(frozen=True)
class Added:
    """A KPI added as a series: its series id and the file that declares it."""

    series_id: str
    path: Path


def checked_kpi_id(text: str) -> str:
    """The KPI id in `text` (spaces and case forgiven), or PickError."""
    kpi_id = text.strip().upper()[: MAX_ID_INPUT + 1]
    if len(kpi_id) > MAX_ID_INPUT or not KPI_ID.fullmatch(kpi_id):
        raise PickError(
            "Ogiltigt nyckeltals-id. Ett Kolada-id är en bokstav och fem siffror, t.ex. N00945."
        )
    return kpi_id


def series_id_for(kpi_id: str) -> str:
    """The series id a KPI gets: "N00945" → "kolada_n00945"."""
    return f"kolada_{checked_kpi_id(kpi_id).lower()}"


def _unit(title: str) -> str:
    """Kolada puts the unit after the last comma of a title ("…, antal/1000 inv")."""
    head, sep, tail = title.rpartition(",")
    return tail.strip() if sep and head.strip() and tail.strip() else "värde"


def regions_for(kpi: Kpi) -> list[str]:
    """The region sets a KPI is fetched for, by its municipality type (all three if unknown)."""
    return REGIONS_BY_TYPE.get(kpi.municipality_type.strip().upper(), REGIONS_BY_TYPE["A"])


def catalog_entry(kpi: Kpi) -> dict[str, Any]:
    """The catalog file's content for one KPI, as data."""
    description = f"{kpi.id} {kpi.title}. {kpi.description}".strip().rstrip(".")
    part = {"source": "kolada", "table": kpi.id, "options": {"from_year": FROM_YEAR}}
    return {
        "publisher": SOURCE_TEXT,
        "series": {
            series_id_for(kpi.id): {
                "title": f"{kpi.title} (Kolada {kpi.id})",
                "unit": _unit(kpi.title),
                "frequency": "year",
                "regions": regions_for(kpi),
                "dims": ["kpi", "gender"] if kpi.divided_by_gender else ["kpi"],
                "description": f"{description} {ATTRIBUTION}.",
                "parts": [part],
            }
        },
    }


def _validate(tmp: Path, series_id: str, current: Catalog) -> None:
    """The written file loads like any catalog file and declares only a new series."""
    try:
        new = load_catalog(tmp, include_local=False)
    except CatalogError as exc:
        raise PickError(f"Katalogposten blev ogiltig och sparades inte: {exc}") from None
    if list(new.series) != [series_id] or series_id in current.series:
        raise PickError(f"Serien {series_id} finns redan i katalogen.")


def add_kpi_series(kpi_text: str, catalogue: KpiCatalogue, folder: Path | None = None) -> Added:
    """Write the catalog entry for the KPI `kpi_text` names; PickError (Swedish) otherwise.

    Examples
    --------
    >>> add_kpi_series("N00926", load_kpi_catalogue())  # doctest: +SKIP
    Added(series_id='kolada_n00926', path=PosixPath('data/catalog.local.d/kolada_n00926.toml'))
    """
    kpi_id = checked_kpi_id(kpi_text)
    kpi = catalogue.get(kpi_id)
    if kpi is None:
        raise PickError(f"Nyckeltalet {kpi_id} finns inte i Koladas katalog ({catalogue.origin}).")
    series_id = series_id_for(kpi_id)
    current = load_catalog()
    if series_id in current.series:
        raise PickError(f"Nyckeltalet {kpi_id} finns redan som serien {series_id}.")
    folder = folder or local_catalog_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{series_id}.toml"
    # the loader reads *.toml only, so the temporary file is never half-read as catalog
    tmp = folder / f".{series_id}.{os.getpid()}.toml.tmp"
    try:
        tmp.write_text(HEADER + tomli_w.dumps(catalog_entry(kpi)), encoding="utf-8")
        _validate(tmp, series_id, current)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return Added(series_id, target)


def local_kolada_series(folder: Path | None = None) -> list[str]:
    """Series ids the picker has added (files kolada_<id>.toml in the local catalog)."""
    folder = folder or local_catalog_dir()
    return sorted(p.stem for p in folder.glob("kolada_*.toml")) if folder.is_dir() else []


def remove_kpi_series(series_id: str, folder: Path | None = None) -> Path:
    """Delete the local catalog file of a series the picker added; PickError otherwise.

    Only files `kolada_<id>.toml` in the local catalog folder qualify, never a built-in series.
    Stored releases stay in the database; the series is no longer declared or fetched.
    """
    folder = folder or local_catalog_dir()
    kpi_id = series_id.removeprefix("kolada_").upper()
    if not KPI_ID.fullmatch(kpi_id) or series_id not in local_kolada_series(folder):
        raise PickError(
            f"Serien {series_id[:60]} kan inte tas bort här: bara nyckeltal som lagts till "
            "på den här sidan kan tas bort."
        )
    path = folder / f"{series_id}.toml"
    path.unlink()
    return path
