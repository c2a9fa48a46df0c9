"""The fetch log records the home län an attempt was for: after a switch of home län, the
page Datakällor's "Senaste hämtningsförsök" and `refresh --due` see only the new län's attempts
and those that serve every län.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from stats.catalog.load import Series
from stats.errors import SourceError
from stats.ingest.refresh import run_series
from stats.sources.base import FetchedPart
from stats.store.dbfile import open_reader
from stats.store.read import series_overview
from stats.store.read_runs import due_state
from stats.store.schema import ANY_HOME, use_home
from stats.store.write import open_writer
from tests.store_checks import query
from tests.test_jobtech import write_catalog
from tests.test_store_home import refresh_for, served_regions

T0 = datetime(2026, 11, 27, 3, 15, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def last_attempt(db: Path, home: str, series_id: str) -> tuple[Any, ...] | None:
    """(attempted_at, outcome, message) of the overview row of `series_id` served for `home`,
    None when there is no attempt for that home."""
    con = open_reader(db, home)
    try:
        overview = series_overview(con, [], home=home)
    finally:
        con.close()
    rows = overview[overview["series_id"] == series_id]
    if rows.empty or pd.isna(rows.iloc[0]["attempt_outcome"]):
        return None
    row = rows.iloc[0]
    return (row["attempted_at"].to_pydatetime(), row["attempt_outcome"], row["attempt_message"])


def last_failed(db: Path, home: str) -> dict[str, datetime | None]:
    """series_id → start of its last failed attempt, as `refresh --due` reads it for `home`."""
    con = open_reader(db, home)
    try:
        use_home(con, home)
        return {sid: s.last_failed for sid, s in due_state(con).items()}
    finally:
        con.close()


def log_attempts(db: Path) -> None:
    """Series `s`: failed for 20, then (later) failed for 23; series `all`: failed for every län."""
    with open_writer(db) as store:
        store.log_fetch("s", at(0), ok=False, outcome="failed", message="20", home_region="20")
        store.log_fetch("s", at(5), ok=False, outcome="failed", message="23", home_region="23")
        store.log_fetch("all", at(9), ok=False, outcome="failed", message="*")


def test_attempts_for_23_are_not_shown_as_20s_latest_attempt(tmp_path: Path) -> None:
    db = tmp_path / "stats.duckdb"
    log_attempts(db)
    assert last_attempt(db, "23", "s") == (at(5), "failed", "23")
    assert last_attempt(db, "20", "s") == (at(0), "failed", "20")
    assert last_attempt(db, "09", "s") is None
    # an attempt logged for every län is every län's
    for home in ("20", "23", "09"):
        assert last_attempt(db, home, "all") == (at(9), "failed", "*")
    assert last_failed(db, "20") == {"s": at(0), "all": at(9)}
    assert last_failed(db, "09") == {"all": at(9)}


def failing(series: Series) -> list[FetchedPart]:
    raise SourceError("HTTP 503", series=series.id)


@pytest.mark.parametrize(
    ("regions", "logged"), [('["riket", "hemlan"]', "23"), ('["riket"]', ANY_HOME)]
)
def test_a_failed_attempt_is_logged_for_the_home_it_ran_for(
    tmp_path: Path, regions: str, logged: str
) -> None:
    """A series with a home-relative region set is fetched for one län; one without is every
    län's."""
    db, cat = tmp_path / "stats.duckdb", write_catalog(tmp_path, regions)
    with open_writer(db) as store:
        outcome = run_series(
            store, tmp_path / "raw", {}, cat.get("stock"), failing, now=lambda: T0, home="23"
        )
    assert not outcome.ok
    assert query(db, "select home_region from fetch_log") == [(logged,)]
    assert (last_attempt(db, "20", "stock") is None) == (logged == "23")


def test_a_refresh_for_23_is_no_attempt_for_20(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STATS_HOME_REGION", "23")
    db, cat = tmp_path / "stats.duckdb", write_catalog(tmp_path, '["riket", "hemlan_kommuner"]')
    outcome, _ = refresh_for(db, tmp_path / "raw", cat, "23")
    assert outcome.ok and outcome.new
    assert query(db, "select outcome, home_region from fetch_log") == [("new release", "23")]
    attempt = last_attempt(db, "23", "stock")
    assert attempt is not None and attempt[1] == "new release"
    assert last_attempt(db, "20", "stock") is None
    assert served_regions(db, "20") == []


def make_old_file(db: Path) -> None:
    """Turn a store file into one from before fetch attempts recorded their home län."""
    con = duckdb.connect(str(db))
    try:
        con.execute("drop view serving_fetch_log")
        con.execute("alter table fetch_log drop column home_region")
    finally:
        con.close()


def test_an_old_file_without_the_column_opens_and_migrates(tmp_path: Path) -> None:
    db = tmp_path / "stats.duckdb"
    log_attempts(db)
    make_old_file(db)
    # readers of the old file see every attempt, as before: whose it was is not known
    assert last_attempt(db, "20", "s") == (at(5), "failed", "23")
    assert last_failed(db, "20") == {"s": at(5), "all": at(9)}
    # the next write migrates it; the old attempts stay every län's, new ones are the home's
    with open_writer(db) as store:
        store.log_fetch("s", at(20), ok=False, outcome="failed", message="new", home_region="23")
    homes = query(db, "select message, home_region from fetch_log order by started_at")
    assert homes == [("20", None), ("23", None), ("*", None), ("new", "23")]
    assert last_attempt(db, "23", "s") == (at(20), "failed", "new")
    assert last_attempt(db, "20", "s") == (at(5), "failed", "23")
