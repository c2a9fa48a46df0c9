"""Download buttons for a meeting's statistics section (files built only when clicked), and
the staff's "Publicera" button that writes the static site and offers it as a zip."""

from __future__ import annotations

import io
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from stats.app.auth import expired
from stats.app.db import Db, reading
from stats.config import load_settings
from stats.errors import StatsError
from stats.export import ImageRenderer, NoBrowser, browser_missing, export_section
from stats.export.from_meeting import meeting_section
from stats.meetings.frozen_words import frozen_label
from stats.meetings.model import Meeting
from stats.publish.site import NotPublished, publish_meeting, site_files
from stats.regions import Home
from stats.text import escape_markdown

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


def shown_data(meeting: Meeting, current: bool) -> str:
    """ "aktuella data", or the frozen meeting's label ("data som visades 2024-06-17")."""
    return "aktuella data" if current or meeting.frozen is None else frozen_label(meeting)


def build(db: Db, meeting: Meeting, home: Home, current: bool, fmt: str) -> bytes:
    """The file (or a zip of per-chart files) for one format."""
    with reading(*db) as con:
        section = meeting_section(con, meeting, home, current=current)
    images = None if browser_missing() else renderer()
    with tempfile.TemporaryDirectory() as tmp:
        try:
            paths = export_section(section, {fmt}, Path(tmp), renderer=images)
        finally:
            if images is not None:
                images.end_batch()  # the app's browser keeps no pictures between downloads
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
    what = shown_data(meeting, current)
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


NO_CHROMIUM = (
    "Publiceringen kräver webbläsaren Chromium, som ritar diagrambilderna och skriver ut "
    "PDF-filen, men den finns inte på servern. Installera den med "
    "`sudo apt-get install chromium` eller ange sökvägen i miljövariabeln BROWSER_PATH, och "
    "försök igen."
)
ZIP_KEY = "publicerat_zip"


def staff_signed_in() -> bool:
    """Whether this session's analyst signed in (on "Förbered möte") less than 8 hours ago."""
    since = st.session_state.get("analyst_since")
    if not st.session_state.get("analyst") or since is None:
        return False
    return not expired(float(since), time.time())


@st.cache_resource(show_spinner=False)
def publish_lock() -> threading.Lock:
    """One publication at a time in this app process (they share the folder)."""
    return threading.Lock()


def zip_site(out: Path, meeting_date: str) -> bytes:
    """The site published for one meeting as a zip under the folder's name: the index, the
    statement, the shared assets and the meeting's folder (no other meeting, nothing hidden)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in site_files(out, meeting_date):
            archive.write(path, (Path(out.name) / path.relative_to(out)).as_posix())
    return buffer.getvalue()


def failure_message(exc: StatsError | OSError) -> str:
    """What the staff see when publishing failed, in Swedish where the error says it so."""
    if isinstance(exc, NoBrowser):
        return NO_CHROMIUM
    if isinstance(exc, NotPublished):
        return escape_markdown(exc.swedish)
    return f"Publiceringen misslyckades: {escape_markdown(str(exc))}"


def run_publish(db: Db, meeting: Meeting, home: Home, current: bool) -> bytes | None:
    """Publish into the deployment's folder with progress shown; the zip, or None on error."""
    out = load_settings().publish_dir
    if not publish_lock().acquire(blocking=False):
        st.warning("En publicering pågår redan. Försök igen om en stund.")
        return None
    try:
        with st.status("Publicerar …", expanded=True) as status:
            try:
                with reading(*db) as con:
                    publish_meeting(con, meeting, home, out, current=current, step=st.write)
                st.write("Packar mötets sidor som zip")
                data = zip_site(out, meeting.date)
            except (StatsError, OSError) as exc:
                status.update(label="Publiceringen misslyckades", state="error")
                st.error(failure_message(exc))
                return None
            status.update(label="Publicerat", state="complete", expanded=False)
    finally:
        publish_lock().release()
    return data


def show_publish(db: Db, meeting: Meeting, home: Home, current: bool) -> None:
    """Staff only: "Publicera" writes the static pages, PDF and downloads, then a zip of them."""
    st.header("Publicera")
    what = shown_data(meeting, current)
    st.caption(
        f"Skriver mötets statistikavsnitt med {what} som statiska webbsidor med PDF, Word, "
        "PowerPoint, Excel, CSV och bilder till publiceringsmappen på servern. Mappen kan "
        "sedan läggas på regionens webbplats."
    )
    missing = browser_missing() is not None
    if missing:
        st.error(NO_CHROMIUM)
    if st.button("Publicera", key="publicera", type="primary", disabled=missing):
        data = run_publish(db, meeting, home, current)
        if data is not None:
            st.session_state[ZIP_KEY] = (meeting.date, data)
    stored = st.session_state.get(ZIP_KEY)
    if stored is not None and stored[0] == meeting.date:
        st.success("Publicerat i publiceringsmappen på servern.")
        st.download_button(
            "Ladda ner mötets publicerade sidor (zip)",
            stored[1],
            file_name=f"{meeting.date}_publicerat.zip",
            mime="application/zip",
            key="publicerat-zip",
        )
