"""Refresh against recorded SCB responses: releases, provenance, and every failure mode.

Bodies are the real recorded TAB6471 responses; where a test needs a broken or changed body it
derives it in code from the real one and says how.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

import duckdb
import pytest
import responses

from stats.catalog.load import Catalog, load_catalog
from stats.ingest.refresh import Outcome, refresh
from stats.sources.pxweb.scb import ScbClient
from stats.sources.pxweb.scb_source import ScbSource
from stats.store.write import open_writer
from tests.adapter_faults import Adapter, Endpoint, FakeSleep, failure_test, replacing
from tests.fixture_files import FIXTURES, load_fixture
from tests.store_checks import dump

BASE = "https://statistikdatabasen.scb.se/api/v2"
CONFIG = re.compile(re.escape(BASE) + r"/config")
METADATA = re.compile(re.escape(BASE) + r"/tables/TAB6471/metadata")
DATA = re.compile(re.escape(BASE) + r"/tables/TAB6471/data")
LAN = [
    "01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13",
    "14", "17", "18", "19", "20", "21", "22", "23", "24", "25",
]  # fmt: skip


def real_data() -> dict[str, Any]:
    body: dict[str, Any] = json.loads(load_fixture("scb/TAB6471_data.json"))
    return body


def catalog() -> Catalog:
    return load_catalog(FIXTURES / "catalog" / "lan_only.toml")


def run_refresh(db: Path, raw: Path, series: str = "folkmangd_manad") -> tuple[Outcome, FakeSleep]:
    sleep = FakeSleep()
    client = ScbClient(sleep=sleep, max_retries=3)
    with open_writer(db) as store:
        [outcome] = refresh(store, raw, catalog(), [series], {"scb": ScbSource(client)}, home="23")
    return outcome, sleep


def register_ok(rsps: responses.RequestsMock, data: bytes | None = None) -> None:
    rsps.get(CONFIG, body=load_fixture("scb/config.json"), content_type="application/json")
    rsps.get(METADATA, body=load_fixture("scb/TAB6471_metadata.json"))
    rsps.post(DATA, body=data if data is not None else load_fixture("scb/TAB6471_data.json"))


@pytest.fixture
def loaded(tmp_path: Path) -> Path:
    """A database holding one good release from a successful refresh."""
    db = tmp_path / "stats.duckdb"
    with responses.RequestsMock() as rsps:
        register_ok(rsps)
        outcome, _ = run_refresh(db, tmp_path / "raw")
    assert outcome.ok and outcome.new, outcome
    return db


def test_refresh_stores_a_release_with_provenance(tmp_path: Path) -> None:
    db = tmp_path / "stats.duckdb"
    with responses.RequestsMock() as rsps:
        register_ok(rsps)
        outcome, _ = run_refresh(db, tmp_path / "raw")
        [post] = [c for c in rsps.calls if c.request.method == "POST"]
        sent = json.loads(post.request.body or b"")
    assert outcome.ok and outcome.new and outcome.rows == 21 * 11 * 3 * 4
    by_var = {s["variableCode"]: s for s in sent["selection"]}
    assert by_var["Region"]["valueCodes"] == LAN
    assert by_var["Alder"]["codelist"] == "agg_Ålder10årJ"
    assert by_var["ContentsCode"]["valueCodes"] == ["000007SF"]
    con = duckdb.connect(str(db), read_only=True)
    value = con.execute(
        "select value from latest where region_code = '01' and period = '2026M01' "
        "and dims->>'$.Alder' = '0-9' and dims->>'$.Kon' = 'TotSa'"
    ).fetchone()
    assert value == (245284.0,)  # hand-checked against SCB's published table
    (url, body, sha, raw_path, updated) = (
        con.execute(
            "select url, request_body, sha256, raw_path, source_updated from response"
        ).fetchone()
        or ()
    )
    assert "/tables/TAB6471/data" in url and "outputFormat=json-stat2" in url
    assert json.loads(body) == sent
    assert updated == "2026-06-08T06:00:00Z"
    archived = gzip.decompress((tmp_path / "raw" / raw_path).read_bytes())
    assert archived == load_fixture("scb/TAB6471_data.json")
    import hashlib

    assert sha == hashlib.sha256(archived).hexdigest()
    manifest = (tmp_path / "raw" / "MANIFEST.jsonl").read_text().splitlines()
    assert json.loads(manifest[0])["sha256"] == sha
    meta = json.loads(con.execute("select meta from release").fetchone()[0])  # type: ignore[index]
    assert "Cell Key Method" in meta["notes"][0]
    assert meta["units"]["000007SF"] == {"base": "antal", "decimals": 0}


def test_identical_content_makes_no_new_release(loaded: Path, tmp_path: Path) -> None:
    before = dump(loaded)
    with responses.RequestsMock() as rsps:
        register_ok(rsps)
        outcome, _ = run_refresh(loaded, tmp_path / "raw")
    assert outcome.ok and not outcome.new
    assert dump(loaded) == before


def test_revised_value_is_a_new_release_and_the_old_one_stays(loaded: Path, tmp_path: Path) -> None:
    revised = real_data()
    revised["value"][0] = 245300  # a revision of Stockholm 0-9 år 2026M01, derived in code
    with responses.RequestsMock() as rsps:
        register_ok(rsps, json.dumps(revised).encode())
        outcome, _ = run_refresh(loaded, tmp_path / "raw")
    assert outcome.ok and outcome.new
    con = duckdb.connect(str(loaded), read_only=True)
    q = (
        "select release_id, value from {t} where region_code = '01' and period = '2026M01' "
        "and dims->>'$.Alder' = '0-9' and dims->>'$.Kon' = 'TotSa' order by release_id"
    )
    assert con.execute(q.format(t="observation")).fetchall() == [(1, 245284.0), (2, 245300.0)]
    assert con.execute(q.format(t="latest")).fetchall() == [(2, 245300.0)]


def with_new_dimension() -> bytes:
    """The real body with a new two-valued dimension inserted before Tid (values doubled)."""
    body = real_data()
    body["id"].insert(4, "Fodelseregion")
    body["size"].insert(4, 2)
    body["dimension"]["Fodelseregion"] = {
        "label": "födelseregion",
        "category": {"index": {"SE": 0, "UTL": 1}, "label": {"SE": "Sverige", "UTL": "utrikes"}},
    }
    body["value"] = [v for v in body["value"] for _ in (0, 1)]
    return json.dumps(body).encode()


def without_jamtland() -> bytes:
    """The real body with region 23 removed (its values dropped), as if SCB lost the code."""
    body = real_data()
    regions = list(body["dimension"]["Region"]["category"]["index"])
    position = regions.index("23")
    per_region = len(body["value"]) // len(regions)
    del body["value"][position * per_region : (position + 1) * per_region]
    regions.remove("23")
    body["dimension"]["Region"]["category"]["index"] = {c: i for i, c in enumerate(regions)}
    del body["dimension"]["Region"]["category"]["label"]["23"]
    body["size"][0] -= 1
    return json.dumps(body).encode()


PROBLEM_404 = json.dumps(
    {"type": "Parameter error", "title": "Non-existent table", "status": 404}
).encode()


def case_missing_code(rsps: responses.RequestsMock) -> None:
    register_ok(rsps, without_jamtland())


def case_mandatory_variable_added(rsps: responses.RequestsMock) -> None:
    meta = json.loads(load_fixture("scb/TAB6471_metadata.json"))
    meta["id"].insert(3, "Fodelseregion")
    meta["size"].insert(3, 1)
    meta["dimension"]["Fodelseregion"] = {
        "label": "födelseregion",
        "category": {"index": {"SE": 0}, "label": {"SE": "Sverige"}},
        "extension": {"elimination": False},
    }
    rsps.get(CONFIG, body=load_fixture("scb/config.json"))
    rsps.get(METADATA, body=json.dumps(meta))


SCB = Adapter(
    series_id="folkmangd_manad",
    refresh=run_refresh,
    register_ok=register_ok,
    serve=replacing(register_ok, Endpoint("POST", DATA)),
    body=lambda: load_fixture("scb/TAB6471_data.json"),
    changed=with_new_dimension,
    expect={"truncated": "invalid JSON", "changed-schema": "'Fodelseregion'"},
)

test_failure_leaves_the_store_exactly_as_before = failure_test(
    SCB,
    {
        "missing-value-code": (case_missing_code, "23"),
        "new-mandatory-variable": (
            case_mandatory_variable_added,
            "mandatory variable 'Fodelseregion'",
        ),
    },
)


def test_unknown_table_id_names_series_and_table(tmp_path: Path) -> None:
    db = tmp_path / "stats.duckdb"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.get(CONFIG, body=load_fixture("scb/config.json"))
        rsps.get(
            re.compile(re.escape(BASE) + r"/tables/TAB0000/metadata"),
            status=404,
            body=PROBLEM_404,
            content_type="application/problem+json",
        )
        outcome, _ = run_refresh(db, tmp_path / "raw", series="folkmangd_nyckel")
    assert not outcome.ok
    assert "folkmangd_nyckel" in outcome.message
    assert "TAB0000" in outcome.message and "Non-existent table" in outcome.message


def test_a_failing_series_does_not_stop_the_others(tmp_path: Path) -> None:
    db = tmp_path / "stats.duckdb"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        register_ok(rsps)
        rsps.get(
            re.compile(re.escape(BASE) + r"/tables/TAB0000/metadata"),
            status=404,
            body=PROBLEM_404,
            content_type="application/problem+json",
        )
        client = ScbClient(sleep=FakeSleep())
        with open_writer(db) as store:
            outcomes = refresh(
                store,
                tmp_path / "raw",
                catalog(),
                ["folkmangd_nyckel", "folkmangd_manad"],
                {"scb": ScbSource(client)},
                home="23",
            )
    assert [(o.series_id, o.ok) for o in outcomes] == [
        ("folkmangd_nyckel", False),
        ("folkmangd_manad", True),
    ]


def test_cli_reports_failure_in_one_line_and_exit_code(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from stats import cli

    monkeypatch.setattr(
        cli, "default_sources", lambda: {"scb": ScbSource(ScbClient(sleep=FakeSleep()))}
    )
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        register_ok(rsps)
        code = cli.main(["refresh", "--series", "folkmangd_manad"])
    err = capsys.readouterr().err
    assert code == 1
    # the real catalog asks for more regions and ages than the recorded body holds, so the
    # client splits the request and the replayed bodies overlap: the refresh must fail cleanly
    assert "\nfel: series 'folkmangd_manad': " in err


def test_cli_rejects_unknown_series(capsys: pytest.CaptureFixture[str]) -> None:
    from stats import cli

    assert cli.main(["refresh", "--series", "nope"]) == 1
    assert "unknown series 'nope'" in capsys.readouterr().err


class BrokenDecode:
    """ScbSource whose decode fails once, on call `broken`, with a bug-like error (not a
    StatsError), as an adapter might on odd input."""

    def __init__(self, inner: ScbSource, broken: int) -> None:
        self.inner, self.broken, self.name, self.calls = inner, broken, inner.name, 0

    def fetch(self, request: Any) -> Any:
        return self.inner.fetch(request)

    def decode(self, series: Any, part: Any, table_id: str, raw: Any) -> Any:
        self.calls += 1
        if self.calls == self.broken:
            raise OverflowError("date value out of range")
        return self.inner.decode(series, part, table_id, raw)


def test_an_unexpected_error_fails_one_series_and_keeps_the_rest(tmp_path: Path) -> None:
    """A bug met on odd input (here OverflowError) fails that series only: the release stored
    before it stays, the series after it is fetched, and the failure is in the fetch log."""
    db = tmp_path / "stats.duckdb"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        register_ok(rsps)
        source = BrokenDecode(ScbSource(ScbClient(sleep=FakeSleep())), broken=2)
        with open_writer(db) as store:
            outcomes = refresh(
                store,
                tmp_path / "raw",
                catalog(),
                ["folkmangd_manad"] * 3,
                {"scb": source},
                home="23",
            )
    assert [o.ok for o in outcomes] == [True, False, True]
    assert "unexpected OverflowError: date value out of range" in str(outcomes[1].message)
    con = duckdb.connect(str(db), read_only=True)
    try:
        releases = con.execute("select count(*) from release").fetchone()
        failed = con.execute(
            "select message from fetch_log where series_id = 'folkmangd_manad' and not ok"
        ).fetchall()
    finally:
        con.close()
    assert releases == (1,) and len(failed) == 1
