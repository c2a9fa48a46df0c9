"""BRP+ online: Kolada's BRP+ KPIs become the brp_plus indicator's data for the years they have.

A fake Kolada v3 (`responses`) answers the regionindex refresh with the real stämpelår 2025
values of two KPIs, Livskvalitet - Regionindex (N00343) and Hållbarhet - Regionindex (N00383),
for riket and the 21 län, read from the embedded copy of Tillväxtverket's delivery to Kolada
(data/snapshot, 3.kolada_totalindex_region2025.csv). Hand-checked in that file: "23 Jämtlands
län;Livskvalitet;Totalt;50,4868…" and "20 Dalarnas län;Hållbarhet;Totalt;42,6232…".
"""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import responses

from stats.analysis.indicators import INDICATORS_FILE, load_indicators, open_scope, run_indicator
from stats.catalog.load import load_catalog
from stats.config import ROOT
from stats.errors import CatalogError
from stats.ingest.refresh import refresh
from stats.sources.kolada import KOLADA_BASE, KoladaClient, KoladaSource, chunked
from stats.sources.kolada_catalogue import load_kpi_catalogue
from stats.store.dbfile import open_reader
from stats.store.write import open_writer
from tests.adapter_faults import FakeSleep
from tests.test_indicator_pages import captions, table_of
from tests.test_kolada_brp_plus import LAN_IDS, PER_PAGE, YEARS, kpi_body, kpi_ids
from tests.test_pages import normalise, open_page

REGION = "kolada_brp_plus_region"
KOMMUN = "kolada_brp_plus_kommun"
PARTS = {"N00343": "Livskvalitet", "N00383": "Hållbarhet"}
TOTALS = ROOT / "data" / "snapshot" / "realdata" / "brp_plus_kolada_totalindex_region2025"
LOOKUP = INDICATORS_FILE.parent / "brp_plus_kolada.csv"
BRP_PLUS = "src/stats/app/pages/brp_plus.py"


def real_totals() -> dict[tuple[str, str], float]:
    """(part, SCB region code) → the delivered Totalt index, stämpelår 2025."""
    [path] = TOTALS.glob("*.dat.gz")
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    out = {}
    for row in csv.DictReader(io.StringIO(text), delimiter=";"):
        if row["Kon"] == "Totalt":
            value = float(row["Varde_stand"].replace(",", "."))
            out[(row["Del"], row["Region"].split()[0])] = value
    return out


def data_body(ids: list[str], missing: bool, year: int) -> dict[str, Any]:
    """The two part KPIs for riket and the 21 län; `missing`: Kolada's null values.

    For 2025 the values are the real ones; for any other year they are illustrative (the real
    2025 value plus 10, hand-built to tell the years apart, never data).
    """
    totals = real_totals()
    shift = 0.0 if year == 2025 else 10.0
    rows = [
        {
            "kpi": kpi,
            "municipality": m,
            "period": year,
            "values": [
                {
                    "gender": "T",
                    "count": 1,
                    "status": "Missing" if missing else "",
                    "value": None if missing else totals[(PARTS[kpi], m[2:])] + shift,
                }
            ],
        }
        for kpi in ids
        if kpi in PARTS
        for m in LAN_IDS
    ]
    return {"values": rows, "count": len(rows), "next_url": None}


def refresh_regionindex(db: Path, tmp_path: Path, missing: bool = False, year: int = 2025) -> None:
    """Refresh kolada_brp_plus_region into `db` against the fake Kolada."""
    source = KoladaSource(KoladaClient(sleep=FakeSleep(), max_retries=1), this_year=lambda: 2025)
    with responses.RequestsMock() as rsps:
        for chunk in chunked(kpi_ids(REGION)):
            joined = ",".join(chunk)
            url = f"{KOLADA_BASE}/data/kpi/{joined}/municipality/{','.join(LAN_IDS)}/year/{YEARS}"
            rsps.get(url, match=[PER_PAGE], json=data_body(chunk, missing, year))
            rsps.get(f"{KOLADA_BASE}/kpi/{joined}", match=[PER_PAGE], json=kpi_body(chunk))
        with open_writer(db) as store:
            [outcome] = refresh(
                store, tmp_path / "raw", load_catalog(), [REGION], {"kolada": source}, home="23"
            )
    assert outcome.ok and outcome.new, outcome


def brp_plus(db: Path) -> pd.DataFrame:
    return run_indicator(open_scope(open_reader(db)), "brp_plus")


def rows_of(frame: pd.DataFrame, region: str, theme: str, niva: str = "lan") -> pd.DataFrame:
    return frame[
        (frame["niva"] == niva)
        & (frame["region_code"] == region)
        & (frame["tema"] == theme)
        & (frame["kon"] == "TotSa")
        & (frame["period"] == "2025")
    ]


def release_series(db: Path, release_id: int) -> str:
    con = open_reader(db)
    [(series_id,)] = con.execute(
        "select series_id from release where release_id = ?", [release_id]
    ).fetchall()
    return str(series_id)


def test_a_kolada_year_replaces_the_embedded_one_once(snapshot_db: Path, tmp_path: Path) -> None:
    refresh_regionindex(snapshot_db, tmp_path)
    frame = brp_plus(snapshot_db)
    jamtland = rows_of(frame, "23", "Livskvalitet")
    dalarna = rows_of(frame, "20", "Hållbarhet")
    assert len(jamtland) == 1 and len(dalarna) == 1
    assert jamtland.iloc[0]["value"] == pytest.approx(50.49, abs=0.005)
    assert dalarna.iloc[0]["value"] == pytest.approx(42.62, abs=0.005)
    assert release_series(snapshot_db, int(jamtland.iloc[0]["release_id"])) == REGION
    # "00 Riket;Livskvalitet;Totalt;51,2264…"; every län ranked among the 21
    assert jamtland.iloc[0]["riket"] == pytest.approx(51.23, abs=0.005)
    totals = frame[(frame["niva"] == "lan") & (frame["tema"] == "Livskvalitet")]
    totals = totals[(totals["kon"] == "TotSa") & (totals["region_code"] != "00")]
    assert sorted(totals["rank"]) == list(range(1, 22))
    # the embedded description of the same stämpelår stays beside the Kolada value
    assert str(jamtland.iloc[0]["description"]).startswith("Regionindex Livskvalitet är en")
    # Kolada sent only the two parts for 2025: the embedded län themes of 2025 are not mixed in
    lan = frame[(frame["niva"] == "lan") & (frame["period"] == "2025")]
    assert set(lan["tema"]) == {"Livskvalitet", "Hållbarhet"}
    # the kommunindex was not fetched: the embedded kommun figures stay
    ragunda = rows_of(frame, "2303", "Hållbarhet", niva="kommun")
    assert release_series(snapshot_db, int(ragunda.iloc[0]["release_id"])) == "brp_plus_kommun"


def test_a_kolada_year_without_values_keeps_the_embedded_one(
    snapshot_db: Path, tmp_path: Path
) -> None:
    refresh_regionindex(snapshot_db, tmp_path, missing=True)
    frame = brp_plus(snapshot_db)
    jamtland = rows_of(frame, "23", "Livskvalitet")
    assert len(jamtland) == 1
    assert release_series(snapshot_db, int(jamtland.iloc[0]["release_id"])) == "brp_plus_region"
    # "23 Jämtlands län;Livskvalitet;Totalt;T2;91,3978…" in the embedded theme file
    assert rows_of(frame, "23", "T2").iloc[0]["value"] == pytest.approx(91.40, abs=0.005)


def test_page_shows_the_kolada_figures_with_their_source(
    snapshot_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refresh_regionindex(snapshot_db, tmp_path)
    at = open_page(snapshot_db, monkeypatch, BRP_PLUS)
    assert not at.exception
    text = " ".join(normalise(m.value) for m in at.markdown)
    assert text.count("Jämtlands län: 50,49 (plats ") == 1
    lines = [c for c in captions(at) if c.startswith("Källa:")]
    assert lines and all(
        c.startswith(
            "Källa: Tillväxtverket m.fl. via Kolada (RKA), CC BY 4.0, BRP+ regionindex, hämtad "
        )
        for c in lines[:2]
    ), lines
    themes = table_of(at, "Index").set_index("Index")
    assert list(themes.index) == ["Livskvalitet (sammanvägt)"]
    assert themes.loc["Livskvalitet (sammanvägt)", "Länet"] == "50,49"
    at.radio(key="brp_del").set_value("Hållbarhet").run()
    assert not at.exception
    themes = table_of(at, "Index").set_index("Index")
    # Jämtland "Hållbarhet;Totalt;47,0094…"
    assert themes.loc["Hållbarhet (sammanvägt)", "Länet"] == "47,01"


def lookup_rows() -> list[dict[str, str]]:
    with LOOKUP.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_lookup_maps_exactly_the_declared_kpis_as_kolada_titles_them() -> None:
    rows = lookup_rows()
    assert load_indicators()["brp_plus"].lookup == LOOKUP.read_text(encoding="utf-8")
    levels = [(REGION, "lan", "Regionindex"), (KOMMUN, "kommun", "Kommunindex")]
    for series_id, niva, level in levels:
        mine = [r for r in rows if r["niva"] == niva]
        assert [r["kpi"] for r in mine] == kpi_ids(series_id)
        catalogue = load_kpi_catalogue()
        for row in mine:
            kpi = catalogue.get(row["kpi"])
            assert kpi is not None and kpi.title == row["kolada_title"]
            sex = {"2": " Kvinnor", "1": " Män", "TotSa": level}[row["kon"]]
            assert kpi.title.endswith(sex), row
            # the part's own total, or a theme Kolada's description names
            if row["tema"] in ("Livskvalitet", "Hållbarhet"):
                assert row["del"] == row["tema"] and kpi.title.startswith(row["tema"])
            else:
                assert f"index för tema {row['tema_label'].split(' - ')[-1]} baseras" in (
                    kpi.description
                ), row


def test_the_lookup_uses_the_embedded_theme_codes(snapshot_db: Path) -> None:
    embedded = set(brp_plus(snapshot_db)["tema"])
    kolada_only = {r["tema"] for r in lookup_rows()} - embedded
    # Kolada's "Subjektivt välbefinnande" has no theme of that name in stämpelår 2025
    assert kolada_only == {"Subjektivt välbefinnande"}


def test_another_kolada_year_sits_beside_the_embedded_one(
    snapshot_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refresh_regionindex(snapshot_db, tmp_path, year=2024)
    frame = brp_plus(snapshot_db)
    # 2025 stays the embedded delivery with all its themes; 2024 comes from Kolada
    assert release_series(snapshot_db, int(rows_of(frame, "23", "T2").iloc[0]["release_id"])) == (
        "brp_plus_region"
    )
    at = open_page(snapshot_db, monkeypatch, BRP_PLUS)
    assert not at.exception
    year = at.selectbox(key="brp_ar")
    assert year.options == ["2025", "2024"] and year.value == "2025"
    assert "T2 - Trygghet och säkerhet" in list(table_of(at, "Index")["Index"])
    assert any(c.startswith("Källa: Tillväxtverket m.fl. via Kolada, BRP+ (stämpelår 2025)")
               for c in captions(at))  # fmt: skip
    year.set_value("2024").run()
    assert not at.exception
    themes = table_of(at, "Index").set_index("Index")
    assert list(themes.index) == ["Livskvalitet (sammanvägt)"]
    assert themes.loc["Livskvalitet (sammanvägt)", "Länet"] == "60,49"  # illustrative
    lines = [c for c in captions(at) if c.startswith("Källa:")]
    assert lines[0].startswith("Källa: Tillväxtverket m.fl. via Kolada (RKA), CC BY 4.0, BRP+")


@pytest.mark.parametrize("name", ["saknas.csv", "indicators.toml", "../../../etc/passwd"])
def test_a_bad_lookup_is_a_catalog_error_naming_the_key(tmp_path: Path, name: str) -> None:
    declared = INDICATORS_FILE.read_text(encoding="utf-8")
    start = declared.index("[indicator.brp_plus]")
    entry = declared[start:].replace('lookup = "brp_plus_kolada.csv"', f'lookup = "{name}"')
    path = tmp_path / "indicators.toml"
    path.write_text(entry, encoding="utf-8")
    with pytest.raises(CatalogError, match=r"indicators\.toml: indicator\.brp_plus\.lookup: "):
        load_indicators(path)
