""" "Förbered möte" in a real browser: the analyst's path with screenshots, and Swedish only.

The file uploader's and the text fields' own texts are Streamlit's English; the page replaces
them with CSS (`stats.app.swedish`). What a user sees is read here from the rendered
page: the English is gone from `innerText`, the Swedish is the generated content.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from stats.app.swedish import ARIA_SWEDISH
from stats.config import ROOT
from tests.test_browser import app_page, chromium_path  # noqa: F401  (fixtures)

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser
DOCS = ROOT / "docs"
ENGLISH = ("Drag and drop", "Browse files", "Upload", "200MB", "Limit", "per file", "Press",
           "Enter to", "No options", "Choose", "No results")  # fmt: skip
# the page's text as a user reads it; icon ligatures ("upload", "expand_more") are glyphs
VISIBLE_TEXT = """() => {
    const main = document.querySelector("[data-testid='stMain']");
    const icons = [...main.querySelectorAll("[data-testid='stIconMaterial']")];
    icons.forEach(icon => icon.style.display = "none");
    const text = main.innerText;
    icons.forEach(icon => icon.style.display = "");
    return text;
}"""
AFTER = "(el) => getComputedStyle(el, '::after').content"


@pytest.fixture
def analyst(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STATS_ANALYST_PASSWORD", "hemligt")


@pytest.fixture
def forbered(analyst: None, app_page: tuple[Page, str]) -> Iterator[Page]:  # noqa: F811
    """The page, signed in as Emma."""
    page, url = app_page
    page.goto(f"{url}/forbered", wait_until="commit")
    page.get_by_label("Ditt namn (sparas med ändringarna)").fill("Emma")
    page.get_by_label("Lösenord", exact=True).fill("hemligt")
    page.get_by_role("button", name="Logga in").click()
    page.get_by_text("Inloggad som Emma.").wait_for(timeout=60_000)
    settle(page)
    yield page


def settle(page: Page) -> None:
    """Wait until the script has run to the end after an interaction."""
    page.wait_for_timeout(400)
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000
    )
    assert page.locator("[data-testid='stException']").count() == 0


def pick(page: Page, label: str, option: str) -> None:
    """Choose `option` in the (visible) select box labelled `label`; a box redrawn by a rerun
    while it opens is opened again."""
    box = page.locator("[data-testid='stSelectbox']:visible").filter(has_text=label).first
    choice = page.get_by_role("option", name=option, exact=True)
    for _ in range(3):
        settle(page)
        box.click()
        try:
            choice.wait_for(timeout=5_000)
        except PlaywrightTimeout:
            continue
        choice.click()
        break
    settle(page)


def type_in(page: Page, label: str, text: str) -> None:
    field = page.get_by_label(label, exact=True)
    field.fill(text)
    field.press("Tab")
    settle(page)


def click(page: Page, name: str, nth: int = 0) -> None:
    page.get_by_role("button", name=name, exact=True).nth(nth).click()
    settle(page)


def test_the_analysts_path_with_screenshots(forbered: Page) -> None:
    page = forbered
    pick(page, "Möte", "Nytt möte")
    type_in(page, "Datum för det nya mötet (ÅÅÅÅ-MM-DD)", "2026-10-26")
    type_in(page, "Sök diagram", "konkurs")
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    DOCS.mkdir(exist_ok=True)
    gallery = page.get_by_role("heading", name="Lägg till diagram")
    gallery.scroll_into_view_if_needed()
    page.screenshot(path=str(DOCS / "forbered-galleri.png"), full_page=False)
    click(page, "Lägg till i mötet")
    type_in(page, "Sök diagram", "arbetslöshet hemlänet")
    click(page, "Lägg till i mötet")
    click(page, "Lägg till")  # the first suggestion of the bankruptcies chart
    page.get_by_label("Ny höjdpunkt").fill("Konkurserna minskade kraftigt i april.")
    page.get_by_label("Ny höjdpunkt").press("Control+Enter")
    settle(page)
    click(page, "Lägg till höjdpunkt")
    page.get_by_text("Koppla till data").last.click()
    page.locator("[data-testid='stSelectbox']:visible").filter(has_text="Ordval").wait_for()
    pick(page, "Ordval i höjdpunkten", "betydligt färre")
    assert page.get_by_text("Stöds: Jämtlands län, 2021-04: 3 jämfört med 11").last.is_visible()
    click(page, "Koppla höjdpunkten")
    page.get_by_label("Datum eller period").nth(1).fill("2020-03")
    page.get_by_label("Text", exact=True).nth(1).fill("Pandemin")
    page.get_by_label("Text", exact=True).nth(1).press("Tab")
    settle(page)
    click(page, "Lägg till anteckning", nth=1)
    page.get_by_text("2020-03: Pandemin").wait_for()
    click(page, "Spara")
    toast = page.get_by_test_id("stToast")
    toast.get_by_text("Sparat (version 1).").wait_for()
    toast.wait_for(state="detached", timeout=15_000)  # out of the screenshots
    page.get_by_text("Höjdpunkt 2", exact=True).scroll_into_view_if_needed()
    page.screenshot(path=str(DOCS / "forbered-hojdpunkter.png"), full_page=False)
    page.get_by_text("2020-03: Pandemin").scroll_into_view_if_needed()
    page.screenshot(path=str(DOCS / "forbered-diagram.png"), full_page=False)
    assert page.get_by_text("✅ Stöds").count() >= 2
    # the browser keeps no stale text: the added highlight is not added again, boxes are empty
    assert page.get_by_label("Höjdpunkt 3", exact=True).count() == 0
    assert page.get_by_label("Ny höjdpunkt").input_value() == ""
    assert page.get_by_label("Datum eller period").nth(1).input_value() == ""


def test_no_english_widget_texts(forbered: Page) -> None:
    page = forbered
    uploader = page.locator(".st-key-sni_fil")
    uploader.scroll_into_view_if_needed()
    button = uploader.locator("[data-testid='stFileUploaderDropzone'] button")
    assert button.locator("[data-testid='stMarkdownContainer']").evaluate(AFTER) == '"Välj fil"'
    zone = uploader.locator("[data-testid='stFileUploaderDropzoneInstructions'] > div")
    assert zone.evaluate(AFTER) == '"Dra och släpp en fil här • högst 200 MB per fil • CSV, XLSX"'
    # a screen reader reads the Swedish name too (generated content is part of it)
    assert uploader.get_by_role("button", name="Välj fil", exact=True).count() == 1
    # a text field being typed in shows its hint
    field = page.get_by_label("Sök diagram")
    field.click()
    field.type("x")
    hint = page.locator("[data-testid='InputInstructions']").first
    hint.wait_for()
    assert hint.evaluate(AFTER) == '"Tryck Enter för att använda"'
    text = page.evaluate(VISIBLE_TEXT)
    for english in ENGLISH:
        assert english not in text, (english, text)
    # what a screen reader announces: Streamlit's own English names are swapped for Swedish
    named = page.eval_on_selector_all(
        "[aria-label], [placeholder]",
        "els => els.map(e => (e.getAttribute('aria-label') || '') + '|' + "
        "(e.getAttribute('placeholder') || ''))",
    )
    english_names = {n for n in named for word in ARIA_SWEDISH if word in n.split("|")}
    assert not english_names, english_names
    assert "Visa lösenord" in " ".join(named) or "Fäll ihop sidomenyn" in " ".join(named)
    uploader.screenshot(path=str(DOCS / "forbered-uppladdning.png"))
