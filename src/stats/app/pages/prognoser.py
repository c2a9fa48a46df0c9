"""Befolkningsframskrivningar: every projection vintage against the outcome, per region."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from stats.analysis.projections import OUTCOME, label_vintages, passed_years, vintage_differences
from stats.app.charts import load_chart, show_drawn, show_source, with_frame
from stats.app.db import Db, load_series_with_data, reading
from stats.app.declared import declared_owners, missing_text, no_data, series_missing
from stats.app.page import page
from stats.app.tables import cell, show_table
from stats.catalog.load import load_catalog
from stats.fmt import format_number, format_percent
from stats.present.citation import source_caption
from stats.present.describe import NO_VALUE
from stats.present.spec import Chart, ChartSpec
from stats.regions import Regions, load_regions
from stats.store.read import series_codes, series_frame, series_meta

PRINTED = "befolkningsprognos_statistiknyheter"
# SCB's projection tables, fetched online; without them only the printed news figures exist
TABLES = ("befolkningsprognos", "befolkningsprognos_2021", "befolkningsprognos_2022")
HORIZONS = ("2030", "2035", "2040")
# the 31 December populations the outcome comes from (SCB online, else the embedded copies)
OUTCOME_SERIES = {"folkmangd_ar", "folkmangd_31dec_lan", "folkmangd_31dec_jamtland_kommuner"}
REGION_KEY = "prognos_region"
INSTEAD_KEY = "prognos_i_stallet"
LEAD = (
    "Varje sparad årgång av SCB:s befolkningsframskrivning bredvid den faktiska folkmängden, "
    "skillnaden mellan årgångarna vid valda år och hur väl de har träffat hittills."
)
SPEC = ChartSpec(
    "prognos_mot_utfall",
    regions=("riket", "lan", "kommuner"),
    split="vintage",
    unit="personer",
    decimals=0,
)


@st.cache_data(max_entries=4, show_spinner=False)
def load_printed_change(
    db_path: str, signature: tuple[int, int], home: str
) -> tuple[pd.DataFrame, dict[str, Any] | None]:
    """Population change to the horizon as SCB printed it, per vintage, region and measure."""
    with reading(db_path, signature) as con:
        meta = series_meta(con, PRINTED, home=home)
        if meta is None:
            return pd.DataFrame(), None
        regions, codes = series_codes(con, PRINTED, home=home)
        parts = [
            series_frame(con, PRINTED, regions, {"vintage": v, "measure": m}, home=home).assign(
                vintage=v, measure=m
            )
            for v in codes.get("vintage", [])
            for m in ("forandring_antal", "forandring_procent")
        ]
        return pd.concat(parts, ignore_index=True), meta


def differences_table(projections: pd.DataFrame, years: list[str]) -> pd.DataFrame:
    """Each vintage at the chosen years against the newest vintage with a value that year."""
    rows = vintage_differences(projections, years)
    return pd.DataFrame(
        {
            "Framskrivning": rows["series"],
            "År": rows["year"],
            "Framskriven folkmängd": [format_number(v) for v in rows["value"]],
            "Jämförs med": [
                "Senaste framskrivningen" if newest else name
                for newest, name in zip(rows["is_newest"], rows["newest"], strict=True)
            ],
            "Skillnad, senaste minus denna": [
                "0" if newest else format_number(gap, signed=True)
                for newest, gap in zip(rows["is_newest"], rows["gap"], strict=True)
            ],
            "Skillnad, procent": [format_percent(p, 1, signed=True) for p in rows["gap_pct"]],
        }
    )


def accuracy_table(projections: pd.DataFrame) -> pd.DataFrame:
    """Projected minus actual for the years that have an outcome."""
    passed = passed_years(projections)
    return pd.DataFrame(
        {
            "Framskrivning": passed["series"],
            "År": passed["period"],
            "Framskriven folkmängd": [format_number(v) for v in passed["value"]],
            "Utfall": [format_number(v) for v in passed["actual"]],
            "Framskriven minus utfall": [
                format_number(v, signed=True) for v in passed["difference"]
            ],
            "Skillnad, procent": [
                cell(v, format_percent(v, 1, signed=True)) for v in passed["difference_pct"]
            ],
        }
    )


def printed_cell(row: pd.Series | None, as_percent: bool) -> str:
    """A printed change as signed text, its status symbol when SCB left it out, or missing."""
    if row is None:
        return NO_VALUE
    if pd.isna(row["value"]):
        return str(row["status"] or NO_VALUE)
    if as_percent:
        return format_percent(row["value"], 1, signed=True)
    return format_number(row["value"], signed=True)


def printed_table(printed: pd.DataFrame, region: str) -> pd.DataFrame:
    """SCB's printed change to the horizon per vintage: persons and per cent, or its symbol."""
    mine = printed[printed["region_code"] == region]
    out = []
    for (vintage, period), part in mine.groupby(["vintage", "period"]):
        by = {r["measure"]: r for _, r in part.iterrows()}
        out.append(
            {
                "Framskrivning": f"Framskrivning {vintage}",
                "Till år": period,
                "Förändring, personer": printed_cell(by.get("forandring_antal"), False),
                "Förändring, procent": printed_cell(by.get("forandring_procent"), True),
            }
        )
    return pd.DataFrame(out)


def _show_instead() -> None:
    st.session_state[REGION_KEY] = st.session_state[INSTEAD_KEY]
    st.session_state[INSTEAD_KEY] = None


def pick_region(regions: Regions, home: str, have: set[str]) -> str:
    """The home län and its kommuner first, then every other region that has data."""
    everything = [regions.riket_code, *regions.lan_codes]
    everything += [k for lan in regions.lan_codes for k in regions.kommuner[lan]]
    own = [home, *regions.kommuner[home]]
    options = own + [c for c in everything if c in have and c not in own]

    def label(code: str) -> str:
        return regions.name(code) + ("" if code in have else " (ingen framskrivning sparad)")

    return str(st.selectbox("Region", options, format_func=label, key=REGION_KEY))


def show_missing_region(regions: Regions, region: str, have: set[str], db: Db, home: str) -> None:
    """Say that the region has no projection, offer the regions that do, name missing series."""
    st.info(
        f"Det finns ingen befolkningsframskrivning för {regions.name(region)} i databasen. "
        "De sparade statistiknyheterna från SCB redovisar bara en del av länen."
    )
    st.selectbox(
        "Visa i stället ett område som har framskrivningar",
        sorted(have, key=lambda c: (c != regions.riket_code, c)),
        index=None,
        format_func=regions.name,
        key=INSTEAD_KEY,
        on_change=_show_instead,
        placeholder="Välj område",
    )
    available = load_series_with_data(*db, home)
    catalog = load_catalog()
    missing = [s for s in TABLES if s not in available]
    if missing:
        st.caption("Årgångar som saknas; hämta dem med `stats refresh --series <id>`:")
    for series_id in missing:
        st.caption(f"{series_id}: {series_missing(catalog.series[series_id], db, home)}")
    printed = catalog.series[PRINTED]
    if region == home and declared_owners(printed, home):
        st.caption(missing_text(printed, home=home))
    show_outcome(db, region, regions.name(region), home)


def show_outcome(db: Db, region: str, name: str, home: str) -> None:
    """The outcome alone, for a region without projections: population on 31 December."""
    spec = ChartSpec(
        "befolkning_bas",
        title=f"Folkmängd 31 december (utfall), {name}",
        regions=(region,),
        filters=(("population_basis", "31 december samma år"),),
        value="population",
        unit="personer",
        decimals=0,
    )
    chart = load_chart(*db, spec, home)
    if not chart.frame.empty:
        st.header("Utfall")
        show_drawn(chart, home)


def show_region(chart: Chart, rows: pd.DataFrame, name: str, home: str, db: Db) -> None:
    """Chart of vintages and outcome, differences at the chosen years and accuracy so far."""
    named = label_vintages(rows)
    projections = named[named["series"] != OUTCOME]
    has_outcome = len(projections) < len(named)
    title = f"Befolkningsframskrivningar{' och utfall' if has_outcome else ''}, {name}"
    show_drawn(with_frame(chart, named, title=title), home)
    years = sorted(rows["period"].unique())
    st.header("Skillnad mellan framskrivningarna")
    horizons = st.multiselect(
        "År att jämföra",
        years,
        default=[y for y in HORIZONS if y in years] or years[-1:],
        key="prognos_horisonter",
    )
    table = differences_table(projections, sorted(horizons))
    if table.empty:
        st.info("Välj minst ett år.")
    else:
        show_table(table, numeric=[c for c in table.columns[2:] if c != "Jämförs med"])
        st.caption(
            "Positiv skillnad: den senaste framskrivningen räknar med fler invånare det året."
        )
    st.header("Träffsäkerhet hittills")
    passed = accuracy_table(projections)
    if not passed.empty:
        show_table(passed, numeric=list(passed.columns[2:]))
    elif not OUTCOME_SERIES & set(load_series_with_data(*db, home)):
        outcome = load_catalog().series["folkmangd_ar"]
        st.info(f"Utfallet saknas: {series_missing(outcome, db, home)}")
    else:
        st.info("Inget av de framskrivna åren har passerat ännu, så det finns inget utfall.")


def show_printed(
    printed: pd.DataFrame, meta: dict[str, Any] | None, region: str, home: str
) -> None:
    """SCB's printed change to the horizon for the region, when the news gave one."""
    mine = printed_table(printed, region) if meta else pd.DataFrame()
    if meta is not None and not mine.empty:
        st.header("Framskriven befolkningsförändring enligt SCB:s statistiknyheter")
        show_table(mine, numeric=["Förändring, personer", "Förändring, procent"])
        show_source(source_caption(meta, home=home))


def render() -> None:
    """The whole page; returns early with a message when there is nothing to show."""
    with page("Befolkningsframskrivningar", LEAD) as ctx:
        db, home = ctx.db, ctx.home
        if db is None or not load_series_with_data(*db, home):
            st.info(no_data(home))
            return
        regions = load_regions()
        chart = load_chart(*db, SPEC, home)
        printed, meta = load_printed_change(*db, home)
        have = set(chart.frame["region_code"])
        have |= set(printed.dropna(subset=["value"])["region_code"]) if meta else set()
        region = pick_region(regions, home, have)
        rows = chart.frame[chart.frame["region_code"] == region]
        if region not in have:
            show_missing_region(regions, region, have, db, home)
            return
        if rows.empty:
            st.info(f"Ingen framskriven folkmängd för {regions.name(region)} i databasen.")
        else:
            show_region(chart, rows, regions.name(region), home, db)
        show_printed(printed, meta, region, home)


render()
