"""`stats refresh --due`: only what may have changed is fetched, each series is logged once.

SCB runs end to end against the loopback fake PxWebApi 2 (tests/fake_pxweb.py), whose
`/tables/TAB6471` and JSON-stat2 `updated` the tests set. JobTech, Arbetsförmedlingen and
Kolada decisions are checked one by one with an injected clock and `responses`; the answer
bodies built here are test doubles (an index page with one link, KPI metadata with dates).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
import responses
from streamlit.testing.v1 import AppTest

from stats import cli
from stats.catalog.load import load_catalog
from stats.ingest.archive import save_raw
from stats.ingest.due import DueRun, Prober, compare_updated, refresh_due
from stats.sources.af.monthly import INDEX_URL, AfMonthlySource
from stats.sources.http import HttpClient, RateLimit
from stats.sources.jobtech.search import JobtechSearchSource
from stats.sources.kolada import KOLADA_BASE, KoladaClient, KoladaSource
from stats.sources.pxweb.scb_source import ScbSource
from stats.sources.pxweb.tillvaxtanalys import API_ROOT as TVA_ROOT
from stats.sources.pxweb.tillvaxtanalys import DATABASE as TVA_DATABASE
from stats.sources.pxweb.tillvaxtanalys import TillvaxtanalysSource
from stats.sources.pxweb.v1 import PxWebV1Client
from stats.store.read_runs import StoredResponse, StoredSeries
from stats.store.write import open_writer
from tests.adapter_faults import FakeSleep
from tests.fake_pxweb import FakePxWeb, running
from tests.fixture_files import load_fixture
from tests.load_run import client_for, load_catalog_for_fake
from tests.store_checks import query

SERIES = "load_23_24_25_0_49"
RECORDED = "2026-06-08T06:00:00Z"  # `updated` of the recorded TAB6471 response
KALLOR = str(Path(__file__).parents[1] / "src" / "stats" / "app" / "pages" / "kallor.py")
NIGHT = datetime(2026, 6, 16, 1, 15, tzinfo=UTC)  # 03:15 in Stockholm
DL = "https://arbetsformedlingen.se/download/18.5f1e2d3c19e00000000"
AUGUST = DL + "3/1787400000000/web-sok-lan-kom-2026-08.xlsx"
SEPTEMBER = DL + "5/1790000000000/web-sok-lan-kom-2026-09.xlsx"


def clock(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


def due_run(fake: FakePxWeb, db: Path, log_file: Path, when: datetime = NIGHT) -> DueRun:
    """One `--due` run of the TAB6471 test series against the fake."""
    catalog = load_catalog_for_fake()
    sources = {"scb": ScbSource(client_for(fake, max_retries=0))}
    with open_writer(db) as store:
        return refresh_due(
            store, db.parent / "raw", catalog, [SERIES], sources, "23",
            now=clock(when), log_file=log_file,
        )  # fmt: skip


def test_unchanged_updated_makes_no_data_call_and_a_newer_one_fetches(tmp_path: Path) -> None:
    db, log_file = tmp_path / "db.duckdb", tmp_path / "refresh.log"
    night = [NIGHT + timedelta(days=n) for n in range(4)]
    with running(max_calls=1000, window=1.0, max_cells=80) as fake:
        first = due_run(fake, db, log_file, night[0])
        posts = [fake.posts()]
        second = due_run(fake, db, log_file, night[1])
        posts.append(fake.posts())
        fake.updated = "2026-06-17T10:00:00Z"  # SCB updates the table at noon on the 17th
        third = due_run(fake, db, log_file, night[2])
        posts.append(fake.posts())
        fourth = due_run(fake, db, log_file, night[3])
        posts.append(fake.posts())
        asked = [(c.method, c.path) for c in fake.calls]
    assert first.decisions[0].due and first.decisions[0].reason == "no release stored yet"
    assert posts == [3, 3, 6, 6]  # maxDataCells 80 splits the series in three data calls
    assert not second.decisions[0].due
    # 2026-06-08T06:00Z is 08:00 in Stockholm
    assert (
        second.decisions[0].reason == "TAB6471 updated 2026-06-08T08:00 = stored 2026-06-08T08:00"
    )
    assert third.decisions[0].due, third.decisions
    assert third.decisions[0].reason == "TAB6471 updated 2026-06-17T12:00 > stored 2026-06-08T08:00"
    # the numbers are the recorded ones, so the release is unchanged, but they were fetched
    assert [(o.ok, o.new) for o in third.outcomes] == [(True, False)]
    # the table's `updated` stays newer than the release's, yet the last run fetched it since
    assert not fourth.decisions[0].due
    assert fourth.decisions[0].reason == (
        "TAB6471 updated 2026-06-17T12:00 > stored 2026-06-08T08:00, "
        "but fetched unchanged since at 2026-06-18T03:15"
    )
    assert ("GET", "/api/v2/tables/TAB6471") in asked
    lines = log_file.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and all(f" {SERIES} " in line for line in lines)
    assert lines[1].startswith("2026-06-17T03:15:00+02:00 ")
    assert lines[1].endswith("): skipped") and " not due (" in lines[1]
    # 3 län x 5 age bands x 3 kön x 4 months
    assert lines[0].endswith("): ok, new release, 180 rows")
    assert lines[2].endswith("): ok, unchanged, 180 rows")


def test_not_due_series_is_logged_as_skipped_in_the_fetch_log(tmp_path: Path) -> None:
    db = tmp_path / "db.duckdb"
    with running(max_calls=1000, window=1.0, max_cells=80) as fake:
        due_run(fake, db, tmp_path / "log")
        due_run(fake, db, tmp_path / "log", NIGHT + timedelta(days=1))
    rows = query(db, "select outcome, ok, message from fetch_log order by finished_at")
    assert [r[:2] for r in rows] == [("new release", True), ("skipped", True)]
    assert rows[1][2].startswith("TAB6471 updated")
    runs = query(db, "select checked, due, fetched, failures from refresh_run order by started_at")
    assert [(c, d, json.loads(f), json.loads(x)) for c, d, f, x in runs] == [
        (1, 1, [SERIES], []),
        (1, 0, [], []),
    ]


def test_a_failed_series_is_due_again_at_the_next_run(tmp_path: Path) -> None:
    db = tmp_path / "db.duckdb"
    with running(max_calls=1000, window=1.0, max_cells=80) as fake:
        due_run(fake, db, tmp_path / "log")
        fake.updated = "2026-06-16T10:00:00Z"
        fake.faults.server_errors = 1
        failed = due_run(fake, db, tmp_path / "log", NIGHT + timedelta(days=1))
        retried = due_run(fake, db, tmp_path / "log", NIGHT + timedelta(days=2))
    assert failed.failures and failed.failures[0][0] == SERIES
    assert retried.decisions[0].due and "failed" in retried.decisions[0].reason
    assert retried.outcomes[0].ok


def test_updated_comparison_reasons() -> None:
    assert compare_updated("T", None, RECORDED) == (True, "T metadata has no 'updated'")
    assert compare_updated("T", RECORDED, None)[0]
    assert compare_updated("T", "2026-06-01T06:00:00Z", RECORDED)[0]  # older also differs
    assert compare_updated("T", "2026-06-08T08:00:00+02:00", RECORDED)[0] is False


def stored(fetched: datetime, kept: tuple[StoredResponse, ...] = ()) -> StoredSeries:
    """A series fetched successfully at `fetched`, its release holding `kept`."""
    return StoredSeries("x", fetched, None, kept, last_fetch=fetched)


@pytest.mark.parametrize(
    ("last", "now", "due"),
    [
        # 22:30 UTC on the 15th is already the 16th in Stockholm (CEST, UTC+2)
        (
            datetime(2026, 6, 15, 21, 30, tzinfo=UTC),
            datetime(2026, 6, 15, 22, 30, tzinfo=UTC),
            True,
        ),
        (datetime(2026, 6, 16, 0, 10, tzinfo=UTC), NIGHT, False),
        (datetime(2026, 6, 15, 1, 15, tzinfo=UTC), NIGHT, True),
    ],
    ids=["past-midnight-swedish-time", "same-day", "yesterday"],
)
def test_jobtech_is_due_once_per_swedish_day(last: datetime, now: datetime, due: bool) -> None:
    series = load_catalog().get("lediga_annonser_dag")
    prober = Prober({"jobtech_search": JobtechSearchSource()}, Path("unused"), now)
    decision = prober.decide(series, stored(last))
    assert decision.due is due, decision
    assert decision.reason.startswith("JobTech: daily")


def af_stored(tmp_path: Path, body: bytes) -> StoredSeries:
    """A stored release of inskrivna_arbetslosa_manad: the August file, `body` archived."""
    at = datetime(2026, 9, 24, tzinfo=UTC)
    entry = save_raw(tmp_path, "s", "af_monthly", "t", "GET", AUGUST, "", at, body)
    response = StoredResponse(0, "af_monthly", "", AUGUST, None, entry.path)
    return stored(at, (response,))


def af_decide(tmp_path: Path, link: str, size: int) -> tuple[bool, str, list[str]]:
    series = load_catalog().get("inskrivna_arbetslosa_manad")
    client = HttpClient("https://arbetsformedlingen.se", rate=RateLimit(100, 1.0))
    prober = Prober({"af_monthly": AfMonthlySource(client)}, tmp_path, NIGHT)
    page = f'<a href="{link.removeprefix("https://arbetsformedlingen.se")}">fil</a>'
    with responses.RequestsMock() as rsps:
        rsps.get(INDEX_URL, body=page, content_type="text/html")
        rsps.head(link, headers={"Content-Length": str(size)})
        decision = prober.decide(series, af_stored(tmp_path, b"PK" + b"x" * 98))
        methods = [c.request.method or "" for c in rsps.calls]
    return decision.due, decision.reason, methods


def test_af_file_with_the_same_link_and_size_is_not_due(tmp_path: Path) -> None:
    due, reason, methods = af_decide(tmp_path, AUGUST, 100)
    assert (due, reason) == (False, "web-sok-lan-kom-2026-08.xlsx: same link, size 100 B")
    assert methods == ["GET", "HEAD"]  # the index page and a HEAD, never the file itself


def test_af_file_is_due_when_its_size_changes(tmp_path: Path) -> None:
    due, reason, _ = af_decide(tmp_path, AUGUST, 120)
    assert due and reason == "web-sok-lan-kom-2026-08.xlsx: size 120 B differs from stored 100 B"


def test_af_file_is_due_when_the_link_changes(tmp_path: Path) -> None:
    due, reason, _ = af_decide(tmp_path, SEPTEMBER, 100)
    assert due and reason == f"link changed to web-sok-lan-kom-2026-09.xlsx (was {AUGUST})"


def kolada_decide(dates: list[str], last: datetime) -> tuple[bool, str]:
    series = load_catalog().get("kolada_naringsliv")
    kpis = series.parts[0].table or ""
    client = KoladaClient(sleep=FakeSleep())
    prober = Prober({"kolada": KoladaSource(client)}, Path("unused"), NIGHT)
    values = [
        {"id": k, "title": k, "publication_date": d}
        for k, d in zip(kpis.split(","), dates, strict=False)
    ]
    with responses.RequestsMock() as rsps:
        rsps.get(f"{KOLADA_BASE}/kpi/{kpis}", json={"values": values, "count": len(values)})
        decision = prober.decide(series, stored(last))
    return decision.due, decision.reason


def test_kolada_is_due_when_a_publication_date_passed_since_the_last_fetch() -> None:
    dates = ["2026-02-28", "2026-06-10", "2026-08-28", "2026-02-28"]
    last = datetime(2026, 6, 1, tzinfo=UTC)
    assert kolada_decide(dates, last) == (
        True,
        "Kolada N00999,N00926,N02243,N03932 published 2026-06-10 >= last fetch 2026-06-01",
    )
    # published on 2026-06-10 after the night's fetch at 03:00 of that day: fetched next night
    assert kolada_decide(dates, datetime(2026, 6, 10, 1, tzinfo=UTC))[0]
    assert kolada_decide(dates, datetime(2026, 6, 12, tzinfo=UTC)) == (
        False,
        "Kolada N00999,N00926,N02243,N03932: no publication since last fetch 2026-06-12, "
        "next 2026-08-28",
    )


def test_kolada_without_dates_falls_back_to_daily() -> None:
    due, reason = kolada_decide([], datetime(2026, 6, 15, 6, tzinfo=UTC))
    assert due and reason.endswith(
        "has no publication dates: daily, last fetch 2026-06-15 < today 2026-06-16"
    )


def test_replayed_files_are_never_due() -> None:
    series = next(s for s in load_catalog().series.values() if s.parts[0].source == "realdata")
    decision = Prober({}, Path("unused"), NIGHT).decide(series, stored(NIGHT))
    assert not decision.due and "nothing to fetch online" in decision.reason


def run_cli(fake: FakePxWeb, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(cli, "load_catalog", load_catalog_for_fake)
    monkeypatch.setattr(
        cli, "default_sources", lambda: {"scb": ScbSource(client_for(fake, max_retries=0))}
    )
    return cli.main(["refresh", "--due", "--series", SERIES])


def test_failed_due_series_exits_1_and_shows_on_the_sources_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log_file = tmp_path / "logs" / "refresh.log"
    monkeypatch.setenv("STATS_LOG_FILE", str(log_file))
    with running(max_calls=1000, window=1.0, max_cells=80) as fake:
        fake.faults.server_errors = 1
        code = run_cli(fake, monkeypatch)
    assert code == 1
    [line] = log_file.read_text(encoding="utf-8").splitlines()
    assert f" {SERIES} due (no release stored yet): failed: " in line
    at = AppTest.from_file(KALLOR, default_timeout=60).run()
    assert not at.exception
    [error] = at.error
    assert "misslyckades för 1 serie:" in error.value
    assert SERIES.replace("_", "\\_") in error.value  # not in the app's catalog: shown by id
    assert "HTTP 503" in error.value


def test_a_clean_run_and_hostile_messages_on_the_sources_page(tmp_path: Path) -> None:
    db = Path(str(tmp_path / "stats.duckdb"))
    started = datetime(2026, 6, 16, 1, 15, tzinfo=UTC)
    with open_writer(db) as store:
        store.log_run(
            started, started, checked=30, due=3, fetched=[], failures=[], home_region="23"
        )
    at = AppTest.from_file(KALLOR, default_timeout=60).run()
    assert not at.exception and not at.error
    assert at.success[0].value == (
        "Senaste schemalagda hämtningen 2026-06-16 03:15: 30 serier kontrollerade, 3 hämtade, "
        "inga fel."
    )
    hostile = "<img src=x onerror=alert(1)> [klicka](http://evil.example) **fet**"
    with open_writer(db) as store:
        later = datetime(2026, 6, 17, 1, 15, tzinfo=UTC)
        store.log_run(
            later,
            later,
            checked=30,
            due=2,
            fetched=[],
            failures=[("folkmangd_manad", hostile)],
            home_region="23",
        )
    at = AppTest.from_file(KALLOR, default_timeout=60).run()
    [error] = at.error
    assert "Senaste hämtningen 2026-06-17 03:15 misslyckades för 1 serie:" in error.value
    assert "\\<img" in error.value and "\\[klicka\\]" in error.value and "\\*\\*fet" in error.value


def test_the_timer_the_cron_line_and_the_env_example_run_the_scheduled_refresh() -> None:
    root = Path(__file__).parents[1]
    service = (root / "deploy" / "stats-refresh.service").read_text(encoding="utf-8")
    [exec_start] = [line for line in service.splitlines() if line.startswith("ExecStart=")]
    assert exec_start.endswith("/.venv/bin/stats refresh --due")
    readme = (root / "README.md").read_text(encoding="utf-8")
    cron = [line for line in readme.splitlines() if line.startswith("15 3 * * * ")]
    assert len(cron) == 1 and ".venv/bin/stats refresh --due " in cron[0]
    env = (root / "deploy" / "naringslivsstatistik.env.example").read_text(encoding="utf-8")
    assert "STATS_LOG_FILE=/var/log/naringslivsstatistik/refresh.log" in env.splitlines()


def v1_decide(last: datetime) -> tuple[bool, str, int]:
    """konkurser_manad_lan against the folder listing that dates its table 2026-07-10 08:00."""
    series = load_catalog().get("konkurser_manad_lan")
    client = PxWebV1Client(TVA_ROOT, TVA_DATABASE, sleep=FakeSleep())
    prober = Prober({"tillvaxtanalys": TillvaxtanalysSource(client)}, Path("unused"), NIGHT)
    folder = f"{TVA_ROOT}/{quote(TVA_DATABASE)}/{quote('Konkurser och offentliga ackord')}/"
    with responses.RequestsMock() as rsps:
        rsps.get(f"{TVA_ROOT}/?config", body=load_fixture("tillvaxtanalys/shape/config.json"))
        listing = load_fixture("tillvaxtanalys/shape/folder_konkurser_2026-07.json")
        rsps.get(folder, body=listing)
        decision = prober.decide(series, stored(last))
        calls = len(rsps.calls)
    return decision.due, decision.reason, calls


def test_tillvaxtanalys_is_due_when_its_listing_is_newer_than_the_last_fetch() -> None:
    due, reason, calls = v1_decide(datetime(2026, 7, 1, tzinfo=UTC))
    assert due and reason == (
        "11_konkurser_manad_lan.px updated 2026-07-10T08:00 > last fetch 2026-07-01T02:00"
    )
    assert calls == 3  # ?config and the folder listing (to find the table, then its date)
    due, reason, _ = v1_decide(datetime(2026, 7, 11, tzinfo=UTC))
    assert not due and reason.endswith("<= last fetch 2026-07-11T02:00")
