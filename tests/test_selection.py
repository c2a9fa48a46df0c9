"""Default selections of a series view: region order, total codes, the unit shown."""

from __future__ import annotations

import pytest

from stats.analysis.selection import default_code, narrow_unit, region_order, swedish_key
from stats.analysis.totals import is_total, total_code
from stats.regions import load_regions


@pytest.mark.parametrize(
    ("code", "label"),
    [("TotSa", ""), ("TotSA", ""), ("tot", ""), ("Summa", ""), ("SAMTLIGA", ""), ("1+2", ""),
     ("3", "Totalt"), ("4", "båda könen"), ("A", "Alla åldrar")],
)  # fmt: skip
def test_totals_by_code_or_label(code: str, label: str) -> None:
    assert is_total(code, label)


@pytest.mark.parametrize(("code", "label"), [("1", "män"), ("2", "kvinnor"), ("12", "12 år")])
def test_not_totals(code: str, label: str) -> None:
    assert not is_total(code, label)


def test_total_code_is_the_first_total_by_code_or_label() -> None:
    # BAS's Kon dimension: 1 män, 2 kvinnor, then the total of both sexes
    assert total_code(["1", "2", "1+2"], {"1": "män", "2": "kvinnor"}) == "1+2"
    assert total_code(["1", "2", "9"], {"9": "Totalt"}) == "9"
    assert total_code(["1", "2"], {}) is None


def test_default_code_is_the_newest_vintage_or_the_total() -> None:
    assert default_code("vintage", ["2021", "2022", "2025"], {}) == 2
    assert default_code("Kon", ["1", "2", "TotSa"], {}) == 2
    assert default_code("Kon", ["1", "2", "1+2"], {}) == 2
    assert default_code("Alder", ["16-24", "25-64"], {}) == 0


def test_region_order_puts_home_and_neighbours_first() -> None:
    regions = load_regions()
    names = {"2380": "Östersund", "0180": "Stockholm", "23": "Jämtlands län", "00": "Riket"}
    codes = ["0180", "23", "2380", "22", "00", "01"]
    # Riket, Jämtland, Östersund, grannlänet Västernorrland (22), then Stockholms län,
    # then the rest by Swedish name
    assert region_order(codes, regions, "23", names) == ["00", "23", "2380", "22", "01", "0180"]


def test_swedish_key_puts_a_ring_after_z() -> None:
    assert sorted(["Örebro", "Åre", "Ängel", "Zeta"], key=swedish_key) == [
        "Zeta",
        "Åre",
        "Ängel",
        "Örebro",
    ]


@pytest.mark.parametrize(
    ("texts", "unit"),
    [
        (["forandring_procent"], "procent"),
        (["andel_pct"], "procent"),
        (["forandring_antal", "Förändring, antal"], "personer"),
        (["platser"], "platser"),
    ],
)
def test_narrow_unit_names_one_part(texts: list[str], unit: str) -> None:
    catalog_unit = (
        "annonser respektive platser" if unit == "platser" else ("personer respektive procent")
    )
    assert narrow_unit(catalog_unit, texts) == unit


def test_narrow_unit_keeps_a_single_unit() -> None:
    assert narrow_unit("personer", ["procent"]) == "personer"
