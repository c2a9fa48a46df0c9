"""BRP+ online: the index KPIs declared in catalog.d/kolada.toml, checked against the embedded
real KPI catalogue, and a refresh against a fake Kolada v3 (`responses`).

The /kpi answers carry the real titles from the embedded catalogue. The /data answers are
built here in the documented v3 envelope with illustrative values (hand-built, never data).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import responses
from responses import matchers

from stats.catalog.load import Series, load_catalog
from stats.errors import CatalogError
from stats.ingest.refresh import Outcome, refresh
from stats.sources.base import FetchRequest
from stats.sources.kolada import KOLADA_BASE, KoladaClient, KoladaSource, chunked
from stats.sources.kolada_catalogue import load_kpi_catalogue
from stats.store.write import open_writer
from tests.adapter_faults import FakeSleep
from tests.store_checks import query

REGION = "kolada_brp_plus_region"
KOMMUN = "kolada_brp_plus_kommun"
PER_PAGE = matchers.query_param_matcher({"per_page": "5000"})
LAN_IDS = ["0000"] + [f"00{c}" for c in (
    "01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13",
    "14", "17", "18", "19", "20", "21", "22", "23", "24", "25",
)]  # fmt: skip
YEARS = "2020,2021,2022,2023,2024,2025"


def series(series_id: str) -> Series:
    return load_catalog().get(series_id)


def kpi_ids(series_id: str) -> list[str]:
    table = series(series_id).parts[0].table
    assert table is not None
    return table.split(",")


@pytest.mark.parametrize(
    ("series_id", "level", "kind"), [(REGION, "Regionindex", "L"), (KOMMUN, "Kommunindex", "K")]
)
def test_declared_ids_are_the_index_kpis_of_the_real_catalogue(
    series_id: str, level: str, kind: str
) -> None:
    catalogue = load_kpi_catalogue()
    ids = kpi_ids(series_id)
    kpis = [catalogue.get(i) for i in ids]
    assert all(k is not None for k in kpis), [i for i, k in zip(ids, kpis, strict=True) if not k]
    expect = str(series(series_id).parts[0].options["expect_title"])
    titles = [k.title for k in kpis if k]
    assert all(re.search(expect, t) for t in titles)
    assert {k.municipality_type for k in kpis if k} == {kind}
    # every KPI so titled in the catalogue is declared: 16 totals, 14 for women, 14 for men
    everyone = {k.id for k in catalogue.kpis.values() if re.search(expect, k.title)}
    assert set(ids) == everyone and len(ids) == 44
    assert sum(t.endswith("Kvinnor") for t in titles) == sum(t.endswith("Män") for t in titles)
    assert sum(t.endswith("Kvinnor") for t in titles) == 14
    assert f"Livskvalitet - {level}" in titles and f"Hållbarhet - {level}" in titles


def kpi_body(ids: list[str], retitle: dict[str, str] | None = None) -> dict[str, Any]:
    catalogue = load_kpi_catalogue()
    values = []
    for kpi_id in ids:
        kpi = catalogue.get(kpi_id)
        if kpi is not None:
            title = (retitle or {}).get(kpi_id, kpi.title)
            values.append({"id": kpi_id, "title": title, "publication_date": "2026-05-05"})
    return {"values": values, "count": len(values), "next_url": None}


def data_body(ids: list[str]) -> dict[str, Any]:
    """One illustrative value per KPI and region for 2025 (hand-built, not Kolada's figures)."""
    rows = [
        {"kpi": k, "municipality": m, "period": 2025,
         "values": [{"gender": "T", "count": 1, "status": "", "value": 40.0 + i}]}
        for i, k in enumerate(ids)
        for m in LAN_IDS
    ]  # fmt: skip
    return {"values": rows, "count": len(rows), "next_url": None}


def register(rsps: responses.RequestsMock, ids: list[str], metadata: list[str] | None = None,
             retitle: dict[str, str] | None = None) -> None:  # fmt: skip
    for chunk in chunked(ids):
        joined = ",".join(chunk)
        url = f"{KOLADA_BASE}/data/kpi/{joined}/municipality/{','.join(LAN_IDS)}/year/{YEARS}"
        rsps.get(url, match=[PER_PAGE], json=data_body(chunk))
        shown = [k for k in chunk if metadata is None or k in metadata]
        rsps.get(f"{KOLADA_BASE}/kpi/{joined}", match=[PER_PAGE], json=kpi_body(shown, retitle))


def run(tmp_path: Path) -> Outcome:
    source = KoladaSource(KoladaClient(sleep=FakeSleep(), max_retries=1), this_year=lambda: 2025)
    with open_writer(tmp_path / "stats.duckdb") as store:
        [outcome] = refresh(
            store, tmp_path / "raw", load_catalog(), [REGION], {"kolada": source}, home="23"
        )
    return outcome


def test_refresh_stores_the_index_kpis_with_kolada_titles(tmp_path: Path) -> None:
    ids = kpi_ids(REGION)
    with responses.RequestsMock() as rsps:
        register(rsps, ids)
        outcome = run(tmp_path)
    assert outcome.ok and outcome.new and outcome.rows == 44 * 22, outcome
    rows = query(
        tmp_path / "stats.duckdb",
        f"select dims, value from latest where series_id = '{REGION}' and region_code = '23' "
        "order by value limit 1",
    )
    assert rows == [('{"kpi": "N00333"}', 40.0)]


@pytest.mark.parametrize("case", ["unknown-id", "retitled"])
def test_a_live_catalogue_that_disagrees_fails_naming_the_kpi(tmp_path: Path, case: str) -> None:
    ids = kpi_ids(REGION)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        if case == "unknown-id":
            register(rsps, ids, metadata=[k for k in ids if k != "N00343"])
            expected = "Kolada has no KPI N00343 (verify the ids online)"
        else:
            register(rsps, ids, retitle={"N00343": "Livskvalitet, ny definition"})
            expected = "KPI N00343 is titled 'Livskvalitet, ny definition'; the catalog expects"
        outcome = run(tmp_path)
    assert not outcome.ok and expected in outcome.message, outcome.message


def test_a_long_kpi_list_needs_a_short_table_id(tmp_path: Path) -> None:
    declared = series(REGION)
    part = declared.parts[0]
    options = {k: v for k, v in part.options.items() if k != "table_id"}
    bare = replace(declared, parts=(replace(part, options=options),))
    source = KoladaSource(KoladaClient(sleep=FakeSleep(), max_retries=1), this_year=lambda: 2025)
    request = FetchRequest(series=bare, part=bare.parts[0], part_index=0, home="23")
    with pytest.raises(CatalogError, match=r"is no short name for the raw archive; give options"):
        source.fetch(request)
