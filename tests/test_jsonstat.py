"""Tests for the JSON-stat2 decoder against recorded TAB6471 responses, plus hand-built shapes."""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from stats.errors import DecodeError
from stats.ingest.jsonstat import Dataset, Unit, parse_jsonstat
from tests.fixture_files import load_fixture

DATA = "scb/TAB6471_data.json"
METADATA = "scb/TAB6471_metadata.json"
FRAME_COLUMNS = [
    "Region",
    "Region_label",
    "Alder",
    "Alder_label",
    "Kon",
    "Kon_label",
    "ContentsCode",
    "ContentsCode_label",
    "Tid",
    "Tid_label",
    "value",
    "status",
]


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return parse_jsonstat(load_fixture(DATA))


@pytest.fixture(scope="module")
def frame(dataset: Dataset) -> pd.DataFrame:
    return dataset.to_frame()


def _doc() -> dict[str, Any]:
    return dict(json.loads(load_fixture(DATA)))


def test_frame_first_cells_are_stockholm_0_9_total_by_month(frame: pd.DataFrame) -> None:
    # hand-checked against the raw response: Region 01, Alder 0-9, Kon TotSa, 2026M01..M04
    first = frame.head(4)
    assert first["Region"].tolist() == ["01"] * 4
    assert first["Alder"].tolist() == ["0-9"] * 4
    assert first["Kon"].tolist() == ["TotSa"] * 4
    assert first["Tid"].tolist() == ["2026M01", "2026M02", "2026M03", "2026M04"]
    assert first["value"].tolist() == [245284.0, 247245.0, 249358.0, 251635.0]


def test_frame_shape_and_columns(frame: pd.DataFrame) -> None:
    assert list(frame.columns) == FRAME_COLUMNS
    assert len(frame) == 21 * 11 * 3 * 1 * 4
    assert frame["value"].dtype == np.float64
    assert frame["status"].isna().all()


def test_jamtland_april_total_over_age_groups(frame: pd.DataFrame) -> None:
    rows = frame[
        (frame["Region"] == "23") & (frame["Tid"] == "2026M04") & (frame["Kon"] == "TotSa")
    ]
    assert len(rows) == 11
    assert rows["value"].sum() == 132785


def test_labels_sit_alongside_codes(dataset: Dataset, frame: pd.DataFrame) -> None:
    jamtland = frame[frame["Region"] == "23"]
    assert set(jamtland["Region_label"]) == {"Jämtlands län"}
    region = dataset.dimension("Region")
    assert region.label == "region"
    assert region.labels[region.codes.index("23")] == "Jämtlands län"
    assert set(frame.loc[frame["Kon"] == "2", "Kon_label"]) == {"kvinnor"}


def test_table_metadata_is_kept(dataset: Dataset) -> None:
    assert dataset.updated == "2026-06-08T06:00:00Z"
    assert dataset.table_id == "TAB6471"
    assert dataset.source == "SCB"
    assert dataset.label.startswith("Folkmängden per månad")
    assert dataset.px["infofile"] == "BE0101"
    assert dataset.px["official-statistics"] is True


def test_notes_keep_ckm_first_and_mandatory_flags(dataset: Dataset) -> None:
    assert len(dataset.notes) == 4
    assert "Cell Key Method (CKM)" in dataset.notes[0]
    assert dataset.note_mandatory == (True, True, True, True)


def test_unit_measuring_type_and_contact(dataset: Dataset) -> None:
    assert dataset.units == {"000007SF": Unit(base="antal", decimals=0)}
    assert dataset.measuring_type == {"000007SF": "Stock"}
    assert dataset.contact[0]["name"] == "Statistikservice"
    assert dataset.contact[0]["mail"] == "information@scb.se"


def test_dimension_roles_and_elimination(dataset: Dataset) -> None:
    assert [d.id for d in dataset.dimensions] == ["Region", "Alder", "Kon", "ContentsCode", "Tid"]
    assert dataset.dimension("Tid").role == "time"
    assert dataset.dimension("ContentsCode").role == "metric"
    assert dataset.dimension("Region").role is None
    kon = dataset.dimension("Kon")
    assert kon.elimination is True
    assert kon.elimination_value_code == "TotSa"
    assert dataset.dimension("ContentsCode").extension["refperiod"] == {
        "000007SF": "Respektive månad"
    }


def test_unknown_dimension_raises(dataset: Dataset) -> None:
    with pytest.raises(DecodeError, match=r"no dimension 'Kommun'.*expected one of"):
        dataset.dimension("Kommun")


def test_metadata_body_parses_and_frames_empty() -> None:
    meta = parse_jsonstat(load_fixture(METADATA))
    assert [len(d.codes) for d in meta.dimensions] == [312, 134, 3, 1, 16]
    assert len(meta.values) == 0
    assert meta.dimension("Region").elimination is True
    assert [c["id"] for c in meta.dimension("Region").extension["codelists"]] == [
        "vs_CKM01Riket",
        "vs_CKM02Län",
        "vs_CKM03Kommun",
    ]
    assert "2380" in meta.dimension("Region").codes
    empty = meta.to_frame()
    assert list(empty.columns) == FRAME_COLUMNS
    assert len(empty) == 0


def test_index_as_list_gives_the_same_frame(frame: pd.DataFrame) -> None:
    doc = _doc()
    for dim in doc["dimension"].values():
        index = dim["category"]["index"]
        dim["category"]["index"] = sorted(index, key=index.__getitem__)
    pd.testing.assert_frame_equal(parse_jsonstat(doc).to_frame(), frame)


def test_str_and_bytes_bodies_agree(dataset: Dataset) -> None:
    from_str = parse_jsonstat(load_fixture(DATA).decode("utf-8"))
    np.testing.assert_array_equal(from_str.values, dataset.values)


# hand-built shape tests: tiny inline datasets, not SCB data


def _tiny(**extra: Any) -> dict[str, Any]:
    """A hand-built 2×2 dataset (shape test only): dims A (a1, a2) and B (b1, b2)."""
    return {
        "version": "2.0",
        "class": "dataset",
        "id": ["A", "B"],
        "size": [2, 2],
        "dimension": {
            "A": {"label": "a", "category": {"index": {"a2": 1, "a1": 0}}},
            "B": {"category": {"index": ["b1", "b2"], "label": {"b1": "Bee one"}}},
        },
        "value": [1, None, 3.5, 4],
        **extra,
    }


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        pytest.param("..", {0: "..", 1: "..", 2: "..", 3: ".."}, id="string-applies-to-all"),
        pytest.param(["..", None, ".", "-"], {0: "..", 2: ".", 3: "-"}, id="list-per-cell"),
        pytest.param(["."], {0: ".", 1: ".", 2: ".", 3: "."}, id="list-of-one-applies-to-all"),
        pytest.param({"1": ".."}, {1: ".."}, id="object-index-to-symbol"),
    ],
)
def test_status_forms(status: Any, expected: dict[int, str]) -> None:
    ds = parse_jsonstat(_tiny(status=status))
    assert dict(ds.status) == expected
    frame_status = ds.to_frame()["status"].tolist()
    assert frame_status == [expected.get(i) for i in range(4)]


def test_hand_built_layout_nulls_and_label_fallback() -> None:
    frame = parse_jsonstat(_tiny()).to_frame()
    assert frame["A"].tolist() == ["a1", "a1", "a2", "a2"]
    assert frame["B"].tolist() == ["b1", "b2", "b1", "b2"]
    # no category.label: the label falls back to the code
    assert frame["A_label"].tolist() == ["a1", "a1", "a2", "a2"]
    assert frame["B_label"].tolist() == ["Bee one", "b2", "Bee one", "b2"]
    values = frame["value"].tolist()
    assert values[0] == 1.0 and math.isnan(values[1]) and values[2:] == [3.5, 4.0]


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda doc: doc.__setitem__(key, value)


def _drop(key: str) -> Callable[[dict[str, Any]], None]:
    return lambda doc: doc.pop(key)


def _set_value_cell(pos: int, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda doc: doc["value"].__setitem__(pos, value)


def _set_index(dim: str, index: Any) -> Callable[[dict[str, Any]], None]:
    return lambda doc: doc["dimension"][dim]["category"].__setitem__("index", index)


REJECTED_DOCS = [
    pytest.param(_set("class", "collection"), "expected 'dataset'", id="class-not-dataset"),
    pytest.param(_drop("class"), "class is None", id="class-missing"),
    pytest.param(_drop("id"), "no 'id'", id="id-missing"),
    pytest.param(_drop("size"), "no 'size'", id="size-missing"),
    pytest.param(_drop("dimension"), "no 'dimension'", id="dimension-missing"),
    pytest.param(
        _set("size", [21, 11, 3, 4]), "'id' has 5 entries but 'size' has 4", id="id-size-lengths"
    ),
    pytest.param(
        lambda doc: doc["dimension"].pop("Kon"),
        "dimension 'Kon' is listed in 'id' but missing",
        id="dimension-listed-but-absent",
    ),
    pytest.param(
        _set("size", [22, 11, 3, 1, 4]),
        "dimension 'Region' has 21 categories but size says 22",
        id="category-count-vs-size",
    ),
    pytest.param(
        lambda doc: doc["value"].pop(),
        "'value' has 2771 cells but the product of 'size' is 2772",
        id="value-count-vs-size",
    ),
    pytest.param(
        _set_index("Kon", "TotSa"),
        "dimension 'Kon': category.index is str; expected an object",
        id="index-neither-list-nor-object",
    ),
    pytest.param(
        _set_index("Kon", {"TotSa": 0, "1": 1, "2": 5}),
        "dimension 'Kon': category.index positions are not 0..2",
        id="index-positions-gap",
    ),
    pytest.param(
        _set_index("Kon", ["TotSa", "1", "1"]),
        "dimension 'Kon': category codes repeat",
        id="index-list-duplicate-codes",
    ),
    pytest.param(
        _set_value_cell(5, "126402"),
        "value at cell 5 is '126402'; expected a number or null",
        id="value-is-string",
    ),
    pytest.param(
        _set_value_cell(7, True),
        "value at cell 7 is True; expected a number or null",
        id="value-is-bool",
    ),
    pytest.param(
        _set("status", [".."] * 3),
        "'status' has 3 entries; expected 2772 or 1",
        id="status-list-length",
    ),
]


@pytest.mark.parametrize(("mutate", "message"), REJECTED_DOCS)
def test_rejects_malformed_dataset(mutate: Callable[[dict[str, Any]], None], message: str) -> None:
    doc = copy.deepcopy(_doc())
    mutate(doc)
    with pytest.raises(DecodeError) as err:
        parse_jsonstat(doc)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(load_fixture(DATA)[:5000], "invalid JSON", id="truncated-real-body"),
        pytest.param(b"<html>502 Bad Gateway</html>", "invalid JSON", id="html-not-json"),
        pytest.param("", "invalid JSON", id="empty-body"),
        pytest.param(b"[1, 2]", "JSON top level is list", id="array-not-object"),
        pytest.param(b"\xff\xfe\xff", "expected JSON", id="not-utf8"),
    ],
)
def test_rejects_invalid_json(body: bytes | str, message: str) -> None:
    with pytest.raises(DecodeError, match=message):
        parse_jsonstat(body)
