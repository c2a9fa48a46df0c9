"""Real-browser smoke test: `streamlit run app.py` on the snapshot, opened in headless Chromium."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from stats.app.server import CHROMIUM_ARGS, free_port, serve, wait_ready

if TYPE_CHECKING:
    from playwright.sync_api import Page

ARTIFACTS = Path(__file__).parent / "artifacts"
VIEWPORT_WIDTH = 1400

pytestmark = pytest.mark.browser


def chromium_path() -> str:
    """Debian's chromium from PATH; skip locally without it, fail in CI."""
    path = shutil.which("chromium")
    if path is None:
        reason = "chromium not found on PATH (Debian: apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        print(f"skipping browser test: {reason}")
        pytest.skip(reason)
    return path


@contextmanager
def served_page(db: Path, tmp_path: Path) -> Iterator[tuple[Page, str]]:
    """The app served on `db` (the settings of the environment: home län, meetings, password)
    and a fresh Swedish Chromium page 1400 px wide: (page, base URL)."""
    from playwright.sync_api import sync_playwright

    chromium = chromium_path()
    with (
        serve(db, free_port(), tmp_path / "streamlit.log") as url,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(
                viewport={"width": VIEWPORT_WIDTH, "height": 1000}, locale="sv-SE"
            )
            yield page, url
        finally:
            browser.close()


@pytest.fixture
def app_page(snapshot_db: Path, meetings: Path, tmp_path: Path) -> Iterator[tuple[Page, str]]:
    """The app served on the snapshot database and the seed meetings, and a fresh Chromium
    page: (page, base URL)."""
    ARTIFACTS.mkdir(exist_ok=True)
    with served_page(snapshot_db, tmp_path) as served:
        yield served


def screenshot_whole_page(page: Page, name: str) -> None:
    """Grow the window to the main section's scroll height, then screenshot to ARTIFACTS/name."""
    # the app scrolls inside its main section: grow the window to show the whole page
    height = page.evaluate("document.querySelector(\"[data-testid='stMain']\").scrollHeight")
    page.set_viewport_size({"width": VIEWPORT_WIDTH, "height": int(height)})
    wait_ready(page)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_befolkning_page_renders(app_page: tuple[Page, str]) -> None:
    page, url = app_page
    page.goto(f"{url}/befolkning", wait_until="commit")
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000
    )
    wait_ready(page)
    assert page.locator("[data-testid='stSkeleton']").count() == 0
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator(".js-plotly-plot").count() >= 1
    assert page.get_by_text("Källa: SCB", exact=False).first.is_visible()
    ticks = " ".join(page.locator(".js-plotly-plot .ytick text").all_text_contents())
    assert "132 8" in ticks.replace("\u00a0", " "), ticks
    assert "," not in ticks, ticks
    x_ticks = page.locator(".js-plotly-plot .xtick text").all_text_contents()
    assert "2026-04" in x_ticks, x_ticks
    page.screenshot(path=str(ARTIFACTS / "befolkning.png"), full_page=True)


BAS_SOURCE = "Källa: SCB via Region Dalarna, Arbetsmarknadsstatus"


def test_serier_and_kallor_pages_render(app_page: tuple[Page, str]) -> None:
    page, url = app_page
    page.goto(f"{url}/serier?serie=arbetsloshet_bas_manad", wait_until="commit")
    wait_ready(page)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text(BAS_SOURCE, exact=False).is_visible()
    ticks = page.locator(".js-plotly-plot .ytick text").all_text_contents()
    # procent in Swedish: whole steps as "3", "4", …, any decimals with a comma, never a point
    assert ticks and all(t.replace(",", "").replace("\u2212", "").isdigit() for t in ticks), ticks
    x_ticks = page.locator(".js-plotly-plot .xtick text").all_text_contents()
    assert "2020-01" in x_ticks and len(x_ticks) <= 12, x_ticks
    legend = page.locator(".js-plotly-plot .legendtext").all_text_contents()
    assert legend == ["Jämtlands län", "Riket"], legend
    page.screenshot(path=str(ARTIFACTS / "serier.png"), full_page=True)

    page.goto(f"{url}/kallor", wait_until="commit")
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000
    )
    page.get_by_role("heading", name="Datakällor").wait_for()
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("Inbäddad ögonblicksbild").first.is_visible()
    page.screenshot(path=str(ARTIFACTS / "kallor.png"), full_page=True)


def test_arbetsmarknad_page_renders(app_page: tuple[Page, str]) -> None:
    page, url = app_page
    page.goto(f"{url}/arbetsmarknad", wait_until="commit")
    wait_ready(page)
    page.get_by_role("heading", name="Arbetslöshet 20–64 år, 2024-01").wait_for()
    assert page.locator("[data-testid='stSkeleton']").count() == 0
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator(".js-plotly-plot").count() >= 4
    assert page.get_by_text("Källa: Tillväxtanalys via Regionfakta").first.is_visible()
    metric = page.locator("[data-testid='stMetricValue']").first.inner_text()
    assert metric.replace("\u00a0", " ") == "3,6 %", metric
    screenshot_whole_page(page, "arbetsmarknad.png")


def test_meeting_page_by_url_and_download(app_page: tuple[Page, str], tmp_path: Path) -> None:
    import openpyxl

    page, url = app_page
    page.goto(f"{url}/mote?datum=2024-06-17", wait_until="commit")
    wait_ready(page)
    page.get_by_role("heading", name="Regional näringslivsdialog, 2024-06-17").wait_for()
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("något fler än föregående månad", exact=False).is_visible()
    assert page.get_by_text("Fortsatt risk för ökade konkurser", exact=False).is_visible()
    assert page.locator(".js-plotly-plot").count() >= 2
    assert page.get_by_text(BAS_SOURCE, exact=False).is_visible()
    screenshot_whole_page(page, "mote.png")
    page.get_by_text("Exportera för protokoll och bilder").click()
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Excel med data").click()
    download = info.value
    assert download.suggested_filename == "2024-06-17_statistik.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    book = openpyxl.load_workbook(saved)
    assert book.sheetnames[0] == "Avsnitt" and len(book.sheetnames) == 9

    page.goto(url, wait_until="commit")
    page.get_by_role("heading", name="Tidigare möten").wait_for(timeout=60_000)
    assert page.get_by_role("link", name="Regional näringslivsdialog, 2024-06-17").count()
    page.get_by_text("Tillväxtanalys via Regionfakta").wait_for(timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "moten.png"), full_page=True)


def test_the_app_asks_no_other_host(app_page: tuple[Page, str]) -> None:
    """A reader's browser talks to this server only: no fonts, icons or scripts from elsewhere
    (a page's Material icon used to become a favicon fetched from fonts.gstatic.com)."""
    page, url = app_page
    outside: list[str] = []
    host = url.split("//", 1)[1].split("/", 1)[0]

    def note(request: Any) -> None:
        if not request.url.startswith(("data:", "blob:")) and host not in request.url:
            outside.append(request.url)

    page.on("request", note)
    for path in ("/", "/befolkning", "/mote?datum=2024-06-17"):
        page.goto(f"{url}{path}", wait_until="commit")
        page.locator("h1").first.wait_for(timeout=60_000)
        page.wait_for_timeout(3000)  # icons, charts and the favicon load after the heading
    assert not outside, outside
