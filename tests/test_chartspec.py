"""Chart specs: validation, round trip, drawing over the snapshot, captions and file names."""

from __future__ import annotations

from pathlib import Path

import pytest

from stats.analysis.indicators import open_scope
from stats.errors import StatsError
from stats.present.describe import alt_text
from stats.present.figures import figure
from stats.present.spec import (
    ChartSpec,
    caption,
    draw,
    file_stem,
    footnotes,
    spec_from_dict,
)
from stats.store.write import open_reader

KONKURSER = {
    "indicator": "manadsforandring",
    "title": "Företagskonkurser per månad",
    "filters": {"measure": "konkurser_regionfakta"},
    "regions": ["hemlan", "grannlan"],
}


def test_spec_round_trips_through_plain_data() -> None:
    spec = spec_from_dict(KONKURSER)
    assert spec.filters == (("measure", "konkurser_regionfakta"),)
    assert spec_from_dict(spec.to_dict()) == spec
    assert "kind" not in spec.to_dict()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"indicator": "nope"}, "chart.indicator: unknown indicator 'nope'"),
        ({"indicator": "manadsforandring", "value": "x"}, "chart.value: 'x' is not a column"),
        ({"indicator": "manadsforandring", "kind": "pie"}, "chart.kind: must be one of"),
        ({"indicator": "manadsforandring", "colour": "red"}, "chart: unknown keys ['colour']"),
        ({"indicator": "manadsforandring", "regions": ["atlantis"]}, "unknown region 'atlantis'"),
    ],
)
def test_bad_spec_names_the_key(raw: dict[str, object], message: str) -> None:
    with pytest.raises(StatsError) as info:
        spec_from_dict(raw)
    assert message in str(info.value)


def test_draw_monthly_bankruptcies_for_home_and_neighbours(snapshot_db: Path) -> None:
    chart = draw(open_scope(open_reader(snapshot_db)), spec_from_dict(KONKURSER), home="23")
    assert list(dict.fromkeys(chart.frame["series"]))[:2] == ["Jämtlands län", "Dalarnas län"]
    jamtland = chart.frame[chart.frame["region_code"] == "23"]
    assert jamtland["value"].tolist() == [7.0, 7.0, 11.0, 3.0]
    text = caption(chart, home="23")
    assert text.startswith("Källa: Tillväxtanalys via Regionfakta, Företagskonkurser – månad")
    assert "hämtad 2026-11-27" in text and text.endswith("Bearbetning: Region Jämtland Härjedalen.")
    fig = figure(chart)
    assert fig.layout.separators == ", "
    # one alt text for app and exports (was "Jämtlands län: 2021-01 7, 2021-04 3")
    assert "Jämtlands län från 7 (2021-01) till 3 (2021-04)" in alt_text(chart)
    assert any(n.startswith("Definition: ") for n in footnotes(chart))
    assert file_stem("2024-06-17", chart, home="23") == (
        "2024-06-17_foretagskonkurser-per-manad_jamtland"
    )


def test_value_column_and_split_by_another_column(snapshot_db: Path) -> None:
    spec = ChartSpec(
        indicator="prognos_mot_utfall",
        regions=("lan",),
        filters=(("source_kind", "statistiknyhet"),),
        split="vintage",
        kind="bar",
    )
    chart = draw(open_scope(open_reader(snapshot_db)), spec, home="23")
    assert "2021, Stockholms län" in set(chart.frame["series"])
    assert caption(chart, home="23").startswith("Källa: SCB, Befolkningsframskrivningar")


def test_pinned_scope_draws_nothing_from_unpinned_series(snapshot_db: Path) -> None:
    chart = draw(open_scope(open_reader(snapshot_db), releases=[]), spec_from_dict(KONKURSER), "23")
    assert chart.frame.empty and chart.metas == []
    assert caption(chart, "23").startswith("Källa: Arbetsförmedlingen, Tillväxtanalys")
