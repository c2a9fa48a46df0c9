"""Screenshots of another region's dialog: Dalarna (20) and Gotland (09, one kommun)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stats.app.server import wait_ready
from tests.test_browser import ARTIFACTS, served_page

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("home", "lan", "organisation"),
    [("20", "Dalarnas län", "Region Dalarna"), ("09", "Gotlands län", "Region Gotland")],
)
def test_population_page_of_another_region(
    home: str,
    lan: str,
    organisation: str,
    snapshot_db: Path,
    meetings: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STATS_HOME_REGION", home)
    ARTIFACTS.mkdir(exist_ok=True)
    with served_page(snapshot_db, tmp_path) as (page, url):
        page.goto(f"{url}/befolkning", wait_until="commit")
        page.get_by_text(f"Bearbetning: {organisation}").first.wait_for(timeout=60_000)
        wait_ready(page)
        main = page.locator("[data-testid='stMain']").inner_text()
        assert lan in main and "Jämtland" not in main
        page.screenshot(path=str(ARTIFACTS / f"befolkning-{home}.png"), full_page=True)
