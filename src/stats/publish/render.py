"""The pieces of a published meeting: assets, still pictures, the page, and its PDF.

Kept apart from `site` (which also writes the other downloads) so that the exports can print a
section to PDF (`stats export --format pdf`) without importing the export writer back.
"""

from __future__ import annotations

import tempfile
from importlib.resources import files
from pathlib import Path

from plotly.offline import get_plotlyjs

from stats.export.images import ImageRenderer
from stats.export.section import Section
from stats.publish.html import ASSETS, page
from stats.publish.meeting_page import PageFiles, meeting_body

PAGE = "index.html"
PICTURES = "bilder"


def write_assets(root: Path, *, plotly: bool = True) -> None:
    """The stylesheet, the chart script and (unless not needed, as for a PDF) plotly.min.js."""
    folder = root / ASSETS
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("site.css", "charts.js"):
        (folder / name).write_text(files("stats.publish").joinpath(name).read_text("utf-8"))
    if plotly:
        (folder / "plotly.min.js").write_text(get_plotlyjs(), encoding="utf-8")


def write_pictures(section: Section, folder: Path, pictures: dict[int, bytes]) -> dict[int, str]:
    """The plain PNG per chart (no notes inside: the page shows them as text) into `folder`;
    {index: relative path}. The same pictures as in the Word document and the slides."""
    (folder / PICTURES).mkdir(parents=True, exist_ok=True)
    out: dict[int, str] = {}
    for i, stem in enumerate(section.stems()):
        if i in pictures:
            (folder / PICTURES / f"{stem}.png").write_bytes(pictures[i])
            out[i] = f"{PICTURES}/{stem}.png"
    return out


def write_page(section: Section, folder: Path, page_files: PageFiles) -> Path:
    """The meeting's page in `folder` (one level below the site root)."""
    folder.mkdir(parents=True, exist_ok=True)
    title = f"{section.title}, {section.meeting_date}"
    html = page(
        title,
        meeting_body(section, page_files),
        depth=1,
        processor=section.processor,
        scripts=("plotly.min.js", "charts.js"),
    )
    path = folder / PAGE
    path.write_text(html, encoding="utf-8")
    return path


def section_pdf(
    section: Section, pdf: Path, renderer: ImageRenderer, pictures: dict[int, bytes]
) -> Path:
    """The section as a PDF: its page (without downloads, with the plain `pictures`) printed by
    the renderer's warm Chromium."""
    with tempfile.TemporaryDirectory(prefix="stats-publish-") as tmp:
        root = Path(tmp)
        write_assets(root, plotly=False)
        folder = root / section.meeting_date
        linked = write_pictures(section, folder, pictures)
        page_path = write_page(section, folder, PageFiles(pictures=linked))
        return renderer.print_pdf(page_path, pdf)
