"""Tables of formatted text on the pages, and the text of one cell or range."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd
import streamlit as st

from stats.fmt import format_number, format_percent
from stats.present.describe import NO_VALUE


def show_table(table: pd.DataFrame, numeric: list[str] | None = None) -> None:
    """A table of formatted text; `numeric` columns (default: all but the first) align right."""
    right = st.column_config.TextColumn(alignment="right")
    columns = list(table.columns)[1:] if numeric is None else numeric
    st.dataframe(table, hide_index=True, column_config=dict.fromkeys(columns, right))


def show_static_table(table: pd.DataFrame, numeric: list[str]) -> None:
    """A short table printed whole (no scrolling, long labels wrap); `numeric` aligns right.

    Streamlit reads Markdown in static table cells: outside text in them must be escaped.
    """
    right = {"text-align": "right !important"}
    aligned = table.style.set_properties(subset=pd.Index(numeric), **right)
    st.table(aligned, hide_index=True)


def cell(value: Any, text: str) -> str:
    """`text` for a value, "Data saknas" when there is none (no empty table cells)."""
    return NO_VALUE if value is None or pd.isna(value) else text


def percent_range(values: Iterable[float], decimals: int = 1) -> str:
    """The span of shares in percent, e.g. "1,4–2,9 %" (one value: "2,9 %")."""
    finite = [v for v in values if v is not None and not pd.isna(v)]
    if not finite:
        return NO_VALUE
    low, high = format_number(min(finite), decimals), format_percent(max(finite), decimals)
    return high if format_percent(min(finite), decimals) == high else f"{low}–{high}"
