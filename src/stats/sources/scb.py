"""Thin client for SCB's PxWebApi 2: limits from /config, paced calls, retries, query splitting."""

from __future__ import annotations

import email.utils
import json
import logging
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import requests

from stats.config import URLS, USER_AGENT
from stats.errors import ApiProblem, DecodeError, RateLimited, SchemaChanged, SourceError
from stats.jsonstat import Dataset, parse_jsonstat
from stats.sources.pxweb_selection import (
    Selection,
    cell_count,
    expand_selection,
    expand_values,
    selection_body,
    split_selection,
)

__all__ = ["ApiConfig", "RawResponse", "ScbClient", "Selection", "expand_values", "split_selection"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ApiConfig:
    """The limits and source text an API reports at /config."""

    api_version: str
    max_data_cells: int
    max_calls: int
    time_window: float
    source_text: str


@dataclass(frozen=True)
class RawResponse:
    """One undecoded data response plus what was asked for, for the snapshot and its manifest."""

    url: str
    method: str
    request_body: str
    content: bytes
    status: int
    fetched_at: datetime


class ScbClient:
    """SCB PxWebApi 2 client: reads limits from /config and paces, retries and splits by them."""

    def __init__(
        self,
        base_url: str = URLS["scb"],
        *,
        lang: str = "sv",
        session: requests.Session | None = None,
        timeout: float = 30.0,
        max_retries: int = 3,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.lang = lang
        self.session = session or requests.Session()
        self.timeout = timeout
        self.max_retries = max_retries
        self._sleep = sleep
        self._clock = clock
        self._config: ApiConfig | None = None
        self._calls: deque[float] = deque()

    def get_config(self) -> ApiConfig:
        """Fetch /config once and keep it; raise SchemaChanged if a limit is missing."""
        if self._config is None:
            resp = self._request("GET", "/config")
            self._config = _parse_config(_json(resp), self.lang, resp.url)
            log.info("SCB limits: %s", self._config)
        return self._config

    def get_table(self, table_id: str) -> dict[str, Any]:
        """Return the /tables/{id} description of one table, e.g. ``TAB6471``."""
        return _json(self._request("GET", f"/tables/{quote(table_id, safe='')}", table=table_id))

    def search_tables(
        self, query: str, *, include_discontinued: bool = True
    ) -> list[dict[str, Any]]:
        """Return every table matching ``query`` (e.g. ``"befolkning"``), following all pages."""
        params = {"includeDiscontinued": str(include_discontinued).lower()}
        if query:
            params["query"] = query
        tables: list[dict[str, Any]] = []
        page_number = 1
        while True:
            body = _json(
                self._request("GET", "/tables", {**params, "pageNumber": str(page_number)})
            )
            tables.extend(body.get("tables", []))
            page = body.get("page", {})
            has_next = any(link.get("rel") == "next" for link in page.get("links", []))
            if page_number >= int(page.get("totalPages", 1)) and not has_next:
                return tables
            page_number += 1

    def get_codelist(self, codelist_id: str) -> dict[str, Any]:
        """Return one codelist, e.g. ``agg_Ålder10årJ``, with its values and value maps."""
        path = f"/codelists/{quote(codelist_id, safe='')}"
        return _json(self._request("GET", path, not_found=f"unknown codelist id {codelist_id!r}"))

    def fetch_data(
        self, table_id: str, selection: Mapping[str, Selection], *, series: str = ""
    ) -> list[RawResponse]:
        """Check the selection against the metadata, then POST it (split to stay within
        maxDataCells) for json-stat2; the bodies are returned undecoded.

        Examples
        --------
        >>> client.fetch_data("TAB6471", {"Region": Selection(("23",)), "Tid": Selection(("*",))})
        """
        codelists = {var: sel.codelist for var, sel in selection.items() if sel.codelist}
        meta = self.get_metadata(table_id, codelists, series=series)
        try:
            expanded = expand_selection(meta, selection)
        except SchemaChanged as exc:
            raise SchemaChanged(f"table {table_id}: {exc}", series=series, table=table_id) from None
        parts = split_selection(expanded, self.get_config().max_data_cells)
        log.info("table %s: %d cells in %d request(s)", table_id, cell_count(expanded), len(parts))
        path = f"/tables/{quote(table_id, safe='')}/data"
        responses: list[RawResponse] = []
        for part in parts:
            body = selection_body(part, expanded, selection)
            resp = self._request(
                "POST", path, {"outputFormat": "json-stat2"}, body, series=series, table=table_id
            )
            fetched_at = datetime.now(UTC)
            responses.append(
                RawResponse(resp.url, "POST", body, resp.content, resp.status_code, fetched_at)
            )
        return responses

    def get_metadata(
        self, table_id: str, codelists: Mapping[str, str] | None = None, *, series: str = ""
    ) -> Dataset:
        """Return a table's JSON-stat2 metadata, with codelists applied (``{"Region": "vs_…"}``)."""
        params = {f"codelist[{var}]": cl for var, cl in (codelists or {}).items()}
        path = f"/tables/{quote(table_id, safe='')}/metadata"
        resp = self._request("GET", path, params, series=series, table=table_id)
        try:
            return parse_jsonstat(resp.content)
        except DecodeError as exc:
            raise SchemaChanged(
                f"table {table_id}: metadata from {resp.url} is not JSON-stat2: {exc}",
                series=series,
                table=table_id,
                url=resp.url,
            ) from exc

    def _request(
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
        config = self.get_config() if path != "/config" else None
        url = self.base_url + path
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if body:
            headers["Content-Type"] = "application/json; charset=utf-8"
        where = f"table {table}: " if table else ""
        ctx: dict[str, Any] = {"series": series, "table": table}
        for attempt in range(self.max_retries + 1):
            retries_left = attempt < self.max_retries
            self._pace(config)
            try:
                resp = self.session.request(
                    method,
                    url,
                    params={"lang": self.lang, **(params or {})},
                    data=body.encode("utf-8") if body else None,
                    headers=headers,
                    timeout=self.timeout,
                )
            except (requests.Timeout, requests.ConnectionError) as exc:
                kind = "timed out" if isinstance(exc, requests.Timeout) else "failed to connect"
                if retries_left:
                    log.warning("%s%s %s %s, retrying", where, method, url, kind)
                    self._sleep(2**attempt)
                    continue
                raise SourceError(
                    f"{where}{method} {url} {kind} after {attempt + 1} attempts"
                    f" ({self.timeout:g} s timeout each): {exc}",
                    url=url,
                    **ctx,
                ) from exc
            status = resp.status_code
            log.debug("%s %s -> HTTP %d", method, resp.url, status)
            if status < 400:
                return resp
            retryable = status == 429 or status >= 500
            if retryable and retries_left:
                window = config.time_window if config else 10.0
                delay = _retry_after(resp, window) if status == 429 else 2.0**attempt
                log.warning("%sHTTP %d from %s, retrying in %g s", where, status, resp.url, delay)
                self._sleep(delay)
                continue
            ctx.update(url=resp.url, status=status)
            problem = f"{method} {resp.url} → HTTP {status}: {_problem_text(resp)}"
            if retryable:
                problem += f" (still after {attempt + 1} attempts)"
            if status == 404 and (not_found or table):
                problem = f"{not_found or f'unknown table id {table!r}'}: {problem}"
            error = RateLimited if status == 429 else ApiProblem
            raise error(where + problem, **ctx)
        raise AssertionError("unreachable: the retry loop always returns or raises")

    def _pace(self, config: ApiConfig | None) -> None:
        """Sliding-window limiter: wait until one more call fits in the configured window."""
        now = self._clock()
        if config is not None:
            # a call less than the limit leaves room for clock skew against the server's window
            allowed = config.max_calls - 1 if config.max_calls > 3 else config.max_calls
            for waited in (False, True):
                while self._calls and now - self._calls[0] >= config.time_window:
                    self._calls.popleft()
                if waited or len(self._calls) < allowed:
                    break
                self._sleep(config.time_window - (now - self._calls[0]))
                now = self._clock()
        self._calls.append(now)


def _json(resp: requests.Response) -> dict[str, Any]:
    try:
        # bytes, not resp.text: json detects UTF-8 itself, whatever charset the header claims
        body = json.loads(resp.content)
    except ValueError as exc:
        raise SchemaChanged(f"{resp.url} did not return JSON: {exc}", url=resp.url) from exc
    if not isinstance(body, dict):
        raise SchemaChanged(f"{resp.url} returned {type(body).__name__}, expected an object")
    return body


def _parse_config(body: Mapping[str, Any], lang: str, url: str) -> ApiConfig:
    """Validate /config; every limit must be present since nothing is hard-coded."""
    for key, kind in [("apiVersion", str), ("maxDataCells", int), ("maxCallsPerTimeWindow", int)]:
        if not isinstance(body.get(key), kind) or body[key] in ("", 0):
            raise SchemaChanged(
                f"{url}: /config lacks {key!r} (expected a {kind.__name__})", url=url
            )
    window = body.get("timeWindow")
    if not isinstance(window, int | float) or window <= 0:
        raise SchemaChanged(f"{url}: /config lacks 'timeWindow' (expected seconds > 0)", url=url)
    refs = {r.get("language"): r.get("text") for r in body.get("sourceReferences") or []}
    text = refs.get(lang) or refs.get("sv")
    if not isinstance(text, str) or not text:
        raise SchemaChanged(f"{url}: /config lacks a sourceReferences text for {lang!r}", url=url)
    return ApiConfig(
        api_version=body["apiVersion"],
        max_data_cells=body["maxDataCells"],
        max_calls=body["maxCallsPerTimeWindow"],
        time_window=float(window),
        source_text=text,
    )


def _retry_after(resp: requests.Response, fallback: float) -> float:
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


def _problem_text(resp: requests.Response) -> str:
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
