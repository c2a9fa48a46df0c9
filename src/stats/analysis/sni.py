"""SNI 2007 codes: normalize the spellings analysts use and check them against the structure.

SNI 2007 is NACE Rev. 2 with a Swedish fifth digit: division (2 digits), group (3), class (4),
detailed group (5), written "33", "33.1", "33.12", "33.120" (or without dots, "33120").
The open material here has no machine-readable list of every SNI class, so a code is checked
by its form and its division against the 88 NACE Rev. 2 divisions; a code in a valid division
but not in SCB's list passes (verify against SCB's SNI 2007 list when online).
"""

from __future__ import annotations

import re

# NACE Rev. 2 / SNI 2007 divisions (sections A–U); gaps such as 04, 34, 40 do not exist
DIVISIONS = frozenset(
    f"{d:02d}"
    for d in (
        *range(1, 4), *range(5, 10), *range(10, 34), 35, *range(36, 40), *range(41, 44),
        *range(45, 48), *range(49, 54), 55, 56, *range(58, 64), *range(64, 67), 68,
        *range(69, 76), *range(77, 83), 84, 85, *range(86, 89), *range(90, 94),
        *range(94, 97), 97, 98, 99,
    )
)  # fmt: skip

_DOTTED = re.compile(r"^(\d{2})(?:\.(\d{1,3}))?$")
_PLAIN = re.compile(r"^(\d{2})(\d{0,3})$")


def normalize_sni(code: str) -> str | None:
    """Dotted form ("33.120") of an SNI 2007 code, or None when it is not a valid code."""
    text = code.strip().replace(" ", "")
    m = _DOTTED.match(text) or _PLAIN.match(text)
    if not m or m[1] not in DIVISIONS:
        return None
    return f"{m[1]}.{m[2]}" if m[2] else m[1]


def covers(prefix: str, code: str) -> bool:
    """Whether a definition code ("33.1", "95") covers a detailed code ("33.120", "95.11")."""
    a, b = prefix.replace(".", ""), code.replace(".", "")
    return b.startswith(a)
