"""One factory for the standard failure cases of every source adapter.

An adapter's test module describes the adapter once (`Adapter`: how to refresh one series, which
answers load a good release, where a later refresh can be made to fail, its recorded body) and
gets a parametrized test back from `failure_test`. Each case loads one good release, runs a
refresh that meets the fault, and asserts one line naming the series and the expected text, the
store and the raw archive exactly as before, a failed `fetch_log` row, and for the 429 storm
every retry after `Retry-After`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
import responses

from stats.ingest.refresh import Outcome
from tests.store_checks import assert_failed_cleanly, query

Register = Callable[[responses.RequestsMock], None]
Refresh = Callable[[Path, Path], tuple[Outcome, list[float]]]
STANDARD = ("429-storm", "500", "timeout", "truncated", "changed-schema")
RETRY_AFTER = 2.0


class FakeSleep(list[float]):
    """A `sleep` that only records the seconds it was asked to wait."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@dataclass(frozen=True)
class Fault:
    """One bad answer, as `responses` serves it."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | Exception = b""

    def kwargs(self) -> dict[str, Any]:
        return {"status": self.status, "headers": self.headers, "body": self.body}


Serve = Callable[[responses.RequestsMock, str, Fault], None]


@dataclass(frozen=True)
class Endpoint:
    """A registered request, as `responses.RequestsMock.replace` finds it."""

    method: str
    url: str | re.Pattern[str]


@dataclass(frozen=True)
class Adapter:
    """What the standard failure cases need to know about one adapter and one series.

    `refresh(db, raw)` refreshes the series into `db` and returns the outcome and the seconds the
    client slept. `register_ok` answers a first refresh that stores one good release. `serve(rsps,
    case, fault)` answers a later refresh that fetches again, with `fault` at one request whose
    good body is `body()`; `changed()` is that body with a changed schema. `expect` holds the
    message texts for "truncated" and "changed-schema" (and may override the others).
    """

    series_id: str
    refresh: Refresh
    register_ok: Register
    serve: Serve
    body: Callable[[], bytes]
    changed: Callable[[], bytes]
    expect: Mapping[str, str]
    retries: int = 3


def replacing(
    register: Register, at: Endpoint, elsewhere: Mapping[str, Endpoint] | None = None
) -> Serve:
    """`serve` for an adapter whose fault replaces one of `register`'s answers.

    The fault goes to `at`, or to `elsewhere[case]` for the cases named there.
    """

    def serve(rsps: responses.RequestsMock, case: str, fault: Fault) -> None:
        register(rsps)
        where = (elsewhere or {}).get(case, at)
        rsps.replace(where.method, where.url, **fault.kwargs())

    return serve


def standard_fault(adapter: Adapter, case: str) -> tuple[Fault, str]:
    """The fault of one standard case and the text its message must hold."""
    texts = {"429-storm": "HTTP 429", "500": "HTTP 500", "timeout": "timed out"}
    texts.update(adapter.expect)
    if case == "429-storm":
        fault = Fault(429, {"Retry-After": f"{RETRY_AFTER:g}"}, b"Too Many Requests")
    elif case == "500":
        fault = Fault(500, body=b"Internal Server Error")
    elif case == "timeout":
        fault = Fault(body=requests.exceptions.ReadTimeout("read timed out"))
    elif case == "truncated":
        body = adapter.body()
        fault = Fault(body=body[: len(body) // 2])
    else:
        fault = Fault(body=adapter.changed())
    return fault, texts[case]


def refresh_once(
    adapter: Adapter, db: Path, raw: Path
) -> tuple[Outcome, list[requests.PreparedRequest]]:
    """One refresh answered by exactly `register_ok`: the outcome and the requests sent."""
    with responses.RequestsMock() as rsps:
        adapter.register_ok(rsps)
        outcome, _ = adapter.refresh(db, raw)
        return outcome, [c.request for c in rsps.calls]


def load(adapter: Adapter, tmp_path: Path) -> Path:
    """A database in tmp_path holding one good release of the adapter's series."""
    db = tmp_path / "stats.duckdb"
    outcome, _ = refresh_once(adapter, db, tmp_path / "raw")
    assert outcome.ok and outcome.new, outcome
    return db


def failure_test(
    adapter: Adapter, extra: Mapping[str, tuple[Register, str]] | None = None
) -> Callable[[Path, str], None]:
    """A test of the standard cases plus `extra` ones (each: answers, expected message text)."""
    extra = dict(extra or {})

    @pytest.mark.parametrize("case", [*STANDARD, *extra])
    def test(tmp_path: Path, case: str) -> None:
        db, raw = load(adapter, tmp_path), tmp_path / "raw"
        if case in extra:
            register, expected = extra[case]
        else:
            fault, expected = standard_fault(adapter, case)

            def register(rsps: responses.RequestsMock) -> None:
                adapter.serve(rsps, case, fault)

        seen: dict[str, Any] = {}

        def attempt() -> Outcome:
            with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
                register(rsps)
                outcome, seen["sleeps"] = adapter.refresh(db, raw)
                seen["statuses"] = [getattr(c.response, "status_code", None) for c in rsps.calls]
            return outcome

        assert_failed_cleanly(db, adapter.series_id, expected, attempt, raw=raw)
        last = "select ok, outcome from fetch_log order by finished_at desc limit 1"
        assert query(db, last) == [(False, "failed")]
        if case == "429-storm":  # the first try and every retry, each after Retry-After
            assert seen["statuses"].count(429) == 1 + adapter.retries
            assert seen["sleeps"].count(RETRY_AFTER) >= adapter.retries

    return test
