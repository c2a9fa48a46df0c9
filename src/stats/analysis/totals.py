"""Which code of a dimension is the total: "TotSa", "tot", "Summa", "Samtliga", BAS's "1+2"."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

# total codes and labels as SCB, Tillväxtanalys and Kolada write them (TotSa, TotSA, tot, Summa,
# Samtliga, Alla …) and as BAS writes both sexes together ("1+2", "Totalt", "Samtliga", "Båda")
_TOTAL = re.compile(r"^(tot|summa|samtliga|alla|båda|1\+2)", re.IGNORECASE)


def is_total(code: str, label: str = "") -> bool:
    """True when a code or its label names the total, e.g. ("TotSa", "") or ("3", "Totalt")."""
    return bool(_TOTAL.match(code) or _TOTAL.match(label))


def total_code(codes: Iterable[str], labels: Mapping[str, str]) -> str | None:
    """The first code that is a total by code or label, or None when there is none."""
    return next((c for c in codes if is_total(c, labels.get(c, ""))), None)
