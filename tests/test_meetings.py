"""Meetings: seed files, calendar, safe saving, freezing, pinned releases and changes since."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pytest

from stats.analysis.indicators import open_scope
from stats.catalog.load import load_catalog
from stats.config import ROOT
from stats.ingest.snapshot import load_snapshot
from stats.meetings.file_format import dumps_meeting, parse_meeting
from stats.meetings.files import (
    list_meetings,
    load_meeting,
    meeting_path,
    meetings_dir,
    save_meeting,
)
from stats.meetings.model import (
    Highlight,
    Meeting,
    MeetingError,
    SaveConflict,
    changes_since,
    freeze,
    next_meeting,
    pinned_releases,
)
from stats.present.spec import ChartSpec, draw
from stats.store.dbfile import open_reader
from stats.store.write import open_writer
from tests.store_checks import add_release

SEEDS = ROOT / "data" / "meetings"
KONKURSER = ChartSpec(
    indicator="manadsforandring",
    title="Företagskonkurser per månad",
    regions=("hemlan", "riket"),
    filters=(("measure", "konkurser_regionfakta"),),
)
MIDSUMMER = datetime(2024, 6, 17, 16, 55, tzinfo=UTC)


def june() -> Meeting:
    return load_meeting(SEEDS / "2024-06-17.toml")


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.toml")), ids=lambda p: p.name)
def test_seed_file_round_trips(path: Path, tmp_path: Path) -> None:
    meeting = load_meeting(path)
    text = path.read_text(encoding="utf-8")
    assert dumps_meeting(meeting) == text
    assert parse_meeting(dumps_meeting(meeting), path.name) == meeting
    saved = save_meeting(tmp_path, meeting, base_revision=0, by="test", now=MIDSUMMER)
    assert load_meeting(meeting_path(tmp_path, meeting.date)) == saved
    assert replace(saved, revision=meeting.revision, saved_by="", saved_at="") == meeting


def test_calendar_of_2024() -> None:
    meetings = list_meetings(SEEDS)
    assert [m.date for m in meetings] == [
        "2024-06-17",
        "2024-08-26",
        "2024-09-23",
        "2024-10-28",
        "2024-11-25",
    ]
    by_date = {m.date: m for m in meetings}
    for d in ("2024-08-26", "2024-09-23", "2024-11-25"):
        m = by_date[d]
        assert (m.kind, m.start, m.end, m.place) == ("ordinarie", "16:00", "17:00", "Digitalt")
    deep = by_date["2024-10-28"]
    assert (deep.kind, deep.start, deep.end) == ("fördjupning", "13:00", "15:00")
    assert "Campus Östersund, Hus C" in deep.place and "Hybrid" in deep.place
    assert "lunch kl. 11:30–12:45" in deep.notes
    assert next_meeting(meetings, date(2024, 6, 17)) == by_date["2024-06-17"]
    assert next_meeting(meetings, date(2024, 6, 18)) == by_date["2024-08-26"]
    assert next_meeting(meetings, date(2024, 10, 1)) == by_date["2024-10-28"]
    assert next_meeting(meetings, date(2024, 11, 26)) is None


def test_june_meeting_has_the_minutes_highlights_and_no_freeze() -> None:
    meeting = june()
    assert meeting.title == "Regional näringslivsdialog" and meeting.frozen is None
    assert "Inte fryst" in meeting.notes
    assert 5 <= len(meeting.charts) <= 8
    texts = [h.text for h in meeting.highlights]
    assert len(texts) == 5
    assert "andel sysselsatta 1-3% i vårt län" in texts[0]
    assert "något högre befolkningsökning, jämfört med 2021 och 2022 års prognos" in texts[1]
    assert "nya lediga platser något fler än föregående månad" in texts[2]
    assert texts[3] == "Fortsatt risk för ökade konkurser och varsel."
    assert texts[4].startswith("Stabiliserat arbetsmarknadsläge förväntas under 2025")
    claims = [h.claim for h in meeting.highlights]
    assert claims[0] is not None and (claims[0].low, claims[0].high) == (1.0, 3.0)
    assert claims[1] is not None and claims[1].vintages == ("2021", "2022")
    assert claims[1].expected == "något högre"
    assert claims[2] is not None and claims[2].filters == (("measure", "nya_platser"),)
    assert (claims[2].comparison, claims[2].expected) == ("previous_month", "något fler")
    assert claims[3] is None and claims[4] is None
    assert all(h.note for h in meeting.highlights[3:])


def test_meetings_dir_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("STATS_MEETINGS_DIR", raising=False)
    assert meetings_dir() == ROOT / "data" / "meetings"
    monkeypatch.setenv("STATS_MEETINGS_DIR", str(tmp_path))
    assert meetings_dir() == tmp_path


def test_text_is_stored_verbatim(tmp_path: Path) -> None:
    odd = 'Rad 1\r\nRad 2 <script>alert("x")</script> """ \\ \t\x00 slut  \n\n🙂 ”citat”'
    meeting = Meeting(
        date="2024-09-23",
        title="<b>Möte</b>",
        notes="Första raden\nandra raden\\n inte ny rad",
        highlights=(Highlight(text=odd), Highlight(text="**fet** [länk](javascript:x)")),
    )
    saved = save_meeting(tmp_path, meeting, base_revision=0)
    loaded = load_meeting(meeting_path(tmp_path, "2024-09-23"))
    assert loaded == saved
    # verbatim but for control characters, which a save removes (issue "Trust")
    assert loaded.highlights[0].text == odd.replace("\x00", "")
    assert loaded.notes == "Första raden\nandra raden\\n inte ny rad"


def test_later_save_detects_the_earlier_one(tmp_path: Path) -> None:
    save_meeting(tmp_path, june(), base_revision=0, by="Emma", now=MIDSUMMER)
    path = meeting_path(tmp_path, "2024-06-17")
    first = load_meeting(path)
    second = load_meeting(path)
    assert first.revision == second.revision == 1
    edited = replace(first, notes=first.notes + "\nEmmas tillägg.")
    saved = save_meeting(tmp_path, edited, first.revision, by="Emma", now=MIDSUMMER)
    assert saved.revision == 2
    other = replace(second, notes="Linda skriver över allt.")
    with pytest.raises(SaveConflict) as info:
        save_meeting(tmp_path, other, second.revision, by="Linda")
    message = str(info.value)
    assert "sparades av någon annan (Emma, 2024-06-17 kl. 18:55)" in message
    assert "ladda om och gör om ändringen" in message
    assert info.value.revision == 2 and info.value.saved_by == "Emma"
    on_disk = load_meeting(path)
    assert on_disk.notes.endswith("Emmas tillägg.") and on_disk.revision == 2


def test_new_meeting_cannot_overwrite_an_existing_file(tmp_path: Path) -> None:
    meeting = Meeting(date="2024-08-26", title="Regional näringslivsdialog")
    save_meeting(tmp_path, meeting, base_revision=0)
    with pytest.raises(SaveConflict):
        save_meeting(tmp_path, replace(meeting, title="Annan"), base_revision=0)
    assert load_meeting(meeting_path(tmp_path, "2024-08-26")).title == meeting.title
    with pytest.raises(SaveConflict, match="togs bort efter att du öppnade mötet"):
        save_meeting(tmp_path / "empty", meeting, base_revision=1)


def test_crash_mid_save_leaves_the_old_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_meeting(tmp_path, june(), base_revision=0)
    path = meeting_path(tmp_path, "2024-06-17")
    before = path.read_bytes()

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(MeetingError, match="den sparade versionen är oförändrad"):
        save_meeting(tmp_path, replace(june(), notes="ny text"), base_revision=1)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2024-06-17.toml"]


BAD = [
    ('date = "2024', "x.toml: not valid TOML"),
    ('title = "t"', "2024-01-01.toml: date: required text"),
    ('date = "2024-01-01"\ntitle = "t"\ncolour = "red"', "unknown keys ['colour']"),
    ('date = "2024-02-01"\ntitle = "t"', "2024-02-01 differs from the file name"),
    ('date = "2024-01-01"\ntitle = "t"\nkind = "x"', "2024-01-01.toml: kind: must be one of"),
    ('date = "2024-01-01"\ntitle = "t"\nstart = "4 pm"', "2024-01-01.toml: start: must be HH:MM"),
    (
        'date = "2024-01-01"\ntitle = "t"\n[[chart]]\nindicator = "manadsforandring"\n'
        '[[chart]]\nindicator = "nope"',
        "2024-01-01.toml: chart[1].indicator: unknown indicator 'nope'",
    ),
    (
        'date = "2024-01-01"\ntitle = "t"\n[[chart]]\nindicator = "manadsforandring"\n'
        'regions = ["atlantis"]',
        "2024-01-01.toml: chart[0]: unknown region 'atlantis'",
    ),
    (
        'date = "2024-01-01"\ntitle = "t"\n[[highlight]]\ntext = "x"\n[highlight.claim]\n'
        'indicator = "manadsforandring"\ncomparison = "previous_month"\nexpected = "mycket fler"',
        "2024-01-01.toml: highlight[0].claim.expected: must be one of oförändrat",
    ),
    (
        'date = "2024-01-01"\ntitle = "t"\n[[highlight]]\ntext = "x"\n[highlight.claim]\n'
        'indicator = "cirkular_andel"\ncomparison = "range"\nlow = 3',
        "highlight[0].claim.low: a range claim needs low <= high",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD, ids=[m for _, m in BAD])
def test_bad_meeting_file_names_file_and_key(text: str, message: str) -> None:
    name = "x.toml" if message.startswith("x.toml") else "2024-01-01.toml"
    with pytest.raises(MeetingError) as info:
        parse_meeting(text, name)
    assert message in str(info.value)


def with_konkurser() -> Meeting:
    return replace(june(), charts=(*june().charts, KONKURSER))


def test_freeze_pins_content_hashes(snapshot_db: Path) -> None:
    con = open_reader(snapshot_db)
    try:
        frozen = freeze(con, with_konkurser(), by="Emma", now=MIDSUMMER).frozen
        hashes = dict(
            con.execute("select series_id, content_sha256 from latest_release").fetchall()
        )
    finally:
        con.close()
    assert frozen is not None
    assert frozen.releases["konkurser_lan_regionfakta"] == hashes["konkurser_lan_regionfakta"]
    assert frozen.releases["arbetsloshet_bas_manad"] == hashes["arbetsloshet_bas_manad"]
    assert set(frozen.releases) <= set(hashes) and "folkmangd_manad" in frozen.releases
    assert "nya_annonser_manad" in frozen.unavailable
    assert "af_jamtland_pressmeddelanden" not in frozen.releases
    # the pins alone say when; the meeting's views say how that relates to the meeting
    assert frozen.label() == "data låsta 2024-06-17"


def test_freeze_refuses_twice_unless_forced_and_keeps_old_pins(
    snapshot_db: Path, tmp_path: Path
) -> None:
    con = open_reader(snapshot_db)
    try:
        first = freeze(con, with_konkurser(), by="Emma", now=MIDSUMMER)
        with pytest.raises(MeetingError, match="redan fryst"):
            freeze(con, first, by="Linda", now=MIDSUMMER)
        again = freeze(con, first, by="Linda", now=datetime(2024, 6, 18, tzinfo=UTC), force=True)
    finally:
        con.close()
    assert again.previous_freezes == (first.frozen,)
    assert again.frozen is not None and again.frozen.by == "Linda"
    saved = save_meeting(tmp_path, again, base_revision=0)
    assert load_meeting(meeting_path(tmp_path, saved.date)) == saved


def test_frozen_meeting_shows_old_numbers_after_a_revision(snapshot_db: Path) -> None:
    con = open_reader(snapshot_db)
    meeting = freeze(con, with_konkurser(), by="Emma", now=MIDSUMMER)
    old_ids, missing = pinned_releases(con, meeting)
    con.close()
    assert missing == []
    add_release(
        snapshot_db, "konkurser_lan_regionfakta", {("23", "2021M03"): 12.0}, new_period="2021M05"
    )
    con = open_reader(snapshot_db)
    try:
        ids, missing = pinned_releases(con, meeting)
        assert (ids, missing) == (old_ids, [])
        pinned = draw(open_scope(con, releases=ids), KONKURSER, home="23").frame
        jamtland = pinned[pinned["region_code"] == "23"]
        assert jamtland["value"].tolist() == [7.0, 7.0, 11.0, 3.0]
        latest = draw(open_scope(con), KONKURSER, home="23").frame
        assert latest[latest["region_code"] == "23"]["value"].tolist() == [7, 7, 12, 3, 3]
        changes = changes_since(con, meeting, home="23")
    finally:
        con.close()
    assert [(c.series_id, c.kind) for c in changes] == [
        ("konkurser_lan_regionfakta", "new_release"),
        ("konkurser_lan_regionfakta", "revised"),
        ("konkurser_lan_regionfakta", "new_periods"),
    ]
    release, revised, periods = changes
    assert release.fetched_at is not None
    assert release.describe().startswith("Företagskonkurser per månad och län: ny version hämtad ")
    assert revised.count == 1
    assert revised.describe().endswith("1 reviderat värde, t.ex. Jämtlands län 2021-03: 11 → 12.")
    assert periods.periods == ("2021M05",)
    assert periods.describe().endswith("ny period 2021-05.")


def test_database_without_the_pinned_content_lists_it_as_missing(
    snapshot_db: Path, tmp_path: Path
) -> None:
    add_release(snapshot_db, "konkurser_lan_regionfakta", {("23", "2021M03"): 12.0})
    con = open_reader(snapshot_db)
    meeting = freeze(con, with_konkurser(), by="Emma", now=MIDSUMMER)
    con.close()
    other = tmp_path / "other" / "stats.duckdb"
    with open_writer(other) as store:
        load_snapshot(store, tmp_path / "raw2", load_catalog(), ROOT / "data" / "snapshot")
    con = open_reader(other)
    try:
        ids, missing = pinned_releases(con, meeting)
        changes = changes_since(con, meeting)
    finally:
        con.close()
    assert missing == ["konkurser_lan_regionfakta"]
    assert ids  # the other pinned series come from the same snapshot, so they match
    gone = [c for c in changes if c.kind == "missing"]
    assert [c.series_id for c in gone] == ["konkurser_lan_regionfakta"]
    assert "finns inte i den här databasen" in gone[0].describe()


def test_projection_vintages_are_pinned_one_by_one(snapshot_db: Path) -> None:
    frame = pd.DataFrame(
        {
            "region_code": ["23"],
            "period": ["2040"],
            "dims": ['{"ContentsCode": "BE0401"}'],
            "value": [130000.0],
            "status": [None],
            "preliminary": [False],
        }
    )
    labels = pd.DataFrame({"dimension": ["ContentsCode"], "code": ["BE0401"], "label": ["x"]})
    with open_writer(snapshot_db) as store:
        for vintage in ("2021", "2022"):
            store.add_release("befolkningsprognos", frame, {"v": vintage}, [], labels, vintage)
    meeting = replace(
        june(), charts=(ChartSpec("prognos_mot_utfall", regions=("hemlan",), split="vintage"),)
    )
    con = open_reader(snapshot_db)
    meeting = freeze(con, meeting, by="Emma", now=MIDSUMMER)
    con.close()
    assert meeting.frozen is not None
    assert sorted(meeting.frozen.vintages["befolkningsprognos"]) == ["2021", "2022"]
    with open_writer(snapshot_db) as store:
        store.add_release("befolkningsprognos", frame, {"v": "2024"}, [], labels, "2024")
    con = open_reader(snapshot_db)
    try:
        ids, missing = pinned_releases(con, meeting)
        changes = changes_since(con, meeting)
        vintages = con.execute(
            f"select vintage from release where release_id in ({', '.join(map(str, ids))}) "
            "and series_id = 'befolkningsprognos' order by 1"
        ).fetchall()
    finally:
        con.close()
    assert missing == [] and [v[0] for v in vintages] == ["2021", "2022"]
    new = [c for c in changes if c.series_id == "befolkningsprognos"]
    assert [(c.kind, c.vintage) for c in new] == [("new_vintage", "2024")]
    assert new[0].describe().endswith("ny årgång 2024.")


def test_unfrozen_meeting_has_no_pins(snapshot_db: Path) -> None:
    con = open_reader(snapshot_db)
    try:
        with pytest.raises(MeetingError, match="inte fryst"):
            pinned_releases(con, june())
    finally:
        con.close()
