"""Period arithmetic: month codes shift across year ends and ranges are filled."""

from __future__ import annotations

import pytest

from stats.periods import index_of, month_code, period_range, shift_month, shift_month_or_none


def test_shift_crosses_year_ends() -> None:
    assert shift_month("2021M03", -12) == "2020M03"
    assert shift_month("2021M01", -1) == "2020M12"
    assert shift_month("2020M12", 1) == "2021M01"
    assert shift_month("2024M02", -23) == "2022M03"


def test_index_round_trip_and_rejects() -> None:
    assert month_code(index_of("2024M02")) == "2024M02"
    with pytest.raises(ValueError):
        index_of("2024M13")
    assert shift_month_or_none("2024", -1) is None


def test_range_fills_months_and_years() -> None:
    assert period_range(["2025M12", "2026M02"]) == ["2025M12", "2026M01", "2026M02"]
    assert period_range(["2020", "2023"]) == ["2020", "2021", "2022", "2023"]
    assert period_range(["b", "a"]) == ["a", "b"]
