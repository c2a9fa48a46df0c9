"""Arbetsförmedlingen's varsel workbooks: link discovery, parsing, layout changes, failure modes.

The real AF files we hold (tests/fixtures/af/, read by tests/test_af_real.py) are Riket only,
so the per-län workbooks are built here with openpyxl in the layouts documented in
src/stats/sources/af/excel.py (shape fixtures, illustrative values), and the index page is the
hand-built tests/fixtures/af/shape/tidigare-statistik.html.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pandas as pd
import pytest
import responses

from stats.catalog.load import CATALOG_DIR, Catalog, load_catalog
from stats.config import USER_AGENT
from stats.errors import CatalogError, SchemaChanged, SourceError
from stats.ingest.refresh import Outcome, refresh
from stats.regions import load_regions
from stats.sources.af.excel import INDEX_URL, AfExcelSource, parse_options
from stats.sources.af.links import BASE_URL, find_xlsx_links, pick_link
from stats.sources.http import HttpClient, RateLimit, RawResponse
from stats.store.write import open_writer
from tests.adapter_faults import Adapter, Endpoint, FakeSleep, failure_test, replacing
from tests.fixture_files import load_fixture

DL = BASE_URL + "/download/18.4a5b6c7d19e000000000"
MONTH_FILE = DL + "2/1777600000000/varsel-lan-199201-2026-03.xlsx"
OLDER_MONTH_FILE = DL + "1/1775000000000/varsel-lan-199201-2026-02.xlsx"
BRANSCH_FILE = DL + "3/1770000000000/varsel-lan-bransch-1992-2025.xlsx"
LAN = load_regions().lan_codes
SHORT = {c: load_regions().name(c).removesuffix(" län").removesuffix("s") for c in LAN}
MONTHS = ("2026-01", "2026-02", "2026-03")
SNI = [("A", "Jordbruk, skogsbruk och fiske"), ("C", "Tillverkning"), ("F", "Byggverksamhet")]


def index_page() -> bytes:
    return load_fixture("af/shape/tidigare-statistik.html")


def catalog() -> Catalog:
    return load_catalog(CATALOG_DIR / "af.toml")


def count(code: str, i: int) -> int:
    """An illustrative count for a län and a row index."""
    return (int(code) * 13 + i * 7) % 300 + 5


def to_bytes(book: Any) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def monthly_workbook(
    *, sheet: str = "Månad 1992-01--2026-03", pad: int = 0, drop: str = "", transpose: bool = False
) -> bytes:
    """Title block, header (empty first cell, one column per län + Riket), months as rows."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(["Antal personer berörda av varsel om uppsägning per län och månad"])
    ws.append(["Källa: Arbetsförmedlingen"])
    for _ in range(pad + 1):
        ws.append([])
    lan = [c for c in LAN if c != drop]
    header = [None, *(SHORT[c] for c in lan), "Riket"]
    rows = [
        [m, *("<5" if (c, m) == ("23", "2026-02") else count(c, i) for c in lan)]
        for i, m in enumerate(MONTHS)
    ]
    rows = [[*r, sum(v for v in r[1:] if isinstance(v, int))] for r in rows]
    table = [header, [], *rows, [], ["Uppgifterna avser antal personer."]]
    if transpose:
        table = [list(col) for col in zip(header, *rows, strict=True)]
    for row in table:
        ws.append(row)
    return to_bytes(book)


def bransch_workbook(
    *, years: tuple[str, ...] = ("2024", "2025"), summa: bool = True, bad_cell: str = ""
) -> bytes:
    """One sheet per year: title block, header (SNI, name, one column per län), Summa row."""
    book = openpyxl.Workbook()
    book.active.title = "Info"
    book.active.append(["Varsel per bransch och län. Bara fullständiga år."])
    for year in years:
        ws = book.create_sheet(year)
        ws.append([f"Antal personer berörda av varsel {year} per bransch och län"])
        ws.append([])
        ws.append(["SNI 2007", "Näringsgren", *(load_regions().name(c) for c in LAN)])
        body: list[list[Any]] = [
            [code, name, *(count(c, i) for c in LAN)] for i, (code, name) in enumerate(SNI)
        ]
        body.append([None, "Uppgift saknas", *(count(c, 9) % 7 for c in LAN)])
        body[1][2 + LAN.index("23")] = bad_cell or "<5"
        totals = [sum(r[j] for r in body if isinstance(r[j], int)) for j in range(2, 2 + len(LAN))]
        for row in [*body, *([[None, "Summa", *totals]] if summa else [])]:
            ws.append(row)
    return to_bytes(book)


def raw(content: bytes, url: str = MONTH_FILE) -> RawResponse:
    return RawResponse(url, "GET", "", content, 200, datetime(2026, 4, 20, tzinfo=UTC))


def decode(series_id: str, content: bytes, url: str = MONTH_FILE) -> Any:
    series = catalog().get(series_id)
    part = series.parts[0]
    return AfExcelSource().decode(series, part, part.table or "", raw(content, url))


def test_index_page_links_are_absolute_and_the_newest_month_wins() -> None:
    links = find_xlsx_links(index_page().decode(), INDEX_URL)
    assert len(links) == 6  # the pdf is not an xlsx link
    assert all(link.url.startswith(BASE_URL + "/download/18.") for link in links)
    monthly = parse_options(
        catalog().get("varsel_lan_manad"), catalog().get("varsel_lan_manad").parts[0]
    )
    chosen = pick_link(links, monthly.link_pattern, INDEX_URL, "s")
    assert (chosen.url, chosen.period) == (MONTH_FILE, "2026-03")
    yearly = catalog().get("varsel_lan_bransch_ar")
    chosen = pick_link(links, parse_options(yearly, yearly.parts[0]).link_pattern, INDEX_URL, "s")
    assert (chosen.url, chosen.period) == (BRANSCH_FILE, None)


def test_no_matching_link_names_the_page_and_the_pattern() -> None:
    links = find_xlsx_links(
        '<a href="/download/18.1/2/web-sok-lan-kom-2026-08.xlsx">x</a>', INDEX_URL
    )
    series = catalog().get("varsel_lan_manad")
    pattern = parse_options(series, series.parts[0]).link_pattern
    with pytest.raises(SchemaChanged) as info:
        pick_link(links, pattern, INDEX_URL, series.id)
    assert INDEX_URL in str(info.value) and pattern.pattern in str(info.value)
    assert "web-sok-lan-kom-2026-08.xlsx" in str(info.value)


def test_two_undated_matches_are_ambiguous() -> None:
    page = "".join(f'<a href="/download/18.{i}/1/varsel-lan-bransch-{i}.xlsx">' for i in (1, 2))
    series = catalog().get("varsel_lan_bransch_ar")
    pattern = parse_options(series, series.parts[0]).link_pattern
    with pytest.raises(SchemaChanged, match=r"2 links on .* expected one newest file"):
        pick_link(find_xlsx_links(page, INDEX_URL), pattern, INDEX_URL, series.id)


def test_monthly_file_becomes_long_rows_with_lan_codes_and_masks() -> None:
    decoded = decode("varsel_lan_manad", monthly_workbook())
    frame = decoded.frame
    assert list(frame.columns) == ["region_code", "period", "value", "status", "preliminary"]
    assert len(frame) == 3 * 22
    assert set(frame["region_code"]) == {*LAN, "00"}
    assert sorted(set(frame["period"])) == ["2026M01", "2026M02", "2026M03"]
    row = frame[(frame.region_code == "23") & (frame.period == "2026M03")].iloc[0]
    assert row.value == count("23", 2) and pd.isna(row.status)
    masked = frame[(frame.region_code == "23") & (frame.period == "2026M02")].iloc[0]
    assert math.isnan(masked.value) and masked.status == "<5"
    assert decoded.labels[("region", "23")] == "Jämtlands län"
    assert decoded.meta["source"] == "Arbetsförmedlingen"
    assert decoded.meta["label"].startswith("Antal personer berörda av varsel")
    assert any("<5" in note for note in decoded.meta["notes"])
    assert decoded.updated is not None  # the workbook's modified time


def test_header_found_by_content_not_by_row_number() -> None:
    moved = decode("varsel_lan_manad", monthly_workbook(pad=6)).frame
    assert moved.equals(decode("varsel_lan_manad", monthly_workbook()).frame)


def test_yearly_bransch_file_becomes_sni_rows_with_total_and_unknown() -> None:
    decoded = decode("varsel_lan_bransch_ar", bransch_workbook(), BRANSCH_FILE)
    frame = decoded.frame
    assert list(frame.columns)[:3] == ["region_code", "period", "SNI2007"]
    assert set(frame["period"]) == {"2024", "2025"}  # the Info sheet is not a year
    assert set(frame["region_code"]) == set(LAN)  # no Riket column: the series asks for län
    assert set(frame["SNI2007"]) == {"A", "C", "F", "US", "TOT"}
    jamtland = frame[(frame.region_code == "23") & (frame.period == "2025")].set_index("SNI2007")
    assert jamtland.loc["A", "value"] == count("23", 0)
    assert math.isnan(jamtland.loc["C", "value"]) and jamtland.loc["C", "status"] == "<5"
    assert jamtland.loc["TOT", "value"] == count("23", 0) + count("23", 2) + count("23", 9) % 7
    assert decoded.labels[("SNI2007", "TOT")] == "Summa"
    assert decoded.labels[("SNI2007", "US")] == "Uppgift saknas"


CHANGED: dict[str, tuple[str, Callable[[], bytes], str, list[str]]] = {
    "monthly-renamed-sheet": (
        "varsel_lan_manad",
        lambda: monthly_workbook(sheet="Per månad"),
        MONTH_FILE,
        ["varsel-lan-199201-2026-03.xlsx", "'^Månad'", "'Per månad'"],
    ),
    "monthly-missing-lan": (
        "varsel_lan_manad",
        lambda: monthly_workbook(drop="23"),
        MONTH_FILE,
        ["varsel-lan-199201-2026-03.xlsx", "sheet 'Månad 1992-01--2026-03'", "no column for 23"],
    ),
    "monthly-header-moved-to-first-column": (
        "varsel_lan_manad",
        lambda: monthly_workbook(transpose=True),
        MONTH_FILE,
        ["varsel-lan-199201-2026-03.xlsx", "sheet 'Månad 1992-01--2026-03'", "no header row"],
    ),
    "yearly-renamed-sheets": (
        "varsel_lan_bransch_ar",
        lambda: bransch_workbook(years=("År 2024",)),
        BRANSCH_FILE,
        ["varsel-lan-bransch-1992-2025.xlsx", "'^\\d{4}$'", "'År 2024'"],
    ),
    "yearly-no-summa-row": (
        "varsel_lan_bransch_ar",
        lambda: bransch_workbook(summa=False),
        BRANSCH_FILE,
        ["varsel-lan-bransch-1992-2025.xlsx", "sheet '2024'", "no 'Summa' row"],
    ),
    "yearly-text-in-a-count": (
        "varsel_lan_bransch_ar",
        lambda: bransch_workbook(bad_cell="se not 3"),
        BRANSCH_FILE,
        ["varsel-lan-bransch-1992-2025.xlsx", "sheet '2024'", "cell U5 holds 'se not 3'"],
    ),
}


@pytest.mark.parametrize("case", list(CHANGED))
def test_changed_layout_is_rejected_naming_file_and_expectation(case: str) -> None:
    series_id, build, url, expected = CHANGED[case]
    with pytest.raises(SchemaChanged) as info:
        decode(series_id, build(), url)
    message = str(info.value)
    assert message.startswith(f"series {series_id!r}: ")
    for part in expected:
        assert part in message, message


@pytest.mark.parametrize("content", [b"<html>Sidan finns inte</html>", b""], ids=["html", "empty"])
def test_a_download_that_is_not_a_workbook_is_rejected(content: bytes) -> None:
    with pytest.raises(
        SourceError, match=r"varsel-lan-199201-2026-03\.xlsx: download is not an xlsx"
    ):
        decode("varsel_lan_manad", content)


def test_a_truncated_workbook_is_rejected() -> None:
    with pytest.raises(SourceError, match=r"cannot read the workbook .* truncated download"):
        decode("varsel_lan_manad", monthly_workbook()[:3000])


def test_options_are_checked_against_the_series() -> None:
    series = catalog().get("varsel_lan_bransch_ar")
    part = series.parts[0]
    wrong = type(part)(**{**part.__dict__, "options": {**part.options, "layout": "manad_per_lan"}})
    with pytest.raises(
        CatalogError, match=r"options\.layout: manad_per_lan yields frequency 'month'"
    ):
        parse_options(series, wrong)
    typo = type(part)(**{**part.__dict__, "options": {**part.options, "linkpattern": "x"}})
    with pytest.raises(CatalogError, match=r"options\.linkpattern: unknown key"):
        parse_options(series, typo)


def run_refresh(
    db: Path, raw_root: Path, series: str = "varsel_lan_manad"
) -> tuple[Outcome, FakeSleep]:
    sleep = FakeSleep()
    client = HttpClient(BASE_URL, rate=RateLimit(1, 1.0), sleep=sleep, max_retries=3)
    with open_writer(db) as store:
        [outcome] = refresh(
            store, raw_root, catalog(), [series], {"af_varsel": AfExcelSource(client)}, home="23"
        )
    return outcome, sleep


def register_ok(rsps: responses.RequestsMock) -> None:
    rsps.get(INDEX_URL, body=index_page(), content_type="text/html")
    rsps.get(MONTH_FILE, body=monthly_workbook(), content_type="application/octet-stream")


def test_refresh_reads_the_index_downloads_the_newest_file_and_stores_it(tmp_path: Path) -> None:
    db = tmp_path / "stats.duckdb"
    with responses.RequestsMock() as rsps:
        register_ok(rsps)
        outcome, _ = run_refresh(db, tmp_path / "raw")
        sent = [
            (c.request.method, c.request.url, c.request.headers["User-Agent"]) for c in rsps.calls
        ]
    assert outcome.ok and outcome.new and outcome.rows == 3 * 22
    assert sent == [("GET", INDEX_URL, USER_AGENT), ("GET", MONTH_FILE, USER_AGENT)]
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute(
        "select value, status from latest where region_code = '23' and period = '2026M02'"
    ).fetchall() == [(None, "<5")]
    assert con.execute("select url, table_id, source from response").fetchall() == [
        (MONTH_FILE, "varsel_lan", "af_varsel")
    ]


def test_yearly_series_refreshes_from_its_own_file(tmp_path: Path) -> None:
    with responses.RequestsMock() as rsps:
        rsps.get(INDEX_URL, body=index_page())
        rsps.get(BRANSCH_FILE, body=bransch_workbook())
        outcome, _ = run_refresh(tmp_path / "db.duckdb", tmp_path / "raw", "varsel_lan_bransch_ar")
    assert outcome.ok and outcome.rows == 2 * 5 * 21, outcome


def case_html_instead_of_xlsx(rsps: responses.RequestsMock) -> None:
    rsps.get(INDEX_URL, body=index_page())
    rsps.get(MONTH_FILE, body=b"<!DOCTYPE html><title>Underhall</title>")


def case_no_link(rsps: responses.RequestsMock) -> None:
    rsps.get(INDEX_URL, body=index_page().replace(b"varsel-lan-", b"arkiv-"))


AF_VARSEL = Adapter(
    series_id="varsel_lan_manad",
    refresh=run_refresh,
    register_ok=register_ok,
    serve=replacing(register_ok, Endpoint("GET", MONTH_FILE), {"500": Endpoint("GET", INDEX_URL)}),
    body=monthly_workbook,
    changed=lambda: monthly_workbook(drop="23"),
    expect={"truncated": "cannot read the workbook", "changed-schema": "no column for 23"},
)

test_failure_leaves_the_store_exactly_as_before = failure_test(
    AF_VARSEL,
    {
        "html-instead-of-xlsx": (case_html_instead_of_xlsx, "not an xlsx"),
        "no-matching-link": (case_no_link, "no link on " + INDEX_URL),
    },
)
