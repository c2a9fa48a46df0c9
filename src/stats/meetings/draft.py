"""What changed since the previous meeting's freeze, drafted as short Swedish lines.

When a meeting is prepared the analyst gets a list to paste in as highlights or notes: new
months, revised values with old → new, new projection vintages and changed indicator
definitions, in the series the previous frozen meeting pinned (`model.changes_since`). A new
release that changed none of these (only metadata) and pins missing from this database are
left out: they say nothing about the statistics.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from stats.fmt import format_date
from stats.meetings.model import Change, ChangeKind, Meeting, changes_since
from stats.regions import Home

# the kinds of change a draft lists, in this order
DRAFT_KINDS: tuple[ChangeKind, ...] = ("new_periods", "revised", "new_vintage", "new_definition")


@dataclass(frozen=True)
class Draft:
    """The previous frozen meeting (None if there is none) and one line per change."""

    meeting_date: str
    previous: Meeting | None
    lines: tuple[str, ...]

    def heading(self) -> str:
        """ "Sedan mötet 2024-06-17 (data frysta 2024-06-17):" or why there is no list."""
        if self.previous is None or self.previous.frozen is None:
            return (
                f"Inget möte före {self.meeting_date} är fryst, så det finns inget att jämföra med."
            )
        since = f"mötet {self.previous.date} (data frysta {format_date(self.previous.frozen.at)})"
        if not self.lines:
            return f"Inget har ändrats i statistiken sedan {since}."
        return f"Sedan {since}:"

    def text(self) -> str:
        """The heading and "- " lines, as plain text for pasting."""
        return "\n".join([self.heading(), *(f"- {line}" for line in self.lines)]) + "\n"


def previous_frozen(meetings: list[Meeting], meeting_date: str) -> Meeting | None:
    """The latest frozen meeting before `meeting_date` (e.g. 2024-06-17 for 2024-09-23)."""
    earlier = [m for m in meetings if m.date < meeting_date and m.frozen is not None]
    return max(earlier, key=lambda m: m.date) if earlier else None


def draft_lines(changes: list[Change]) -> tuple[str, ...]:
    """One sentence per listed change, new periods first, then revisions, vintages, definitions."""
    order = {kind: i for i, kind in enumerate(DRAFT_KINDS)}
    listed = sorted((c for c in changes if c.kind in order), key=lambda c: order[c.kind])
    return tuple(dict.fromkeys(c.describe() for c in listed))


def draft_changes(
    con: duckdb.DuckDBPyConnection,
    meetings: list[Meeting],
    meeting_date: str,
    home: Home | None = None,
) -> Draft:
    """What changed since the freeze of the meeting before `meeting_date`.

    Parameters
    ----------
    con
        A connection to the store (read-only is enough).
    meetings
        The dialog's meetings (`files.list_meetings`).
    meeting_date
        The meeting being prepared, e.g. "2024-08-26".
    home
        The home län for examples of revised values (default: the previous meeting's place).
    """
    previous = previous_frozen(meetings, meeting_date)
    if previous is None:
        return Draft(meeting_date, None, ())
    return Draft(meeting_date, previous, draft_lines(changes_since(con, previous, home)))
