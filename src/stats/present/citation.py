"""Source lines for charts and tables: publisher, licence, cited tables and SCB's CKM note."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from stats.catalog.load import Series, load_catalog
from stats.config import load_settings
from stats.fmt import format_date
from stats.regions import Home, as_place

# only SCB's PxWebApi 2 ids are worth citing; file names and stitched KPI lists are not
_SCB_TABLE_ID = re.compile(r"^TAB\d+$")
_CKM = re.compile(r"CKM|Cell Key Method", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9])")
_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")


def _cite(table: str, label: str | None) -> str:
    if not label:
        return table
    if _SCB_TABLE_ID.match(table) and table not in label:
        return f"{label} ({table})"
    return label


def processor(home: Home | None = None) -> str:
    """Who processed the figures: the home län's regional organisation (regions.toml), or
    the one a frozen meeting recorded; default: the configured STATS_HOME_REGION's."""
    return as_place(load_settings().home_region if home is None else home).processor


def source_caption(*metas: Mapping[str, Any], home: Home | None = None, fallback: str = "") -> str:
    """Source line, e.g. "Källa: SCB, <title> (TAB6471), hämtad 2026-06-15. Bearbetning: …".

    One part per release meta, joined by "; " (repeats once); without any, `fallback` names
    the source. The publisher is followed by "via <who>" when someone else passed the data on
    and by the licence when the release names one ("Kolada (RKA), CC BY 4.0"); a table id is
    cited only when it is SCB's (TAB6471), never a file name. The date says how the data came
    here (`obtained_word`). `home` is the home län code (default: STATS_HOME_REGION).
    """
    parts = [
        f"{cited_publisher(m)}, {cited_tables(m)}, {obtained_word(m)} "
        f"{format_date(m['fetched_at'])}"
        for m in metas
    ]
    cited = "; ".join(dict.fromkeys(parts)) if parts else fallback
    return f"Källa: {cited}. Bearbetning: {processor(home)}."


@cache
def catalog_publishers() -> dict[str, str]:
    """Publisher per catalog series id, as the catalog files declare them."""
    return {s.id: declared_publisher(s) for s in load_catalog().series.values()}


def declared_publisher(series: Series) -> str:
    """Who publishes a series according to the catalog, e.g. "SCB" or "SCB via Region Dalarna"."""
    names = dict.fromkeys(
        _with_via(
            str(part.options.get("publisher") or series.publisher or part.source),
            part.options.get("via"),
        )
        for part in series.parts
    )
    return " och ".join(names)


def _with_via(publisher: str, via: Any) -> str:
    # releases stored before `via` was declared carry it in the publisher's name
    return f"{publisher} via {via}" if via and f" via {via}" not in publisher else publisher


@cache
def _declared_options(series_id: str) -> dict[str, Any]:
    """The first catalog part's options of a series ({} for an unknown series)."""
    series = load_catalog().series.get(series_id)
    return dict(series.parts[0].options) if series and series.parts else {}


def _provenance(meta: Mapping[str, Any], key: str) -> Any:
    """`via` or `obtained` as the release records it, else as its catalog part declares it."""
    if key in meta:
        return meta[key]
    return _declared_options(str(meta.get("series_id", ""))).get(key)


def obtained_word(meta: Mapping[str, Any]) -> str:
    """How a release came here: "hämtad" (from the publisher), "kopierad" (from a public file),
    "avskriven" (typed in from a page) or "importerad" (a file the analyst imported)."""
    return str(_provenance(meta, "obtained") or "hämtad")


def publisher_via(meta: Mapping[str, Any]) -> str:
    """Publisher of a release and who passed it on: "SCB via Region Dalarna".

    A release that does not name its publisher gets the one its catalog file declares.
    """
    if meta.get("source"):
        return _with_via(str(meta["source"]), _provenance(meta, "via"))
    declared = catalog_publishers().get(str(meta.get("series_id", "")), "")
    return declared or "utgivare okänd"


def cited_publisher(meta: Mapping[str, Any]) -> str:
    """`publisher_via` plus the licence when the release names one: "Kolada (RKA), CC BY 4.0"."""
    publisher = publisher_via(meta)
    return f"{publisher}, {meta['license']}" if meta.get("license") else publisher


def cited_tables(meta: Mapping[str, Any]) -> str:
    """The tables of a release by title, SCB's with their id: "<title> (TAB6471)"."""
    labels: Mapping[str, str] = meta.get("table_labels", {})
    tables = meta.get("table_ids") or meta.get("tables") or list(labels)
    return "; ".join(dict.fromkeys(_cite(str(t), labels.get(t)) for t in tables))


def ckm_note(meta: Mapping[str, Any], sentences: int = 3) -> str | None:
    """SCB's Cell Key Method note, shortened to its first sentences plus the one naming CKM."""
    note = next((n for n in meta.get("notes", []) if _CKM.search(str(n))), None)
    if note is None:
        return None
    text = " ".join(_MARKDOWN_LINK.sub(r"\1", str(note)).split())
    parts = _SENTENCE_END.split(text)
    kept = parts[:sentences]
    naming = next((p for p in parts if _CKM.search(p)), None)
    if naming is not None and naming not in kept:
        kept.append(naming)
    return "Not från SCB: " + " ".join(kept)
