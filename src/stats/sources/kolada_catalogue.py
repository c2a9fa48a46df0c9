"""Kolada's KPI catalogue: the embedded copy or a newer one from /v3/kpi, searched by word.

The embedded catalogue (`kolada_kpis/kpi_catalogue.csv.gz`, 6 099 KPIs, origin in
`kolada_kpis/ORIGIN.toml`) works offline. `refresh_kpi_catalogue` pages through `/v3/kpi` and
writes the same CSV columns to `<STATS_DATA_DIR>/kolada/kpi_catalogue.csv.gz` by an atomic
rename; `load_kpi_catalogue` prefers that copy when it is there and readable.

Search is by word over the id, title and description, case- and accent-insensitive
("hallbarhet" finds "hållbarhet"): every word must occur; title hits rank first.
"""

from __future__ import annotations

import csv
import gzip
import io
import logging
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from stats.errors import SchemaChanged, StatsError
from stats.sources.kolada import KPI_ID, PER_PAGE, KoladaClient, envelope

log = logging.getLogger(__name__)

EMBEDDED = Path(__file__).with_name("kolada_kpis") / "kpi_catalogue.csv.gz"
REFRESHED = Path("kolada") / "kpi_catalogue.csv.gz"
COLUMNS = (
    "id",
    "title",
    "description",
    "is_divided_by_gender",
    "municipality_type",
    "auspice",
    "operating_area",
    "perspective",
    "prel_publication_date",
    "publication_date",
    "publ_period",
    "has_ou_data",
)
# the combining marks NFKD splits off Latin letters (å → a + ring above)
COMBINING = re.compile(r"[\u0300-\u036f]")
MIN_KPIS = 1000  # a /v3/kpi answer with fewer KPIs is not the whole catalogue
MAX_QUERY = 200
MAX_WORDS = 8


@dataclass(frozen=True)
class Kpi:
    """One Kolada KPI's metadata."""

    id: str
    title: str
    description: str
    divided_by_gender: bool
    municipality_type: str
    operating_area: str
    publication_date: str


@dataclass(frozen=True)
class _Entry:
    kpi: Kpi
    title: str  # folded id and title
    text: str  # folded id, title and description


def fold(text: str) -> str:
    """Lower case without accents: "Hållbarhet" → "hallbarhet"."""
    return COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))


def query_words(query: str) -> list[str]:
    """The words of a search query, folded; at most MAX_WORDS of the first MAX_QUERY chars."""
    return re.findall(r"\w+", fold(query[:MAX_QUERY]))[:MAX_WORDS]


class KpiCatalogue:
    """The KPIs by id, with a word search; `origin` says which copy was read."""

    def __init__(self, kpis: Iterable[Kpi], origin: str) -> None:
        self.origin = origin
        self.kpis = {k.id: k for k in kpis}
        # folded in one call: NFKD and the regex run once over all the text
        kpis_in_order = list(self.kpis.values())
        texts = "\x00".join(f"{k.id} {k.title}\x00{k.description}" for k in kpis_in_order)
        folded = fold(texts).split("\x00")
        self._entries = [
            _Entry(k, folded[2 * i], f"{folded[2 * i]} {folded[2 * i + 1]}")
            for i, k in enumerate(kpis_in_order)
        ]

    def __len__(self) -> int:
        return len(self.kpis)

    def get(self, kpi_id: str) -> Kpi | None:
        """The KPI with this exact id, e.g. "N00926"."""
        return self.kpis.get(kpi_id)

    def search(self, query: str, limit: int = 50) -> list[Kpi]:
        """KPIs holding every word of the query; title hits, word starts, short titles first.

        Examples
        --------
        >>> [k.id for k in catalogue.search("företagskonkurser 16-64", 1)]  # doctest: +SKIP
        ['N00926']
        """
        words = query_words(query)
        if not words:
            return []
        starts = [re.compile(rf"\b{re.escape(w)}") for w in words]
        ranked = []
        for entry in self._entries:
            if not all(w in entry.text for w in words):
                continue
            in_title = sum(w in entry.title for w in words)
            at_start = sum(bool(s.search(entry.title)) for s in starts)
            ranked.append((-in_title, -at_start, len(entry.title), entry.kpi.id, entry.kpi))
        ranked.sort(key=lambda r: r[:4])
        return [r[4] for r in ranked[:limit]]


def _kpi(row: dict[str, Any], where: str) -> Kpi:
    kpi_id, title = row.get("id"), row.get("title")
    if not isinstance(kpi_id, str) or not KPI_ID.fullmatch(kpi_id):
        raise SchemaChanged(f"{where}: KPI id {kpi_id!r} is not like 'N00926'")
    if not isinstance(title, str) or not title.strip():
        raise SchemaChanged(f"{where}: KPI {kpi_id} has no title")
    gender = row.get("is_divided_by_gender")
    return Kpi(
        id=kpi_id,
        title=" ".join(title.split()),
        description=str(row.get("description") or ""),
        divided_by_gender=gender is True or str(gender).casefold() in ("true", "1"),
        municipality_type=str(row.get("municipality_type") or ""),
        operating_area=str(row.get("operating_area") or ""),
        publication_date=str(row.get("publication_date") or ""),
    )


def read_catalogue_file(path: Path) -> list[Kpi]:
    """The KPIs of a catalogue CSV (gzip); StatsError naming the file and the row."""
    try:
        with gzip.open(path, "rt", encoding="utf-8", newline="") as stream:
            reader = csv.DictReader(stream)
            missing = {"id", "title", "description"} - set(reader.fieldnames or ())
            if missing:
                raise SchemaChanged(f"{path}: missing columns {', '.join(sorted(missing))}")
            kpis = [_kpi(row, f"{path} row {i + 2}") for i, row in enumerate(reader)]
    except (OSError, EOFError, UnicodeDecodeError, csv.Error) as exc:
        raise StatsError(f"{path}: cannot read the KPI catalogue: {exc}") from None
    if len({k.id for k in kpis}) != len(kpis):
        raise SchemaChanged(f"{path}: a KPI id appears twice")
    return kpis


@lru_cache(maxsize=4)
def _cached(path: Path, _mtime_ns: int, origin: str) -> KpiCatalogue:
    return KpiCatalogue(read_catalogue_file(path), origin)


def catalogue_path(data_dir: Path) -> Path:
    """Where `refresh_kpi_catalogue` keeps the catalogue fetched from /v3/kpi."""
    return data_dir / REFRESHED


def load_kpi_catalogue(data_dir: Path | None = None) -> KpiCatalogue:
    """The refreshed catalogue under `data_dir` when readable, else the embedded one."""
    if data_dir is not None:
        fresh = catalogue_path(data_dir)
        if fresh.exists():
            try:
                return _cached(fresh, fresh.stat().st_mtime_ns, "Kolada /v3/kpi")
            except StatsError as exc:
                log.warning("ignoring the refreshed KPI catalogue: %s", exc)
    origin = "inbäddad katalog (rKolada, 2026-03-23)"
    return _cached(EMBEDDED, EMBEDDED.stat().st_mtime_ns, origin)


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    return str(value)


def write_catalogue_file(records: Sequence[dict[str, Any]], target: Path) -> None:
    """Write KPI records as the catalogue CSV (gzip) next to `target`, then rename it in."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for record in records:
        writer.writerow({c: _csv_value(record.get(c)) for c in COLUMNS})
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(gzip.compress(buffer.getvalue().encode("utf-8"), mtime=0))
        read_catalogue_file(tmp)  # what we wrote reads back
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)


def refresh_kpi_catalogue(client: KoladaClient, data_dir: Path) -> int:
    """Fetch every page of /v3/kpi, check it, write it atomically; the number of KPIs."""
    pages = client.get_pages("/kpi", {"per_page": PER_PAGE}, table="kpi")
    records: list[dict[str, Any]] = []
    for page in pages:
        for item in envelope(page.content, page.url)["values"]:
            if not isinstance(item, dict):
                raise SchemaChanged(f"{page.url}: KPI entry {item!r:.80} is not an object")
            _kpi(item, page.url)
            records.append(item)
    if len({r["id"] for r in records}) != len(records):
        raise SchemaChanged("/v3/kpi: a KPI id appears twice across the pages")
    if len(records) < MIN_KPIS:
        raise SchemaChanged(
            f"/v3/kpi returned {len(records)} KPIs; expected the whole catalogue "
            f"(at least {MIN_KPIS}), so the old one is kept"
        )
    write_catalogue_file(records, catalogue_path(data_dir))
    return len(records)
