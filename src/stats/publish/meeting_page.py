"""One meeting's page: title page, highlights, each chart (interactive, with a static picture,
alt text, table, source line and footnotes) and the downloads. Also the PDF's source.

The alt text and the table come from `stats.present.describe`, the same functions the app and
every export use, so a screen-reader user hears the same text everywhere.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go

from stats.export.section import Section
from stats.present.describe import Table, alt_text, chart_table
from stats.present.figures import figure
from stats.present.spec import Chart, caption, footnotes
from stats.publish.html import esc, esc_dates

# the whole-section downloads and how each is described; then a CSV and a PNG per chart
DOWNLOAD_LABELS = {
    "pdf": "PDF, hela statistikavsnittet",
    "docx": "Word, hela statistikavsnittet",
    "pptx": "PowerPoint, en bild per diagram",
    "xlsx": "Excel, en flik per diagram",
}
PER_CHART_LABELS = {"csv": "data som CSV", "png": "bild som PNG"}
# Plotly's settings for the page's charts: redrawn to the column's width when the window changes
WEB_CONFIG: dict[str, Any] = {"displayModeBar": False, "responsive": True}


def download_list(section: Section, folder: str) -> list[tuple[str, str]]:
    """(relative file name, label) of every download, in the order the page lists them."""
    out = [(f"{folder}/{section.single_file(f)}", label) for f, label in DOWNLOAD_LABELS.items()]
    for chart, stem in zip(section.charts, section.stems(), strict=True):
        out += [
            (f"{folder}/{stem}.{f}", f"{chart.title}, {label}")
            for f, label in PER_CHART_LABELS.items()
        ]
    return out


@dataclass(frozen=True)
class PageFiles:
    """What the page links to, relative to it: pictures per chart index, and downloads."""

    pictures: dict[int, str] = field(default_factory=dict)
    # (file name, label) in listing order
    downloads: list[tuple[str, str]] = field(default_factory=list)


def web_figure(chart: Chart) -> go.Figure:
    """The chart's figure for the page: as wide as its column, with margins that grow to fit the
    tick labels and axis titles, in Plotly's own template whatever the publishing process's
    default is (the app's Streamlit sets one whose axes never grow their margins). The PNG,
    the PDF and the other exports draw `stats.export.layout.export_figure` instead."""
    fig = figure(chart)
    fig.update_layout(template="plotly", autosize=True, width=None)
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    return fig


def figure_json(chart: Chart) -> str:
    """The page's figure and Plotly settings as JSON that is safe inside a <script> element."""
    drawn = json.loads(web_figure(chart).to_json())
    text = json.dumps({**drawn, "config": WEB_CONFIG}, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def table_html(table: Table, table_id: str) -> str:
    """A data table: a caption, a header row of column headers and row headers for labels."""
    first = table.first_value
    num = ' class="num"'
    head = "".join(
        f'<th scope="col"{num if i >= first else ""}>{esc(h)}</th>'
        for i, h in enumerate(table.header)
    )
    rows = []
    for row in table.rows:
        cells = [
            f'<th scope="row">{esc(c)}</th>'
            if i == 0
            else (f'<td class="num">{esc(c)}</td>' if i >= first else f"<td>{esc(c)}</td>")
            for i, c in enumerate(row)
        ]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<div class="table-wrap" role="region" tabindex="0" aria-labelledby="{table_id}">'
        f'<table><caption id="{table_id}">{esc(table.caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def chart_html(section: Section, i: int, chart: Chart, picture: str | None) -> str:
    """One chart: heading, the figure (Plotly over a static picture), notes and its table."""
    alt = alt_text(chart)
    if picture is not None:
        still = f'<img class="static" src="{esc(picture)}" alt="{esc(alt)}">'
    else:
        still = f'<p class="static sr-only">{esc(alt)}</p>'
    notes = "".join(f"<li>{esc_dates(n)}</li>" for n in footnotes(chart))
    said = section.chart_highlights.get(i)
    highlight = f'<p class="lead">{esc_dates(said)}</p>' if said else ""
    return f"""<section class="chart no-plot" aria-labelledby="diagram-{i + 1}">
<h3 id="diagram-{i + 1}">{esc_dates(chart.title)}</h3>
{highlight}<figure>
<div class="plot" id="plot-{i + 1}" aria-hidden="true"></div>
{still}
<figcaption class="source">{esc_dates(caption(chart, section.home))}</figcaption>
</figure>
<script type="application/json" data-figure="plot-{i + 1}">{figure_json(chart)}</script>
<ul class="footnotes">{notes}</ul>
{table_html(chart_table(chart), f"tabell-{i + 1}")}
</section>"""


def _downloads(files: PageFiles) -> str:
    if not files.downloads:
        return ""
    items = "".join(
        f'<li><a href="{esc(name)}" download>{esc(label)}</a> '
        f'<span class="note">({esc(name.rsplit("/", 1)[-1])})</span></li>'
        for name, label in files.downloads
    )
    return (
        '<section class="downloads-section" aria-labelledby="filer">\n'
        f'<h2 id="filer">Ladda ner</h2>\n<ul class="downloads">{items}</ul>\n</section>'
    )


def _presenter(section: Section) -> str:
    """Who presents, with the processor, or the processor alone when no one is named."""
    if not section.presenter:
        return f"<p>Presenteras av {esc(section.processor)}</p>"
    return (
        f'<p class="presenter">Presenteras av {esc(section.presenter)}</p>\n'
        f"<p>Bearbetning: {esc(section.processor)}</p>"
    )


def meeting_body(section: Section, files: PageFiles) -> str:
    """The page's main content; the first part is the PDF's title page."""
    highlights = "".join(f"<li>{esc_dates(h)}</li>" for h in section.highlights)
    said = (
        f'<ul class="highlights">{highlights}</ul>'
        if highlights
        else "<p>Inga höjdpunkter är skrivna för mötet.</p>"
    )
    notes = f'<p class="note">{esc_dates(section.notes)}</p>' if section.notes else ""
    charts = "\n".join(
        chart_html(section, i, chart, files.pictures.get(i))
        for i, chart in enumerate(section.charts)
    )
    return f"""<div class="title-page">
<h1>{esc_dates(f"{section.title}, {section.meeting_date}")}</h1>
<p class="lead">{esc_dates(section.subtitle)}</p>
<p>{esc_dates(section.about)}</p>
{_presenter(section)}
<p class="data-note">{esc_dates(section.data_note)}</p>
</div>
<section aria-labelledby="viktigast">
<h2 id="viktigast">Det viktigaste</h2>
{said}
{notes}
</section>
<section class="charts" aria-labelledby="diagram">
<h2 id="diagram">Diagram</h2>
{charts or "<p>Mötet har inga diagram.</p>"}
</section>
{_downloads(files)}"""
