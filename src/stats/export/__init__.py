"""Minutes-ready export of a meeting's statistics section: PNG, SVG, DOCX, PPTX, XLSX and CSV.

Build a `Section` from charts drawn over the meeting's scope (for a frozen meeting, the scope of
its pinned releases: `open_scope(con, releases=...)`, so the exports show what the meeting saw),
then call `export_section`. Images need a Chrome or Chromium (see `stats.export.images`); without
one, DOCX and PPTX get a note and the data table instead of each picture, and XLSX and CSV are
unaffected. Every format shows the chart's table and alt text from `stats.present.describe`.
"""

from __future__ import annotations

from stats.export.files import browser_missing, export_section
from stats.export.images import ImageError, ImageRenderer, NoBrowser, find_browser
from stats.export.layout import export_figure
from stats.export.section import FORMATS, Section, section_files

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
