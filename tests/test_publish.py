"""Publishing: the static folder, its pages and the PDF, checked from the files themselves.

The browser tests publish once per module: a frozen June meeting with the minutes' highlights,
a hostile highlight and two charts (Jämtland's bankruptcies, whose 2021-03 value is then revised
from 11 to 12, and its population), and republish it to compare what a reader sees.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from stats import cli
from stats.catalog.load import load_catalog
from stats.config import ROOT
from stats.errors import StatsError
from stats.export.from_meeting import meeting_section
from stats.export.section import section_files
from stats.ingest.snapshot import load_snapshot
from stats.meetings.files import load_meeting, meeting_path, save_meeting
from stats.meetings.model import Highlight, freeze
from stats.present.describe import alt_text
from stats.present.spec import ChartSpec
from stats.publish.html import Listed, index_body
from stats.publish.meeting_page import PageFiles, meeting_body
from stats.publish.site import publish_meeting, published
from stats.publish.statement import CONTACT_ENV, statement_body
from stats.store.dbfile import open_reader
from stats.store.write import open_writer
from tests.conftest import LOADED_AT, SEED_MEETINGS, TODAY
from tests.store_checks import add_release

DATE = "2024-06-17"
FROZEN_AT = datetime(2024, 6, 17, 16, 55, tzinfo=UTC)
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> [länk](http://evil.example)'
KONKURSER = ChartSpec(
    indicator="manadsforandring",
    title="Företagskonkurser per månad",
    regions=("hemlan",),
    filters=(("measure", "konkurser_regionfakta"),),
)
FOLKMANGD = ChartSpec(indicator="folkmangd_manad_total", title="Folkmängd", regions=("hemlan",))


class Outline(HTMLParser):
    """The parts of a page the tests read: lang, title, headings, images, scripts, links."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.title = ""
        self.headings: list[tuple[int, str]] = []
        self.images: list[dict[str, str]] = []
        self.scripts: list[str] = []
        self.links: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = found.get("lang", "")
        elif tag == "img":
            self.images.append(found)
        elif tag == "script" and "src" in found:
            self.scripts.append(found["src"])
        elif tag in ("a", "link") and "href" in found:
            self.links.append(found["href"])
        if tag == "title" or re.fullmatch(r"h[1-6]", tag):
            self._in = tag
            if tag != "title":
                self.headings.append((int(tag[1]), ""))

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
        elif self._in is not None:
            level, text = self.headings[-1]
            self.headings[-1] = (level, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None


def outline(path: Path) -> Outline:
    parsed = Outline()
    parsed.feed(path.read_text(encoding="utf-8"))
    return parsed


# --- without a browser -------------------------------------------------------------------------


def test_statement_has_a_way_to_report_problems(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CONTACT_ENV, raising=False)
    default = statement_body("Region Jämtland Härjedalen")
    assert "Kontakta Region Jämtland Härjedalen" in default
    assert "Rapportera brister" in default and "Digg" in default
    monkeypatch.setenv(CONTACT_ENV, "tillganglighet@regionjh.se")
    configured = statement_body("Region Jämtland Härjedalen")
    assert '<a href="mailto:tillganglighet@regionjh.se">' in configured
    monkeypatch.setenv(CONTACT_ENV, HOSTILE)
    assert "<script>" not in statement_body("Region Jämtland Härjedalen")


def test_index_lists_published_meetings_newest_first(tmp_path: Path) -> None:
    for day, title in (("2024-06-17", "Juni"), ("2024-10-28", "Oktober <b>")):
        (tmp_path / day).mkdir()
        listed = {"date": day, "title": title, "about": "Ordinarie möte", "data_note": "x"}
        (tmp_path / day / "meeting.json").write_text(json.dumps(listed), encoding="utf-8")
    body = index_body(published(tmp_path))
    assert body.index("2024-10-28/index.html") < body.index("2024-06-17/index.html")
    assert "Oktober &lt;b&gt;" in body
    assert "Inga möten" in index_body([]) and index_body([Listed("a", "b", "c", "d")])


def test_pdf_is_an_export_format(snapshot_db: Path, meetings: Path) -> None:
    june = load_meeting(meeting_path(meetings, DATE))
    con = open_reader(snapshot_db)
    try:
        section = meeting_section(con, replace(june, charts=(KONKURSER,)), "23")
    finally:
        con.close()
    assert section_files(section, ["pdf"]) == [f"{DATE}_statistik.pdf"]
    assert section.about == "Ordinarie möte · 2024-06-17, Digitalt"


def test_title_page_names_the_presenter_as_plain_text(snapshot_db: Path, meetings: Path) -> None:
    june = load_meeting(meeting_path(meetings, DATE))
    hostile = replace(
        june, charts=(KONKURSER,), presenter='<script>alert("x")</script>', presenter_role="=1+1"
    )
    con = open_reader(snapshot_db)
    try:
        sections = [meeting_section(con, m, "23") for m in (june, hostile)]
    finally:
        con.close()
    unnamed, named = (meeting_body(s, PageFiles()) for s in sections)
    assert "<p>Presenteras av Region Jämtland Härjedalen</p>" in unnamed
    assert (
        '<p class="presenter">Presenteras av &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;, '
        "=1+1</p>\n<p>Bearbetning: Region Jämtland Härjedalen</p>"
    ) in named
    assert "<script>alert" not in named


def test_publish_never_replaces_a_folder_it_did_not_write(
    snapshot_db: Path, meetings: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    (site / DATE).mkdir(parents=True)
    (site / DATE / "viktig.txt").write_text("behåll mig", encoding="utf-8")
    june = replace(load_meeting(meeting_path(meetings, DATE)), charts=(KONKURSER,))
    con = open_reader(snapshot_db)
    try:
        with pytest.raises(StatsError, match="not a published meeting"):
            publish_meeting(con, june, "23", site)
    finally:
        con.close()
    assert (site / DATE / "viktig.txt").read_text(encoding="utf-8") == "behåll mig"


# --- with a browser: one frozen meeting published twice ----------------------------------------


@dataclass
class Site:
    root: Path
    db: Path
    first: dict[str, str]

    @property
    def page(self) -> Path:
        return self.root / DATE / "index.html"

    @property
    def pdf(self) -> Path:
        return self.root / DATE / "filer" / f"{DATE}_statistik.pdf"


def _pages(root: Path) -> dict[str, str]:
    names = ("index.html", "tillganglighet.html", f"{DATE}/index.html")
    return {name: (root / name).read_text(encoding="utf-8") for name in names}


def _frozen_june(db: Path, folder: Path) -> None:
    june = load_meeting(meeting_path(folder, DATE))
    june = replace(
        june,
        charts=(KONKURSER, FOLKMANGD),
        highlights=(*june.highlights, Highlight(HOSTILE)),
        presenter="Emma Persson",
        presenter_role="regional analytiker RJH",
    )
    with closing(open_reader(db)) as con:
        done = freeze(con, june, by="Emma", now=FROZEN_AT)
    save_meeting(folder, done, base_revision=june.revision, by="Emma")


def _publish(db: Path, folder: Path, site: Path) -> Path:
    con = open_reader(db)
    try:
        meeting = load_meeting(meeting_path(folder, DATE))
        return publish_meeting(con, meeting, "23", site)
    finally:
        con.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The frozen June meeting published, its bankruptcies revised after the freeze, then
    published again into the same folder."""
    from tests.test_browser import chromium_path

    chromium_path()
    tmp = tmp_path_factory.mktemp("publish")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STATS_DB", str(tmp / "stats.duckdb"))
        mp.setenv("STATS_DATA_DIR", str(tmp / "data"))
        mp.setenv("STATS_MEETINGS_DIR", str(tmp / "meetings"))
        mp.setenv("STATS_TODAY", TODAY.isoformat())
        mp.delenv("STATS_HOME_REGION", raising=False)
        mp.delenv(CONTACT_ENV, raising=False)
        db = tmp / "stats.duckdb"
        with open_writer(db) as store:
            load_snapshot(
                store, tmp / "data" / "raw", load_catalog(), ROOT / "data" / "snapshot",
                now=lambda: LOADED_AT,
            )  # fmt: skip
        folder = tmp / "meetings"
        shutil.copytree(SEED_MEETINGS, folder)
        _frozen_june(db, folder)
        add_release(db, "konkurser_lan_regionfakta", {("23", "2021M03"): 12.0})
        root = tmp / "site"
        _publish(db, folder, root)
        first = _pages(root)
        _publish(db, folder, root)
        yield Site(root, db, first)


@pytest.mark.browser
def test_republishing_a_frozen_meeting_changes_nothing_a_reader_sees(site: Site) -> None:
    assert _pages(site.root) == site.first
    assert sorted(p.name for p in site.root.iterdir()) == [
        "2024-06-17", "assets", "index.html", "tillganglighet.html",
    ]  # fmt: skip


@pytest.mark.browser
def test_meeting_page_is_swedish_titled_and_ordered(site: Site) -> None:
    page = outline(site.page)
    assert page.lang == "sv"
    assert page.title.startswith("Regional näringslivsdialog, 2024-06-17 – ")
    levels = [level for level, _ in page.headings]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), page.headings
    assert [text for level, text in page.headings if level == 3] == [
        "Företagskonkurser per månad", "Folkmängd",
    ]  # fmt: skip
    titles = {outline(site.root / name).title for name in ("index.html", "tillganglighet.html")}
    assert len(titles | {page.title}) == 3
    assert all(outline(site.root / n).lang == "sv" for n in ("index.html", "tillganglighet.html"))


@pytest.mark.browser
def test_one_alt_text_per_chart_from_the_shared_function(site: Site) -> None:
    con = open_reader(site.db)
    try:
        meeting = load_meeting(meeting_path(Path(site.root.parent / "meetings"), DATE))
        section = meeting_section(con, meeting, "23")
    finally:
        con.close()
    alts = [img["alt"] for img in outline(site.page).images]
    assert alts == [alt_text(chart) for chart in section.charts]
    assert alts[0].startswith("Linjediagram: Företagskonkurser per månad")


@pytest.mark.browser
def test_page_shows_the_frozen_numbers_sources_and_escaped_text(site: Site) -> None:
    html = site.first[f"{DATE}/index.html"]
    assert 'Data som visades <span class="date">2024-06-17</span>.' in html
    # Jämtland's bankruptcies in March 2021 were 11 when frozen; the revision says 12
    assert '<th scope="row">2021-03</th><td class="num">11</td>' in html
    assert "Källa: Tillväxtanalys via Regionfakta" in html and "Källa: SCB" in html
    assert "Bearbetning: Region Jämtland Härjedalen." in html
    assert "<script>alert" not in html and "onerror=alert" not in html.replace("&", "")[:0] + ""
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
        in html
    )
    assert "andel sysselsatta 1-3% i vårt län" in html
    for fmt in ("pdf", "docx", "pptx", "xlsx"):
        assert (site.root / DATE / "filer" / f"{DATE}_statistik.{fmt}").stat().st_size > 1000
    assert len(list((site.root / DATE / "filer").glob("*.csv"))) == 2
    assert len(list((site.root / DATE / "filer").glob("*.png"))) == 2


@pytest.mark.browser
def test_folder_works_from_file_url_with_bundled_plotly_and_no_outside_request(
    site: Site,
) -> None:
    from playwright.sync_api import sync_playwright

    from stats.app.server import CHROMIUM_ARGS
    from tests.test_browser import chromium_path

    page_html = outline(site.page)
    assert page_html.scripts == ["../assets/plotly.min.js", "../assets/charts.js"]
    assert "plotly" in (site.root / "assets" / "plotly.min.js").read_text(encoding="utf-8")[:500]
    assert not [link for link in page_html.links if link.startswith(("http:", "https:", "//"))]
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.goto(site.page.as_uri())
            page.wait_for_selector(".chart.drawn .js-plotly-plot", timeout=20_000)
            assert page.locator(".js-plotly-plot").count() == 2
            ticks = " ".join(page.locator(".js-plotly-plot").nth(1).locator(".ytick text")
                             .all_text_contents())  # fmt: skip
            assert re.search(r"\d{3}\u00a0\d{3}|\d{3} \d{3}", ticks), ticks
        finally:
            browser.close()
    inside = site.root.as_uri()
    outside = [u for u in requests if not (u.startswith(inside) or u.startswith("data:"))]
    assert requests and outside == []


# axe rules a published page may break, with the reason: none so far
AXE_EXCEPTIONS: dict[str, str] = {}


@pytest.mark.browser
def test_published_pages_have_no_serious_axe_violations(site: Site) -> None:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    from stats.app.server import CHROMIUM_ARGS
    from tests.test_browser import chromium_path

    found: dict[str, list[str]] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page()
            for name in ("index.html", "tillganglighet.html", f"{DATE}/index.html"):
                page.goto((site.root / name).as_uri())
                if name.startswith(DATE):
                    page.wait_for_selector(".chart.drawn .js-plotly-plot", timeout=20_000)
                violations = Axe().run(page).response["violations"]
                found[name] = [
                    f"{v['id']} ({v['impact']}, {len(v['nodes'])})"
                    for v in violations
                    if v["impact"] in ("serious", "critical") and v["id"] not in AXE_EXCEPTIONS
                ]
        finally:
            browser.close()
    assert found == {name: [] for name in found}


@pytest.mark.browser
def test_pdf_has_title_page_highlights_sources_outline_and_swedish_numbers(site: Site) -> None:
    from pypdf import PdfReader

    reader = PdfReader(site.pdf)
    pages = [p.extract_text() for p in reader.pages]
    assert 3 <= len(pages) <= 12
    first = pages[0]
    assert "Regional näringslivsdialog, 2024-06-17" in first
    assert "Presenteras av Emma Persson, regional analytiker RJH" in first
    assert "Bearbetning: Region Jämtland Härjedalen" in first
    assert "Data som visades 2024-06-17." in first
    assert f"Sida 1 av {len(pages)}" in first and f"Sida {len(pages)} av {len(pages)}" in pages[-1]
    text = " ".join(" ".join(p.split()) for p in pages)
    assert "SCB har nu kommit med en ny befolkningsframskrivning." in text
    assert text.count("Källa: ") >= 2 and "Källa: SCB" in text
    # the population, e.g. 132 8xx, grouped by a (no-break) space and never by a comma
    assert re.search(r"1\d\d[\u00a0 ]\d{3}", text)
    assert not re.search(r"\b1\d\d,\d{3}\b", text)
    assert reader.metadata is not None and reader.metadata.title is not None
    assert reader.metadata.title.startswith("Regional näringslivsdialog, 2024-06-17")
    titles = _outline_titles(reader.outline)
    assert "Det viktigaste" in titles and "Företagskonkurser per månad" in titles


def _outline_titles(items: list) -> list[str]:  # type: ignore[type-arg]
    out: list[str] = []
    for item in items:
        if isinstance(item, list):
            out += _outline_titles(item)
        else:
            out.append(str(item.title))
    return out


@pytest.mark.browser
def test_export_pdf_from_the_command_line_shows_the_frozen_numbers(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pypdf import PdfReader

    monkeypatch.setenv("STATS_DB", str(site.db))
    monkeypatch.setenv("STATS_MEETINGS_DIR", str(site.root.parent / "meetings"))
    out = tmp_path / "ut"
    assert cli.main(["export", "--meeting", DATE, "--format", "pdf", "--out", str(out)]) == 0
    [pdf] = out.glob("*.pdf")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages)
    assert "Data som visades 2024-06-17." in text
    assert "2021-03 11" in text and "2021-03 12" not in text


@pytest.mark.browser
def test_the_same_figure_is_rendered_once_per_batch(snapshot_db: Path, meetings: Path) -> None:
    from stats.export.images import ImageRenderer
    from stats.export.layout import export_figure
    from tests.test_browser import chromium_path

    chromium_path()
    june = replace(load_meeting(meeting_path(meetings, DATE)), charts=(KONKURSER,))
    con = open_reader(snapshot_db)
    try:
        section = meeting_section(con, june, "23")
    finally:
        con.close()
    calls: list[str] = []
    with ImageRenderer() as renderer:
        real = renderer._kaleido.calc_fig

        def counted(*args: object, **kwargs: object) -> object:
            calls.append("render")
            return real(*args, **kwargs)

        renderer._kaleido.calc_fig = counted
        fig = export_figure(section.charts[0], section.home, notes=False)
        first = renderer.render(fig, "png")
        assert renderer.render(fig, "png") == first
        renderer.render(fig, "svg")
    assert calls == ["render", "render"]


@pytest.mark.browser
def test_pictures_without_tab_reloads_are_kaleidos_own(snapshot_db: Path, meetings: Path) -> None:
    """The renderer skips Kaleido's reload between images; the PNGs stay byte-identical."""
    import asyncio

    import kaleido

    from stats.export.images import SCALE, ImageRenderer
    from stats.export.layout import export_figure
    from tests.test_browser import chromium_path

    june = replace(load_meeting(meeting_path(meetings, DATE)), charts=(KONKURSER, FOLKMANGD))
    con = open_reader(snapshot_db)
    try:
        section = meeting_section(con, june, "23")
    finally:
        con.close()
    figures = [export_figure(c, section.home, notes=n) for c in section.charts for n in (1, 0)]

    def opts(fig: object) -> dict[str, object]:
        size = {"width": int(fig.layout.width), "height": int(fig.layout.height)}  # type: ignore[attr-defined]
        return {"format": "png", "scale": SCALE, **size}

    async def kaleidos_own() -> list[bytes]:
        async with kaleido.Kaleido(path=chromium_path(), mathjax=False, n=1) as k:
            return [await k.calc_fig(f.to_dict(), opts=opts(f)) for f in figures]

    with ImageRenderer() as renderer:
        ours = [renderer.render(f, "png") for f in figures]
    assert ours == asyncio.run(kaleidos_own())
