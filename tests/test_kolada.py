"""Kolada v3 offline: id mapping, 25-id chunks, next_url paging, KPI group discovery, decoding
(Kolada's status kept, gender as a dimension) and failure modes leaving the store unchanged.

No Kolada response has been recorded, so the bodies are hand-built shape fixtures
(tests/fixtures/kolada/shape/) in the documented v3 envelope; their values are illustrative.
Where a test needs a changed body it derives it in code and says how.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
import responses
from responses import matchers

from stats.catalog.load import CATALOG_DIR, Catalog, load_catalog
from stats.errors import CatalogError, SchemaChanged
from stats.ingest.refresh import Outcome, refresh
from stats.regions import load_regions
from stats.sources.kolada import (
    KOLADA_BASE,
    KoladaClient,
    KoladaSource,
    chunked,
    decode_data,
    kolada_id,
    scb_code,
)
from stats.store.write import open_writer
from tests.adapter_faults import Adapter, Endpoint, FakeSleep, failure_test, replacing
from tests.fixture_files import FIXTURES, load_fixture
from tests.store_checks import query

KPIS = "N00999,N00926,N02243,N03932"
AGENDA_KPIS = "N00002,N03932,U00401"
LAN = [
    "01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13",
    "14", "17", "18", "19", "20", "21", "22", "23", "24", "25",
]  # fmt: skip
KOMMUNER = ["2303", "2305", "2309", "2313", "2321", "2326", "2361", "2380"]
IDS = ["0000"] + ["00" + c for c in LAN] + KOMMUNER
PER_PAGE = matchers.query_param_matcher({"per_page": "5000"})


def shape(name: str) -> bytes:
    return load_fixture(f"kolada/shape/{name}")


def shape_json(name: str) -> Any:
    return json.loads(shape(name))


def data_url(kpis: str, ids: list[str], years: str = "2023,2024") -> str:
    return f"{KOLADA_BASE}/data/kpi/{kpis}/municipality/{','.join(ids)}/year/{years}"


def catalog() -> Catalog:
    return load_catalog(FIXTURES / "kolada" / "shape" / "catalog.toml")


def source(sleep: FakeSleep | None = None) -> KoladaSource:
    client = KoladaClient(sleep=FakeSleep() if sleep is None else sleep, max_retries=3)
    return KoladaSource(client, this_year=lambda: 2024)


def run_refresh(
    db: Path, raw: Path, series: str = "kolada_naringsliv"
) -> tuple[Outcome, FakeSleep]:
    sleep = FakeSleep()
    with open_writer(db) as store:
        [outcome] = refresh(store, raw, catalog(), [series], {"kolada": source(sleep)}, home="23")
    return outcome, sleep


def register_ok(rsps: responses.RequestsMock) -> None:
    page_2 = matchers.query_param_matcher({"page": "2", "per_page": "5000"})
    rsps.get(
        data_url(KPIS, IDS[:25]), match=[PER_PAGE], body=shape("data_naringsliv_chunk1_page1.json")
    )
    rsps.get(
        data_url(KPIS, IDS[:25]),
        match=[page_2],
        body=shape("data_naringsliv_chunk1_page2.json"),
    )
    rsps.get(data_url(KPIS, IDS[25:]), match=[PER_PAGE], body=shape("data_naringsliv_chunk2.json"))
    rsps.get(f"{KOLADA_BASE}/kpi/{KPIS}", match=[PER_PAGE], body=shape("kpi_naringsliv.json"))


def register_agenda(rsps: responses.RequestsMock, groups: bytes | None = None) -> None:
    query = matchers.query_param_matcher({"title": "agenda", "per_page": "5000"})
    rsps.get(
        f"{KOLADA_BASE}/kpi_groups", match=[query], body=groups or shape("kpi_groups_agenda.json")
    )
    ids = ["0000", "0023", *KOMMUNER]
    rsps.get(data_url(AGENDA_KPIS, ids), match=[PER_PAGE], body=shape("data_agenda.json"))
    rsps.get(f"{KOLADA_BASE}/kpi/{AGENDA_KPIS}", match=[PER_PAGE], body=shape("kpi_agenda.json"))


@pytest.mark.parametrize(
    ("scb", "kolada"),
    [("00", "0000"), ("23", "0023"), ("01", "0001"), ("2380", "2380"), ("0114", "0114")],
)
def test_region_ids_map_both_ways(scb: str, kolada: str) -> None:
    assert kolada_id(scb) == kolada
    assert scb_code(kolada) == scb


def test_every_region_round_trips() -> None:
    regions = load_regions()
    codes = load_regions().resolve(["riket", "lan", "kommuner"], "23")
    assert len(codes) == 1 + 21 + 290
    assert [scb_code(kolada_id(c)) for c in codes] == list(codes)
    assert len({kolada_id(c) for c in codes}) == len(codes)
    assert regions.name("23") == "Jämtlands län"


def test_foreign_ids_are_rejected() -> None:
    with pytest.raises(SchemaChanged, match="'G123456' is not a Kolada region id"):
        scb_code("G123456")
    with pytest.raises(CatalogError, match="has no Kolada id"):
        kolada_id("SE1")


def test_chunks_hold_at_most_25_ids() -> None:
    ids = [f"{i:04d}" for i in range(60)]
    parts = chunked(ids)
    assert [len(p) for p in parts] == [25, 25, 10]
    assert [i for p in parts for i in p] == ids


def test_data_calls_split_every_segment_at_25_ids() -> None:
    kpis = [f"N{i:05d}" for i in range(27)]
    with responses.RequestsMock() as rsps:
        rsps.add_callback(
            responses.GET,
            url=re.compile(re.escape(KOLADA_BASE) + r"/data/.*"),
            callback=lambda _req: (200, {}, json.dumps({"values": [], "next_url": None})),
        )
        pages = KoladaClient(sleep=FakeSleep()).fetch_data(kpis, IDS, ["2023", "2024"])
        urls = [c.request.url or "" for c in rsps.calls]
    assert len(pages) == len(urls) == 2 * 2  # 27 KPIs → 2 chunks; 30 regions → 2 chunks
    asked = set()
    for url in urls:
        segments = url.split("?")[0].removeprefix(KOLADA_BASE + "/data/").split("/")
        assert segments[0::2] == ["kpi", "municipality", "year"]
        kpi_ids, region_ids, years = (s.split(",") for s in segments[1::2])
        assert len(kpi_ids) <= 25 and len(region_ids) <= 25 and years == ["2023", "2024"]
        asked |= {(k, m) for k in kpi_ids for m in region_ids}
    assert asked == {(k, m) for k in kpis for m in IDS}


def test_decode_keeps_kolada_status_and_gender() -> None:
    series = catalog().get("kolada_naringsliv")
    body = {
        "values": [
            {
                "kpi": "N02243",
                "municipality": "0023",
                "period": 2024,
                "values": [
                    {"gender": "T", "count": 1, "status": "", "value": 80.1, "isdeleted": False},
                    {"gender": "K", "count": 1, "status": "", "value": 79.5, "isdeleted": False},
                    {"gender": "M", "count": 1, "status": "", "value": 80.7, "isdeleted": True},
                ],
            },
            {
                "kpi": "N00926",
                "municipality": "2326",
                "period": 2024,
                "values": [{"gender": "T", "count": 0, "status": "Missing", "value": None}],
            },
        ],
        "count": 2,
        "next_url": None,
    }
    decoded = decode_data(series, KPIS, body)
    rows = decoded.frame.to_dict("records")
    assert [(r["region_code"], r["kpi"], r["gender"]) for r in rows] == [
        ("23", "N02243", "T"),
        ("23", "N02243", "K"),
        ("2326", "N00926", "T"),
    ]  # the deleted M value is dropped
    assert rows[0]["value"] == 80.1 and rows[0]["status"] is None and rows[0]["period"] == "2024"
    assert math.isnan(rows[2]["value"]) and rows[2]["status"] == "Missing"
    assert decoded.labels[("gender", "K")] == "Kvinnor"
    assert decoded.labels[("region", "2326")] == "Berg"
    assert decoded.meta["source"] == "Kolada (RKA)" and decoded.meta["license"] == "CC BY 4.0"


def test_refresh_stores_kpis_by_scb_region_with_gender(tmp_path: Path) -> None:
    db = tmp_path / "stats.duckdb"
    with responses.RequestsMock() as rsps:
        register_ok(rsps)
        outcome, _ = run_refresh(db, tmp_path / "raw")
        urls = [c.request.url or "" for c in rsps.calls]
    assert outcome.ok, outcome.message
    # 30 regions × 2 years × (N00999 T + N00926 T + N02243 T/K/M + N03932 T/K/M)
    assert outcome.rows == 30 * 2 * 8
    assert any("page=2" in u for u in urls)  # followed next_url
    assert {r[0] for r in query(db, "select distinct region_code from latest")} == {
        "00",
        *LAN,
        *KOMMUNER,
    }
    value = query(
        db,
        "select value, status from latest where region_code = '23' and period = '2024' "
        "and dims->>'$.kpi' = 'N02243' and dims->>'$.gender' = 'K'",
    )
    assert len(value) == 1 and value[0][1] is None
    missing = query(
        db,
        "select value, status from latest where region_code = '2326' and period = '2024' "
        "and dims->>'$.kpi' = 'N00926'",
    )
    assert missing == [(None, "Missing")]
    labels = dict(
        ((d, c), lab) for d, c, lab in query(db, "select dimension, code, label from label")
    )
    assert labels[("kpi", "N00999")] == "Nystartade företag, antal/1000 inv 16-64 år"
    assert labels[("gender", "M")] == "Män"
    assert labels[("region", "23")] == "Jämtlands län"
    meta = json.loads(query(db, "select meta from release")[0][0])
    assert meta["source"] == "Kolada (RKA)"
    assert meta["license"] == "CC BY 4.0"
    assert meta["attribution"] == "Källa: Kolada (RKA), CC BY 4.0"
    assert meta["units"]["N03932"] == {"base": "andel (%)", "decimals": 1}
    assert meta["table_labels"][KPIS].startswith("Kolada (RKA): nyckeltal N00999")
    assert query(db, "select max(source_updated) from response") == [("2025-03-04",)]


def test_totals_only_when_gender_is_not_a_dimension(tmp_path: Path) -> None:
    db = tmp_path / "stats.duckdb"
    with responses.RequestsMock() as rsps:
        register_ok(rsps)
        outcome, _ = run_refresh(db, tmp_path / "raw", "kolada_naringsliv_totals")
    assert outcome.ok and outcome.rows == 30 * 2 * 4
    assert {r[0] for r in query(db, "select distinct dims from latest")} >= {'{"kpi": "N02243"}'}


def test_agenda_group_is_discovered_and_expanded(tmp_path: Path) -> None:
    db = tmp_path / "stats.duckdb"
    with responses.RequestsMock() as rsps:
        register_agenda(rsps)
        outcome, _ = run_refresh(db, tmp_path / "raw", "kolada_agenda2030")
    assert outcome.ok, outcome.message
    # 10 regions × 2 years × (N00002 T/K/M + N03932 T/K/M + U00401 T)
    assert outcome.rows == 10 * 2 * 7
    assert query(db, "select distinct table_id from response") == [("G2KPI110556",)]
    meta = json.loads(query(db, "select meta from release")[0][0])
    assert meta["table_labels"]["G2KPI110556"].startswith("Agenda 2030 – indikatorer")
    assert {r[0] for r in query(db, "select distinct dims->>'$.kpi' from latest")} == {
        "N00002",
        "N03932",
        "U00401",
    }


def test_real_catalog_asks_from_its_first_year_to_this_year() -> None:
    real = load_catalog(CATALOG_DIR / "kolada.toml")
    naringsliv = real.get("kolada_naringsliv")
    years = source().years(naringsliv, naringsliv.parts[0])
    assert years[0] == "2010" and years[-1] == "2024"
    agenda = real.get("kolada_agenda2030")
    assert agenda.parts[0].discover is not None
    assert agenda.parts[0].discover.query == "agenda"


def case_path_style_404(rsps: responses.RequestsMock) -> None:
    rsps.get(data_url(KPIS, IDS[:25]), status=404, body='{"detail": "Not Found"}')


def case_group_member(rsps: responses.RequestsMock) -> None:
    """Derived: the second chunk answers for a municipality group id, which is no region."""
    body = shape_json("data_naringsliv_chunk2.json")
    body["values"][0]["municipality"] = "G124026"
    register_ok(rsps)
    rsps.replace(responses.GET, data_url(KPIS, IDS[25:]), body=json.dumps(body))


def value_not_a_number() -> bytes:
    """Derived: a value in the second chunk sent as the string "12,3"."""
    body = shape_json("data_naringsliv_chunk2.json")
    body["values"][0]["values"][0]["value"] = "12,3"
    return json.dumps(body).encode()


def case_next_url_elsewhere(rsps: responses.RequestsMock) -> None:
    """Derived: page 1 points its next_url at another host."""
    body = shape_json("data_naringsliv_chunk1_page1.json")
    body["next_url"] = "https://example.org/v3/data?page=2"
    register_ok(rsps)
    rsps.replace(responses.GET, data_url(KPIS, IDS[:25]), match=[PER_PAGE], body=json.dumps(body))


def case_region_without_data(rsps: responses.RequestsMock) -> None:
    """Derived: the second chunk comes back empty, so five kommuner have no value at all."""
    register_ok(rsps)
    rsps.replace(responses.GET, data_url(KPIS, IDS[25:]), body='{"values": [], "next_url": null}')


KOLADA = Adapter(
    series_id="kolada_naringsliv",
    refresh=run_refresh,
    register_ok=register_ok,
    serve=replacing(
        register_ok,
        Endpoint("GET", data_url(KPIS, IDS[25:])),
        {"429-storm": Endpoint("GET", f"{KOLADA_BASE}/kpi/{KPIS}")},
    ),
    body=lambda: shape("data_naringsliv_chunk2.json"),
    changed=value_not_a_number,
    expect={"truncated": "did not return JSON", "changed-schema": "'12,3' is not a number"},
)

test_failure_leaves_the_store_exactly_as_before = failure_test(
    KOLADA,
    {
        "path-style-404": (case_path_style_404, "v3 wants the query style"),
        "group-id-in-data": (case_group_member, "'G124026' is not a Kolada region id"),
        "next-url-elsewhere": (case_next_url_elsewhere, "leaves api.kolada.se"),
        "region-without-data": (case_region_without_data, "lacks requested region codes 2313"),
    },
)


@pytest.mark.parametrize(
    ("titles", "expected"),
    [
        (["Lokal agenda, urval", "Kostnader"], "matched 0 groups"),
        (["Agenda 2030 – kommuner", "Agenda 2030 – regioner"], "matched 2 groups"),
    ],
)
def test_group_discovery_needs_exactly_one_match(
    tmp_path: Path, titles: list[str], expected: str
) -> None:
    """Derived: the two groups of the fixture retitled."""
    body = shape_json("kpi_groups_agenda.json")
    for group, title in zip(body["values"], titles, strict=True):
        group["title"] = title
    db = tmp_path / "stats.duckdb"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        register_agenda(rsps, groups=json.dumps(body).encode())
        outcome, _ = run_refresh(db, tmp_path / "raw", "kolada_agenda2030")
    assert not outcome.ok
    assert expected in outcome.message
    assert "G2KPI" in outcome.message and "kpi_groups?title=agenda" in outcome.message
