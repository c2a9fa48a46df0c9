"""The SCB client against a real HTTP server on 127.0.0.1 that enforces its own /config limits.

The fake (tests/fake_pxweb.py) serves the recorded TAB6471 bodies, slices them to each POSTed
selection and answers 429 beyond its limits. The rate windows are scaled down to keep CI fast:
30 calls per 3 s stands for SCB's 30 per 10 s, and 10 calls per 1 s for "10 calls per 10 s";
the client reads whichever it is told. These tests take about 20 s in all (marked `slow`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from stats.catalog.load import Catalog
from stats.ingest.refresh import Outcome, refresh
from stats.sources.pxweb.scb_source import ScbSource
from stats.store.write import open_writer
from tests.fake_pxweb import FakePxWeb, running, slice_cube
from tests.fixture_files import load_fixture
from tests.load_run import client_for, load_catalog_for_fake, run_load
from tests.store_checks import dump, query

pytestmark = pytest.mark.slow

# (maxCallsPerTimeWindow, timeWindow): SCB's 30/10 s scaled to 3 s, and a stricter 10/1 s
LIMITS = [pytest.param(30, 3.0, id="30-per-3s"), pytest.param(10, 1.0, id="10-per-1s")]
SERIES = "load_23_24_25_0_49"


def failed(outcomes: list[Outcome]) -> list[str]:
    return [f"{o.series_id}: {o.message}" for o in outcomes if not o.ok]


@pytest.mark.parametrize(("max_calls", "window"), LIMITS)
def test_paced_refresh_gets_no_429_and_uses_most_of_the_limit(
    tmp_path: Path, max_calls: int, window: float
) -> None:
    with running(max_calls=max_calls, window=window, max_cells=80) as fake:
        run = run_load(fake, tmp_path / "db.duckdb", tmp_path / "raw", client_for(fake))
        posts = [c for c in fake.calls if c.method == "POST"]
    assert not failed(run.outcomes)
    assert run.calls >= 40 and len(posts) == 42  # 14 series, each split in 3 by maxDataCells
    assert run.too_many == 0, "our pacing caused 429s"
    # The client counts 29 per window by send time; the server, by arrival, may see 30 (the
    # first call also opens the connection, so it arrives later than the rest would). That is
    # what the client's reserve of one call is for.
    assert run.peak <= max_calls
    # a floor, not the benchmark (bench/refresh.py): far slower would mean a hard-coded limit
    assert run.utilisation >= 0.5, f"{run.rate:.2f} calls/s of {run.allowed_rate:.2f} allowed"


def test_without_pacing_the_fake_answers_429(tmp_path: Path) -> None:
    max_calls = 30  # SCB's shape, 30 per 3 s: the unpaced client sends faster than 10 a second
    with running(max_calls=max_calls, window=3.0, max_cells=80) as fake:
        client = client_for(fake, paced=False, max_retries=5)
        run = run_load(fake, tmp_path / "db.duckdb", tmp_path / "raw", client)
    assert run.too_many > 0, "the fake did not enforce its limit"
    assert run.peak <= max_calls  # and it never admitted more than its limit
    assert not failed(run.outcomes)  # Retry-After was honoured, so everything still arrived


def test_sliced_responses_hold_exactly_the_recorded_numbers(tmp_path: Path) -> None:
    db = tmp_path / "db.duckdb"
    with running(max_calls=1000, window=1.0, max_cells=80) as fake:
        run_load(fake, db, tmp_path / "raw", client_for(fake))
    cube = json.loads(load_fixture("scb/TAB6471_data.json"))
    whole = slice_cube(
        cube, {"selection": [{"variableCode": d, "valueCodes": ["*"]} for d in cube["id"]]}, 10**6
    )
    assert whole["value"] == cube["value"]
    [(count, total)] = query(db, "select count(*), sum(value) from latest")
    assert count == 21 * 11 * 3 * 4  # every recorded cell, once, across the 14 series
    assert total == sum(v for v in cube["value"] if v is not None)


def _one_series(fake: FakePxWeb, tmp_path: Path, **http: Any) -> Outcome:
    catalog = load_catalog_for_fake()
    only = Catalog(series={SERIES: catalog.get(SERIES)}, paths=catalog.paths)
    client = client_for(fake, **http)
    with open_writer(tmp_path / "db.duckdb") as store:
        [outcome] = refresh(
            store, tmp_path / "raw", only, [SERIES], {"scb": ScbSource(client)}, "23"
        )
    return outcome


def test_a_5xx_is_retried_and_a_persistent_one_fails_cleanly(tmp_path: Path) -> None:
    with running(max_calls=1000, window=1.0) as fake:
        fake.faults.server_errors = 1
        assert _one_series(fake, tmp_path).ok
        assert fake.statuses(503) == 1
        before = dump(tmp_path / "db.duckdb")
        fake.faults.server_errors = 100
        outcome = _one_series(fake, tmp_path, max_retries=1)
    assert (
        not outcome.ok and "HTTP 503" in outcome.message and "after 2 attempts" in outcome.message
    )
    assert dump(tmp_path / "db.duckdb") == before


def test_a_cut_body_is_retried_and_a_persistent_one_fails_cleanly(tmp_path: Path) -> None:
    with running(max_calls=1000, window=1.0) as fake:
        fake.faults.cut_bodies = 1
        assert _one_series(fake, tmp_path).ok
        fake.faults.cut_bodies = 100
        outcome = _one_series(fake, tmp_path, max_retries=1)
    assert not outcome.ok and "incomplete body" in outcome.message


def test_a_slow_body_is_waited_for_within_the_timeout_and_fails_beyond_it(tmp_path: Path) -> None:
    with running(max_calls=1000, window=1.0) as fake:
        fake.faults.slow_body = 0.3
        assert _one_series(fake, tmp_path, timeout=5.0).ok
        outcome = _one_series(fake, tmp_path, timeout=0.1, max_retries=0)
    assert not outcome.ok and "timed out" in outcome.message


def test_a_changed_dimension_fails_before_anything_is_written(tmp_path: Path) -> None:
    with running(max_calls=1000, window=1.0) as fake:
        fake.faults.renamed = {"Kon": "Kön"}
        outcome = _one_series(fake, tmp_path)
        posts = [c for c in fake.calls if c.method == "POST"]
    assert not outcome.ok and "'Kon'" in outcome.message and "Kön" in outcome.message
    assert posts == []  # the metadata check stopped it before any data call
    assert dump(tmp_path / "db.duckdb")["release"] == []
