"""JobTech Historical ads and JobSearch adapters: requests, incremental reuse, store, failures.

The only recorded body is tests/fixtures/jobtech/historical_search_response.json (a real
Historical /search response). Every other API body here is a SHAPE FIXTURE built in code by
`envelope()` from that real response (illustrative counts, hits emptied as with limit=0); such
values never enter data/ or the app.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from stats.catalog.load import Catalog, load_catalog
from stats.errors import CatalogError, SchemaChanged
from stats.ingest.refresh import Outcome, refresh
from stats.periods import month_index
from stats.sources.base import FetchRequest, Source
from stats.sources.http import RawResponse
from stats.sources.jobtech.historical import (
    SWEDEN_CONCEPT_ID,
    TAXONOMY_KOMMUNER,
    TAXONOMY_LAN,
    URLS,
    HistoricalOptions,
    JobtechClient,
    JobtechHistoricalSource,
    geo_for,
    month_bounds,
)
from stats.sources.jobtech.search import JobtechSearchSource
from stats.store.write import open_writer
from tests.adapter_faults import Adapter, Fault, failure_test
from tests.fixture_files import load_fixture
from tests.store_checks import query as query_db

HIST = URLS["jobtech_historical"] + "/search"
JOBSEARCH = URLS["jobtech_search"] + "/search"
REAL = load_fixture("jobtech/historical_search_response.json")
Handler = Callable[[dict[str, str]], tuple[int, dict[str, str], bytes | Exception]]


def envelope(ads: int, positions: int) -> bytes:
    """SHAPE FIXTURE: the real envelope with illustrative counts and no hits (limit=0)."""
    body = json.loads(REAL)
    body["total"]["value"], body["positions"], body["hits"] = ads, positions, []
    return json.dumps(body).encode()


def default_counts(params: dict[str, str]) -> tuple[int, dict[str, str], bytes | Exception]:
    """Illustrative counts that differ per geography and month."""
    geo = params.get("region") or params.get("municipality") or "0"
    month = params.get("historical-from", "2000-01")[:7].replace("-", "")
    ads = int(geo[-2:]) * 1000 + int(month) % 10000
    return 200, {}, envelope(ads, ads * 2)


class FakeTime:
    """A wall clock for fetched_at and a monotonic clock that only `sleep` advances."""

    def __init__(self, now: datetime) -> None:
        self.wall = now
        self.mono = 0.0
        self.sleeps: list[float] = []

    def now(self) -> datetime:
        return self.wall

    def monotonic(self) -> float:
        return self.mono

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.mono += seconds


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00").replace(tzinfo=UTC)


def client(name: str, clock: FakeTime) -> JobtechClient:
    return JobtechClient(URLS[name], sleep=clock.sleep, clock=clock.monotonic, now=clock.now)


def write_catalog(tmp_path: Path, regions: str, options: str = "") -> Catalog:
    path = tmp_path / "jobtech_test.toml"
    path.write_text(
        f"""
[series.hist]
title = "Nya annonser"
unit = "annonser respektive platser"
frequency = "month"
regions = {regions}
dims = ["measure"]

[[series.hist.parts]]
source = "jobtech_historical"
{options}

[series.stock]
title = "Lediga annonser"
unit = "annonser respektive platser"
frequency = "month"
regions = {regions}
dims = ["measure"]

[[series.stock.parts]]
source = "jobtech_search"
""",
        encoding="utf-8",
    )
    return load_catalog(path)


def params_of(call: Any) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(call.request.url).query).items()}


def refresh_series(
    tmp_path: Path, catalog: Catalog, series: str, clock: FakeTime
) -> tuple[Outcome, list[float]]:
    """One refresh through stats.ingest.refresh.refresh into tmp_path's store: (outcome, sleeps)."""
    sources: dict[str, Source] = {
        "jobtech_historical": JobtechHistoricalSource(client("jobtech_historical", clock)),
        "jobtech_search": JobtechSearchSource(client("jobtech_search", clock)),
    }
    with open_writer(tmp_path / "stats.duckdb") as store:
        [outcome] = refresh(store, tmp_path / "raw", catalog, [series], sources, home="23")
    return outcome, clock.sleeps


def answer(rsps: responses.RequestsMock, url: str, handler: Handler = default_counts) -> None:
    """Every GET of `url` answered by `handler` from its query parameters."""
    rsps.add_callback(responses.GET, url, callback=lambda req: handler(params_of_req(req)))


def run(
    tmp_path: Path,
    catalog: Catalog,
    series: str,
    clock: FakeTime,
    handler: Handler = default_counts,
) -> tuple[Outcome, list[dict[str, str]]]:
    """`refresh_series` replayed offline by `handler`; also the parameters of every request."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        answer(rsps, HIST if series == "hist" else JOBSEARCH, handler)
        outcome, _ = refresh_series(tmp_path, catalog, series, clock)
        sent = [params_of(c) for c in rsps.calls]
    return outcome, sent


def params_of_req(req: requests.PreparedRequest) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(req.url or "").query).items()}


def query(tmp_path: Path, sql: str) -> list[tuple[Any, ...]]:
    return query_db(tmp_path / "stats.duckdb", sql)


def test_decode_real_recorded_response(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path, '["riket"]')
    series = catalog.get("hist")
    start, end = month_bounds(month_index(2024, 12))
    url = f"{HIST}?limit=0&historical-from={start}&historical-to={end}&country={SWEDEN_CONCEPT_ID}"
    source = JobtechHistoricalSource()
    raw = RawResponse(url, "GET", "", REAL, 200, at("2026-11-27"))
    decoded = source.decode(series, series.parts[0], "search", raw)
    rows = decoded.frame.to_dict("records")
    assert [(r["region_code"], r["period"], r["measure"], r["value"]) for r in rows] == [
        ("00", "2024M12", "annonser", 6753960.0),
        ("00", "2024M12", "platser", 12778204.0),
    ]
    assert not decoded.frame["preliminary"].any()
    assert decoded.labels[("region", "00")] == "Riket"
    assert decoded.meta["source"] == "Arbetsförmedlingen (JobTech Dev)"
    assert "preliminära" in decoded.meta["notes"][0] and decoded.meta["note_mandatory"][0]
    fresh = RawResponse(url, "GET", "", REAL, 200, at("2025-02-10"))
    assert source.decode(series, series.parts[0], "search", fresh).frame["preliminary"].all()


def test_swagger_declares_the_parameters_sent() -> None:
    swagger = json.loads(load_fixture("jobtech/historical_swagger_v1.30.5.json"))
    declared = {p["name"]: p for p in swagger["paths"]["/search"]["get"]["parameters"]}
    for name in ("limit", "historical-from", "historical-to", "region", "municipality", "country"):
        assert name in declared
    assert declared["limit"]["minimum"] == 0
    for value in month_bounds(month_index(2024, 2)):
        assert re.match(declared["historical-from"]["pattern"], value)
    positions = swagger["definitions"]["SearchResults"]["properties"]["positions"]
    assert positions["type"] == "integer"


def test_outgoing_params_leap_february_region_vs_municipality(tmp_path: Path) -> None:
    catalog = write_catalog(
        tmp_path, '["riket", "hemlan", "2380"]', 'options = { from = "2024-02" }'
    )
    clock = FakeTime(at("2024-02-20"))
    outcome, sent = run(tmp_path, catalog, "hist", clock)
    assert outcome.ok and outcome.rows == 3 * 2, outcome
    month = {"limit": "0", "historical-from": "2024-02-01T00:00:00"}
    month["historical-to"] = "2024-02-29T23:59:59"
    assert sent == [
        {**month, "country": SWEDEN_CONCEPT_ID},
        {**month, "region": "23"},
        {**month, "municipality": "2380"},
    ]
    assert clock.sleeps == [1.0, 1.0]  # paced at one request per second
    assert query(tmp_path, "select distinct preliminary from observation") == [(True,)]


def test_backfill_makes_one_request_per_month_and_geography(tmp_path: Path) -> None:
    catalog = write_catalog(
        tmp_path, '["riket", "hemlan", "hemlan_kommuner"]', 'options = { from = "2025-10" }'
    )
    outcome, sent = run(tmp_path, catalog, "hist", FakeTime(at("2026-03-10")))
    assert outcome.ok and len(sent) == 6 * 10 and outcome.rows == 6 * 10 * 2, outcome
    assert {p["historical-from"][:7] for p in sent} == {
        "2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03",
    }  # fmt: skip
    assert {p.get("municipality") for p in sent} - {None} == {
        "2303", "2305", "2309", "2313", "2321", "2326", "2361", "2380",
    }  # fmt: skip
    rows = query(tmp_path, "select count(*) from response")
    assert rows == [(60,)]


def test_fetch_reuses_final_months_and_refetches_preliminary_ones(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path, '["hemlan"]', 'options = { from = "2026-07" }')
    series = catalog.get("hist")
    clock = FakeTime(at("2026-11-27"))
    source = JobtechHistoricalSource(client("jobtech_historical", clock))
    with responses.RequestsMock() as rsps:
        rsps.add_callback(responses.GET, HIST, callback=lambda r: default_counts(params_of_req(r)))
        first = source.fetch(FetchRequest(series, series.parts[0], 0, "23"))
        assert len(rsps.calls) == 5  # 2026-07 … 2026-11
        clock.wall = at("2026-12-10")
        second = source.fetch(FetchRequest(series, series.parts[0], 0, "23", first.responses))
        refetched = [params_of(c)["historical-from"][:7] for c in rsps.calls[5:]]
    # July and August were final on 2026-11-27 (≥ 3 months old); September was not
    assert refetched == ["2026-09", "2026-10", "2026-11", "2026-12"]
    assert second.responses[:2] == first.responses[:2]  # same objects: URL and fetched_at kept
    assert [r.fetched_at for r in second.responses[2:]] == [at("2026-12-10")] * 4


def test_preliminary_month_replaced_by_final_value_in_a_new_release(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path, '["hemlan"]', 'options = { from = "2026-07" }')
    september = {"value": 100}

    def handler(params: dict[str, str]) -> tuple[int, dict[str, str], bytes | Exception]:
        if params["historical-from"].startswith("2026-09"):
            return 200, {}, envelope(september["value"], september["value"] + 7)
        return default_counts(params)

    first, _ = run(tmp_path, catalog, "hist", FakeTime(at("2026-11-27")), handler)
    september["value"] = 150  # more unpublished September ads arrived
    second, sent = run(tmp_path, catalog, "hist", FakeTime(at("2026-12-10")), handler)
    assert first.ok and second.ok and second.new and second.release_id != first.release_id
    assert len(sent) == 4
    rows = query(
        tmp_path,
        "select release_id, value, preliminary from observation where period = '2026M09' "
        "and dims->>'$.measure' = 'annonser' order by release_id",
    )
    assert rows == [(first.release_id, 100.0, True), (second.release_id, 150.0, False)]
    urls = query(
        tmp_path,
        f"select url, fetched_at from response where release_id = {second.release_id} order by seq",
    )
    assert len(urls) == 6 and "historical-from=2026-07-01" in urls[0][0]
    assert urls[0][1] == at("2026-11-27")  # July reused with its original fetch time
    meta = json.loads(query(tmp_path, "select meta from latest_release")[0][0])
    assert any("avpublicerats" in note for note in meta["notes"])


def test_unknown_region_is_rejected_before_any_request(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path, '["hemlan", "2380"]', 'options = { from = "2026-07" }')
    clock = FakeTime(at("2026-11-27"))
    # a kommun our regions table knows but JobTech's taxonomy (here: a reduced copy) does not
    source = JobtechHistoricalSource(
        client("jobtech_historical", clock), known=TAXONOMY_LAN | (TAXONOMY_KOMMUNER - {"2380"})
    )
    with responses.RequestsMock() as rsps, open_writer(tmp_path / "stats.duckdb") as store:
        [outcome] = refresh(
            store, tmp_path / "raw", catalog, ["hist"], {"jobtech_historical": source}, "23"
        )
        assert len(rsps.calls) == 0
    assert not outcome.ok and "'2380'" in outcome.message and "taxonomy" in outcome.message
    with pytest.raises(SchemaChanged, match="'9999'"):
        geo_for("hist", "9999", TAXONOMY_LAN | TAXONOMY_KOMMUNER)


def test_decode_rejects_a_response_for_an_unknown_id(tmp_path: Path) -> None:
    series = write_catalog(tmp_path, '["hemlan"]').get("hist")
    url = f"{HIST}?limit=0&historical-from=2024-01-01T00:00:00&region=99"
    raw = RawResponse(url, "GET", "", envelope(0, 0), 200, at("2026-11-27"))
    with pytest.raises(SchemaChanged, match="unknown region '99'"):
        JobtechHistoricalSource().decode(series, series.parts[0], "search", raw)


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ('options = { from = "2016" }', "from"),
        ('options = { from = "2016-01", preliminary_months = -1 }', "preliminary_months"),
        ('options = { form = "2016-01" }', "unknown"),
    ],
    ids=["month-format", "negative-months", "misspelt-key"],
)
def test_bad_options_raise_catalog_error(tmp_path: Path, options: str, match: str) -> None:
    series = write_catalog(tmp_path, '["hemlan"]', options).get("hist")
    with pytest.raises(CatalogError, match=match):
        HistoricalOptions.of(series, series.parts[0])


def without_total() -> bytes:
    """The real response without its `total`, as if the API changed its schema."""
    body = json.loads(REAL)
    del body["total"]
    return json.dumps(body).encode()


def jobtech_adapter(series: str, url: str, regions: str, options: str, faulty: str) -> Adapter:
    """One JobTech series refreshed on 2026-11-27; the request whose parameter values include
    `faulty` fails on the second refresh while the rest answer."""

    def run_series(db: Path, _raw: Path) -> tuple[Outcome, list[float]]:
        catalog = write_catalog(db.parent, regions, options)
        return refresh_series(db.parent, catalog, series, FakeTime(at("2026-11-27")))

    def serve(rsps: responses.RequestsMock, _case: str, fault: Fault) -> None:
        def handler(params: dict[str, str]) -> tuple[int, dict[str, str], bytes | Exception]:
            if not any(v.startswith(faulty) for v in params.values()):
                return default_counts(params)
            return fault.status, fault.headers, fault.body

        answer(rsps, url, handler)

    return Adapter(
        series_id=series,
        refresh=run_series,
        register_ok=lambda rsps: answer(rsps, url),
        serve=serve,
        body=lambda: REAL,
        changed=without_total,
        expect={"truncated": "did not return JSON", "changed-schema": "total.value is None"},
    )


# September is still preliminary on the second refresh, so it is asked for again
test_failure_leaves_the_store_exactly_as_before = failure_test(
    jobtech_adapter("hist", HIST, '["hemlan"]', 'options = { from = "2026-07" }', "2026-09")
)
test_jobsearch_failure_leaves_the_store_exactly_as_before = failure_test(
    jobtech_adapter("stock", JOBSEARCH, '["hemlan", "hemlan_kommuner"]', "", "2380")
)


def test_429_waits_retry_after_then_succeeds(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path, '["hemlan"]', 'options = { from = "2026-11" }')
    calls = {"n": 0}

    def handler(params: dict[str, str]) -> tuple[int, dict[str, str], bytes | Exception]:
        calls["n"] += 1
        if calls["n"] == 1:
            return 429, {"Retry-After": "7"}, b""
        return default_counts(params)

    clock = FakeTime(at("2026-11-27"))
    outcome, sent = run(tmp_path, catalog, "hist", clock, handler)
    assert outcome.ok and len(sent) == 2 and 7.0 in clock.sleeps


def test_jobsearch_one_request_per_geography(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path, '["riket", "hemlan", "hemlan_kommuner"]')
    outcome, sent = run(tmp_path, catalog, "stock", FakeTime(at("2026-11-27")))
    assert outcome.ok and outcome.rows == 10 * 2
    assert sent[:3] == [
        {"limit": "0", "country": SWEDEN_CONCEPT_ID},
        {"limit": "0", "region": "23"},
        {"limit": "0", "municipality": "2303"},
    ]
    assert query(tmp_path, "select distinct period, preliminary from observation") == [
        ("2026-11-27", False)
    ]


def test_jobsearch_keeps_earlier_days_and_replaces_today(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path, '["hemlan"]')
    stock = {"ads": 1000}

    def handler(params: dict[str, str]) -> tuple[int, dict[str, str], bytes | Exception]:
        return 200, {}, envelope(stock["ads"], stock["ads"] * 3)

    run(tmp_path, catalog, "stock", FakeTime(at("2026-11-26")), handler)
    stock["ads"] = 1100
    # 23:30 UTC on the 26th is already the 27th in Sweden
    run(tmp_path, catalog, "stock", FakeTime(at("2026-11-26", 23)), handler)
    stock["ads"] = 1200
    last, sent = run(tmp_path, catalog, "stock", FakeTime(at("2026-11-27", 15)), handler)
    assert last.ok and last.new and len(sent) == 1
    rows = query(
        tmp_path,
        "select period, value from latest where dims->>'$.measure' = 'annonser' order by period",
    )
    assert rows == [("2026-11-26", 1000.0), ("2026-11-27", 1200.0)]
    assert query(tmp_path, "select count(*) from release") == [(3,)]


def test_catalog_entries_default_to_home_lan_kommuner_and_riket() -> None:
    catalog = load_catalog()
    hist, stock = catalog.get("nya_annonser_manad"), catalog.get("lediga_annonser_dag")
    for series in (hist, stock):
        assert series.regions == ("riket", "hemlan", "hemlan_kommuner")
        assert series.dims == ("measure",)
    assert hist.parts[0].source == "jobtech_historical"
    assert hist.parts[0].options == {"from": "2016-01", "preliminary_months": 3}
    assert stock.parts[0].source == "jobtech_search"
