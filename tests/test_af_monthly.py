"""Arbetsförmedlingen's monthly web-sok-lan-kom workbook: pivot cache, sums, failure modes.

No real AF workbook is available, so the xlsx files and the tidsserier index page are built
here in code in the documented shape (src/stats/sources/af_monthly.py, af_pivot.py): a shape
fixture, illustrative values. The zip parts are written by hand: [Content_Types].xml, the
workbook with one sheet, xl/pivotCache/pivotCacheDefinition1.xml (cacheFields with
sharedItems) and pivotCacheRecords1.xml (<r> records of <x>, <n>, <s> and <m/>).
"""

from __future__ import annotations

import html
import io
import math
import tracemalloc
import zipfile
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import responses

from stats.catalog.load import CATALOG_DIR, Catalog, load_catalog
from stats.config import USER_AGENT
from stats.errors import CatalogError, SchemaChanged
from stats.ingest.refresh import Outcome, refresh
from stats.regions import load_regions
from stats.sources.af.monthly import INDEX_URL, MASKED_SUM, AfMonthlySource, parse_options
from stats.sources.af.pivot import PivotWorkbook, count_status
from stats.sources.base import FetchRequest
from stats.sources.http import HttpClient, RateLimit, RawResponse
from stats.store.write import open_writer
from tests.adapter_faults import (
    Adapter,
    Endpoint,
    FakeSleep,
    failure_test,
    refresh_once,
    replacing,
)
from tests.fixture_files import load_fixture
from tests.store_checks import replay

SERIES = "inskrivna_arbetslosa_manad"
DL = "https://arbetsformedlingen.se/download/18.5f1e2d3c19e00000000"
NEWEST = DL + "3/1787400000000/web-sok-lan-kom-2026-08.xlsx"
OLDER = DL + "2/1784800000000/web-sok-lan-kom-2026-07.xlsx"
NEXT = DL + "5/1790000000000/web-sok-lan-kom-2026-09.xlsx"
OTHER = DL + "4/1787400000000/web-inskrivna-arbetslosa-tid-utan-arbete-lan-kom-2026-08.xlsx"
REGIONS = load_regions()
KOMMUNER = [k for lan in REGIONS.lan_codes for k in REGIONS.kommuner[lan]]
PERIODS = ("2026-06", "2026-07", "2026-08")
KOEN = ("Kvinnor", "Män")
UTBILDNING = ("Gymnasial", "Eftergymnasial")
UTBILDNING3 = ("Förgymnasial", "Gymnasial", "Eftergymnasial")
FIELDS = ("PERIOD", "KOEN", "LAN", "KOMMUN_BESKR", "UTBILDNING", "INSAL")
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
# (PERIOD, KOEN, LAN, KOMMUN_BESKR or None, UTBILDNING, INSAL): an int, "<5" inline,
# "x<5" the shared "<5" item, or None for <m/>
Rec = tuple[str, str, str, str | None, str, int | str | None]


def count(kommun: str, p: int, k: int, u: int) -> int:
    """An illustrative count, never under 5."""
    return (int(kommun) + 7 * p + 3 * k + 5 * u) % 97 + 5


def lan_of(kommun: str) -> str:
    return next(lan for lan in REGIONS.lan_codes if kommun in REGIONS.kommuner[lan])


def standard_records(rename: dict[str, str] | None = None) -> list[Rec]:
    """Every kommun × month × kön × utbildning, with masks, Uppgift saknas and an unknown län."""
    names = {k: REGIONS.name(k) for k in KOMMUNER} | (rename or {})
    out: list[Rec] = []
    for p, period in enumerate(PERIODS):
        for kommun in KOMMUNER:
            lan = REGIONS.name(lan_of(kommun))
            for k, koen in enumerate(KOEN):
                for u, utb in enumerate(UTBILDNING):
                    value: int | str = count(kommun, p, k, u)
                    if (kommun, period, k, u) == ("2305", "2026-07", 0, 0):
                        value = "<5"  # Bräcke: one masked part of four
                    if kommun == "2403" and period == "2026-06":
                        if (k, u) != (0, 0):
                            continue  # Bjurholm: a single record, masked by a shared item
                        value = "x<5"
                    out.append((period, koen, lan, names[kommun], utb, value))
        out.append((period, "Kvinnor", "Jämtlands län", "Uppgift saknas", "Gymnasial", 3))
        out.append((period, "Män", "Uppgift saknas", None, "Gymnasial", 7))
    return out


def cache_parts(records: Sequence[Rec], names: Sequence[str] = FIELDS) -> dict[str, str]:
    """The pivot cache definition, its rels and the records, as ECMA-376 §18.10 lays them out."""
    shared: list[dict[str, int]] = [{} for _ in range(5)]

    def x(i: int, value: str) -> str:
        return f'<x v="{shared[i].setdefault(value, len(shared[i]))}"/>'

    rows = []
    for rec in records:
        cells = [x(i, v) if v is not None else "<m/>" for i, v in enumerate(rec[:5])]
        insal = rec[5]
        if insal is None:
            cells.append("<m/>")
        elif insal == "x<5":
            cells.append('<x v="0"/>')
        elif isinstance(insal, str):
            cells.append(f'<s v="{html.escape(insal)}"/>')
        else:
            cells.append(f'<n v="{insal}"/>')
        rows.append("<r>" + "".join(cells) + "</r>")
    fields = [
        f'<cacheField name="{name}" numFmtId="0"><sharedItems count="{len(items)}">'
        + "".join(f'<s v="{html.escape(v)}"/>' for v in items)
        + "</sharedItems></cacheField>"
        for name, items in zip(names, shared, strict=False)
    ]
    fields.append(
        f'<cacheField name="{names[5]}" numFmtId="0"><sharedItems containsMixedTypes="1" '
        'containsNumber="1" containsInteger="1" minValue="3" maxValue="101" count="1">'
        '<s v="&lt;5"/></sharedItems></cacheField>'
        '<cacheField name="ANDEL" numFmtId="0" formula="INSAL/2" databaseField="0"/>'
    )
    return {
        "xl/pivotCache/pivotCacheDefinition1.xml": (
            f'<pivotCacheDefinition xmlns="{MAIN}" xmlns:r="{REL}" r:id="rId1" '
            f'recordCount="{len(rows)}"><cacheSource type="worksheet">'
            '<worksheetSource ref="A1:F9" sheet="SQL-data"/></cacheSource>'
            f'<cacheFields count="{len(names) + 1}">{"".join(fields)}</cacheFields>'
            "</pivotCacheDefinition>"
        ),
        "xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels": (
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Target="pivotCacheRecords1.xml" '
            f'Type="{REL}/pivotCacheRecords"/></Relationships>'
        ),
        "xl/pivotCache/pivotCacheRecords1.xml": (
            f'<pivotCacheRecords xmlns="{MAIN}" xmlns:r="{REL}" count="{len(rows)}">'
            + "".join(rows)
            + "</pivotCacheRecords>"
        ),
    }


def workbook(
    records: Sequence[Rec] | None = None,
    names: Sequence[str] = FIELDS,
    edit: Callable[[str], str] = str,
) -> bytes:
    """A small xlsx: one sheet with a title, the data only in pivot cache 1 (`edit`ed)."""
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/>'
            '<Override PartName="/xl/pivotCache/pivotCacheDefinition1.xml" '
            f'ContentType="{ct}.pivotCacheDefinition+xml"/>'
            '<Override PartName="/xl/pivotCache/pivotCacheRecords1.xml" '
            f'ContentType="{ct}.pivotCacheRecords+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{PKG}">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Target="docProps/core.xml" Type="http://schemas.'
            'openxmlformats.org/package/2006/relationships/metadata/core-properties"/>'
            "</Relationships>"
        ),
        "docProps/core.xml": (
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/">'
            "<dc:title>Arbetssökande per län och kommun</dc:title>"
            "<dcterms:modified>2026-09-22T08:00:00Z</dcterms:modified></cp:coreProperties>"
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            '<sheet name="Tabell" sheetId="1" r:id="rId1"/></sheets>'
            '<pivotCaches><pivotCache cacheId="1" r:id="rId2"/></pivotCaches></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{PKG}">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/pivotCacheDefinition" '
            'Target="pivotCache/pivotCacheDefinition1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is>'
            "<t>Arbetssökande per län och kommun</t></is></c></row></sheetData></worksheet>"
        ),
        **cache_parts(standard_records() if records is None else records, names),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(name, (edit(text) if "Records" in name else text).encode("utf-8"))
    return out.getvalue()


def index_page(newest: Sequence[str] = (NEWEST,)) -> bytes:
    links = [OLDER, OTHER, *newest, DL + "1/1700000000000/arsmedeltal-2025.pdf"]
    items = "".join(
        f'<li><a href="{u.removeprefix("https://arbetsformedlingen.se")}">x</a></li>' for u in links
    )
    page = f"<html><body><h1>Tidigare statistik, tidsserier</h1><ul>{items}</ul></body></html>"
    return page.encode()


def catalog() -> Catalog:
    return load_catalog(CATALOG_DIR / "af_monthly.toml")


def raw(content: bytes, url: str = NEWEST) -> RawResponse:
    return RawResponse(url, "GET", "", content, 200, datetime(2026, 9, 23, tzinfo=UTC))


def decode(content: bytes) -> Any:
    series = catalog().get(SERIES)
    return AfMonthlySource().decode(series, series.parts[0], "web_sok_lan_kom", raw(content))


def value(frame: pd.DataFrame, region: str, period: str) -> tuple[float, Any]:
    row = frame[(frame.region_code == region) & (frame.period == period)].iloc[0]
    return row.value, None if pd.isna(row.status) else row.status


def kommun_sum(kommun: str, p: int) -> int:
    return sum(count(kommun, p, k, u) for k in range(2) for u in range(2))


def test_decoding_sums_kommuner_into_lan_and_riket_with_masks() -> None:
    decoded = decode(workbook())
    frame = decoded.frame
    assert list(frame.columns) == ["region_code", "period", "value", "status", "preliminary"]
    assert len(frame) == (1 + 21 + 290) * 3
    assert sorted(set(frame.period)) == ["2026M06", "2026M07", "2026M08"]
    assert value(frame, "2380", "2026M08") == (kommun_sum("2380", 2), None)
    jamtland = sum(kommun_sum(k, 2) for k in REGIONS.kommuner["23"]) + 3  # + Uppgift saknas
    assert value(frame, "23", "2026M08") == (jamtland, None)
    riket = sum(kommun_sum(k, 2) for k in KOMMUNER) + 3 + 7  # + unknown kommun and län
    assert value(frame, "00", "2026M08") == (riket, None)
    lan_total = sum(value(frame, lan, "2026M08")[0] for lan in REGIONS.lan_codes)
    assert lan_total + 7 == riket
    for region in ("2305", "23", "00"):  # Bräcke 2026-07 has a masked part
        v, status = value(frame, region, "2026M07")
        assert math.isnan(v) and status == MASKED_SUM, region
    v, status = value(frame, "2403", "2026M06")  # Bjurholm: one masked record, AF's own "<5"
    assert math.isnan(v) and status == "<5"
    v, status = value(frame, "24", "2026M06")
    assert math.isnan(v) and status == MASKED_SUM
    assert value(frame, "2303", "2026M07") == (kommun_sum("2303", 1), None)
    assert decoded.labels[("region", "2380")] == "Östersund"
    assert decoded.meta["label"] == "Arbetssökande per län och kommun"
    assert decoded.meta["source"] == "Arbetsförmedlingen"
    assert any("<5-summa" in n for n in decoded.meta["notes"])
    assert decoded.updated == "2026-09-22T08:00:00Z"


def test_kommun_codes_and_short_lan_names_map_like_names() -> None:
    plain = decode(workbook()).frame
    coded = standard_records({"2380": "2380 Östersund", "2303": "2303"})
    coded = [(r[0], r[1], "Jämtland" if r[2] == "Jämtlands län" else r[2], *r[3:]) for r in coded]
    assert decode(workbook(coded)).frame.equals(plain)


def test_shape_fixture_is_a_readable_workbook() -> None:
    book = PivotWorkbook(workbook(), file="x.xlsx")
    [cache] = book.caches
    assert cache.names() == list(FIELDS)  # the calculated field ANDEL has no record values
    assert cache.records == "xl/pivotCache/pivotCacheRecords1.xml"
    first = next(book.rows(cache, [3, 5, 0]))
    assert first == (REGIONS.name(KOMMUNER[0]), float(count(KOMMUNER[0], 0, 0, 0)), "2026-06")


@pytest.mark.parametrize(
    ("text", "expected"),
    [(12.0, (12.0, None)), ("<5", (math.nan, "<5")), ("< 5", (math.nan, "<5")),
     ("1 234", (1234.0, None)), (None, (math.nan, "..")), ("x", None)],
)  # fmt: skip
def test_count_status(text: str | float | None, expected: tuple[float, str | None] | None) -> None:
    got = count_status(text)
    if expected is None or got is None:
        assert got == expected
    else:
        assert (got[0] == expected[0] or math.isnan(got[0])) and got[1] == expected[1]


def big_workbook(
    months: int = 120, koen: Sequence[str] = KOEN, utb: Sequence[str] = UTBILDNING3
) -> bytes:
    """months × 290 kommuner × kön × utbildning records (208 800 with the defaults)."""
    periods = [f"{2010 + m // 12}-{m % 12 + 1:02d}" for m in range(months)]
    records: list[Rec] = [
        (period, k_, REGIONS.name(lan_of(k)), REGIONS.name(k), u_, (p + i) % 50 + 5)
        for p, period in enumerate(periods)
        for i, k in enumerate(KOMMUNER)
        for k_ in koen
        for u_ in utb
    ]
    return workbook(records)


def records_size(content: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        return zf.getinfo("xl/pivotCache/pivotCacheRecords1.xml").file_size


def peak_memory(content: bytes) -> int:
    tracemalloc.start()
    try:
        decode(content)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_streaming_a_large_cache_is_small() -> None:
    # speed is not asserted here (a timed unit test fails on a loaded machine); see bench/
    frame = decode(big_workbook()).frame
    assert len(frame) == 120 * (1 + 21 + 290)
    # the same output from 6 times fewer records: memory follows the output, not the XML
    many, few = big_workbook(24), big_workbook(24, KOEN[:1], UTBILDNING3[:1])
    assert records_size(many) > 5 * records_size(few)
    assert peak_memory(many) < 1.3 * peak_memory(few)


def without_insal() -> bytes:
    return workbook(names=(*FIELDS[:5], "ANTAL"))


def unknown_kommun() -> bytes:
    return workbook(standard_records({"2326": "Bergs kommunförbund"}))


def wrong_lan() -> bytes:
    recs = standard_records()
    return workbook([(*r[:2], "Västernorrlands län", *r[3:]) if r[3] == "Åre" else r for r in recs])


def no_pivot_cache() -> bytes:
    """A real AF workbook whose data sit in a plain sheet: the weekly export, no pivot cache."""
    return load_fixture("af/af_inskrivna_arbetslosa_riket_vecka_2018-2020.xlsx")


def bad_record() -> bytes:
    return workbook(edit=lambda t: t.replace('<r><x v="0"/>', '<r><x v="0"/><x v="0"/>', 1))


DECODE_ERRORS: dict[str, tuple[Callable[[], bytes], list[str]]] = {
    "not-zip": (lambda: b"<!DOCTYPE html><title>Sidan finns inte</title>", ["not an xlsx (zip)"]),
    "truncated": (lambda: workbook()[:2000], ["truncated download"]),
    "no-pivot-cache": (no_pivot_cache, ["no pivot cache (xl/pivotCache/"]),
    "no-insal": (without_insal, ["lacks INSAL (inskrivna arbetslösa)", "PERIOD, KOEN"]),
    "unknown-kommun": (unknown_kommun, ["unknown kommun 'Bergs kommunförbund'"]),
    "kommun-in-wrong-lan": (wrong_lan, ["'Åre' (2321) is listed under län 'Västernorrlands län'"]),
    "bad-period": (lambda: workbook([("juni 2026", *standard_records()[0][1:])]), ["PERIOD 'juni"]),
    "extra-value": (bad_record, ["record 1 has more than 6 values"]),
}


@pytest.mark.parametrize("case", list(DECODE_ERRORS))
def test_changed_file_is_rejected_naming_file_and_expectation(case: str) -> None:
    build, expected = DECODE_ERRORS[case]
    with pytest.raises(SchemaChanged) as info:
        decode(build())
    message = str(info.value)
    assert message.startswith(f"series {SERIES!r}: file web-sok-lan-kom-2026-08.xlsx"), message
    for part in expected:
        assert part in message, message


def test_options_are_checked() -> None:
    series = catalog().get(SERIES)
    part = series.parts[0]
    typo = type(part)(**{**part.__dict__, "options": {**part.options, "layout": "x"}})
    with pytest.raises(CatalogError, match=r"options\.layout: unknown key"):
        parse_options(series, typo)
    assert parse_options(series, part).index_url == INDEX_URL


def run_refresh(db: Path, raw_root: Path) -> tuple[Outcome, FakeSleep]:
    sleep = FakeSleep()
    client = HttpClient("https://arbetsformedlingen.se", rate=RateLimit(1, 1.0), sleep=sleep)
    with open_writer(db) as store:
        [outcome] = refresh(
            store, raw_root, catalog(), [SERIES], {"af_monthly": AfMonthlySource(client)}, "23"
        )
    return outcome, sleep


def register_ok(rsps: responses.RequestsMock) -> None:
    rsps.get(INDEX_URL, body=index_page(), content_type="text/html")
    rsps.get(NEWEST, body=workbook(), content_type="application/octet-stream")


@pytest.fixture
def loaded(tmp_path: Path) -> Path:
    """A database holding one good release of inskrivna_arbetslosa_manad."""
    db = tmp_path / "stats.duckdb"
    outcome, asked = refresh_once(AF_MONTHLY, db, tmp_path / "raw")
    sent = [(r.url, r.headers["User-Agent"]) for r in asked]
    assert outcome.ok and outcome.new and outcome.rows == 312 * 3, outcome
    assert sent == [(INDEX_URL, USER_AGENT), (NEWEST, USER_AGENT)]  # the newest, not 2026-07
    return db


def test_refresh_stores_the_newest_file(loaded: Path) -> None:
    assert loaded.exists()


def test_an_already_fetched_file_is_not_downloaded_again() -> None:
    series = catalog().get(SERIES)
    before = raw(workbook())
    with responses.RequestsMock() as rsps:
        rsps.get(INDEX_URL, body=index_page())
        fetched = AfMonthlySource().fetch(FetchRequest(series, series.parts[0], 0, "23", (before,)))
    assert fetched.responses == (before,)
    assert {"00", "23", "2380"} <= set(fetched.expected_regions)


def next_month(rsps: responses.RequestsMock, body: bytes | None = None, **kw: Any) -> None:
    """The index page now links a 2026-09 file (new URL) and that download answers `body`."""
    rsps.get(INDEX_URL, body=index_page([NEXT, NEWEST]))
    rsps.get(NEXT, body=body, **kw)


AF_MONTHLY = Adapter(
    series_id=SERIES,
    refresh=run_refresh,
    register_ok=register_ok,
    serve=replacing(
        lambda r: next_month(r, workbook()),
        Endpoint("GET", NEXT),
        {"500": Endpoint("GET", INDEX_URL)},
    ),
    body=workbook,
    changed=without_insal,
    expect={"truncated": "truncated download", "changed-schema": "lacks INSAL"},
)

test_failure_leaves_the_store_exactly_as_before = failure_test(
    AF_MONTHLY,
    {
        "not-zip": (lambda r: next_month(r, b"<html>Underhall</html>"), "not an xlsx (zip)"),
        "unknown-kommun": (lambda r: next_month(r, unknown_kommun()), "unknown kommun"),
    },
)


def test_next_month_file_is_downloaded_and_stored(loaded: Path, tmp_path: Path) -> None:
    outcome, _ = replay(
        lambda r: next_month(r, workbook()), lambda: run_refresh(loaded, tmp_path / "raw")
    )
    assert outcome.ok and outcome.new, outcome
