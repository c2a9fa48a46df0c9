"""The embedded snapshot is real, hash-checked, loads once and round-trips via `stats snapshot`."""

from __future__ import annotations

import hashlib
import shutil
import tomllib
from pathlib import Path

import duckdb
import pytest

from stats.catalog.load import load_catalog
from stats.config import ROOT
from stats.ingest.snapshot import SnapshotError, load_snapshot, read_manifest, write_snapshot
from stats.regions import load_regions
from stats.store.write import open_writer

SNAPSHOT = ROOT / "data" / "snapshot"
SHARED_TAB6471 = "pxwebpy_v2_TAB6471_data.json"


def test_every_snapshot_entry_has_origin_and_matching_hash() -> None:
    entries = read_manifest(SNAPSHOT)
    assert entries, "the snapshot must not be empty"
    for e in entries:
        assert e.origin, f"{e.file}: no origin recorded"
        assert e.series in load_catalog().series
    files = {str(p.relative_to(SNAPSHOT)) for p in SNAPSHOT.rglob("*.gz")}
    assert files == {e.file for e in entries}


def test_snapshot_holds_the_recorded_scb_response() -> None:
    recorded = ROOT / "tests" / "fixtures" / "scb" / "TAB6471_data.json"
    digest = hashlib.sha256(recorded.read_bytes()).hexdigest()
    assert digest in {e.sha256 for e in read_manifest(SNAPSHOT)}


def test_loading_twice_adds_nothing(snapshot_db: Path, tmp_path: Path) -> None:
    with open_writer(snapshot_db) as store:
        outcomes = load_snapshot(store, tmp_path / "raw", load_catalog(), SNAPSHOT)
    assert all(o.ok and not o.new for o in outcomes)
    series = {e.series for e in read_manifest(SNAPSHOT)}
    con = duckdb.connect(str(snapshot_db), read_only=True)
    assert con.execute("select count(*) from release").fetchone() == (len(series),)


def test_jamtland_value_from_the_snapshot(snapshot_db: Path) -> None:
    con = duckdb.connect(str(snapshot_db), read_only=True)
    total = con.execute(
        "select sum(value) from latest where region_code = '23' and period = '2026M04' "
        "and dims->>'$.Kon' = 'TotSa'"
    ).fetchone()
    assert total == (132785.0,)


def test_write_snapshot_round_trips(snapshot_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "snap"
    shutil.copytree(SNAPSHOT, out)
    with open_writer(snapshot_db) as store:
        count = write_snapshot(store, tmp_path / "data" / "raw", out)
    assert count == len(read_manifest(SNAPSHOT))
    manifest = tomllib.loads((out / "MANIFEST.toml").read_text())
    [entry] = [e for e in manifest["response"] if e["table"] == "TAB6471"]
    assert entry["series"] == "folkmangd_manad"
    assert entry["origin"].startswith("Real SCB PxWebApi 2 response")
    assert all(e.get("origin") for e in manifest["response"])
    fresh = tmp_path / "fresh.duckdb"
    with open_writer(fresh) as store:
        outcomes = load_snapshot(store, tmp_path / "raw2", load_catalog(), out)
    rows = {o.series_id: o.rows for o in outcomes if o.ok}
    assert rows["folkmangd_manad"] == 2772 and len(rows) == len(outcomes)


def test_tampered_snapshot_file_is_rejected(tmp_path: Path) -> None:
    out = tmp_path / "snap"
    shutil.copytree(SNAPSHOT, out)
    [entry] = [e for e in read_manifest(out) if e.table == "TAB6471"]
    import gzip

    (out / entry.file).write_bytes(gzip.compress(b'{"version": "2.0"}'))
    with open_writer(tmp_path / "x.duckdb") as store:
        outcomes = load_snapshot(store, tmp_path / "raw", load_catalog(), out)
    [outcome] = [o for o in outcomes if o.series_id == "folkmangd_manad"]
    assert not outcome.ok
    assert "sha256 does not match MANIFEST.toml" in outcome.message
    con = duckdb.connect(str(tmp_path / "x.duckdb"), read_only=True)
    assert con.execute(
        "select count(*) from release where series_id = 'folkmangd_manad'"
    ).fetchone() == (0,)


def test_missing_manifest_is_a_clear_error(tmp_path: Path) -> None:
    with (
        open_writer(tmp_path / "x.duckdb") as store,
        pytest.raises(SnapshotError, match="MANIFEST"),
    ):
        load_snapshot(store, tmp_path / "raw", load_catalog(), tmp_path / "nowhere")


def test_snapshot_series_declare_the_lan_they_hold_for_every_home(snapshot_db: Path) -> None:
    """Data that exists for one län says so: a series whose file holds Jämtland's figures only
    is declared with the code 23, so no other home län presents them as its own."""
    regions = load_regions()
    con = duckdb.connect(str(snapshot_db), read_only=True)
    held = dict(
        con.execute(
            "select series_id, list(distinct region_code) from observation "
            "join release using (release_id) group by series_id"
        ).fetchall()
    )
    con.close()
    catalog = load_catalog()
    for sid, codes in held.items():
        for home in regions.lan_codes:
            wanted = set(regions.resolve(list(catalog.get(sid).regions), home))
            missing = (wanted & set(regions.lan_codes)) - set(codes)
            assert not missing, f"{sid} for home {home}: no data for län {sorted(missing)}"
