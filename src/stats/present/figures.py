"""Plotly figures and their value tables, in Swedish number and date format.

The source lines under them are in `stats.present.citation`.
"""

from __future__ import annotations

import math
import re
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from stats.fmt import MISSING, format_number, format_period

# Plotly's separators string is "<decimal><thousands>": decimal comma, space between thousands
SEPARATORS = ", "

# colour is never the only cue: each trace also gets its own dash and marker (webbriktlinjer)
COLOURS = ("#1f5f8b", "#c8553d", "#2a7f62", "#6c4f8f", "#8a6d1d")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x")

# what the symbols in a status column mean (Trafa, Kolada and Arbetsförmedlingen conventions)
STATUS_TEXT = {
    MISSING: "uppgift saknas eller för osäker",
    "<5": "färre än 5",
    "<5-summa": "summan innehåller antal under 5",
    "–": "inget finns",
    "-": "inget finns",
    ".": "ej tillämpligt",
}
PRELIMINARY = "preliminärt"
# more periods than this get a tick label only every few periods
MAX_TICKS = 12
NO_VALUE = "Data saknas"
# SKR's grey for "vet ej" marks values that are missing
MISSING_COLOUR = "#4f5859"
# the symbol key sits above the plot's top right corner, outside the legend
_KEY_PLACE = {"xref": "paper", "yref": "paper", "x": 1, "y": 1.02, "showarrow": False}
_KEY_PLACE |= {"xanchor": "right", "yanchor": "bottom"}

_MONTH_CODE = re.compile(r"^\d{4}M\d{2}$")


def _style(i: int) -> tuple[str, str, str]:
    """Colour, dash and marker of trace i; past five traces the dash shifts so no two match."""
    return (
        COLOURS[i % len(COLOURS)],
        DASHES[(i + i // len(COLOURS)) % len(DASHES)],
        SYMBOLS[(i + 2 * (i // len(COLOURS))) % len(SYMBOLS)],
    )


def _column(frame: pd.DataFrame, name: str, default: Any) -> list[Any]:
    if name not in frame.columns:
        return [default] * len(frame)
    return [default if v is None or v is pd.NA or v != v else v for v in frame[name]]


def status_text(status: str) -> str:
    """A status symbol with its meaning, e.g. ".." → ".. (uppgift saknas eller för osäker)"."""
    meaning = STATUS_TEXT.get(status)
    return f"{status} ({meaning})" if meaning else status


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
    value_format = ",d" if decimals == 0 else f",.{decimals}f"
    missing: list[tuple[str, str, str]] = []
    any_preliminary = False
    full = all_periods([str(p) for p in frame[x]])
    periods = [format_period(p) for p in full]
    for i, name in enumerate(names):
        part = frame[frame[trace] == name] if trace in frame.columns else frame
        # periods the source does not have stay gaps, so the line never bridges them
        points = _points(part, full, x, y)
        values = [p[0] if p else None for p in points]
        statuses = [p[1] if p else "" for p in points]
        preliminary = [bool(p and p[2]) for p in points]
        any_preliminary = any_preliminary or any(preliminary)
        missing += [
            (period, str(name), status_text(p[1] or MISSING))
            for period, p in zip(periods, points, strict=True)
            if p and p[0] is None
        ]
        colour, dash, symbol = _style(i)
        notes = [
            f" ({PRELIMINARY})" if p else (f" ({s})" if s else "")
            for p, s in zip(preliminary, statuses, strict=True)
        ]
        fig.add_trace(
            go.Scatter(
                x=periods,
                y=values,
                name=str(name),
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
                    f"<b>{name}</b><br>Period: %{{x}}<br>"
                    f"Värde: %{{y:{value_format}}} {unit}%{{customdata}}<extra></extra>"
                ),
            )
        )
    if missing:
        fig.add_trace(_missing_trace(missing))
    _frame(
        fig,
        title,
        unit,
        value_format,
        height,
        showlegend=len(names) > 1,
        legend={"orientation": "h", "yanchor": "top", "y": -0.3, "x": 0},
        hovermode="closest",
    )
    key = _symbol_key(any_preliminary, bool(missing))
    if key:
        fig.add_annotation(text=key, font={"size": 12, "color": MISSING_COLOUR}, **_KEY_PLACE)
    fig.update_xaxes(type="category", categoryorder="category ascending", title={"text": x_title})
    if len(periods) > MAX_TICKS:
        # level labels at round steps (every 6th month from January, every 5th year) instead
        # of dozens of rotated and clipped ones
        fig.update_xaxes(tickmode="array", tickvals=_tick_periods(full), tickangle=0)
    if missing:
        # 0–1 on a hidden overlay axis: the ticks sit on the x axis whatever the data range
        fig.update_layout(
            yaxis2={"overlaying": "y", "range": [0, 1], "visible": False, "fixedrange": True}
        )
    return fig


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
    value_format = ",d" if decimals == 0 else f",.{decimals}f"
    first = frame.drop_duplicates(trace)
    values = _column(first, y, None)
    texts = [_cell(p, decimals) for p in _points(first, list(first[trace]), trace, y)]
    hover = [t if v is not None else status_text(t) for v, t in zip(values, texts, strict=True)]
    fig = go.Figure(
        go.Bar(
            x=[str(n) for n in first[trace]],
            y=[0.0 if v is None else v for v in values],
            text=texts,
            textposition="outside",
            cliponaxis=False,
            marker={"color": COLOURS[0]},
            customdata=hover,
            hovertemplate=f"<b>%{{x}}</b><br>Värde: %{{customdata}} {unit}<extra></extra>",
        )
    )
    # one or two bars stay bar-shaped instead of filling the whole width
    bargap = min(0.8, max(0.2, 1 - 0.12 * len(first)))
    _frame(fig, title, unit, value_format, height, showlegend=False, bargap=bargap)
    fig.update_xaxes(type="category")
    fig.update_yaxes(rangemode="tozero")
    return fig


def _frame(
    fig: go.Figure, title: str, unit: str, value_format: str, height: int, **layout: Any
) -> None:
    """Title, Swedish separators, size and the value axis shared by every figure."""
    fig.update_layout(
        title={"text": title},
        separators=SEPARATORS,
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        **layout,
    )
    fig.update_yaxes(
        title={"text": unit},
        tickformat=value_format,
        hoverformat=value_format,
        separatethousands=True,
    )


def all_periods(periods: list[str]) -> list[str]:
    """Every month or year from the first to the last given; other periods sorted as given."""
    codes = sorted(set(periods))
    if codes and all(_MONTH_CODE.match(p) for p in codes):
        start, end = (int(p[:4]) * 12 + int(p[5:]) - 1 for p in (codes[0], codes[-1]))
        return [f"{m // 12}M{m % 12 + 1:02d}" for m in range(start, end + 1)]
    if codes and all(p.isdigit() and len(p) == 4 for p in codes):
        return [str(year) for year in range(int(codes[0]), int(codes[-1]) + 1)]
    return codes


def _tick_periods(codes: list[str]) -> list[str]:
    monthly = all(_MONTH_CODE.match(p) for p in codes)
    yearly = all(p.isdigit() and len(p) == 4 for p in codes)
    steps = (1, 2, 3, 6, 12, 24, 60, 120) if monthly else (1, 2, 5, 10, 20, 50, 100)
    step = next((k for k in steps if len(codes) / k <= MAX_TICKS), math.ceil(len(codes) / 12))
    if monthly:
        return [format_period(p) for p in codes if (int(p[:4]) * 12 + int(p[5:]) - 1) % step == 0]
    if yearly:
        return [p for p in codes if int(p) % step == 0]
    return codes[::step]


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


def needed_decimals(values: pd.Series, declared: int = 0, limit: int = 2) -> int:
    """The declared decimals, or more (up to `limit`) when the values have them."""
    finite = [float(v) for v in values if v is not None and not pd.isna(v)]
    for digits in range(declared, limit + 1):
        if all(math.isclose(v, round(v, digits), abs_tol=1e-9) for v in finite):
            return digits
    return limit


def value_table(
    frame: pd.DataFrame,
    *,
    decimals: int = 0,
    x: str = "period",
    y: str = "value",
    trace: str = "series",
    x_title: str = "Månad",
) -> pd.DataFrame:
    """A chart's numbers as Swedish text, one row per period and one column per trace.

    A missing value shows its status symbol (e.g. ".."), or "Data saknas" when the source
    gave none; a preliminary value gets "(preliminärt)" after it.
    """
    periods = sorted({str(p) for p in frame[x]})
    table = pd.DataFrame({x_title: [format_period(p) for p in periods]})
    for name in dict.fromkeys(frame[trace]):
        points = _points(frame[frame[trace] == name], periods, x, y)
        table[str(name)] = [_cell(p, decimals) for p in points]
    return table


def _points(
    part: pd.DataFrame, periods: list[str], x: str, y: str
) -> list[tuple[Any, str, bool] | None]:
    """Value, status and preliminary flag per period; None where the frame has no row."""
    rows = zip(
        _column(part, y, None),
        _column(part, "status", ""),
        _column(part, "preliminary", False),
        strict=True,
    )
    found = {str(p): (v, str(s), bool(f)) for p, (v, s, f) in zip(part[x], rows, strict=True)}
    return [found.get(p) for p in periods]


def _cell(point: tuple[Any, str, bool] | None, decimals: int) -> str:
    if point is None:
        return NO_VALUE
    value, status, preliminary = point
    if value is None:
        return status or NO_VALUE
    return format_number(value, decimals) + (f" ({PRELIMINARY})" if preliminary else "")


def alt_text(
    frame: pd.DataFrame, title: str, unit: str, *, decimals: int = 0, trace: str = "series"
) -> str:
    """One Swedish sentence for screen readers describing a line (or one-period bar) chart."""
    ordered = frame[frame["value"].notna()].sort_values("period")
    if ordered.empty:
        return f"Linjediagram: {title}. Inga värden."
    if trace in ordered.columns and ordered["period"].nunique() == 1:
        values = "; ".join(
            f"{name} {format_number(v, decimals)}"
            for name, v in zip(ordered[trace], ordered["value"], strict=True)
        )
        return f"Stapeldiagram: {title}, {unit}: {values}."
    first, last = ordered.iloc[0], ordered.iloc[-1]
    span = f"{format_period(str(first['period']))}–{format_period(str(last['period']))}"
    if trace not in ordered.columns or ordered[trace].nunique() < 2:
        return (
            f"Linjediagram: {title}, {span}: från {format_number(first['value'], decimals)} "
            f"till {format_number(last['value'], decimals)} {unit}."
        )
    parts = []
    for name in dict.fromkeys(ordered[trace]):
        rows = ordered[ordered[trace] == name]
        start, end = rows.iloc[0], rows.iloc[-1]
        parts.append(
            f"{name} från {format_number(start['value'], decimals)} "
            f"({format_period(str(start['period']))}) till "
            f"{format_number(end['value'], decimals)} ({format_period(str(end['period']))})"
        )
    return f"Linjediagram: {title}, {span}, {unit}: " + "; ".join(parts) + "."
