"""Shared store checks for the source adapter tests: what the app can show, and clean failures."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd
import responses

from stats.ingest.refresh import Outcome
from stats.store.dbfile import open_reader
from stats.store.write import open_writer

T = TypeVar("T")

TABLES = ("release", "response", "observation", "label", "latest")


def query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    """The rows of one query against `db`, opened read-only and closed again."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def dump(db: Path, raw: Path | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Everything the app can show: releases, responses, observations, labels, latest.

    With ``raw``, also the raw archive's MANIFEST.jsonl, so nothing may be archived either.
    """
    out = {t: query(db, f"select * from {t} order by all") for t in TABLES}
    if raw is not None:
        out["raw_manifest"] = [((raw / "MANIFEST.jsonl").read_text(),)]
    return out


def assert_failed_cleanly(
    db: Path,
    series_id: str,
    expected: str,
    run: Callable[[], Outcome],
    raw: Path | None = None,
) -> Outcome:
    """Run a refresh that must fail: one line naming the series and `expected`, store untouched.

    ``raw`` is passed on to `dump`, to hold the raw manifest unchanged as well.
    """
    before = dump(db, raw)
    outcome = run()
    assert not outcome.ok, outcome
    assert outcome.message.startswith(f"series '{series_id}': "), outcome.message
    assert expected in outcome.message, outcome.message
    assert "\n" not in outcome.message, outcome.message
    assert dump(db, raw) == before
    return outcome


def replay(register: Callable[[responses.RequestsMock], None], call: Callable[[], T]) -> T:
    """``call()`` against the responses ``register`` sets up, offline; not all need be asked."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        register(rsps)
        return call()


def add_release(
    db: Path,
    series_id: str,
    revise: dict[tuple[str, str], float] | None = None,
    new_period: str | None = None,
) -> None:
    """A refresh-like new release: the latest one with revised values and a copied new month."""
    con = open_reader(db)
    try:
        release_id, meta = con.execute(
            "select release_id, meta from latest_release where series_id = ?", [series_id]
        ).fetchone() or (None, None)
        frame = con.execute(
            "select region_code, period, dims, value, status, preliminary from observation "
            "where release_id = ?",
            [release_id],
        ).df()
        labels = con.execute(
            "select dimension, code, label from label where release_id = ?", [release_id]
        ).df()
    finally:
        con.close()
    for (region, period), value in (revise or {}).items():
        frame.loc[(frame["region_code"] == region) & (frame["period"] == period), "value"] = value
    if new_period:
        last = frame[frame["period"] == frame["period"].max()].assign(period=new_period)
        frame = pd.concat([frame, last], ignore_index=True)
    with open_writer(db) as store:
        result = store.add_release(series_id, frame, json.loads(str(meta)), [], labels)
    assert result.new
