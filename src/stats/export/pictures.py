"""A section's chart pictures, queued once in the warm browser and shared by every format.

Two kinds of picture exist per chart: the plain one (source and footnotes shown as text beside
it: the published page, the PDF, the Word document and the slides) and the one with its notes
inside (the PNG and SVG downloads). Each is drawn once per batch; the browser draws while the
caller writes the files that need no picture.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from stats.export.images import ImageFormat, ImageRenderer, Pending
from stats.export.layout import export_figure
from stats.export.section import Section

# (format, notes inside the picture)
Kind = tuple[ImageFormat, bool]
PLAIN: Kind = ("png", False)
KIND_OF_FORMAT: dict[str, Kind] = {
    "png": ("png", True),
    "svg": ("svg", True),
    "docx": PLAIN,
    "pptx": PLAIN,
    "pdf": PLAIN,
}


def kinds_for(formats: Iterable[str]) -> list[Kind]:
    """The picture kinds the formats need, the plain pictures first (the documents wait on
    them, the per-chart downloads are written last)."""
    kinds = {KIND_OF_FORMAT[f] for f in formats if f in KIND_OF_FORMAT}
    return sorted(kinds, key=lambda kind: (kind != PLAIN, kind))


@dataclass
class Pictures:
    """Every chart's pictures by kind, in chart order, as queued in one browser."""

    pending: dict[Kind, list[Pending]] = field(default_factory=dict)

    def get(self, kind: Kind) -> dict[int, bytes]:
        """{chart index: bytes} of one kind; waits for the browser, ImageError on failure."""
        return {i: pending.result() for i, pending in enumerate(self.pending.get(kind, []))}


def queue_pictures(
    section: Section,
    renderer: ImageRenderer,
    kinds: Iterable[Kind],
    into: Pictures | None = None,
) -> Pictures:
    """Queue the section's pictures of each kind not queued yet in `into` (or a new batch).

    Each kind's figures are built before its pictures are queued, so a browser still starting
    (`start_soon`) starts while Python builds the first figures.
    """
    pictures = into if into is not None else Pictures()
    for kind in kinds:
        if kind in pictures.pending:
            continue
        fmt, notes = kind
        figures = [export_figure(chart, section.home, notes=notes) for chart in section.charts]
        pictures.pending[kind] = [renderer.render_soon(fig, fmt) for fig in figures]
    return pictures
