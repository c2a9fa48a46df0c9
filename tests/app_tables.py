"""Reading a cell of the app's chart table, whatever its layout (wide, long, one period)."""

from __future__ import annotations

import pandas as pd


def table_cell(table: pd.DataFrame, period: str, series: str) -> str:
    """The cell for a series and period ("2021-01", "Jämtlands län"); period unused in a
    one-period table, whose rows are series."""
    first = table.columns[0]
    if series in table.columns:
        return str(table.set_index(first).loc[period, series])
    if first == "Serie":
        return str(table[table["Serie"] == series].iloc[0, 1])
    rows = table[(table[first] == period) & (table["Serie"] == series)]
    return str(rows.iloc[0, 2])
