"""Chart figures laid out for print: A4 width, Swedish text, source line and footnotes inside.

The figure comes from `stats.present.figures.figure`; this module only sizes it, sets fonts and
a white background, and adds the notes below the plot area with a margin sized to fit them.
Texts it adds (the wrapped title, the notes) are escaped with `stats.text.escape_plotly`, the
same function the figure's own texts went through, and each only once.
"""

from __future__ import annotations

import html
import math
import textwrap

import plotly.graph_objects as go

from stats.fmt import format_number
from stats.present.describe import chart_decimals, is_missing
from stats.present.figures import figure, figure_title
from stats.present.spec import Chart, chart_notes
from stats.regions import Home
from stats.text import escape_plotly

# 800 px across 16 cm (A4 between 2,5 cm margins): 1 px = 0,57 pt, so 14 px text prints at 8 pt
WIDTH = 800
PLOT_HEIGHT = 340
FONT = "Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif"
TEXT_COLOUR = "#222222"
NOTE_COLOUR = "#333333"
GRID_COLOUR = "#d9d9d9"
BASE_SIZE = 15
TICK_SIZE = 14
NOTE_SIZE = 13
TITLE_SIZE = 21
# left and right padding of title and notes
EDGE = 20
# average glyph width of Arial/Liberation Sans relative to the font size
_GLYPH = 0.52
_NOTE_LINE = 17
_LEGEND_ROW = 24


def wrap_lines(lines: list[str], size: int, width: int) -> list[str]:
    """Lines wrapped to fit `width` px of text at font `size` px."""
    chars = max(20, int(width / (size * _GLYPH)))
    out: list[str] = []
    for line in lines:
        out += textwrap.wrap(line, chars, break_on_hyphens=False) or [""]
    return out


def _text_px(text: str, size: int) -> float:
    return len(text) * size * _GLYPH


def _legend_rows(fig: go.Figure, width: float) -> int:
    if fig.layout.showlegend is False:
        return 0
    names = [html.unescape(t.name) for t in fig.data if t.showlegend is not False and t.name]
    if len(names) < 2:
        return 0
    rows, used = 1, 0.0
    for name in names:
        item = _text_px(name, BASE_SIZE - 1) + 50
        if used + item > width and used > 0:
            rows, used = rows + 1, 0.0
        used += item
    return rows


def _x_axis(fig: go.Figure, plot_width: float) -> float:
    """Set the x tick angle and return the height (px) the x axis needs below the plot."""
    axis = fig.layout.xaxis
    shown = axis.tickvals or [x for trace in fig.data for x in (trace.x or ())]
    labels = list(dict.fromkeys(html.unescape(str(x)) for x in shown))
    title = BASE_SIZE + 16 if axis.title.text else 0
    longest = max((_text_px(label, TICK_SIZE) for label in labels), default=0.0)
    if longest <= plot_width / max(1, len(labels)) * 0.9:
        fig.update_xaxes(tickangle=0, tickfont={"size": TICK_SIZE})
        return 20.0 + TICK_SIZE + title
    fig.update_xaxes(tickangle=-45, tickfont={"size": TICK_SIZE})
    return 20.0 + (longest + TICK_SIZE) * math.sin(math.radians(45)) + title


def _left_margin(chart: Chart, decimals: int) -> int:
    """Room for the y tick labels and the unit title, so the notes can align with the edge."""
    values = [abs(float(v)) for v in chart.frame["value"] if not is_missing(v)]
    widest = format_number(max(values, default=0.0) * 1.25, decimals)
    negative = any(float(v) < 0 for v in chart.frame["value"] if not is_missing(v))
    return int(46 + _text_px(widest + ("-" if negative else ""), TICK_SIZE))


def export_figure(chart: Chart, home: Home, *, notes: bool = True) -> go.Figure:
    """The chart's figure sized for an A4 page, with the source line and footnotes inside it.

    Title, unit (y axis title), preliminary marks and the symbol key come from
    `stats.present.figures.figure`; `notes` adds the source line and footnotes below the
    legend, wrapped to the image width. The plot area keeps the same size whatever the
    notes' length.
    """
    fig = go.Figure(figure(chart))
    left, right = _left_margin(chart, chart_decimals(chart)), 24
    plot_width = WIDTH - left - right
    title_lines = wrap_lines([figure_title(chart)], TITLE_SIZE, WIDTH - 2 * EDGE)
    top = 44 + 26 * len(title_lines)
    axis = _x_axis(fig, plot_width)
    legend = _legend_rows(fig, plot_width) * _LEGEND_ROW
    note_lines = wrap_lines(chart_notes(chart, home), NOTE_SIZE, WIDTH - 2 * EDGE) if notes else []
    bottom = axis + legend + (len(note_lines) * _NOTE_LINE + 10 if note_lines else 0) + 12
    fig.update_layout(
        width=WIDTH,
        height=int(top + PLOT_HEIGHT + bottom),
        margin={"l": left, "r": right, "t": top, "b": bottom},
        font={"family": FONT, "size": BASE_SIZE, "color": TEXT_COLOUR},
        title={
            "text": "<br>".join(escape_plotly(t) for t in title_lines),
            "font": {"size": TITLE_SIZE},
            "x": EDGE / WIDTH,
            "xref": "container",
            "xanchor": "left",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 14},
        },
        paper_bgcolor="white",
        plot_bgcolor="white",
        legend={"y": -axis / PLOT_HEIGHT, "yanchor": "top", "font": {"size": BASE_SIZE - 1}},
    )
    fig.update_yaxes(
        automargin=False,
        gridcolor=GRID_COLOUR,
        zerolinecolor="#999999",
        tickfont={"size": TICK_SIZE},
    )
    fig.update_xaxes(linecolor="#999999", showline=True, title_font={"size": BASE_SIZE})
    fig.update_yaxes(title_font={"size": BASE_SIZE})
    if note_lines:
        fig.add_annotation(
            text="<br>".join(escape_plotly(line) for line in note_lines),
            xref="paper",
            yref="paper",
            x=-(left - EDGE) / plot_width,
            xanchor="left",
            y=-(axis + legend + 6) / PLOT_HEIGHT,
            yanchor="top",
            align="left",
            showarrow=False,
            font={"size": NOTE_SIZE, "color": NOTE_COLOUR},
        )
    return fig


def chart_title(fig: go.Figure) -> str:
    """The figure's title as plain text, for messages (bar charts add the period)."""
    return html.unescape(str(fig.layout.title.text or "").replace("<br>", " "))
