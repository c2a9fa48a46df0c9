"""The Alla serier and Datakällor pages in Streamlit's AppTest, on the real snapshot."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from stats.catalog.load import load_catalog
from stats.config import ROOT
from stats.store.write import open_writer
from stats.text import WORD_JOINER

APP = str(ROOT / "app.py")
SERIER = "src/stats/app/pages/serier.py"
KALLOR = "src/stats/app/pages/kallor.py"
KONKURSER = (
    "Källa: Tillväxtanalys via Regionfakta, Företagskonkurser – månad (Regionfakta), "
    "avskriven 2026-11-27"
)
NO_DATA = "Ingen data ännu för Jämtlands län — kör `stats refresh`"
FAILURE = "regionfakta.com svarade 503 Service Unavailable efter 3 försök"
EVIL = "[Logga in](https://evil.example) <b>x</b>"


def normalise(text: str) -> str:
    """Plain spaces and hyphens for comparison (the pages keep numbers and dates unbroken)."""
    return text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2011", "-")


def shown(markdown: str) -> str:
    """The text a reader sees of escaped Markdown (backslash escapes and the invisible word
    joiners that keep addresses from becoming links removed)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace(WORD_JOINER, "")


def open_page(db: Path, monkeypatch: pytest.MonkeyPatch, page: str, **params: str) -> AppTest:
    monkeypatch.setenv("STATS_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params.update(params)
    at.run()
    return at.switch_page(page).run()


# what a page must survive: no database file yet, or one with no tables in it
NO_DATA_KINDS = pytest.mark.parametrize("kind", ["missing-file", "empty-database"])


def open_page_without_data(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, page: str
) -> AppTest:
    """The page on a missing or empty database; it must render with no exception or error."""
    db = tmp_path / f"{kind}.duckdb"
    if kind == "empty-database":
        duckdb.connect(str(db)).close()
    at = open_page(db, monkeypatch, page)
    assert not at.exception
    assert not at.error
    return at


def pick_series(at: AppTest, series_id: str) -> AppTest:
    return at.selectbox(key="serie").set_value(series_id).run()


def captions(at: AppTest) -> list[str]:
    return [normalise(shown(c.value)) for c in at.caption]


def test_serier_default_renders(snapshot_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(snapshot_db, monkeypatch, SERIER)
    assert not at.exception
    assert not at.error
    assert at.title[0].value == "Alla serier"
    # series with data come first, so the default view has a chart and a source line
    assert any(c.startswith("Källa: ") for c in captions(at))
    options = at.selectbox(key="serie").options
    assert len(options) == len(load_catalog().series)
    assert options[0].split(" · ")[0] in {"Arbetsförmedlingen", "SCB"}


@pytest.mark.parametrize("home", ["20", "09"])
def test_serier_opens_on_a_series_of_the_home_lan(
    home: str, snapshot_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not on Arbetsförmedlingen Jämtland's press-release figures (declared for "23" only)."""
    monkeypatch.setenv("STATS_HOME_REGION", home)
    at = open_page(snapshot_db, monkeypatch, SERIER)
    assert not at.exception
    chosen = load_catalog().series[str(at.selectbox(key="serie").value)]
    assert set(chosen.regions) & {"hemlan", "hemlan_kommuner", "grannlan", "lan", home}
    assert "Jämtland" not in chosen.title
    assert any(c.startswith("Källa: ") for c in captions(at))


def test_serier_konkurser_caption_and_table(
    snapshot_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = pick_series(open_page(snapshot_db, monkeypatch, SERIER), "konkurser_lan_regionfakta")
    assert not at.exception
    assert sum(c.startswith(KONKURSER) for c in captions(at)) == 1
    assert not any("regionfakta_foretagskonkurser_lan" in c for c in captions(at))
    # default regions: the home län and Riket, in that order
    assert at.multiselect[0].value == ["23", "00"]
    table = at.dataframe[0].value
    assert list(table.columns) == ["Månad", "Jämtlands län", "Riket"]
    assert table["Månad"].tolist() == ["2021-01", "2021-02", "2021-03", "2021-04"]
    # Regionfakta: the 21 län sum to Riket each month (533, 504, 621, 466)
    assert table["Riket"].tolist() == ["533", "504", "621", "466"]


def test_serier_series_from_the_url(snapshot_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(snapshot_db, monkeypatch, SERIER, serie="arbetsloshet_bas_manad")
    assert not at.exception
    assert at.selectbox(key="serie").value == "arbetsloshet_bas_manad"
    table = at.dataframe[0].value
    # BAS arbetslöshet in procent with one decimal, decimal comma; SCB's monthly BAS is
    # preliminary statistics
    assert table.iloc[0]["Jämtlands län"] == "5,0 (preliminärt)"
    assert table.iloc[0]["Riket"] == "6,0 (preliminärt)"


def test_serier_without_data_says_what_will_come(
    snapshot_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = pick_series(open_page(snapshot_db, monkeypatch, SERIER), "brp_lan")
    assert not at.exception
    assert [i.value for i in at.info] == [NO_DATA]
    assert any("SCB, TAB3138" in c for c in captions(at))
    assert not at.dataframe


def test_serier_null_projection_shows_status(
    snapshot_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = pick_series(
        open_page(snapshot_db, monkeypatch, SERIER), "befolkningsprognos_statistiknyheter"
    )
    # Jämtland is not in the saved copies, so Riket alone is the default
    assert at.multiselect[0].value == ["00"]
    at.selectbox(key="befolkningsprognos_statistiknyheter_vintage").set_value("2021")
    at.selectbox(key="befolkningsprognos_statistiknyheter_measure").set_value(
        "framskriven_folkmangd"
    )
    at.multiselect(key="regioner_befolkningsprognos_statistiknyheter").set_value(["00", "01"])
    at.run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.columns) == ["År", "Riket", "Stockholms län"]
    # SCB 2021-06-07: Riket's projected population for 2040 is not in the saved copy
    assert table.iloc[0].tolist() == ["2040", "..", "2\u00a0786\u00a0300"]
    assert any("Teckenförklaring: .. = uppgift saknas" in c for c in captions(at))


def test_serier_quick_pick_adds_kommuner(
    snapshot_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = pick_series(open_page(snapshot_db, monkeypatch, SERIER), "folkmangd_kommun_2020")
    assert at.multiselect[0].value == ["23"]
    button = next(b for b in at.button if "Kommunerna i Jämtlands län" in b.label)
    at = button.click().run()
    assert not at.exception
    chosen = at.multiselect[0].value
    assert chosen[0] == "23" and "2380" in chosen and len(chosen) == 9
    table = at.dataframe[0].value
    assert table.columns[0] == "År"
    # Östersund 2020-12-31 as typed in from regionjh.se: 31 681 men + 32 304 women
    assert normalise(table.iloc[0]["Östersund"]) == "63 985"


def test_kallor_lists_every_series(snapshot_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(snapshot_db, monkeypatch, KALLOR)
    assert not at.exception
    assert not at.error
    assert at.title[0].value == "Datakällor"
    tables = pd.concat([t.value for t in at.table], ignore_index=True)
    titles = {s.title for s in load_catalog().series.values()}
    # the static table reads Markdown: titles (Kolada's come from upstream) are escaped
    assert "BRP\\+ regionindex per tema och kön \\(Kolada\\)" in set(tables["Serie"])
    tables["Serie"] = tables["Serie"].map(shown)
    assert set(tables["Serie"]) == titles
    rows = tables.set_index("Serie")
    folk = rows.loc["Folkmängd per månad"]
    assert normalise(folk["Hämtad"]) == "2026-06-15"
    assert normalise(folk["Källan uppdaterad"]) == "2026-06-08"
    assert folk["Ursprung"] == "Inbäddad ögonblicksbild"
    assert normalise(folk["Rader"]) == "2 772"
    assert "(TAB6471)" in shown(folk["Tabeller"])
    assert rows.loc["Bruttoregionprodukt (BRP) per län", "Hämtad"] == "Inte hämtad"
    # Region Dalarna's copy of SCB's BAS table (commit 2024-04-18): SCB's own date is unknown
    bas = rows.loc["Arbetslöshet 20–64 år per månad (BAS)"]
    assert normalise(bas["Hämtad"]) == "kopierad 2024-04-18"
    assert bas["Källan uppdaterad"] == "Uppgift saknas"
    konkurser = rows.loc["Företagskonkurser per månad och län"]
    assert normalise(konkurser["Hämtad"]) == "avskriven 2026-11-27"
    assert any("Inbäddad ögonblicksbild" in m.value for m in at.markdown)
    assert not at.warning


def test_kallor_headings_are_publisher_names(
    snapshot_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_page(snapshot_db, monkeypatch, KALLOR)
    headings = {h.value for h in at.header}
    # the names the catalog files declare, never source ids such as af_monthly or import
    assert {"Arbetsförmedlingen", "SCB, beställd bearbetning", "Tillväxtanalys"} <= headings
    assert not headings & {"af_monthly", "import", "af_varsel", "scb", "realdata"}


def kallor_after_failure(
    snapshot_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, message: str
) -> AppTest:
    """Datakällor after the bankruptcies' last fetch failed with `message`."""
    db = tmp_path / "failed.duckdb"
    shutil.copyfile(snapshot_db, db)
    with open_writer(db) as store:
        store.log_fetch(
            "konkurser_lan_regionfakta",
            datetime(2026, 11, 28, 6, 0, tzinfo=UTC),
            ok=False,
            outcome="failed",
            message=message,
        )
    return open_page(db, monkeypatch, KALLOR)


def test_kallor_shows_failed_fetch(
    snapshot_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = kallor_after_failure(snapshot_db, tmp_path, monkeypatch, FAILURE)
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 1
    assert "Företagskonkurser per månad och län" in warnings[0]
    assert FAILURE in shown(warnings[0])
    tables = pd.concat([t.value for t in at.table], ignore_index=True).set_index("Serie")
    attempt = shown(
        normalise(tables.loc["Företagskonkurser per månad och län", "Senaste hämtningsförsök"])
    )
    assert attempt == f"2026-11-28: misslyckades: {FAILURE}"
    # the last good release is still the one shown
    assert (
        tables.loc["Företagskonkurser per månad och län", "Ursprung"] == "Inbäddad ögonblicksbild"
    )


def test_kallor_shows_a_failed_fetch_message_as_text(
    snapshot_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = kallor_after_failure(snapshot_db, tmp_path, monkeypatch, EVIL)
    assert not at.exception
    [warning] = [w.value for w in at.warning]
    tables = pd.concat([t.value for t in at.table], ignore_index=True).set_index("Serie")
    attempt = tables.loc["Företagskonkurser per månad och län", "Senaste hämtningsförsök"]
    # the warning and the static table both read Markdown: no link, no tag
    for markdown in (warning, attempt):
        assert "\\[Logga in\\]" in markdown and "\\<b\\>" in markdown
        assert "](" not in markdown
        assert EVIL in shown(markdown)


@NO_DATA_KINDS
@pytest.mark.parametrize("page", [SERIER, KALLOR], ids=["serier", "kallor"])
def test_pages_without_data(
    page: str, kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_page_without_data(kind, tmp_path, monkeypatch, page)
    if page == SERIER:
        assert [i.value for i in at.info] == [NO_DATA]
    else:
        tables = pd.concat([t.value for t in at.table], ignore_index=True)
        assert set(tables["Hämtad"]) == {"Inte hämtad"}


def test_serier_labels_measure_codes_in_swedish(
    snapshot_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_page(snapshot_db, monkeypatch, SERIER, serie="af_jamtland_pressmeddelanden")
    assert not at.exception
    measure = at.selectbox(key="af_jamtland_pressmeddelanden_measure")
    # the catalog's labels, not the file's ASCII ids ("Inskrivna arbetslosa andel pct")
    assert "Inskrivna arbetslösa, andel (%)" in measure.options
    assert "I program med aktivitetsstöd, antal" in measure.options
    assert not any("_" in o or o.endswith(" pct") for o in measure.options)
