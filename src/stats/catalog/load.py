"""Load and validate the series catalog (catalog.d/*.toml) into frozen dataclasses.

Errors name the file and the key. One file per source; series ids are unique across files.
Each file declares its publisher's Swedish name once, at the top: `publisher = "SCB"`.
After the built-in catalog.d come the deployment's own files in the local catalog folder
(setting STATS_CATALOG_LOCAL, default <STATS_DATA_DIR>/catalog.local.d/, e.g. the KPIs added
with the Kolada picker), validated the same way; a missing folder is an empty one.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from stats.config import load_settings
from stats.errors import CatalogError

CATALOG_DIR = Path(__file__).with_name("catalog.d")

Frequency = Literal["day", "month", "quarter", "year"]
FREQUENCIES: tuple[Frequency, ...] = ("day", "month", "quarter", "year")
# per source: does a part need `table` (or `discover`) and a non-empty `query`?
SOURCES: dict[str, tuple[bool, bool]] = {
    "scb": (True, True),
    "tillvaxtanalys": (True, True),
    "jobtech_historical": (False, False),
    "jobtech_search": (False, False),
    "af_varsel": (True, False),
    "af_monthly": (True, False),
    "kolada": (True, False),
    "realdata": (True, False),
    "import": (True, False),
}
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
SERIES_KEYS = {"title", "unit", "frequency", "regions", "dims", "vintage", "description"}
SERIES_KEYS |= {"parts", "region_dim", "time_dim"}
PART_KEYS = {"source", "table", "discover", "query", "periods", "recode", "options"}


@dataclass(frozen=True)
class VariableQuery:
    """What to select for one variable: codes or expressions, optionally through a codelist."""

    values: tuple[str, ...]
    codelist: str | None = None
    output_values: str | None = None


@dataclass(frozen=True)
class Discover:
    """Find a table id by searching /tables and matching the title."""

    query: str
    title: str


@dataclass(frozen=True)
class Part:
    """One source table contributing to a series."""

    source: str
    table: str | None
    discover: Discover | None
    query: dict[str, VariableQuery]
    period_from: str | None
    period_to: str | None
    recode: dict[str, dict[str, str]]
    options: dict[str, Any]


@dataclass(frozen=True)
class Series:
    """A series as the user sees it, possibly stitched from several tables."""

    id: str
    title: str
    unit: str
    frequency: Frequency
    regions: tuple[str, ...]
    dims: tuple[str, ...]
    vintage: str | None
    description: str
    region_dim: str
    time_dim: str
    parts: tuple[Part, ...]
    # the Swedish name of who publishes it, declared once per catalog file ("SCB")
    publisher: str = ""


@dataclass(frozen=True)
class Catalog:
    """All declared series, by id, in file order."""

    series: dict[str, Series]
    paths: tuple[Path, ...]

    def get(self, series_id: str) -> Series:
        """The series with this id; CatalogError listing the known ids otherwise."""
        try:
            return self.series[series_id]
        except KeyError:
            known = ", ".join(self.series)
            raise CatalogError(f"unknown series {series_id!r}; known: {known}") from None


class _Reader:
    """Typed access to one TOML table that reports errors as `file: key: message`."""

    def __init__(self, path: Path, key: str, table: Any) -> None:
        self.path, self.key = path, key
        if not isinstance(table, dict):
            self.fail("must be a table")
        self.table: dict[str, Any] = table

    def fail(self, message: str, sub: str = "") -> None:
        where = f"{self.key}.{sub}" if sub else self.key
        raise CatalogError(f"{self.path.name}: {where}: {message}")

    def check_keys(self, allowed: set[str]) -> None:
        for extra in sorted(set(self.table) - allowed):
            self.fail(f"unknown key; expected one of {', '.join(sorted(allowed))}", extra)

    def text(self, name: str, default: str | None = None) -> str:
        value = self.table.get(name, default)
        if not isinstance(value, str) or not value.strip():
            self.fail("must be a non-empty string", name)
        assert isinstance(value, str)
        return value

    def optional_text(self, name: str) -> str | None:
        return self.text(name) if name in self.table else None

    def strings(self, name: str, *, allow_empty: bool = False) -> tuple[str, ...]:
        value = self.table.get(name)
        ok = isinstance(value, list) and all(isinstance(v, str) and v for v in value)
        if not ok or (not value and not allow_empty):
            self.fail("must be a list of non-empty strings", name)
        assert isinstance(value, list)
        return tuple(value)


def _variable_query(path: Path, key: str, raw: Any) -> VariableQuery:
    if isinstance(raw, list):
        raw = {"values": raw}
    reader = _Reader(path, key, raw)
    reader.check_keys({"values", "codelist", "output_values"})
    output_values = reader.optional_text("output_values")
    if output_values not in (None, "aggregated", "single"):
        reader.fail("must be 'aggregated' or 'single'", "output_values")
    return VariableQuery(
        values=reader.strings("values"),
        codelist=reader.optional_text("codelist"),
        output_values=output_values,
    )


def _part(path: Path, key: str, raw: Any) -> Part:
    reader = _Reader(path, key, raw)
    reader.check_keys(PART_KEYS)
    source = reader.text("source")
    if source not in SOURCES:
        reader.fail(f"unknown source {source!r}; expected one of {', '.join(SOURCES)}", "source")
    discover = None
    if "discover" in reader.table:
        disc = _Reader(path, f"{key}.discover", reader.table["discover"])
        disc.check_keys({"query", "title"})
        discover = Discover(query=disc.text("query"), title=disc.text("title"))
        try:
            re.compile(discover.title)
        except re.error as exc:
            disc.fail(f"not a valid regular expression: {exc}", "title")
    needs_table, needs_query = SOURCES[source]
    table = reader.optional_text("table")
    if table is not None and discover is not None:
        reader.fail("give only one of `table` or `discover`")
    if needs_table and table is None and discover is None:
        reader.fail("give exactly one of `table` or `discover`")
    query_raw = reader.table.get("query", {})
    if not isinstance(query_raw, dict) or (needs_query and not query_raw):
        reader.fail("must be a non-empty table of variable selections", "query")
    assert isinstance(query_raw, dict)
    options = _Reader(path, f"{key}.options", reader.table.get("options", {})).table
    query = {var: _variable_query(path, f"{key}.query.{var}", q) for var, q in query_raw.items()}
    periods = _Reader(path, f"{key}.periods", reader.table.get("periods", {}))
    periods.check_keys({"from", "to"})
    recode_raw = _Reader(path, f"{key}.recode", reader.table.get("recode", {})).table
    recode: dict[str, dict[str, str]] = {}
    for var, mapping in recode_raw.items():
        inner = _Reader(path, f"{key}.recode.{var}", mapping).table
        if not all(isinstance(v, str) for v in inner.values()):
            reader.fail("must map codes to code strings", f"recode.{var}")
        recode[var] = dict(inner)
    return Part(
        source=source,
        table=table,
        discover=discover,
        query=query,
        period_from=periods.optional_text("from"),
        period_to=periods.optional_text("to"),
        recode=recode,
        options=dict(options),
    )


def _series(path: Path, series_id: str, raw: Any) -> Series:
    key = f"series.{series_id}"
    reader = _Reader(path, key, raw)
    if not ID_PATTERN.match(series_id):
        reader.fail("id must be lowercase ASCII snake_case")
    reader.check_keys(SERIES_KEYS)
    frequency = reader.text("frequency")
    if frequency not in FREQUENCIES:
        reader.fail(f"must be one of {', '.join(FREQUENCIES)}", "frequency")
    parts_raw = reader.table.get("parts")
    if not isinstance(parts_raw, list) or not parts_raw:
        reader.fail("must have at least one [[parts]] entry", "parts")
    assert isinstance(parts_raw, list)
    parts = tuple(_part(path, f"{key}.parts[{i}]", p) for i, p in enumerate(parts_raw))
    region_dim = reader.text("region_dim", "Region")
    time_dim = reader.text("time_dim", "Tid")
    dims = reader.strings("dims", allow_empty=True)
    for i, part in enumerate(parts):
        if not SOURCES[part.source][1]:
            continue
        for var in (time_dim, *dims):
            if var not in part.query:
                reader.fail(f"dimension {var!r} is not selected in the query", f"parts[{i}].query")
        if region_dim in part.query:
            reader.fail(
                "is filled from `regions`; do not select it", f"parts[{i}].query.{region_dim}"
            )
    return Series(
        id=series_id,
        title=reader.text("title"),
        unit=reader.text("unit"),
        frequency=frequency,  # type: ignore[arg-type]
        regions=reader.strings("regions"),
        dims=dims,
        vintage=reader.optional_text("vintage"),
        description=reader.optional_text("description") or "",
        region_dim=region_dim,
        time_dim=time_dim,
        parts=parts,
    )


def _load_file(path: Path) -> dict[str, Series]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{path.name}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read catalog: {exc.strerror}") from None
    series_raw = raw.get("series")
    if not isinstance(series_raw, dict) or not series_raw:
        raise CatalogError(f"{path.name}: series: at least one [series.<id>] table is required")
    from stats.regions import load_regions

    regions = load_regions()
    publisher = raw.get("publisher", "")
    if not isinstance(publisher, str) or ("publisher" in raw and not publisher.strip()):
        raise CatalogError(f'{path.name}: publisher: must be a non-empty string, e.g. "SCB"')
    series = {
        sid: replace(_series(path, sid, entry), publisher=publisher)
        for sid, entry in series_raw.items()
    }
    for s in series.values():
        try:
            regions.check(list(s.regions))
        except CatalogError as exc:
            raise CatalogError(f"{path.name}: series.{s.id}.regions: {exc}") from None
    return series


def local_catalog_dir() -> Path:
    """The deployment's own catalog folder (STATS_CATALOG_LOCAL), read after catalog.d."""
    return load_settings().catalog_local_dir


def _load_local(path: Path, local: Path) -> dict[str, Series]:
    """A local catalog file; its errors also name the folder it sits in."""
    try:
        return _load_file(path)
    except CatalogError as exc:
        raise CatalogError(f"{local}/{exc}") from None


def load_catalog(path: Path = CATALOG_DIR, *, include_local: bool = True) -> Catalog:
    """Parse and validate a catalog file, or every *.toml in a catalog directory.

    The built-in directory is followed by the local catalog folder's *.toml unless
    `include_local` is False; a series id declared twice is an error naming both files.
    """
    paths = tuple(sorted(path.glob("*.toml"))) if path.is_dir() else (path,)
    if not paths:
        raise CatalogError(f"{path}: no catalog files (*.toml)")
    local = local_catalog_dir() if include_local and path == CATALOG_DIR else None
    if local is not None and local.is_dir():
        paths += tuple(sorted(local.glob("*.toml")))
    series: dict[str, Series] = {}
    origin: dict[str, Path] = {}
    for file in paths:
        loaded = _load_local(file, local) if local and file.parent == local else _load_file(file)
        for sid, entry in loaded.items():
            if sid in series:
                raise CatalogError(
                    f"{file.name}: series.{sid}: already declared in {origin[sid].name}"
                )
            series[sid], origin[sid] = entry, file
    return Catalog(series=series, paths=paths)
