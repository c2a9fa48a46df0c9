"""Plotly figures of charts, in Swedish number and date format: the only module that draws.

The source lines under them are in `stats.present.citation`, their tables and alt text in
`stats.present.describe`. Plotly reads a subset of HTML (links, bold, line breaks) in every text
it shows, so every text put into a figure here (title, legend and category names, axis titles,
annotations, bar labels and hover texts) goes through `stats.text.escape_plotly` exactly once;
text inside a hover template also keeps `%{` from being read as a template variable. Notes and
earlier meetings on a line chart are drawn by `stats.present.figure_marks`.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from stats.fmt import MISSING, format_period
from stats.periods import index_of, is_month, is_year, period_range
from stats.present.describe import (
    NO_VALUE,
    PRELIMINARY,
    chart_decimals,
    chart_marks,
    period_title,
    status_text,
    value_cell,
)
from stats.present.figure_marks import add_marks
from stats.present.spec import Chart, is_bar
from stats.text import escape_plotly

# Plotly's separators string is "<decimal><thousands>": decimal comma, space between thousands
SEPARATORS = ", "

# colour is never the only cue: each trace also gets its own dash and marker (webbriktlinjer)
COLOURS = ("#1f5f8b", "#c8553d", "#2a7f62", "#6c4f8f", "#8a6d1d")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x")

# more periods than this get a tick label only every few periods
MAX_TICKS = 12
# SKR's grey for "vet ej" marks values that are missing
MISSING_COLOUR = "#4f5859"
# the symbol key sits above the plot's top right corner, outside the legend
_KEY_PLACE = {"xref": "paper", "yref": "paper", "x": 1, "y": 1.02, "showarrow": False}
_KEY_PLACE |= {"xanchor": "right", "yanchor": "bottom"}
# a value, its status symbol and whether it is preliminary
Point = tuple[Any, str, bool]


def _style(i: int) -> tuple[str, str, str]:
    """Colour, dash and marker of trace i; past five traces the dash shifts so no two match."""
    return (
        COLOURS[i % len(COLOURS)],
        DASHES[(i + i // len(COLOURS)) % len(DASHES)],
        SYMBOLS[(i + 2 * (i // len(COLOURS))) % len(SYMBOLS)],
    )


def _in_template(text: str) -> str:
    """Text for a hover template: escaped, and `%` as an entity so `%{x}` stays literal."""
    return escape_plotly(text).replace("%", "&#37;")


def _label(period: str) -> str:
    """A period as the x category and tick label: ISO form, escaped."""
    return escape_plotly(format_period(period))


def _column(frame: pd.DataFrame, name: str, default: Any) -> list[Any]:
    if name not in frame.columns:
        return [default] * len(frame)
    return [default if v is None or v is pd.NA or v != v else v for v in frame[name]]


def line_figure(
    frame: pd.DataFrame,
    title: str,
    unit: str,
    *,
    x: str = "period",
    y: str = "value",
    trace: str = "series",
    decimals: int = 0,
    height: int = 380,
    x_title: str = "Månad",
) -> go.Figure:
    """Line chart with one trace per distinct `trace` value, in order of appearance.

    Rows with `preliminary` true get an open marker and "preliminärt" in the hover; rows
    without a value get a grey tick at the x axis whose hover shows the `status` symbol.

    Parameters
    ----------
    frame
        Long data with columns `trace` (legend name), `x` (SCB period such as "2026M04")
        and `y`, optionally `status` and `preliminary`; a frame without a `trace` column
        becomes one trace named after `title`.
    title
        Figure title, e.g. "Folkmängd, Jämtlands län".
    unit
        Unit shown as the y axis title and in the hover text, e.g. "personer".
    """
    fig = go.Figure()
    names = list(dict.fromkeys(frame[trace])) if trace in frame.columns else [title]
    value_format = _value_format(decimals)
    full = period_range([str(p) for p in frame[x]])
    missing: list[tuple[str, str, str]] = []
    any_preliminary = False
    for i, name in enumerate(names):
        part = frame[frame[trace] == name] if trace in frame.columns else frame
        # periods the source does not have stay gaps, so the line never bridges them
        points = _points(part, full, x, y)
        label = escape_plotly(str(name))
        fig.add_trace(_line_trace(i, label, full, points, unit, value_format))
        any_preliminary = any_preliminary or any(p and p[2] for p in points)
        missing += _missing_points(label, full, points)
    if missing:
        fig.add_trace(_missing_trace(missing))
    _frame(
        fig,
        title,
        unit,
        decimals,
        height,
        showlegend=len(names) > 1,
        legend={"orientation": "h", "yanchor": "top", "y": -0.3, "x": 0},
        hovermode="closest",
    )
    _period_axis(fig, full, x_title, any_preliminary=any_preliminary, missing=bool(missing))
    return fig


def _value_format(decimals: int) -> str:
    """Plotly's d3 format of values: ",d" for whole numbers, ",.1f" for one decimal."""
    return ",d" if decimals == 0 else f",.{decimals}f"


def tick_formats(decimals: int) -> list[dict[str, Any]]:
    """Tick labels with no more decimals than their step needs, at most the values' own:
    steps of 1, 2, 5, 10, … read "0, 20, …, 100", steps of 0,5 "0,5, 1,0", while the hover and
    the table keep every decimal. Plotly picks the format whose step range holds the axis's
    step, the first that fits; its automatic steps are 1, 2 or 5 times a power of ten."""
    stops: list[dict[str, Any]] = []
    for digits in range(decimals):
        top = None if digits == 0 else 10.0 ** (1 - digits)
        stops.append({"dtickrange": [10.0**-digits, top], "value": _value_format(digits)})
    return stops


def _line_trace(
    i: int,
    name: str,
    periods: list[str],
    points: list[Point | None],
    unit: str,
    value_format: str,
) -> go.Scatter:
    """Trace i of a line chart (`name` escaped): its style, preliminary markers, Swedish hover."""
    preliminary = [bool(p and p[2]) for p in points]
    statuses = [p[1] if p else "" for p in points]
    colour, dash, symbol = _style(i)
    notes = [
        f" ({PRELIMINARY})" if p else (f" ({s})" if s else "")
        for p, s in zip(preliminary, statuses, strict=True)
    ]
    return go.Scatter(
        x=[_label(p) for p in periods],
        y=[p[0] if p else None for p in points],
        name=name,
        mode="lines+markers",
        line={"color": colour, "dash": dash},
        marker={
            "color": colour,
            "symbol": (
                [f"{symbol}-open" if p else symbol for p in preliminary]
                if any(preliminary)
                else symbol
            ),
            "size": 8,
        },
        customdata=notes,
        hovertemplate=(
            f"<b>{name.replace('%', '&#37;')}</b><br>Period: %{{x}}<br>"
            f"Värde: %{{y:{value_format}}} {_in_template(unit)}%{{customdata}}<extra></extra>"
        ),
    )


def _missing_points(
    name: str, periods: list[str], points: list[Point | None]
) -> list[tuple[str, str, str]]:
    """(period, trace, status with meaning) for each row that has no value; `name` escaped."""
    return [
        (_label(period), name, escape_plotly(status_text(p[1] or MISSING)))
        for period, p in zip(periods, points, strict=True)
        if p and p[0] is None
    ]


def _period_axis(
    fig: go.Figure, periods: list[str], x_title: str, *, any_preliminary: bool, missing: bool
) -> None:
    """The category x axis, its thinned ticks, the symbol key and the missing-value overlay."""
    key = _symbol_key(any_preliminary, missing)
    if key:
        font = {"size": 12, "color": MISSING_COLOUR}
        fig.add_annotation(text=escape_plotly(key), font=font, **_KEY_PLACE)
    title = {"text": escape_plotly(x_title)}
    fig.update_xaxes(type="category", categoryorder="category ascending", title=title)
    if len(periods) > MAX_TICKS:
        # level labels at round steps (every 6th month from January, every 5th year) instead
        # of dozens of rotated and clipped ones
        fig.update_xaxes(tickmode="array", tickvals=_tick_periods(periods), tickangle=0)
    if missing:
        # 0–1 on a hidden overlay axis: the ticks sit on the x axis whatever the data range
        fig.update_layout(
            yaxis2={"overlaying": "y", "range": [0, 1], "visible": False, "fixedrange": True}
        )


def _tick_periods(codes: list[str]) -> list[str]:
    monthly = all(is_month(p) for p in codes)
    yearly = all(is_year(p) for p in codes)
    steps = (1, 2, 3, 6, 12, 24, 60, 120) if monthly else (1, 2, 5, 10, 20, 50, 100)
    step = next((k for k in steps if len(codes) / k <= MAX_TICKS), math.ceil(len(codes) / 12))
    if monthly:
        return [_label(p) for p in codes if index_of(p) % step == 0]
    if yearly:
        return [_label(p) for p in codes if int(p) % step == 0]
    return [_label(p) for p in codes[::step]]


def bar_figure(
    frame: pd.DataFrame,
    title: str,
    unit: str,
    *,
    y: str = "value",
    trace: str = "series",
    decimals: int = 0,
    height: int = 380,
) -> go.Figure:
    """Bars for a single period, one per distinct `trace` value, each value printed on its bar.

    A missing value gets no bar but its status symbol (e.g. "..") at the baseline.
    """
    first = frame.drop_duplicates(trace)
    values = _column(first, y, None)
    points = _points(first, list(first[trace]), trace, y)
    texts = [
        value_cell(*p, decimals, bare_symbols=True) if p else value_cell(None, "", False, decimals)
        for p in points
    ]
    hover = [t if v is not None else status_text(t) for v, t in zip(values, texts, strict=True)]
    fig = go.Figure(
        go.Bar(
            x=[escape_plotly(str(n)) for n in first[trace]],
            y=[0.0 if v is None else v for v in values],
            text=[escape_plotly(t) for t in texts],
            textposition="outside",
            cliponaxis=False,
            marker={"color": COLOURS[0]},
            customdata=[escape_plotly(h) for h in hover],
            hovertemplate=(
                f"<b>%{{x}}</b><br>Värde: %{{customdata}} {_in_template(unit)}<extra></extra>"
            ),
        )
    )
    # one or two bars stay bar-shaped instead of filling the whole width
    bargap = min(0.8, max(0.2, 1 - 0.12 * len(first)))
    _frame(fig, title, unit, decimals, height, showlegend=False, bargap=bargap)
    fig.update_xaxes(type="category")
    fig.update_yaxes(rangemode="tozero")
    return fig


def _frame(
    fig: go.Figure, title: str, unit: str, decimals: int, height: int, **layout: Any
) -> None:
    """Title, Swedish separators, size and the value axis shared by every figure (raw text)."""
    value_format = _value_format(decimals)
    fig.update_layout(
        title={"text": escape_plotly(title)},
        separators=SEPARATORS,
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        **layout,
    )
    fig.update_yaxes(
        title={"text": escape_plotly(unit)},
        tickformat=value_format,
        tickformatstops=tick_formats(decimals),
        hoverformat=value_format,
        separatethousands=True,
    )


def _missing_trace(missing: list[tuple[str, str, str]]) -> go.Scatter:
    """Grey ticks at the x axis, one per missing value, on a hidden axis of their own."""
    return go.Scatter(
        x=[m[0] for m in missing],
        y=[0.0] * len(missing),
        yaxis="y2",
        mode="markers",
        name="Uppgift saknas",
        showlegend=False,
        marker={"symbol": "line-ns-open", "size": 14, "color": MISSING_COLOUR},
        customdata=[[m[1], m[2]] for m in missing],
        hovertemplate=(
            "<b>%{customdata[0]}</b><br>Period: %{x}<br>Värde: %{customdata[1]}<extra></extra>"
        ),
    )


def _symbol_key(preliminary: bool, missing: bool) -> str:
    parts = []
    if preliminary:
        parts.append("Ofylld markör = preliminärt värde")
    if missing:
        parts.append(f"Grått streck vid axeln = uppgift saknas ({MISSING})")
    return " · ".join(parts)


def _points(part: pd.DataFrame, periods: list[str], x: str, y: str) -> list[Point | None]:
    """Value, status and preliminary flag per period; None where the frame has no row."""
    rows = zip(
        _column(part, y, None),
        _column(part, "status", ""),
        _column(part, "preliminary", False),
        strict=True,
    )
    found = {str(p): (v, str(s), bool(f)) for p, (v, s, f) in zip(part[x], rows, strict=True)}
    return [found.get(p) for p in periods]


def figure_title(chart: Chart) -> str:
    """The figure's title as plain text: a bar chart adds its period to the chart title."""
    frame = chart.frame
    if not is_bar(chart) or frame.empty:
        return chart.title
    return f"{chart.title}, {format_period(str(max(frame['period'])))}"


def figure(chart: Chart) -> go.Figure:
    """The Plotly figure of a chart (line over periods, or bars for the latest period)."""
    decimals = chart_decimals(chart)
    frame = chart.frame
    if frame.empty:
        return no_data_figure(figure_title(chart))
    periods = sorted(frame["period"].unique())
    if is_bar(chart):
        latest = frame[frame["period"] == periods[-1]] if periods else frame
        return bar_figure(latest, figure_title(chart), chart.unit, decimals=decimals)
    x_title = period_title(periods)
    fig = line_figure(frame, chart.title, chart.unit, decimals=decimals, x_title=x_title)
    add_marks(fig, period_range([str(p) for p in periods]), chart_marks(chart))
    return fig


def no_data_figure(title: str, height: int = 380) -> go.Figure:
    """An empty chart: its title and "Data saknas", with no empty axes to misread."""
    fig = go.Figure()
    fig.update_layout(
        title={"text": escape_plotly(title), "x": 0, "xanchor": "left"},
        xaxis={"visible": False},
        yaxis={"visible": False},
        height=height,
        plot_bgcolor="white",
        paper_bgcolor="white",
        annotations=[
            {
                "text": NO_VALUE,
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
                "showarrow": False,
                "font": {"size": 18},
            }
        ],
    )
    return fig
