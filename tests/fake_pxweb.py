"""A loopback fake of SCB's PxWebApi 2 for tests and bench: a real HTTP server on 127.0.0.1.

It serves the recorded TAB6471 bodies (tests/fixtures/scb/), answers each data POST with exactly
the requested codes (a slice of the recorded JSON-stat2 cube), reads its limits from its own
/config and answers 429 with Retry-After beyond them (sliding window over admitted calls, every
endpoint counted, like AspNetCoreRateLimit's `Endpoint "*"`). Faults switch on per instance:
5xx answers, a slow body, a cut body and a renamed dimension.

Only codes inside the recorded cube can be served (21 län, the 11 ages of codelist
agg_Ålder10årJ, 3 sexes, 2026M01–M04); any other code gets a 400 naming the code.
"""

from __future__ import annotations

import copy
import functools
import itertools
import json
import math
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tests.fixture_files import load_fixture

TABLE = "TAB6471"
AGE_CODELIST = "agg_Ålder10årJ"


@dataclass
class Faults:
    """Faults to inject; counters apply to the next N data POSTs and count down."""

    server_errors: int = 0  # answer 503 problem+json
    cut_bodies: int = 0  # promise the full Content-Length, send half, close the connection
    slow_body: float = 0.0  # seconds to pause after the headers and before the body
    renamed: dict[str, str] = field(default_factory=dict)  # dimension id -> new id


@dataclass(frozen=True)
class Call:
    """One request as the fake saw it."""

    at: float
    method: str
    path: str
    status: int


@functools.cache
def _recorded(name: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(load_fixture(f"scb/{name}"))
    return doc


def _cube() -> dict[str, Any]:
    return _recorded(f"{TABLE}_data.json")


def _metadata() -> dict[str, Any]:
    return copy.deepcopy(_recorded(f"{TABLE}_metadata.json"))


def _codes(doc: dict[str, Any], dim: str) -> list[str]:
    index = doc["dimension"][dim]["category"]["index"]
    return sorted(index, key=index.__getitem__) if isinstance(index, dict) else list(index)


def _rename(doc: dict[str, Any], renamed: dict[str, str]) -> dict[str, Any]:
    """The document with dimensions renamed (the "changed dimension" fault)."""
    if not renamed:
        return doc
    doc = copy.deepcopy(doc)
    doc["id"] = [renamed.get(d, d) for d in doc["id"]]
    doc["dimension"] = {renamed.get(d, d): v for d, v in doc["dimension"].items()}
    return doc


class SelectionError(ValueError):
    """A POSTed selection the fake (or the real server) refuses with 400."""


def metadata_with(codelists: dict[str, str]) -> dict[str, Any]:
    """The recorded metadata; with codelist[Alder]=agg_Ålder10årJ, Alder as the cube has it."""
    meta = _metadata()
    for var, codelist in codelists.items():
        if (var, codelist) != ("Alder", AGE_CODELIST):
            raise SelectionError(f"codelist {codelist!r} for {var!r} is not recorded")
        meta["dimension"]["Alder"]["category"] = copy.deepcopy(
            _cube()["dimension"]["Alder"]["category"]
        )
        meta["size"][meta["id"].index("Alder")] = len(_codes(meta, "Alder"))
    return meta


def _resolve(values: list[str], codes: list[str], dim: str) -> list[str]:
    """Exact codes and `*`/`?` wildcards, in cube order; anything else is refused."""
    chosen = set()
    for value in values:
        matched = [c for c in codes if fnmatchcase(c.casefold(), value.casefold())]
        if not matched:
            raise SelectionError(f"value {value!r} of variable {dim!r} is not in the recorded cube")
        chosen.update(matched)
    return [c for c in codes if c in chosen]


def slice_cube(cube: dict[str, Any], body: dict[str, Any], max_cells: int) -> dict[str, Any]:
    """The recorded cube cut down to the POSTed selection; SelectionError on a bad request."""
    entries = {e["variableCode"]: e.get("valueCodes", []) for e in body.get("selection", [])}
    unknown = sorted(set(entries) - set(cube["id"]))
    if unknown:
        raise SelectionError(f"unknown variable(s) {', '.join(unknown)}")
    picked: dict[str, list[str]] = {}
    for dim in cube["id"]:
        if dim not in entries:
            raise SelectionError(f"variable {dim!r} must be selected (the fake does not eliminate)")
        picked[dim] = _resolve(entries[dim], _codes(cube, dim), dim)
    cells = math.prod(len(c) for c in picked.values())
    if cells > max_cells:
        raise SelectionError(f"Too many cells selected ({cells} > {max_cells})")
    out = copy.deepcopy({k: v for k, v in cube.items() if k != "value"})
    positions = []
    for dim in cube["id"]:
        full = _codes(cube, dim)
        positions.append([full.index(c) for c in picked[dim]])
        cat = out["dimension"][dim]["category"]
        cat["index"] = {c: i for i, c in enumerate(picked[dim])}
        cat["label"] = {c: cube["dimension"][dim]["category"]["label"][c] for c in picked[dim]}
    strides = [math.prod(cube["size"][i + 1 :]) for i in range(len(cube["size"]))]
    out["size"] = [len(p) for p in positions]
    out["value"] = [
        cube["value"][sum(p * s for p, s in zip(combo, strides, strict=True))]
        for combo in itertools.product(*positions)
    ]
    return out


class FakePxWeb:
    """The server: `with FakePxWeb(max_calls=30, window=1.0) as fake: ScbClient(fake.url)`."""

    def __init__(self, *, max_calls: int = 30, window: float = 1.0, max_cells: int = 80) -> None:
        self.max_calls = max_calls
        self.window = window
        self.max_cells = max_cells
        self.faults = Faults()
        # the table's `updated` in /tables/{id}, its metadata and its data (None: as recorded)
        self.updated: str | None = None
        self.calls: list[Call] = []
        self._admitted: deque[float] = deque()
        self._lock = threading.Lock()
        self._cube = _cube()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/api/v2"

    def __enter__(self) -> FakePxWeb:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def config(self) -> dict[str, Any]:
        """The recorded /config with this server's limits."""
        body = copy.deepcopy(_recorded("config.json"))
        body.update(
            maxCallsPerTimeWindow=self.max_calls,
            timeWindow=self.window,
            maxDataCells=self.max_cells,
        )
        return body

    def stamped(self, doc: dict[str, Any]) -> dict[str, Any]:
        """A JSON-stat2 document with this server's `updated`, if one is set."""
        return doc if self.updated is None else {**doc, "updated": self.updated}

    def table(self) -> dict[str, Any]:
        """/tables/TAB6471: the fields of a PxWebApi 2 Table that the probe reads, built from
        the recorded metadata (no /tables/{id} answer is recorded)."""
        meta = self.stamped(_metadata())
        return {"id": TABLE, "label": meta["label"], "updated": meta["updated"], "source": "SCB"}

    def posts(self) -> int:
        """How many data calls (POST) the server has answered."""
        with self._lock:
            return sum(1 for c in self.calls if c.method == "POST")

    def statuses(self, status: int) -> int:
        """How many answers had this status."""
        with self._lock:
            return sum(1 for c in self.calls if c.status == status)

    def peak_in_window(self) -> int:
        """The most admitted (non-429) calls that arrived within any one time window."""
        with self._lock:
            times = sorted(c.at for c in self.calls if c.status != 429)
        peak, start = 0, 0
        for end, t in enumerate(times):
            while t - times[start] >= self.window:
                start += 1
            peak = max(peak, end - start + 1)
        return peak

    def admit(self, now: float) -> float | None:
        """Count one call arriving `now`; None if admitted, else seconds until a slot frees."""
        with self._lock:
            while self._admitted and now - self._admitted[0] >= self.window:
                self._admitted.popleft()
            if len(self._admitted) >= self.max_calls:
                return self.window - (now - self._admitted[0])
            self._admitted.append(now)
            return None

    def record(self, at: float, method: str, path: str, status: int) -> None:
        with self._lock:
            self.calls.append(Call(at, method, path, status))

    def take_fault(self, name: str) -> bool:
        """Use up one of the next-N fault counters."""
        with self._lock:
            left: int = getattr(self.faults, name)
            if left > 0:
                setattr(self.faults, name, left - 1)
            return left > 0

    def answer(self, method: str, path: str, query: dict[str, str], body: bytes) -> _Answer:
        """Route one admitted request."""
        table_path = f"/api/v2/tables/{TABLE}"
        try:
            if method == "GET" and path == "/api/v2/config":
                return _Answer.json(200, self.config())
            if method == "GET" and path == table_path:
                return _Answer.json(200, self.table())
            if method == "GET" and path == f"{table_path}/metadata":
                codelists = {k[9:-1]: v for k, v in query.items() if k.startswith("codelist[")}
                meta = self.stamped(metadata_with(codelists))
                return _Answer.json(200, _rename(meta, self.faults.renamed))
            if method == "POST" and path == f"{table_path}/data":
                return self._data(body)
        except SelectionError as exc:
            return _Answer.problem(400, "Bad request", str(exc))
        if path.startswith("/api/v2/tables/"):
            return _Answer.problem(404, "Not found", f"no table at {path}")
        return _Answer.problem(404, "Not found", f"no endpoint {method} {path}")

    def _data(self, body: bytes) -> _Answer:
        if self.take_fault("server_errors"):
            return _Answer.problem(503, "Service unavailable", "fault injected by the test")
        try:
            selection = json.loads(body)
        except ValueError as exc:
            raise SelectionError(f"body is not JSON: {exc}") from None
        sliced = slice_cube(self._cube, selection, self.max_cells)
        sliced = _rename(self.stamped(sliced), self.faults.renamed)
        answer = _Answer.json(200, sliced)
        answer.cut = self.take_fault("cut_bodies")
        answer.pause = self.faults.slow_body
        return answer


@dataclass
class _Answer:
    status: int
    content: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)
    cut: bool = False
    pause: float = 0.0

    @classmethod
    def json(cls, status: int, body: Any) -> _Answer:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        return cls(status, data, "application/json; charset=utf-8")

    @classmethod
    def problem(cls, status: int, title: str, detail: str) -> _Answer:
        body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
        answer = cls.json(status, body)
        answer.content_type = "application/problem+json; charset=utf-8"
        return answer


def _handler_for(fake: FakePxWeb) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out as separate writes

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            path = unquote(parts.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            arrived = time.monotonic()
            wait = fake.admit(arrived)
            if wait is not None:
                answer = _Answer(
                    429,
                    f"API calls quota exceeded! maximum admitted {fake.max_calls} per "
                    f"{fake.window:g}s.".encode(),
                    "text/plain",
                    {"Retry-After": str(max(1, math.ceil(wait)))},
                )
            else:
                answer = fake.answer(method, path, query, body)
            fake.record(arrived, method, path, answer.status)
            self._send(answer)

        def _send(self, answer: _Answer) -> None:
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.content)))
            for name, value in answer.headers.items():
                self.send_header(name, value)
            if answer.cut:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.flush()
            if answer.pause:
                time.sleep(answer.pause)
            if answer.cut:
                self.wfile.write(answer.content[: len(answer.content) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(answer.content)

    return Handler


@contextmanager
def running(**limits: Any) -> Iterator[FakePxWeb]:
    """A started fake that is shut down when the block ends."""
    with FakePxWeb(**limits) as fake:
        yield fake
