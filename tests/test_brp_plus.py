"""BRP+ (stämpelår 2025) from the embedded copy of Tillväxtverket's delivery to Kolada."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from stats.analysis.indicators import open_scope, run_indicator
from stats.present.spec import ChartSpec, caption, draw
from stats.store.dbfile import open_reader
from tests.test_indicator_pages import captions, table_of
from tests.test_pages import normalise, open_page

BRP_PLUS = "src/stats/app/pages/brp_plus.py"


def _index(frame, region: str, theme: str, sex: str = "TotSa", niva: str = "lan") -> float:  # type: ignore[no-untyped-def]
    rows = frame[
        (frame["niva"] == niva)
        & (frame["region_code"] == region)
        & (frame["tema"] == theme)
        & (frame["kon"] == sex)
    ]
    assert len(rows) == 1
    return float(rows.iloc[0]["value"])


def test_part_totals_as_in_the_delivery_to_kolada(snapshot_db: Path) -> None:
    # 3.kolada_totalindex_region2025.csv: "23 Jämtlands län;Livskvalitet;Totalt;50,4868…",
    # "20 Dalarnas län;Hållbarhet;Totalt;42,6232…", "23 Jämtlands län;Livskvalitet;Kvinnor;43,0178…"
    frame = run_indicator(open_scope(open_reader(snapshot_db)), "brp_plus")
    assert _index(frame, "23", "Livskvalitet") == pytest.approx(50.49, abs=0.005)
    assert _index(frame, "20", "Hållbarhet") == pytest.approx(42.62, abs=0.005)
    assert _index(frame, "23", "Livskvalitet", "2") == pytest.approx(43.02, abs=0.005)
    # 4.kolada_temaindex_region2025.csv: "23 Jämtlands län;Livskvalitet;Totalt;T2;91,3978…"
    assert _index(frame, "23", "T2") == pytest.approx(91.40, abs=0.005)
    # 1.kolada_totalindex_kommun2025.csv: "2303 Ragunda;Hållbarhet;Totalt;48,4880…"
    assert _index(frame, "2303", "Hållbarhet", niva="kommun") == pytest.approx(48.49, abs=0.005)


def test_every_lan_is_ranked_and_riket_sits_beside_it(snapshot_db: Path) -> None:
    frame = run_indicator(open_scope(open_reader(snapshot_db)), "brp_plus")
    total = frame[(frame["niva"] == "lan") & (frame["tema"] == "Livskvalitet")]
    total = total[(total["kon"] == "TotSa") & (total["region_code"] != "00")]
    assert sorted(total["rank"]) == list(range(1, 22))
    jamtland = total[total["region_code"] == "23"].iloc[0]
    # "00 Riket;Livskvalitet;Totalt;51,2264…" in the region file
    assert jamtland["riket"] == pytest.approx(51.23, abs=0.005)
    assert jamtland["rank"] == 1 + (total["value"] > jamtland["value"]).sum()


def test_themes_carry_koladas_names_and_descriptions(snapshot_db: Path) -> None:
    frame = run_indicator(open_scope(open_reader(snapshot_db)), "brp_plus")
    t2 = frame[(frame["tema"] == "T2") & (frame["region_code"] == "23") & (frame["kon"] == "2")]
    row = t2[t2["niva"] == "lan"].iloc[0]
    assert row["tema_label"] == "T2 - Trygghet och säkerhet"
    assert row["description"].startswith(
        "Kvinnors Regionindex för tema T2 - Trygghet och säkerhet baseras på indikatorerna"
    )
    assert frame["description"].notna().all()
    economy = frame[frame["tema"] == "Ekonomi"].iloc[0]
    assert economy["tema_label"] == "Ekonomi"


def test_source_line_names_tillvaxtverket_via_kolada(snapshot_db: Path) -> None:
    spec = ChartSpec(
        "brp_plus",
        filters=(("del", "Livskvalitet"), ("kon", "TotSa"), ("niva", "lan"), ("tema", "T1")),
        regions=("riket", "lan"),
        kind="bar",
    )
    chart = draw(open_scope(open_reader(snapshot_db)), spec, home="23")
    assert len(chart.frame) == 22
    # the repository's HEAD (2026-04-27) is the copy's date (data/snapshot/MANIFEST.toml)
    assert caption(chart, "23") == (
        "Källa: Tillväxtverket m.fl. via Kolada, BRP+ (stämpelår 2025), kopierad 2026-04-27. "
        "Bearbetning: Region Jämtland Härjedalen."
    )


def test_labels_never_leave_the_file_codes(snapshot_db: Path) -> None:
    con = duckdb.connect(str(snapshot_db), read_only=True)
    sexes = con.execute(
        "select distinct dims->>'$.Kon' from latest where series_id = 'brp_plus_region' order by 1"
    ).fetchall()
    assert sexes == [("1",), ("2",), ("TotSa",)]


def test_page_compares_the_home_lan_and_explains_the_scale(
    snapshot_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_page(snapshot_db, monkeypatch, BRP_PLUS)
    assert not at.exception
    text = " ".join(normalise(m.value) for m in at.markdown)
    assert "Jämtlands län: 50,49 (plats " in text
    assert any("index 0–100 efter max–min-standardisering" in c for c in captions(at))
    assert any(
        c.startswith("Källa: Tillväxtverket m.fl. via Kolada, BRP+ (stämpelår 2025)")
        for c in captions(at)
    )
    themes = table_of(at, "Index").set_index("Index")
    assert themes.loc["Livskvalitet (sammanvägt)", "Länet"] == "50,49"
    assert themes.loc["T2 - Trygghet och säkerhet", "Länet"] == "91,40"
    at.radio(key="brp_del").set_value("Hållbarhet").run()
    at.radio(key="brp_kon").set_value("TotSa").run()
    assert not at.exception
    themes = table_of(at, "Index").set_index("Index")
    # Jämtland "Hållbarhet;Totalt;47,0094…"; riket "Hållbarhet;Totalt;47,9381…"
    assert themes.loc["Hållbarhet (sammanvägt)", "Länet"] == "47,01"
    assert themes.loc["Hållbarhet (sammanvägt)", "Riket"] == "47,94"
