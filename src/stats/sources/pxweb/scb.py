"""Thin client for SCB's PxWebApi 2: limits from /config, paced calls, retries, query splitting."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Unpack
from urllib.parse import quote

from stats.config import URLS
from stats.errors import DecodeError, SchemaChanged
from stats.ingest.jsonstat import Dataset, parse_jsonstat
from stats.sources.http import HttpClient, HttpOptions, RateLimit, RawResponse, json_body
from stats.sources.pxweb.selection import (
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


class ScbClient:
    """SCB PxWebApi 2 client: reads limits from /config and paces, retries and splits by them."""

    def __init__(
        self,
        base_url: str = URLS["scb"],
        *,
        lang: str = "sv",
        **http: Unpack[HttpOptions],
    ) -> None:
        self.lang = lang
        self.http = HttpClient(base_url, default_params={"lang": lang}, **http)
        self.max_retries = self.http.max_retries
        self._config: ApiConfig | None = None

    def _paced(self) -> HttpClient:
        """The HttpClient, once /config has been read (it sets the pace); calls go through it."""
        self.get_config()
        return self.http

    def get_config(self) -> ApiConfig:
        """Fetch /config once and keep it; raise SchemaChanged if a limit is missing."""
        if self._config is None:
            resp = self.http.request("GET", "/config")
            self._config = _parse_config(json_body(resp), self.lang, resp.url)
            self.http.rate = RateLimit.with_reserve(
                self._config.max_calls, self._config.time_window
            )
            log.info("SCB limits: %s", self._config)
        return self._config

    def get_table(self, table_id: str) -> dict[str, Any]:
        """Return the /tables/{id} description of one table, e.g. ``TAB6471``."""
        return json_body(
            self._paced().request("GET", f"/tables/{quote(table_id, safe='')}", table=table_id)
        )

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
            body = json_body(
                self._paced().request("GET", "/tables", {**params, "pageNumber": str(page_number)})
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
        return json_body(
            self._paced().request("GET", path, not_found=f"unknown codelist id {codelist_id!r}")
        )

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
            resp = self._paced().request(
                "POST", path, {"outputFormat": "json-stat2"}, body, series=series, table=table_id
            )
            responses.append(RawResponse.of(resp, "POST", body))
        return responses

    def get_metadata(
        self, table_id: str, codelists: Mapping[str, str] | None = None, *, series: str = ""
    ) -> Dataset:
        """Return a table's JSON-stat2 metadata, with codelists applied (``{"Region": "vs_…"}``)."""
        params = {f"codelist[{var}]": cl for var, cl in (codelists or {}).items()}
        path = f"/tables/{quote(table_id, safe='')}/metadata"
        resp = self._paced().request("GET", path, params, series=series, table=table_id)
        try:
            return parse_jsonstat(resp.content)
        except DecodeError as exc:
            raise SchemaChanged(
                f"table {table_id}: metadata from {resp.url} is not JSON-stat2: {exc}",
                series=series,
                table=table_id,
                url=resp.url,
            ) from exc


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
