"""`stats kolada-catalogue`: /v3/kpi paged into the picker's catalogue, atomically.

The /v3/kpi pages are built here in the documented v3 envelope ({"values", "count",
"next_url"}, ../shared/sources/JOBTECH-AF-KOLADA.md §4) from the real KPI records of the
embedded catalogue, with `is_divided_by_gender` as a boolean as v3 sends it; the envelope is
a shape assumption (no /v3/kpi answer has been recorded).
"""

from __future__ import annotations

import gzip
from typing import Any

import pytest
import responses
from responses import matchers

from stats import cli
from stats.config import load_settings
from stats.errors import SchemaChanged
from stats.sources.kolada import KOLADA_BASE, KoladaClient
from stats.sources.kolada_catalogue import (
    COLUMNS,
    EMBEDDED,
    catalogue_path,
    load_kpi_catalogue,
    read_catalogue_file,
    refresh_kpi_catalogue,
)
from tests.adapter_faults import FakeSleep

KPI_URL = f"{KOLADA_BASE}/kpi"
PAGE_2 = f"{KOLADA_BASE}/kpi?per_page=5000&page=2"


def records(count: int) -> list[dict[str, Any]]:
    """The first `count` real KPIs as /v3/kpi objects (booleans as booleans)."""
    embedded = load_kpi_catalogue()
    out = []
    for kpi in list(embedded.kpis.values())[:count]:
        out.append(
            {
                "id": kpi.id,
                "title": kpi.title,
                "description": kpi.description,
                "is_divided_by_gender": kpi.divided_by_gender,
                "municipality_type": kpi.municipality_type,
                "operating_area": kpi.operating_area,
                "publication_date": kpi.publication_date,
                "has_ou_data": False,
            }
        )
    return out


def serve(rsps: responses.RequestsMock, values: list[dict[str, Any]], split: int) -> None:
    first = {"values": values[:split], "count": split, "next_url": PAGE_2}
    second = {"values": values[split:], "count": len(values) - split, "next_url": None}
    rsps.get(PAGE_2, json=second)
    rsps.get(KPI_URL, json=first, match=[matchers.query_param_matcher({"per_page": "5000"})])


def client() -> KoladaClient:
    return KoladaClient(sleep=FakeSleep(), max_retries=1)


def test_two_pages_become_the_preferred_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("stats.sources.kolada_catalogue.MIN_KPIS", 10)
    data_dir = load_settings().data_dir
    values = records(30)
    values[0] = {**values[0], "title": "Ny titel från Kolada, antal"}
    with responses.RequestsMock() as rsps:
        serve(rsps, values, 20)
        assert refresh_kpi_catalogue(client(), data_dir) == 30
        assert [c.request.url for c in rsps.calls] == [KPI_URL + "?per_page=5000", PAGE_2]
    written = catalogue_path(data_dir)
    assert [p.name for p in written.parent.iterdir()] == [written.name]  # no temporary file
    fresh = load_kpi_catalogue(data_dir)
    assert len(fresh) == 30 and fresh.origin == "Kolada /v3/kpi"
    assert fresh.get(values[0]["id"]).title == "Ny titel från Kolada, antal"  # type: ignore[union-attr]
    assert [k.id for k in fresh.search("ny titel")] == [values[0]["id"]]
    assert read_catalogue_file(written)[1].divided_by_gender == values[1]["is_divided_by_gender"]


BAD: dict[str, tuple[Any, str]] = {
    "too-few": (lambda v: v[:5], "returned 5 KPIs; expected the whole catalogue"),
    "bad-id": (lambda v: [{**v[0], "id": "../x"}, *v[1:]], "KPI id '../x' is not like"),
    "no-title": (lambda v: [{**v[0], "title": ""}, *v[1:]], "has no title"),
    "twice": (lambda v: [*v, v[0]], "a KPI id appears twice"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_answer_keeps_the_old_catalogue(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("stats.sources.kolada_catalogue.MIN_KPIS", 10)
    data_dir = load_settings().data_dir
    with responses.RequestsMock() as rsps:
        serve(rsps, records(12), 6)
        refresh_kpi_catalogue(client(), data_dir)
    before = catalogue_path(data_dir).read_bytes()
    change, expected = BAD[case]
    with responses.RequestsMock() as rsps:
        serve(rsps, change(records(12)), 6)
        with pytest.raises(SchemaChanged, match=expected):
            refresh_kpi_catalogue(client(), data_dir)
    assert catalogue_path(data_dir).read_bytes() == before


def test_a_damaged_refreshed_file_falls_back_to_the_embedded_one() -> None:
    path = catalogue_path(load_settings().data_dir)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not gzip")
    catalogue = load_kpi_catalogue(load_settings().data_dir)
    assert len(catalogue) == 6099 and catalogue.origin.startswith("inbäddad")


def test_cli_command_refreshes_the_catalogue(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("stats.sources.kolada_catalogue.MIN_KPIS", 10)
    monkeypatch.setattr("stats.cli.KoladaClient", client)
    with responses.RequestsMock() as rsps:
        serve(rsps, records(15), 10)
        assert cli.main(["kolada-catalogue"]) == 0
    assert "15 nyckeltal skrivna till" in capsys.readouterr().err
    written = catalogue_path(load_settings().data_dir)
    with gzip.open(written, "rt", encoding="utf-8") as stream:
        assert stream.readline().strip() == ",".join(COLUMNS)
    with gzip.open(EMBEDDED, "rt", encoding="utf-8") as stream:
        assert stream.readline().strip() == ",".join(COLUMNS)  # the same columns as embedded
    assert len(load_kpi_catalogue(load_settings().data_dir)) == 15


def test_cli_failure_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("stats.cli.KoladaClient", client)
    with responses.RequestsMock() as rsps:
        serve(rsps, records(15), 10)
        assert cli.main(["kolada-catalogue"]) == 1
    assert capsys.readouterr().err.startswith("fel: /v3/kpi returned 15 KPIs")
