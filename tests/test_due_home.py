"""`stats refresh --due` after a switch of home län: a scheduled run records the län it ran for,
and only runs for the configured home count as "fetched since" (and as Datakällor's last run).

SCB runs end to end against the loopback fake PxWebApi 2 (tests/fake_pxweb.py) with a
test-only catalog: TAB6471 for the home län (`hemlan`), so each län gets its own release.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from stats.catalog.load import Catalog, load_catalog
from stats.ingest.due import DueRun, refresh_due
from stats.sources.pxweb.scb_source import ScbSource
from stats.store.dbfile import open_reader
from stats.store.read_runs import last_run
from stats.store.write import open_writer
from tests.fake_pxweb import FakePxWeb, running
from tests.load_run import client_for
from tests.store_checks import query

SERIES = "home_0_49"
NIGHT = datetime(2026, 6, 16, 1, 15, tzinfo=UTC)  # 03:15 in Stockholm
HOME_CATALOG = f"""
[series.{SERIES}]
title = "Test: hemlänet, ålder 0-49"
unit = "personer"
frequency = "month"
regions = ["hemlan"]
dims = ["Alder", "Kon"]

[[series.{SERIES}.parts]]
source = "scb"
table = "TAB6471"
query.Alder = {{ codelist = "agg_Ålder10årJ", values = ["0-9", "10-19", "20-29", "30-39", \
"40-49"], output_values = "aggregated" }}
query.Kon = ["*"]
query.ContentsCode = ["000007SF"]
query.Tid = ["2026M01", "2026M02", "2026M03", "2026M04"]
"""


def home_catalog(tmp_path: Path) -> Catalog:
    path = tmp_path / "home.toml"
    path.write_text(HOME_CATALOG, encoding="utf-8")
    return load_catalog(path)


def run_for(fake: FakePxWeb, db: Path, home: str, night: int) -> DueRun:
    """One `--due` run of SERIES for `home`, `night` days after NIGHT."""
    sources = {"scb": ScbSource(client_for(fake, max_retries=0))}
    with open_writer(db) as store:
        return refresh_due(
            store, db.parent / "raw", home_catalog(db.parent), [SERIES], sources, home,
            now=lambda: NIGHT + timedelta(days=night), log_file=db.parent / "refresh.log",
        )  # fmt: skip


def test_a_run_for_23_does_not_make_01s_release_fetched_since(tmp_path: Path) -> None:
    db = tmp_path / "stats.duckdb"
    with running(max_calls=1000, window=1.0, max_cells=80) as fake:
        first_01 = run_for(fake, db, "01", 0)
        fake.updated = "2026-06-17T10:00:00Z"  # SCB updates the table at noon on the 17th
        first_23 = run_for(fake, db, "23", 2)  # fetches after the update, for 23 only
        again_01 = run_for(fake, db, "01", 3)
        again_23 = run_for(fake, db, "23", 4)
    assert [r.decisions[0].reason for r in (first_01, first_23)] == ["no release stored yet"] * 2
    assert [(o.ok, o.new) for o in first_23.outcomes] == [(True, True)]
    # 01's release is from before the update; 23's run at 2026-06-18 03:15 fetched only 23
    assert again_01.decisions[0].due
    assert again_01.decisions[0].reason == (
        "TAB6471 updated 2026-06-17T12:00 > stored 2026-06-08T08:00"
    )
    assert not again_23.decisions[0].due
    assert again_23.decisions[0].reason.startswith("TAB6471 updated 2026-06-17T12:00 = stored")
    runs = query(db, "select home_region from refresh_run order by started_at")
    assert runs == [("01",), ("23",), ("01",), ("23",)]


def test_the_last_run_is_the_home_lans(tmp_path: Path) -> None:
    db = tmp_path / "stats.duckdb"
    with open_writer(db) as store:
        for day, home in enumerate(["01", "23"]):
            at = NIGHT + timedelta(days=day)
            store.log_run(at, at, checked=5 + day, due=0, fetched=[], failures=[], home_region=home)
    for home, checked in [("01", 5), ("23", 6), ("20", None)]:
        con = open_reader(db, home)
        try:
            run = last_run(con, home)
        finally:
            con.close()
        assert (run.checked if run else None) == checked, home


def test_runs_of_an_old_file_count_for_every_home(tmp_path: Path) -> None:
    db = tmp_path / "stats.duckdb"
    with open_writer(db) as store:
        store.log_run(NIGHT, NIGHT, checked=7, due=0, fetched=[], failures=[], home_region="23")
    con = duckdb.connect(str(db))  # as written before runs recorded their home län
    try:
        con.execute("drop view serving_refresh_run")
        con.execute("alter table refresh_run drop column home_region")
    finally:
        con.close()

    def checked(home: str) -> int | None:
        con = open_reader(db, home)
        try:
            run = last_run(con, home)
        finally:
            con.close()
        return run.checked if run else None

    assert checked("01") == 7
    later = NIGHT + timedelta(days=1)
    with open_writer(db) as store:  # the next write migrates the file
        store.log_run(later, later, checked=8, due=0, fetched=[], failures=[], home_region="23")
    assert query(db, "select checked, home_region from refresh_run order by all") == [
        (7, None),
        (8, "23"),
    ]
    assert (checked("01"), checked("23")) == (7, 8)
