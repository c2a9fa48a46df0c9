"""The prologue every page starts with: title, settings, database and error handling."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import streamlit as st

from stats.app.db import Db, open_database
from stats.config import Settings, load_settings
from stats.errors import StatsError
from stats.text import clean, escape_markdown

APP_NAME = "Näringslivsstatistik"


@dataclass(frozen=True)
class PageContext:
    """What a page reads: the settings and the database (None before the first load)."""

    settings: Settings
    db: Db | None

    @property
    def home(self) -> str:
        """The home län's code, e.g. "23"."""
        return self.settings.home_region


def set_title(title: str) -> None:
    """The browser tab's title for this page, e.g. "Datakällor – Näringslivsstatistik"."""
    st.set_page_config(page_title=f"{clean(title)} – {APP_NAME}")


def show_error(exc: StatsError) -> None:
    """One red line for a failure; its message may quote a file or a source, so it is text."""
    st.error(escape_markdown(str(exc)))


@contextmanager
def page(title: str | None = None, lead: str | None = None) -> Iterator[PageContext]:
    """Title and lead text, then the page's body in the block; a StatsError becomes one error.

    Examples
    --------
    >>> def render() -> None:  # doctest: +SKIP
    ...     with page("Datakällor") as ctx:
    ...         show_sources(ctx.db)
    """
    if title is not None:
        set_title(title)
        st.title(title)
    if lead is not None:
        st.caption(lead)
    context = PageContext(load_settings(), open_database())
    try:
        yield context
    except StatsError as exc:
        show_error(exc)
