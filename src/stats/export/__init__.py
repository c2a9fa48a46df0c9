"""Minutes-ready export of a meeting's statistics section: PNG, SVG, DOCX, PPTX, XLSX and CSV.

Build a `Section` from charts drawn over the meeting's scope (for a frozen meeting, the scope of
its pinned releases: `open_scope(con, releases=...)`, so the exports show what the meeting saw),
then call `export_section`. Images need a Chrome or Chromium (see `stats.export.images`); without
one, DOCX and PPTX get a note and the data table instead of each picture, and XLSX and CSV are
unaffected.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from stats.errors import StatsError
from stats.export.docx_export import write_docx
from stats.export.images import (
    ImageError,
    ImageFormat,
    ImageRenderer,
    NoBrowser,
    find_browser,
    no_browser_message,
)
from stats.export.layout import export_figure
from stats.export.pptx_export import write_pptx
from stats.export.tables_export import write_csv, write_xlsx
from stats.present.citation import DEFAULT_PROCESSOR, PROCESSORS
from stats.present.spec import Chart, file_stem

__all__ = [
    "FORMATS",
    "ImageError",
    "ImageRenderer",
    "NoBrowser",
    "Section",
    "browser_missing",
    "export_figure",
    "export_section",
    "find_browser",
    "section_files",
]

log = logging.getLogger(__name__)

FORMATS = ("png", "svg", "docx", "pptx", "xlsx", "csv")
# formats that are nothing but images, and those that embed a picture per chart
IMAGE_ONLY = frozenset({"png", "svg"})
WITH_PICTURES = frozenset({"docx", "pptx"})


@dataclass
class Section:
    """A meeting's statistics section, as exported for the minutes and the slides."""

    meeting_date: str
    title: str
    charts: list[Chart]
    home: str
    subtitle: str = "Statistikavsnitt"
    highlights: list[str] = field(default_factory=list)
    # optional highlight per chart index, shown beside the chart on its slide
    chart_highlights: dict[int, str] = field(default_factory=dict)
    # e.g. "Data som visades 2024-06-17" (frozen) or "Aktuella data, hämtade 2024-06-20"
    data_note: str = ""

    @property
    def processor(self) -> str:
        return PROCESSORS.get(self.home, DEFAULT_PROCESSOR)

    def stems(self) -> list[str]:
        """File-name stems per chart, unique within the section."""
        seen: dict[str, int] = {}
        out = []
        for chart in self.charts:
            stem = file_stem(self.meeting_date, chart, self.home)
            seen[stem] = seen.get(stem, 0) + 1
            out.append(stem if seen[stem] == 1 else f"{stem}-{seen[stem]}")
        return out


def section_files(section: Section, formats: Iterable[str]) -> list[str]:
    """The file names `export_section` writes for `formats`, in writing order."""
    wanted = _check_formats(formats)
    names: list[str] = []
    for fmt in FORMATS:
        if fmt not in wanted:
            continue
        if fmt in {"png", "svg", "csv"}:
            names += [f"{stem}.{fmt}" for stem in section.stems()]
        else:
            names.append(f"{section.meeting_date}_statistik.{fmt}")
    return names


def _check_formats(formats: Iterable[str]) -> set[str]:
    wanted = {f.lower().lstrip(".") for f in formats}
    unknown = wanted - set(FORMATS)
    if unknown or not wanted:
        raise StatsError(
            f"export formats {sorted(unknown) or '(none)'}: expected some of {', '.join(FORMATS)}"
        )
    return wanted


def _render_all(
    section: Section, renderer: ImageRenderer, fmt: ImageFormat, *, notes: bool
) -> dict[int, bytes]:
    return {
        i: renderer.render(export_figure(chart, section.home, notes=notes), fmt)
        for i, chart in enumerate(section.charts)
    }


def export_section(
    section: Section,
    formats: Iterable[str],
    out_dir: Path,
    *,
    renderer: ImageRenderer | None = None,
) -> list[Path]:
    """Write the section in `formats` to `out_dir`; return the files written.

    Parameters
    ----------
    section
        The meeting's section, e.g. meeting_date "2024-06-17", charts from `chartspec.draw`.
    formats
        Some of "png", "svg" (one file per chart, source and footnotes inside the image),
        "docx", "pptx", "xlsx" (one file for the section) and "csv" (one file per chart).
    out_dir
        Created if missing; existing files of the same names are replaced.
    renderer
        A started or unstarted `ImageRenderer` to reuse across calls (stays open); without
        one, a browser is started for this call and closed at its end.

    Raises
    ------
    NoBrowser
        When "png" or "svg" is asked for and no browser exists, after every other format has
        been written (`exc.written` lists those files). DOCX and PPTX never raise for a
        missing browser: they carry a note and the data table instead of the picture.
    """
    wanted = _check_formats(formats)
    out_dir.mkdir(parents=True, exist_ok=True)
    stems = section.stems()
    written: list[Path] = []
    image_error: ImageError | None = None
    own = renderer is None
    needs_browser = bool(wanted & (IMAGE_ONLY | WITH_PICTURES)) and bool(section.charts)
    active = renderer or (ImageRenderer() if needs_browser else None)
    try:
        if active is not None and needs_browser:
            try:
                active.start()
            except ImageError as exc:
                log.warning("exporting without chart images: %s", exc)
                image_error, active = exc, None
        for fmt in ("png", "svg"):
            if fmt in wanted and active is not None:
                images = _render_all(section, active, fmt, notes=True)
                for i, stem in enumerate(stems):
                    path = out_dir / f"{stem}.{fmt}"
                    path.write_bytes(images[i])
                    written.append(path)
        pictures: dict[int, bytes] = {}
        if wanted & WITH_PICTURES and active is not None:
            pictures = _render_all(section, active, "png", notes=False)
        for fmt, writer in (("docx", write_docx), ("pptx", write_pptx)):
            if fmt in wanted:
                written.append(writer(section, pictures, out_dir / _single(section, fmt)))
        if "xlsx" in wanted:
            written.append(write_xlsx(section, out_dir / _single(section, "xlsx")))
        if "csv" in wanted:
            written += [
                write_csv(chart, section.home, out_dir / f"{stem}.csv")
                for chart, stem in zip(section.charts, stems, strict=True)
            ]
    finally:
        if own and active is not None:
            active.close()
    if image_error is not None and wanted & IMAGE_ONLY:
        image_error.written = written
        raise image_error
    return written


def _single(section: Section, fmt: str) -> str:
    return f"{section.meeting_date}_statistik.{fmt}"


def browser_missing() -> str | None:
    """The install advice when no browser is found (for the app and CLI), else None."""
    return None if find_browser() is not None else no_browser_message()
