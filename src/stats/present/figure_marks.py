"""Notes and earlier meetings drawn on a line figure: thin vertical lines with small labels.

Part of drawing (`stats.present.figures` calls it); where each mark sits is decided in
`stats.present.marks`. Label texts are plain (a note is typed by the analyst) and go through
`stats.text.escape_plotly` exactly once.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

from stats.present.marks import Mark, meeting_text
from stats.text import escape_plotly

# notes and earlier meetings are thin grey vertical lines, dashed (a note) or dotted (a meeting),
# so they never read as data; the line grey has 6,2:1 contrast on white, the label grey 10:1
MARK_COLOUR = "#5f6368"
MARK_TEXT = "#3c4043"
MARK_SIZE = 11
# labels are placed as if the plot were this wide (px); rows of labels step down by MARK_ROW
_PLOT_PX = 560
_MARK_ROWS = 3
_MARK_ROW = 0.075
_CONNECTOR = 14
# a label: the period (an x category) it belongs to, its plain text, the period's index
_Label = tuple[str, str, int]


def add_marks(fig: go.Figure, periods: list[str], marks: list[Mark]) -> None:
    """Draw notes and earlier meetings on a line figure over `periods` (its x categories).

    Each period with marks gets one thin vertical line; each note its own small label at the
    top of the plot, and meetings close to each other one label together ("3 möten
    2024-06-17–2024-09-23"); labels that would overlap step down in rows.
    """
    index = {p: i for i, p in enumerate(periods)}
    marks = [m for m in marks if m.period in index]
    for period in dict.fromkeys(m.period for m in marks):
        here = [m for m in marks if m.period == period]
        dash = "dot" if all(m.meeting for m in here) else "dash"
        fig.add_shape(
            type="line", xref="x", yref="paper", x0=index[period], x1=index[period],
            y0=0, y1=1, layer="above", line={"color": MARK_COLOUR, "width": 1.5, "dash": dash},
        )  # fmt: skip
    labels = _note_labels(marks, index) + _meeting_labels(marks, index)
    placed = _label_rows(labels, len(periods))
    if placed:
        _make_room(fig, 1 + max(row for _, row, _ in placed))
    for (period, text, _), row, right in placed:
        # a label left of its line (near the plot's right edge) is tied to it by a short
        # connector, so it never reads as the label of the line it starts at
        place = {"ax": -_CONNECTOR, "ay": 0, "arrowhead": 0, "arrowwidth": 1} if right else {}
        fig.add_annotation(
            x=index[period], xref="x", y=1 - row * _MARK_ROW, yref="paper",
            yanchor="middle" if right else "top", xanchor="right" if right else "left",
            xshift=0 if right else 3, yshift=-8 if right else 0, showarrow=right,
            arrowcolor=MARK_COLOUR, text=escape_plotly(text),
            font={"size": MARK_SIZE, "color": MARK_TEXT}, bgcolor="rgba(255, 255, 255, 0.85)",
            **place,
        )  # fmt: skip


def _note_labels(marks: list[Mark], index: dict[str, int]) -> list[_Label]:
    """One label per period with notes: their texts (plain), joined by "; "."""
    notes: dict[str, list[str]] = {}
    for mark in marks:
        if not mark.meeting:
            notes.setdefault(mark.period, []).append(mark.text)
    return [(p, "; ".join(texts), index[p]) for p, texts in notes.items()]


def _meeting_labels(marks: list[Mark], index: dict[str, int]) -> list[_Label]:
    """Meetings each closer than a label's width to the next share one label at the first."""
    step = _PLOT_PX / max(1, len(index) - 1)
    room = _text_px(meeting_text("2024-06-17")) + 8
    groups: list[list[Mark]] = []
    for mark in (m for m in marks if m.meeting):
        if groups and (index[mark.period] - index[groups[-1][-1].period]) * step < room:
            groups[-1].append(mark)
        else:
            groups.append([mark])
    out: list[_Label] = []
    for group in groups:
        first, last = group[0], group[-1]
        if len(group) == 1:
            text = first.text
        elif len(group) == 2:
            text = f"Möten {first.at}, {last.at}"
        else:
            text = f"{len(group)} möten {first.at}–{last.at}"
        out.append((first.period, text, index[first.period]))
    return out


def _text_px(text: str) -> float:
    return len(text) * MARK_SIZE * 0.55


def _label_rows(labels: list[_Label], n: int) -> list[tuple[_Label, int, bool]]:
    """Each label's row (0 at the top) and side: left of its line near the right edge."""
    step = _PLOT_PX / max(1, n - 1)
    ends = [-1.0] * _MARK_ROWS
    out = []
    for label in sorted(labels, key=lambda lab: lab[2]):
        x, width = label[2] * step, _text_px(label[1]) + 8
        width += _CONNECTOR if x + width > _PLOT_PX else 0
        right = x + width > _PLOT_PX
        start = x - width if right else x
        row = next((r for r, end in enumerate(ends) if end < start), ends.index(min(ends)))
        ends[row] = start + width
        out.append((label, row, right))
    return out


def _make_room(fig: go.Figure, rows: int) -> None:
    """Fix the value axis so the data stay below `rows` rows of labels at the top of the plot."""
    values = [
        float(v)
        for trace in fig.data
        if getattr(trace, "yaxis", None) in (None, "y")
        for v in (trace.y or ())
        if v is not None and math.isfinite(float(v))
    ]
    if not values:
        return
    low, high = min(values), max(values)
    span = (high - low) or abs(high) or 1.0
    bottom = low - 0.05 * span
    # the data's top sits under the labels' rows, with a little air between
    share = 1 - rows * _MARK_ROW - 0.04
    fig.update_yaxes(range=[bottom, bottom + (high - bottom) / share])
