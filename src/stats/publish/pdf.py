"""A page printed to PDF by headless Chromium: A4, page numbers and an outline from the headings.

Chromium prints with the page's print stylesheet (`@page` size, margins and "Sida 1 av 9" in
the bottom margin), tags the PDF and turns the headings into the document outline
(`--generate-pdf-document-outline`). The print stylesheet hides the interactive charts and shows
the still pictures, so the PDF is the same every time for the same page.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from stats.export.images import ImageError, require_browser

# headless without a sandbox (root in CI) and without any network of its own; no header or
# footer from Chromium (the page's @page rule numbers the pages); headings become the outline
PRINT_ARGS = (
    *("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"),
    *("--disable-background-networking", "--disable-component-update", "--disable-sync"),
    *("--no-pdf-header-footer", "--generate-pdf-document-outline"),
)
TIMEOUT = 120.0


def print_pdf(page: Path, pdf: Path, *, browser: Path | None = None) -> Path:
    """Print the HTML file `page` (with its pictures beside it) to `pdf`; return `pdf`.

    Raises NoBrowser (with the install advice) when no Chromium is found, and ImageError when
    it fails or takes longer than TIMEOUT seconds.
    """
    chromium = browser or require_browser()
    pdf.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="stats-pdf-") as profile:
        args = [
            str(chromium),
            *PRINT_ARGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={pdf}",
            page.resolve().as_uri(),
        ]
        try:
            done = subprocess.run(
                args, capture_output=True, text=True, timeout=TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired:
            raise ImageError(f"printing {page.name} to PDF took over {TIMEOUT:g} s") from None
    if done.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise ImageError(f"{chromium} could not print {page.name} to PDF: {last}")
    return pdf
