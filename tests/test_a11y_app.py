"""Accessibility by machine: axe-core on every app page, Swedish language and a title each."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from stats.sources.kolada_catalogue import load_kpi_catalogue
from stats.sources.kolada_picker import add_kpi_series
from tests.test_browser import served_page

pytestmark = pytest.mark.browser

PAGES = {
    "/": "Regional näringslivsdialog",
    "/mote?datum=2024-06-17": "Regional näringslivsdialog 2024-06-17",
    "/forbered": "Förbered möte",
    "/befolkning": "Befolkning per månad",
    "/serier": "Alla serier",
    "/arbetsmarknad": "Arbetsmarknad och företag",
    "/prognoser": "Befolkningsframskrivningar",
    "/brp_plus": "BRP+ – livskvalitet och hållbarhet",
    "/cirkular": "Cirkulär ekonomi",
    "/kallor": "Datakällor",
    "/kolada": "Kolada-nyckeltal",
}
# Violations inside Streamlit's own markup that the app cannot fix, with the reason. The test
# reads this list; it is empty since the app draws its own navigation (Streamlit's puts <div>s
# in its <ul>) and the theme darkens captions and links (.streamlit/config.toml).
KNOWN_EXCEPTIONS: dict[str, str] = {}
BLOCKING = {"serious", "critical"}


def check_page(page: Any, path: str, title: str) -> list[str]:
    """Swedish, its own title, one h1 and no skipped heading level; axe's blocking findings."""
    assert page.evaluate("document.documentElement.lang") == "sv", path
    assert page.title() == f"{title} – Näringslivsstatistik", path
    levels = page.eval_on_selector_all(
        "[data-testid='stMain'] :is(h1,h2,h3,h4,h5,h6)",
        "els => els.map(e => Number(e.tagName[1]))",
    )
    assert levels.count(1) == 1, (path, levels)
    jumps = [b for a, b in pairwise(levels) if b > a + 1]
    assert not jumps, (path, levels)
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page).response
    return [
        f"{path}: {v['id']} ({len(v['nodes'])}) {v['help']}"
        for v in result["violations"]
        if v["impact"] in BLOCKING and v["id"] not in KNOWN_EXCEPTIONS
    ]


def test_every_page_passes_axe_in_swedish_with_its_own_title(
    snapshot_db: Path, meetings: Path, tmp_path: Path
) -> None:
    problems: list[str] = []
    with served_page(snapshot_db, tmp_path) as (page, url):
        for path, title in PAGES.items():
            page.goto(f"{url}{path}", wait_until="commit")
            page.locator("h1").first.wait_for(timeout=60_000)
            page.wait_for_timeout(2500)  # charts and tables settle
            problems += check_page(page, path, title)
    assert not problems, "\n".join(problems)


def test_the_signed_in_kolada_page_passes_axe(
    snapshot_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Signed in on Förbered möte, then (same session) the picker with search hits, an added
    series and its removal question."""
    monkeypatch.setenv("STATS_ANALYST_PASSWORD", "hemligt")
    add_kpi_series("N00926", load_kpi_catalogue())
    with served_page(snapshot_db, tmp_path) as (page, url):
        page.goto(f"{url}/forbered", wait_until="commit")
        page.get_by_label("Ditt namn (sparas med ändringarna)").fill("Emma")
        page.get_by_label("Lösenord", exact=True).fill("hemligt")
        page.get_by_role("button", name="Logga in").click()
        page.get_by_role("button", name="Logga ut").wait_for(timeout=60_000)
        # a link in the app keeps the session (a new page load would start a new one)
        page.get_by_role("link", name="Kolada-nyckeltal").click()
        page.get_by_label("Sök nyckeltal").fill("hallbarhet")
        page.get_by_label("Sök nyckeltal").press("Enter")
        page.get_by_text("Hållbarhet - Kommunindex").first.wait_for(timeout=60_000)
        page.get_by_role("button", name="Ta bort").click()
        page.get_by_role("button", name="Ja, ta bort").wait_for(timeout=60_000)
        page.wait_for_timeout(1500)
        problems = check_page(page, "/kolada (inloggad)", "Kolada-nyckeltal")
        page.screenshot(path=str(tmp_path / "kolada.png"), full_page=True)
    assert not problems, "\n".join(problems)
