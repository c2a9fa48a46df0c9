"""Indicators: catalog and SQL in step, column contracts, unique keys, hand-checked values."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pytest

from stats import cli
from stats.analysis.indicators import load_indicators, open_scope, run_indicator
from stats.config import ROOT
from stats.store.dbfile import open_reader

INDICATORS = load_indicators()


def test_every_indicator_has_sql_and_every_sql_is_declared() -> None:
    files = {p.stem for p in (ROOT / "queries").glob("*.sql")}
    assert files == set(INDICATORS)


@pytest.mark.parametrize("indicator_id", list(INDICATORS))
def test_contract_and_unique_keys_on_the_snapshot(snapshot_db: Path, indicator_id: str) -> None:
    ind = INDICATORS[indicator_id]
    scope = open_scope(open_reader(snapshot_db))
    frame = run_indicator(scope, indicator_id)
    assert list(frame.columns) == list(ind.columns)
    assert not frame.duplicated(list(ind.keys)).any()
    for key in ind.keys:
        assert frame[key].notna().all(), f"{indicator_id}: null in key column {key}"


def _row(frame, **match):  # type: ignore[no-untyped-def]
    rows = frame
    for column, value in match.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, f"{len(rows)} rows match {match}"
    return rows.iloc[0]


def test_monthly_change_of_bankruptcies_in_jamtland(snapshot_db: Path) -> None:
    # Regionfakta, "Företagskonkurser - månad" (updated 2021-05-14): Jämtland 7, 7, 11, 3
    frame = run_indicator(open_scope(open_reader(snapshot_db)), "manadsforandring")
    march = _row(frame, measure="konkurser_regionfakta", region_code="23", period="2021M03")
    assert (march["value"], march["previous"], march["change"]) == (11.0, 7.0, 4.0)
    assert march["change_pct"] == pytest.approx(100 * 4 / 7)
    jan = _row(frame, measure="konkurser_regionfakta", region_code="23", period="2021M01")
    assert math.isnan(jan["previous"]) and math.isnan(jan["rolling_12"])


def test_per_1000_uses_the_population_of_31_december_before(snapshot_db: Path) -> None:
    # 7 bankruptcies in January 2021 over 131 155 inhabitants on 2020-12-31 (Region JH's table)
    frame = run_indicator(open_scope(open_reader(snapshot_db)), "jamforelse_per_1000")
    row = _row(frame, measure="konkurser_regionfakta", region_code="23", period="2021M01")
    assert row["population"] == 131155
    assert row["population_basis"] == "31 december 2020"
    assert row["value"] == pytest.approx(7 / 131155 * 1000)


def test_unemployment_rank_and_riket(snapshot_db: Path) -> None:
    # SCB BAS (AM0210A): January 2020, 20-64 år: Jämtland 5,0 %, riket 6,0 %
    frame = run_indicator(open_scope(open_reader(snapshot_db)), "arbetsmarknad_lan")
    row = _row(frame, measure="arbetsloshet", region_code="23", period="2020M01")
    assert (row["value"], row["riket"]) == (5.0, 6.0)
    assert row["diff_riket"] == pytest.approx(-1.0)
    assert row["n_lan"] == 21
    month = frame[(frame["period"] == "2020M01") & (frame["region_code"] != "00")]
    assert row["rank"] == 1 + (month["value"] > 5.0).sum()


def test_projection_vintage_as_printed(snapshot_db: Path) -> None:
    # SCB press release 2021-06-07: Stockholms län 2040 projected at 2 786 300
    frame = run_indicator(open_scope(open_reader(snapshot_db)), "prognos_mot_utfall")
    row = _row(frame, vintage="2021", source_kind="statistiknyhet", region_code="01", period="2040")
    assert row["value"] == 2786300


def test_population_total_jamtland(snapshot_db: Path) -> None:
    frame = run_indicator(open_scope(open_reader(snapshot_db)), "folkmangd_manad_total")
    assert _row(frame, region_code="23", period="2026M04")["value"] == 132785


IMPORT = (
    "region,sni,år,sysselsatta\n"
    "23,33.120,2022,40\n"
    "23,45.200,2022,300\n"
    "23,95.110,2022,20\n"
    "23,77.110,2022,40\n"
    "23,86.101,2022,9600\n"
)  # hand-built import in the documented shape; illustrative numbers, test only


def test_circular_share_for_every_definition_set(tmp_path: Path) -> None:
    path = tmp_path / "sni.csv"
    path.write_text(IMPORT)
    assert cli.main(["import-sni", str(path)]) == 0
    scope = open_scope(open_reader(tmp_path / "stats.duckdb"))
    frame = run_indicator(scope, "cirkular_andel")
    strict = _row(frame, set_id="scb_eurostat", region_code="23", period="2022")
    broad = _row(frame, set_id="bred_uthyrning", region_code="23", period="2022")
    # (40 + 300 + 20) / 10 000 and (40 + 300 + 20 + 40) / 10 000, computed by hand
    assert strict["value"] == pytest.approx(3.6)
    assert broad["value"] == pytest.approx(4.0)
    assert (strict["employed_total"], strict["sni_codes"]) == (10000, 3)


def test_pinned_releases_show_the_numbers_of_that_release(snapshot_db: Path) -> None:
    con = open_reader(snapshot_db)
    release = con.execute(
        "select release_id from release where series_id = 'konkurser_lan_regionfakta'"
    ).fetchall()[0][0]
    pinned = run_indicator(open_scope(con, releases=[release]), "manadsforandring")
    assert set(pinned["measure"]) == {"konkurser_regionfakta"}
    nothing = run_indicator(open_scope(con, releases=[]), "manadsforandring")
    assert nothing.empty


def test_scope_is_per_cursor_and_leaves_the_store_alone(snapshot_db: Path) -> None:
    con = open_reader(snapshot_db)
    a = open_scope(con, releases=[])
    b = open_scope(con)
    assert run_indicator(a, "folkmangd_manad_total").empty
    assert not run_indicator(b, "folkmangd_manad_total").empty
    with pytest.raises(duckdb.CatalogException):
        con.execute("select * from obs").fetchall()


def test_employment_rate_from_the_bas_table_by_label(snapshot_db: Path) -> None:
    # a hand-built release of TAB6260 in the store's shape (illustrative values, test only):
    # contents, sex and age are picked by SCB's labels since their codes are not known offline
    import json

    import pandas as pd

    from stats.store.write import open_writer

    def dims(contents: str, kon: str) -> str:
        return json.dumps({"Alder": "20-64", "ContentsCode": contents, "Kon": kon}, sort_keys=True)

    frame = pd.DataFrame(
        [
            ("23", "2026M01", dims("C1", "T"), 80.0),
            ("23", "2026M01", dims("C1", "1"), 81.0),
            ("00", "2026M01", dims("C1", "T"), 78.5),
            ("23", "2026M01", dims("C2", "T"), 4.1),
        ],
        columns=["region_code", "period", "dims", "value"],
    ).assign(status=None, preliminary=True)
    labels = pd.DataFrame(
        [
            ("ContentsCode", "C1", "sysselsättningsgrad, procent"),
            ("ContentsCode", "C2", "arbetslöshet, procent"),
            ("Kon", "T", "totalt"),
            ("Kon", "1", "män"),
            ("Alder", "20-64", "20-64 år"),
        ],
        columns=["dimension", "code", "label"],
    )
    with open_writer(snapshot_db) as store:
        store.add_release("arbetsmarknadsstatus_manad", frame, {}, [], labels)
    frame_out = run_indicator(open_scope(open_reader(snapshot_db)), "arbetsmarknad_lan")
    row = _row(frame_out, measure="sysselsattningsgrad", region_code="23", period="2026M01")
    assert (row["value"], row["riket"], bool(row["preliminary"])) == (80.0, 78.5, True)
    assert _row(frame_out, measure="arbetsloshet_bas", region_code="23", period="2026M01")[
        "value"
    ] == pytest.approx(4.1)


def test_per_1000_ranks_all_21_lan_with_the_population_of_the_year_before(
    snapshot_db: Path,
) -> None:
    # Regionfakta 2021-04: Jämtland 3, Gotland 5, riket 466 bankruptcies; 31 December 2020
    # (derived_folkmangd_lan_riket_2000-2025.csv): 131 155, 60 124 and 10 379 295 inhabitants
    frame = run_indicator(open_scope(open_reader(snapshot_db)), "jamforelse_per_1000")
    april = frame[(frame["measure"] == "konkurser_regionfakta") & (frame["period"] == "2021M04")]
    jamtland = _row(april, region_code="23")
    assert jamtland["population"] == 131155
    assert jamtland["population_basis"] == "31 december 2020"
    assert round(jamtland["value"], 3) == 0.023
    assert (jamtland["rank"], jamtland["n_lan"]) == (21, 21)
    gotland = _row(april, region_code="09")
    assert round(gotland["value"], 3) == 0.083 and gotland["rank"] == 1
    riket = _row(april, region_code="00")
    assert round(riket["value"], 3) == 0.045
    assert riket["value"] == pytest.approx(466 / 10379295 * 1000)
    assert april["population"].notna().all()


def test_population_base_prefers_the_embedded_lan_series(snapshot_db: Path) -> None:
    # 2024-12-31 from derived_folkmangd_lan_riket_2000-2025.csv, one row per region and year
    frame = run_indicator(open_scope(open_reader(snapshot_db)), "befolkning_bas")
    jamtland = frame[(frame["region_code"] == "23") & (frame["period"] == "2024")]
    assert jamtland["population"].tolist() == [132839]
    assert jamtland["population_series"].tolist() == ["folkmangd_31dec_lan"]
