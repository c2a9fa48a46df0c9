"""Chart specs: validation, round trip, drawing over the snapshot, captions and file names."""

from __future__ import annotations

from pathlib import Path

import pytest

from stats.analysis.indicators import open_scope
from stats.errors import StatsError
from stats.meetings.files import load_meeting
from stats.present.describe import alt_text, chart_table
from stats.present.figures import figure
from stats.present.spec import (
    ChartSpec,
    caption,
    draw,
    file_stem,
    footnotes,
    spec_from_dict,
)
from stats.store.dbfile import open_reader

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
    assert "avskriven 2026-11-27" in text
    assert text.endswith("Bearbetning: Region Jämtland Härjedalen.")
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
    # nothing shown, nothing cited (was the indicator's declared sources)
    assert caption(chart, "23") == "Data saknas."
    assert chart_table(chart).rows == [["Data saknas"]]


# What each chart of the 2024-06-17 seed meeting shows over the embedded snapshot, and so what
# its source line must cite, from data/snapshot/MANIFEST.toml: no JobTech, AF varsel, monthly
# Tillväxtanalys bankruptcies, projection table or imported SNI file is in the snapshot; the
# statistical news hold no Jämtland row; BAS is Region Dalarna's copy (commit 2024-04-18) of
# SCB's table; Regionfakta's page was typed in on 2026-11-27 and Region Halland's 31 December
# populations of every län on 2026-12-01.
MEETING_CAPTIONS = {
    "Nya lediga platser per månad": "Data saknas.",
    "Nya lediga platser, rullande 12 månader": "Data saknas.",
    "Konkurser per månad": "Data saknas.",
    "Personer berörda av varsel per månad": "Data saknas.",
    "Företagskonkurser per 1 000 invånare, länen": (
        "Källa: Tillväxtanalys via Regionfakta, Företagskonkurser – månad (Regionfakta), "
        "avskriven 2026-11-27; SCB via Region Halland, Folkmängd 31 december (BE0101), "
        "avskriven 2026-12-01. Bearbetning: Region Jämtland Härjedalen."
    ),
    "Arbetslöshet 20–64 år": (
        "Källa: SCB via Region Dalarna, Arbetsmarknadsstatus efter region, kön, ålder och "
        "födelseregion, månad (AM0210A ArbStatusM), kopierad 2024-04-18. "
        "Bearbetning: Region Jämtland Härjedalen."
    ),
    "Befolkningsframskrivningar per årgång": "Data saknas.",
    "Andel sysselsatta i cirkulär ekonomi": "Data saknas.",
}


def test_meeting_captions_cite_exactly_what_each_chart_shows(
    snapshot_db: Path, meetings: Path
) -> None:
    meeting = load_meeting(meetings / "2024-06-17.toml")
    scope = open_scope(open_reader(snapshot_db))
    shown = {}
    for spec in meeting.charts:
        chart = draw(scope, spec, home="23")
        shown[chart.title] = caption(chart, home="23")
        if chart.frame.empty:
            assert chart_table(chart).rows == [["Data saknas"]]
    assert shown == MEETING_CAPTIONS


def test_per_1000_bars_rank_all_21_lan(snapshot_db: Path) -> None:
    # 31 December 2020 for every län and riket (derived_folkmangd_lan_riket_2000-2025.csv)
    spec = ChartSpec(
        "jamforelse_per_1000",
        regions=("riket", "lan"),
        filters=(("measure", "konkurser_regionfakta"),),
        kind="bar",
    )
    chart = draw(open_scope(open_reader(snapshot_db)), spec, home="23")
    april = chart.frame[chart.frame["period"] == "2021M04"].set_index("region_code")
    bars = figure(chart).data[0]
    assert len(bars.x) == 22
    # 2021-04: Jämtland 3 / 131 155 × 1 000 = 0,023, 21st of 21; Gotland 5 / 60 124 = 0,083,
    # first; riket 466 / 10 379 295 = 0,045 (by hand from the Regionfakta and population files)
    assert april.loc["23", "value"] == pytest.approx(3 / 131155 * 1000)
    assert (april.loc["23", "rank"], april.loc["09", "rank"]) == (21, 1)
    assert april.loc["09", "value"] == pytest.approx(5 / 60124 * 1000)
    assert april.loc["00", "value"] == pytest.approx(466 / 10379295 * 1000)
    assert not any(n.startswith("Rang saknas") for n in footnotes(chart))


def test_preliminary_bas_values_are_marked(snapshot_db: Path) -> None:
    spec = ChartSpec("arbetsmarknad_lan", filters=(("measure", "arbetsloshet"),))
    chart = draw(open_scope(open_reader(snapshot_db)), spec, home="23")
    assert "Ofyllda punkter är preliminära och kan revideras." in footnotes(chart)
    # BAS 2020-01, Jämtland 5,0 %, as SCB's preliminary monthly figure
    assert chart_table(chart).rows[0][1] == "5,0 (preliminärt)"


def test_self_made_population_sums_say_so(snapshot_db: Path) -> None:
    # TAB6471 gives Jämtland in 11 CKM-noised age groups (aggregallowed: false), no total
    spec = ChartSpec("folkmangd_manad_total", regions=("hemlan", "riket"))
    chart = draw(open_scope(open_reader(snapshot_db)), spec, home="23")
    [note] = [n for n in footnotes(chart) if n.startswith("Beräknat här")]
    assert "Jämtlands län: summa av åldersgrupperna" in note
    assert "Riket: summa av länen" in note
    assert "Cell Key Method (CKM)" in note


def test_unemployment_definition_promises_only_what_the_chart_shows(snapshot_db: Path) -> None:
    spec = ChartSpec("arbetsmarknad_lan", filters=(("measure", "arbetsloshet"),))
    chart = draw(open_scope(open_reader(snapshot_db)), spec, home="23")
    [definition] = [n for n in footnotes(chart) if n.startswith("Definition: ")]
    # the line chart shows neither the employment rate nor ranks
    assert "sysselsättningsgrad" not in definition and "rang" not in definition
    assert "Arbetslösa i procent av arbetskraften, 20–64 år" in definition


def test_an_empty_chart_says_data_saknas_in_figure_csv_and_xlsx(
    snapshot_db: Path, tmp_path: Path
) -> None:
    import openpyxl

    from stats.export.section import Section
    from stats.export.tables_export import csv_text, write_xlsx
    from stats.present.figures import figure

    chart = draw(open_scope(open_reader(snapshot_db), releases=[]), spec_from_dict(KONKURSER), "23")
    layout = figure(chart).to_plotly_json()["layout"]
    # no empty axes to misread, the words instead
    assert layout["xaxis"]["visible"] is False and layout["yaxis"]["visible"] is False
    assert [a["text"] for a in layout["annotations"]] == ["Data saknas"]
    rows = csv_text(chart, "23").splitlines()
    assert len(rows) == 2 and rows[1].split(";")[3] == "Data saknas"
    section = Section(meeting_date="2024-06-17", title="Möte", charts=[chart], home="23")
    book = openpyxl.load_workbook(write_xlsx(section, tmp_path / "a.xlsx"))
    values = [c for row in book.worksheets[-1].iter_rows(values_only=True) for c in row if c]
    assert "Data saknas." in values and "Data saknas" in values
