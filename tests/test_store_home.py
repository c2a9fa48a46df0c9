"""The store knows whom it fetched for: a switch of home län serves nothing of the old län's.

The refreshes use the JobTech JobSearch adapter answered offline by test_jobtech's SHAPE
FIXTURE (`envelope`/`default_counts`: the real recorded envelope with illustrative counts per
geography); such values never enter data/ or the app. The series is declared
riket + hemlan + hemlan_kommuner, so its content depends on the home län.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
import responses
import streamlit as st
from streamlit.testing.v1 import AppTest

from stats.catalog.load import Catalog, load_catalog
from stats.cli import main
from stats.config import ROOT
from stats.ingest.home import served_home
from stats.ingest.refresh import Outcome, refresh
from stats.ingest.snapshot import load_snapshot, write_snapshot
from stats.regions import load_regions
from stats.sources.jobtech.search import JobtechSearchSource
from stats.store.dbfile import open_reader
from stats.store.read import latest_releases, series_frame, series_overview, series_with_data
from stats.store.schema import ANY_HOME
from stats.store.write import open_writer
from tests.conftest import LOADED_AT
from tests.test_jobtech import JOBSEARCH, FakeTime, at, client, default_counts, params_of_req
from tests.test_jobtech import write_catalog as jobtech_catalog
from tests.test_pages import normalise

REGIONS = load_regions()
SNAPSHOT = ROOT / "data" / "snapshot"
JAMTLAND = ("23", *REGIONS.kommuner["23"])
DALARNA = ("20", *REGIONS.kommuner["20"])


def fixed() -> datetime:
    return LOADED_AT


def catalog(tmp_path: Path) -> Catalog:
    return jobtech_catalog(tmp_path, '["riket", "hemlan", "hemlan_kommuner"]')


def refresh_for(
    db: Path, raw: Path, cat: Catalog, home: str, series: str = "stock"
) -> tuple[Outcome, list[str]]:
    """One offline refresh of `series` for `home`: (outcome, the geography codes asked for)."""
    clock = FakeTime(at("2026-11-27"))
    sources = {"jobtech_search": JobtechSearchSource(client("jobtech_search", clock))}
    with responses.RequestsMock() as rsps:
        rsps.add_callback(
            responses.GET, JOBSEARCH, callback=lambda r: default_counts(params_of_req(r))
        )
        with open_writer(db) as store:
            [outcome] = refresh(store, raw, cat, [series], sources, home=home)
        asked = [
            params_of_req(c.request).get("region") or params_of_req(c.request).get("municipality")
            for c in rsps.calls
        ]
    return outcome, [a for a in asked if a]


def read(db: Path, home: str, sql: str) -> list[tuple[Any, ...]]:
    """Rows of `sql` on a reader serving `home`."""
    con = open_reader(db, home)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def missing(value: Any) -> bool:
    """None or NaN (a column pandas filled for a row without a release)."""
    return value is None or value != value


def served_regions(db: Path, home: str) -> list[str]:
    rows = read(db, home, "select distinct region_code from latest order by 1")
    return [str(r[0]) for r in rows]


@pytest.fixture
def fetched_for_23(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Catalog]:
    monkeypatch.setenv("STATS_HOME_REGION", "23")
    db, cat = tmp_path / "stats.duckdb", catalog(tmp_path)
    outcome, asked = refresh_for(db, tmp_path / "raw", cat, "23")
    assert outcome.ok and outcome.new, outcome
    assert asked == list(JAMTLAND)
    return db, cat


def test_a_release_records_the_home_it_was_fetched_for(
    fetched_for_23: tuple[Path, Catalog],
) -> None:
    db, _ = fetched_for_23
    assert read(db, "23", "select series_id, home_region from release") == [("stock", "23")]
    assert served_regions(db, "23") == ["00", *sorted(JAMTLAND)]


def test_after_a_switch_nothing_of_the_old_lan_is_served(
    fetched_for_23: tuple[Path, Catalog], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, _ = fetched_for_23
    monkeypatch.setenv("STATS_HOME_REGION", "20")
    assert served_regions(db, "20") == []
    con = open_reader(db)  # the configured home, now 20
    try:
        assert series_with_data(con) == set()
        assert series_frame(con, "stock", list(JAMTLAND), {}).empty
        assert latest_releases(con) == []
        [row] = series_overview(con, []).to_dict("records")
    finally:
        con.close()
    # Datakällor: no release for 20, one kept for 23
    assert row["series_id"] == "stock" and missing(row["release_id"])
    assert row["other_homes"] == "23"
    # the 23 release is still in the store
    assert read(db, "20", "select count(*) from release") == [(1,)]


def test_a_refresh_after_the_switch_fetches_the_new_lan_without_a_wipe(
    fetched_for_23: tuple[Path, Catalog], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, cat = fetched_for_23
    before = read(db, "23", "select region_code, period, dims, value from latest order by all")
    monkeypatch.setenv("STATS_HOME_REGION", "20")
    outcome, asked = refresh_for(db, tmp_path / "raw", cat, "20")
    # a new release, fetched in full for 20 (nothing of 23's reused as "previous")
    assert outcome.ok and outcome.new, outcome
    assert asked == list(DALARNA)
    assert served_regions(db, "20") == ["00", *sorted(DALARNA)]
    homes = read(db, "20", "select release_id, home_region from release order by 1")
    assert homes == [(1, "23"), (2, "20")]
    # (c) back to 23: its release is served again, with no fetch at all
    monkeypatch.setenv("STATS_HOME_REGION", "23")
    with responses.RequestsMock() as rsps:
        after = read(db, "23", "select region_code, period, dims, value from latest order by all")
        assert not rsps.calls
    assert after == before
    assert read(db, "23", "select release_id from latest_release") == [(1,)]
    # and a refresh for 23 compares with 23's release: unchanged, no third release
    again, _ = refresh_for(db, tmp_path / "raw", cat, "23")
    assert again.ok and not again.new and again.release_id == 1


def test_served_home_is_the_lan_whose_sets_hold_the_content(tmp_path: Path) -> None:
    stock = catalog(tmp_path).get("stock")
    assert served_home(stock, ["00", *JAMTLAND], "23") == "23"
    # content recorded for 23 stays 23's whatever the configured home
    assert served_home(stock, ["00", *JAMTLAND], "20") == "23"
    assert served_home(stock, ["00"], "20") == ANY_HOME
    # the 21 län without kommuner serve every home when the län are declared fixed
    folkmangd = load_catalog().get("folkmangd_manad")
    assert served_home(folkmangd, list(REGIONS.lan_codes), "20") == ANY_HOME
    assert served_home(folkmangd, [*REGIONS.lan_codes, "0980"], "20") == "09"
    # a series without home-relative sets serves every home
    assert served_home(load_catalog().get("folkmangd_31dec_lan"), ["00", "23"], "20") == ANY_HOME


def test_the_embedded_snapshot_serves_every_home(
    snapshot_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert read(snapshot_db, "23", "select distinct home_region from release") == [(ANY_HOME,)]
    for home in ("23", "20", "09"):
        con = open_reader(snapshot_db, home)
        try:
            assert "folkmangd_manad" in series_with_data(con), home
        finally:
            con.close()


def test_the_snapshot_load_stamps_the_home(
    fetched_for_23: tuple[Path, Catalog], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, cat = fetched_for_23
    snapshot = tmp_path / "snapshot"
    snapshot.mkdir()
    with open_writer(db) as store:
        assert write_snapshot(store, tmp_path / "raw", snapshot) == len(JAMTLAND) + 1
    for home in ("23", "20"):
        monkeypatch.setenv("STATS_HOME_REGION", home)
        fresh = tmp_path / f"load-{home}.duckdb"
        with open_writer(fresh) as store:
            [outcome] = load_snapshot(
                store, tmp_path / "raw2", cat, snapshot, now=lambda: LOADED_AT
            )
        assert outcome.ok and outcome.new, outcome
        # recorded for 23: stamped 23, so a deployment for 20 does not serve it as its own
        assert read(fresh, home, "select home_region from release") == [("23",)]
        assert served_regions(fresh, home) == ([] if home == "20" else ["00", *sorted(JAMTLAND)])


def make_old_file(db: Path) -> None:
    """Turn a store file into one from before releases recorded their home län."""
    con = duckdb.connect(str(db))
    try:
        for view in ("latest", "latest_release", "vintage_release", "serving_release"):
            con.execute(f"drop view {view}")
        con.execute("alter table release drop column home_region")
        con.execute(
            "create view latest_release as select * from release qualify row_number() "
            "over (partition by series_id order by release_id desc) = 1"
        )
        con.execute(
            "create view latest as select r.series_id, o.* "
            "from observation o join latest_release r using (release_id)"
        )
    finally:
        con.close()


def test_an_old_file_opens_and_is_migrated(
    fetched_for_23: tuple[Path, Catalog], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, cat = fetched_for_23
    make_old_file(db)
    columns = read(db, "23", "select column_name from information_schema.columns "
                   "where table_name = 'release'")  # fmt: skip
    assert ("home_region",) not in columns
    # readers of the old file work as before: every release is served, homes unknown
    con = open_reader(db, "20")
    try:
        assert series_with_data(con) == {"stock"}
        assert [r[-1] for r in latest_releases(con)] == [None]
        assert series_overview(con, [])["home_region"].isna().all()
    finally:
        con.close()
    # the next refresh (here for 20) migrates the file and stamps the old release as 23's
    monkeypatch.setenv("STATS_HOME_REGION", "20")
    outcome, asked = refresh_for(db, tmp_path / "raw", cat, "20")
    assert outcome.ok and outcome.new and asked == list(DALARNA)
    homes = read(db, "20", "select release_id, home_region from release order by 1")
    assert homes == [(1, "23"), (2, "20")]
    assert served_regions(db, "23") == ["00", *sorted(JAMTLAND)]


def test_load_snapshot_migrates_an_old_file(snapshot_db: Path, tmp_path: Path) -> None:
    make_old_file(snapshot_db)
    with open_writer(snapshot_db) as store:
        outcomes = load_snapshot(store, tmp_path / "raw3", load_catalog(), SNAPSHOT, now=fixed)
    assert outcomes and not any(o.new for o in outcomes)
    assert read(snapshot_db, "20", "select distinct home_region from release") == [(ANY_HOME,)]


def test_datakallor_and_status_say_whom_a_release_was_fetched_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "stats.duckdb"  # STATS_DB (tests/conftest.py)
    outcome, _ = refresh_for(db, tmp_path / "raw", load_catalog(), "23", "lediga_annonser_dag")
    assert outcome.ok and outcome.new
    title = "Publicerade annonser och platser i Platsbanken per dag"
    for home, expected in (
        ("23", "2026-11-27 för Jämtlands län"),
        ("20", "Inte hämtad för Dalarnas län; finns för Jämtlands län"),
    ):
        # a switch is a new app process (the setting is its environment): no cached reads
        st.cache_data.clear()
        monkeypatch.setenv("STATS_HOME_REGION", home)
        at = AppTest.from_file(str(ROOT / "src/stats/app/pages/kallor.py"), default_timeout=30)
        at.run()
        assert not at.exception
        tables = pd.concat([t.value for t in at.table], ignore_index=True).set_index("Serie")
        assert normalise(tables.loc[title, "Hämtad"]) == expected, home
    assert main(["status"]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert "hemlän Dalarnas län" in printed
    assert "lediga_annonser_dag: inte hämtad för Dalarnas län, bara för Jämtlands län" in printed


def test_a_due_run_after_a_switch_fetches_for_the_new_home_the_same_day(tmp_path: Path) -> None:
    """JobTech is due once a day; a fetch for 23 this morning is not a fetch for 20."""
    from stats.ingest.due import refresh_due

    db, raw, cat = tmp_path / "db.duckdb", tmp_path / "raw", catalog(tmp_path)
    refresh_for(db, raw, cat, "23")
    clock = FakeTime(at("2026-11-27"))
    sources = {"jobtech_search": JobtechSearchSource(client("jobtech_search", clock))}
    runs = {}
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add_callback(
            responses.GET, JOBSEARCH, callback=lambda r: default_counts(params_of_req(r))
        )
        for home in ("23", "20"):
            with open_writer(db) as store:
                runs[home] = refresh_due(
                    store, raw, cat, ["stock"], sources, home,
                    now=lambda: at("2026-11-27") , log_file=tmp_path / "refresh.log",
                )  # fmt: skip
    assert not runs["23"].decisions[0].due
    assert runs["20"].decisions[0].due and [o.ok for o in runs["20"].outcomes] == [True]
    assert {r[0] for r in read(db, "20", "select distinct region_code from latest")} >= set(DALARNA)
