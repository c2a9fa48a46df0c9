"""The analyst's sign-in: scrypt hashes, throttled and logged failures, sign-out and expiry."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from stats import cli
from stats.app.auth import Credential, Throttle, attempt, delay_after, expired, hash_password
from stats.config import ROOT

FORBERED = str(ROOT / "src" / "stats" / "app" / "pages" / "forbered.py")
SALT = bytes(range(16))


def test_scrypt_hash_is_standard_scrypt_and_checks_the_password() -> None:
    stored = hash_password("hemligt", SALT)
    # the same bytes as hashlib.scrypt with the parameters written in the string
    expected = hashlib.scrypt(b"hemligt", salt=SALT, n=16384, r=8, p=1, dklen=32).hex()
    assert stored == f"scrypt$16384$8$1${SALT.hex()}${expected}"
    assert Credential(scrypt=stored).matches("hemligt")
    assert not Credential(scrypt=stored).matches("Hemligt")
    assert not Credential(scrypt="scrypt$broken").matches("hemligt")
    assert Credential(plain="a").matches("a") and not Credential(plain="a").matches("b")
    assert not Credential().configured


def test_delay_grows_after_the_free_attempts() -> None:
    assert [delay_after(n) for n in range(1, 8)] == [0, 0, 2, 4, 8, 16, 32]
    assert delay_after(100) == 300


def test_failures_are_throttled_per_session_and_per_process(
    caplog: pytest.LogCaptureFixture,
) -> None:
    now = [1000.0]
    session, process = Throttle(clock=lambda: now[0]), Throttle(clock=lambda: now[0], free=10)
    cred = Credential(plain="hemligt")
    caplog.set_level(logging.WARNING, logger="stats.app.auth")
    results = [attempt(cred, f"fel{i}", session, process) for i in range(3)]
    assert results == [(False, 0.0), (False, 0.0), (False, 2.0)]
    # even the right password is refused while the delay runs, without being checked
    assert attempt(cred, "hemligt", session, process) == (False, 2.0)
    now[0] += 2.0
    assert attempt(cred, "hemligt", session, process) == (True, 0.0)
    assert session.failures == 0
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert logged.count("sign-in failed") == 3 and "throttled" in logged
    assert "fel0" not in logged and "hemligt" not in logged
    # another session is held back by the process once the process has seen many failures
    for _ in range(10):
        attempt(cred, "fel", Throttle(clock=lambda: now[0]), process)
    assert attempt(cred, "hemligt", Throttle(clock=lambda: now[0]), process)[0] is False


def test_sessions_expire_after_eight_hours() -> None:
    assert not expired(0.0, 8 * 3600)
    assert expired(0.0, 8 * 3600 + 1)


def _signed_in(monkeypatch: pytest.MonkeyPatch, **env: str) -> AppTest:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    at = AppTest.from_file(FORBERED, default_timeout=60).run()
    at.text_input[0].set_value("Emma")
    at.text_input[1].set_value("hemligt")
    at.button[0].click().run()
    return at


def test_sign_in_with_a_scrypt_hash_then_sign_out(
    snapshot_db: Path, meetings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STATS_ANALYST_PASSWORD", raising=False)
    at = _signed_in(monkeypatch, STATS_ANALYST_PASSWORD_SCRYPT=hash_password("hemligt", SALT))
    assert not at.exception
    assert any("Inloggad som Emma" in c.value for c in at.caption)
    next(b for b in at.button if b.label == "Logga ut").click().run()
    assert [b.label for b in at.button] == ["Logga in"]


def test_an_expired_session_asks_again(
    snapshot_db: Path, meetings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _signed_in(monkeypatch, STATS_ANALYST_PASSWORD="hemligt")
    assert any(b.label == "Logga ut" for b in at.button)
    at.session_state["analyst_since"] = at.session_state["analyst_since"] - 8 * 3600 - 1
    at.run()
    assert any("loggats ut efter 8 timmar" in i.value for i in at.info)
    assert [b.label for b in at.button] == ["Logga in"]


def test_hash_password_command_prints_a_working_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("getpass.getpass", lambda _prompt="": "hemligt")
    assert cli.main(["hash-password"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith('analyst_password_scrypt = "scrypt$16384$8$1$')
    assert Credential(scrypt=line.split('"')[1]).matches("hemligt")
