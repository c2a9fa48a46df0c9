"""Thin client for the PxWeb API v1 (SCB.md §1.5): ?config, folder listing, table GET, data POST.

Used for databases that still run PxWeb v1, such as Tillväxtanalys. Limits come from the
API's `?config`; the data POST asks for json-stat2 and returns the bodies undecoded.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Unpack
from urllib.parse import quote

from stats.errors import SchemaChanged
from stats.sources.http import HttpClient, HttpOptions, RateLimit, RawResponse
from stats.sources.pxweb.selection import cell_count, split_selection

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class V1Config:
    """Limits a v1 API reports at `?config`."""

    max_values: int
    max_calls: int
    time_window: float


@dataclass(frozen=True)
class FolderItem:
    """One entry of a folder listing: a sub-folder ("l") or a table ("t")."""

    id: str
    type: str
    text: str
    updated: str | None = None


@dataclass(frozen=True)
class V1Variable:
    """One variable of a table's GET metadata, codes and texts in table order."""

    code: str
    text: str
    values: tuple[str, ...]
    value_texts: tuple[str, ...]
    elimination: bool
    time: bool


@dataclass(frozen=True)
class V1Table:
    """A table's GET metadata: title and variables."""

    title: str
    variables: tuple[V1Variable, ...]

    def variable(self, code: str) -> V1Variable:
        """The variable with this code; SchemaChanged listing the codes otherwise."""
        for var in self.variables:
            if var.code == code:
                return var
        codes = ", ".join(v.code for v in self.variables)
        raise SchemaChanged(f"table has no variable {code!r} (variables: {codes})")


def _load_json(content: bytes, url: str) -> Any:
    try:
        # bytes: json detects UTF-8 and skips the BOM that PxWeb v1 servers often send
        return json.loads(content)
    except (ValueError, UnicodeDecodeError) as exc:
        raise SchemaChanged(f"{url} did not return JSON: {exc}", url=url) from None


def parse_config(body: Any, url: str) -> V1Config:
    """Validate a `?config` answer; every limit must be present since none is hard-coded."""
    if not isinstance(body, dict):
        raise SchemaChanged(f"{url}: ?config is not a JSON object", url=url)
    # older servers call the cell limit maxValues, newer ones maxCells
    cells = body.get("maxValues", body.get("maxCells"))
    calls, window = body.get("maxCalls"), body.get("timeWindow")
    for key, value in (("maxValues", cells), ("maxCalls", calls), ("timeWindow", window)):
        if type(value) is not int or value <= 0:
            raise SchemaChanged(
                f"{url}: ?config lacks {key!r} (expected a positive integer)", url=url
            )
    assert isinstance(cells, int) and isinstance(calls, int) and isinstance(window, int)
    return V1Config(max_values=cells, max_calls=calls, time_window=float(window))


def parse_folder(body: Any, url: str) -> list[FolderItem]:
    """Validate a folder listing `[{"id", "type", "text"}]` (type "l" folder, "t" table)."""
    ok = isinstance(body, list) and all(
        isinstance(item, dict)
        and isinstance(item.get("id"), str)
        and isinstance(item.get("type"), str)
        for item in body
    )
    if not ok:
        raise SchemaChanged(
            f"{url}: folder listing is not a list of {{id, type, text}} objects", url=url
        )
    return [
        FolderItem(
            str(item["id"]), str(item["type"]), str(item.get("text", "")), item.get("updated")
        )
        for item in body
    ]


def parse_table(body: Any, url: str) -> V1Table:
    """Validate a table's GET metadata `{"title", "variables": [{code, text, values, ...}]}`."""
    if not isinstance(body, dict) or not isinstance(body.get("variables"), list):
        raise SchemaChanged(f"{url}: table metadata has no 'variables' list", url=url)
    variables = []
    for raw in body["variables"]:
        values = raw.get("values") if isinstance(raw, dict) else None
        texts = raw.get("valueTexts", values) if isinstance(raw, dict) else None
        if not (
            isinstance(raw, dict)
            and isinstance(raw.get("code"), str)
            and isinstance(values, list)
            and isinstance(texts, list)
            and len(values) == len(texts)
        ):
            raise SchemaChanged(
                f"{url}: a variable lacks code, or values and valueTexts of equal length", url=url
            )
        variables.append(
            V1Variable(
                code=raw["code"],
                text=str(raw.get("text", raw["code"])),
                values=tuple(str(v) for v in values),
                value_texts=tuple(str(t) for t in texts),
                elimination=bool(raw.get("elimination", False)),
                time=bool(raw.get("time", False)),
            )
        )
    return V1Table(title=str(body.get("title", "")), variables=tuple(variables))


def query_body(selection: Mapping[str, Sequence[str]]) -> str:
    """The v1 POST body: one `item` filter per variable, json-stat2 response."""
    query = [
        {"code": var, "selection": {"filter": "item", "values": list(codes)}}
        for var, codes in selection.items()
    ]
    return json.dumps({"query": query, "response": {"format": "json-stat2"}}, ensure_ascii=False)


def path_of(*parts: str) -> str:
    """URL path from segments ("a/b" splits further), each segment percent-encoded."""
    segments = [seg for part in parts for seg in part.split("/") if seg]
    return "/" + "/".join(quote(seg, safe="") for seg in segments)


class PxWebV1Client:
    """One PxWeb v1 database: API root (``https://…/PxWeb/api/v1/sv``) plus database name."""

    def __init__(self, api_root: str, database: str, **http: Unpack[HttpOptions]) -> None:
        self.database = database
        self.http = HttpClient(api_root, **http)
        self._config: V1Config | None = None

    def get_config(self) -> V1Config:
        """Fetch `?config` once; its limits set the pace and the request size."""
        if self._config is None:
            resp = self.http.request("GET", "/?config")
            self._config = parse_config(_load_json(resp.content, resp.url), resp.url)
            self.http.rate = RateLimit.with_reserve(
                self._config.max_calls, self._config.time_window
            )
            log.info("PxWeb v1 limits at %s: %s", self.http.base_url, self._config)
        return self._config

    def list_folder(self, folder: str, *, series: str = "") -> list[FolderItem]:
        """The tables and sub-folders of a folder, e.g. ``"Konkurser och offentliga ackord"``."""
        self.get_config()
        path = path_of(self.database, folder) + "/"
        resp = self.http.request("GET", path, series=series, not_found=f"unknown folder {folder!r}")
        return parse_folder(_load_json(resp.content, resp.url), resp.url)

    def get_table(self, folder: str, table_id: str, *, series: str = "") -> V1Table:
        """A table's variables, codes and value texts (GET on the .px path)."""
        self.get_config()
        resp = self.http.request(
            "GET", path_of(self.database, folder, table_id), series=series, table=table_id
        )
        return parse_table(_load_json(resp.content, resp.url), resp.url)

    def fetch_data(
        self,
        folder: str,
        table_id: str,
        selection: Mapping[str, Sequence[str]],
        *,
        series: str = "",
    ) -> list[RawResponse]:
        """POST the selection (split to stay within maxValues) for json-stat2, bodies undecoded."""
        parts = split_selection(selection, self.get_config().max_values)
        log.info("table %s: %d cells in %d request(s)", table_id, cell_count(selection), len(parts))
        path = path_of(self.database, folder, table_id)
        out = []
        for part in parts:
            body = query_body(part)
            resp = self.http.request("POST", path, body=body, series=series, table=table_id)
            out.append(RawResponse.of(resp, "POST", body))
        return out
