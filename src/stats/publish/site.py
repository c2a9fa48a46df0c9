"""Publish a meeting as a static folder any web server (or file://) can serve, and its PDF.

The folder:

    index.html                  the published meetings, newest first
    tillganglighet.html         the accessibility statement
    assets/                     site.css, charts.js and plotly.min.js (bundled, no CDN)
    2024-06-17/index.html       the meeting's page
    2024-06-17/bilder/*.png     a still picture per chart (alt text; what print shows)
    2024-06-17/filer/           PDF, DOCX, PPTX, XLSX, and a CSV and a PNG per chart
    2024-06-17/meeting.json     what the index lists about the meeting

A frozen meeting is drawn over its pinned releases, so republishing it gives the same pages.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import duckdb

from stats.errors import StatsError
from stats.export.files import export_section
from stats.export.from_meeting import meeting_section
from stats.export.images import ImageRenderer
from stats.export.pictures import PLAIN, kinds_for, queue_pictures
from stats.meetings.model import Meeting
from stats.publish.html import ASSETS, STATEMENT_FILE, Listed, index_body, page
from stats.publish.meeting_page import PageFiles, download_list
from stats.publish.render import PAGE, write_assets, write_page, write_pictures
from stats.publish.statement import statement_body
from stats.regions import Home

LISTING = "meeting.json"
DOWNLOADS = "filer"
# the downloads besides the PDF, which is printed from the page itself
EXPORTED = ("docx", "pptx", "xlsx", "csv", "png")


class NotPublished(StatsError):
    """The meeting's folder in the site exists but is not a publication of the meeting; the
    message (English, with the CLI's --out) is for the command line and the log, `swedish` for
    the app."""

    def __init__(self, folder: Path) -> None:
        super().__init__(
            f"{folder} exists but is not a published meeting (no {LISTING}); choose another --out"
        )
        self.swedish = (
            f"Publiceringsmappen innehåller redan en mapp {folder.name} som inte är en "
            f"publicering av mötet (filen {LISTING} saknas), så den ersätts inte. Flytta eller "
            "ta bort den mappen, eller be den som driftar tjänsten att välja en annan "
            "publiceringsmapp (STATS_PUBLISH_DIR)."
        )


def _check_target(folder: Path) -> None:
    """Refuse to replace a folder that is not an earlier publication of the meeting."""
    if folder.exists() and not (folder / LISTING).is_file():
        raise NotPublished(folder)


def _swap_in(new: Path, folder: Path) -> None:
    """Put the newly built folder in place of the earlier publication."""
    if folder.exists():
        old = folder.with_name(f".{folder.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        folder.rename(old)
        new.rename(folder)
        shutil.rmtree(old)
    else:
        new.rename(folder)


def publish_meeting(
    con: duckdb.DuckDBPyConnection,
    meeting: Meeting,
    home: Home,
    out: Path,
    *,
    current: bool = False,
    step: Callable[[str], None] = lambda _: None,
) -> Path:
    """Publish `meeting` into the site folder `out`; return the meeting's page.

    A frozen meeting shows its pinned data unless `current`. Other meetings published in `out`
    stay and are listed on its index page. Needs Chromium (pictures and PDF): NoBrowser says
    what to install. `step` hears each stage in Swedish, for a progress display.
    """
    # the browser starts while the charts are drawn
    renderer = ImageRenderer()
    renderer.start_soon()
    try:
        section = meeting_section(con, meeting, home, current=current)
        folder = out / meeting.date
        _check_target(folder)
        # built beside the earlier publication, which stays until the new one is complete
        new = out / f".{meeting.date}.new"
        shutil.rmtree(new, ignore_errors=True)
        step("Ritar diagrammen")
        # every picture is queued at once: the browser draws while Python writes the files
        pictures = queue_pictures(section, renderer, kinds_for(("pdf", *EXPORTED)))
        write_assets(out)
        linked = write_pictures(section, new, pictures.get(PLAIN))
        downloads = download_list(section, DOWNLOADS)
        page_path = write_page(section, new, PageFiles(pictures=linked, downloads=downloads))
        printing = renderer.print_soon(page_path)
        step("Skriver Word, PowerPoint, Excel, CSV och bilder")
        export_section(section, EXPORTED, new / DOWNLOADS, renderer=renderer, pictures=pictures)
        step("Skriver ut PDF")
        (new / DOWNLOADS / section.single_file("pdf")).write_bytes(printing.result())
    finally:
        renderer.close()
    listed = Listed(section.meeting_date, section.title, section.about, section.data_note)
    (new / LISTING).write_text(json.dumps(asdict(listed), ensure_ascii=False, indent=1))
    _swap_in(new, folder)
    write_site(out, section.processor)
    return folder / PAGE


def site_files(out: Path, meeting_date: str) -> list[Path]:
    """The files of the site `out` published for one meeting, in name order: the index, the
    accessibility statement, the shared assets and the meeting's folder. Other meetings and
    hidden files and folders (a build or a swap in progress: `.<date>.new`, `.<date>.old`) are
    left out."""
    found = [out / PAGE, out / STATEMENT_FILE]
    for tree in (out / ASSETS, out / meeting_date):
        found += tree.rglob("*")
    return sorted(
        path
        for path in found
        if path.is_file() and not any(p.startswith(".") for p in path.relative_to(out).parts)
    )


def published(out: Path) -> list[Listed]:
    """The meetings published in `out`, from their listing files."""
    found = []
    for path in sorted(out.glob(f"*/{LISTING}")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        found.append(Listed(**{k: str(raw.get(k, "")) for k in Listed.__dataclass_fields__}))
    return found


def write_site(out: Path, processor: str) -> None:
    """The shared files: assets, the index of published meetings and the statement."""
    write_assets(out)
    index = page("Publicerade möten", index_body(published(out)), depth=0, processor=processor)
    (out / "index.html").write_text(index, encoding="utf-8")
    statement = page(
        "Tillgänglighetsredogörelse", statement_body(processor), depth=0, processor=processor
    )
    (out / STATEMENT_FILE).write_text(statement, encoding="utf-8")
