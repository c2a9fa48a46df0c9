"""Cheap calls that tell whether a source may have changed, made before any data call.

Each probe uses the adapter's own client (its pacing and retries) and reads one small answer:
SCB's `/tables/{id}` (`updated`, `nextUpdate`), a PxWeb v1 folder listing (`updated`), an
Arbetsförmedlingen index page plus a HEAD of the newest file (link and `Content-Length`) and
Kolada's KPI metadata (`publication_date`, `prel_publication_date`). `ingest.due` decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stats.catalog.load import Part, Series
from stats.sources.af import excel, monthly
from stats.sources.af.links import newest_link
from stats.sources.http import HttpClient
from stats.sources.kolada import KoladaSource, envelope
from stats.sources.pxweb.scb_source import ScbSource
from stats.sources.pxweb.tillvaxtanalys import TillvaxtanalysSource

KOLADA_DATES = ("publication_date", "prel_publication_date")


@dataclass(frozen=True)
class TableStamp:
    """What a table listing says about one table's updates."""

    table_id: str
    updated: str | None
    next_update: str | None = None


@dataclass(frozen=True)
class FileStamp:
    """The newest matching file on an index page: its URL, file name and size in bytes."""

    url: str
    name: str
    size: int | None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def scb_table(source: ScbSource, table_id: str) -> TableStamp:
    """`updated` and `nextUpdate` of an SCB table from `/tables/{id}` (one small GET)."""
    table = source.client.get_table(table_id)
    return TableStamp(table_id, _text(table.get("updated")), _text(table.get("nextUpdate")))


def v1_table(source: TillvaxtanalysSource, series: Series, part: Part) -> TableStamp:
    """A PxWeb v1 table's `updated` as its folder listing gives it (None if it gives none)."""
    folder, table_id = source.locate_table(series, part)
    items = source.client.list_folder(folder, series=series.id)
    found = next((item for item in items if item.id == table_id), None)
    return TableStamp(table_id, found.updated if found else None)


def af_file(client: HttpClient, series: Series, part: Part) -> FileStamp:
    """The newest AF file the part would download, and its `Content-Length` from a HEAD."""
    if part.source == "af_varsel":
        opts: excel.AfOptions | monthly.MonthlyOptions = excel.parse_options(series, part)
    else:
        opts = monthly.parse_options(series, part)
    link = newest_link(client, opts.index_url, opts.link_pattern, series.id)
    head = client.request("HEAD", link.url, series=series.id)
    length = head.headers.get("Content-Length", "")
    return FileStamp(link.url, link.name, int(length) if length.isdigit() else None)


def kolada_dates(source: KoladaSource, kpis: list[str], series: str) -> list[str]:
    """Every publication date (YYYY-MM-DD) Kolada's KPI metadata gives for these KPIs."""
    dates = set()
    for page in source.client.fetch_kpis(kpis, series=series):
        for kpi in envelope(page.content, page.url, series)["values"]:
            for key in KOLADA_DATES:
                value = _text(kpi.get(key)) if isinstance(kpi, dict) else None
                if value:
                    dates.add(value[:10])
    return sorted(dates)
