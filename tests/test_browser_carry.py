""" "Förbered möte" for a recurring meeting in a real browser: started from the previous
meeting, feedback as a toast, questions before removing and freezing, move buttons named in
words, and the preview in the same tab (still signed in when the analyst comes back)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from stats.config import ROOT
from tests.test_a11y_app import BLOCKING
from tests.test_browser import ARTIFACTS, app_page, chromium_path  # noqa: F401  (fixtures)
from tests.test_browser_forbered import analyst, click, forbered, pick, settle, type_in  # noqa: F401

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser
JUNE, JULY = "2024-06-17", "2024-07-15"


def test_a_recurring_meeting_from_last_month(forbered: Page, meetings: Path) -> None:  # noqa: F811
    page = forbered
    shutil.copy(ROOT / "data" / "meetings" / f"{JUNE}.toml", meetings)
    pick(page, "Möte", "Nytt möte")
    type_in(page, "Datum för det nya mötet (ÅÅÅÅ-MM-DD)", JULY)
    assert page.get_by_label(f"Utgå från förra mötet ({JUNE})").is_checked()
    assert page.get_by_label("Föredragande").input_value() == "Emma Persson"
    page.screenshot(path=str(ARTIFACTS / "forbered-fran-forra.png"))
    # the move buttons are read by their Swedish names
    assert page.get_by_role("button", name="Flytta upp").count() == 8
    assert page.get_by_role("button", name="Flytta ned").count() == 8
    click(page, "Ta bort")
    question = page.get_by_text("Ta bort diagrammet ”Nya lediga platser per månad” ur mötet?")
    question.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "forbered-ta-bort.png"))
    # axe on the signed-in page with a carried meeting and the question open, the file
    # uploader included (its button is named "Välj fil" by stats.app.swedish)
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page).response
    blocking = [v["id"] for v in result["violations"] if v["impact"] in BLOCKING]
    assert not blocking, blocking
    click(page, "Avbryt")
    assert question.count() == 0
    click(page, "Spara")
    toast = page.get_by_test_id("stToast")
    assert "Sparat (version 1)." in toast.inner_text()
    page.screenshot(path=str(ARTIFACTS / "forbered-sparat.png"))
    # the preview opens the meeting page in this tab; back again, still signed in
    page.get_by_role("link", name="Förhandsgranska mötessidan").click()
    page.wait_for_url(re.compile(rf"/mote\?datum={JULY}"))
    settle(page)
    assert page.get_by_role("heading", name=f"Regional näringslivsdialog, {JULY}").is_visible()
    page.go_back()
    page.get_by_text("Inloggad som Emma.").wait_for(timeout=60_000)
    settle(page)
    box = page.locator("[data-testid='stSelectbox']").filter(has_text="Möte").first
    assert box.locator("input").input_value() == JULY
    click(page, "Frys")
    page.get_by_text("Frysning låser de dataversioner som mötets").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "forbered-frys.png"))
    assert page.get_by_text(f"Frys mötet {JULY}?").count() == 1
    click(page, "Ja, frys")
    assert "Fryst och sparat (version 2)." in page.get_by_test_id("stToast").inner_text()
    page.get_by_text("Mötet är fryst").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "forbered-fryst.png"))
