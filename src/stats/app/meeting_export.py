"""Download buttons for a meeting's statistics section (files built only when clicked)."""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from stats.app.db import Db, reading
from stats.export import ImageRenderer, browser_missing, export_section
from stats.export.from_meeting import meeting_section
from stats.meetings.model import Meeting
from stats.regions import Home

# format → (button label, MIME type, one file or a zip of per-chart files)
FORMATS = {
    "docx": ("Word för protokollet", "application/vnd.openxmlformats-officedocument."
             "wordprocessingml.document", False),
    "pptx": ("PowerPoint", "application/vnd.openxmlformats-officedocument."
             "presentationml.presentation", False),
    "xlsx": ("Excel med data", "application/vnd.openxmlformats-officedocument."
             "spreadsheetml.sheet", False),
    "csv": ("CSV (zip)", "application/zip", True),
    "png": ("Bilder PNG (zip)", "application/zip", True),
    "svg": ("Bilder SVG (zip)", "application/zip", True),
}  # fmt: skip
NEEDS_BROWSER = {"png", "svg"}


@st.cache_resource(show_spinner=False)
def renderer() -> ImageRenderer:
    """One warm Chromium for every export of this app process."""
    return ImageRenderer()


def build(db: Db, meeting: Meeting, home: Home, current: bool, fmt: str) -> bytes:
    """The file (or a zip of per-chart files) for one format."""
    with reading(*db) as con:
        section = meeting_section(con, meeting, home, current=current)
    images = None if browser_missing() else renderer()
    with tempfile.TemporaryDirectory() as tmp:
        paths = export_section(section, {fmt}, Path(tmp), renderer=images)
        if not FORMATS[fmt][2]:
            return paths[0].read_bytes()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in paths:
                archive.write(path, path.name)
        return buffer.getvalue()


def show_downloads(db: Db, meeting: Meeting, home: Home, current: bool) -> None:
    st.header("Exportera")
    missing = browser_missing()
    if missing:
        st.warning(f"{missing} Word, PowerPoint, Excel och CSV fungerar ändå, men utan bilder.")
    what = "aktuella data" if current or meeting.frozen is None else "data som visades"
    st.caption(f"Filerna innehåller {what}, med källa och hämtdatum under varje diagram.")
    columns = st.columns(len(FORMATS))
    for column, (fmt, (label, mime, zipped)) in zip(columns, FORMATS.items(), strict=True):
        suffix = "zip" if zipped else fmt
        name = f"{meeting.date}_statistik{'_' + fmt if zipped else ''}.{suffix}"

        def data(fmt: str = fmt) -> bytes:
            return build(db, meeting, home, current, fmt)

        maker: Callable[[], bytes] = data
        column.download_button(
            label, maker, file_name=name, mime=mime, on_click="ignore",
            disabled=bool(missing) and fmt in NEEDS_BROWSER, key=f"dl-{fmt}",
        )  # fmt: skip
