"""Arbetsförmedlingen's index pages: find the newest matching xlsx (or xls) link, download it.

AF's files are linked as `/download/18.<id>/<epoch>/<name>.xlsx`, and the id changes with every
upload, so a part names its file by a regex on the file name (`options.link_pattern`), read
here together with the other options both AF sources share.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from stats.catalog.load import Part, Series
from stats.errors import CatalogError, SchemaChanged
from stats.sources.http import HttpClient, RawResponse

log = logging.getLogger(__name__)

BASE_URL = "https://arbetsformedlingen.se"
SOURCE_TEXT = "Arbetsförmedlingen"
# xlsx, and old .xls for the files AF published before it moved to xlsx
LINK = re.compile(r"""(?:https?://[^\s"'<>]+)?/download/[^\s"'<>]+?\.xlsx?\b""", re.IGNORECASE)


@dataclass(frozen=True)
class Link:
    """One xlsx link on the index page; `period` is the pattern's YYYY-MM group, if any."""

    url: str
    name: str
    period: str | None


class OptionReader:
    """A part's `options`, read key by key; every error names the series and the key."""

    def __init__(self, series: Series, part: Part, keys: set[str]) -> None:
        self.series = series
        self.options: dict[str, Any] = dict(part.options)
        extra = sorted(set(self.options) - keys)
        if extra:
            raise self.fail(extra[0], f"unknown key; expected one of {', '.join(sorted(keys))}")

    def fail(self, key: str, message: str) -> CatalogError:
        return CatalogError(f"series {self.series.id!r}: parts.options.{key}: {message}")

    def pattern(self, key: str, default: str | None) -> re.Pattern[str]:
        """A case-insensitive regular expression, the default where the key is left out."""
        text = self.options.get(key, default)
        if not isinstance(text, str) or not text:
            raise self.fail(key, "must be a non-empty regular expression")
        try:
            return re.compile(text, re.IGNORECASE)
        except re.error as exc:
            raise self.fail(key, f"not a valid regular expression: {exc}") from None

    def index_url(self, default: str) -> str:
        """The page that links the files: an https:// URL."""
        url = self.options.get("index_url", default)
        if not isinstance(url, str) or not url.startswith("https://"):
            raise self.fail("index_url", "must be an https:// URL")
        return url


def find_xlsx_links(html: str, page_url: str) -> list[Link]:
    """Every distinct `/download/…/<name>.xlsx` (or `.xls`) URL in the page, absolute, in order."""
    urls = dict.fromkeys(urljoin(page_url, m.group(0)) for m in LINK.finditer(html))
    return [Link(u, unquote(urlsplit(u).path.rsplit("/", 1)[-1]), None) for u in urls]


def pick_link(links: Sequence[Link], pattern: re.Pattern[str], page: str, series: str) -> Link:
    """The matching link with the newest `period` group, or the single match without one."""
    found = [
        Link(link.url, link.name, m.groupdict().get("period"))
        for link in links
        if (m := pattern.search(link.name))
    ]
    if not found:
        names = ", ".join(link.name for link in links[:8]) or "none"
        raise SchemaChanged(
            f"no link on {page} has a file name matching '{pattern.pattern}' "
            f"(xlsx links found: {names})",
            series=series,
            url=page,
        )
    dated = [f for f in found if f.period]
    if dated:
        newest = max(f.period or "" for f in dated)
        found = [f for f in dated if f.period == newest]
    if len({f.url for f in found}) != 1:
        names = ", ".join(f.name for f in found)
        raise SchemaChanged(
            f"{len(found)} links on {page} match '{pattern.pattern}' ({names}); expected one "
            "newest file: add a (?P<period>YYYY-MM) group or narrow the pattern",
            series=series,
            url=page,
        )
    return found[0]


def newest_link(client: HttpClient, index_url: str, pattern: re.Pattern[str], series: str) -> Link:
    """The newest link matching `pattern` on an AF index page (one GET of the page)."""
    page = client.request("GET", index_url, series=series, not_found=f"index page {index_url}")
    html = page.content.decode("utf-8", errors="replace")
    return pick_link(find_xlsx_links(html, index_url), pattern, page.url, series)


def newest_workbook(
    client: HttpClient,
    index_url: str,
    pattern: re.Pattern[str],
    series: str,
    previous: Sequence[RawResponse] = (),
) -> RawResponse:
    """The newest workbook matching `pattern` on an AF index page, downloaded.

    A new upload gets a new /download/18.<id>/<epoch>/ URL, so a link whose URL is among
    `previous` is the same file: that response is reused instead of downloaded again.
    """
    link = newest_link(client, index_url, pattern, series)
    kept = next((r for r in previous if r.url == link.url), None)
    if kept is not None:
        return kept
    log.info("%s: downloading %s", series, link.name)
    return RawResponse.of(client.request("GET", link.url, series=series), "GET")
