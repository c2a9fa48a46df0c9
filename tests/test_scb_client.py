"""ScbClient offline: real recorded SCB responses replayed with `responses`, which fails on any
unregistered URL, plus the failure paths (429, 5xx, timeout, problem+json, changed schema)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any
from urllib.parse import quote

import pytest
import requests
import responses
from responses import matchers

from stats.config import USER_AGENT
from stats.errors import ApiProblem, RateLimited, SchemaChanged, SourceError
from stats.ingest.jsonstat import parse_jsonstat
from stats.sources.pxweb.scb import ScbClient, Selection, expand_values, split_selection
from tests.fixture_files import load_fixture as load_any_fixture

BASE = "https://statistikdatabasen.scb.se/api/v2"
SERIES = "folkmangd_manad"
AGE_CODELIST = "agg_Ålder10årJ"
META_URL = f"{BASE}/tables/TAB6471/metadata"
DATA_URL = f"{BASE}/tables/TAB6471/data"
KOMMUNER = ["2303", "2305", "2309", "2313", "2321", "2326", "2361", "2380"]  # Jämtlands län


def load_fixture(name: str) -> bytes:
    return load_any_fixture(f"scb/{name}")


def load_json(name: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(load_fixture(name))
    return body


class FakeClock:
    """Monotonic clock that only moves when the client sleeps (or the test sets ``now``)."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def client(clock: FakeClock) -> ScbClient:
    return ScbClient(BASE, sleep=clock.sleep, clock=clock)


def add_config(rsps: responses.RequestsMock, **changes: Any) -> None:
    """Serve the recorded /config; tests needing other limits change the numbers here, in code."""
    body = load_json("config.json")
    body.update(changes)
    rsps.get(f"{BASE}/config", json=body, match=[matchers.query_param_matcher({"lang": "sv"})])


def add_metadata(rsps: responses.RequestsMock, codelists: dict[str, str] | None = None) -> None:
    # the recorded metadata is the table's default view (134 ages); it is served for codelist
    # requests too, so '*' on Alder counts those 134 codes
    params = {"lang": "sv", **{f"codelist[{k}]": v for k, v in (codelists or {}).items()}}
    rsps.get(
        META_URL,
        body=load_fixture("TAB6471_metadata.json"),
        content_type="application/json",
        match=[matchers.query_param_matcher(params)],
    )


def add_data(rsps: responses.RequestsMock, **kwargs: Any) -> None:
    if "json" not in kwargs:
        kwargs.setdefault("body", load_fixture("TAB6471_data.json"))
    kwargs.setdefault("content_type", "application/json")
    params = {"lang": "sv", "outputFormat": "json-stat2"}
    rsps.post(DATA_URL, match=[matchers.query_param_matcher(params)], **kwargs)


def recorded_regions() -> tuple[str, ...]:
    """The 21 län codes of the recorded data response."""
    return tuple(load_json("TAB6471_data.json")["dimension"]["Region"]["category"]["index"])


def recorded_selection() -> dict[str, Selection]:
    """The selection behind the recorded TAB6471 data file, deliberately not in metadata order."""
    return {
        "Tid": Selection(("*",)),
        "ContentsCode": Selection(("000007SF",)),
        "Kon": Selection(("*",)),
        "Alder": Selection(("*",), codelist=AGE_CODELIST),
        "Region": Selection(recorded_regions()),
    }


def metadata_codes(dim_id: str) -> tuple[str, ...]:
    return parse_jsonstat(load_fixture("TAB6471_metadata.json")).dimension(dim_id).codes


def posted(rsps: responses.RequestsMock) -> list[dict[str, Any]]:
    return [json.loads(c.request.body or "") for c in rsps.calls if c.request.method == "POST"]


def test_config_is_read_once_with_limits_and_source_text(
    rsps: responses.RequestsMock, client: ScbClient
) -> None:
    add_config(rsps)
    config = client.get_config()
    assert client.get_config() is config
    assert (config.api_version, config.max_data_cells) == ("2.2.0", 150000)
    assert (config.max_calls, config.time_window) == (3, 1.0)
    assert config.source_text == "Källa: SCB"
    assert len(rsps.calls) == 1
    assert rsps.calls[0].request.headers["User-Agent"] == USER_AGENT


@pytest.mark.parametrize("key", ["maxDataCells", "maxCallsPerTimeWindow", "timeWindow"])
def test_config_without_a_limit_raises_schema_changed(
    rsps: responses.RequestsMock, client: ScbClient, key: str
) -> None:
    body = load_json("config.json")
    del body[key]  # a /config that lost a field, built from the recorded one
    rsps.get(f"{BASE}/config", json=body)
    with pytest.raises(SchemaChanged, match=key):
        client.get_config()


def test_fetch_data_posts_exact_body_and_returns_recorded_bytes(
    rsps: responses.RequestsMock, client: ScbClient
) -> None:
    add_config(rsps)
    add_metadata(rsps, {"Alder": AGE_CODELIST})
    add_data(rsps)
    [raw] = client.fetch_data("TAB6471", recorded_selection(), series=SERIES)
    assert raw.content == load_fixture("TAB6471_data.json")
    assert (raw.status, raw.method) == (200, "POST")
    assert raw.url.startswith(DATA_URL) and "outputFormat=json-stat2" in raw.url
    assert raw.fetched_at.tzinfo is not None
    expected = {
        "selection": [
            {"variableCode": "Region", "valueCodes": list(recorded_regions())},
            {"variableCode": "Alder", "valueCodes": ["*"], "codelist": AGE_CODELIST},
            {"variableCode": "Kon", "valueCodes": ["*"]},
            {"variableCode": "ContentsCode", "valueCodes": ["000007SF"]},
            {"variableCode": "Tid", "valueCodes": ["*"]},
        ]
    }
    assert posted(rsps) == [expected]
    assert json.loads(raw.request_body) == expected
    assert len(expected["selection"][0]["valueCodes"]) == 21
    assert all(c.request.headers["User-Agent"] == USER_AGENT for c in rsps.calls)


def test_output_values_is_sent_for_an_aggregation_codelist(
    rsps: responses.RequestsMock, client: ScbClient
) -> None:
    add_config(rsps)
    add_metadata(rsps, {"Alder": AGE_CODELIST})
    add_data(rsps)
    selection = recorded_selection()
    selection["Alder"] = Selection(("*",), codelist=AGE_CODELIST, output_values="single")
    client.fetch_data("TAB6471", selection)
    [body] = posted(rsps)
    assert body["selection"][1] == {
        "variableCode": "Alder",
        "valueCodes": ["*"],
        "codelist": AGE_CODELIST,
        "outputValues": "single",
    }


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [("7", 7.0), (None, 1.0)],
    ids=["retry-after-seconds", "no-header-uses-time-window"],
)
def test_429_sleeps_retry_after_then_succeeds(
    rsps: responses.RequestsMock,
    client: ScbClient,
    clock: FakeClock,
    retry_after: str | None,
    expected: float,
) -> None:
    add_config(rsps)
    table = load_json("tables.json")["tables"][0]
    headers = {"Retry-After": retry_after} if retry_after else {}
    rsps.get(f"{BASE}/tables/TAB4707", status=429, headers=headers, body="quota exceeded")
    rsps.get(f"{BASE}/tables/TAB4707", json=table)
    assert client.get_table("TAB4707") == table
    assert clock.sleeps == [expected]
    assert len(rsps.calls) == 3


def test_429_retry_after_as_http_date(
    rsps: responses.RequestsMock, client: ScbClient, clock: FakeClock
) -> None:
    add_config(rsps)
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    rsps.get(f"{BASE}/tables/TAB4707", status=429, headers={"Retry-After": when})
    rsps.get(f"{BASE}/tables/TAB4707", json={"id": "TAB4707"})
    client.get_table("TAB4707")
    assert len(clock.sleeps) == 1 and 25 < clock.sleeps[0] <= 30


def test_429_storm_raises_rate_limited_after_max_retries(
    rsps: responses.RequestsMock, client: ScbClient, clock: FakeClock
) -> None:
    add_config(rsps)
    rsps.get(f"{BASE}/tables/TAB4707", status=429, headers={"Retry-After": "2"})
    with pytest.raises(RateLimited, match="HTTP 429") as err:
        client.get_table("TAB4707")
    table_calls = [c for c in rsps.calls if "/tables/" in (c.request.url or "")]
    assert len(table_calls) == 1 + client.max_retries == 4
    assert clock.sleeps == [2.0, 2.0, 2.0]
    assert err.value.status == 429 and "TAB4707" in str(err.value)


def test_500_then_200_backs_off(
    rsps: responses.RequestsMock, client: ScbClient, clock: FakeClock
) -> None:
    add_config(rsps)
    rsps.get(f"{BASE}/tables/TAB4707", status=500, body="oops")
    rsps.get(f"{BASE}/tables/TAB4707", status=503, body="busy")
    rsps.get(f"{BASE}/tables/TAB4707", json={"id": "TAB4707"})
    assert client.get_table("TAB4707") == {"id": "TAB4707"}
    assert clock.sleeps == [1.0, 2.0]


def test_500_forever_raises_api_problem(
    rsps: responses.RequestsMock, client: ScbClient, clock: FakeClock
) -> None:
    add_config(rsps)
    rsps.get(f"{BASE}/tables/TAB4707", status=500, body="Internal Server Error")
    with pytest.raises(ApiProblem, match="HTTP 500") as err:
        client.get_table("TAB4707")
    assert clock.sleeps == [1.0, 2.0, 4.0]
    assert err.value.status == 500
    assert len(rsps.calls) == 5


def test_timeout_raises_source_error_naming_the_series(
    rsps: responses.RequestsMock, client: ScbClient, clock: FakeClock
) -> None:
    add_config(rsps)
    add_metadata(rsps, {"Alder": AGE_CODELIST})
    add_data(rsps, body=requests.exceptions.Timeout("read timed out"))
    with pytest.raises(SourceError) as err:
        client.fetch_data("TAB6471", recorded_selection(), series=SERIES)
    assert type(err.value) is SourceError
    message = str(err.value)
    assert message.startswith(f"series {SERIES!r}: table TAB6471")
    assert "timed out after 4 attempts" in message and DATA_URL in message
    assert clock.sleeps == [1.0, 2.0, 4.0]


def test_problem_json_400_is_one_line_with_title_detail_url_and_table(
    rsps: responses.RequestsMock, client: ScbClient
) -> None:
    add_config(rsps)
    add_metadata(rsps, {"Alder": AGE_CODELIST})
    # the type/title/status are SCB's real answer (SCB.md §1.4); the detail is added to check
    # that it is carried into the message
    title, detail = "Missing selection for mandantory variable", "Alder has no selection"
    problem = {"type": "Parameter error", "title": title, "status": 400, "detail": detail}
    add_data(rsps, status=400, body=json.dumps(problem), content_type="application/problem+json")
    with pytest.raises(ApiProblem) as err:
        client.fetch_data("TAB6471", recorded_selection(), series=SERIES)
    message = str(err.value)
    for part in [SERIES, "TAB6471", DATA_URL, "HTTP 400", title, detail]:
        assert part in message
    assert "\n" not in message
    assert (err.value.status, err.value.table, err.value.series) == (400, "TAB6471", SERIES)


def test_404_names_the_unknown_table(rsps: responses.RequestsMock, client: ScbClient) -> None:
    add_config(rsps)
    problem = {"type": "Parameter error", "title": "Non-existent table", "status": 404}
    rsps.get(f"{BASE}/tables/TAB0000", status=404, json=problem)
    with pytest.raises(ApiProblem, match=r"unknown table id 'TAB0000'.*Non-existent table"):
        client.get_table("TAB0000")


def test_missing_mandatory_variable_raises_before_any_data_request(
    rsps: responses.RequestsMock, client: ScbClient
) -> None:
    add_config(rsps)
    add_metadata(rsps)
    selection = recorded_selection()
    del selection["Alder"]
    with pytest.raises(SchemaChanged) as err:
        client.fetch_data("TAB6471", selection, series=SERIES)
    assert "mandatory variable 'Alder' is not in the catalog query — has the table changed?" in str(
        err.value
    )
    assert str(err.value).startswith(f"series {SERIES!r}: table TAB6471")
    assert [c.request.method for c in rsps.calls] == ["GET", "GET"]


def test_eliminable_variable_may_be_left_out(
    rsps: responses.RequestsMock, client: ScbClient
) -> None:
    add_config(rsps)
    add_metadata(rsps)
    add_data(rsps)
    selection = recorded_selection()
    del selection["Kon"]  # Kon has elimination: true in the recorded metadata
    selection["Alder"] = Selection(("TotSA",))
    client.fetch_data("TAB6471", selection)
    [body] = posted(rsps)
    assert [s["variableCode"] for s in body["selection"]] == [
        "Region",
        "Alder",
        "ContentsCode",
        "Tid",
    ]


@pytest.mark.parametrize(
    ("change", "needles"),
    [
        ({"Kommun": Selection(("2380",))}, ["'Kommun'", "Region, Alder, Kon, ContentsCode, Tid"]),
        ({"Region": Selection(("23", "9999"))}, ["'Region'", "'9999'"]),
        ({"Tid": Selection(("from(2030M01)",))}, ["'Tid'", "'2030M01'"]),
        ({"Kon": Selection(("top(x)",))}, ["'Kon'", "'top(x)'"]),
        ({"Region": Selection(("99*",))}, ["'Region'", "match no codes"]),
    ],
    ids=["unknown-variable", "unknown-code", "unknown-code-in-from", "bad-expression", "no-match"],
)
def test_selection_not_in_metadata_raises_schema_changed(
    rsps: responses.RequestsMock,
    client: ScbClient,
    change: dict[str, Selection],
    needles: list[str],
) -> None:
    add_config(rsps)
    add_metadata(rsps)
    selection = recorded_selection()
    selection["Alder"] = Selection(("TotSA",))
    selection.update(change)
    with pytest.raises(SchemaChanged) as err:
        client.fetch_data("TAB6471", selection, series=SERIES)
    for needle in [SERIES, "TAB6471", *needles]:
        assert needle in str(err.value)
    assert not posted(rsps)


@pytest.mark.parametrize(("max_cells", "posts"), [(10_000, 2), (40, 312 * 2)])
def test_over_limit_query_is_split_into_chunks(
    rsps: responses.RequestsMock, client: ScbClient, max_cells: int, posts: int
) -> None:
    # the recorded config with maxDataCells lowered in code; 312 regions × 3 × 16 = 14 976 cells
    add_config(rsps, maxDataCells=max_cells, maxCallsPerTimeWindow=100_000)
    add_metadata(rsps)
    add_data(rsps)
    selection = {
        "Region": Selection(("*",)),
        "Alder": Selection(("TotSA",)),
        "Kon": Selection(("*",)),
        "ContentsCode": Selection(("000007SF",)),
        "Tid": Selection(("*",)),
    }
    raws = client.fetch_data("TAB6471", selection)
    bodies = posted(rsps)
    assert len(raws) == len(bodies) == posts
    cells: set[tuple[str, ...]] = set()
    for body in bodies:
        expanded = [
            expand_values(s["valueCodes"], metadata_codes(s["variableCode"]), is_time=False)
            for s in body["selection"]
        ]
        chunk = set(itertools.product(*expanded))
        assert len(chunk) <= max_cells
        assert not cells & chunk
        cells |= chunk
    full = [metadata_codes(d) for d in ("Region", "Alder", "Kon", "ContentsCode", "Tid")]
    assert cells == set(itertools.product(full[0], ["TotSA"], *full[2:]))


@pytest.mark.parametrize(("max_cells", "count"), [(1, 70), (3, 30), (12, 10), (70, 1), (1000, 1)])
def test_split_selection_covers_every_cell_once(max_cells: int, count: int) -> None:
    expanded = {"a": [f"a{i}" for i in range(10)], "b": [f"b{i}" for i in range(7)], "c": ["c"]}
    parts = split_selection(expanded, max_cells)
    seen: list[tuple[str, ...]] = []
    for part in parts:
        assert list(part) == ["a", "b", "c"]
        chunk = list(itertools.product(*part.values()))
        assert len(chunk) <= max_cells
        seen.extend(chunk)
    assert sorted(seen) == sorted(itertools.product(*expanded.values()))
    assert len(parts) == count


@pytest.mark.parametrize(
    ("dim", "values", "is_time", "expected"),
    [
        ("Tid", ["top(2)"], True, ["2026M03", "2026M04"]),
        ("Tid", ["TOP(2,1)"], True, ["2026M02", "2026M03"]),
        ("Tid", ["bottom(1)"], True, ["2025M01"]),
        ("Kon", ["top(2)"], False, ["TotSa", "1"]),
        ("Kon", ["bottom(1)"], False, ["2"]),
        ("Region", ["23*"], False, ["23", *KOMMUNER]),
        ("Region", ["23??"], False, KOMMUNER),
        ("Tid", ["range(2025M11,2026M02)"], True, ["2025M11", "2025M12", "2026M01", "2026M02"]),
        ("Tid", ["range(2026M02,2025M12)"], True, ["2025M12", "2026M01", "2026M02"]),
        ("Tid", ["from(2026m02)"], True, ["2026M02", "2026M03", "2026M04"]),
        ("Tid", ["to(2025M02)"], True, ["2025M01", "2025M02"]),
        ("Kon", ["totsa", "2", "TotSa"], False, ["TotSa", "2"]),
        ("Region", ["2380", "23"], False, ["23", "2380"]),
    ],
    ids=[
        "top-time-latest",
        "top-offset",
        "bottom-time-earliest",
        "top-non-time-first",
        "bottom-non-time-last",
        "wildcard-star",
        "wildcard-question",
        "range",
        "range-reversed",
        "from-case-insensitive",
        "to",
        "codes-case-insensitive-dedup",
        "metadata-order",
    ],
)
def test_expand_values(dim: str, values: list[str], is_time: bool, expected: list[str]) -> None:
    assert expand_values(values, metadata_codes(dim), is_time=is_time) == expected


def test_star_expands_to_every_code() -> None:
    assert expand_values(["*"], metadata_codes("Region")) == list(metadata_codes("Region"))
    assert len(metadata_codes("Region")) == 312


def test_fourth_call_in_the_window_waits_for_the_rest_of_it(
    rsps: responses.RequestsMock, client: ScbClient, clock: FakeClock
) -> None:
    add_config(rsps)  # the recorded config: 3 calls per 1 s window
    rsps.get(f"{BASE}/tables/TAB4707", json={"id": "TAB4707"})
    client.get_config()  # call 1 at t=0
    for now in (0.25, 0.5):  # calls 2 and 3
        clock.now = now
        client.get_table("TAB4707")
    assert clock.sleeps == []
    clock.now = 0.6
    client.get_table("TAB4707")  # call 4: waits until the call at t=0 has left the window
    assert clock.sleeps == [pytest.approx(0.4)]


def test_production_limits_keep_one_call_in_reserve(
    rsps: responses.RequestsMock, client: ScbClient, clock: FakeClock
) -> None:
    add_config(rsps, maxCallsPerTimeWindow=30, timeWindow=10)  # SCB production, set in code
    rsps.get(f"{BASE}/tables/TAB4707", json={"id": "TAB4707"})
    for _ in range(28):  # /config plus 28 calls = 29 within the window
        client.get_table("TAB4707")
    assert clock.sleeps == []
    client.get_table("TAB4707")
    assert clock.sleeps == [10.0]


def test_search_tables_follows_paging(rsps: responses.RequestsMock, client: ScbClient) -> None:
    add_config(rsps)
    page1 = load_json("tables.json")
    # page 2 is built in code from the recorded page 1: last page, no 'next' link
    page2 = {
        **page1,
        "tables": [{**t, "id": t["id"] + "X"} for t in page1["tables"][:5]],
        "page": {**page1["page"], "pageNumber": 2, "totalPages": 2, "links": []},
    }
    for number, page in [(1, page1), (2, page2)]:
        params = {"lang": "sv", "includeDiscontinued": "true", "pageNumber": str(number)}
        rsps.get(f"{BASE}/tables", json=page, match=[matchers.query_param_matcher(params)])
    tables = client.search_tables("")
    assert [t["id"] for t in tables] == [t["id"] for t in page1["tables"] + page2["tables"]]
    assert len(tables) == 25


def test_search_tables_single_page(rsps: responses.RequestsMock, client: ScbClient) -> None:
    add_config(rsps)
    params = {
        "lang": "sv",
        "query": "befolkning",
        "includeDiscontinued": "false",
        "pageNumber": "1",
    }
    rsps.get(
        f"{BASE}/tables",
        body=load_fixture("search.json"),
        content_type="application/json",
        match=[matchers.query_param_matcher(params)],
    )
    tables = client.search_tables("befolkning", include_discontinued=False)
    assert len(tables) == 10 and "TAB6473" in {t["id"] for t in tables}
    assert len(rsps.calls) == 2


def test_get_codelist_quotes_the_id(rsps: responses.RequestsMock, client: ScbClient) -> None:
    add_config(rsps)
    rsps.get(
        f"{BASE}/codelists/{quote(AGE_CODELIST)}", body=load_fixture("codelist_agg_Alder10arJ.json")
    )
    codelist = client.get_codelist(AGE_CODELIST)
    assert codelist["id"] == AGE_CODELIST and codelist["type"] == "Aggregation"


def test_get_metadata_sends_codelists(rsps: responses.RequestsMock, client: ScbClient) -> None:
    add_config(rsps)
    add_metadata(rsps, {"Region": "vs_CKM02Län", "Alder": AGE_CODELIST})
    meta = client.get_metadata("TAB6471", {"Region": "vs_CKM02Län", "Alder": AGE_CODELIST})
    assert [d.id for d in meta.dimensions] == ["Region", "Alder", "Kon", "ContentsCode", "Tid"]
