"""The only number and date formatter: Swedish conventions for the app, tables and exports.

Thousands are grouped with a no-break space (U+00A0), decimals use a comma, negatives a true
minus sign (U+2212) and missing values SCB's "..". Periods and dates are ISO 8601.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from stats.errors import StatsError

NBSP = "\u00a0"
MINUS = "\u2212"
NB_HYPHEN = "\u2011"
MISSING = ".."

# fetch times are stored in UTC; the date a Swedish reader expects is the local one
LOCAL_TZ = ZoneInfo("Europe/Stockholm")

_MONTH = re.compile(r"^(\d{4})M(0[1-9]|1[0-2])$")
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?\b")

Number = int | float | Decimal

# units counted in whole items: shown without decimals unless a chart says otherwise
WHOLE_UNITS = ("personer", "antal", "företag", "annonser", "platser")


def _is_missing(x: Number | None) -> bool:
    return x is None or (not isinstance(x, int) and not math.isfinite(x))


def format_number(x: Number | None, decimals: int = 0, *, signed: bool = False) -> str:
    """Format a number the Swedish way, e.g. 132785 → "132 785", -1234.5 → "−1 234,5".

    Parameters
    ----------
    x
        The value; None, NaN and infinities are shown as "..".
    decimals
        Digits after the decimal comma.
    signed
        Prefix positive values with "+" (for changes such as st.metric deltas).

    Examples
    --------
    >>> format_number(132785) == "132\u00a0785"
    True
    """
    if x is None or _is_missing(x):
        return MISSING
    rounded = round_half_up(x, decimals)
    digits = f"{abs(rounded):,.{decimals}f}"
    # a value that rounds to zero gets no sign ("0", never "−0")
    is_zero = rounded == 0
    body = digits.replace(",", NBSP).replace(".", ",")
    if is_zero:
        return body
    if x < 0:
        return MINUS + body
    return ("+" + body) if signed else body


def round_half_up(x: Number, decimals: int = 0) -> Decimal:
    """Round half away from zero as Swedish statistics do: 4.5 → 5, 0.0235 → 0.024, −2.5 → −3.

    A float is rounded from its shortest repr ("0.0235"), not its binary value (0.02349…);
    `str` gives that repr for Python and NumPy numbers alike.
    """
    exact = x if isinstance(x, Decimal) else Decimal(str(x))
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_percent(x: Number | None, decimals: int = 1, *, signed: bool = False) -> str:
    """Format a value already in percent, e.g. 3.2 → "3,2 %" (no-break space before %)."""
    if x is None or _is_missing(x):
        return MISSING
    return f"{format_number(x, decimals, signed=signed)}{NBSP}%"


def format_period(period: str) -> str:
    """SCB period code to display form: "2026M04" → "2026-04"; years and quarters unchanged."""
    match = _MONTH.match(period)
    if match:
        return f"{match.group(1)}-{match.group(2)}"
    return period


MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
          "september", "oktober", "november", "december")  # fmt: skip


def period_in_words(period: str) -> str:
    """A period for running text, as said aloud: "2024M01" → "januari 2024"; years unchanged.

    Tables and axes keep `format_period`'s "2024-01"; highlights and minutes read as speech.
    """
    match = _MONTH.match(period)
    if match:
        return f"{MONTHS[int(match.group(2)) - 1]} {match.group(1)}"
    return period


def format_date(value: datetime | date | str) -> str:
    """ISO date such as "2026-06-15" of a datetime, date or ISO string (aware: Swedish time)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise StatsError(
                f"cannot format {value!r} as a date: expected an ISO 8601 date or time"
            ) from None
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(LOCAL_TZ)
        return value.date().isoformat()
    return value.isoformat()


def keep_dates_whole(text: str) -> str:
    """Use non-breaking hyphens inside ISO dates so a browser never wraps "2026-06-|15"."""
    return _ISO_DATE.sub(lambda m: m.group(0).replace("-", NB_HYPHEN), text)
