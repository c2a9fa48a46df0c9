"""Accessibility by machine: axe-core on every app page, Swedish language and a title each."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from stats.app.server import CHROMIUM_ARGS, free_port, serve
from tests.test_browser import chromium_path

pytestmark = pytest.mark.browser

PAGES = {
    "/": "Regional näringslivsdialog",
    "/mote?datum=2024-06-17": "Regional näringslivsdialog 2024-06-17",
    "/forbered": "Förbered möte",
    "/befolkning": "Befolkning per månad",
    "/serier": "Alla serier",
    "/arbetsmarknad": "Arbetsmarknad och företag",
    "/prognoser": "Befolkningsframskrivningar",
    "/cirkular": "Cirkulär ekonomi",
    "/kallor": "Datakällor",
}
# Violations inside Streamlit's own markup that the app cannot fix, with the reason. The test
# reads this list; it is empty since the app draws its own navigation (Streamlit's puts <div>s
# in its <ul>) and the theme darkens captions and links (.streamlit/config.toml).
KNOWN_EXCEPTIONS: dict[str, str] = {}
BLOCKING = {"serious", "critical"}


def test_every_page_passes_axe_in_swedish_with_its_own_title(
    snapshot_db: Path, meetings: Path, tmp_path: Path
) -> None:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    chromium = chromium_path()
    problems: list[str] = []
    with (
        serve(snapshot_db, free_port(), tmp_path / "streamlit.log") as url,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="sv-SE")
            for path, title in PAGES.items():
                page.goto(f"{url}{path}", wait_until="commit")
                page.locator("h1").first.wait_for(timeout=60_000)
                page.wait_for_timeout(2500)  # charts and tables settle
                assert page.evaluate("document.documentElement.lang") == "sv", path
                assert page.title() == f"{title} – Näringslivsstatistik", path
                levels = page.eval_on_selector_all(
                    "[data-testid='stMain'] :is(h1,h2,h3,h4,h5,h6)",
                    "els => els.map(e => Number(e.tagName[1]))",
                )
                assert levels.count(1) == 1, (path, levels)
                jumps = [b for a, b in pairwise(levels) if b > a + 1]
                assert not jumps, (path, levels)
                result = Axe().run(page).response
                for v in result["violations"]:
                    if v["impact"] in BLOCKING and v["id"] not in KNOWN_EXCEPTIONS:
                        problems.append(f"{path}: {v['id']} ({len(v['nodes'])}) {v['help']}")
        finally:
            browser.close()
    assert not problems, "\n".join(problems)
