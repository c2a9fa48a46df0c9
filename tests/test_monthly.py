"""A month against the month before, a year earlier and 12 months, checked by hand."""

from __future__ import annotations

import math

import pytest

from stats.analysis.monthly import compare_month


def test_compare_month_periods_across_a_year_boundary() -> None:
    c = compare_month("2024M01", 120.0, 100.0)
    assert (c.previous, c.year_ago) == ("2023M12", "2023M01")
    assert c.window == ("2023M02", "2024M01")
    assert c.window_ago == ("2022M02", "2023M01")
    assert c.rolling_change == 20.0
    assert c.rolling_pct == pytest.approx(20.0)


@pytest.mark.parametrize(
    ("rolling", "ago", "change", "pct"),
    [(90.0, 0.0, 90.0, None), (None, 100.0, None, None), (80.0, math.nan, None, None)],
    ids=["no-base-for-percent", "missing-now", "missing-year-ago"],
)
def test_compare_month_without_a_rolling_base(
    rolling: float | None, ago: float, change: float | None, pct: float | None
) -> None:
    c = compare_month("2021M03", rolling, ago)
    assert (c.rolling_change, c.rolling_pct) == (change, pct)
