"""The project's exceptions: each message names what was wrong and what was expected."""

from __future__ import annotations


class StatsError(Exception):
    """Base class; the CLI prints the message as one line, the app as st.error."""


class CatalogError(StatsError):
    """The catalog is invalid: the message names the file and the key."""


class DecodeError(StatsError):
    """A response body is not the JSON-stat2 the decoder expects."""


class SourceError(StatsError):
    """Fetching a series failed: HTTP error, timeout, rate limit or changed schema."""

    def __init__(
        self,
        message: str,
        *,
        series: str = "",
        table: str = "",
        url: str = "",
        status: int | None = None,
    ) -> None:
        self.series = series
        self.table = table
        self.url = url
        self.status = status
        prefix = f"series {series!r}: " if series else ""
        super().__init__(prefix + message)


class ApiProblem(SourceError):
    """The API answered with an RFC 7807 problem+json body (or another HTTP error)."""


class RateLimited(SourceError):
    """HTTP 429 persisted after the allowed retries."""


class SchemaChanged(SourceError):
    """The table no longer has the variables or values the catalog declares."""


class StoreError(StatsError):
    """The DuckDB store could not be read or written."""
