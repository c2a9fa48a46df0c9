"""In a real browser, the public meeting link shows no file and no link from its query value."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_browser import served_page

pytestmark = pytest.mark.browser

HOSTILE = {
    "../../pyproject": ("build-system", "setuptools", "No such file"),
    "../../.streamlit/config": ("toolbarMode", "gatherUsageStats", "No such file"),
    "[x](https://evil.example/)": ("evil.example",),
}


def test_hostile_meeting_ids_show_no_file_and_no_link(
    snapshot_db: Path, meetings: Path, tmp_path: Path
) -> None:
    with served_page(snapshot_db, tmp_path) as (page, url):
        for raw, leaks in HOSTILE.items():
            page.goto(f"{url}/mote", wait_until="commit")
            page.goto(f"{url}/mote?datum={raw}", wait_until="commit")
            page.get_by_text("Mötet finns inte").wait_for(timeout=60_000)
            body = page.locator("section.main, [data-testid='stMain']").first.inner_text()
            for leak in leaks:
                assert leak not in body, (raw, leak)
            hrefs = page.eval_on_selector_all("a", "els => els.map(e => e.href)")
            assert not [h for h in hrefs if "evil.example" in h], (raw, hrefs)
