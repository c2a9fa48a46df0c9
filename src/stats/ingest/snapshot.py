"""The embedded snapshot: real raw responses in data/snapshot with a TOML manifest.

`load_snapshot` replays them through the same decode → normalize → store path as a live
refresh; `write_snapshot` exports the raw responses behind each series' latest release.
"""

from __future__ import annotations

import gzip
import shutil
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import tomli_w

from stats.catalog.load import Catalog, Series
from stats.config import load_settings
from stats.errors import StatsError
from stats.ingest.archive import read_raw, sha256_of
from stats.ingest.home import stamp_unrecorded
from stats.ingest.refresh import Outcome, run_series
from stats.sources.base import FetchedPart, Source
from stats.sources.http import RawResponse
from stats.sources.registry import offline_sources
from stats.store.read import latest_responses
from stats.store.write import Store

MANIFEST = "MANIFEST.toml"
HEADER = (
    "# Embedded snapshot: real responses that `make run` loads into DuckDB offline.\n"
    "# One [[response]] per file: series, catalog part, table, request and where it came from.\n"
    "# Written by `stats snapshot`; entries with an `origin` were recorded elsewhere (see it).\n\n"
)


class SnapshotError(StatsError):
    """The snapshot manifest or one of its files is missing or inconsistent."""


@dataclass(frozen=True)
class SnapshotEntry:
    """One manifest row."""

    series: str
    part: int
    source: str
    table: str
    file: str
    sha256: str
    method: str
    url: str
    request_body: str
    fetched_at: str
    origin: str


def read_manifest(root: Path) -> list[SnapshotEntry]:
    """Parse MANIFEST.toml; every key is required except origin."""
    path = root / MANIFEST
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SnapshotError(f"{path}: cannot read snapshot manifest: {exc}") from None
    entries = []
    for i, item in enumerate(raw.get("response", [])):
        try:
            entries.append(
                SnapshotEntry(
                    origin=str(item.get("origin", "")),
                    **{k: item[k] for k in SnapshotEntry.__dataclass_fields__ if k != "origin"},
                )
            )
        except (KeyError, TypeError) as exc:
            raise SnapshotError(f"{path}: response[{i}]: missing or bad key {exc}") from None
    return entries


def _content(root: Path, entry: SnapshotEntry) -> bytes:
    path = root / entry.file
    try:
        data = path.read_bytes()
    except OSError:
        raise SnapshotError(f"{path}: snapshot file listed in {MANIFEST} is missing") from None
    content = gzip.decompress(data) if path.suffix == ".gz" else data
    if sha256_of(content) != entry.sha256:
        raise SnapshotError(f"{path}: sha256 does not match {MANIFEST}; the file was changed")
    return content


def load_snapshot(
    store: Store,
    raw_root: Path,
    catalog: Catalog,
    root: Path,
    sources: Mapping[str, Source] | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    home: str | None = None,
) -> list[Outcome]:
    """Load every series in the snapshot; a series already holding this content is left as is.

    `now` stamps each load in the fetch log; tests pass a fixed clock so they hold on any day.
    Each release records the home län it serves (`home`, default the configured one; content
    recorded for another län is stamped with that län, see `ingest.home`).
    """
    sources = sources if sources is not None else offline_sources()
    home = load_settings().home_region if home is None else home
    stamp_unrecorded(store, catalog, home)
    entries = read_manifest(root)
    by_series: dict[str, list[SnapshotEntry]] = {}
    for entry in entries:
        by_series.setdefault(entry.series, []).append(entry)
    outcomes = []
    for sid, rows in by_series.items():
        series = catalog.get(sid)

        def replay(series: Series, rows: list[SnapshotEntry] = rows) -> list[FetchedPart]:
            parts: dict[tuple[int, str], list[RawResponse]] = {}
            for e in rows:
                raw = RawResponse(
                    url=e.url,
                    method=e.method,
                    request_body=e.request_body,
                    content=_content(root, e),
                    status=200,
                    fetched_at=datetime.fromisoformat(e.fetched_at),
                )
                parts.setdefault((e.part, e.table), []).append(raw)
            return [
                FetchedPart(series.parts[i], i, series.parts[i].source, table, tuple(raws))
                for (i, table), raws in parts.items()
            ]

        outcomes.append(
            run_series(
                store, raw_root, sources, series, replay, skip_if_known=True, now=now, home=home
            )
        )
    return outcomes


def write_snapshot(store: Store, raw_root: Path, root: Path) -> int:
    """Export the raw responses behind every series' latest release; returns the file count."""
    old = {e.sha256: e.origin for e in read_manifest(root)} if (root / MANIFEST).exists() else {}
    entries = []
    for sid, r in latest_responses(store.con):
        target = root / r.raw_path
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            if not (raw_root / r.raw_path).exists():
                raise SnapshotError(f"{raw_root / r.raw_path}: raw response of {sid!r} is missing")
            target.write_bytes(gzip.compress(read_raw(raw_root, r.raw_path), mtime=0))
        entry: dict[str, str | int] = {
            "series": sid,
            "part": r.part,
            "source": r.source,
            "table": r.table_id,
            "file": r.raw_path,
            "sha256": r.sha256,
            "method": r.method,
            "url": r.url,
            "request_body": r.request_body,
            "fetched_at": r.fetched_at.isoformat(),
        }
        if old.get(r.sha256):
            entry["origin"] = old[r.sha256]
        entries.append(entry)
    tmp = root / (MANIFEST + ".tmp")
    tmp.write_text(HEADER + tomli_w.dumps({"response": entries}), encoding="utf-8")
    tmp.replace(root / MANIFEST)
    keep = {e["file"] for e in entries}
    for path in root.rglob("*.gz"):
        if str(path.relative_to(root)) not in keep:
            path.unlink()
    shutil.rmtree(root / "tmp", ignore_errors=True)
    return len(entries)
