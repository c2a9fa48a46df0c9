"""Excel pivot caches read as a stream: cache fields from the definition, records as rows.

Arbetsförmedlingen's monthly workbooks (e.g. `web-sok-lan-kom-YYYY-MM.xlsx`) keep their data
in a pivot cache, not in a sheet: `xl/pivotCache/pivotCacheDefinitionN.xml` names the fields
(`<cacheField name="INSAL">`) and lists each field's `<sharedItems>`, and
`pivotCacheRecordsN.xml` holds one `<r>` per record with one value per database field, in
field order: `<x v="i"/>` is item i of that field's shared items, `<n v="12"/>` a number,
`<s v=".."/>` a string (AF's masked "<5" among them), `<m/>` missing, `<b>`/`<d>`/`<e>` a
boolean, a date or an error kept as text (ECMA-376 Part 1, §18.10; the field names follow
UtvecklaNorrbotten/kompetensarena-norrbotten `R/etl/af_pivot_cache.R` and `docs/af-etl.md`).

The records part can be hundreds of MB uncompressed, so it is never loaded whole: it is
decompressed from the zip and parsed with `ElementTree.iterparse` on start events (a value's
`v` attribute is there at the start tag), and the tree is cleared at every record. The small
definition is parsed whole. Every error is a SchemaChanged naming the file, the part and
what was expected.
"""

from __future__ import annotations

import io
import math
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO
from xml.etree import ElementTree as ET

from stats.errors import SchemaChanged

Value = str | float | None

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DEFINITION = re.compile(r"^xl/pivotCache/pivotCacheDefinition(\d+)\.xml$")
VALUE_KINDS = ("x", "n", "s", "m", "b", "d", "e")
# record tags with and without the spreadsheetml namespace → kind
TAGS = {f"{{{MAIN_NS}}}{k}": k for k in ("r", *VALUE_KINDS)} | {k: k for k in ("r", *VALUE_KINDS)}
MASKED = re.compile(r"^<\s*\d+$")
NUMBER = re.compile(r"^-?\d[\d \u00a0]*(?:[,.]\d+)?$")
CORE = "docProps/core.xml"
DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
DC_MODIFIED = "{http://purl.org/dc/terms/}modified"
READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError)


@dataclass(frozen=True)
class CacheField:
    """One database field of a cache: its name and its shared items (index → value)."""

    name: str
    shared: tuple[Value, ...]


@dataclass(frozen=True)
class PivotCache:
    """One pivot cache: definition and records part names, fields in record order."""

    number: int
    definition: str
    records: str
    fields: tuple[CacheField, ...]

    def names(self) -> list[str]:
        """The field names, in record order."""
        return [f.name for f in self.fields]


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _item(elem: ET.Element) -> Value:
    kind = _local(elem.tag)
    if kind == "m":
        return None
    value = elem.get("v")
    return float(value) if kind == "n" and value is not None else value


def count_status(value: Value) -> tuple[float, str | None] | None:
    """A count as (value, status): a number, AF's "<5" mask, missing (".."); None otherwise."""
    if isinstance(value, float):
        return value, None
    if value is None:
        return math.nan, ".."
    text = " ".join(value.split())
    if not text:
        return math.nan, ".."
    if MASKED.match(text):
        return math.nan, text.replace(" ", "")
    if NUMBER.match(text):
        return float(re.sub(r"[ \u00a0]", "", text).replace(",", ".")), None
    return None


class PivotWorkbook:
    """A downloaded xlsx whose data sit in pivot caches; errors name series, file and part."""

    def __init__(self, content: bytes, *, file: str, url: str = "", series: str = "") -> None:
        self.file, self.url, self.series = file, url, series
        if not content.startswith(b"PK\x03\x04"):
            raise self.fail(
                f"download is not an xlsx (zip) file: {len(content)} bytes starting "
                f"{content[:24]!r}; expected a workbook with a pivot cache"
            )
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(content))
            self.parts = set(self.zip.namelist())
        except READ_ERRORS as exc:
            raise self.fail(
                f"cannot read the xlsx (zip) file ({len(content)} bytes, truncated download?): "
                f"{exc}"
            ) from None
        numbers = sorted(int(m.group(1)) for p in self.parts if (m := DEFINITION.match(p)))
        if not numbers:
            raise self.fail(
                "no pivot cache (xl/pivotCache/pivotCacheDefinition*.xml); expected the data in "
                f"a pivot cache, found parts {', '.join(sorted(self.parts)[:12])}"
            )
        self.caches = [self._definition(n) for n in numbers]

    def fail(self, message: str, part: str = "") -> SchemaChanged:
        where = f"file {self.file}" + (f", {part}" if part else "")
        return SchemaChanged(f"{where}: {message}", series=self.series, url=self.url)

    def _open(self, part: str) -> IO[bytes]:
        try:
            return self.zip.open(part)
        except KeyError:
            raise self.fail("part is missing from the workbook", part) from None
        except READ_ERRORS as exc:
            raise self.fail(f"cannot read the part (truncated download?): {exc}", part) from None

    def _parse(self, part: str) -> ET.Element:
        try:
            with self._open(part) as stream:
                return ET.parse(stream).getroot()
        except ET.ParseError as exc:
            raise self.fail(f"not well-formed XML: {exc}", part) from None
        except READ_ERRORS as exc:
            raise self.fail(f"cannot read the part (truncated download?): {exc}", part) from None

    def _definition(self, number: int) -> PivotCache:
        part = f"xl/pivotCache/pivotCacheDefinition{number}.xml"
        root = self._parse(part)
        fields: list[CacheField] = []
        for group in (e for e in root if _local(e.tag) == "cacheFields"):
            for field in (e for e in group if _local(e.tag) == "cacheField"):
                if field.get("databaseField", "1") in ("0", "false"):
                    continue  # calculated fields have no value in the records
                items = [e for e in field if _local(e.tag) == "sharedItems"]
                shared = tuple(_item(v) for s in items for v in s if _local(v.tag) in VALUE_KINDS)
                fields.append(CacheField(field.get("name", ""), shared))
        if not fields:
            raise self.fail("no <cacheFields>/<cacheField> in the pivot cache definition", part)
        return PivotCache(number, part, self._records_part(number, root), tuple(fields))

    def _records_part(self, number: int, root: ET.Element) -> str:
        """The records part the definition's r:id points to, else the same-numbered one."""
        rels = f"xl/pivotCache/_rels/pivotCacheDefinition{number}.xml.rels"
        rid = root.get(f"{{{REL_NS}}}id")
        if rid and rels in self.parts:
            for rel in self._parse(rels):
                if rel.get("Id") == rid and rel.get("Target"):
                    return posixpath.normpath(
                        posixpath.join("xl/pivotCache", rel.get("Target", ""))
                    )
        return f"xl/pivotCache/pivotCacheRecords{number}.xml"

    def find_cache(self, wanted: Mapping[str, Sequence[str]]) -> tuple[PivotCache, list[int]]:
        """The first cache with a field for every role, and those fields' indexes in role order.

        `wanted` maps a role (e.g. "INSAL (inskrivna arbetslösa)") to accepted field names,
        compared case-insensitively.
        """
        reasons = []
        for cache in self.caches:
            names = [n.casefold() for n in cache.names()]
            found = {
                role: next((names.index(a.casefold()) for a in alts if a.casefold() in names), -1)
                for role, alts in wanted.items()
            }
            missing = [role for role, i in found.items() if i < 0]
            if not missing:
                return cache, list(found.values())
            reasons.append(
                f"cache {cache.number} lacks {', '.join(missing)} "
                f"(its fields: {', '.join(cache.names())})"
            )
        expected = "; ".join(f"{role}: {' or '.join(alts)}" for role, alts in wanted.items())
        raise self.fail(
            f"no pivot cache has the expected fields ({expected}); {'; '.join(reasons)}"
        )

    def rows(self, cache: PivotCache, keep: Sequence[int]) -> Iterator[tuple[Value, ...]]:
        """Stream the cache's records as tuples of the `keep` fields' values, in that order."""
        n = len(cache.fields)
        shared = [f.shared for f in cache.fields]
        slots = {field: slot for slot, field in enumerate(keep)}
        part = cache.records
        record: list[Value] | None = None
        number = at = 0
        root: ET.Element | None = None
        declared: str | None = None

        def finish() -> tuple[Value, ...]:
            if at != n:
                raise self.fail(f"record {number} has {at} values; expected {n}, one per field")
            assert record is not None
            return tuple(record)

        try:
            with self._open(part) as stream:
                for _event, elem in ET.iterparse(stream, events=("start",)):
                    kind = TAGS.get(elem.tag)
                    if kind is None:
                        if root is None:
                            root, declared = elem, elem.get("count")
                        elif record is not None:
                            yield finish()  # e.g. <extLst> after the last record
                            record = None
                        continue
                    if kind == "r":
                        if record is not None:
                            yield finish()
                        if root is not None:
                            root.clear()  # the records read so far are done with
                        record, at, number = [None] * len(keep), 0, number + 1
                        continue
                    if record is None:
                        continue
                    if at >= n:
                        raise self.fail(f"record {number} has more than {n} values, one per field")
                    slot = slots.get(at)
                    if slot is not None:
                        record[slot] = self._value(kind, elem.get("v"), shared[at], number, at)
                    at += 1
                if record is not None:
                    yield finish()
        except ET.ParseError as exc:
            raise self.fail(f"not well-formed XML (truncated download?): {exc}", part) from None
        except READ_ERRORS as exc:
            raise self.fail(f"cannot read the part (truncated download?): {exc}", part) from None
        if declared is not None and declared.isdigit() and int(declared) != number:
            raise self.fail(f"{number} records; the part declares count={declared}", part)

    def _value(
        self, kind: str, v: str | None, shared: tuple[Value, ...], number: int, at: int
    ) -> Value:
        if kind == "m":
            return None
        if kind == "x":
            if v is None or not v.isdigit() or int(v) >= len(shared):
                raise self.fail(
                    f"record {number}, field {at + 1}: shared item index {v!r} out of range "
                    f"(the field has {len(shared)} shared items)"
                )
            return shared[int(v)]
        if kind == "n":
            try:
                return float(v or "")
            except ValueError:
                raise self.fail(
                    f"record {number}, field {at + 1}: <n v={v!r}> is not a number"
                ) from None
        return v

    def properties(self) -> tuple[str | None, str | None]:
        """(title, modified) from docProps/core.xml, when the workbook has them."""
        if CORE not in self.parts:
            return None, None
        root = self._parse(CORE)
        title, modified = root.findtext(DC_TITLE), root.findtext(DC_MODIFIED)
        return (title or "").strip() or None, (modified or "").strip() or None
