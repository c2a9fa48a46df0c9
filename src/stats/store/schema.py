"""The store's schema: tables, their migrations, and the views that serve one home län.

Writers apply SCHEMA when they open a file (`Store`), so a file from before a column was added
is migrated by its next write; readers of such a file check what it holds (`has_relation`).

A release, a fetch attempt and a scheduled run record the home län they were for in
`home_region`: a län code when the content depends on the home län (a home-relative set's
regions, e.g. the home län's kommuner; a scheduled run is always for one län), ANY_HOME when it
serves every home, NULL when not recorded (a file from before the column; `stats refresh` and
`load-snapshot` stamp such releases, and such a run counts for every home). The `serving_*`
views hold the rows for the home in the per-connection variable `stats_home` (`use_home`),
every row when it is unset.
"""

from __future__ import annotations

import duckdb

from stats.config import load_settings

ANY_HOME = "*"

# rows for the home län in `stats_home`, for every home, or not recorded
_SERVED = """
    where home_region is null or home_region = '*' or getvariable('stats_home') is null
        or home_region = getvariable('stats_home')
"""

SCHEMA = f"""
create sequence if not exists release_seq start 1;
create table if not exists release (
    release_id integer primary key,
    series_id varchar not null,
    fetched_at timestamptz not null,
    content_sha256 varchar not null,
    vintage varchar,
    source_updated varchar,
    row_count integer not null,
    meta json not null,
    home_region varchar
);
alter table release add column if not exists home_region varchar;
create table if not exists response (
    release_id integer not null,
    seq integer not null,
    part integer not null,
    source varchar not null,
    table_id varchar not null,
    method varchar not null,
    url varchar not null,
    request_body varchar not null,
    fetched_at timestamptz not null,
    source_updated varchar,
    sha256 varchar not null,
    raw_path varchar not null
);
create table if not exists observation (
    release_id integer not null,
    region_code varchar not null,
    period varchar not null,
    dims varchar not null,
    value double,
    status varchar,
    preliminary boolean not null
);
create table if not exists label (
    release_id integer not null,
    dimension varchar not null,
    code varchar not null,
    label varchar not null
);
create table if not exists fetch_log (
    series_id varchar not null,
    started_at timestamptz not null,
    finished_at timestamptz not null,
    ok boolean not null,
    outcome varchar not null,
    release_id integer,
    row_count integer,
    message varchar,
    home_region varchar
);
alter table fetch_log add column if not exists home_region varchar;
create table if not exists refresh_run (
    started_at timestamptz not null,
    finished_at timestamptz not null,
    checked integer not null,
    due integer not null,
    fetched json not null,
    failures json not null,
    home_region varchar
);
alter table refresh_run add column if not exists home_region varchar;
create or replace view serving_release as select * from release {_SERVED};
create or replace view serving_fetch_log as select * from fetch_log {_SERVED};
create or replace view serving_refresh_run as select * from refresh_run {_SERVED};
create or replace view latest_release as
    select * from serving_release
    qualify row_number() over (partition by series_id order by release_id desc) = 1;
create or replace view vintage_release as
    select * from serving_release
    qualify row_number() over (partition by series_id, vintage order by release_id desc) = 1;
create or replace view latest as
    select r.series_id, o.*
    from observation o join latest_release r using (release_id);
"""


def use_home(con: duckdb.DuckDBPyConnection, home: str | None = None) -> None:
    """Serve the releases and fetch attempts for `home` (default: the configured home län).

    The `serving_*` views and those built on them read this per-connection variable; a cursor
    is a connection of its own, so every reading function sets it.
    """
    code = load_settings().home_region if home is None else home
    con.execute("set variable stats_home = ?", [code])


def has_relation(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether the file holds this table or view (an older or empty file may not)."""
    row = con.execute(
        "select count(*) from information_schema.tables where table_name = ?", [name]
    ).fetchone()
    return row is not None and row[0] > 0


def served_fetch_log(con: duckdb.DuckDBPyConnection) -> str:
    """The relation holding the fetch attempts served for `stats_home`: every attempt in a file
    from before attempts recorded their home län."""
    return "serving_fetch_log" if has_relation(con, "serving_fetch_log") else "fetch_log"


def served_refresh_run(con: duckdb.DuckDBPyConnection) -> str:
    """The relation holding the scheduled runs served for `stats_home`: every run in a file from
    before runs recorded their home län."""
    return "serving_refresh_run" if has_relation(con, "serving_refresh_run") else "refresh_run"
