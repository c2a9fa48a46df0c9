"""`stats` command line: refresh, snapshot, load-snapshot, status. Errors are one stderr line."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from stats.analysis.indicators import open_scope
from stats.analysis.suggest import suggest_meeting
from stats.app.auth import hash_password
from stats.catalog.load import Catalog, load_catalog
from stats.config import Settings, load_settings
from stats.errors import StatsError
from stats.export import NoBrowser, export_section
from stats.export.from_meeting import meeting_section
from stats.ingest.due import append_log, one_line, refresh_due
from stats.ingest.home import other_homes_only, served_name
from stats.ingest.imports import import_file
from stats.ingest.refresh import Outcome, refresh
from stats.ingest.snapshot import load_snapshot, write_snapshot
from stats.meetings.files import find_meeting, meetings_dir
from stats.meetings.minutes import minutes_text
from stats.meetings.model import meeting_place
from stats.ops.backup import Targets, default_archive, write_backup
from stats.ops.restore import restore_backup
from stats.publish.site import publish_meeting
from stats.sources.base import Source
from stats.sources.kolada import KoladaClient
from stats.sources.kolada_catalogue import catalogue_path, refresh_kpi_catalogue
from stats.sources.registry import default_sources
from stats.store.dbfile import open_reader
from stats.store.read import latest_releases
from stats.store.write import open_writer
from stats.text import clean

err = Console(stderr=True)
out = Console()


def _summary(outcomes: list[Outcome], title: str) -> Table:
    table = Table(title=title)
    for col in ("serie", "rader", "resultat", "tid (s)", "meddelande"):
        table.add_column(col, justify="right" if col in ("rader", "tid (s)") else "left")
    for o in outcomes:
        result = "fel" if not o.ok else ("ny release" if o.new else "oförändrad")
        table.add_row(
            o.series_id, f"{o.rows:,}".replace(",", " "), result, f"{o.seconds:.1f}", o.message
        )
    return table


def _report_failures(outcomes: list[Outcome]) -> int:
    """One stderr line per failed series (the table may cut long messages); exit code."""
    failed = [o for o in outcomes if not o.ok]
    for o in failed:
        err.print(f"fel: {o.message}", markup=False, highlight=False, soft_wrap=True)
    return 1 if failed else 0


@contextmanager
def _progress(total: int) -> Iterator[tuple[Callable[[Outcome], None], Callable[[int], None]]]:
    """A progress bar on stderr: (advance one series, set the number of series to fetch)."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
    )
    with Progress(*columns, TimeElapsedColumn(), console=err) as progress:
        task = progress.add_task("hämtar", total=total)
        yield (
            lambda o: progress.update(task, advance=1, description=o.series_id),
            lambda n: progress.update(task, total=n),
        )


def cmd_refresh(args: argparse.Namespace) -> int:
    settings = load_settings()
    catalog = load_catalog()
    ids = args.series or list(catalog.series)
    for sid in ids:
        catalog.get(sid)
    sources = default_sources()
    if args.due:
        return _refresh_due(settings, catalog, ids, sources)
    with _progress(len(ids)) as (done, _total), open_writer(settings.db_path) as store:
        outcomes = refresh(
            store, settings.raw_dir, catalog, ids, sources, settings.home_region, on_done=done
        )
    err.print(_summary(outcomes, "stats refresh"))
    return _report_failures(outcomes)


def _clock() -> datetime:
    return datetime.now(UTC)


def _refresh_due(
    settings: Settings, catalog: Catalog, ids: list[str], sources: dict[str, Source]
) -> int:
    """`stats refresh --due`: probe, fetch the due series, log one line per series."""
    try:
        with _progress(len(ids)) as (done, total), open_writer(settings.db_path) as store:
            run = refresh_due(
                store, settings.raw_dir, catalog, ids, sources, settings.home_region,
                now=_clock, log_file=settings.log_file,
                on_plan=lambda ds: total(sum(d.due for d in ds)), on_done=done,
            )  # fmt: skip
    except StatsError as exc:
        append_log(
            settings.log_file,
            [f"{_clock().isoformat(timespec='seconds')} run failed: {one_line(exc)}"],
        )
        raise
    err.print(_summary(run.outcomes, "stats refresh --due"))
    due = sum(d.due for d in run.decisions)
    err.print(
        f"{due} av {len(run.decisions)} serier kan ha ändrats hos källan och hämtades; "
        f"skälen står i {settings.log_file}",
        markup=False,
        highlight=False,
    )
    return _report_failures(run.outcomes)


def cmd_load_snapshot(_args: argparse.Namespace) -> int:
    settings = load_settings()
    catalog = load_catalog()
    with open_writer(settings.db_path, replace_damaged=True) as store:
        outcomes = load_snapshot(store, settings.raw_dir, catalog, settings.snapshot_dir)
    err.print(_summary(outcomes, f"stats load-snapshot → {settings.db_path}"))
    return _report_failures(outcomes)


def cmd_snapshot(_args: argparse.Namespace) -> int:
    settings = load_settings()
    with open_writer(settings.db_path) as store:
        count = write_snapshot(store, settings.raw_dir, settings.snapshot_dir)
    err.print(f"{count} svar skrivna till {settings.snapshot_dir}")
    return 0


def cmd_import_sni(args: argparse.Namespace) -> int:
    settings = load_settings()
    series = load_catalog().get(args.series)
    outcome = import_file(settings, series, Path(args.file))
    err.print(_summary([outcome], f"stats import-sni {args.file}"))
    return _report_failures([outcome])


def cmd_export(args: argparse.Namespace) -> int:
    settings = load_settings()
    formats = {f.strip() for part in args.format for f in part.split(",") if f.strip()}
    meeting = find_meeting(meetings_dir(), args.meeting, settings.home_region)
    out_dir = Path(args.out or f"export/{meeting.date}")
    con = open_reader(settings.db_path)
    try:
        section = meeting_section(con, meeting, settings.home_region, current=args.current)
    finally:
        con.close()
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        written = export_section(section, formats, out_dir)
    except NoBrowser as exc:
        for path in exc.written:
            out.print(str(path), markup=False, highlight=False)
        raise
    for path in written:
        out.print(str(path), markup=False, highlight=False)
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    settings = load_settings()
    meeting = find_meeting(meetings_dir(), args.meeting, settings.home_region)
    out_dir = Path(args.out) if args.out else settings.publish_dir
    con = open_reader(settings.db_path)
    try:
        page = publish_meeting(con, meeting, settings.home_region, out_dir, current=args.current)
    finally:
        con.close()
    out.print(str(page), markup=False, highlight=False)
    return 0


def cmd_suggest(args: argparse.Namespace) -> int:
    """One line per suggested highlight: "<diagram> · <jämförelse>: <mening>"."""
    settings = load_settings()
    meeting = find_meeting(meetings_dir(), args.meeting, settings.home_region)
    home = meeting_place(meeting, settings.home_region, current=True)
    con = open_reader(settings.db_path)
    try:
        scope = open_scope(con)
        found = suggest_meeting(scope, meeting, home)
        scope.close()
    finally:
        con.close()
    lines = []
    for spec, suggestions in found:
        title = clean(spec.title or spec.indicator)
        lines += [f"{title} · {s.label}: {clean(s.text)}" for s in suggestions]
        if not suggestions:
            lines.append(f"{title} · inga förslag: data saknas för en jämförelse")
    sys.stdout.write("".join(f"{line}\n" for line in lines))
    return 0


def cmd_minutes(args: argparse.Namespace) -> int:
    """The "Näringslivsstatistik" paragraph for the minutes, as plain text."""
    settings = load_settings()
    meeting = find_meeting(meetings_dir(), args.meeting, settings.home_region)
    sys.stdout.write(minutes_text(meeting))
    return 0


def cmd_status(_args: argparse.Namespace) -> int:
    settings = load_settings()
    con = open_reader(settings.db_path)
    rows = latest_releases(con)
    home = served_name(settings.home_region)
    table = Table(title=f"{settings.db_path} (hemlän {home})")
    for col in ("serie", "release", "årgång", "rader", "hämtad", "uppdaterad av källan"):
        table.add_column(col)
    table.add_column("hämtad för")
    for *r, served in rows:
        table.add_row(*(str(v) if v is not None else "" for v in r), served_name(served))
    out.print(table)
    for sid, others in other_homes_only(con).items():
        names = ", ".join(served_name(code) for code in others)
        out.print(
            f"{sid}: inte hämtad för {home}, bara för {names}; kör `stats refresh`",
            markup=False,
            highlight=False,
        )
    return 0


def cmd_hash_password(_args: argparse.Namespace) -> int:
    """Ask for the password twice (not echoed) and print the secrets.toml line."""
    first = getpass.getpass("Lösenord: ")
    if not first or first != getpass.getpass("Samma lösenord igen: "):
        err.print("fel: lösenorden är tomma eller olika", markup=False, highlight=False)
        return 1
    print(f'analyst_password_scrypt = "{hash_password(first)}"')
    return 0


def _ops_targets() -> Targets:
    settings = load_settings()
    return Targets(db=settings.db_path, meetings=meetings_dir(), raw=settings.raw_dir)


def cmd_backup(args: argparse.Namespace) -> int:
    """Archive the database, meetings and raw responses; print the archive's path."""
    now = datetime.now(UTC)
    backups = load_settings().data_dir / "backups"
    target = Path(args.out) if args.out else default_archive(backups, now)
    written = write_backup(_ops_targets(), target, now)
    out.print(str(written), markup=False, highlight=False)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Check an archive in full, then put its database, meetings and raw responses back."""
    restored = restore_backup(Path(args.file), _ops_targets())
    err.print(
        f"återställt {restored.files} filer ({restored.bytes / 1e6:.1f} MB) från {args.file}; "
        "det som fanns innan ligger kvar som *.pre-restore",
        markup=False,
        highlight=False,
    )
    return 0


def cmd_kolada_catalogue(_args: argparse.Namespace) -> int:
    """Fetch Kolada's KPI catalogue from /v3/kpi for the picker; the old one stays on failure."""
    data_dir = load_settings().data_dir
    count = refresh_kpi_catalogue(KoladaClient(), data_dir)
    err.print(f"{count} nyckeltal skrivna till {catalogue_path(data_dir)}", markup=False)
    return 0


def _data_commands(sub: Any) -> None:
    """refresh, snapshot, load-snapshot, status, import-sni, kolada-catalogue."""
    p = sub.add_parser("refresh", help="hämta serier från källorna till databasen")
    p.add_argument("--series", nargs="+", metavar="ID", help="bara dessa serier")
    p.add_argument(
        "--due",
        action="store_true",
        help="bara serier som kan ha ändrats hos källan (för den schemalagda körningen)",
    )
    p.set_defaults(func=cmd_refresh)
    sub.add_parser(
        "snapshot", help="skriv den inbäddade ögonblicksbilden till data/snapshot"
    ).set_defaults(func=cmd_snapshot)
    sub.add_parser("load-snapshot", help="läs in data/snapshot i databasen").set_defaults(
        func=cmd_load_snapshot
    )
    sub.add_parser("status", help="visa senaste release per serie").set_defaults(func=cmd_status)
    p = sub.add_parser("import-sni", help="importera sysselsatta per region, SNI-kod och år")
    p.add_argument("file", help="CSV eller XLSX med kolumnerna region, sni, år, sysselsatta")
    p.add_argument("--series", default="sysselsatta_sni_detalj", metavar="ID")
    p.set_defaults(func=cmd_import_sni)
    sub.add_parser(
        "kolada-catalogue", help="hämta Koladas nyckeltalskatalog (/v3/kpi) till sökningen"
    ).set_defaults(func=cmd_kolada_catalogue)


def _meeting_commands(sub: Any) -> None:
    """export, publish, suggest, minutes."""
    p = sub.add_parser("export", help="exportera ett mötes statistikavsnitt")
    p.add_argument("--meeting", required=True, metavar="YYYY-MM-DD")
    p.add_argument(
        "--format",
        nargs="+",
        required=True,
        metavar="FORMAT",
        help="docx, pptx, pdf, png, svg, xlsx, csv (flera med komma eller mellanslag)",
    )
    p.add_argument("--out", metavar="DIR", help="mapp för filerna (standard export/<datum>)")
    p.add_argument("--current", action="store_true", help="aktuella data i stället för frysta")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("publish", help="publicera ett möte som statiska webbsidor med PDF")
    p.add_argument("--meeting", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--out", metavar="DIR", help="mapp (standard STATS_PUBLISH_DIR)")
    p.add_argument("--current", action="store_true", help="aktuella data i stället för frysta")
    p.set_defaults(func=cmd_publish)
    p = sub.add_parser("suggest", help="föreslå höjdpunkter ur data för ett mötes diagram")
    p.add_argument("--meeting", required=True, metavar="YYYY-MM-DD")
    p.set_defaults(func=cmd_suggest)
    p = sub.add_parser("minutes", help="skriv stycket Näringslivsstatistik till protokollet")
    p.add_argument("--meeting", required=True, metavar="YYYY-MM-DD")
    p.set_defaults(func=cmd_minutes)


def _ops_commands(sub: Any) -> None:
    """hash-password, backup, restore."""
    sub.add_parser(
        "hash-password", help="skriv en scrypt-hash av analytikerlösenordet för secrets.toml"
    ).set_defaults(func=cmd_hash_password)
    p = sub.add_parser("backup", help="arkivera databasen, mötena och råsvaren (tar.gz)")
    p.add_argument("--out", metavar="FIL", help="arkivets sökväg (standard data/backups/…)")
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser(
        "restore", help="kontrollera ett arkiv från stats backup och läs tillbaka det"
    )
    p.add_argument("file", metavar="FIL", help="arkivet (tar.gz)")
    p.set_defaults(func=cmd_restore)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `stats` command."""
    parser = argparse.ArgumentParser(prog="stats", description="Näringslivsstatistik")
    sub = parser.add_subparsers(dest="command", required=True)
    for add in (_data_commands, _meeting_commands, _ops_commands):
        add(sub)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        code: int = args.func(args)
    except StatsError as exc:
        err.print(f"fel: {exc}", markup=False, highlight=False)
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())
