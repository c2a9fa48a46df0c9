"""Removing a Kolada KPI the picker added: only its file in the local catalog folder, never a
built-in series, and on the page only after a Swedish confirmation."""

from __future__ import annotations

from pathlib import Path

import pytest

from stats.catalog.load import CATALOG_DIR, load_catalog
from stats.config import load_settings
from stats.sources.kolada_catalogue import load_kpi_catalogue
from stats.sources.kolada_picker import (
    PickError,
    add_kpi_series,
    local_kolada_series,
    remove_kpi_series,
)
from tests.test_kolada_page import open_kolada

REFUSED = r"kan inte tas bort här: bara nyckeltal som lagts till på den här sidan kan tas bort\.$"


def test_an_added_series_is_removed_with_its_file() -> None:
    added = add_kpi_series("N00926", load_kpi_catalogue())
    add_kpi_series("N00945", load_kpi_catalogue())
    assert remove_kpi_series("kolada_n00926") == added.path
    assert not added.path.exists()
    assert local_kolada_series() == ["kolada_n00945"]
    assert "kolada_n00926" not in load_catalog().series


@pytest.mark.parametrize(
    "series_id",
    ["kolada_naringsliv", "kolada_brp_plus_region", "kolada_n00926", "../kolada_n00945", "egen"],
)
def test_built_in_unknown_and_foreign_files_are_refused(series_id: str) -> None:
    local = load_settings().catalog_local_dir
    add_kpi_series("N00945", load_kpi_catalogue())
    (local / "egen.toml").write_text("", encoding="utf-8")
    before = sorted(p.name for p in local.iterdir())
    built_in = sorted(p.name for p in CATALOG_DIR.iterdir())
    with pytest.raises(PickError, match=REFUSED):
        remove_kpi_series(series_id)
    assert sorted(p.name for p in local.iterdir()) == before
    assert sorted(p.name for p in CATALOG_DIR.iterdir()) == built_in


def test_the_page_asks_before_removing(snapshot_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add_kpi_series("N00926", load_kpi_catalogue())
    path = load_settings().catalog_local_dir / "kolada_n00926.toml"
    at = open_kolada(snapshot_db, monkeypatch)
    at.button(key="remove_kolada_n00926").click().run()
    assert not at.exception
    [warning] = at.warning
    assert warning.value.startswith("Ta bort serien Företagskonkurser")
    assert "`kolada_n00926.toml` raderas" in warning.value
    assert path.is_file()  # nothing removed before the answer
    at.button(key="cancel_remove_kolada_n00926").click().run()
    assert not at.warning and path.is_file()
    at.button(key="remove_kolada_n00926").click().run()
    at.button(key="confirm_remove_kolada_n00926").click().run()
    assert not at.exception and not at.error
    assert not path.exists()
    assert any("är borttagen ur katalogen" in s.value for s in at.success)
    assert not any(b.key == "remove_kolada_n00926" for b in at.button)
