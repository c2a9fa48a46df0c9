"""A meeting's statistics section for export: charts drawn over its frozen (or current) data."""

from __future__ import annotations

import duckdb

from stats.analysis.indicators import open_scope
from stats.export.section import Section
from stats.fmt import format_date
from stats.meetings.frozen_words import frozen_note
from stats.meetings.markers import meeting_markers, with_meetings
from stats.meetings.minutes import meeting_minutes
from stats.meetings.model import Meeting, meeting_place, pinned_releases
from stats.present.spec import draw
from stats.regions import Home

KIND_TEXT = {"ordinarie": "Ordinarie möte", "fördjupning": "Fördjupning"}


def _chart_highlights(meeting: Meeting) -> dict[int, str]:
    """Each highlight tied to data goes beside the first chart of the same indicator slice."""
    out: dict[int, str] = {}
    for highlight in meeting.highlights:
        claim = highlight.claim
        if claim is None:
            continue
        for i, spec in enumerate(meeting.charts):
            same_slice = set(claim.filters) <= set(spec.filters) or not claim.filters
            if spec.indicator == claim.indicator and same_slice and i not in out:
                out[i] = highlight.text
                break
    return out


def meeting_section(
    con: duckdb.DuckDBPyConnection, meeting: Meeting, home: Home, *, current: bool = False
) -> Section:
    """The section as presented: a frozen meeting's pinned releases and recorded place (home
    län, region sets, processor) unless `current`."""
    marked = meeting_markers(meeting, home)
    home = meeting_place(meeting, home, current=current)
    frozen = meeting.frozen is not None and not current
    releases = pinned_releases(con, meeting)[0] if frozen else None
    scope = open_scope(con, releases)
    try:
        charts = [with_meetings(draw(scope, spec, home), marked) for spec in meeting.charts]
    finally:
        scope.close()
    if frozen and meeting.frozen is not None:
        note = frozen_note(meeting)
    else:
        fetched = [m["fetched_at"] for c in charts for m in c.metas if m.get("fetched_at")]
        note = "Aktuella data" + (
            f", senast hämtade {format_date(max(fetched))}." if fetched else "."
        )
    return Section(
        meeting_date=meeting.date,
        title=meeting.title,
        charts=charts,
        home=home,
        highlights=[h.text for h in meeting.highlights],
        chart_highlights=_chart_highlights(meeting),
        data_note=note,
        about=meeting_about(meeting),
        notes=meeting.notes,
        minutes=meeting_minutes(meeting),
        presenter=", ".join(p for p in (meeting.presenter, meeting.presenter_role) if p),
    )


def meeting_about(meeting: Meeting) -> str:
    """ "Ordinarie möte · 2024-10-28 13:00–15:00, Campus Östersund" (the parts that are known)."""
    when = meeting.date
    if meeting.start:
        when += f" {meeting.start}" + (f"–{meeting.end}" if meeting.end else "")
    where = f"{when}, {meeting.place}" if meeting.place else when
    return f"{KIND_TEXT.get(meeting.kind, meeting.kind)} · {where}"
