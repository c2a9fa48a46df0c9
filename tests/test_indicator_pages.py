"""The indicator pages (Arbetsmarknad, Befolkningsframskrivningar, Cirkulär ekonomi) in AppTest."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from stats import cli
from stats.store.write import open_writer
from tests.test_pages import (
    NO_DATA,
    NO_DATA_KINDS,
    captions,
    normalise,
    open_page,
    open_page_without_data,
)

ARBETSMARKNAD = "src/stats/app/pages/arbetsmarknad.py"
PROGNOSER = "src/stats/app/pages/prognoser.py"
CIRKULAR = "src/stats/app/pages/cirkular.py"
# a hand-built test file with illustrative numbers, not real employment figures: 1 800 of
# 50 000 employed in SCB's circular codes (33.12, 95.11) and 200 more in rental (77.11)
SNI_FILE = "region;sni;år;sysselsatta\n23;33.12;2022;1000\n23;95.11;2022;800\n"
SNI_FILE += "23;77.11;2022;200\n23;47.11;2022;48000\n"


def table_of(at: AppTest, column: str) -> pd.DataFrame:
    """The first st.dataframe or st.table with a column of this title, as plain-space text."""
    for frame in [*at.dataframe, *at.table]:
        if column in frame.value.columns:
            return frame.value.map(normalise)
    raise AssertionError(f"no table with a column {column!r}")


def assert_sourced(at: AppTest) -> None:
    """No exception or error, and every source line starts with "Källa:"."""
    assert not at.exception
    assert not at.error
    sources = [c for c in captions(at) if "hämtad" in c or "Bearbetning:" in c]
    assert sources
    assert all(c.startswith("Källa: ") for c in sources), sources


def test_arbetsmarknad_unemployment_and_rank(
    snapshot_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_page(snapshot_db, monkeypatch, ARBETSMARKNAD)
    assert_sourced(at)
    assert at.title[0].value == "Arbetsmarknad och företag"
    metrics = {m.label: normalise(m.value) for m in at.metric}
    # BAS 2024-01: Jämtland 3,6 %, Riket 5,5 %, 19th highest of the 21 län
    assert metrics["Jämtlands län"] == "3,6 %"
    assert metrics["Riket"] == "5,5 %"
    assert metrics["Plats bland länen (1 = högst)"] == "Plats 19 av 21"
    assert "Arbetslöshet 20–64 år, 2024-01" in [s.value for s in at.subheader]
    ranks = table_of(at, "Procent").set_index("Region")
    assert ranks.loc["Jämtlands län", "Procent"] == "3,6"
    assert ranks.loc["Riket", "Plats"] == "Rangordnas inte"


def test_arbetsmarknad_monthly_change_of_bankruptcies(
    snapshot_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_page(snapshot_db, monkeypatch, ARBETSMARKNAD)
    latest = table_of(at, "Uppgift").set_index("Uppgift")["Värde"]
    # Regionfakta, Jämtland: 11 in March, 3 in April 2021; a true minus sign
    assert latest["Förändring mot 2021-03, antal"] == "\u22128"
    assert latest["Förändring mot 2021-03, procent"] == "\u221272,7 %"
    at.selectbox(key="konkurser_regionfakta_manad").set_value("2021M03").run()
    assert not at.exception
    march = table_of(at, "Uppgift").set_index("Uppgift")["Värde"]
    assert march["Antal 2021-03, företag"] == "11"
    assert march["Förändring mot 2021-02, antal"] == "+4"
    assert march["Förändring mot 2021-02, procent"] == "+57,1 %"
    assert march["Samma månad året innan (2020-03)"] == "Data saknas"
    assert march["Rullande 12 månader (2020-04–2021-03)"] == "Data saknas"
    # per 1 000 on the 2020-12-31 population of every län (derived_folkmangd_lan_riket_2000-2025
    # .csv): Jämtland 11 / 131 155 × 1 000 = 0,084, second after Stockholm (by hand from the
    # Regionfakta and population files)
    text = " ".join(normalise(m.value) for m in at.markdown)
    assert "Jämtlands län: 0,084 per 1 000 invånare" in text
    assert "Befolkning 131 155 invånare (31 december 2020)" in text
    assert "plats 2 av 21" in text
    assert "rang saknas" not in text
    # the rates use the 31 December series, so the monthly TAB6471 is not cited
    per_1000 = [c for c in captions(at) if "Folkmängd 31 december (BE0101)" in c]
    # Regionfakta typed in on 2026-11-27, Region Halland's figures on 2026-12-01
    # (data/snapshot/MANIFEST.toml)
    assert per_1000 == [
        "Källa: Tillväxtanalys via Regionfakta, Företagskonkurser – månad (Regionfakta), "
        "avskriven 2026-11-27; SCB via Region Halland, Folkmängd 31 december (BE0101), "
        "avskriven 2026-12-01. Bearbetning: Region Jämtland Härjedalen."
    ]
    assert not any("TAB6471" in c or "CKM" in c for c in captions(at))


def test_arbetsmarknad_names_the_series_without_data(
    snapshot_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_page(snapshot_db, monkeypatch, ARBETSMARKNAD)
    missing = [c for c in captions(at) if c.endswith(NO_DATA)]
    assert any(c.startswith("Varsel om uppsägning: Personer berörda av varsel") for c in missing)
    assert len(missing) == 5
    assert [i.value for i in at.info] == [
        f"Sysselsättningsgrad: Arbetsmarknadsstatus per månad, BAS (SCB, TAB6260): {NO_DATA}",
        f"Bruttoregionprodukt (BRP) per län (SCB, TAB3138): {NO_DATA}",
    ]


def test_prognoser_offers_the_regions_with_data(
    snapshot_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_page(snapshot_db, monkeypatch, PROGNOSER)
    assert not at.exception
    assert at.selectbox(key="prognos_region").value == "23"
    assert "ingen befolkningsframskrivning för Jämtlands län" in at.info[0].value
    instead = at.selectbox(key="prognos_i_stallet")
    assert instead.options[0] == "Riket" and "Stockholms län" in instead.options
    at = instead.set_value("01").run()
    assert_sourced(at)
    assert at.selectbox(key="prognos_region").value == "01"
    chart = table_of(at, "Framskrivning 2021")
    assert chart.iloc[0].tolist() == ["2040", "2 786 300", "2 793 700"]
    vintages = table_of(at, "Jämförs med")
    # SCB's statistical news: 2021 vintage 2 786 300, 2022 vintage 2 793 700 for 2040
    assert vintages["Skillnad, senaste minus denna"].tolist() == ["+7 400", "0"]
    assert vintages["Skillnad, procent"].tolist() == ["+0,3 %", "0,0 %"]
    printed = table_of(at, "Till år")
    assert printed["Förändring, personer"].tolist() == ["+394 400", "+378 500"]
    # the outcome (31 December, 2000-2025) is there, but no projected year has passed yet
    assert any("Inget av de framskrivna åren har passerat ännu" in i.value for i in at.info)


def test_cirkular_needs_a_file_then_shows_the_range(
    snapshot_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_page(snapshot_db, monkeypatch, CIRKULAR)
    assert not at.exception
    needs = at.info[0].value
    for word in ("region", "sni", "år", "sysselsatta", "`stats import-sni fil.csv`", "XLSX"):
        assert word in needs
    assert at.info[1].value.startswith("Förvärvsarbetande efter bransch (SNI 2007), BAS")
    assert at.info[1].value.endswith(NO_DATA)
    path = tmp_path / "sysselsatta.csv"
    path.write_text(SNI_FILE, encoding="utf-8")
    # a second file: DuckDB hands a new read-only connect() to a path that still has an open
    # connection the old database instance, so the page would not see the swapped-in file
    imported = tmp_path / "imported.duckdb"
    shutil.copyfile(snapshot_db, imported)
    monkeypatch.setenv("STATS_DB", str(imported))
    assert cli.main(["import-sni", str(path)]) == 0
    at = open_page(imported, monkeypatch, CIRKULAR)
    assert_sourced(at)
    metric = at.metric[0]
    assert metric.label == "Andel sysselsatta i cirkulär ekonomi, Jämtlands län, 2022"
    assert normalise(metric.value) == "3,6–4,0 %"
    shares = table_of(at, "Andel")
    assert shares["Andel"].tolist() == ["3,6 %", "4,0 %"]
    assert shares["Version"].tolist() == ["2023-09-19", "2026-11-27"]


def test_cirkular_shows_the_open_bas_groups(
    snapshot_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # hand-built BAS release with illustrative numbers, to exercise the context table
    frame = pd.DataFrame(
        {
            "region_code": ["23", "23", "23"],
            "period": ["2022", "2022", "2022"],
            "dims": [
                json.dumps({"Kon": k, "SNI2007": s}, sort_keys=True)
                for k, s in (("1+2", "C"), ("1+2", "G"), ("1", "C"))
            ],
            "value": [5000.0, 7000.0, 4000.0],
            "status": [None, None, None],
            "preliminary": [False, False, False],
        }
    )
    labels = pd.DataFrame(
        [
            ("SNI2007", "C", "Tillverkning"),
            ("SNI2007", "G", "Handel"),
            ("Kon", "1+2", "totalt"),
            ("Kon", "1", "män"),
        ],
        columns=["dimension", "code", "label"],
    )
    with open_writer(snapshot_db) as store:
        store.add_release("sysselsatta_bas_sni", frame, {"source": "SCB"}, [], labels)
    at = open_page(snapshot_db, monkeypatch, CIRKULAR)
    assert not at.exception
    groups = table_of(at, "Bransch (SNI 2007)")
    assert groups.values.tolist() == [["Tillverkning", "5 000"], ["Handel", "7 000"]]
    assert any(c.startswith("Källa: SCB") for c in captions(at))


@NO_DATA_KINDS
@pytest.mark.parametrize(
    "page", [ARBETSMARKNAD, PROGNOSER, CIRKULAR], ids=["arbetsmarknad", "prognoser", "cirkular"]
)
def test_indicator_pages_without_data(
    page: str, kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_page_without_data(kind, tmp_path, monkeypatch, page)
    assert any(NO_DATA in i.value for i in at.info)
