"""A meeting's statistics section as the exports see it, and the file names each format writes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from stats.errors import StatsError
from stats.meetings.minutes import Minutes
from stats.present.citation import processor
from stats.present.spec import Chart, file_stem
from stats.regions import Home
from stats.text import clean

FORMATS = ("png", "svg", "docx", "pptx", "xlsx", "csv", "pdf")
# formats with one file per chart; the others hold the whole section in one file
PER_CHART = frozenset({"png", "svg", "csv"})
# the title part of a file name: well under the 255 bytes a file name may have
STEM_TITLE_MAX = 80
# the most characters python-docx and python-pptx take in a document property (title, author)
PROPERTY_MAX = 255


def property_text(text: str) -> str:
    """A document property (title, subject, author): no control characters, at most 255 long."""
    return clean(text)[:PROPERTY_MAX]


def _short_stem(stem: str) -> str:
    """A stem "<date>_<title>_<place>" with the title slug cut to STEM_TITLE_MAX characters."""
    date, title, place = stem.split("_", 2)
    return f"{date}_{title[:STEM_TITLE_MAX].rstrip('-')}_{place}"


@dataclass
class Section:
    """A meeting's statistics section, as exported for the minutes and the slides."""

    meeting_date: str
    title: str
    charts: list[Chart]
    home: Home
    subtitle: str = "Statistikavsnitt"
    highlights: list[str] = field(default_factory=list)
    # optional highlight per chart index, shown beside the chart on its slide
    chart_highlights: dict[int, str] = field(default_factory=dict)
    # e.g. "Data som visades 2024-06-17" (frozen) or "Aktuella data, hämtade 2024-06-20"
    data_note: str = ""
    # e.g. "Ordinarie möte · 2024-06-17 13:00–15:00, Digitalt" and the meeting's notes
    about: str = ""
    notes: str = ""
    # the minutes' "Näringslivsstatistik" paragraph (presenter, publication, highlights)
    minutes: Minutes | None = None
    # who presents the section, e.g. "Emma Persson, regional analytiker RJH" ("" if not named)
    presenter: str = ""

    @property
    def processor(self) -> str:
        return processor(self.home)

    def stems(self) -> list[str]:
        """File-name stems per chart, unique within the section."""
        seen: dict[str, int] = {}
        out = []
        for chart in self.charts:
            stem = _short_stem(file_stem(self.meeting_date, chart, self.home))
            seen[stem] = seen.get(stem, 0) + 1
            out.append(stem if seen[stem] == 1 else f"{stem}-{seen[stem]}")
        return out

    def single_file(self, fmt: str) -> str:
        """The name of a whole-section file, e.g. "2024-06-17_statistik.docx"."""
        return f"{self.meeting_date}_statistik.{fmt}"


def check_formats(formats: Iterable[str]) -> set[str]:
    """The asked-for formats in lower case; StatsError naming any unknown one."""
    wanted = {f.lower().lstrip(".") for f in formats}
    unknown = wanted - set(FORMATS)
    if unknown or not wanted:
        raise StatsError(
            f"export formats {sorted(unknown) or '(none)'}: expected some of {', '.join(FORMATS)}"
        )
    return wanted


def section_files(section: Section, formats: Iterable[str]) -> list[str]:
    """The file names `export_section` writes for `formats`, in writing order."""
    wanted = check_formats(formats)
    names: list[str] = []
    for fmt in FORMATS:
        if fmt not in wanted:
            continue
        if fmt in PER_CHART:
            names += [f"{stem}.{fmt}" for stem in section.stems()]
        else:
            names.append(section.single_file(fmt))
    return names
