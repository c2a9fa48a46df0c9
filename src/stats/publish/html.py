"""The pages' shared HTML: the page shell, the list of published meetings and the statement.

Every outside text (meeting titles, places, highlights, chart titles, source lines) goes through
`stats.text.escape_html` here and in `meeting_page`; nothing typed or fetched is ever markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stats.text import escape_html

SITE_NAME = "Näringslivsstatistik"
STATEMENT_FILE = "tillganglighet.html"
ASSETS = "assets"
# an ISO date (2026-12-14) or month (2026-12), which a narrow screen must not break at a hyphen
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?\b")


@dataclass(frozen=True)
class Listed:
    """A published meeting as the index lists it."""

    date: str
    title: str
    about: str
    data_note: str


def esc(text: str) -> str:
    """Outside text as HTML text."""
    return escape_html(text)


def esc_dates(text: str) -> str:
    """Outside text as HTML text whose ISO dates never wrap ("2026-" | "12-14" on a phone):
    each is a `date` span the stylesheet keeps on one line. The text itself stays the same, so
    a reader's search, copy and screen reader find the ordinary hyphens."""
    return _ISO_DATE.sub(lambda m: f'<span class="date">{m.group(0)}</span>', esc(text))


def page(
    title: str, body: str, *, depth: int, processor: str, scripts: tuple[str, ...] = ()
) -> str:
    """A whole page: Swedish, its own title, landmarks, a skip link and the site navigation.

    `depth` is how many folders below the site root the page lies (0 for index.html), so every
    link is relative and the folder works from any web server and from file://.
    """
    up = "../" * depth
    tags = "".join(f'<script src="{up}{ASSETS}/{name}"></script>\n' for name in scripts)
    return f"""<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} – {SITE_NAME}, {esc(processor)}</title>
<link rel="stylesheet" href="{up}{ASSETS}/site.css">
</head>
<body>
<a class="skip" href="#innehall">Till innehållet</a>
<header>
<nav class="site-nav" aria-label="Webbplatsen">
<ul>
<li><a href="{up}index.html">Alla möten</a></li>
<li><a href="{up}{STATEMENT_FILE}">Tillgänglighet</a></li>
</ul>
</nav>
</header>
<main id="innehall">
{body}
</main>
<footer>
<p>{SITE_NAME} för den regionala näringslivsdialogen. Bearbetning: {esc(processor)}.
<a href="{up}{STATEMENT_FILE}">Tillgänglighetsredogörelse</a></p>
</footer>
{tags}</body>
</html>
"""


def index_body(meetings: list[Listed]) -> str:
    """The list of published meetings, newest first."""
    items = []
    for m in sorted(meetings, key=lambda m: m.date, reverse=True):
        items.append(
            f'<li><a href="{esc(m.date)}/index.html">{esc_dates(f"{m.title}, {m.date}")}</a>'
            f'<br><span class="note">{esc_dates(f"{m.about}. {m.data_note}")}</span></li>'
        )
    listing = (
        f'<ul class="meetings">\n{"".join(items)}\n</ul>'
        if items
        else "<p>Inga möten är publicerade ännu.</p>"
    )
    return (
        "<h1>Statistik från näringslivsdialogerna</h1>\n"
        '<p class="lead">Statistikavsnittet från varje möte: höjdpunkterna, diagrammen med '
        "tabeller och källor, och filer att ladda ner (PDF, Word, PowerPoint, Excel, CSV och "
        f"PNG).</p>\n<h2>Publicerade möten</h2>\n{listing}"
    )
