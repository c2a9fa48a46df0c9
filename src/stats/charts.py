"""Plotly figures and their source lines, in Swedish number and date format."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from stats.config import load_settings
from stats.fmt import format_date, format_number, format_period

# Plotly's separators string is "<decimal><thousands>": decimal comma, space between thousands
SEPARATORS = ", "

# colour is never the only cue: each trace also gets its own dash and marker (webbriktlinjer)
COLOURS = ("#1f5f8b", "#c8553d", "#2a7f62", "#6c4f8f", "#8a6d1d")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x")

# who processed the figures, per home län; SCB asks not to present processed data as its own
PROCESSORS = {"23": "Region Jämtland Härjedalen"}
DEFAULT_PROCESSOR = "näringslivsstatistik"

_CKM = re.compile(r"CKM|Cell Key Method", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9])")
_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")


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
) -> go.Figure:
    """Line chart with one trace per distinct `trace` value, in order of appearance.

    Parameters
    ----------
    frame
        Long data with columns `trace` (legend name), `x` (SCB period such as "2026M04")
        and `y`; a frame without a `trace` column becomes one trace named after `title`.
    title
        Figure title, e.g. "Folkmängd, Jämtlands län".
    unit
        Unit shown as the y axis title and in the hover text, e.g. "personer".
    """
    fig = go.Figure()
    names = list(dict.fromkeys(frame[trace])) if trace in frame.columns else [title]
    value_format = ",d" if decimals == 0 else f",.{decimals}f"
    for i, name in enumerate(names):
        part = frame[frame[trace] == name] if trace in frame.columns else frame
        part = part.sort_values(x)
        fig.add_trace(
            go.Scatter(
                x=[format_period(str(p)) for p in part[x]],
                y=part[y].tolist(),
                name=str(name),
                mode="lines+markers",
                line={"color": COLOURS[i % len(COLOURS)], "dash": DASHES[i % len(DASHES)]},
                marker={"symbol": SYMBOLS[i % len(SYMBOLS)], "size": 8},
                hovertemplate=(
                    f"<b>{name}</b><br>Period: %{{x}}<br>"
                    f"Värde: %{{y:{value_format}}} {unit}<extra></extra>"
                ),
            )
        )
    fig.update_layout(
        title={"text": title},
        separators=SEPARATORS,
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        showlegend=len(names) > 1,
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        hovermode="closest",
    )
    fig.update_xaxes(type="category", title={"text": "Månad"})
    fig.update_yaxes(
        title={"text": unit},
        tickformat=value_format,
        hoverformat=value_format,
        separatethousands=True,
    )
    return fig


def alt_text(frame: pd.DataFrame, title: str, unit: str) -> str:
    """One Swedish sentence describing a single-trace chart for screen readers."""
    ordered = frame.sort_values("period")
    if ordered.empty:
        return f"Linjediagram: {title}. Inga värden."
    first, last = ordered.iloc[0], ordered.iloc[-1]
    return (
        f"Linjediagram: {title}, {format_period(str(first['period']))}–"
        f"{format_period(str(last['period']))}: från {format_number(first['value'])} "
        f"till {format_number(last['value'])} {unit}."
    )


def source_caption(meta: Mapping[str, Any], home: str | None = None) -> str:
    """Source line, e.g. "Källa: SCB, <title> (TAB6471), hämtad 2026-06-15. Bearbetning: …".

    `home` is the home län code (default: the configured STATS_HOME_REGION).
    """
    labels: Mapping[str, str] = meta.get("table_labels", {})
    tables = meta.get("table_ids") or meta.get("tables") or list(labels)
    cited = "; ".join(f"{labels[t]} ({t})" if t in labels else str(t) for t in tables)
    home = load_settings().home_region if home is None else home
    processor = PROCESSORS.get(home, DEFAULT_PROCESSOR)
    return (
        f"Källa: {meta.get('source', 'SCB')}, {cited}, hämtad {format_date(meta['fetched_at'])}. "
        f"Bearbetning: {processor}."
    )


def ckm_note(meta: Mapping[str, Any], sentences: int = 3) -> str | None:
    """SCB's Cell Key Method note, shortened to its first sentences plus the one naming CKM."""
    note = next((n for n in meta.get("notes", []) if _CKM.search(str(n))), None)
    if note is None:
        return None
    text = " ".join(_MARKDOWN_LINK.sub(r"\1", str(note)).split())
    parts = _SENTENCE_END.split(text)
    kept = parts[:sentences]
    naming = next((p for p in parts if _CKM.search(p)), None)
    if naming is not None and naming not in kept:
        kept.append(naming)
    return "Not från SCB: " + " ".join(kept)
