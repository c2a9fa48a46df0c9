"""Write a section in the asked-for formats, sharing one browser for every picture."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from stats.export.docx_export import write_docx
from stats.export.images import (
    ImageError,
    ImageFormat,
    ImageRenderer,
    find_browser,
    no_browser_message,
)
from stats.export.pictures import KIND_OF_FORMAT, PLAIN, Pictures, kinds_for, queue_pictures
from stats.export.pptx_export import write_pptx
from stats.export.section import Section, check_formats
from stats.export.tables_export import write_csv, write_xlsx
from stats.publish.render import section_pdf

log = logging.getLogger(__name__)

# formats that are nothing but images, and those that embed a picture per chart
IMAGE_ONLY = frozenset({"png", "svg"})
WITH_PICTURES = frozenset({"docx", "pptx"})
# formats that cannot be made without a browser: the images, and the PDF Chromium prints
BROWSER_ONLY = IMAGE_ONLY | {"pdf"}


def export_section(
    section: Section,
    formats: Iterable[str],
    out_dir: Path,
    *,
    renderer: ImageRenderer | None = None,
    pictures: Pictures | None = None,
) -> list[Path]:
    """Write the section in `formats` to `out_dir`; return the files written.

    Parameters
    ----------
    section
        The meeting's section, e.g. meeting_date "2024-06-17", charts from `spec.draw`.
    formats
        Some of "png", "svg" (one file per chart, source and footnotes inside the image),
        "docx", "pptx", "xlsx", "pdf" (one file for the section; the PDF is the published
        page printed by Chromium) and "csv" (one file per chart).
    out_dir
        Created if missing; existing files of the same names are replaced.
    renderer
        A started or unstarted `ImageRenderer` to reuse across calls (stays open); without
        one, a browser is started for this call and closed at its end.
    pictures
        Pictures of this section already queued in `renderer` (publishing queues them for its
        page); the kinds still missing are queued here.

    Raises
    ------
    NoBrowser
        When "png", "svg" or "pdf" is asked for and no browser exists, after every other format
        has been written (`exc.written` lists those files). DOCX and PPTX never raise for a
        missing browser: they carry a note and the data table instead of the picture.
    """
    wanted = check_formats(formats)
    out_dir.mkdir(parents=True, exist_ok=True)
    needs_browser = bool(wanted & (IMAGE_ONLY | WITH_PICTURES)) and bool(section.charts)
    needs_browser |= "pdf" in wanted
    active = renderer or (ImageRenderer() if needs_browser else None)
    image_error: ImageError | None = None
    try:
        if active is not None and needs_browser:
            image_error = _start(active)
        images = None if image_error is not None else active
        queued = None
        if images is not None:
            queued = queue_pictures(section, images, kinds_for(wanted), pictures)
        # the tables need no picture: written while the browser draws
        tables = _write_tables(section, wanted, out_dir)
        written = _write_images(section, wanted, out_dir, queued)
        written += _write_documents(section, wanted, out_dir, queued)
        written += tables
        if "pdf" in wanted and images is not None and queued is not None:
            pdf = out_dir / section.single_file("pdf")
            written.append(section_pdf(section, pdf, images, queued.get(PLAIN)))
    finally:
        if renderer is None and active is not None:
            active.close()
    if image_error is not None and wanted & BROWSER_ONLY:
        image_error.written = written
        raise image_error
    return written


def _start(renderer: ImageRenderer) -> ImageError | None:
    """Start the browser; the error (to raise later for image formats) when it cannot."""
    try:
        renderer.start()
    except ImageError as exc:
        log.warning("exporting without chart images: %s", exc)
        return exc
    return None


def _write_images(
    section: Section, wanted: set[str], out_dir: Path, pictures: Pictures | None
) -> list[Path]:
    """One PNG or SVG per chart, with its source line and footnotes inside the picture."""
    written: list[Path] = []
    formats: tuple[ImageFormat, ...] = ("png", "svg")
    for fmt in formats:
        if fmt not in wanted or pictures is None:
            continue
        images = pictures.get(KIND_OF_FORMAT[fmt])
        for i, stem in enumerate(section.stems()):
            path = out_dir / f"{stem}.{fmt}"
            path.write_bytes(images[i])
            written.append(path)
    return written


def _write_documents(
    section: Section, wanted: set[str], out_dir: Path, pictures: Pictures | None
) -> list[Path]:
    """The Word document and the slide deck, with a picture per chart when a browser runs."""
    plain: dict[int, bytes] = {}
    if wanted & WITH_PICTURES and pictures is not None:
        plain = pictures.get(PLAIN)
    return [
        writer(section, plain, out_dir / section.single_file(fmt))
        for fmt, writer in (("docx", write_docx), ("pptx", write_pptx))
        if fmt in wanted
    ]


def _write_tables(section: Section, wanted: set[str], out_dir: Path) -> list[Path]:
    """The workbook for the section and one CSV file per chart."""
    written: list[Path] = []
    if "xlsx" in wanted:
        written.append(write_xlsx(section, out_dir / section.single_file("xlsx")))
    if "csv" in wanted:
        written += [
            write_csv(chart, section.home, out_dir / f"{stem}.csv")
            for chart, stem in zip(section.charts, section.stems(), strict=True)
        ]
    return written


def browser_missing() -> str | None:
    """The install advice when no browser is found (for the app and CLI), else None."""
    return None if find_browser() is not None else no_browser_message()
