"""Swedish number, percent, period and date formatting (the only formatter: stats.fmt)."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from stats.errors import StatsError
from stats.fmt import (
    format_date,
    format_number,
    format_percent,
    format_period,
    keep_dates_whole,
    period_in_words,
)

NBSP = "\u00a0"
MINUS = "\u2212"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        pytest.param(132785, 0, f"132{NBSP}785", id="jamtland-2026m04"),
        pytest.param(10605724.0, 0, f"10{NBSP}605{NBSP}724", id="millions"),
        pytest.param(1234.5, 1, f"1{NBSP}234,5", id="decimal-comma"),
        pytest.param(999, 0, "999", id="no-grouping-below-1000"),
        pytest.param(-928, 0, f"{MINUS}928", id="true-minus"),
        pytest.param(-1234.56, 2, f"{MINUS}1{NBSP}234,56", id="negative-grouped"),
        pytest.param(-0.04, 0, "0", id="no-negative-zero"),
        pytest.param(0.5, 1, "0,5", id="below-one"),
        pytest.param(Decimal("1234.50"), 1, f"1{NBSP}234,5", id="decimal-type"),
        pytest.param(None, 0, "..", id="none"),
        pytest.param(math.nan, 0, "..", id="nan"),
        pytest.param(math.inf, 0, "..", id="inf"),
    ],
)
def test_format_number(value: float | Decimal | None, decimals: int, expected: str) -> None:
    assert format_number(value, decimals) == expected


def test_format_number_signed() -> None:
    assert format_number(1089, signed=True) == f"+1{NBSP}089"
    assert format_number(-55, signed=True) == f"{MINUS}55"
    assert format_number(0, signed=True) == "0"


def test_format_number_never_uses_ascii_separators() -> None:
    text = format_number(-1234567.891, 2)
    assert "," in text and "." not in text and "-" not in text
    assert text == f"{MINUS}1{NBSP}234{NBSP}567,89"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        pytest.param(3.2, 1, f"3,2{NBSP}%", id="one-decimal"),
        pytest.param(75, 0, f"75{NBSP}%", id="whole"),
        pytest.param(-0.04, 2, f"{MINUS}0,04{NBSP}%", id="negative"),
        pytest.param(None, 1, "..", id="missing"),
    ],
)
def test_format_percent(value: float | None, decimals: int, expected: str) -> None:
    assert format_percent(value, decimals) == expected


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        pytest.param("2026M04", "2026-04", id="month"),
        pytest.param("2025M12", "2025-12", id="december"),
        pytest.param("2024", "2024", id="year-not-grouped"),
        pytest.param("2024K1", "2024K1", id="quarter-unchanged"),
    ],
)
def test_format_period(period: str, expected: str) -> None:
    assert format_period(period) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(datetime(2026, 6, 15, tzinfo=UTC), "2026-06-15", id="aware-utc"),
        pytest.param(datetime(2026, 6, 15, 9, 30), "2026-06-15", id="naive"),
        pytest.param(date(2026, 6, 15), "2026-06-15", id="date"),
        pytest.param("2026-06-08T06:00:00Z", "2026-06-08", id="iso-string-z"),
        pytest.param("2026-06-15", "2026-06-15", id="iso-date-string"),
        # 23:30 UTC on 14 June is already 15 June in Sweden (CEST, UTC+2)
        pytest.param(datetime(2026, 6, 14, 23, 30, tzinfo=UTC), "2026-06-15", id="swedish-day"),
        pytest.param(
            datetime(2026, 1, 2, 0, 30, tzinfo=timezone(timedelta(hours=5))),
            "2026-01-01",
            id="other-offset",
        ),
    ],
)
def test_format_date(value: datetime | date | str, expected: str) -> None:
    assert format_date(value) == expected


def test_format_date_rejects_non_iso() -> None:
    with pytest.raises(StatsError, match="15/6/2026"):
        format_date("15/6/2026")


def test_keep_dates_whole_only_touches_dates() -> None:
    text = keep_dates_whole("hämtad 2026-06-15, månad 2026-04, tabell TAB6471, 0-9 år")
    assert text == "hämtad 2026\u201106\u201115, månad 2026\u201104, tabell TAB6471, 0-9 år"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        pytest.param(4.5, 0, "5", id="half-up-not-to-even"),
        pytest.param(2.5, 0, "3", id="half-up-even-neighbour"),
        pytest.param(0.0235, 3, "0,024", id="shortest-repr-not-binary"),
        pytest.param(-2.5, 0, f"{MINUS}3", id="half-away-from-zero"),
        pytest.param(1.005, 2, "1,01", id="binary-1-00499"),
        pytest.param(-0.0005, 3, f"{MINUS}0,001", id="small-negative"),
    ],
)
def test_format_number_rounds_half_away_from_zero(
    value: float, decimals: int, expected: str
) -> None:
    assert format_number(value, decimals) == expected


def test_format_percent_rounds_half_up() -> None:
    assert format_percent(4.25, 1) == f"4,3{NBSP}%"


@pytest.mark.parametrize(
    ("period", "said"),
    [("2024M01", "januari 2024"), ("2023M12", "december 2023"), ("2021M05", "maj 2021"),
     ("2040", "2040")],
)  # fmt: skip
def test_periods_in_running_text_are_said_as_words(period: str, said: str) -> None:
    assert period_in_words(period) == said
