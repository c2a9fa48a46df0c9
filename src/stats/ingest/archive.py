"""Raw responses, gzip-compressed and content-addressed under data/raw, with a JSONL manifest."""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

MANIFEST = "MANIFEST.jsonl"


@dataclass(frozen=True)
class RawEntry:
    """One archived response and where it came from."""

    series_id: str
    source: str
    table_id: str
    method: str
    url: str
    request_body: str
    fetched_at: str
    sha256: str
    path: str


def sha256_of(content: bytes) -> str:
    """Hex sha256 of a raw response body."""
    return hashlib.sha256(content).hexdigest()


def raw_relpath(source: str, table_id: str, digest: str, content: bytes = b"{") -> str:
    """Where a response with this digest lives, relative to the archive root."""
    head = content.lstrip()[:2]
    kind = "json" if head[:1] in (b"{", b"[") else "xlsx" if head == b"PK" else "dat"
    return f"{source}/{table_id}/{digest}.{kind}.gz"


def save_raw(
    root: Path,
    series_id: str,
    source: str,
    table_id: str,
    method: str,
    url: str,
    request_body: str,
    fetched_at: datetime,
    content: bytes,
) -> RawEntry:
    """Write the body (once per digest) and append its provenance to the manifest."""
    digest = sha256_of(content)
    rel = raw_relpath(source, table_id, digest, content)
    target = root / rel
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(gzip.compress(content, mtime=0))
        tmp.replace(target)
    entry = RawEntry(
        series_id, source, table_id, method, url, request_body, fetched_at.isoformat(), digest, rel
    )
    with (root / MANIFEST).open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")
    return entry


def read_raw(root: Path, rel: str) -> bytes:
    """The original bytes of an archived response."""
    return gzip.decompress((root / rel).read_bytes())
