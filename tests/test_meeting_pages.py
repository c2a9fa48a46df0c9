"""The meeting pages and the meeting export: open views, frozen numbers, the locked analyst view."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from stats import cli
from stats.config import ROOT
from stats.meetings.files import load_meeting, meeting_path, save_meeting
from stats.meetings.model import Highlight, freeze
from stats.present.spec import ChartSpec
from stats.store.dbfile import open_reader
from tests.store_checks import add_release
from tests.test_pages import shown

PAGES = ROOT / "src" / "stats" / "app" / "pages"
KONKURSER = ChartSpec(
    indicator="manadsforandring",
    title="Företagskonkurser per månad",
    regions=("hemlan", "riket"),
    filters=(("measure", "konkurser_regionfakta"),),
)


def frozen_june(db: Path, folder: Path, *extra: Highlight) -> None:
    """Freeze 2024-06-17 with a bankruptcies chart (data in the snapshot) and save it."""
    june = load_meeting(meeting_path(folder, "2024-06-17"))
    june = replace(june, charts=(KONKURSER,), highlights=(*june.highlights, *extra))
    con = open_reader(db)
    try:
        done = freeze(con, june, by="Emma", now=datetime(2024, 6, 17, 16, 55, tzinfo=UTC))
    finally:
        con.close()
    save_meeting(folder, done, base_revision=june.revision, by="Emma")


def page(name: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(PAGES / name), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def table_texts(at: AppTest) -> str:
    """The chart tables' cells (the page builds a table when its switch is turned on)."""
    for switch in at.toggle:
        if switch.label == "Visa som tabell" and not switch.value:
            switch.set_value(True)
    at.run()
    return " ".join(str(df.value.to_numpy().tolist()) for df in at.dataframe)


def switch(at: AppTest, label: str) -> None:
    next(t for t in at.toggle if t.label == label).set_value(True)
    at.run()


def test_landing_lists_meetings_and_freshness(snapshot_db: Path, meetings: Path) -> None:
    at = page("moten.py")
    assert not at.exception
    links = [m.value for m in at.markdown if "mote?datum=" in m.value]
    assert links and "2024-11-25" in links[0]
    assert any("Datakällornas aktualitet" in h.value for h in at.header)
    [freshness] = at.table
    rows = freshness.value.set_index("Källa")
    assert rows.loc["SCB", "Källans senaste uppdatering"] == "2026-06-08"
    # typed in from Regionfakta's page on 2026-11-27: a transcription, not a fetch
    latest = rows.loc["Tillväxtanalys via Regionfakta", "Senast hämtad eller inläst"]
    assert latest == "avskriven 2026-11-27"
    # SCB: TAB6471 recorded 2026-06-15, the statistical news typed in 2026-11-27 (MANIFEST)
    assert rows.loc["SCB", "Senast hämtad eller inläst"] == (
        "avskriven 2026-11-27; hämtad 2026-06-15"
    )
    # Region Dalarna's copy of SCB's BAS table, committed 2024-04-18; SCB's own date unknown
    assert rows.loc["SCB via Region Dalarna", "Senast hämtad eller inläst"] == (
        "kopierad 2024-04-18"
    )
    assert rows.loc["SCB via Region Dalarna", "Källans senaste uppdatering"] == "Uppgift saknas"


def test_meeting_page_by_url_shows_highlights_as_text(snapshot_db: Path, meetings: Path) -> None:
    frozen_june(snapshot_db, meetings, Highlight(text="<b>fet</b> och **stjärnor** [länk](x)"))
    at = page("mote.py", datum="2024-06-17")
    assert not at.exception
    texts = [m.value for m in at.markdown]
    assert any("något fler än föregående månad" in t for t in texts)
    escaped = next(t for t in texts if "fet" in t)
    assert "\\<b\\>" in escaped and "\\*\\*stjärnor\\*\\*" in escaped
    assert any(s.value.startswith("Fryst: data som visades 2024-06-17") for s in at.success)
    assert any(
        shown(c.value).startswith("Källa: Tillväxtanalys via Regionfakta") for c in at.caption
    )


EVIL_LINK = "[x](https://evil.example/)"


def evil_june(folder: Path) -> None:
    """Give 2024-06-17 a title and place that are Markdown links."""
    june = load_meeting(meeting_path(folder, "2024-06-17"))
    save_meeting(folder, replace(june, title=EVIL_LINK, place=EVIL_LINK), june.revision, by="E")


def test_meeting_title_and_place_show_as_text(snapshot_db: Path, meetings: Path) -> None:
    evil_june(meetings)
    at = page("mote.py", datum="2024-06-17")
    assert not at.exception
    title, caption = at.title[0].value, at.caption[0].value
    for text in (title, caption):
        assert "\\[x\\]\\(https\u2060\\://evil" in text and "](" not in text


def test_landing_shows_title_and_place_as_text(snapshot_db: Path, meetings: Path) -> None:
    evil_june(meetings)
    at = page("moten.py")
    assert not at.exception
    [link] = [m.value for m in at.markdown if "2024-06-17" in m.value]
    assert link.startswith("**[\\[x\\]\\(https") and link.count("](") == 1
    [caption] = [c.value for c in at.caption if "evil" in c.value]
    assert "\\[x\\]\\(https\u2060\\://evil" in caption and "](" not in caption


def test_frozen_numbers_stay_after_a_refresh_and_current_shows_the_new(
    snapshot_db: Path, meetings: Path
) -> None:
    frozen_june(snapshot_db, meetings)
    add_release(snapshot_db, "konkurser_lan_regionfakta", {("23", "2021M03"): 12.0})
    at = page("mote.py", datum="2024-06-17")
    assert not at.exception
    shown = table_texts(at)
    assert "'11'" in shown and "'12'" not in shown
    assert any("ändrats sedan mötet" in e.label for e in at.expander)
    switch(at, "Visa aktuella data")
    assert "'12'" in table_texts(at)


def test_unknown_meeting_says_so(snapshot_db: Path, meetings: Path) -> None:
    at = page("mote.py", datum="1999-01-01")
    assert not at.exception
    assert at.error and "1999-01-01" in at.error[0].value


def test_analyst_view_is_locked_without_a_password(
    snapshot_db: Path, meetings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STATS_ANALYST_PASSWORD", raising=False)
    at = page("forbered.py")
    assert not at.exception
    assert "Analytikervyn är låst" in at.warning[0].value
    assert not at.button


def test_analyst_signs_in_and_a_second_save_is_a_conflict(
    snapshot_db: Path, meetings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STATS_ANALYST_PASSWORD", "hemligt")
    at = page("forbered.py")
    at.text_input[1].set_value("fel").run()
    at.button[0].click().run()
    assert at.error and at.error[0].value == "Fel lösenord."
    at.text_input[0].set_value("Emma")
    at.text_input[1].set_value("hemligt")
    at.button[0].click().run()
    assert not at.exception
    at.selectbox[0].set_value("2024-08-26").run()
    # someone else saves the same meeting meanwhile
    other = load_meeting(meeting_path(meetings, "2024-08-26"))
    save_meeting(meetings, replace(other, notes="Linda"), other.revision, by="Linda")
    at.text_area[0].set_value("Emmas anteckning").run()
    next(b for b in at.button if b.label == "Spara").click().run()
    assert at.error and "ladda om" in at.error[0].value
    assert load_meeting(meeting_path(meetings, "2024-08-26")).notes == "Linda"


def test_export_of_a_frozen_meeting_uses_the_frozen_numbers(
    snapshot_db: Path, meetings: Path, tmp_path: Path
) -> None:
    frozen_june(snapshot_db, meetings)
    add_release(snapshot_db, "konkurser_lan_regionfakta", {("23", "2021M03"): 12.0})
    out = tmp_path / "ut"
    args = ["export", "--meeting", "2024-06-17", "--format", "xlsx,csv", "--out", str(out)]
    assert cli.main(args) == 0
    assert cli.main([*args[:-1], str(tmp_path / "nu"), "--current"]) == 0

    def march_jamtland(folder: Path) -> float:
        book = openpyxl.load_workbook(folder / "2024-06-17_statistik.xlsx")
        for sheet in book.worksheets[1:]:
            for row in sheet.iter_rows(values_only=True):
                if "Jämtlands län" in row and "2021-03" in row:
                    return float(next(v for v in row if isinstance(v, int | float)))
        raise AssertionError("no row for Jämtland 2021-03")

    assert march_jamtland(out) == 11.0
    assert march_jamtland(tmp_path / "nu") == 12.0
    assert (out / "2024-06-17_foretagskonkurser-per-manad_jamtland.csv").exists()


def test_another_regions_meeting_link_says_whose_dialog_has_none(
    snapshot_db: Path, meetings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Dalarna's deployment has no meetings: Jämtland's link is refused without pointing to a
    list below that does not exist."""
    from dataclasses import replace

    from stats.meetings.files import list_meetings, save_meeting

    for meeting in list_meetings(meetings):  # the 2024 files, as data/meetings has them: 23's
        save_meeting(meetings, replace(meeting, region="23"), meeting.revision, by="Emma")
    monkeypatch.setenv("STATS_DB", str(snapshot_db))
    monkeypatch.setenv("STATS_HOME_REGION", "20")
    for name, value in (("tom", None), ("jamtlands", "2024-06-17")):
        at = page("mote.py", **({} if value is None else {"datum": value}))
        assert not at.exception, name
        assert [i.value for i in at.info] == ["Inga möten är inlagda för dialogen i Dalarnas län."]
        assert not [e for e in at.error if "nedan" in e.value]
