"""Shared store checks for the source adapter tests: what the app can show, and clean failures."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import responses

from stats.refresh import Outcome

T = TypeVar("T")

TABLES = ("release", "response", "observation", "label", "latest")


def dump(db: Path, raw: Path | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Everything the app can show: releases, responses, observations, labels, latest.

    With ``raw``, also the raw archive's MANIFEST.jsonl, so nothing may be archived either.
    """
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {t: con.execute(f"select * from {t} order by all").fetchall() for t in TABLES}
    finally:
        con.close()
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
