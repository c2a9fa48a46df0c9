"""Frozen is frozen: a frozen meeting shows and exports the same numbers, regions and words
whatever the configuration says later (neighbour list, processor name, home region)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from stats import cli
from stats.config import ROOT
from stats.meetings.files import load_meeting, meeting_path, save_meeting
from stats.meetings.model import changes_since, freeze
from stats.present.spec import ChartSpec
from stats.store.dbfile import open_reader

KONKURSER = ChartSpec(
    indicator="manadsforandring",
    title="Företagskonkurser, Jämtland och grannlänen",
    regions=("hemlan", "grannlan", "riket"),
    filters=(("measure", "konkurser_regionfakta"),),
)


def _freeze_june(db: Path, folder: Path) -> None:
    june = load_meeting(meeting_path(folder, "2024-06-17"))
    june = replace(june, charts=(KONKURSER,), highlights=())
    con = open_reader(db)
    try:
        done = freeze(con, june, by="Emma", now=datetime(2024, 6, 17, 16, 55, tzinfo=UTC))
    finally:
        con.close()
    save_meeting(folder, done, base_revision=june.revision, by="Emma")


def _export(out: Path, *extra: str) -> str:
    args = ["export", "--meeting", "2024-06-17", "--format", "csv", "--out", str(out), *extra]
    assert cli.main(args) == 0
    [csv] = out.glob("*.csv")
    return csv.read_text(encoding="utf-8-sig")


def _other_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Jämtland's neighbours cut to Norrbotten, another processor name, Dalarna as home."""
    text = (ROOT / "src" / "stats" / "regions.toml").read_text(encoding="utf-8")
    start = text.index('[lan."23"]')
    end = text.index("[lan.", start + 1)
    block = text[start:end]
    lines = [
        'neighbours = ["25"]' if line.startswith("neighbours") else line
        for line in block.splitlines()
    ]
    changed = "\n".join(lines).replace("Region Jämtland Härjedalen", "Någon annan") + "\n\n"
    path = tmp_path / "regions.toml"
    path.write_text(text[:start] + changed + text[end:], encoding="utf-8")
    monkeypatch.setenv("STATS_REGIONS_FILE", str(path))
    monkeypatch.setenv("STATS_HOME_REGION", "20")


def test_a_frozen_meeting_exports_the_same_after_the_configuration_changes(
    snapshot_db: Path, meetings: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _freeze_june(snapshot_db, meetings)
    before = _export(tmp_path / "fore")
    # as frozen: Jämtland, its neighbours then (Västernorrland, Västerbotten, Norrbotten …)
    # and Region Jämtland Härjedalen as processor
    assert "Jämtlands län" in before and "Västernorrlands län" in before
    assert "Bearbetning: Region Jämtland Härjedalen" in before
    _other_configuration(tmp_path, monkeypatch)
    assert _export(tmp_path / "efter") == before
    # the current data follow today's configuration, so the check above can fail
    current = _export(tmp_path / "nu", "--current")
    assert current != before and "Dalarnas län" in current
    assert "Region Jämtland Härjedalen" not in current


def test_the_freeze_records_regions_processor_and_definitions(
    snapshot_db: Path, meetings: Path
) -> None:
    _freeze_june(snapshot_db, meetings)
    frozen = load_meeting(meeting_path(meetings, "2024-06-17")).frozen
    assert frozen is not None and frozen.place is not None
    assert frozen.place.home == "23"
    assert frozen.place.processor == "Region Jämtland Härjedalen"
    # Jämtland's neighbours in regions.toml: Västernorrland, Västerbotten, Gävleborg, Dalarna
    assert set(frozen.place.codes("grannlan")) == {"20", "21", "22", "24"}
    assert len(frozen.place.codes("hemlan_kommuner")) == 8
    assert set(frozen.definitions) == {"manadsforandring"}


def test_a_changed_definition_is_listed_as_a_change(
    snapshot_db: Path, meetings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _freeze_june(snapshot_db, meetings)
    june = load_meeting(meeting_path(meetings, "2024-06-17"))
    assert june.frozen is not None
    edited = replace(june.frozen, definitions={"manadsforandring": "000000000000"})
    con = open_reader(snapshot_db)
    try:
        before = changes_since(con, june)
        after = changes_since(con, replace(june, frozen=edited))
    finally:
        con.close()
    assert not [c for c in before if c.kind == "new_definition"]
    [changed] = [c for c in after if c.kind == "new_definition"]
    assert "definition har ändrats" in changed.describe()
