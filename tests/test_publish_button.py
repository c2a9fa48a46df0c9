"""The meeting page's "Publicera" button: staff only, publishes into STATS_PUBLISH_DIR, a zip."""

from __future__ import annotations

import io
import time
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from stats.app.meeting_export import zip_site
from stats.config import ROOT
from stats.meetings.files import load_meeting, meeting_path, save_meeting
from stats.present.spec import ChartSpec
from stats.text import escape_markdown

MOTE = str(ROOT / "src" / "stats" / "app" / "pages" / "mote.py")
DATE = "2024-06-17"
FOLKMANGD = ChartSpec(indicator="folkmangd_manad_total", title="Folkmängd", regions=("hemlan",))


def _one_chart(folder: Path) -> None:
    """2024-06-17 with one chart and a named presenter, so publishing is quick."""
    june = load_meeting(meeting_path(folder, DATE))
    fewer = replace(june, charts=(FOLKMANGD,), presenter="Emma Persson")
    save_meeting(folder, fewer, base_revision=june.revision, by="Emma")


def _meeting_page(*, staff: bool) -> AppTest:
    at = AppTest.from_file(MOTE, default_timeout=120)
    at.query_params["datum"] = DATE
    if staff:
        at.session_state["analyst"] = "Emma"
        at.session_state["analyst_since"] = time.time()
    return at.run()


def _other_files(out: Path) -> None:
    """What else a publish folder holds: another meeting, and the hidden folders a build and a
    swap leave while they run (or after a crash)."""
    for name in ("2024-03-11/index.html", f".{DATE}.new/index.html", f".{DATE}.old/index.html"):
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text("<p>annat</p>", encoding="utf-8")


def _zip_names(data: bytes) -> list[str]:
    return sorted(zipfile.ZipFile(io.BytesIO(data)).namelist())


def test_the_zip_holds_this_meetings_site_only(tmp_path: Path) -> None:
    out = tmp_path / "publicerat"
    _other_files(out)
    mine = ["index.html", "tillganglighet.html", "assets/site.css", f"{DATE}/index.html"]
    mine += [f"{DATE}/filer/{DATE}_statistik.pdf", f"{DATE}/meeting.json", f"{DATE}/.x.tmp"]
    for name in mine:
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(b"x")
    assert _zip_names(zip_site(out, DATE)) == [
        "publicerat/2024-06-17/filer/2024-06-17_statistik.pdf",
        "publicerat/2024-06-17/index.html",
        "publicerat/2024-06-17/meeting.json",
        "publicerat/assets/site.css",
        "publicerat/index.html",
        "publicerat/tillganglighet.html",
    ]


def _publish_buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.button if b.label == "Publicera"]


def test_participants_never_see_the_publish_button(snapshot_db: Path, meetings: Path) -> None:
    at = _meeting_page(staff=False)
    assert not at.exception
    assert _publish_buttons(at) == []
    assert "Publicera" not in [h.value for h in at.header]
    # an expired analyst session is a participant's
    at.session_state["analyst"] = "Emma"
    at.session_state["analyst_since"] = time.time() - 8 * 3600 - 1
    at.run()
    assert _publish_buttons(at) == []


def test_without_chromium_staff_get_a_swedish_error(
    snapshot_db: Path, meetings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setattr("stats.export.images.shutil.which", lambda name: None)
    at = _meeting_page(staff=True)
    assert not at.exception
    [button] = [b for b in at.button if b.label == "Publicera"]
    assert button.disabled
    errors = " ".join(e.value for e in at.error)
    assert "Publiceringen kräver webbläsaren Chromium" in errors
    assert "sudo apt-get install chromium" in errors


@pytest.mark.browser
def test_staff_publish_into_the_publish_folder_and_get_a_zip(
    snapshot_db: Path, meetings: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_browser import chromium_path

    chromium_path()
    out = tmp_path / "publicerat"
    monkeypatch.setenv("STATS_PUBLISH_DIR", str(out))
    _other_files(out)
    _one_chart(meetings)
    at = _meeting_page(staff=True)
    next(b for b in at.button if b.label == "Publicera").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Publicerat i publiceringsmappen på servern."]
    page = (out / DATE / "index.html").read_text(encoding="utf-8")
    assert "Presenteras av Emma Persson" in page
    assert (out / DATE / "filer" / f"{DATE}_statistik.pdf").stat().st_size > 1000
    [download] = at.get("download_button")
    assert "zip" in download.proto.label
    day, data = at.session_state["publicerat_zip"]
    assert day == DATE
    names = _zip_names(data)
    assert "publicerat/index.html" in names and f"publicerat/{DATE}/index.html" in names
    assert f"publicerat/{DATE}/filer/{DATE}_statistik.pdf" in names
    assert {"publicerat/tillganglighet.html", "publicerat/assets/plotly.min.js"} <= set(names)
    # the other meeting stays published, but is not this meeting's zip; nothing hidden
    assert (out / "2024-03-11" / "index.html").is_file()
    assert all(n.startswith(("publicerat/assets/", f"publicerat/{DATE}/")) for n in names[:-2])
    assert names[-2:] == ["publicerat/index.html", "publicerat/tillganglighet.html"]


@pytest.mark.browser
def test_a_folder_publishing_would_replace_is_refused_in_swedish(
    snapshot_db: Path, meetings: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_browser import chromium_path

    chromium_path()
    out = tmp_path / "publicerat"
    monkeypatch.setenv("STATS_PUBLISH_DIR", str(out))
    (out / DATE).mkdir(parents=True)
    (out / DATE / "viktig.txt").write_text("behåll mig", encoding="utf-8")
    _one_chart(meetings)
    at = _meeting_page(staff=True)
    next(b for b in at.button if b.label == "Publicera").click().run()
    assert not at.exception
    [error] = at.error
    assert error.value == escape_markdown(
        "Publiceringsmappen innehåller redan en mapp 2024-06-17 som inte är en publicering av "
        "mötet (filen meeting.json saknas), så den ersätts inte. Flytta eller ta bort den "
        "mappen, eller be den som driftar tjänsten att välja en annan publiceringsmapp "
        "(STATS_PUBLISH_DIR)."
    )
    assert "--out" not in error.value
    assert "publicerat_zip" not in at.session_state
    assert (out / DATE / "viktig.txt").read_text(encoding="utf-8") == "behåll mig"
