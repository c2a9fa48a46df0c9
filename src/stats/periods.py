"""Period arithmetic on SCB period codes: months ("2024M02") and years ("2024").

The one home for month arithmetic. A month is counted as an index `year * 12 + month - 1`, so
that shifting and ranges are integer arithmetic. Presentation (`"2024-02"`) is `fmt`'s job.
"""

from __future__ import annotations

import re

MONTH_CODE = re.compile(r"^\d{4}M(0[1-9]|1[0-2])$")
YEAR_CODE = re.compile(r"^\d{4}$")


def is_month(period: str) -> bool:
    """True for an SCB month code such as "2024M02"."""
    return bool(MONTH_CODE.match(period))


def is_year(period: str) -> bool:
    """True for a four-digit year such as "2024"."""
    return bool(YEAR_CODE.match(period))


def month_index(year: int, month: int) -> int:
    """Months since year 0 for a calendar month (1–12)."""
    return year * 12 + month - 1


def index_of(period: str) -> int:
    """The month index of a month code; ValueError for anything else."""
    if not is_month(period):
        raise ValueError(f"not an SCB month code: {period!r}")
    return month_index(int(period[:4]), int(period[5:]))


def month_code(index: int) -> str:
    """The SCB month code of a month index, e.g. 24289 → "2024M02"."""
    return f"{index // 12}M{index % 12 + 1:02d}"


def shift_month(period: str, months: int) -> str:
    """The month `months` later (negative: earlier): ("2021M03", -12) → "2020M03"."""
    return month_code(index_of(period) + months)


def shift_month_or_none(period: str, months: int) -> str | None:
    """Like `shift_month`, but None for a period that is not a month."""
    return shift_month(period, months) if is_month(period) else None


def period_range(periods: list[str]) -> list[str]:
    """Every month or year from the first to the last given; other periods sorted as given."""
    codes = sorted(set(periods))
    if codes and all(is_month(p) for p in codes):
        return [month_code(m) for m in range(index_of(codes[0]), index_of(codes[-1]) + 1)]
    if codes and all(is_year(p) for p in codes):
        return [str(year) for year in range(int(codes[0]), int(codes[-1]) + 1)]
    return codes
