"""Import an analyst's file into the store, through the same decode → store path as a refresh."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from stats.catalog.load import Series
from stats.config import Settings
from stats.errors import StatsError
from stats.ingest.refresh import Outcome, run_series
from stats.sources.base import FetchedPart
from stats.sources.http import RawResponse
from stats.sources.registry import default_sources
from stats.store.write import open_writer
from stats.text import clean


def import_file(settings: Settings, series: Series, path: Path) -> Outcome:
    """Store an analyst's file as a new release of an import series (all rows or nothing).

    Parameters
    ----------
    settings
        Where the database and the raw archive are.
    series
        An import series of the catalog, e.g. ``"sysselsatta_sni_detalj"``.
    path
        The CSV or XLSX file.
    """
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise StatsError(f"{path}: cannot read the file: {exc.strerror}") from None
    return import_content(settings, series, path.name, content)


def safe_file_name(name: str) -> str:
    """A client's file name reduced to a label: the last path part, letters, digits, `._-`."""
    base = clean(name).replace("\\", "/").rsplit("/", 1)[-1]
    label = re.sub(r"[^\w.\- ]", "_", base).strip(" .")[:100]
    return label or "fil"


def import_content(settings: Settings, series: Series, name: str, content: bytes) -> Outcome:
    """Like `import_file` for an upload: the bytes and the client's file name.

    The name is only a label in the provenance (never a path); the type is read from the bytes.
    """
    raw = RawResponse(f"file:{safe_file_name(name)}", "IMPORT", "", content, 200, datetime.now(UTC))
    part = series.parts[0]
    fetched = [FetchedPart(part, 0, part.source, part.table or "import", (raw,))]
    with open_writer(settings.db_path) as store:
        return run_series(store, settings.raw_dir, default_sources(), series, lambda _s: fetched)
