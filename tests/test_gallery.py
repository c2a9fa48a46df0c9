"""The chart gallery: every indicator × slice × region set with data, found by Swedish words."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from stats.analysis.indicators import load_indicators, open_scope
from stats.present.gallery import Entry, draw_many, gallery_entries, read_gallery, search
from stats.present.spec import draw
from stats.store.dbfile import open_reader

BANKRUPTCY_MEASURES = {"konkurser", "anstallda_konkurser", "konkurser_regionfakta"}


@pytest.fixture
def entries(snapshot_db: Path) -> Iterator[list[Entry]]:
    con = open_reader(snapshot_db)
    scope = open_scope(con)
    try:
        yield read_gallery(scope, "23")
    finally:
        scope.close()
        con.close()


def measure(entry: Entry) -> str | None:
    return dict(entry.spec.filters).get("measure")


def test_konkurs_finds_the_bankruptcy_charts_and_only_them(entries: list[Entry]) -> None:
    hits = search(entries, "konkurs")
    # Regionfakta's bankruptcies are the snapshot's only bankruptcy data: by month (home län
    # and riket; all län) and per 1 000 invånare (all län)
    assert {(e.spec.indicator, e.spec.regions) for e in hits} == {
        ("manadsforandring", ("hemlan", "riket")),
        ("manadsforandring", ("riket", "lan")),
        ("jamforelse_per_1000", ("riket", "lan")),
    }
    assert {measure(e) for e in hits} == {"konkurser_regionfakta"}
    assert hits[0].spec.title == "Företagskonkurser (Regionfakta) per månad"


def test_framskrivning_finds_the_projection_chart(entries: list[Entry]) -> None:
    hits = search(entries, "Framskrivning")
    assert [(e.spec.indicator, e.spec.split) for e in hits] == [("prognos_mot_utfall", "vintage")]
    assert dict(hits[0].spec.filters) == {"source_kind": "statistiknyhet"}


def test_search_ignores_case_and_accents(entries: list[Entry]) -> None:
    assert search(entries, "ARBETSLOSHET") == search(entries, "arbetslöshet") != []
    assert search(entries, "foretagskonkurser") == search(entries, "företagskonkurser")
    assert search(entries, "") == entries


def test_only_charts_with_data_are_offered(entries: list[Entry]) -> None:
    # the snapshot holds no vacancies, no BRP per län and no circular economy file
    assert search(entries, "lediga") == []
    assert not {"brp_lan", "cirkular_andel"} & {e.spec.indicator for e in entries}
    # Regionfakta's bankruptcies are per län: no chart of the home län's kommuner
    assert all("hemlan_kommuner" not in e.spec.regions for e in entries)
    for entry in entries:
        assert entry.spec.indicator in load_indicators()


def vacancies(measure: str) -> pd.DataFrame:
    """Rows of manadsforandring for one measure, built by hand for the test (not data): the
    gallery only reads which measures and regions have a value."""
    columns = load_indicators()["manadsforandring"].columns
    rows = [
        {c: None for c in columns}
        | {"measure": measure, "region_code": code, "period": "2024M01", "value": 10.0}
        for code in ("23", "00")
    ]
    return pd.DataFrame(rows, columns=list(columns))


def test_lediga_finds_the_vacancy_charts() -> None:
    frame = pd.concat([vacancies("nya_platser"), vacancies("konkurser")], ignore_index=True)
    offered = gallery_entries({"manadsforandring": frame}, "23")
    hits = search(offered, "lediga")
    assert {measure(e) for e in hits} == {"nya_platser"}
    assert hits[0].spec.title == "Nya lediga platser per månad"
    assert {measure(e) for e in search(offered, "konkurs")} == {"konkurser"}


def test_a_slice_without_values_is_not_offered() -> None:
    empty = vacancies("varsel").assign(value=None)
    assert gallery_entries({"manadsforandring": empty}, "23") == []


def test_drawing_many_at_once_draws_each_as_alone(snapshot_db: Path) -> None:
    con = open_reader(snapshot_db)
    try:
        scope = open_scope(con)
        specs = [e.spec for e in read_gallery(scope, "23")]
        alone = [draw(scope, spec, "23") for spec in specs]
        scope.close()
        scope = open_scope(con)
        together = draw_many(scope, specs, "23")
        scope.close()
    finally:
        con.close()
    assert len(together) == len(alone) == 25
    for one, many in zip(alone, together, strict=True):
        pd.testing.assert_frame_equal(one.frame, many.frame)
        assert one.metas == many.metas
