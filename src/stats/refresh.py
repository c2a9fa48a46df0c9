"""Fetch → decode → normalise → store, one series at a time; a failing series loses nothing."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from stats.archive import raw_relpath, save_raw, sha256_of
from stats.catalog import Catalog, Part, Series
from stats.errors import DecodeError, SchemaChanged, SourceError, StatsError
from stats.jsonstat import Dataset, parse_jsonstat
from stats.normalize import normalize_series
from stats.regions import load_regions
from stats.sources.scb import RawResponse, ScbClient, Selection
from stats.store import ReleaseResult, ResponseRecord, Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FetchedPart:
    """Raw responses for one catalog part, from the API or from the snapshot."""

    part: Part
    part_index: int
    source: str
    table_id: str
    responses: tuple[RawResponse, ...]
    expected_regions: tuple[str, ...] = ()


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


def build_selection(series: Series, part: Part, home: str) -> dict[str, Selection]:
    """The catalog query plus the series' regions, as client selections."""
    regions = load_regions().resolve(list(series.regions), home)
    selection = {series.region_dim: Selection(values=regions)}
    for var, q in part.query.items():
        selection[var] = Selection(q.values, q.codelist, q.output_values)
    return selection


def discover_table(client: ScbClient, series: Series, part: Part) -> str:
    """Find the one table whose title matches `discover.title` among the search hits."""
    assert part.discover is not None
    hits = client.search_tables(part.discover.query, include_discontinued=True)
    pattern = re.compile(part.discover.title)
    found = [t for t in hits if pattern.search(str(t.get("label", "")))]
    if len(found) != 1:
        titles = "; ".join(f"{t.get('id')}: {t.get('label')}" for t in found[:5]) or "none"
        raise SchemaChanged(
            f"discover {part.discover.query!r} / {part.discover.title!r} matched {len(found)} "
            f"tables, expected exactly one ({titles})",
            series=series.id,
        )
    return str(found[0]["id"])


def fetch_series(client: ScbClient, series: Series, home: str) -> list[FetchedPart]:
    """Call the API for every part of a series."""
    fetched = []
    for index, part in enumerate(series.parts):
        table_id = part.table or discover_table(client, series, part)
        selection = build_selection(series, part, home)
        responses = client.fetch_data(table_id, selection, series=series.id)
        regions = selection[series.region_dim].values
        fetched.append(FetchedPart(part, index, part.source, table_id, tuple(responses), regions))
    return fetched


def _decode(series: Series, item: FetchedPart, raw: RawResponse) -> Dataset:
    try:
        return parse_jsonstat(raw.content)
    except DecodeError as exc:
        raise SourceError(
            f"table {item.table_id}: {exc}", series=series.id, table=item.table_id, url=raw.url
        ) from None


def ingest_series(
    store: Store,
    raw_root: Path,
    series: Series,
    fetched: list[FetchedPart],
    *,
    skip_if_known: bool = False,
) -> ReleaseResult:
    """Decode and validate everything first; only then write raw files and the release."""
    decoded = [
        (item.part, item.table_id, _decode(series, item, raw))
        for item in fetched
        for raw in item.responses
    ]
    normalized = normalize_series(series, decoded)
    expected = {code for item in fetched for code in item.expected_regions}
    missing = sorted(expected - set(normalized.frame["region_code"]))
    if missing:
        raise SchemaChanged(
            f"the response lacks requested region codes {', '.join(missing)}",
            series=series.id,
        )
    pairs = [(item, raw) for item in fetched for raw in item.responses]
    records = [
        ResponseRecord(
            part=item.part_index,
            source=item.source,
            table_id=item.table_id,
            method=raw.method,
            url=raw.url,
            request_body=raw.request_body,
            fetched_at=raw.fetched_at,
            source_updated=ds.updated,
            sha256=sha256_of(raw.content),
            raw_path=raw_relpath(item.source, item.table_id, sha256_of(raw.content)),
        )
        for (item, raw), (_p, _t, ds) in zip(pairs, decoded, strict=True)
    ]
    result = store.add_release(
        series.id,
        normalized.frame,
        normalized.meta,
        records,
        normalized.labels,
        vintage=normalized.vintage,
        skip_if_known=skip_if_known,
    )
    if result.new:
        for item, raw in pairs:
            save_raw(
                raw_root,
                series.id,
                item.source,
                item.table_id,
                raw.method,
                raw.url,
                raw.request_body,
                raw.fetched_at,
                raw.content,
            )
    return result


def run_series(
    store: Store,
    raw_root: Path,
    series: Series,
    get: Callable[[Series], list[FetchedPart]],
    *,
    skip_if_known: bool = False,
) -> Outcome:
    """Fetch and ingest one series; any StatsError becomes a failed Outcome and a log row."""
    started = datetime.now(UTC)
    t0 = time.perf_counter()
    try:
        result = ingest_series(store, raw_root, series, get(series), skip_if_known=skip_if_known)
    except StatsError as exc:
        message = str(exc).splitlines()[0]
        log.warning("%s", message)
        store.log_fetch(series.id, started, ok=False, outcome="failed", message=message)
        return Outcome(series.id, False, 0, False, time.perf_counter() - t0, message)
    outcome = "new release" if result.new else "unchanged"
    store.log_fetch(
        series.id, started, ok=True, outcome=outcome, release_id=result.release_id, rows=result.rows
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
    client: ScbClient,
    home: str,
    on_done: Callable[[Outcome], None] = lambda _o: None,
) -> list[Outcome]:
    """Refresh the given series in order; failures are reported and the rest go on."""
    outcomes = []
    for sid in series_ids:
        outcome = run_series(
            store, raw_root, catalog.get(sid), lambda s: fetch_series(client, s, home)
        )
        outcomes.append(outcome)
        on_done(outcome)
    return outcomes
