"""Datakällor: per series, who publishes it, when it was fetched and how the last fetch went."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pandas as pd
import streamlit as st

from stats.app.db import Db, reading
from stats.app.declared import declared_tables, ordered_series
from stats.app.page import page
from stats.catalog.load import Series, load_catalog
from stats.config import load_settings
from stats.errors import StatsError
from stats.fmt import LOCAL_TZ, format_date, format_number, keep_dates_whole
from stats.ingest.home import served_name
from stats.ingest.snapshot import read_manifest
from stats.present.citation import cited_tables, declared_publisher, obtained_word
from stats.present.describe import NO_VALUE
from stats.store.read import series_overview
from stats.store.read_runs import RunRecord, last_run
from stats.store.schema import ANY_HOME
from stats.text import escape_markdown

OUTCOMES = {
    "new release": "ny version",
    "unchanged": "oförändrad",
    "failed": "misslyckades",
    "skipped": "inte hämtad, källan oförändrad",
}
SNAPSHOT = "Inbäddad ögonblicksbild"
FETCHED = "Hämtad från källan"
UNKNOWN_DATE = "Uppgift saknas"
EXPLANATION = """
Varje hämtning jämförs med seriens senaste version. Har siffrorna ändrats sparas de som en
**ny version** (release) och de äldre versionerna ligger kvar, så att det som visades vid ett
möte går att visa igen. Ett oförändrat svar ger ingen ny version. Om en hämtning misslyckas
visar sidorna den senaste lyckade versionen och felet står här.

**Inbäddad ögonblicksbild**: appen har med sig riktiga svar från källorna (`data/snapshot`)
som läses in utan nätverk. *Hämtad* anger då när svaret hämtades från källan, inte när det
lästes in. Siffror som någon annan hämtat står som *kopierad* (ur en offentlig fil, med
kopians datum) och siffror som skrivits av från en sida som *avskriven* (med dagen de skrevs
av); källans eget uppdateringsdatum är då ofta okänt ("Uppgift saknas"). `stats refresh`
hämtar färska siffror när datorn är uppkopplad.

Serier med länets kommuner hämtas för ett hemlän och *Hämtad* säger för vilket. Byts hemlän
visas de inte förrän `stats refresh` har hämtat dem för det nya länet; de gamla versionerna
ligger kvar och visas igen om hemlänet byts tillbaka.
"""


@st.cache_data(max_entries=4, show_spinner=False)
def load_overview(
    db_path: str, signature: tuple[int, int], snapshot: tuple[str, ...], home: str
) -> pd.DataFrame:
    """Latest release (served for `home`) and fetch attempt per series for one file version."""
    with reading(db_path, signature) as con:
        return series_overview(con, list(snapshot), home=home)


def snapshot_hashes() -> tuple[str, ...]:
    """sha256 of every response in the embedded snapshot (none when it cannot be read)."""
    try:
        return tuple(e.sha256 for e in read_manifest(load_settings().snapshot_dir))
    except StatsError:
        return ()


def _date(value: Any, missing: str = NO_VALUE) -> str:
    """ISO date of a timestamp or ISO text; other text as is; nothing → `missing`."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return missing
    try:
        return format_date(value if isinstance(value, datetime | str) else str(value))
    except StatsError:
        return escape_markdown(str(value))


def fetched_text(meta: dict[str, Any], fetched_at: Any, series_id: str) -> str:
    """The fetch date, or how a copy came here: "2026-06-15", "avskriven 2026-11-27"."""
    word = obtained_word({**meta, "series_id": series_id})
    date = _date(fetched_at)
    return date if word == "hämtad" else f"{word} {date}"


def attempt_text(row: pd.Series) -> str:
    """The last fetch attempt in one line, e.g. "2026-11-28: misslyckades: …".

    The source's message is outside text: escaped, as the static table reads Markdown.
    """
    if pd.isna(row.get("attempted_at")):
        return "Inget försök ännu"
    outcome = OUTCOMES.get(str(row["attempt_outcome"]), str(row["attempt_outcome"]))
    text = f"{_date(row['attempted_at'])}: {outcome}"
    message = row.get("attempt_message")
    if not row["attempt_ok"] and isinstance(message, str) and message:
        text += f": {escape_markdown(message)}"
    return text


def fetched_for(row: pd.Series | None) -> str:
    """ " för Jämtlands län" after the fetch date of a release fetched for one home län.

    Without a release for the configured home län: "Inte hämtad", and for which län the
    store holds releases ("Inte hämtad för Dalarnas län; finns för Jämtlands län").
    """
    if row is not None and not pd.isna(row.get("release_id")):
        served = row.get("home_region")
        one_lan = isinstance(served, str) and served != ANY_HOME
        return f" för {served_name(served)}" if one_lan else ""
    others = None if row is None else row.get("other_homes")
    if not isinstance(others, str) or not others:
        return "Inte hämtad"
    home = served_name(load_settings().home_region)
    return f"Inte hämtad för {home}; finns för {', '.join(map(served_name, others.split(',')))}"


def series_row(series: Series, row: pd.Series | None) -> dict[str, str]:
    """One table row, freshness first; a series without a release shows its declared tables."""
    if row is None or pd.isna(row.get("release_id")):
        return {
            "Serie": escape_markdown(series.title),
            "Hämtad": fetched_for(row),
            "Källan uppdaterad": NO_VALUE,
            "Senaste hämtningsförsök": "Inget försök ännu" if row is None else attempt_text(row),
            "Ursprung": NO_VALUE,
            "Versioner": "0",
            "Rader": "0",
            "Årgångar": "Inga",
            "Tabeller": "; ".join(declared_tables(series)) or "Anges inte i katalogen",
        }
    meta = json.loads(row["meta"])
    vintages = row["vintages"]
    return {
        "Serie": escape_markdown(series.title),
        "Hämtad": fetched_text(meta, row["fetched_at"], series.id) + fetched_for(row),
        "Källan uppdaterad": _date(row["source_updated"], UNKNOWN_DATE),
        "Senaste hämtningsförsök": attempt_text(row),
        "Ursprung": SNAPSHOT if row["from_snapshot"] else FETCHED,
        "Versioner": format_number(int(row["releases"])),
        "Rader": format_number(int(row["row_count"])),
        # vintages and table titles come from the source's metadata
        "Årgångar": escape_markdown(vintages) if isinstance(vintages, str) else "Inga",
        "Tabeller": escape_markdown(cited_tables(meta)),
    }


def show_failures(series: list[Series], by_id: dict[str, pd.Series]) -> None:
    """One warning per series whose last fetch failed, with the whole message as text."""
    for s in series:
        row = by_id.get(s.id)
        if row is not None and not pd.isna(row["attempted_at"]) and not row["attempt_ok"]:
            message = str(row["attempt_message"] or "inget felmeddelande").rstrip(".")
            st.warning(
                f"**{escape_markdown(s.title)}**: hämtningen {_date(row['attempted_at'])} "
                f"misslyckades: {escape_markdown(message)}. Sidorna visar den senaste lyckade "
                "versionen."
            )


def show_publisher(publisher: str, rows: list[dict[str, str]]) -> None:
    """One publisher's series in a static table (long titles and messages wrap)."""
    st.header(publisher)
    table = pd.DataFrame(rows)
    for column in ("Hämtad", "Källan uppdaterad", "Senaste hämtningsförsök"):
        table[column] = table[column].map(keep_dates_whole)
    numbers = table.style.set_properties(
        subset=["Versioner", "Rader"], **{"text-align": "right !important"}
    )
    st.table(numbers, hide_index=True)


def show_sources(db: Db | None) -> None:
    """Failed fetches first, then one table per publisher."""
    catalog = load_catalog()
    overview = (
        pd.DataFrame()
        if db is None
        else load_overview(*db, snapshot_hashes(), load_settings().home_region)
    )
    by_id = {str(r["series_id"]): r for _, r in overview.iterrows()} if not overview.empty else {}
    series = ordered_series(catalog)
    show_failures(series, by_id)
    groups: dict[str, list[dict[str, str]]] = {}
    for s in series:
        groups.setdefault(declared_publisher(s), []).append(series_row(s, by_id.get(s.id)))
    for publisher, rows in groups.items():
        show_publisher(publisher, rows)


RUN_LISTED = 5  # failed series named in the run's box; all of them are listed further down
RUN_CHARS = 240
NO_RUN = (
    "Ingen schemalagd hämtning har körts ännu. Den nattliga körningen (`stats refresh --due`) "
    "hämtar bara det som kan ha ändrats hos källorna; se README under Drift."
)


@st.cache_data(max_entries=4, show_spinner=False)
def load_last_run(db_path: str, signature: tuple[int, int], home: str) -> RunRecord | None:
    """The newest scheduled run for `home` in one database file version."""
    with reading(db_path, signature) as con:
        return last_run(con, home)


def _moment(value: datetime) -> str:
    """Date and time in Swedish time: "2026-12-01 03:15"."""
    local = value.astimezone(LOCAL_TZ)
    return f"{format_date(local)} {local:%H:%M}"


def show_last_run(db: Db | None, home: str) -> None:
    """The last scheduled run; a failed one prominently, each series with its message as text."""
    run = None if db is None else load_last_run(*db, home)
    if run is None:
        st.caption(NO_RUN)
        return
    when = _moment(run.started_at)
    if not run.failures:
        st.success(
            f"Senaste schemalagda hämtningen {when}: {format_number(run.checked)} serier "
            f"kontrollerade, {format_number(run.due)} hämtade, inga fel."
        )
        return
    titles = {s.id: s.title for s in load_catalog().series.values()}
    count = len(run.failures)
    lines = [
        f"- **{escape_markdown(titles.get(sid, sid))}**: {escape_markdown(_shortened(message))}"
        for sid, message in run.failures[:RUN_LISTED]
    ]
    if count > RUN_LISTED:
        lines.append(f"- och {format_number(count - RUN_LISTED)} till; alla fel står nedan")
    st.error(
        f"**Senaste hämtningen {when} misslyckades för {format_number(count)} "
        f"{'serie' if count == 1 else 'serier'}:**\n\n"
        + "\n".join(lines)
        + "\n\nSidorna visar den senaste lyckade versionen av dessa serier."
    )


def _shortened(message: str) -> str:
    """A source's message cut to RUN_CHARS characters (the table below has it whole)."""
    return message if len(message) <= RUN_CHARS else message[: RUN_CHARS - 1].rstrip() + "…"


def render() -> None:
    """The whole page."""
    with page("Datakällor") as ctx:
        show_last_run(ctx.db, ctx.home)
        st.markdown(EXPLANATION)
        show_sources(ctx.db)


render()
