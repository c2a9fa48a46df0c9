"""The analyst's sign-in: password check, throttling of failures, session expiry.

What this protects: the "Förbered möte" page (editing, freezing and importing) from people who
have the public meeting link but not the shared analyst password. What it does not: the
analyst's name is self-declared (anyone with the password can sign as anyone); there is one
shared password, no accounts; the meeting pages are public by design; and it does not replace
HTTPS in front of the app (the password travels in the Streamlit websocket).

The password is configured as plain text (`analyst_password`) or as a scrypt hash
(`analyst_password_scrypt`, made by `stats hash-password`), in `.streamlit/secrets.toml` or the
environment (STATS_ANALYST_PASSWORD, STATS_ANALYST_PASSWORD_SCRYPT).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

SESSION_HOURS = 8
FREE_ATTEMPTS = 3  # failures in one session before any delay
FREE_ATTEMPTS_PROCESS = 10  # failures in the whole server process (all sessions) before a delay
MAX_DELAY_S = 300.0
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_password(password: str, salt: bytes | None = None) -> str:
    """ "scrypt$16384$8$1$<salt hex>$<hash hex>" for the secrets file."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT, dklen=32)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def _scrypt_matches(given: str, stored: str) -> bool:
    try:
        name, n, r, p, salt, digest = stored.split("$")
        expected = bytes.fromhex(digest)
        actual = hashlib.scrypt(
            given.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
        )
    except ValueError:
        log.error("analyst_password_scrypt is not a valid scrypt hash; sign-in refused")
        return False
    return name == "scrypt" and hmac.compare_digest(actual, expected)


@dataclass(frozen=True)
class Credential:
    """The configured password: plain, a scrypt hash, or both (either one signs in)."""

    plain: str | None = None
    scrypt: str | None = None

    @property
    def configured(self) -> bool:
        return bool(self.plain or self.scrypt)

    def matches(self, given: str) -> bool:
        """Constant-time comparison with the plain password; scrypt for the hash."""
        ok = False
        if self.plain:
            ok = hmac.compare_digest(given.encode(), self.plain.encode())
        if self.scrypt and not ok:
            ok = _scrypt_matches(given, self.scrypt)
        return ok


def delay_after(failures: int, free: int = FREE_ATTEMPTS) -> float:
    """Seconds to wait after `failures` failed attempts: 0 for the first `free`, then 2, 4, 8,
    … up to 5 minutes."""
    if failures < free:
        return 0.0
    return min(MAX_DELAY_S, 2.0 ** (failures - free + 1))


@dataclass
class Throttle:
    """Failed attempts and when the next attempt is allowed, for one session or one process."""

    clock: Callable[[], float] = time.monotonic
    free: int = FREE_ATTEMPTS
    failures: int = 0
    not_before: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def wait(self) -> float:
        """Seconds left before the next attempt is allowed (0 if allowed now)."""
        return max(0.0, self.not_before - self.clock())

    def failed(self) -> None:
        with self.lock:
            self.failures += 1
            self.not_before = self.clock() + delay_after(self.failures, self.free)

    def succeeded(self) -> None:
        with self.lock:
            self.failures = 0
            self.not_before = 0.0


def attempt(
    credential: Credential, given: str, session: Throttle, process: Throttle
) -> tuple[bool, float]:
    """(signed in, seconds to wait). A throttled attempt is refused without checking.

    Each failure is logged without the password, with the session's and the process's counts.
    """
    wait = max(session.wait(), process.wait())
    if wait > 0:
        log.warning("analyst sign-in refused: throttled for %.0f s more", wait)
        return False, wait
    if credential.matches(given):
        session.succeeded()
        process.succeeded()
        return True, 0.0
    session.failed()
    process.failed()
    log.warning(
        "analyst sign-in failed (failures: %d in this session, %d in this process)",
        session.failures,
        process.failures,
    )
    return False, max(session.wait(), process.wait())


def expired(signed_in_at: float, now: float, hours: float = SESSION_HOURS) -> bool:
    """Whether a session signed in at `signed_in_at` (epoch seconds) has expired."""
    return now - signed_in_at > hours * 3600
