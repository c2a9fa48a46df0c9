"""A month's count against the month before, the same month a year earlier and 12 months."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from stats.periods import shift_month


@dataclass(frozen=True)
class MonthComparison:
    """The periods a month is compared with, and the change in its rolling 12-month sum.

    Windows are (first month, last month); changes are None when either sum is missing, and
    the per cent change also when the earlier sum is not positive.
    """

    period: str
    previous: str
    year_ago: str
    window: tuple[str, str]
    window_ago: tuple[str, str]
    rolling_change: float | None
    rolling_pct: float | None


def _missing(value: Any) -> bool:
    return value is None or bool(pd.isna(value))


def compare_month(period: str, rolling: Any, rolling_ago: Any) -> MonthComparison:
    """The comparisons of one month, e.g. "2024M01" with rolling sums 120 and 100.

    Examples
    --------
    >>> c = compare_month("2024M01", 120.0, 100.0)
    >>> c.previous, c.window, c.window_ago, c.rolling_change, c.rolling_pct
    ('2023M12', ('2023M02', '2024M01'), ('2022M02', '2023M01'), 20.0, 20.0)
    """
    both = not (_missing(rolling) or _missing(rolling_ago))
    change = float(rolling - rolling_ago) if both else None
    pct = 100 * float(rolling - rolling_ago) / rolling_ago if both and rolling_ago > 0 else None
    return MonthComparison(
        period=period,
        previous=shift_month(period, -1),
        year_ago=shift_month(period, -12),
        window=(shift_month(period, -11), period),
        window_ago=(shift_month(period, -23), shift_month(period, -12)),
        rolling_change=change,
        rolling_pct=pct,
    )
