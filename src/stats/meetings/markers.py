"""Which earlier meetings a chart marks: the dialog's meetings before the one shown, or today.

One helper for the pages, the meeting page, the exports and the published pages, so that they
all mark the same dates. A meeting marks only the meetings dated before its own day, so a
frozen meeting's charts show the same markers however many meetings come after it.
"""

from __future__ import annotations

import logging
import os
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from stats.config import today
from stats.errors import StatsError
from stats.meetings.files import list_meetings, meetings_dir
from stats.meetings.model import Meeting
from stats.present.spec import Chart
from stats.regions import Home, home_code

log = logging.getLogger(__name__)


def earlier_meetings(home: Home, before: str, directory: Path | None = None) -> tuple[str, ...]:
    """Dates of `home`'s dialog meetings before the ISO date `before`, oldest first.

    Parameters
    ----------
    home
        The dialog's region, e.g. "23".
    before
        e.g. "2024-08-26": the meeting shown (its own date is not marked), or today.
    directory
        The meeting files; default `meetings_dir()`.
    """
    folder = directory or meetings_dir()
    dates = _meeting_dates(str(folder), _listing(folder), home_code(home))
    return tuple(d for d in dates if d < before)


def page_meetings(home: Home) -> tuple[str, ...]:
    """The meetings an ordinary page marks: those before today (`stats.config.today`)."""
    return earlier_meetings(home, today().isoformat())


def meeting_markers(meeting: Meeting, home: Home) -> tuple[str, ...]:
    """The meetings a meeting's charts mark: its dialog's meetings before its date."""
    return earlier_meetings(meeting.region or home, meeting.date)


def with_meetings(chart: Chart, dates: tuple[str, ...]) -> Chart:
    """The same drawn chart marking these meeting dates."""
    return chart if chart.meetings == dates else replace(chart, meetings=dates)


def _listing(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, size and change time of each meeting file: a new or saved meeting changes it."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return ()
    stats = [(e.name, e.stat()) for e in entries if e.name.endswith(".toml")]
    return tuple(sorted((name, s.st_size, s.st_mtime_ns) for name, s in stats))


@lru_cache(maxsize=32)
def _meeting_dates(
    folder: str, listing: tuple[tuple[str, int, int], ...], region: str
) -> tuple[str, ...]:
    """The dialog's meeting dates; none (logged) when a meeting file cannot be read."""
    del listing  # part of the cache key only
    try:
        meetings = list_meetings(Path(folder), region)
    except StatsError as exc:
        # markers are an aid; the meeting pages report the broken file themselves
        log.warning("no meeting markers: %s", exc)
        return ()
    return tuple(m.date for m in meetings)
