"""Indicators: declared in indicators.toml, one SQL file each in queries/, run in a scope.

A scope is a cursor with temporary views: `scope_release` (the releases in scope), `obs` (the
observations of the latest release of every series, or only of the
releases a frozen meeting pinned), `vintage_obs` (the latest release per projection vintage),
`definition_set` (circular-economy SNI sets) and one view per indicator, created in file order,
so an indicator may read an earlier one; an indicator marked `materialize` (a base others read,
such as the population) becomes a temporary table when the scope opens. Each cursor has its own
temporary catalog, so sessions never see each other's pins.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from stats.analysis.circular import load_sets, sets_frame
from stats.config import ROOT
from stats.errors import CatalogError, StatsError, StoreError
from stats.store.read import create_scope_views

QUERIES = ROOT / "queries"
INDICATORS_FILE = Path(__file__).parents[1] / "catalog" / "indicators.toml"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Input:
    """One series slice an indicator reads, named by a measure."""

    measure: str
    series: str
    dims: str  # canonical JSON, as the store writes it


@dataclass(frozen=True)
class Indicator:
    """An indicator's declaration; its SQL lives in queries/<id>.sql."""

    id: str
    title: str
    unit: str
    definition: str
    source: str
    columns: tuple[str, ...]
    keys: tuple[str, ...]
    inputs: tuple[Input, ...]
    sql: str
    materialize: bool
    series: tuple[str, ...]
    # value column -> the columns naming the releases behind it (default: release_id)
    releases: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # measure -> what a chart of that measure shows, when it differs from `definition`
    definitions: tuple[tuple[str, str], ...] = ()
    # the text of the declared `lookup` CSV (catalog folder), the relation `indicator_lookup`
    lookup: str = ""

    def definition_of(self, measure: str | None) -> str:
        """The definition a chart of one measure shows, e.g. of "arbetsloshet"."""
        return dict(self.definitions).get(measure or "", self.definition)

    def release_columns(self, value: str) -> tuple[str, ...]:
        """Columns naming the releases behind a value column, e.g. ("release_id",)."""
        declared = dict(self.releases).get(value)
        if declared is not None:
            return declared
        return ("release_id",) if "release_id" in self.columns else ()

    @property
    def version(self) -> str:
        """A short hash of the definition: SQL, columns, keys, inputs, unit and wording.

        A frozen meeting records it, so a later change of the definition is reported.
        """
        declared = (self.title, self.unit, self.definition, self.columns, self.keys, self.inputs)
        text = repr(declared) + "\n" + self.sql + self.lookup
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _indicator(path: Path, ind_id: str, raw: dict[str, Any]) -> Indicator:
    where = f"{path.name}: indicator.{ind_id}"
    if not _ID.match(ind_id):
        raise CatalogError(f"{where}: id must be lowercase ASCII snake_case")
    for key in ("title", "unit", "definition", "source", "columns", "keys"):
        if not raw.get(key):
            raise CatalogError(f"{where}.{key}: required")
    sql_path = QUERIES / f"{ind_id}.sql"
    if not sql_path.is_file():
        raise CatalogError(f"{where}: no SQL file {sql_path.relative_to(ROOT)}")
    columns = tuple(str(c) for c in raw["columns"])
    keys = tuple(str(k) for k in raw["keys"])
    if not set(keys) <= set(columns):
        raise CatalogError(f"{where}.keys: {sorted(set(keys) - set(columns))} not in columns")
    releases = _release_columns(where, raw.get("releases", {}), columns)
    inputs = []
    for i, item in enumerate(raw.get("inputs", [])):
        if not {"measure", "series", "dims"} <= set(item):
            raise CatalogError(f"{where}.inputs[{i}]: needs measure, series and dims")
        dims = json.dumps(item["dims"], ensure_ascii=False, sort_keys=True)
        inputs.append(Input(str(item["measure"]), str(item["series"]), dims))
    return Indicator(
        id=ind_id,
        title=str(raw["title"]),
        unit=str(raw["unit"]),
        definition=str(raw["definition"]),
        source=str(raw["source"]),
        columns=columns,
        keys=keys,
        inputs=tuple(inputs),
        sql=sql_path.read_text(encoding="utf-8"),
        materialize=bool(raw.get("materialize", False)),
        releases=releases,
        definitions=tuple((str(k), str(v)) for k, v in raw.get("definitions", {}).items()),
        lookup=_lookup_text(where, raw.get("lookup")),
        series=tuple(
            dict.fromkeys([*(str(s) for s in raw.get("series", [])), *(i.series for i in inputs)])
        ),
    )


def _release_columns(
    where: str, raw: Any, columns: tuple[str, ...]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The declared `releases` table, checked against the column contract."""
    if not isinstance(raw, dict):
        raise CatalogError(f"{where}.releases: must map value columns to lists of columns")
    out = []
    for value, names in raw.items():
        if value not in columns or not isinstance(names, list) or not set(names) <= set(columns):
            raise CatalogError(
                f"{where}.releases.{value}: must be a column mapped to a list of columns of "
                f"{list(columns)}"
            )
        out.append((str(value), tuple(str(n) for n in names)))
    return tuple(out)


def _lookup_text(where: str, name: Any) -> str:
    """The text of a lookup CSV named relative to the catalog folder ("" without one)."""
    if name is None:
        return ""
    path = INDICATORS_FILE.parent / str(name)
    if not str(name).endswith(".csv") or not path.is_file():
        raise CatalogError(f"{where}.lookup: {name!r} must be a CSV file in src/stats/catalog/")
    return path.read_text(encoding="utf-8")


@cache
def load_indicators(path: Path = INDICATORS_FILE) -> dict[str, Indicator]:
    """All declared indicators in file order; every one must have its SQL file."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(f"{path.name}: cannot read indicators: {exc}") from None
    return {i: _indicator(path, i, entry) for i, entry in raw.get("indicator", {}).items()}


def _temp_table(cur: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    cur.register("frame_to_copy", frame)
    try:
        cur.execute(f"create temp table {name} as select * from frame_to_copy")
    finally:
        cur.unregister("frame_to_copy")


def open_scope(
    con: duckdb.DuckDBPyConnection, releases: Sequence[int] | None = None
) -> duckdb.DuckDBPyConnection:
    """A cursor whose `obs`, `vintage_obs` and indicator views read `releases` (None = latest)."""
    cur = con.cursor()
    try:
        create_scope_views(cur, releases)
        _temp_table(cur, "definition_set", sets_frame(load_sets()))
        for ind in load_indicators().values():
            inputs = pd.DataFrame(
                [(i.measure, i.series, i.dims) for i in ind.inputs],
                columns=["measure", "series_id", "dims"],
            ).astype(str)
            _temp_table(cur, f"input_{ind.id}", inputs)
            sql = ind.sql.replace("indicator_input", f"input_{ind.id}")
            if ind.lookup:
                lookup = pd.read_csv(io.StringIO(ind.lookup), dtype=str, keep_default_na=False)
                _temp_table(cur, f"lookup_{ind.id}", lookup)
                sql = sql.replace("indicator_lookup", f"lookup_{ind.id}")
            kind = "table" if ind.materialize else "view"
            cur.execute(f"create temp {kind} {ind.id} as {sql}")
    except duckdb.Error as exc:
        cur.close()
        raise StoreError(f"cannot prepare the indicators: {' '.join(str(exc).split())}") from None
    return cur


def run_indicator(scope: duckdb.DuckDBPyConnection, indicator_id: str) -> pd.DataFrame:
    """Rows of one indicator in a scope, checked against its declared columns."""
    indicators = load_indicators()
    if indicator_id not in indicators:
        raise StatsError(f"unknown indicator {indicator_id!r}; known: {', '.join(indicators)}")
    ind = indicators[indicator_id]
    try:
        frame = scope.execute(f"select * from {ind.id}").df()
    except duckdb.Error as exc:
        raise StoreError(f"indicator {ind.id!r} failed: {' '.join(str(exc).split())}") from None
    if tuple(frame.columns) != ind.columns:
        raise StatsError(
            f"indicator {ind.id!r}: columns {list(frame.columns)} differ from the declared "
            f"{list(ind.columns)}"
        )
    return frame


def run_query(con: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame:
    """One indicator over the latest releases (a fresh scope each call)."""
    scope = open_scope(con)
    try:
        return run_indicator(scope, name)
    finally:
        scope.close()
