"""A home län without data says "Ingen data ännu för <län>" on every page, and never shows
another län's figures as its own; cached reads are per home län.

The database is the embedded snapshot plus two JobTech series refreshed for Jämtland (23),
answered offline by test_jobtech's SHAPE FIXTURE (`default_counts`: the real recorded envelope
with illustrative counts per geography; such values never enter data/ or the app). Their
releases are stamped 23, so a deployment for Dalarna (20) or Gotland (09) serves none of them.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import responses
from streamlit.testing.v1 import AppTest

from stats.app.declared import missing_reason, missing_text, no_data
from stats.catalog.load import Catalog, load_catalog
from stats.config import ROOT
from stats.ingest.refresh import refresh
from stats.regions import load_regions
from stats.sources.base import Source
from stats.sources.jobtech.historical import JobtechHistoricalSource
from stats.sources.jobtech.search import JobtechSearchSource
from stats.store.write import open_writer
from tests.test_jobtech import HIST, JOBSEARCH, FakeTime, at, client, default_counts, params_of_req
from tests.test_pages import normalise, shown

PAGES = ROOT / "src" / "stats" / "app" / "pages"
REGIONS = load_regions()
FETCHED_FOR_23 = ("nya_annonser_manad", "lediga_annonser_dag")
ADS = "Nya annonser och platser i Platsbanken per månad (Arbetsförmedlingen (JobTech Dev))"
PAGE_NAMES = ["moten", "befolkning", "arbetsmarknad", "prognoser", "cirkular", "brp_plus", "serier"]


def short_catalog() -> Catalog:
    """The real catalog, with the monthly ads fetched from 2026-01 (three months, not ten
    years of requests)."""
    catalog = load_catalog()
    ads = catalog.series["nya_annonser_manad"]
    part = replace(ads.parts[0], options={**ads.parts[0].options, "from": "2026-01"})
    return replace(catalog, series={**catalog.series, ads.id: replace(ads, parts=(part,))})


@pytest.fixture
def fetched_for_23(snapshot_db: Path, tmp_path: Path) -> Path:
    """The snapshot plus the JobTech series refreshed for Jämtland (23)."""
    clock = FakeTime(at("2026-04-10"))
    sources: dict[str, Source] = {
        "jobtech_historical": JobtechHistoricalSource(client("jobtech_historical", clock)),
        "jobtech_search": JobtechSearchSource(client("jobtech_search", clock)),
    }
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        for url in (HIST, JOBSEARCH):
            rsps.add_callback(
                responses.GET, url, callback=lambda r: default_counts(params_of_req(r))
            )
        with open_writer(snapshot_db) as store:
            outcomes = refresh(
                store, tmp_path / "raw", short_catalog(), list(FETCHED_FOR_23), sources, home="23"
            )
    assert [o.ok and o.new for o in outcomes] == [True, True], outcomes
    return snapshot_db


def texts(at: AppTest) -> str:
    """Everything a reader sees as text on the page, escapes removed and spaces plain."""
    elements = [*at.markdown, *at.caption, *at.title, *at.header, *at.subheader, *at.info]
    labels = [f"{m.label} {m.value}" for m in at.metric]
    return normalise(" ".join([*(shown(str(e.value)) for e in elements), *labels]))


def render(name: str, home: str, monkeypatch: pytest.MonkeyPatch, **params: str) -> AppTest:
    monkeypatch.setenv("STATS_HOME_REGION", home)
    at = AppTest.from_file(str(PAGES / f"{name}.py"), default_timeout=60)
    at.query_params.update(params)
    at.run()
    assert not at.exception, (name, home, at.exception)
    return at


def test_the_wording_names_the_configured_lan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STATS_HOME_REGION", "20")
    assert no_data() == "Ingen data ännu för Dalarnas län — kör `stats refresh`"
    assert no_data("09") == "Ingen data ännu för Gotlands län — kör `stats refresh`"
    catalog = load_catalog()
    assert missing_text(catalog.series["nya_annonser_manad"], ["23"]) == (
        f"{ADS}: Ingen data ännu för Dalarnas län — kör `stats refresh`; "
        "det som finns är hämtat för Jämtlands län"
    )


@pytest.mark.parametrize(
    ("series", "home", "expected"),
    [
        # regions = ["23"]
        ("af_jamtland_pressmeddelanden", "20", "Uppgifterna gäller bara Jämtlands län, inte "
         "Dalarnas län"),
        # regions = the eight kommuner of 23
        ("folkmangd_31dec_jamtland_kommuner", "09", "Uppgifterna gäller bara kommunerna i "
         "Jämtlands län, inte Gotlands län"),
        # regions = "00" and 14 län, Dalarna not among them
        ("befolkningsprognos_statistiknyheter", "20", "Uppgifterna gäller bara riket och 14 "
         "andra län, inte Dalarnas län"),
        # Gotland is among them: not yet fetched, not someone else's
        ("befolkningsprognos_statistiknyheter", "09", "Ingen data ännu för Gotlands län — kör "
         "`stats refresh`"),
        ("af_jamtland_pressmeddelanden", "23", "Ingen data ännu för Jämtlands län — kör "
         "`stats refresh`"),
    ],
)  # fmt: skip
def test_a_series_declared_for_other_lan_says_whose_it_is(
    series: str, home: str, expected: str
) -> None:
    assert missing_reason(load_catalog().series[series], home=home) == expected


# what each page says is missing for a home other than 23 (the snapshot has no BAS, no SCB
# projection tables, no Sysselsättningsgrad and no BRP; JobTech was fetched for 23 only)
MISSING = {
    "arbetsmarknad": [
        f"Nya lediga platser: {ADS}: {{missing}}; det som finns är hämtat för Jämtlands län",
        "Bruttoregionprodukt (BRP) per län (SCB, TAB3138): {missing}",
    ],
    "cirkular": ["Förvärvsarbetande efter bransch (SNI 2007), BAS (SCB, TAB3785): {missing}"],
    "moten": ["Inga möten är inlagda för dialogen i {name}."],
}
# all that may name Jämtland on a page for another home: where the missing data was fetched
FETCHED_FOR_JAMTLAND = "det som finns är hämtat för Jämtlands län"


@pytest.mark.parametrize("home", ["20", "09"])
def test_every_page_names_the_home_without_data(
    home: str, fetched_for_23: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each page names the home län where its data is missing, and none presents Jämtland's
    figures (its JobTech counts, fetched for 23) as the home län's."""
    name = REGIONS.name(home)
    missing = f"Ingen data ännu för {name} — kör `stats refresh`"
    for page in PAGE_NAMES:
        text = texts(render(page, home, monkeypatch))
        for expected in MISSING.get(page, []):
            assert expected.format(missing=missing, name=name) in text, page
        assert "Ingen data ännu — kör" not in text, page
        assert "Jämtlands län" not in text.replace(FETCHED_FOR_JAMTLAND, ""), page
    ads = texts(render("serier", home, monkeypatch, serie="nya_annonser_manad"))
    assert f"{missing}; {FETCHED_FOR_JAMTLAND}" in ads
    population = render("befolkning", home, monkeypatch)
    assert population.metric[0].label.startswith(f"{name} (summa av åldersgrupperna)")


def test_gotland_sees_its_printed_projection_dalarna_is_told_whose_they_are(
    snapshot_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SCB's printed news name Gotland but not Dalarna (realdata.toml, regions)."""
    printed = "Framskriven befolkningsförändring enligt SCB:s statistiknyheter"
    gotland = texts(render("prognoser", "09", monkeypatch))
    assert printed in gotland
    assert "Ingen data ännu" not in gotland and "Uppgifterna gäller bara" not in gotland
    dalarna = texts(render("prognoser", "20", monkeypatch))
    assert printed not in dalarna
    assert "Uppgifterna gäller bara riket och 14 andra län, inte Dalarnas län" in dalarna
    missing = "Ingen data ännu för Dalarnas län — kör `stats refresh`"
    assert f"befolkningsprognos: Befolkningsframskrivning, senaste (SCB, TAB698): {missing}" in (
        dalarna
    )


def test_no_database_names_the_home_on_every_page(monkeypatch: pytest.MonkeyPatch) -> None:
    for page in ("befolkning", "arbetsmarknad", "prognoser", "serier"):
        text = texts(render(page, "09", monkeypatch))
        assert "Ingen data ännu för Gotlands län — kör `stats refresh`" in text, page


def publishers(at: AppTest) -> list[str]:
    """The publishers in the Möten page's freshness table."""
    [table] = at.table
    return [str(p) for p in table.value["Källa"]]


def test_a_switch_in_one_process_reads_the_new_homes_data(
    fetched_for_23: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No cache is cleared between the runs (as between two deployments' sessions in one
    process): every cached read is keyed by the home län, so 20 never gets 23's results."""
    jobtech = "Arbetsförmedlingen (JobTech Dev)"
    jamtland = render("arbetsmarknad", "23", monkeypatch)
    assert "Nya lediga platser" in [t.label for t in jamtland.tabs]
    stock = render("serier", "23", monkeypatch, serie="lediga_annonser_dag")
    assert len(stock.get("plotly_chart")) == 1 and not stock.info
    assert jobtech in publishers(render("moten", "23", monkeypatch))

    dalarna = render("arbetsmarknad", "20", monkeypatch)
    assert "Nya lediga platser" not in [t.label for t in dalarna.tabs]
    assert f"Nya lediga platser: {ADS}: Ingen data ännu för Dalarnas län" in texts(dalarna)
    stock = render("serier", "20", monkeypatch, serie="lediga_annonser_dag")
    assert not stock.get("plotly_chart")
    assert stock.info[0].value == (
        f"Ingen data ännu för Dalarnas län — kör `stats refresh`; {FETCHED_FOR_JAMTLAND}"
    )
    assert jobtech not in publishers(render("moten", "20", monkeypatch))
