"""Importing an analyst's SNI file, and the circular-economy definition sets.

The CSV/XLSX files here are hand-built in the documented import shape with illustrative
numbers; they live only in the tests and never reach data/ or the app.
"""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import openpyxl
import pytest

from stats import cli
from stats.analysis.circular import load_sets, sets_frame
from stats.analysis.sni import covers, normalize_sni
from stats.catalog.load import load_catalog
from stats.config import load_settings
from stats.errors import CatalogError, SchemaChanged
from stats.ingest.imports import import_content, safe_file_name
from stats.sources.sni_import import parse_import

GOOD = (
    "region,sni,år,sysselsatta\n"
    "23,33120,2022,40\n"
    "23,45.200,2022,310\n"
    "23,95.110,2022,25\n"
    "23,86.101,2022,9000\n"
    "Östersund,47.790,2022,12\n"
)


def test_normalize_and_cover_sni_codes() -> None:
    assert normalize_sni("33120") == "33.120"
    assert normalize_sni(" 45.20 ") == "45.20"
    assert normalize_sni("95") == "95"
    assert normalize_sni("34.10") is None  # division 34 does not exist in SNI 2007
    assert normalize_sni("3312a") is None
    assert covers("95", "95.110") and covers("33.12", "33.120")
    assert not covers("33.12", "33.130")


def test_parse_good_file_with_names_and_codes() -> None:
    frame = parse_import(GOOD.encode(), "bestallning.csv")
    assert list(frame.columns) == ["region_code", "period", "SNI2007", "value"]
    assert frame["region_code"].tolist() == ["23", "23", "23", "23", "2380"]
    assert frame["SNI2007"].tolist()[:2] == ["33.120", "45.200"]
    assert frame["value"].sum() == 9387


def test_semicolon_csv_and_xlsx_give_the_same_rows() -> None:
    semi = GOOD.replace(",", ";").encode("cp1252")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for line in GOOD.splitlines():
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    a = parse_import(GOOD.encode(), "a.csv")
    assert parse_import(semi, "b.csv").equals(a)
    assert parse_import(buffer.getvalue(), "c.xlsx").equals(a)


BAD = {
    "unknown-sni": ("23,34.100,2022,5\n", "row 3: '34.100' is not an SNI 2007 code"),
    "duplicate": ("23,33.120,2022,5\n", "row 3: duplicate of row 2"),
    "no-such-region": ("Atlantis,33.120,2023,5\n", "row 3: region 'Atlantis' does not exist"),
    "text-in-number": ("23,33.130,2022,många\n", "row 3: employed 'många' is not a number"),
    "missing-year": ("23,33.130,,5\n", "row 3: the year is missing"),
    "negative": ("23,33.130,2022,-5\n", "must be a whole number"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_row_rejects_the_file_with_row_and_reason(case: str) -> None:
    extra, expected = BAD[case]
    content = ("region,sni,år,sysselsatta\n23,33.120,2022,40\n" + extra).encode()
    with pytest.raises(SchemaChanged) as info:
        parse_import(content, "fil.csv")
    assert str(info.value).startswith("fil.csv: ")
    assert expected in str(info.value)


def test_missing_column_names_what_is_expected() -> None:
    with pytest.raises(SchemaChanged, match="row 1: no employed column"):
        parse_import(b"region,sni,year\n23,33.120,2022\n", "fil.csv")


def _import(tmp_path: Path, name: str, text: str) -> int:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return cli.main(["import-sni", str(path)])


def test_cli_import_stores_a_release_and_a_bad_file_stores_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = Path(str(tmp_path / "stats.duckdb"))
    assert _import(tmp_path, "bra.csv", GOOD) == 0
    con = duckdb.connect(str(db), read_only=True)
    before = con.execute("select * from observation order by all").fetchall()
    releases = con.execute("select count(*) from release").fetchall()
    con.close()
    assert len(before) == 5 and releases == [(1,)]
    bad = GOOD + "23,33120,2022,7\n"
    assert _import(tmp_path, "dubblett.csv", bad) == 1
    assert "dubblett.csv: row 7: duplicate of row 2" in capsys.readouterr().err
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select * from observation order by all").fetchall() == before
    assert con.execute("select count(*) from release").fetchall() == [(1,)]


def test_definition_sets_load_and_expand() -> None:
    sets = {s.id: s for s in load_sets()}
    assert set(sets) == {"scb_eurostat", "bred_uthyrning"}
    assert "95" in sets["scb_eurostat"].codes and "77" not in sets["scb_eurostat"].codes
    frame = sets_frame(list(sets.values()))
    assert {"set_id", "set_name", "version", "source", "code"} <= set(frame.columns)
    assert "3311" in set(frame["code"])


def test_definition_set_with_invalid_code_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "circular.toml"
    path.write_text(
        '[set.fel]\nname = "Fel"\nversion = "1"\nsource = "test"\ncodes = ["33.11", "34.1"]\n'
    )
    with pytest.raises(CatalogError, match=r"circular.toml: set.fel.codes: '34.1' is not a valid"):
        load_sets(path)


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("../../pyproject.toml", "pyproject.toml"),
        ("/etc/passwd", "passwd"),
        ("..\\..\\evil.csv", "evil.csv"),
        ("<img src=x>.csv", "_img src_x_.csv"),
        ("..", "fil"),
    ],
)
def test_an_uploads_name_is_a_label_never_a_path(name: str, label: str, tmp_path: Path) -> None:
    settings = load_settings()
    series = load_catalog().get("sysselsatta_sni_detalj")
    before = sorted(p.name for p in tmp_path.parent.iterdir())
    outcome = import_content(settings, series, name, GOOD.encode())
    assert outcome.ok, outcome.message
    assert safe_file_name(name) == label
    con = duckdb.connect(str(settings.db_path), read_only=True)
    urls = [r[0] for r in con.execute("select url from response").fetchall()]
    con.close()
    assert urls == [f"file:{label}"]
    assert sorted(p.name for p in tmp_path.parent.iterdir()) == before
