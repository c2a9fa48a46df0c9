"""Shared HTTP for every source: User-Agent, timeouts, sliding-window pacing, bounded retries.

429 waits `Retry-After`; 5xx, timeouts and connection errors back off exponentially; other 4xx
become ApiProblem with the API's problem+json title and detail. Nothing here parses data.
"""

from __future__ import annotations

import email.utils
import json
import logging
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypedDict

import requests

from stats.config import USER_AGENT
from stats.errors import ApiProblem, RateLimited, SchemaChanged, SourceError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RawResponse:
    """One undecoded data response plus what was asked for, for the snapshot and its manifest."""

    url: str
    method: str
    request_body: str
    content: bytes
    status: int
    fetched_at: datetime

    @classmethod
    def of(
        cls, resp: requests.Response, method: str, body: str = "", at: datetime | None = None
    ) -> RawResponse:
        """Keep a response whole, stamped `at` (default: now) for the archive and the snapshot."""
        fetched_at = at or datetime.now(UTC)
        return cls(resp.url, method, body, resp.content, resp.status_code, fetched_at)


@dataclass(frozen=True)
class RateLimit:
    """At most `max_calls` calls in any `window` seconds."""

    max_calls: int
    window: float

    @classmethod
    def with_reserve(cls, allowed: int, window: float) -> RateLimit:
        """The API's own limit less one call, for clock skew against the server's window."""
        return cls(allowed - 1 if allowed > 3 else allowed, window)


class HttpOptions(TypedDict, total=False):
    """HttpClient's transport settings, which each source's client takes and passes on as is."""

    session: requests.Session | None
    timeout: float
    max_retries: int
    sleep: Callable[[float], None]
    clock: Callable[[], float]


class HttpClient:
    """One API's base URL with pacing and retries; sources wrap it with their endpoints."""

    def __init__(
        self,
        base_url: str,
        *,
        default_params: Mapping[str, str] | None = None,
        rate: RateLimit | None = None,
        session: requests.Session | None = None,
        timeout: float = 30.0,
        max_retries: int = 3,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.default_params = dict(default_params or {})
        self.rate = rate
        self.session = session or requests.Session()
        self.timeout = timeout
        self.max_retries = max_retries
        self._sleep = sleep
        self._clock = clock
        self._calls: deque[float] = deque()

    def request(
        self,
        method: str,
        path: str,
        params: Mapping[str, str] | None = None,
        body: str = "",
        *,
        series: str = "",
        table: str = "",
        not_found: str = "",
    ) -> requests.Response:
        """Send one call, paced and retried; return a 2xx response or raise a SourceError."""
        url = path if path.startswith("http") else self.base_url + path
        call = _Call(method, url, {**self.default_params, **(params or {})}, body, series, table)
        for attempt in range(self.max_retries + 1):
            retries_left = attempt < self.max_retries
            try:
                resp = self._send(call)
            except _TRANSIENT as exc:
                kind = _failure_kind(exc)
                if not retries_left:
                    raise call.error(
                        f"{method} {url} {kind} after {attempt + 1} attempts"
                        f" ({self.timeout:g} s timeout each): {exc}",
                        url=url,
                    ) from exc
                log.warning("%s%s %s %s, retrying", call.where, method, url, kind)
                self._sleep(2**attempt)
                continue
            if resp.status_code < 400:
                return resp
            delay = self._retry_delay(resp, attempt) if retries_left else None
            if delay is None:
                raise call.http_error(resp, attempt, not_found)
            log.warning(
                "%sHTTP %d from %s, retrying in %g s", call.where, resp.status_code, resp.url, delay
            )
            self._sleep(delay)
        raise AssertionError("unreachable: the retry loop always returns or raises")

    def _send(self, call: _Call) -> requests.Response:
        """One paced attempt of `call`."""
        self._pace()
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if call.body:
            headers["Content-Type"] = "application/json; charset=utf-8"
        resp = self.session.request(
            call.method,
            call.url,
            params=call.params,
            data=call.body.encode("utf-8") if call.body else None,
            headers=headers,
            timeout=self.timeout,
        )
        log.debug("%s %s -> HTTP %d", call.method, resp.url, resp.status_code)
        return resp

    def _retry_delay(self, resp: requests.Response, attempt: int) -> float | None:
        """Seconds to wait before retrying a 429 or 5xx answer; None for any other status."""
        if resp.status_code == 429:
            return retry_after(resp, self.rate.window if self.rate else 10.0)
        return 2.0**attempt if resp.status_code >= 500 else None

    def _pace(self) -> None:
        """Sliding-window limiter: wait until one more call fits in the window."""
        now = self._clock()
        if self.rate is not None:
            for waited in (False, True):
                while self._calls and now - self._calls[0] >= self.rate.window:
                    self._calls.popleft()
                if waited or len(self._calls) < self.rate.max_calls:
                    break
                self._sleep(self.rate.window - (now - self._calls[0]))
                now = self._clock()
        self._calls.append(now)


# Failures worth another attempt; a body cut short (ChunkedEncodingError: the server closed the
# connection before Content-Length bytes) and a broken gzip stream count as well.
_TRANSIENT = (
    requests.Timeout,
    requests.ConnectionError,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)


def _failure_kind(exc: Exception) -> str:
    """Words for a transient failure in the log and the final error."""
    if isinstance(exc, requests.Timeout) or "timed out" in str(exc):
        return "timed out"  # a read timeout inside the body arrives as a ConnectionError
    if isinstance(exc, requests.ConnectionError):
        return "failed to connect"
    return "sent an incomplete body"


@dataclass(frozen=True)
class _Call:
    """One request as asked, and the series and table its errors name."""

    method: str
    url: str
    params: dict[str, str]
    body: str
    series: str
    table: str

    @property
    def where(self) -> str:
        return f"table {self.table}: " if self.table else ""

    def error(self, message: str, url: str) -> SourceError:
        return SourceError(self.where + message, series=self.series, table=self.table, url=url)

    def http_error(self, resp: requests.Response, attempt: int, not_found: str) -> SourceError:
        """The error for a final 4xx/5xx answer: RateLimited for 429, else ApiProblem."""
        status = resp.status_code
        problem = f"{self.method} {resp.url} → HTTP {status}: {problem_text(resp)}"
        if status == 429 or status >= 500:
            problem += f" (still after {attempt + 1} attempts)"
        if status == 404 and (not_found or self.table):
            problem = f"{not_found or f'unknown table id {self.table!r}'}: {problem}"
        error = RateLimited if status == 429 else ApiProblem
        return error(
            self.where + problem, series=self.series, table=self.table, url=resp.url, status=status
        )


def json_body(resp: requests.Response) -> dict[str, Any]:
    try:
        # bytes, not resp.text: json detects UTF-8 itself, whatever charset the header claims
        body = json.loads(resp.content)
    except ValueError as exc:
        raise SchemaChanged(f"{resp.url} did not return JSON: {exc}", url=resp.url) from exc
    if not isinstance(body, dict):
        raise SchemaChanged(f"{resp.url} returned {type(body).__name__}, expected an object")
    return body


def retry_after(resp: requests.Response, fallback: float) -> float:
    """Seconds to wait from a Retry-After header (seconds or HTTP-date), else the fallback."""
    value = resp.headers.get("Retry-After", "").strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return fallback
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def problem_text(resp: requests.Response) -> str:
    """One line from an RFC 7807 body (title — detail), or the start of any other body."""
    try:
        body = json.loads(resp.content)
    except ValueError:
        body = None
    if isinstance(body, dict) and ("title" in body or "detail" in body):
        parts = [str(body[k]) for k in ("title", "detail") if body.get(k)]
        text = " — ".join(parts)
        if body.get("type"):
            text += f" (type {body['type']})"
    else:
        text = resp.text[:200] or resp.reason or "no body"
    return " ".join(text.split())
