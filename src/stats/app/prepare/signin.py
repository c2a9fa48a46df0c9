"""The analyst sign-in of "Förbered möte": a shared password, throttled, valid for 8 hours.

Access: a password from `.streamlit/secrets.toml` (`analyst_password = "..."`) or the
environment variable STATS_ANALYST_PASSWORD. Without one the page stays locked; the meeting
pages stay open to everyone.
"""

from __future__ import annotations

import os
import time

import streamlit as st

from stats.app.auth import (
    FREE_ATTEMPTS_PROCESS,
    SESSION_HOURS,
    Credential,
    Throttle,
    attempt,
    expired,
)
from stats.text import clean

AUTH_HASH = "analyst_password_scrypt"


def configured_credential() -> Credential:
    """The analyst password (plain and/or scrypt hash) from Streamlit secrets or the
    environment."""
    try:
        plain_pw, hashed = (st.secrets.get(k) for k in ("analyst_password", AUTH_HASH))
    except Exception:  # no secrets file at all
        plain_pw = hashed = None
    return Credential(
        plain=str(plain_pw) if plain_pw else os.environ.get("STATS_ANALYST_PASSWORD") or None,
        scrypt=str(hashed) if hashed else os.environ.get("STATS_ANALYST_PASSWORD_SCRYPT") or None,
    )


@st.cache_resource
def process_throttle() -> Throttle:
    """Failed sign-ins of every session in this server process."""
    return Throttle(free=FREE_ATTEMPTS_PROCESS)


def sign_out() -> None:
    for key in ("analyst", "analyst_since"):
        st.session_state.pop(key, None)


def signed_in() -> bool:
    """Ask for the password; failures are throttled and logged; a session lasts 8 hours."""
    since = st.session_state.get("analyst_since")
    if st.session_state.get("analyst") and since is not None:
        if not expired(float(since), time.time()):
            return True
        sign_out()
        st.info(f"Du har loggats ut efter {SESSION_HOURS} timmar. Logga in igen.")
    credential = configured_credential()
    if not credential.configured:
        st.warning(
            "Analytikervyn är låst: inget lösenord är inställt. Lägg "
            '`analyst_password = "…"` i `.streamlit/secrets.toml` eller sätt '
            "miljövariabeln `STATS_ANALYST_PASSWORD` och starta om appen."
        )
        return False
    session = st.session_state.setdefault("login_throttle", Throttle())
    with st.form("login", enter_to_submit=False):
        name = st.text_input("Ditt namn (sparas med ändringarna)")
        given = st.text_input("Lösenord", type="password")
        if st.form_submit_button("Logga in"):
            ok, wait = attempt(credential, given, session, process_throttle())
            if ok:
                st.session_state["analyst"] = clean(name).strip() or "analytiker"
                st.session_state["analyst_since"] = time.time()
                st.rerun()
            elif wait > 0:
                st.error(f"Fel lösenord eller för många försök. Vänta {wait:.0f} sekunder.")
            else:
                st.error("Fel lösenord.")
    return False
