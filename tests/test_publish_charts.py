"""The published page's interactive charts and its text, as a reader sees them.

The page is published the way the app's Publicera button does it: in a process whose default
Plotly template is not Plotly's own (Streamlit sets its own, whose axes never grow their
margins), so a chart that leans on the default clips its tick labels. Charts: the population
(some values summed by the app itself), the bankruptcies and BRP+ with the gallery's two
decimals on an index 0–100.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.io as pio
import pytest

from stats.analysis.indicators import load_indicators, open_scope
from stats.catalog.load import load_catalog
from stats.config import ROOT
from stats.export.from_meeting import meeting_section
from stats.export.layout import WIDTH, export_figure
from stats.ingest.snapshot import load_snapshot
from stats.meetings.files import load_meeting, meeting_path
from stats.present.describe import STATUS_TEXT, chart_table, symbol_key
from stats.present.figures import figure
from stats.present.spec import ChartSpec, draw, footnotes
from stats.publish.meeting_page import PageFiles, meeting_body
from stats.publish.site import publish_meeting
from stats.store.dbfile import open_reader
from stats.store.write import open_writer
from tests.conftest import LOADED_AT, SEED_MEETINGS, TODAY

DATE = "2024-06-17"
POPULATION = ChartSpec(
    indicator="folkmangd_manad_total", title="Folkmängd", regions=("hemlan", "riket")
)
BANKRUPTCIES = ChartSpec(
    indicator="manadsforandring",
    title="Företagskonkurser per månad",
    regions=("hemlan",),
    filters=(("measure", "konkurser_regionfakta"),),
)
# as the gallery offers it: two decimals, the latest stämpelår
BRP_PLUS = ChartSpec(
    "brp_plus",
    title="BRP+ Livskvalitet",
    filters=(("del", "Livskvalitet"), ("kon", "TotSa"), ("niva", "lan"), ("tema", "T1")),
    regions=("riket", "lan"),
    kind="bar",
    unit="index 0–100",
    decimals=2,
)
CHARTS = (POPULATION, BANKRUPTCIES, BRP_PLUS)
BACKTICKED = re.compile(r"`[^`]*`")


class Figures(HTMLParser):
    """The JSON of every <script data-figure> on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict[str, Any]] = []
        self._in = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in = tag == "script" and any(k == "data-figure" for k, _ in attrs)

    def handle_data(self, data: str) -> None:
        if self._in:
            self.found.append(json.loads(data))

    def handle_endtag(self, tag: str) -> None:
        self._in = False


def page_figures(html: str) -> list[dict[str, Any]]:
    parsed = Figures()
    parsed.feed(html)
    return parsed.found


def plotly_tick_format(axis: Any, dtick: float) -> str:
    """The format Plotly gives tick labels `dtick` apart: the first stop whose range holds it."""
    for stop in axis.tickformatstops:
        low, high = stop.dtickrange
        if (low is None or low <= dtick) and (high is None or dtick <= high):
            return str(stop.value)
    return str(axis.tickformat)


def _body(db: Path, meetings: Path) -> str:
    june = replace(load_meeting(meeting_path(meetings, DATE)), charts=CHARTS)
    with closing(open_reader(db)) as con:
        return meeting_body(meeting_section(con, june, "23"), PageFiles())


# --- without a browser -------------------------------------------------------------------------


def test_page_charts_fill_their_column_and_make_room_for_their_labels(
    snapshot_db: Path, meetings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plotlys_own = _body(snapshot_db, meetings)
    monkeypatch.setattr(pio.templates, "default", "none")
    in_the_app = _body(snapshot_db, meetings)
    # the same page whatever default template the publishing process has
    assert in_the_app == plotlys_own
    figures = page_figures(in_the_app)
    assert len(figures) == len(CHARTS)
    for fig in figures:
        layout = fig["layout"]
        assert fig["config"] == {"displayModeBar": False, "responsive": True}
        assert layout["autosize"] is True and "width" not in layout
        assert layout["xaxis"]["automargin"] is True and layout["yaxis"]["automargin"] is True


def test_the_pictures_keep_their_print_layout(snapshot_db: Path) -> None:
    with closing(open_reader(snapshot_db)) as con:
        chart = draw(open_scope(con), BANKRUPTCIES, home="23")
    fig = export_figure(chart, "23", notes=False)
    assert fig.layout.width == WIDTH and fig.layout.autosize is None
    assert fig.layout.yaxis.automargin is False


def test_index_axis_ticks_are_whole_while_values_keep_their_decimals(snapshot_db: Path) -> None:
    with closing(open_reader(snapshot_db)) as con:
        chart = draw(open_scope(con), BRP_PLUS, home="23")
    axis = figure(chart).layout.yaxis
    # Plotly's own steps on 0–100 are 10, 20 or 50 apart, on a phone's short axis 0,5 maybe
    assert [plotly_tick_format(axis, step) for step in (1, 10, 20, 50)] == [",d"] * 4
    assert plotly_tick_format(axis, 0.5) == ",.1f"
    assert plotly_tick_format(axis, 0.05) == ",.2f"
    assert axis.hoverformat == ",.2f"
    assert all(re.fullmatch(r"\d+,\d\d", row[1]) for row in chart_table(chart).rows)


def test_reader_text_names_no_internal_column(snapshot_db: Path) -> None:
    for ind in load_indicators().values():
        texts = [ind.title, ind.unit, ind.definition, *(d for _, d in ind.definitions)]
        assert not [t for t in texts if BACKTICKED.search(t)], ind.id
    with closing(open_reader(snapshot_db)) as con:
        chart = draw(open_scope(con), POPULATION, home="23")
    notes = footnotes(chart)
    # the definition says in words what the note on the sums the app made itself looks like
    said = "Beräknat här, inte SCB:s egen uppgift"
    assert [n for n in notes if n.startswith(f"{said}: Jämtlands län: summa av åldersgrupperna")]
    assert [n for n in notes if n.startswith("Definition: ") and f"”{said}”" in n]
    assert not [n for n in notes if BACKTICKED.search(n) or "derived" in n]
    # the table's key to its status symbols
    key = symbol_key(pd.DataFrame({"status": list(STATUS_TEXT)}))
    assert key and len(key.split(";")) == len(STATUS_TEXT) and "`" not in key


def test_dates_in_headings_stay_whole_and_keep_their_hyphens(
    snapshot_db: Path, meetings: Path
) -> None:
    body = _body(snapshot_db, meetings)
    assert '<h1>Regional näringslivsdialog, <span class="date">2024-06-17</span></h1>' in body
    assert "\u2011" not in body


# --- with a browser ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The June meeting with the three charts, published as from the app (no Plotly template)."""
    from tests.test_browser import chromium_path

    chromium_path()
    tmp = tmp_path_factory.mktemp("charts")
    env = {"STATS_DB": "stats.duckdb", "STATS_DATA_DIR": "data", "STATS_MEETINGS_DIR": "meetings"}
    with pytest.MonkeyPatch.context() as mp:
        for name, place in env.items():
            mp.setenv(name, str(tmp / place))
        mp.setenv("STATS_TODAY", TODAY.isoformat())
        mp.delenv("STATS_HOME_REGION", raising=False)
        mp.setattr(pio.templates, "default", "none")
        with open_writer(tmp / "stats.duckdb") as store:
            load_snapshot(store, tmp / "data" / "raw", load_catalog(), ROOT / "data" / "snapshot",
                          now=lambda: LOADED_AT)  # fmt: skip
        june = replace(load_meeting(meeting_path(SEED_MEETINGS, DATE)), charts=CHARTS)
        with closing(open_reader(tmp / "stats.duckdb")) as con:
            yield publish_meeting(con, june, "23", tmp / "site")


# per chart: the plot's and its container's widths, the SVG's left and right edges, the y tick
# labels' left and right edges and texts, the y axis title's right edge
MEASURE = """() => [...document.querySelectorAll('.chart')].map(chart => {
  const box = r => { const b = r.getBoundingClientRect(); return [b.left, b.right]; };
  const svg = chart.querySelector('svg.main-svg');
  const ticks = [...chart.querySelectorAll('.yaxislayer-above .ytick text')];
  const title = chart.querySelector('.g-ytitle text');
  return {
    width: svg.getBoundingClientRect().width,
    column: chart.querySelector('.plot').parentElement.getBoundingClientRect().width,
    svg: box(svg), ticks: ticks.map(box), texts: ticks.map(t => t.textContent),
    title: title ? box(title)[1] : null,
  };
})"""
# the ISO dates in the headings that a line break splits
SPLIT_DATES = """() => [...document.querySelectorAll('h1, h2, h3')].flatMap(h => {
  const text = h.textContent, split = [];
  for (const m of text.matchAll(/\\d{4}-\\d{2}-\\d{2}/g)) {
    const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT), range = new Range();
    let seen = 0, node;
    while ((node = walker.nextNode())) {
      const end = seen + node.length;
      if (seen <= m.index && m.index < end) range.setStart(node, m.index - seen);
      if (seen < m.index + 10 && m.index + 10 <= end) range.setEnd(node, m.index + 10 - seen);
      seen = end;
    }
    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
    if (lines.size > 1) split.push(m[0]);
  }
  return split;
})"""


@contextmanager
def opened(page: Path, width: int) -> Iterator[Any]:
    """A headless Chromium tab `width` px wide showing the page with its charts drawn."""
    from playwright.sync_api import sync_playwright

    from stats.app.server import CHROMIUM_ARGS
    from tests.test_browser import chromium_path

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        try:
            tab = browser.new_page(viewport={"width": width, "height": 900})
            tab.goto(page.as_uri())
            tab.wait_for_selector(".chart.drawn .js-plotly-plot", timeout=20_000)
            yield tab
        finally:
            browser.close()


@pytest.mark.browser
def test_interactive_charts_fit_their_column_with_every_tick_label_inside(page: Path) -> None:
    with opened(page, 1280) as tab:
        wide = tab.evaluate(MEASURE)
        assert "`" not in tab.inner_text("main")
        # drawn again to the new width when the window narrows
        tab.set_viewport_size({"width": 390, "height": 800})
        tab.wait_for_timeout(500)
        phone = tab.evaluate(MEASURE)
    with opened(page, 390) as tab:
        phone += tab.evaluate(MEASURE)
    assert len(wide) == len(CHARTS)
    for chart in wide + phone:
        assert chart["width"] >= 0.9 * chart["column"], chart
        (left, right), title = chart["svg"], chart["title"]
        assert chart["ticks"], chart
        for tick_left, tick_right in chart["ticks"]:
            assert left <= tick_left and tick_right <= right, chart
            assert title is None or title <= tick_left, chart
    assert wide[2]["texts"] == ["0", "20", "40", "60", "80", "100"]


@pytest.mark.browser
def test_no_date_in_a_heading_breaks_at_a_hyphen_on_a_phone(page: Path) -> None:
    split: dict[int, list[str]] = {}
    with opened(page, 390) as tab:
        # "Regional näringslivsdialog, 2024-06-17" wrapped after "2024-" near 384 px
        for width in range(320, 440, 4):
            tab.set_viewport_size({"width": width, "height": 800})
            split[width] = tab.evaluate(SPLIT_DATES)
    assert {w: s for w, s in split.items() if s} == {}
