"""Projection vintages against each other and the outcome, checked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from stats.analysis.projections import (
    OUTCOME,
    label_vintages,
    passed_years,
    vintage_differences,
    vintage_label,
)


def projection_rows() -> pd.DataFrame:
    """Two vintages for one region; 2022's outcome is known (130 000)."""
    return pd.DataFrame(
        {
            "vintage": ["2021", "2021", "2023", "2023"],
            "source_kind": ["tabell", "tabell", "tabell", "tabell"],
            "period": ["2022", "2030", "2022", "2030"],
            "value": [129_000.0, 132_000.0, 130_500.0, 128_700.0],
            "actual": [130_000.0, None, 130_000.0, None],
            "difference": [-1_000.0, None, 500.0, None],
            "difference_pct": [-1_000 / 1_300, None, 500 / 1_300, None],
        }
    )


def test_vintage_label_names_the_source_kind_only_when_a_vintage_has_both() -> None:
    assert vintage_label("2022", "tabell", set()) == "Framskrivning 2022"
    assert vintage_label("2022", "nyhet", {"2022"}) == "Framskrivning 2022 (nyhet)"


def test_label_vintages_adds_the_outcome_once_per_year() -> None:
    named = label_vintages(projection_rows())
    outcome = named[named["series"] == OUTCOME]
    assert outcome[["period", "value"]].values.tolist() == [["2022", 130_000.0]]
    assert set(named["series"]) == {"Framskrivning 2021", "Framskrivning 2023", OUTCOME}


def test_differences_are_newest_minus_each_vintage() -> None:
    rows = label_vintages(projection_rows())
    rows = rows[rows["series"] != OUTCOME]
    table = vintage_differences(rows, ["2030"]).set_index("series")
    # 2030: the 2023 vintage projects 128 700, the 2021 vintage 132 000 → −3 300, −2,5 %
    older = table.loc["Framskrivning 2021"]
    assert older["newest"] == "Framskrivning 2023" and not older["is_newest"]
    assert older["gap"] == -3_300.0
    assert older["gap_pct"] == pytest.approx(-2.5)
    newest = table.loc["Framskrivning 2023"]
    assert newest["is_newest"] and newest["gap"] == 0.0


def test_differences_skip_years_without_values() -> None:
    assert vintage_differences(projection_rows().assign(series="x"), ["2050"]).empty


def test_passed_years_are_the_years_with_an_outcome_by_vintage() -> None:
    passed = passed_years(projection_rows())
    assert passed[["period", "vintage", "difference"]].values.tolist() == [
        ["2022", "2021", -1_000.0],
        ["2022", "2023", 500.0],
    ]
