"""Real data files in the snapshot: decoded as declared, checked against the printed figures."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from stats.catalog.load import load_catalog
from stats.errors import SchemaChanged, SourceError
from stats.sources.base import FetchRequest
from stats.sources.http import RawResponse
from stats.sources.realdata import RealdataSource


def value(con: duckdb.DuckDBPyConnection, series: str, region: str, period: str, dims: str = "{}"):  # type: ignore[no-untyped-def]
    row = con.execute(
        "select value, status from latest where series_id = ? and region_code = ? "
        "and period = ? and dims = ?",
        [series, region, period, dims],
    ).fetchone()
    return row


def test_unemployment_from_the_real_scb_workbook(snapshot_db: Path) -> None:
    con = duckdb.connect(str(snapshot_db), read_only=True)
    assert value(con, "arbetsloshet_bas_manad", "23", "2020M01") == (5.0, None)
    assert value(con, "arbetsloshet_bas_manad", "23", "2020M02") == (5.1, None)
    assert value(con, "arbetsloshet_bas_manad", "00", "2020M01") == (6.0, None)
    regions = con.execute(
        "select count(distinct region_code) from latest where series_id = 'arbetsloshet_bas_manad'"
    ).fetchone()
    assert regions == (22,)


def test_bankruptcies_lan_sum_to_riket_as_printed(snapshot_db: Path) -> None:
    con = duckdb.connect(str(snapshot_db), read_only=True)
    jamtland = con.execute(
        "select list(value order by period) from latest "
        "where series_id = 'konkurser_lan_regionfakta' and region_code = '23'"
    ).fetchone()
    assert jamtland == ([7.0, 7.0, 11.0, 3.0],)
    sums = con.execute(
        "select period, sum(value) filter (where region_code <> '00'), "
        "max(value) filter (where region_code = '00') from latest "
        "where series_id = 'konkurser_lan_regionfakta' group by period order by period"
    ).fetchall()
    assert [(p, a) for p, a, _ in sums] == [
        ("2021M01", 533.0),
        ("2021M02", 504.0),
        ("2021M03", 621.0),
        ("2021M04", 466.0),
    ]
    assert all(a == b for _, a, b in sums)


def test_projection_vintages_keep_missing_values_as_symbols(snapshot_db: Path) -> None:
    con = duckdb.connect(str(snapshot_db), read_only=True)
    dims = '{"measure": "framskriven_folkmangd", "vintage": "2020"}'
    assert value(con, "befolkningsprognos_statistiknyheter", "00", "2030", dims) == (None, "..")
    dims = '{"measure": "forandring_procent", "vintage": "2021"}'
    assert value(con, "befolkningsprognos_statistiknyheter", "01", "2040", dims) == (16.5, None)


def test_kommun_population_by_sex(snapshot_db: Path) -> None:
    con = duckdb.connect(str(snapshot_db), read_only=True)
    assert value(con, "folkmangd_kommun_2020", "23", "2020", '{"Kon": "2"}') == (64591.0, None)
    assert value(con, "folkmangd_kommun_2020", "2380", "2020", '{"Kon": "TotSa"}') == (
        63985.0,
        None,
    )


def _raw(content: bytes) -> RawResponse:
    from datetime import UTC, datetime

    return RawResponse("https://example.invalid/f.csv", "GET", "", content, 200, datetime.now(UTC))


BAD = {
    "text-in-number": (
        b"lan,period,antal_foretagskonkurser\nJ\xc3\xa4mtlands l\xc3\xa4n,2021-01,sju\n",
        "row 2: value 'sju' is not a number",
    ),
    "missing-column": (
        b"lan,period\nRiket,2021-01\n",
        "expected columns ['antal_foretagskonkurser']",
    ),
    "bad-period": (b"lan,period,antal_foretagskonkurser\nRiket,jan 2021,5\n", "is not YYYY-MM"),
    "unknown-region": (
        b"lan,period,antal_foretagskonkurser\nAtlantis,2021-01,5\n",
        "unknown region name 'Atlantis'",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_file_is_rejected_with_the_row(case: str) -> None:
    content, expected = BAD[case]
    series = load_catalog().get("konkurser_lan_regionfakta")
    with pytest.raises(SchemaChanged) as info:
        RealdataSource().decode(series, series.parts[0], "regionfakta", _raw(content))
    assert expected in str(info.value)


def test_there_is_nothing_to_fetch_online() -> None:
    series = load_catalog().get("konkurser_lan_regionfakta")
    with pytest.raises(SourceError, match="loaded from data/snapshot"):
        RealdataSource().fetch(FetchRequest(series, series.parts[0], 0, "23"))


def test_monthly_bas_is_marked_preliminary_and_transcriptions_are_not(snapshot_db: Path) -> None:
    # SCB publishes BAS per month (AM0210A ArbStatusM) as preliminary statistics; Regionfakta
    # printed its bankruptcy counts without any such mark
    con = duckdb.connect(str(snapshot_db), read_only=True)
    flags = dict(
        con.execute(
            "select series_id, list(distinct preliminary) from latest "
            "where series_id in ('arbetsloshet_bas_manad', 'konkurser_lan_regionfakta') "
            "group by series_id"
        ).fetchall()
    )
    assert flags == {"arbetsloshet_bas_manad": [True], "konkurser_lan_regionfakta": [False]}


def test_copies_name_who_passed_them_on_and_how_they_came(snapshot_db: Path) -> None:
    con = duckdb.connect(str(snapshot_db), read_only=True)
    rows = con.execute(
        "select series_id, source_updated, meta->>'$.source', meta->>'$.via', "
        "meta->>'$.obtained' from latest_release "
        "where series_id in ('arbetsloshet_bas_manad', 'konkurser_lan_regionfakta') "
        "order by series_id"
    ).fetchall()
    # MANIFEST: Region Dalarna's copy of SCB's workbook (no SCB update date in it); the
    # Regionfakta page (updated 2021-05-14) typed in
    assert rows == [
        ("arbetsloshet_bas_manad", None, "SCB", "Region Dalarna", "kopierad"),
        ("konkurser_lan_regionfakta", "2021-05-14", "Tillväxtanalys", "Regionfakta", "avskriven"),
    ]


def test_every_measure_code_has_a_swedish_label(snapshot_db: Path) -> None:
    con = duckdb.connect(str(snapshot_db), read_only=True)
    unlabelled = con.execute(
        """
        select distinct o.series_id, d.key, d.value
        from latest o, json_each(o.dims) d
        where d.key not in ('vintage')
            and not exists (
                select 1 from label l
                where l.release_id = o.release_id and l.dimension = d.key
                    and l.code = d.value ->> '$'
            )
        """
    ).fetchall()
    assert unlabelled == []
    labels = dict(
        con.execute(
            "select code, label from label l join latest_release r using (release_id) "
            "where r.series_id = 'af_jamtland_pressmeddelanden' and l.dimension = 'measure'"
        ).fetchall()
    )
    # was shown as "Inskrivna arbetslosa andel pct" on Alla serier
    assert labels["inskrivna_arbetslosa_andel_pct"] == "Inskrivna arbetslösa, andel (%)"


def test_population_31_december_for_every_lan_and_riket(snapshot_db: Path) -> None:
    # derived_folkmangd_lan_riket_2000-2025.csv (Region Halland's processing of SCB BE0101):
    # "23,Jämtlands län,Jämtland,2024,132839" and "00,Riket,Riket,2024,10587710"
    con = duckdb.connect(str(snapshot_db), read_only=True)
    assert value(con, "folkmangd_31dec_lan", "23", "2024") == (132839.0, None)
    assert value(con, "folkmangd_31dec_lan", "00", "2024") == (10587710.0, None)
    assert value(con, "folkmangd_31dec_lan", "23", "2020") == (131155.0, None)
    counts = con.execute(
        "select count(distinct region_code), min(period), max(period), count(*) from latest "
        "where series_id = 'folkmangd_31dec_lan'"
    ).fetchone()
    assert counts == (22, "2000", "2025", 572)
    # the 21 län sum exactly to riket in every year, as SOURCES.md checked
    unequal = con.execute(
        "select period from latest where series_id = 'folkmangd_31dec_lan' group by period "
        "having sum(value) filter (where region_code <> '00') "
        "<> max(value) filter (where region_code = '00')"
    ).fetchall()
    assert unequal == []


def test_jamtland_kommuner_sum_to_the_lan(snapshot_db: Path) -> None:
    # derived_folkmangd_jamtland_kommuner_2000-2025.csv: Östersund 2020 = 63 985, as on
    # regionjh.se; the eight kommuner sum to the län's 131 155
    con = duckdb.connect(str(snapshot_db), read_only=True)
    assert value(con, "folkmangd_31dec_jamtland_kommuner", "2380", "2020") == (63985.0, None)
    total = con.execute(
        "select sum(value), count(*) from latest "
        "where series_id = 'folkmangd_31dec_jamtland_kommuner' and period = '2020'"
    ).fetchone()
    assert total == (131155.0, 8)


def test_population_is_cited_as_scb_via_region_halland(snapshot_db: Path) -> None:
    con = duckdb.connect(str(snapshot_db), read_only=True)
    row = con.execute(
        "select meta->>'$.source', meta->>'$.via', meta->>'$.obtained', "
        "meta->>'$.table_labels' from latest_release where series_id = 'folkmangd_31dec_lan'"
    ).fetchone()
    assert row is not None
    assert row[:3] == ("SCB", "Region Halland", "avskriven")
    assert "Folkmängd 31 december (BE0101)" in row[3]


def test_region_prefix_and_semicolons() -> None:
    series = load_catalog().get("brp_plus_region")
    content = b"Region;Del;Kon;Varde_stand\n99 Atlantis;Livskvalitet;Totalt;50,1\n"
    with pytest.raises(SchemaChanged, match="unknown region code '99'"):
        RealdataSource().decode(series, series.parts[1], "brp", _raw(content))
    good = "Region;Del;Kon;Varde_stand\n23 Jämtlands län;Livskvalitet;Totalt;50,4868\n".encode()
    decoded = RealdataSource().decode(series, series.parts[1], "brp", _raw(good))
    assert decoded.frame.iloc[0][["region_code", "period", "value"]].tolist() == [
        "23",
        "2025",
        50.4868,
    ]
