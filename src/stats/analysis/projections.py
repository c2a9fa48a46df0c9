"""Projection vintages side by side: legend names, differences between vintages, accuracy.

Rows are the `prognos_mot_utfall` indicator for one region: `vintage`, `source_kind`,
`period` (year), `value` (projected population), `actual`, `difference` and `difference_pct`.
"""

from __future__ import annotations

import pandas as pd

OUTCOME = "Utfall, folkmängd 31 december"


def vintage_label(vintage: str, source_kind: str, both_kinds: set[str]) -> str:
    """ "Framskrivning 2022", naming the source kind when a vintage has both a table and news."""
    text = f"Framskrivning {vintage}"
    return f"{text} ({source_kind})" if vintage in both_kinds else text


def label_vintages(rows: pd.DataFrame) -> pd.DataFrame:
    """Projection rows with a legend name per vintage, plus the outcome as a series of its own."""
    kinds = rows.groupby("vintage")["source_kind"].nunique()
    both = set(kinds[kinds > 1].index)
    named = rows.assign(
        series=[vintage_label(r["vintage"], r["source_kind"], both) for _, r in rows.iterrows()]
    )
    outcome = (
        rows.dropna(subset=["actual"])
        .drop_duplicates("period")
        .assign(series=OUTCOME, value=lambda f: f["actual"], vintage="utfall")
    )
    return pd.concat([named, outcome], ignore_index=True).sort_values(["series", "period"])


def vintage_differences(rows: pd.DataFrame, years: list[str]) -> pd.DataFrame:
    """Each vintage at the given years against the newest vintage with a value that year.

    Columns: `series`, `year`, `value`, `newest` (the series compared with), `is_newest`,
    `gap` (newest minus this vintage) and `gap_pct` (the gap in per cent of this vintage).
    """
    out = []
    for year in years:
        at = rows[(rows["period"] == year) & rows["value"].notna()].sort_values("vintage")
        if at.empty:
            continue
        newest = at.iloc[-1]
        for _, row in at.iterrows():
            gap = newest["value"] - row["value"]
            out.append(
                {
                    "series": row["series"],
                    "year": year,
                    "value": row["value"],
                    "newest": newest["series"],
                    "is_newest": row["series"] == newest["series"],
                    "gap": gap,
                    "gap_pct": 100 * gap / row["value"],
                }
            )
    columns = ["series", "year", "value", "newest", "is_newest", "gap", "gap_pct"]
    return pd.DataFrame(out, columns=columns)


def passed_years(rows: pd.DataFrame) -> pd.DataFrame:
    """The projections for years that have an outcome, by year and vintage."""
    return rows.dropna(subset=["actual"]).sort_values(["period", "vintage"])
