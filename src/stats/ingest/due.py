"""`stats refresh --due`: fetch only the series whose source may have changed since last time.

Per series, from what the store holds and one cheap probe per source (`sources.probe`):

* SCB: the table's `updated` from `/tables/{id}` against the stored release's `updated`;
* Tillväxtanalys (PxWeb v1): the folder listing's `updated` against the last fetch;
* JobTech: once a day (due when the last successful fetch was before today, Swedish time);
* Arbetsförmedlingen's files: when the newest link or its size differs from the stored file;
* Kolada: when a KPI's publication date has passed since the last fetch; without any date,
  once a day;
* files replayed from the store (`realdata`, `import`): never.

A series never fetched, whose last attempt failed, or whose probe fails is due. Every decision
carries a reason in English; each run writes one line per series to the log file and to the
fetch log (series not due as `skipped`), and one row to `refresh_run` for the page Datakällor.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from stats.catalog.load import Catalog, Part, Series
from stats.errors import SourceError, StatsError
from stats.fmt import LOCAL_TZ
from stats.ingest.archive import read_raw
from stats.ingest.home import attempt_home
from stats.ingest.refresh import Outcome, refresh
from stats.sources.af.excel import AfExcelSource
from stats.sources.af.monthly import AfMonthlySource
from stats.sources.base import Source
from stats.sources.kolada import KoladaSource
from stats.sources.probe import af_file, kolada_dates, scb_table, v1_table
from stats.sources.pxweb.scb_source import ScbSource
from stats.sources.pxweb.tillvaxtanalys import TillvaxtanalysSource
from stats.store.read_runs import SKIPPED, StoredSeries, due_state
from stats.store.schema import use_home
from stats.store.write import Store
from stats.text import clean

log = logging.getLogger(__name__)

Verdict = tuple[bool, str]
S = TypeVar("S")


@dataclass(frozen=True)
class Decision:
    """Whether one series is fetched in this run, and why."""

    series_id: str
    due: bool
    reason: str


def one_line(text: object) -> str:
    """Outside text on one line for a log: no control characters, whitespace collapsed."""
    return " ".join(clean(str(text)).split())


def _parse(stamp: str) -> datetime | None:
    """An ISO time as an aware datetime (a bare one is Swedish time); None if not ISO."""
    try:
        value = datetime.fromisoformat(stamp.strip())
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=LOCAL_TZ)


def _local(moment: datetime) -> str:
    """A moment as Swedish local time to the minute, e.g. "2026-06-15T08:00"."""
    return moment.astimezone(LOCAL_TZ).strftime("%Y-%m-%dT%H:%M")


def compare_updated(table: str, updated: str | None, stored: str | None) -> Verdict:
    """SCB: due when the table's `updated` differs from the stored release's."""
    if updated is None:
        return True, f"{table} metadata has no 'updated'"
    if stored is None:
        return True, f"{table} updated {updated}, none stored"
    new, old = _parse(updated), _parse(stored)
    if new is not None and old is not None and new == old:
        return False, f"{table} updated {_local(new)} = stored {_local(old)}"
    if new is not None and old is not None and new > old:
        return True, f"{table} updated {_local(new)} > stored {_local(old)}"
    return True, f"{table} updated {one_line(updated)} differs from stored {one_line(stored)}"


class Prober:
    """Decides series by series; remembers each probe for the run (tables shared by series)."""

    def __init__(self, sources: Mapping[str, Source], raw_root: Path, now: datetime) -> None:
        self.sources = sources
        self.raw_root = raw_root
        self.now = now
        self.memo: dict[tuple[str, str], Any] = {}

    def decide(self, series: Series, stored: StoredSeries | None) -> Decision:
        """Due or not, with the reason, for one series."""
        if stored is None or stored.fetched_at is None:
            return Decision(series.id, True, "no release stored yet")
        if stored.last_failed is not None:
            return Decision(series.id, True, f"last attempt {_local(stored.last_failed)} failed")
        verdicts = [self.part(series, part, i, stored) for i, part in enumerate(series.parts)]
        due = [reason for is_due, reason in verdicts if is_due]
        return Decision(
            series.id, bool(due), "; ".join(dict.fromkeys(due or [r for _d, r in verdicts]))
        )

    def part(self, series: Series, part: Part, index: int, stored: StoredSeries) -> Verdict:
        probe = PROBES.get(part.source)
        if probe is None:
            return True, f"no probe for source {part.source!r}: fetched every run"
        try:
            return probe(self, series, part, index, stored)
        except StatsError as exc:
            return True, f"probe failed, fetching anyway: {one_line(exc)}"

    def adapter(self, part: Part, kind: type[S]) -> S:
        source = self.sources.get(part.source)
        if not isinstance(source, kind):
            raise SourceError(f"the adapter for {part.source!r} is not a {kind.__name__}")
        return source

    def remember(self, key: tuple[str, str], call: Callable[[], S]) -> S:
        if key not in self.memo:
            self.memo[key] = call()
        result: S = self.memo[key]
        return result

    def last_fetch(self, stored: StoredSeries) -> datetime:
        """When the series was last fetched from its source without error."""
        return stored.last_fetch or stored.fetched_at or datetime.min.replace(tzinfo=LOCAL_TZ)

    def daily(self, stored: StoredSeries, what: str) -> Verdict:
        """Due once per day: when the last fetch was before today in Swedish time."""
        last = self.last_fetch(stored).astimezone(LOCAL_TZ).date()
        today = self.now.astimezone(LOCAL_TZ).date()
        if last < today:
            return True, f"{what}: daily, last fetch {last} < today {today}"
        return False, f"{what}: daily, already fetched today {today}"

    def raw_size(self, raw_path: str) -> int | None:
        try:
            return len(read_raw(self.raw_root, raw_path))
        except OSError:
            return None


def _scb(p: Prober, series: Series, part: Part, index: int, stored: StoredSeries) -> Verdict:
    source = p.adapter(part, ScbSource)
    responses = stored.part(index)
    table = part.table or (responses[-1].table_id if responses else None)
    if table is None:
        return True, "table found by search and none stored yet"
    stamp = p.remember(("scb", table), lambda: scb_table(source, table))
    have = max((r.source_updated or "" for r in responses), default="") or None
    due, reason = compare_updated(table, stamp.updated, have)
    new, last = _parse(stamp.updated or ""), stored.run_fetch
    if due and new is not None and last is not None and new <= last:
        # the table changed, but a scheduled run since found our selection unchanged
        due, reason = False, f"{reason}, but fetched unchanged since at {_local(last)}"
    nxt = f", next update {one_line(stamp.next_update)}" if stamp.next_update else ""
    return due, reason + nxt


def _v1(p: Prober, series: Series, part: Part, index: int, stored: StoredSeries) -> Verdict:
    source = p.adapter(part, TillvaxtanalysSource)
    key = part.table or f"{part.discover}"
    stamp = p.remember(("v1", key), lambda: v1_table(source, series, part))
    updated = _parse(stamp.updated) if stamp.updated else None
    if updated is None:
        return p.daily(stored, f"{stamp.table_id} listing has no 'updated'")
    last = p.last_fetch(stored)
    if updated > last:
        return True, f"{stamp.table_id} updated {_local(updated)} > last fetch {_local(last)}"
    return False, f"{stamp.table_id} updated {_local(updated)} <= last fetch {_local(last)}"


def _jobtech(p: Prober, series: Series, part: Part, index: int, stored: StoredSeries) -> Verdict:
    return p.daily(stored, "JobTech")


def _af(p: Prober, series: Series, part: Part, index: int, stored: StoredSeries) -> Verdict:
    if part.source == "af_varsel":
        client = p.adapter(part, AfExcelSource).client
    else:
        client = p.adapter(part, AfMonthlySource).client
    file = af_file(client, series, part)
    responses = stored.part(index)
    if not responses:
        return True, f"{file.name}: no file stored"
    old = responses[-1]
    if file.url != old.url:
        return True, f"link changed to {one_line(file.name)} (was {one_line(old.url)})"
    size = p.raw_size(old.raw_path)
    if file.size is not None and size is not None and file.size != size:
        return True, f"{one_line(file.name)}: size {file.size} B differs from stored {size} B"
    return False, f"{one_line(file.name)}: same link, size {file.size or size or 'unknown'} B"


def _kolada(p: Prober, series: Series, part: Part, index: int, stored: StoredSeries) -> Verdict:
    source = p.adapter(part, KoladaSource)
    if part.table is None:
        return p.daily(stored, "Kolada KPI group found by search, no update date")
    kpis = [k.strip() for k in part.table.split(",") if k.strip()]
    dates = p.remember(("kolada", part.table), lambda: kolada_dates(source, kpis, series.id))
    if not dates:
        log.info("%s: Kolada gives no publication dates for %s; fetching daily", series.id, kpis)
        return p.daily(stored, f"Kolada {part.table} has no publication dates")
    last = p.last_fetch(stored).astimezone(LOCAL_TZ).date().isoformat()
    today = p.now.astimezone(LOCAL_TZ).date().isoformat()
    passed = [d for d in dates if d <= today]
    # a publication later on the day of the last fetch (which ran at night) is not in it yet
    if passed and max(passed) >= last:
        return True, f"Kolada {part.table} published {max(passed)} >= last fetch {last}"
    coming = [d for d in dates if d > today]
    nxt = f", next {min(coming)}" if coming else ""
    return False, f"Kolada {part.table}: no publication since last fetch {last}{nxt}"


def _replay(p: Prober, series: Series, part: Part, index: int, stored: StoredSeries) -> Verdict:
    return False, f"{part.source}: nothing to fetch online (the stored release is replayed)"


Probe = Callable[[Prober, Series, Part, int, StoredSeries], Verdict]
PROBES: dict[str, Probe] = {
    "scb": _scb,
    "tillvaxtanalys": _v1,
    "jobtech_historical": _jobtech,
    "jobtech_search": _jobtech,
    "af_varsel": _af,
    "af_monthly": _af,
    "kolada": _kolada,
    "realdata": _replay,
    "import": _replay,
}


@dataclass
class DueRun:
    """One scheduled run: its start, every decision and the outcome of every due series."""

    started: datetime
    decisions: list[Decision]
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failures(self) -> list[tuple[str, str]]:
        return [(o.series_id, o.message) for o in self.outcomes if not o.ok]

    def lines(self) -> list[str]:
        """One log line per series: decision and reason, then the result."""
        stamp = self.started.astimezone(LOCAL_TZ).isoformat(timespec="seconds")
        by_id = {o.series_id: o for o in self.outcomes}
        out = []
        for d in self.decisions:
            o = by_id.get(d.series_id)
            if o is None:
                result = "skipped" if not d.due else "not run"
            elif o.ok:
                result = f"ok, {'new release' if o.new else 'unchanged'}, {o.rows} rows"
            else:
                result = f"failed: {one_line(o.message)}"
            state = "due" if d.due else "not due"
            out.append(f"{stamp} {d.series_id} {state} ({one_line(d.reason)}): {result}")
        return out


def append_log(log_file: Path, lines: Iterable[str]) -> None:
    """Append lines to the run log (the folder is made if needed)."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("a", encoding="utf-8") as fh:
        fh.writelines(line + "\n" for line in lines)


def refresh_due(
    store: Store,
    raw_root: Path,
    catalog: Catalog,
    series_ids: Iterable[str],
    sources: Mapping[str, Source],
    home: str,
    *,
    now: Callable[[], datetime],
    log_file: Path,
    on_plan: Callable[[list[Decision]], None] = lambda _d: None,
    on_done: Callable[[Outcome], None] = lambda _o: None,
) -> DueRun:
    """Probe every series, refresh the due ones, log each series and the run; `now` is the clock."""
    started = now()
    use_home(store.con, home)  # what was fetched for another home län is not this one's
    state = due_state(store.con)
    prober = Prober(sources, raw_root, started)
    run = DueRun(started, [prober.decide(catalog.get(s), state.get(s)) for s in series_ids])
    on_plan(run.decisions)
    for d in run.decisions:
        log.info("%s: %s (%s)", d.series_id, "due" if d.due else "not due", d.reason)
        if not d.due:
            store.log_fetch(
                d.series_id,
                started,
                ok=True,
                outcome=SKIPPED,
                message=d.reason,
                home_region=attempt_home(catalog.get(d.series_id), home),
            )
    due = [d.series_id for d in run.decisions if d.due]
    run.outcomes = refresh(store, raw_root, catalog, due, sources, home, on_done=on_done)
    append_log(log_file, run.lines())
    fetched = [o.series_id for o in run.outcomes if o.ok]
    checked = len(run.decisions)
    store.log_run(
        started,
        now(),
        checked=checked,
        due=len(due),
        fetched=fetched,
        failures=run.failures,
        home_region=home,
    )
    return run
