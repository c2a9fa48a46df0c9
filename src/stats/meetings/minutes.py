"""The "Näringslivsstatistik" paragraph of the minutes, in the minutes' own form.

The minutes of 2024-06-17 write the statistics slot as: the heading, "<namn>, <roll> –
presenterade aktuell näringslivsstatistik", where the full presentation is published, "Här
följer några highlights ur <namn>s muntliga presentation:" and the highlights as bullets. The
text is plain: the analyst's words on one line each, without control characters
(`stats.text.clean`), never markup; the caller escapes it for its medium.
"""

from __future__ import annotations

from dataclasses import dataclass

from stats.meetings.model import Meeting
from stats.text import clean

HEADING = "Näringslivsstatistik"
BULLET = "•"


@dataclass(frozen=True)
class Minutes:
    """The paragraph: a heading, the introduction and the highlights as bullets."""

    intro: str
    bullets: tuple[str, ...]
    heading: str = HEADING

    def text(self) -> str:
        """Plain text: heading, blank line, introduction, blank line, "• highlight" lines."""
        parts = [self.heading, self.intro]
        if self.bullets:
            parts.append("\n".join(f"{BULLET} {b}" for b in self.bullets))
        return "\n\n".join(parts) + "\n"


def _line(text: str) -> str:
    """One line of plain text: control characters out, runs of whitespace as one space."""
    return " ".join(clean(text).split())


def genitive(name: str) -> str:
    """Swedish genitive of a first name: "Emma" → "Emmas", "Lars" → "Lars"."""
    return name if name[-1:].lower() in ("s", "x", "z") else f"{name}s"


def meeting_minutes(meeting: Meeting) -> Minutes:
    """The paragraph for a meeting: presenter and role, publication, highlights.

    Parameters
    ----------
    meeting
        e.g. 2024-06-17 with presenter "Emma Persson", role "regional analytiker RJH" and
        publication "www.regionjh.se/naringslivsdialog". Missing parts are left out.
    """
    presenter, role = _line(meeting.presenter), _line(meeting.presenter_role)
    who = f"{presenter}, {role}" if presenter and role else presenter
    sentences = [
        f"{who} – presenterade aktuell näringslivsstatistik."
        if who
        else "Aktuell näringslivsstatistik presenterades."
    ]
    publication = _line(meeting.publication)
    if publication:
        sentences.append(f"Hela statistikpresentationen finns som pdf på {publication}.")
    bullets = tuple(b for b in (_line(h.text) for h in meeting.highlights) if b)
    if bullets:
        first = presenter.split()[0] if presenter else ""
        whose = (
            f"{genitive(first)} muntliga presentation" if first else "den muntliga presentationen"
        )
        sentences.append(f"Här följer några highlights ur {whose}:")
    return Minutes(" ".join(sentences), bullets)


def minutes_text(meeting: Meeting) -> str:
    """The paragraph as plain text for pasting into the minutes (see `Minutes.text`)."""
    return meeting_minutes(meeting).text()
