"""Fetch → decode → normalize → store, one series at a time; a failing series loses nothing."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from stats.catalog.load import Catalog, Part, Series
from stats.config import load_settings
from stats.errors import CatalogError, SchemaChanged, StatsError
from stats.ingest.archive import raw_relpath, read_raw, save_raw, sha256_of
from stats.ingest.home import attempt_home, served_home, stamp_unrecorded
from stats.ingest.normalize import normalize_series
from stats.sources.base import Decoded, FetchedPart, FetchRequest, Source
from stats.sources.http import RawResponse
from stats.store.read import latest_responses
from stats.store.write import ReleaseResult, ResponseRecord, Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """One line of the refresh summary."""

    series_id: str
    ok: bool
    rows: int
    new: bool
    seconds: float
    message: str = ""
    release_id: int | None = None


def _source(sources: Mapping[str, Source], name: str) -> Source:
    try:
        return sources[name]
    except KeyError:
        raise CatalogError(f"no adapter for source {name!r}") from None


def previous_responses(
    store: Store, raw_root: Path, series_id: str, home: str | None = None
) -> dict[int, list[RawResponse]]:
    """The archived raw responses of the series' latest release for `home`, by part (missing
    files skipped): never another home län's, so a switch of home län fetches everything."""
    out: dict[int, list[RawResponse]] = {}
    for _sid, r in latest_responses(store.con, series_id, home=home):
        if (raw_root / r.raw_path).exists():
            content = read_raw(raw_root, r.raw_path)
            out.setdefault(r.part, []).append(
                RawResponse(r.url, r.method, r.request_body, content, 200, r.fetched_at)
            )
    return out


def fetch_series(
    sources: Mapping[str, Source],
    series: Series,
    home: str,
    previous: Mapping[int, list[RawResponse]] | None = None,
) -> list[FetchedPart]:
    """Call the source of every part of a series."""
    previous = previous or {}
    return [
        _source(sources, part.source).fetch(
            FetchRequest(series, part, index, home, tuple(previous.get(index, [])))
        )
        for index, part in enumerate(series.parts)
    ]


Pair = tuple[FetchedPart, RawResponse]


def _decode(
    sources: Mapping[str, Source], series: Series, pairs: list[Pair]
) -> list[tuple[Part, str, Decoded]]:
    """(catalog part, table id, decoded) of every response, in order."""
    return [
        (
            item.part,
            item.table_id,
            _source(sources, item.source).decode(series, item.part, item.table_id, raw),
        )
        for item, raw in pairs
    ]


def _check_regions(series: Series, fetched: list[FetchedPart], regions: Iterable[str]) -> None:
    """SchemaChanged when a region code the request asked for is not in the data."""
    expected = {code for item in fetched for code in item.expected_regions}
    missing = sorted(expected - set(regions))
    if missing:
        raise SchemaChanged(
            f"the response lacks requested region codes {', '.join(missing)}",
            series=series.id,
        )


def _response_record(item: FetchedPart, raw: RawResponse, decoded: Decoded) -> ResponseRecord:
    """The provenance row the store keeps for one raw response."""
    digest = sha256_of(raw.content)
    return ResponseRecord(
        part=item.part_index,
        source=item.source,
        table_id=item.table_id,
        method=raw.method,
        url=raw.url,
        request_body=raw.request_body,
        fetched_at=raw.fetched_at,
        source_updated=decoded.updated,
        sha256=digest,
        raw_path=raw_relpath(item.source, item.table_id, digest, raw.content),
    )


def _archive(raw_root: Path, series_id: str, pairs: list[Pair]) -> None:
    """Save every raw response of a new release under `raw_root`."""
    for item, raw in pairs:
        save_raw(
            raw_root,
            series_id,
            item.source,
            item.table_id,
            raw.method,
            raw.url,
            raw.request_body,
            raw.fetched_at,
            raw.content,
        )


def ingest_series(
    store: Store,
    raw_root: Path,
    sources: Mapping[str, Source],
    series: Series,
    fetched: list[FetchedPart],
    *,
    skip_if_known: bool = False,
    home: str | None = None,
) -> ReleaseResult:
    """Decode and validate everything first; only then write raw files and the release.

    The release records the home län it served (`home`, default the configured one).
    """
    pairs = [(item, raw) for item in fetched for raw in item.responses]
    decoded = _decode(sources, series, pairs)
    normalized = normalize_series(series, decoded)
    _check_regions(series, fetched, normalized.frame["region_code"])
    records = [
        _response_record(item, raw, d)
        for (item, raw), (_p, _t, d) in zip(pairs, decoded, strict=True)
    ]
    result = store.add_release(
        series.id,
        normalized.frame,
        normalized.meta,
        records,
        normalized.labels,
        vintage=normalized.vintage,
        skip_if_known=skip_if_known,
        home_region=served_home(
            series,
            normalized.frame["region_code"].unique(),
            load_settings().home_region if home is None else home,
        ),
    )
    if result.new:
        _archive(raw_root, series.id, pairs)
    return result


def failure_message(series: Series, exc: Exception) -> str:
    """One line for the fetch log, logged here: a StatsError's own message, or for anything
    else (a bug met on odd input) its type and text, with the traceback in the log."""
    text = " ".join(str(exc).split())
    if isinstance(exc, StatsError):
        log.warning("%s", text)
        return text
    message = f"{series.id}: unexpected {type(exc).__name__}: {text}"
    log.exception("%s", message)
    return message


def run_series(
    store: Store,
    raw_root: Path,
    sources: Mapping[str, Source],
    series: Series,
    get: Callable[[Series], list[FetchedPart]],
    *,
    skip_if_known: bool = False,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    home: str | None = None,
) -> Outcome:
    """Fetch and ingest one series; any error becomes a failed Outcome and a log row.

    A StatsError is an expected failure (its message is for users); anything else is a bug in
    an adapter met on odd input, logged with its traceback, and it too fails this series only,
    so the releases the run has already stored and the series after it are kept.

    `now` is the clock that stamps the attempt in the fetch log (tests pass a fixed one); the
    attempt is logged for `home` (default: the configured home län) as `attempt_home` says, or
    for the home of the release it stored.
    """
    started = now()
    t0 = time.perf_counter()
    home = load_settings().home_region if home is None else home
    try:
        result = ingest_series(
            store, raw_root, sources, series, get(series), skip_if_known=skip_if_known, home=home
        )
    except Exception as exc:  # one series failing, whatever the error, must not end the run
        message = failure_message(series, exc)
        store.log_fetch(
            series.id,
            started,
            ok=False,
            outcome="failed",
            message=message,
            home_region=attempt_home(series, home),
        )
        return Outcome(series.id, False, 0, False, time.perf_counter() - t0, message)
    store.log_fetch(
        series.id,
        started,
        ok=True,
        outcome="new release" if result.new else "unchanged",
        release_id=result.release_id,
        rows=result.rows,
        home_region=result.home_region,  # the release's: an attempt shows where it serves
    )
    return Outcome(
        series.id,
        True,
        result.rows,
        result.new,
        time.perf_counter() - t0,
        release_id=result.release_id,
    )


def refresh(
    store: Store,
    raw_root: Path,
    catalog: Catalog,
    series_ids: Iterable[str],
    sources: Mapping[str, Source],
    home: str,
    on_done: Callable[[Outcome], None] = lambda _o: None,
) -> list[Outcome]:
    """Refresh the given series in order for `home`; failures are reported, the rest go on."""
    stamp_unrecorded(store, catalog, home)
    outcomes = []
    for sid in series_ids:
        outcome = run_series(
            store,
            raw_root,
            sources,
            catalog.get(sid),
            lambda s: fetch_series(
                sources, s, home, previous_responses(store, raw_root, s.id, home)
            ),
            home=home,
        )
        outcomes.append(outcome)
        on_done(outcome)
    return outcomes
