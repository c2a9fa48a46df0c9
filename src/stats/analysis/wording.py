"""The Swedish wording of a change: the one rule that claims and suggestions are worded by.

Counts, levels and projections are worded by their change in percent of the earlier value;
rates and shares (indicators in the unit "procent", such as unemployment or the circular
share) by their change in procentenheter, so that 3,5 % → 3,6 % is "+0,1 procentenheter",
not "+2,9 %". The thresholds (on the unrounded change; each lower bound belongs to its own
band):

| Förändring i procent   | Förändring i procentenheter | Ord                              |
|------------------------|-----------------------------|----------------------------------|
| under 1 %              | under 0,1                   | oförändrat                       |
| 1 % till under 5 %     | 0,1 till under 0,5          | något fler / något färre         |
| 5 % till under 15 %    | 0,5 till under 1,0          | fler / färre                     |
| 15 % eller mer         | 1,0 eller mer               | betydligt fler / betydligt färre |

Counts (antal, företag) use "fler/färre"; rates, shares, projections and everything else use
"högre/lägre". Month-to-month counts in a small län are noisy: 1 % of 300 vacancies is three.
A change under 0,1 procentenheter does not show in a rate published with one decimal.
`change_words` is the one rule: `highlights.check_claim` and the suggestions both word changes
with it.

`text_disagreement` reads a highlight's own text for the same vocabulary, so that a text which
says "betydligt" is not shown as supported by a claim worded "något högre". It flags only what
the text clearly says otherwise, and reads whole words (lower case):

* strength: "oförändrat/oförändrad/oförändrade" anywhere; "något" and "betydligt" only right
  before or after a direction word ("något fler", "steg något"), since "något" is also a
  pronoun ("något att jobba vidare med");
* direction: the claim's own pair ("fler/färre" or "högre/lägre") and the verbs "öka, ökar,
  ökade, ökat, ökning(en), steg, stigit, stiger" against "minska, minskar, minskade, minskat,
  minskning(en), sjönk, sjunkit, sjunker".

A text with none of these words is free prose and never flagged. A text with a negation ("inte",
"ej", "icke", "aldrig") is not read at all: "ökade inte" is not a direction. A text that uses
the claim's word as well as another ("något fler än i maj, men oförändrat under året") is not
flagged either: it may describe two comparisons. Tense and modality are not read: "risk för
ökade konkurser" says up, so it agrees with "fler" and clashes with "färre" or "oförändrat".
"""

from __future__ import annotations

import math
import re

from stats.fmt import format_number, format_percent

COUNTS = ("fler", "färre")
LEVELS = ("högre", "lägre")
COUNT_UNITS = ("antal", "företag")
# rates and shares: worded by the change in procentenheter
PERCENT_UNIT = "procent"
Band = tuple[tuple[float, str], ...]
# (upper bound of |change|, degree word); the last band has no upper bound
THRESHOLDS: Band = (
    (1.0, "oförändrat"),
    (5.0, "något"),
    (15.0, ""),
    (math.inf, "betydligt"),
)
# the same bands in procentenheter, for units in percent
POINT_THRESHOLDS: Band = (
    (0.1, "oförändrat"),
    (0.5, "något"),
    (1.0, ""),
    (math.inf, "betydligt"),
)
UNCHANGED = "oförändrat"
# the change is rounded before it meets a bound, so 3,6 − 3,5 (0,0999… in binary) is 0,1
CHANGE_DIGITS = 9


def wording(
    change: float, more: str = "fler", fewer: str = "färre", *, points: bool = False
) -> str:
    """Swedish words for a change: 3.2 (%) → "något fler", −20 (%) → "betydligt färre".

    Parameters
    ----------
    change
        The change in percent (not a fraction), e.g. 57.1 for 7 → 11; in procentenheter
        when `points`, e.g. 0.1 for 3,5 % → 3,6 %.
    more, fewer
        The word pair: "fler"/"färre" for counts, "högre"/"lägre" for rates and projections.
    points
        Use the thresholds in procentenheter (rates and shares).

    Examples
    --------
    >>> wording(57.1)
    'betydligt fler'
    >>> wording(-0.4, "högre", "lägre")
    'oförändrat'
    >>> wording(0.1, "högre", "lägre", points=True)
    'något högre'
    """
    if not math.isfinite(change):
        raise ValueError(f"change {change!r} is not a finite number")
    size = round(abs(change), CHANGE_DIGITS)
    for bound, degree in POINT_THRESHOLDS if points else THRESHOLDS:
        if size < bound:
            if degree == UNCHANGED:
                return UNCHANGED
            word = more if change > 0 else fewer
            return f"{degree} {word}" if degree else word
    raise ValueError(f"change {change!r} is not a finite number")


def wordings() -> tuple[str, ...]:
    """Every wording `wording` can give, for validating a claim's `expected`."""
    out = [UNCHANGED]
    for more, fewer in (COUNTS, LEVELS):
        for _, degree in THRESHOLDS[1:]:
            out += [f"{degree} {w}".strip() for w in (more, fewer)]
    return tuple(out)


def in_points(unit: str) -> bool:
    """True for rates and shares, which are compared in procentenheter."""
    return unit == PERCENT_UNIT


def change_of(now: float, then: float, unit: str) -> float | None:
    """The change the wording is decided on: procentenheter for rates and shares, else the
    change in percent of `then` (None when `then` is zero)."""
    if in_points(unit):
        return now - then
    return None if then == 0 else 100.0 * (now - then) / then


def change_text(change: float, unit: str) -> str:
    """ "+0,1 procentenheter" for rates and shares, "+57,1 %" otherwise."""
    if in_points(unit):
        return f"{format_number(change, 1, signed=True)} procentenheter"
    return format_percent(change, 1, signed=True)


def change_words(
    now: float, then: float, unit: str, pair: tuple[str, str]
) -> tuple[str, str] | None:
    """(wording, change as text) of `now` against `then` by the unit's rule; None if `then`
    is zero for a relative change. E.g. 3,6 against 3,5 % → ("något högre", "+0,1 procentenheter").
    """
    change = change_of(now, then, unit)
    if change is None:
        return None
    return wording(change, *pair, points=in_points(unit)), change_text(change, unit)


def _threshold_rows(points: bool) -> list[tuple[str, str]]:
    band, pair = (POINT_THRESHOLDS, LEVELS) if points else (THRESHOLDS, COUNTS)
    unit = " procentenheter" if points else ""
    rows: list[tuple[str, str]] = []
    lower = 0.0
    for bound, degree in band:
        low, high = (
            format_number(x, 1) if points else format_percent(x, 0) for x in (lower, bound)
        )
        if lower == 0:
            span = f"under {high}{unit}"
        else:
            span = (
                f"{low}{unit} eller mer" if math.isinf(bound) else f"{low} till under {high}{unit}"
            )
        words = (f"{degree} {w}".strip() for w in pair)
        rows.append((span, UNCHANGED if degree == UNCHANGED else " / ".join(words)))
        lower = bound
    return rows


def threshold_rows() -> list[tuple[str, str]]:
    """The thresholds as (förändring, ord) rows for the UI: first in percent for counts and
    levels, then in procentenheter for rates and shares, e.g. ("under 1 %", "oförändrat"),
    ("0,1 till under 0,5 procentenheter", "något högre / något lägre")."""
    return _threshold_rows(points=False) + _threshold_rows(points=True)


# the vocabulary a highlight's text is read for (see the module docstring)
DEGREES = ("något", "betydligt")
UNCHANGED_WORDS = ("oförändrat", "oförändrad", "oförändrade")
UP_VERBS = ("öka", "ökar", "ökade", "ökat", "ökning", "ökningen", "steg", "stigit", "stiger")
DOWN_VERBS = (
    "minska", "minskar", "minskade", "minskat", "minskning", "minskningen", "sjönk", "sjunkit",
    "sjunker",
)  # fmt: skip
NEGATIONS = ("inte", "ej", "icke", "aldrig")
UP, DOWN = "up", "down"


def _read(words: list[str], pair: tuple[str, str]) -> list[tuple[str, str]]:
    """(word, meaning) of the vocabulary in `words`, in text order; the meaning is UNCHANGED,
    a degree ("något", "betydligt"), UP or DOWN."""
    up, down = {pair[0], *UP_VERBS}, {pair[1], *DOWN_VERBS}
    directed = up | down | set(COUNTS) | set(LEVELS)
    out: list[tuple[str, str]] = []
    for i, word in enumerate(words):
        beside = words[max(i - 1, 0) : i] + words[i + 1 : i + 2]
        if word in UNCHANGED_WORDS:
            out.append((word, UNCHANGED))
        elif word in DEGREES and any(w in directed for w in beside):
            out.append((word, word))
        elif word in up or word in down:
            out.append((word, UP if word in up else DOWN))
    return out


def _meaning(expected: str) -> tuple[str, str | None] | None:
    """(degree, direction) of a wording: "något fler" → ("något", UP), "lägre" → ("", DOWN),
    "oförändrat" → (UNCHANGED, None); None for words that are not a wording."""
    if expected == UNCHANGED:
        return UNCHANGED, None
    *degree, word = expected.split() or [""]
    if len(degree) > 1 or (degree and degree[0] not in DEGREES):
        return None
    if word in (COUNTS[0], LEVELS[0]):
        return "".join(degree), UP
    if word in (COUNTS[1], LEVELS[1]):
        return "".join(degree), DOWN
    return None


def _clashes(said: list[tuple[str, str]], degree: str, direction: str | None) -> set[str]:
    """The meanings in `said` that clearly contradict the wording (degree, direction)."""
    meanings = {m for _, m in said}
    degrees, directions = meanings & set(DEGREES), meanings & {UP, DOWN}
    if direction is None:  # "oförändrat": any change said without the word is a clash
        return set() if UNCHANGED in meanings else degrees | directions
    out: set[str] = set()
    if degrees and degree not in degrees:
        out |= degrees
    if directions and direction not in directions:
        out |= directions
    if UNCHANGED in meanings and not directions:
        out.add(UNCHANGED)
    return out


def text_disagreement(text: str, expected: str, pair: tuple[str, str]) -> str | None:
    """Why `text` says something else than the wording `expected`, or None when it does not.

    `pair` is the claim's direction words, COUNTS or LEVELS. E.g. "Konkurserna ökade
    betydligt" against "något fler" → 'Texten säger ”betydligt”, kopplingen ”något fler”.'

    >>> text_disagreement("Arbetslösheten steg något i januari", "något högre", LEVELS)
    >>> text_disagreement("Färre konkurser", "fler", COUNTS)
    'Texten säger ”färre”, kopplingen ”fler”.'
    """
    meaning = _meaning(expected.strip())
    words = re.findall(r"\w+", text.casefold())
    if meaning is None or any(w in NEGATIONS for w in words):
        return None
    said = _read(words, pair)
    clashes = _clashes(said, *meaning)
    if not clashes:
        return None
    quoted = " ".join(dict.fromkeys(w for w, m in said if m in clashes))
    return f"Texten säger ”{quoted}”, kopplingen ”{expected.strip()}”."
