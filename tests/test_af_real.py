"""Arbetsförmedlingen's real files: the January 2020 varsel file (Riket by bransch, old .xls).

Expected values are read by hand from the file (tests/fixtures/af/, see MANIFEST.toml): the
Summa row says 178 varsel and 3 304 berörda personer for uppsägningar, of which 84 varsel and
1 459 personer at closures; Tillverkning (C) has 37 varsel and 579 personer.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
import responses

from stats.catalog.load import CATALOG_DIR, Catalog, load_catalog
from stats.errors import CatalogError, SchemaChanged, SourceError
from stats.ingest.refresh import refresh
from stats.sources.af.bransch import rows_bransch_riket_manad
from stats.sources.af.excel import INDEX_URL, AfExcelSource, parse_options
from stats.sources.af.links import BASE_URL, find_xlsx_links
from stats.sources.af.workbook import Workbook
from stats.sources.http import HttpClient, RateLimit, RawResponse
from stats.store.write import open_writer
from tests.adapter_faults import FakeSleep
from tests.fixture_files import load_fixture

SERIES = "varsel_riket_bransch_manad"
XLS = "af/af_varsel_riket_2020-01_bransch.xls"
WEEKLY = "af/af_inskrivna_arbetslosa_riket_vecka_2018-2020.xlsx"
URL = BASE_URL + "/download/18.1a2b3c/1580000000000/varsel-riket-2020-01.xls"
INDEX = f'<ul><li><a href="{URL.removeprefix(BASE_URL)}">Varsel januari 2020 (xls)</a></li></ul>'


def catalog() -> Catalog:
    return load_catalog(CATALOG_DIR / "af.toml")


def raw(content: bytes, url: str = URL) -> RawResponse:
    return RawResponse(url, "GET", "", content, 200, datetime(2020, 2, 10, tzinfo=UTC))


def decode(content: bytes, url: str = URL) -> Any:
    series = catalog().get(SERIES)
    return AfExcelSource().decode(series, series.parts[0], "varsel_riket", raw(content, url))


def value(frame: Any, sni: str, uppgift: str) -> float:
    row = frame[frame.SNI2007.eq(sni) & frame.uppgift.eq(uppgift)]
    assert len(row) == 1, (sni, uppgift)
    return float(row.iloc[0].value)


def test_real_xls_sum_row_is_178_varsel_and_3304_berorda() -> None:
    decoded = decode(load_fixture(XLS))
    frame = decoded.frame
    assert set(frame.region_code) == {"00"} and set(frame.period) == {"2020M01"}
    assert value(frame, "TOT", "uppsagning_varsel") == 178
    assert value(frame, "TOT", "uppsagning_berorda") == 3304
    assert value(frame, "TOT", "nedlaggning_varsel") == 84
    assert value(frame, "TOT", "nedlaggning_berorda") == 1459
    assert value(frame, "TOT", "permittering_berorda") == 0
    assert value(frame, "C", "uppsagning_varsel") == 37
    assert value(frame, "C", "uppsagning_berorda") == 579
    # sections A–S, Uppgift saknas and Summa, for six columns
    assert len(frame) == (19 + 2) * 6
    assert frame.status.isna().all()
    assert decoded.labels[("SNI2007", "C")] == "Tillverkning"
    assert decoded.labels[("SNI2007", "US")] == "Uppgift saknas"
    assert decoded.labels[("uppgift", "permittering_varsel")] == "Varsel om permittering"
    title = "Under månaden inkomna varsel. Antal varsel och berörda personer"
    assert decoded.meta["label"] == title
    assert decoded.meta["file"] == "varsel-riket-2020-01.xls"


def real_book() -> tuple[Workbook, str]:
    series = catalog().get(SERIES)
    book = Workbook(series, raw(load_fixture(XLS)))
    return book, "Manad"


def edit(book: Workbook, sheet: str, row: int, col: int | None, new: Any) -> None:
    """Set one cell, or the whole row when `col` is None."""
    rows = book.sheets[sheet]
    cells = list(rows[row])
    for c in range(len(cells)) if col is None else [col]:
        cells[c] = new
    rows[row] = tuple(cells)


EDITS: dict[str, tuple[int, int | None, Any, str]] = {
    # row and column are 0-based positions in the real sheet (row 10 is C Tillverkning)
    "sum-disagrees": (9, 2, 38.0, "the Summa row says 178 but the rows above sum to 179"),
    "unknown-column": (6, 3, "Ärenden", "column 4 is headed"),
    "text-in-a-count": (9, 3, "se not", "cell D10 holds 'se not'"),
    "no-summa": (27, None, None, "no 'Summa' row"),
    "summa-renamed": (27, 0, "Totalsumma", "row 28 starts 'Totalsumma'"),
    "no-date": (1, None, None, "no date cell"),
    "unknown-row": (12, 0, "FF", "row 13 starts 'FF'; expected an SNI section"),
}


@pytest.mark.parametrize("case", list(EDITS))
def test_real_layout_with_one_cell_changed_is_rejected(case: str) -> None:
    row, col, new, expected = EDITS[case]
    book, sheet = real_book()
    edit(book, sheet, row, col, new)
    with pytest.raises(SchemaChanged) as info:
        rows_bransch_riket_manad(book, sheet, ("SNI2007", "uppgift"), {})
    message = str(info.value)
    assert message.startswith(f"series {SERIES!r}: file varsel-riket-2020-01.xls, sheet 'Manad'")
    assert expected in message, message


def test_date_cell_must_agree_with_the_file_name() -> None:
    with pytest.raises(SchemaChanged, match=r"date cell says 2020M01 but the file name says 2020-"):
        decode(load_fixture(XLS), URL.replace("2020-01", "2020-02"))


def test_a_truncated_xls_is_rejected() -> None:
    with pytest.raises(SourceError, match=r"varsel-riket-2020-01\.xls: cannot read the workbook"):
        decode(load_fixture(XLS)[:5000])


def test_the_real_weekly_workbook_is_not_a_varsel_file() -> None:
    with pytest.raises(SchemaChanged) as info:
        decode(load_fixture(WEEKLY), URL.replace(".xls", ".xlsx"))
    assert "found 0 among sheets 'vstat_CH_SOKANDE_Tabell_1R_E337'" in str(info.value)


def test_layout_holds_riket_only() -> None:
    series = catalog().get(SERIES)
    wrong = type(series)(**{**series.__dict__, "regions": ("riket", "lan")})
    with pytest.raises(CatalogError, match=r"holds Riket only"):
        parse_options(wrong, series.parts[0])


def test_index_links_to_xls_files_are_found() -> None:
    links = find_xlsx_links(INDEX + '<a href="/download/18.9/1/a.xlsx">', INDEX_URL)
    assert [link.name for link in links] == ["varsel-riket-2020-01.xls", "a.xlsx"]


def test_refresh_downloads_the_xls_and_stores_the_sum_row(tmp_path: Path) -> None:
    db = tmp_path / "stats.duckdb"
    client = HttpClient(BASE_URL, rate=RateLimit(1, 1.0), sleep=FakeSleep(), max_retries=1)
    with responses.RequestsMock() as rsps:
        rsps.get(INDEX_URL, body=INDEX, content_type="text/html")
        rsps.get(URL, body=load_fixture(XLS), content_type="application/vnd.ms-excel")
        with open_writer(db) as store:
            sources = {"af_varsel": AfExcelSource(client)}
            [outcome] = refresh(store, tmp_path / "raw", catalog(), [SERIES], sources, home="23")
    assert outcome.ok and outcome.rows == 126, outcome
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        "select dims, value from latest where series_id = ? and dims like '%TOT%'", [SERIES]
    ).fetchall()
    totals = {json.loads(dims)["uppgift"]: v for dims, v in rows}
    assert (totals["uppsagning_varsel"], totals["uppsagning_berorda"]) == (178.0, 3304.0)
