"""Notes on charts and the dialog's earlier meetings: drawn, tabled, described and exported.

Expected positions come from the snapshot's own periods: SCB's population on 31 December
(folkmangd_31dec_lan) covers 2000–2025, one value per year; Region Dalarna's copy of SCB's BAS
unemployment (arbetsmarknad_lan, measure arbetsloshet) covers 2020-01–2024-01, one per month.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from stats.analysis.indicators import open_scope
from stats.app.charts import mark_meetings
from stats.config import ROOT
from stats.export.from_meeting import meeting_section
from stats.export.tables_export import csv_text, write_xlsx
from stats.meetings.files import load_meeting, meeting_path, save_meeting
from stats.meetings.markers import earlier_meetings, meeting_markers, page_meetings
from stats.present.describe import alt_text, chart_table
from stats.present.figures import figure, line_figure
from stats.present.spec import Chart, ChartNote, ChartSpec, draw, footnotes
from stats.store.dbfile import open_reader

PAGES = ROOT / "src" / "stats" / "app" / "pages"
POPULATION = ChartSpec(
    indicator="befolkning_bas",
    title="Folkmängd 31 december",
    regions=("hemlan",),
    value="population",
    filters=(("population_basis", "31 december samma år"),),
)
UNEMPLOYMENT = ChartSpec(
    indicator="arbetsmarknad_lan",
    title="Arbetslöshet 20–64 år",
    regions=("hemlan",),
    filters=(("measure", "arbetsloshet"),),
)
HOSTILE = "<b>x</b> =1+1 [a](http://x)"


def drawn(db: Path, spec: ChartSpec, meetings: tuple[str, ...] = ()) -> Chart:
    con = open_reader(db)
    scope = open_scope(con, None)
    try:
        return replace(draw(scope, spec, "23"), meetings=meetings)
    finally:
        scope.close()
        con.close()


def categories(fig: Any) -> list[str]:
    """The x categories of a line figure in axis order (the traces share them)."""
    return sorted({str(x) for trace in fig.data for x in trace.x})


def lines_at(fig: Any) -> list[str]:
    """The x category of each vertical line (shapes sit at category indexes)."""
    axis = categories(fig)
    return [axis[int(shape.x0)] for shape in fig.layout.shapes]


def labels(fig: Any) -> dict[str, str]:
    """{label text: x category} of the figure's annotations placed on the x axis."""
    axis = categories(fig)
    return {a.text: axis[int(a.x)] for a in fig.layout.annotations if a.xref == "x"}


def test_a_note_sits_at_its_year_on_a_yearly_chart(snapshot_db: Path) -> None:
    spec = replace(POPULATION, notes=(ChartNote("2020-03", "Pandemin"),))
    fig = figure(drawn(snapshot_db, spec))
    assert categories(fig)[0] == "2000" and categories(fig)[-1] == "2025"
    assert lines_at(fig) == ["2020"]
    assert labels(fig) == {"Pandemin": "2020"}
    [shape] = fig.layout.shapes
    assert shape.line.dash in {"dash", "dot"} and shape.line.width <= 2
    assert shape.yref == "paper" and (shape.y0, shape.y1) == (0, 1)


@pytest.mark.parametrize(
    ("at", "month"),
    [
        pytest.param("2021-03", "2021-03", id="month-at-its-month"),
        pytest.param("2021", "2021-01", id="year-at-its-january"),
        pytest.param("2021-03-15", "2021-03", id="day-at-its-month"),
    ],
)
def test_a_note_sits_at_its_month_on_a_monthly_chart(
    snapshot_db: Path, at: str, month: str
) -> None:
    fig = figure(drawn(snapshot_db, replace(UNEMPLOYMENT, notes=(ChartNote(at, "Ny SNI"),))))
    assert categories(fig)[0] == "2020-01" and categories(fig)[-1] == "2024-01"
    assert lines_at(fig) == [month]
    assert labels(fig) == {"Ny SNI": month}


@pytest.mark.parametrize("at", ["1999", "2026-03", "2019-12-31"])
def test_a_note_outside_the_range_is_left_out(snapshot_db: Path, at: str) -> None:
    chart = drawn(snapshot_db, replace(UNEMPLOYMENT, notes=(ChartNote(at, "Utanför"),)))
    fig = figure(chart)
    assert not fig.layout.shapes
    assert not [a for a in fig.layout.annotations if "Utanför" in str(a.text)]
    assert "Anmärkning" not in chart_table(chart).header
    assert "Utanför" not in alt_text(chart)
    assert not [n for n in footnotes(chart) if "Utanför" in n]


def test_hostile_note_text_is_escaped_in_the_figure(snapshot_db: Path) -> None:
    spec = replace(POPULATION, notes=(ChartNote("2024-02", HOSTILE),))
    fig = figure(drawn(snapshot_db, spec))
    [text] = [a.text for a in fig.layout.annotations if a.xref == "x"]
    assert text == "&lt;b&gt;x&lt;/b&gt; =1+1 [a](http://x)"


def test_table_alt_text_and_footnotes_list_notes_and_meetings(snapshot_db: Path) -> None:
    spec = replace(POPULATION, notes=(ChartNote("2020-03", "Pandemin"),))
    chart = drawn(snapshot_db, spec, meetings=("2024-06-17",))
    table = chart_table(chart)
    assert table.header == ["År", "Anmärkning", "Jämtlands län"]
    rows = {row[0]: row for row in table.rows}
    # SCB: Jämtlands län 131 155 inhabitants on 31 December 2020, 132 839 in 2024
    assert rows["2020"] == ["2020", "2020-03 Pandemin", "131\u00a0155"]
    assert rows["2024"] == ["2024", "Möte 2024-06-17", "132\u00a0839"]
    # a row without a note or meeting leaves the cell empty (read as empty, not "Ingen")
    assert rows["2021"][1] == ""
    assert table.first_value == 2
    expected = "Anmärkningar: 2020-03 Pandemin; Möte 2024-06-17."
    assert alt_text(chart).endswith(" " + expected)
    assert expected in footnotes(chart)
    lines = lines_at(figure(chart))
    assert lines == ["2020", "2024"]
    assert labels(figure(chart)) == {"Pandemin": "2020", "Möte 2024-06-17": "2024"}


def test_close_meetings_share_one_label(snapshot_db: Path) -> None:
    dates = ("2024-06-17", "2024-08-26", "2024-09-23")
    fig = figure(drawn(snapshot_db, POPULATION, meetings=dates))
    assert lines_at(fig) == ["2024"]
    assert labels(fig) == {"3 möten 2024-06-17–2024-09-23": "2024"}
    [shape] = fig.layout.shapes
    assert shape.line.dash == "dot"


def test_a_bar_chart_lists_its_notes_in_the_footnotes(snapshot_db: Path) -> None:
    spec = replace(POPULATION, kind="bar", notes=(ChartNote("2020-03", "Pandemin"),))
    chart = drawn(snapshot_db, spec, meetings=("2024-06-17",))
    fig = figure(chart)
    assert not fig.layout.shapes
    assert "Anmärkningar: 2020-03 Pandemin." in footnotes(chart)
    assert alt_text(chart).endswith(" Anmärkningar: 2020-03 Pandemin.")


def test_a_meeting_marks_only_the_meetings_before_it(meetings: Path) -> None:
    august = load_meeting(meeting_path(meetings, "2024-08-26"))
    assert meeting_markers(august, "23") == ("2024-06-17",)
    assert earlier_meetings("23", "2024-06-17") == ()
    # an ordinary page marks every meeting before today (STATS_TODAY 2026-06-15)
    assert page_meetings("23") == (
        "2024-06-17", "2024-08-26", "2024-09-23", "2024-10-28", "2024-11-25",
    )  # fmt: skip
    # a meeting of another län's dialog is not marked here
    june = load_meeting(meeting_path(meetings, "2024-06-17"))
    save_meeting(meetings, replace(june, date="2024-05-20", region="01"), base_revision=0)
    assert earlier_meetings("23", "2024-08-26") == ("2024-06-17",)
    assert earlier_meetings("01", "2024-08-26") == ("2024-05-20", "2024-06-17")


def august_with_chart(folder: Path, note: ChartNote) -> None:
    august = load_meeting(meeting_path(folder, "2024-08-26"))
    spec = replace(POPULATION, notes=(note,))
    save_meeting(folder, replace(august, charts=(spec,)), base_revision=august.revision, by="E")


def test_exports_carry_notes_and_markers_spreadsheet_safe(
    snapshot_db: Path, meetings: Path, tmp_path: Path
) -> None:
    august_with_chart(meetings, ChartNote("2024-02", "=1+1"))
    con = open_reader(snapshot_db)
    try:
        section = meeting_section(con, load_meeting(meeting_path(meetings, "2024-08-26")), "23")
    finally:
        con.close()
    [chart] = section.charts
    assert chart.meetings == ("2024-06-17",)
    rows = list(csv.reader(io.StringIO(csv_text(chart, "23")), delimiter=";"))
    by_period = {row[2]: row for row in rows[1:]}
    assert by_period["2024"][4] == "2024-02 =1+1; Möte 2024-06-17"
    assert by_period["2023"][4] == "Ingen"
    book = load_workbook(write_xlsx(section, tmp_path / "x.xlsx"))
    sheet = book.worksheets[1]
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Anmärkningar: 2024-02 =1+1; Möte 2024-06-17." in texts
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def test_a_hostile_note_alone_in_a_csv_cell_is_no_formula(snapshot_db: Path) -> None:
    chart = drawn(snapshot_db, replace(POPULATION, notes=(ChartNote("2024", HOSTILE),)))
    text = csv_text(chart, "23")
    assert "2024 <b>x</b> =1+1 [a](http://x)" in text
    for row in csv.reader(io.StringIO(text), delimiter=";"):
        assert not [cell for cell in row if cell.startswith(("=", "+", "@"))]


def test_meeting_page_marks_the_earlier_meeting(snapshot_db: Path, meetings: Path) -> None:
    august_with_chart(meetings, ChartNote("2020-03", HOSTILE))
    at = AppTest.from_file(str(PAGES / "mote.py"), default_timeout=60)
    at.query_params["datum"] = "2024-08-26"
    at.run()
    assert not at.exception
    for switch in at.toggle:
        if switch.label == "Visa som tabell":
            switch.set_value(True)
    at.run()
    [table] = [df.value for df in at.dataframe]
    rows = table.set_index("År")
    assert rows.loc["2024", "Anmärkning"] == "Möte 2024-06-17"
    assert rows.loc["2020", "Anmärkning"] == f"2020-03 {HOSTILE}"
    # only meetings before 2024-08-26: not itself, not the autumn's later ones
    assert not [v for v in table["Anmärkning"] if "2024-08-26" in v or "2024-09-23" in v]
    captions = [c.value for c in at.caption]
    note = next(c for c in captions if c.startswith("Anmärkningar"))
    assert "\\<b\\>" in note and "\\[a\\]" in note and "Möte 2024\\-06\\-17" in note


def test_series_pages_mark_the_meetings_before_today(meetings: Path) -> None:
    rows = pd.DataFrame(
        {"series": "Jämtlands län", "period": [f"2024M{m:02d}" for m in range(1, 13)],
         "value": [float(m) for m in range(1, 13)]}
    )  # fmt: skip
    fig = line_figure(rows, "Test", "antal")
    text = mark_meetings(fig, rows["period"], "23")
    assert text == (
        "Anmärkningar: Möte 2024-06-17; Möte 2024-08-26; Möte 2024-09-23; Möte 2024-10-28; "
        "Möte 2024-11-25."
    )
    assert lines_at(fig) == ["2024-06", "2024-08", "2024-09", "2024-10", "2024-11"]
    # meetings a month apart share a label; two months apart (2024-06, 2024-08) they do not
    assert labels(fig) == {
        "Möte 2024-06-17": "2024-06",
        "4 möten 2024-08-26–2024-11-25": "2024-08",
    }
