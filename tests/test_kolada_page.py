"""The Kolada-nyckeltal page in AppTest: locked without sign-in, search, add, and the new
series on Alla serier saying "Ingen data ännu — kör `stats refresh`"."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from stats.config import ROOT, load_settings
from tests.test_pages import shown

APP = str(ROOT / "app.py")
KOLADA = "src/stats/app/pages/kolada.py"
SERIER = "src/stats/app/pages/serier.py"
NO_DATA = "Ingen data ännu för Jämtlands län — kör `stats refresh`"
EVIL = "[Logga in](https://evil.example) <b>x</b> `kod`"


def open_kolada(db: Path, monkeypatch: pytest.MonkeyPatch, signed_in: bool = True) -> AppTest:
    monkeypatch.setenv("STATS_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    if signed_in:
        at.session_state["analyst"] = "Emma"
        at.session_state["analyst_since"] = time.time()
    return at.switch_page(KOLADA).run()


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_locked_without_the_analyst_sign_in(
    snapshot_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_kolada(snapshot_db, monkeypatch, signed_in=False)
    assert not at.exception
    assert any("Logga in på sidan Förbered möte" in i.value for i in at.info)
    assert not at.text_input


def test_search_add_and_the_series_waits_for_refresh(
    snapshot_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_kolada(snapshot_db, monkeypatch)
    assert not at.exception
    assert any("6\u00a0099 nyckeltal" in c.value for c in at.caption)
    at.text_input[0].set_value("hallbarhet").run()
    assert "**N00373** Hållbarhet \\- Kommunindex" in markdown(at)
    next(b for b in at.button if b.key == "add_N00373").click().run()
    assert not at.exception and not at.error
    assert any("kolada_n00373" in s.value for s in at.success)
    assert (load_settings().catalog_local_dir / "kolada_n00373.toml").is_file()
    at.query_params["serie"] = "kolada_n00373"
    at.switch_page(SERIER).run()
    assert not at.exception
    assert at.selectbox[0].value == "kolada_n00373"
    assert [i.value for i in at.info] == [NO_DATA]


def test_a_bad_id_is_refused_in_swedish(snapshot_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_kolada(snapshot_db, monkeypatch)
    at.text_input[1].set_value("N0094<b>").run()
    next(b for b in at.button if b.label == "Lägg till").click().run()
    assert [e.value for e in at.error] == [
        "Ogiltigt nyckeltals\\-id\\. Ett Kolada\\-id är en bokstav och fem siffror, "
        "t\\.ex\\. N00945\\."
    ]
    assert not load_settings().catalog_local_dir.exists()


def test_hostile_search_text_is_shown_as_text(
    snapshot_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_kolada(snapshot_db, monkeypatch)
    at.text_input[0].set_value(EVIL).run()
    assert not at.exception
    [info] = at.info
    assert f"”{EVIL}”" in shown(info.value)  # the reader sees exactly what was typed
    assert "](https://evil.example)" not in info.value and "<b>" not in info.value
    assert "\\`kod\\`" in info.value
