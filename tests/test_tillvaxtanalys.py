"""Tillväxtanalys (PxWeb v1) offline: folder discovery, label-based selection, region mapping by
text, the outgoing POST body, and every failure mode leaving the store exactly as before.

No Tillväxtanalys response has been recorded, so the bodies are hand-built shape fixtures
(tests/fixtures/tillvaxtanalys/shape/) in the exact v1 shapes of the real SCB v1 files; their
values are illustrative. Where a test needs a changed body it derives it in code and says how.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import duckdb
import pytest
import responses

from stats.catalog.load import CATALOG_DIR, Catalog, load_catalog
from stats.errors import SchemaChanged
from stats.ingest.jsonstat import parse_jsonstat
from stats.ingest.refresh import Outcome, refresh
from stats.sources.pxweb.tillvaxtanalys import (
    API_ROOT,
    DATABASE,
    TillvaxtanalysSource,
    decode_dataset,
    region_code_of,
    select_by_label,
    select_regions,
)
from stats.sources.pxweb.v1 import PxWebV1Client, V1Variable, parse_table, query_body
from stats.store.write import open_writer
from tests.adapter_faults import Adapter, Endpoint, FakeSleep, failure_test, replacing
from tests.fixture_files import load_fixture
from tests.store_checks import query

FOLDER = "Konkurser och offentliga ackord"
FOLDER_URL = f"{API_ROOT}/{quote(DATABASE)}/{quote(FOLDER)}/"
CONFIG = re.compile(re.escape(API_ROOT) + r"/\?config$")
LAN_FILE = "11_konkurser_manad_lan.px"
OLD_LAN_FILE = "konkurser_manad_lan.px"
KOMMUN_FILE = "14_anstallda_manad_kom_bransch_juridisk_form_popAH.px"
SERIES = "konkurser_manad_lan"
LAN = [
    "01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13",
    "14", "17", "18", "19", "20", "21", "22", "23", "24", "25",
]  # fmt: skip


def shape(name: str) -> bytes:
    return load_fixture(f"tillvaxtanalys/shape/{name}")


def shape_json(name: str) -> Any:
    return json.loads(shape(name))


def table_url(file: str) -> str:
    return f"{API_ROOT}/{quote(DATABASE)}/{quote(FOLDER)}/{quote(file)}"


def catalog() -> Catalog:
    return load_catalog(CATALOG_DIR / "tillvaxtanalys.toml")


def run_refresh(db: Path, raw: Path, series: str = SERIES) -> tuple[Outcome, FakeSleep]:
    sleep = FakeSleep()
    source = TillvaxtanalysSource(PxWebV1Client(API_ROOT, DATABASE, sleep=sleep, max_retries=3))
    with open_writer(db) as store:
        [outcome] = refresh(store, raw, catalog(), [series], {"tillvaxtanalys": source}, home="23")
    return outcome, sleep


def register_ok(
    rsps: responses.RequestsMock,
    *,
    folder: str = "folder_konkurser_2026-07.json",
    file: str = LAN_FILE,
    meta: bytes | None = None,
    data: bytes | None = None,
) -> None:
    rsps.get(CONFIG, body=shape("config.json"))
    rsps.get(FOLDER_URL, body=shape(folder))
    rsps.get(table_url(file), body=meta or shape("konkurser_manad_lan_metadata.json"))
    rsps.post(table_url(file), body=data or shape("konkurser_manad_lan_data.json"))


def latest(db: Path) -> list[tuple[Any, ...]]:
    return query(
        db, "select region_code, period, dims, value, status, preliminary from latest order by all"
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("23 Jämtlands län", "23"),
        ("01 Stockholms län", "01"),
        ("2380 Östersund", "2380"),
        ("Riket", "00"),
        ("Hela riket", "00"),
        ("00 Riket", "00"),
        ("Okänd kommun", None),
        ("99 Utlandet", None),
    ],
)
def test_region_code_comes_from_the_first_token_of_the_text(text: str, code: str | None) -> None:
    known = {"00", "01", "23", "2380"}
    assert region_code_of(text, known) == code


def test_regions_are_selected_by_text_never_by_the_running_number() -> None:
    meta = parse_table(shape_json("konkurser_manad_lan_metadata.json"), "meta")
    lan = meta.variable("Län")
    assert select_regions(lan, ["23", "00", "01"]) == ["19", "0", "1"]
    with pytest.raises(SchemaChanged, match=r"no value text for region\(s\) 2380"):
        select_regions(lan, ["2380"])


def test_values_are_selected_by_text() -> None:
    var = V1Variable(
        "variabel", "variabel", ("7", "3"), ("Antal konkurser", "Antal anställda"), False, False
    )
    assert select_by_label(var, ["Antal anställda"]) == ["3"]
    assert select_by_label(var, ["*"]) == ["7", "3"]
    with pytest.raises(SchemaChanged, match=r"do not all match a value text.*'Antal konkurser'"):
        select_by_label(var, ["Antal företag"])


def test_refresh_stores_konkurser_under_scb_codes(tmp_path: Path) -> None:
    db = tmp_path / "stats.duckdb"
    with responses.RequestsMock() as rsps:
        register_ok(rsps)
        outcome, _ = run_refresh(db, tmp_path / "raw")
        [post] = [c for c in rsps.calls if c.request.method == "POST"]
        sent = json.loads(post.request.body or b"")
    assert outcome.ok and outcome.rows == 22 * 2 * 4
    # the outgoing v1 body: running-number codes found through the texts, json-stat2 asked for
    assert sent == {
        "query": [
            {"code": "Län", "selection": {"filter": "item", "values": [str(i) for i in range(22)]}},
            {"code": "variabel", "selection": {"filter": "item", "values": ["0", "1"]}},
            {
                "code": "Tid",
                "selection": {
                    "filter": "item",
                    "values": ["2025M10", "2025M11", "2025M12", "2026M01"],
                },
            },
        ],
        "response": {"format": "json-stat2"},
    }
    assert post.request.url == table_url(LAN_FILE)
    assert "Tillv%C3%A4xtanalys%20statistikdatabas" in (post.request.url or "")
    rows = {(r[0], r[1], json.loads(r[2])["variabel"]): r[3:] for r in latest(db)}
    assert sorted({r[0] for r in rows}) == ["00", *LAN]
    assert rows[("23", "2026M01", "konkurser")] == (2.0, None, False)
    assert rows[("23", "2025M10", "anstallda")] == (12.0, None, False)
    assert rows[("25", "2026M01", "anstallda")] == (None, "..", False)  # missing kept as status
    # Riket in the fixture is the sum of the län
    riket = rows[("00", "2025M12", "konkurser")][0]
    assert riket == sum(rows[(lan, "2025M12", "konkurser")][0] for lan in LAN)
    con = duckdb.connect(str(db), read_only=True)
    labels = dict(
        ((d, c), lab)
        for d, c, lab in con.execute("select dimension, code, label from label").fetchall()
    )
    assert labels[("region", "23")] == "Jämtlands län"
    assert labels[("region", "00")] == "Riket"
    assert labels[("variabel", "konkurser")] == "Antal konkurser"
    meta = json.loads(con.execute("select meta from release").fetchone()[0])  # type: ignore[index]
    assert meta["source"] == "Tillväxtanalys"
    assert meta["units"]["konkurser"] == {"base": "antal", "decimals": 0}
    assert meta["table_file"] == LAN_FILE
    (table_id,) = con.execute("select distinct table_id from response").fetchone() or ("",)
    assert table_id == LAN_FILE


def test_a_renamed_table_is_found_again_by_its_title(tmp_path: Path) -> None:
    """Two folder listings, different file names, same title: the same observations."""
    results = []
    for folder, file in [
        ("folder_konkurser_2025-02.json", OLD_LAN_FILE),
        ("folder_konkurser_2026-07.json", LAN_FILE),
    ]:
        db = tmp_path / f"{file}.duckdb"
        with responses.RequestsMock() as rsps:
            register_ok(rsps, folder=folder, file=file)
            outcome, _ = run_refresh(db, tmp_path / "raw")
            urls = {c.request.url for c in rsps.calls}
        assert outcome.ok, outcome.message
        assert table_url(file) in urls
        results.append(latest(db))
    assert results[0] == results[1]


def test_the_kommun_bransch_table_maps_texts_through_recode(tmp_path: Path) -> None:
    db = tmp_path / "stats.duckdb"
    with responses.RequestsMock() as rsps:
        register_ok(
            rsps,
            file=KOMMUN_FILE,
            meta=shape("anstallda_kommun_bransch_metadata.json"),
            data=shape("anstallda_kommun_bransch_data.json"),
        )
        outcome, _ = run_refresh(db, tmp_path / "raw", "konkurser_anstallda_kommun_bransch")
        [post] = [c for c in rsps.calls if c.request.method == "POST"]
        sent = {
            q["code"]: q["selection"]["values"]
            for q in json.loads(post.request.body or b"")["query"]
        }
    assert outcome.ok, outcome.message
    assert outcome.rows == 8 * 13 * 2 * 2
    # Stockholm (0) and Umeå (9) are in the table but not in Jämtland: not asked for
    assert sent["Region"] == [str(i) for i in range(1, 9)]
    assert sent["variabel"] == ["0"]
    rows = latest(db)
    assert {r[0] for r in rows} == {"2303", "2305", "2309", "2313", "2321", "2326", "2361", "2380"}
    dims = {r[2] for r in rows}
    assert json.dumps({"Bransch": "47", "Juridisk_form": "ab"}, sort_keys=True) in dims
    assert json.dumps({"Bransch": "okand", "Juridisk_form": "hb_kb"}, sort_keys=True) in dims
    assert all(r[5] is True for r in rows)  # options.preliminary


def test_query_body_is_the_v1_protocol() -> None:
    assert json.loads(query_body({"Län": ["19"], "Tid": ["2026M01"]})) == {
        "query": [
            {"code": "Län", "selection": {"filter": "item", "values": ["19"]}},
            {"code": "Tid", "selection": {"filter": "item", "values": ["2026M01"]}},
        ],
        "response": {"format": "json-stat2"},
    }


def test_time_codes_may_be_running_numbers_with_the_month_as_text() -> None:
    """Derived: the fixture's Tid codes replaced by running numbers, newest first."""
    body = shape_json("konkurser_manad_lan_data.json")
    months = body["dimension"]["Tid"]["category"]["label"]
    body["dimension"]["Tid"]["category"] = {
        "index": {str(3 - i): i for i in range(4)},
        "label": {str(3 - i): m for i, m in enumerate(months.values())},
    }
    series = catalog().get(SERIES)
    decoded = decode_dataset(series, series.parts[0], LAN_FILE, parse_jsonstat(body))
    assert sorted(decoded.frame["period"].unique()) == ["2025M10", "2025M11", "2025M12", "2026M01"]


def case_title_gone(rsps: responses.RequestsMock) -> None:
    listing = shape_json("folder_konkurser_2026-07.json")
    for item in listing:
        item["text"] = item["text"].replace("län och månad", "region och kvartal")
    rsps.get(CONFIG, body=shape("config.json"))
    rsps.get(FOLDER_URL, body=json.dumps(listing))


def case_two_titles(rsps: responses.RequestsMock) -> None:
    listing = shape_json("folder_konkurser_2026-07.json")
    listing.append({**listing[0], "id": "12_konkurser_manad_lan_ny.px"})
    rsps.get(CONFIG, body=shape("config.json"))
    rsps.get(FOLDER_URL, body=json.dumps(listing))


def with_new_dimension() -> bytes:
    """Derived: a two-valued Kön dimension inserted before Tid, values doubled."""
    body = shape_json("konkurser_manad_lan_data.json")
    body["id"].insert(2, "Kön")
    body["size"].insert(2, 2)
    body["dimension"]["Kön"] = {
        "label": "kön",
        "category": {"index": {"0": 0, "1": 1}, "label": {"0": "män", "1": "kvinnor"}},
    }
    body["value"] = [v for v in body["value"] for _ in (0, 1)]
    body["status"] = {}
    return json.dumps(body).encode()


def case_region_text_changed(rsps: responses.RequestsMock) -> None:
    """Derived: the metadata writes Jämtland without its code, so region 23 cannot be found."""
    meta = shape_json("konkurser_manad_lan_metadata.json")
    texts = meta["variables"][0]["valueTexts"]
    texts[texts.index("23 Jämtlands län")] = "Jämtlands län"
    register_ok(rsps, meta=json.dumps(meta).encode())


def case_variable_renamed(rsps: responses.RequestsMock) -> None:
    """Derived: the value text 'Antal konkurser' renamed in the metadata."""
    meta = shape_json("konkurser_manad_lan_metadata.json")
    meta["variables"][1]["valueTexts"][0] = "Antal konkurser (företag)"
    register_ok(rsps, meta=json.dumps(meta).encode())


def case_unmapped_text_in_response(rsps: responses.RequestsMock) -> None:
    """Derived: the response labels a variabel value with a text recode does not map."""
    body = shape_json("konkurser_manad_lan_data.json")
    body["dimension"]["variabel"]["category"]["label"]["1"] = "Antal berörda anställda"
    register_ok(rsps, data=json.dumps(body).encode())


def case_table_file_gone(rsps: responses.RequestsMock) -> None:
    rsps.get(CONFIG, body=shape("config.json"))
    rsps.get(FOLDER_URL, body=shape("folder_konkurser_2026-07.json"))
    rsps.get(table_url(LAN_FILE), status=404, body="Not found")


TILLVAXTANALYS = Adapter(
    series_id=SERIES,
    refresh=run_refresh,
    register_ok=register_ok,
    serve=replacing(register_ok, Endpoint("POST", table_url(LAN_FILE))),
    body=lambda: shape("konkurser_manad_lan_data.json"),
    changed=with_new_dimension,
    expect={"truncated": "invalid JSON", "changed-schema": "'Kön'"},
)

test_failure_leaves_the_store_exactly_as_before = failure_test(
    TILLVAXTANALYS,
    {
        "title-no-longer-matches": (case_title_gone, "matched 0 tables, expected exactly one"),
        "two-titles-match": (case_two_titles, "matched 2 tables"),
        "region-text-changed": (case_region_text_changed, "no value text for region(s) 23"),
        "value-text-renamed": (case_variable_renamed, "'Antal konkurser'"),
        "unmapped-text": (case_unmapped_text_in_response, "recode.variabel"),
        "table-file-gone": (case_table_file_gone, "404"),
    },
)


def test_a_title_that_no_longer_matches_lists_what_the_folder_holds(tmp_path: Path) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        case_title_gone(rsps)
        outcome, _ = run_refresh(tmp_path / "stats.duckdb", tmp_path / "raw")
    assert f"folder '{FOLDER}'" in outcome.message
    assert "11_konkurser_manad_lan.px: Konkurser och anställda" in outcome.message


def test_limits_come_from_config(tmp_path: Path) -> None:
    """Derived: ?config allows 40 cells, so the 176-cell query is split by its largest variable."""
    db = tmp_path / "stats.duckdb"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        register_ok(rsps)
        rsps.replace(
            responses.GET,
            CONFIG,
            body=json.dumps({"maxValues": 40, "maxCalls": 10, "timeWindow": 10}),
        )
        outcome, _ = run_refresh(db, tmp_path / "raw")
        posts = [
            json.loads(c.request.body or b"") for c in rsps.calls if c.request.method == "POST"
        ]
    # the replayed body is the whole table each time, so the stitched parts overlap and fail
    assert not outcome.ok and "overlap" in outcome.message
    assert len(posts) > 1
    for body in posts:
        sizes = [len(q["selection"]["values"]) for q in body["query"]]
        assert math.prod(sizes) <= 40
