"""Read side of the store: stored responses, scope views and comparisons between releases."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd

from stats.config import ROOT
from stats.store import read_versions as versions
from stats.store.dbfile import open_reader
from stats.store.read import create_scope_views, latest_releases, latest_responses, scope_series
from stats.store.write import open_writer

DIMS = '{"Kon": "TotSa"}'
LABELS = pd.DataFrame({"dimension": ["Kon"], "code": ["TotSa"], "label": ["totalt"]})


def _frame(values: dict[tuple[str, str], float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region_code": [r for r, _ in values],
            "period": [p for _, p in values],
            "dims": [DIMS] * len(values),
            "value": list(values.values()),
            "status": [None] * len(values),
            "preliminary": [False] * len(values),
        }
    )


def _two_releases(db: Path) -> tuple[int, int]:
    """Release 1 and a release 2 that revises 23/2024M02 (110 → 112) and adds 2024M03."""
    first = {("23", "2024M01"): 100.0, ("23", "2024M02"): 110.0, ("01", "2024M02"): 50.0}
    second = {**first, ("23", "2024M02"): 112.0, ("23", "2024M03"): 115.0}
    with open_writer(db) as store:
        old = store.add_release("x", _frame(first), {"title": "Serie X"}, [], LABELS)
        new = store.add_release("x", _frame(second), {"title": "Serie X, ny"}, [], LABELS)
    return old.release_id, new.release_id


def test_latest_responses_are_the_snapshot_manifest(snapshot_db: Path) -> None:
    manifest = tomllib.loads((ROOT / "data" / "snapshot" / "MANIFEST.toml").read_text("utf-8"))
    listed = {r["series"] for r in manifest["response"]}
    con = open_reader(snapshot_db)
    try:
        every = latest_responses(con)
        kommun = latest_responses(con, "folkmangd_kommun_2020")
        status = latest_releases(con)
    finally:
        con.close()
    assert {sid for sid, _ in every} == listed
    assert [sid for sid, _ in every] == sorted(sid for sid, _ in every)
    assert [r.part for _, r in kommun] == [0, 1, 2]
    assert {r.table_id for _, r in kommun} == {"regionjh_folkmangd_kommun_kon_2020"}
    assert {r.sha256 for _, r in kommun} == {
        "951c25ecd6d22fee0127fcf67eccb6389b8c21200a42e78cdbb1f27368f6ff7d"
    }
    assert [row[0] for row in status] == sorted(listed)


def test_two_releases_differ_by_one_revision_and_one_new_month(tmp_path: Path) -> None:
    db = tmp_path / "read.duckdb"
    old, new = _two_releases(db)
    con = open_reader(db)
    try:
        assert versions.revised_values(con, old, new, "23") == [
            ("23", "2024M02", {"Kon": "TotSa"}, 110.0, 112.0)
        ]
        assert versions.new_periods(con, old, new) == ["2024M03"]
        assert versions.new_periods(con, new, old) == []
        by_content = versions.release_ids_by_content(con)
        assert sorted(by_content.values()) == [old, new]
        pins = versions.latest_content(con, ["x", "absent"])
        assert list(pins) == ["x"] and by_content[("x", pins["x"])] == new
        assert [r[:2] for r in versions.current_releases(con, "x", per_vintage=False)] == [
            (None, new)
        ]
        assert versions.newest_meta(con, "x") == {"title": "Serie X, ny"}
        assert versions.newest_meta(con, "absent") == {}
    finally:
        con.close()


def test_vintages_are_read_one_by_one(tmp_path: Path) -> None:
    db = tmp_path / "read.duckdb"
    frame = _frame({("23", "2040"): 130000.0})
    with open_writer(db) as store:
        ids = [
            store.add_release("prognos", frame, {"v": v}, [], LABELS, v).release_id
            for v in ("2022", "2021")
        ]
    con = open_reader(db)
    try:
        current = versions.current_releases(con, "prognos", per_vintage=True)
        pins = versions.vintage_content(con, ["prognos"])
    finally:
        con.close()
    assert [(v, r) for v, r, _, _ in current] == [("2021", ids[1]), ("2022", ids[0])]
    assert list(pins["prognos"]) == ["2021", "2022"]


def test_scope_views_read_only_the_given_releases(tmp_path: Path) -> None:
    db = tmp_path / "read.duckdb"
    old, new = _two_releases(db)
    con = open_reader(db)
    try:
        for releases, expected in ((None, 112.0), ([old], 110.0)):
            scope = con.cursor()
            create_scope_views(scope, releases)
            row = scope.execute(
                "select value from obs where region_code = '23' and period = '2024M02'"
            ).fetchone()
            assert row == (expected,) and scope_series(scope) == {"x"}
            scope.close()
        empty = con.cursor()
        create_scope_views(empty, [])
        assert scope_series(empty) == set()
        empty.close()
    finally:
        con.close()
    assert new > old
