"""Arbetsmarknad och företag: monthly changes, per 1 000 inhabitants and rank, labour, BRP."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd
import streamlit as st

from stats.analysis.indicators import load_indicators
from stats.analysis.monthly import compare_month
from stats.app.charts import load_chart, show_drawn, with_frame
from stats.app.common import rank_text, show_ranked_bars
from stats.app.db import Db, load_series_with_data
from stats.app.declared import declared_owners, no_data, series_missing
from stats.app.page import page
from stats.app.tables import cell, show_static_table
from stats.catalog.load import load_catalog
from stats.fmt import format_number, format_percent, format_period
from stats.present.describe import PRELIMINARY
from stats.present.spec import Chart, ChartSpec
from stats.regions import load_regions

# measure → (label, unit) for the counts of manadsforandring
MEASURES = {
    "nya_platser": ("Nya lediga platser", "platser"),
    "nya_annonser": ("Nya annonser", "annonser"),
    "varsel": ("Varsel om uppsägning", "personer"),
    "konkurser": ("Företagskonkurser", "företag"),
    "anstallda_konkurser": ("Anställda berörda av konkurser", "personer"),
    "konkurser_regionfakta": ("Företagskonkurser (Regionfakta)", "företag"),
}
RATES = {
    "arbetsloshet": "Arbetslöshet 20–64 år",
    "arbetsloshet_bas": "Arbetslöshet 20–64 år (BAS per månad)",
    "sysselsattningsgrad": "Sysselsättningsgrad 20–64 år",
}
# the population series jamforelse_per_1000 divides by, by its population_basis
MONTH_POPULATION = "folkmangd_manad"
YEAR_END_POPULATION = {
    "folkmangd_ar",
    "folkmangd_31dec_lan",
    "folkmangd_31dec_jamtland_kommuner",
    "folkmangd_kommun_2020",
}
VIEWS = {"value": "Månadsvärde", "rolling_12": "Rullande 12 månader"}
LEAD = (
    "Månadstal för lediga platser, varsel och konkurser med förändring mot föregående "
    "månad och samma månad året innan, jämförelse per 1 000 invånare med länets plats "
    "bland de 21 länen, arbetslöshet per län och BRP."
)


def change_table(row: pd.Series, unit: str) -> pd.DataFrame:
    """The chosen month against the previous month, the same month a year earlier and 12 months."""
    period = str(row["period"])
    rolling, rolling_ago = row["rolling_12"], row["rolling_12_year_ago"]
    compared = compare_month(period, rolling, rolling_ago)
    previous, year_ago = format_period(compared.previous), format_period(compared.year_ago)
    window = "–".join(format_period(p) for p in compared.window)
    window_ago = "–".join(format_period(p) for p in compared.window_ago)
    value = cell(row["value"], format_number(row["value"]))
    if pd.notna(row["preliminary"]) and bool(row["preliminary"]):
        value += f" ({PRELIMINARY})"

    def number(x: Any, signed: bool = False) -> str:
        return cell(x, format_number(x, signed=signed))

    def pct(x: Any) -> str:
        return cell(x, format_percent(x, 1, signed=True))

    rows = [
        (f"Antal {format_period(period)}, {unit}", value),
        (f"Föregående månad ({previous})", number(row["previous"])),
        (f"Förändring mot {previous}, antal", number(row["change"], True)),
        (f"Förändring mot {previous}, procent", pct(row["change_pct"])),
        (f"Samma månad året innan ({year_ago})", number(row["year_ago"])),
        (f"Förändring mot {year_ago}, antal", number(row["change_year"], True)),
        (f"Förändring mot {year_ago}, procent", pct(row["change_year_pct"])),
        (f"Rullande 12 månader ({window})", number(rolling)),
        (f"Rullande 12 månader året innan ({window_ago})", number(rolling_ago)),
        ("Förändring, rullande 12 månader, antal", number(compared.rolling_change, True)),
        ("Förändring, rullande 12 månader, procent", pct(compared.rolling_pct)),
    ]
    return pd.DataFrame(rows, columns=["Uppgift", "Värde"])


MOST = "plats 1 = flest per invånare"


def cite_population_used(chart: Chart, rows: pd.DataFrame) -> Chart:
    """The chart citing only the population series behind these rows' `population_basis`."""
    bases = set(rows["population_basis"].dropna())
    unused = set() if "samma månad" in bases else {MONTH_POPULATION}
    if not any(b.startswith("31 december") for b in bases):
        unused |= YEAR_END_POPULATION
    return replace(chart, metas=[m for m in chart.metas if m["series_id"] not in unused])


def show_per_1000(db: Db, home: str, measure: str, period: str) -> None:
    """The month per 1 000 inhabitants: the home län's rate, rank and population, then bars."""
    label = MEASURES[measure][0]
    spec = ChartSpec(
        "jamforelse_per_1000",
        title=f"{label} per 1 000 invånare",
        filters=(("measure", measure),),
        regions=("riket", "lan", "hemlan_kommuner"),
        unit="per 1 000 invånare",
    )
    chart = load_chart(*db, spec, home)
    month = chart.frame[chart.frame["period"] == period]
    if month.empty:
        return
    chart = cite_population_used(chart, month)
    st.markdown(f"### Per 1 000 invånare, {format_period(period)}")
    rated = month.dropna(subset=["value"])
    # monthly counts per 1 000 inhabitants are small: three decimals keep them apart
    decimals = 3 if rated.empty or rated["value"].max() < 1 else 1
    regions = load_regions()
    lan = rated[rated["region_code"].isin(regions.lan_codes)]
    own = month[month["region_code"] == home]
    mine = None if own.empty else own.iloc[0]
    if mine is None or pd.isna(mine["value"]):
        st.info(
            f"Folkmängd saknas för {regions.name(home)} för {format_period(period)}, så antalet "
            "per 1 000 invånare kan inte räknas ännu — kör `stats refresh`."
        )
    else:
        st.markdown(
            f"**{regions.name(home)}: {format_number(mine['value'], decimals)} per 1 000 "
            f"invånare**, {rank_text(mine['rank'], len(lan), legend=MOST)}. "
            f"Befolkning {format_number(mine['population'])} invånare "
            f"({mine['population_basis']})."
        )
    if len(lan) < len(regions.lan_codes):
        st.caption(
            f"Folkmängden finns i databasen för {len(lan)} av {len(regions.lan_codes)} län; "
            "övriga län och riket jämförs när folkmängden har hämtats (kör `stats refresh`)."
        )
    kommuner = set(regions.kommuner[home])
    is_kommun = month["region_code"].isin(kommuner)
    show_ranked_bars(with_frame(chart, month[~is_kommun], decimals=decimals), home)
    if rated["region_code"].isin(kommuner).any():
        title = f"{label} per 1 000 invånare, kommunerna i {regions.name(home)}"
        show_ranked_bars(with_frame(chart, month[is_kommun], decimals=decimals, title=title), home)


def show_measure(db: Db, home: str, measure: str) -> None:
    """One monthly count: change table, chart (value or rolling 12) and per 1 000 comparison."""
    label, unit = MEASURES[measure]
    base = ChartSpec(
        "manadsforandring",
        title=f"{label}, {load_regions().name(home)}",
        filters=(("measure", measure),),
        regions=("hemlan",),
        unit=unit,
        decimals=0,
    )
    rows = load_chart(*db, base, home).frame
    periods = sorted(rows["period"], reverse=True)
    period = str(st.selectbox("Månad", periods, format_func=format_period, key=f"{measure}_manad"))
    left, right = st.columns(2, gap="large")
    with left:
        show_static_table(change_table(rows[rows["period"] == period].iloc[0], unit), ["Värde"])
    with right:
        view = "value"
        if rows["rolling_12"].notna().any():
            picked = st.radio(
                "Visa",
                list(VIEWS),
                format_func=VIEWS.__getitem__,
                horizontal=True,
                key=f"{measure}_vy",
            )
            view = str(picked)
        else:
            st.caption(
                f"Rullande 12-månaderssummor visas när serien har 12 månader i följd "
                f"(nu {len(periods)} månader)."
            )
        title = base.title if view == "value" else f"{base.title}, rullande 12 månader"
        show_drawn(load_chart(*db, replace(base, value=view, title=title), home), home)
    if measure in {i.measure for i in load_indicators()["jamforelse_per_1000"].inputs}:
        show_per_1000(db, home, measure, period)


def show_changes(db: Db, home: str, available: set[str]) -> None:
    """One tab per monthly count with data for the home län; the others named as missing."""
    st.header("Månadsförändring")
    frame = load_chart(*db, ChartSpec("manadsforandring", regions=("hemlan",)), home).frame
    present = [m for m in MEASURES if m in set(frame["measure"])]
    for tab, measure in zip(st.tabs([MEASURES[m][0] for m in present]), present, strict=True):
        with tab:
            show_measure(db, home, measure)
    catalog = load_catalog()
    for item in load_indicators()["manadsforandring"].inputs:
        if item.measure in present:
            continue
        series = catalog.series[item.series]
        if item.series in available and not declared_owners(series, home):
            name = load_regions().name(home)
            st.caption(f"{MEASURES[item.measure][0]}: inga uppgifter för {name} i {series.title}.")
        else:
            st.caption(f"{MEASURES[item.measure][0]}: {series_missing(series, db, home)}")


def show_rates(db: Db, home: str) -> None:
    """Unemployment (and the employment rate when present): home län, riket, grannlän, rank."""
    st.header("Arbetsmarknad per län")
    regions = load_regions()
    chart = load_chart(*db, ChartSpec("arbetsmarknad_lan", regions=("riket", "lan")), home)
    if chart.frame.empty:
        for item in chart.indicator.inputs:
            st.info(series_missing(load_catalog().series[item.series], db, home))
        return
    for measure in dict.fromkeys(chart.frame["measure"]):
        label = RATES.get(measure, measure.replace("_", " ").capitalize())
        rows = chart.frame[(chart.frame["measure"] == measure) & chart.frame["value"].notna()]
        mine = rows[rows["region_code"] == home]
        if mine.empty:
            st.info(f"{label}: inga uppgifter för {regions.name(home)}.")
            continue
        latest = mine.iloc[-1]
        period = format_period(str(latest["period"]))
        st.subheader(f"{label}, {period}")
        columns = st.columns(3)
        difference = format_number(latest["diff_riket"], 1, signed=True)
        columns[0].metric(
            regions.name(home),
            format_percent(latest["value"], 1),
            delta=cell(latest["diff_riket"], f"{difference} procentenheter mot riket"),
            delta_color="off",
            delta_arrow="off",
            border=True,
        )
        riket = cell(latest["riket"], format_percent(latest["riket"], 1))
        columns[1].metric("Riket", riket, border=True)
        columns[2].metric(
            "Plats bland länen (1 = högst)",
            rank_text(latest["rank"], int(latest["n_lan"] or 0)).capitalize(),
            border=True,
        )
        near = [home, regions.riket_code, *regions.neighbours[home]]
        chosen = st.multiselect(
            "Regioner i diagrammet",
            [regions.riket_code, *regions.lan_codes],
            default=near,
            format_func=regions.name,
            key=f"{measure}_regioner",
        )
        spec = ChartSpec(
            "arbetsmarknad_lan",
            title=f"{label}, per månad",
            filters=(("measure", measure),),
            regions=tuple(chosen) or (home,),
            unit="procent",
            decimals=1,
        )
        show_drawn(load_chart(*db, spec, home), home)
        month = rows[rows["period"] == latest["period"]]
        bars = with_frame(chart, month, title=f"{label} per län", unit="procent", decimals=1)
        show_ranked_bars(bars, home)
    if "sysselsattningsgrad" not in set(chart.frame["measure"]):
        series = load_catalog().series["arbetsmarknadsstatus_manad"]
        st.info(f"Sysselsättningsgrad: {series_missing(series, db, home)}")


def show_brp(db: Db, home: str, available: set[str]) -> None:
    """BRP per län: the chosen content for the home län and riket, and all län the latest year."""
    st.header("Bruttoregionprodukt (BRP) per län")
    if "brp_lan" not in available:
        st.info(series_missing(load_catalog().series["brp_lan"], db, home))
        return
    chart = load_chart(*db, ChartSpec("brp_lan", regions=("riket", "lan")), home)
    labels = dict(zip(chart.frame["contents"], chart.frame["contents_label"], strict=True))
    contents = str(st.selectbox("Tabellinnehåll", list(labels), format_func=lambda c: labels[c]))
    rows = chart.frame[(chart.frame["contents"] == contents) & chart.frame["value"].notna()]
    title = labels[contents]
    spec = ChartSpec(
        "brp_lan",
        title=title,
        filters=(("contents", contents),),
        regions=("hemlan", "riket"),
        unit=title,
        decimals=1,
    )
    show_drawn(load_chart(*db, spec, home), home)
    if not rows.empty:
        latest = rows[rows["period"] == rows["period"].max()]
        show_ranked_bars(with_frame(chart, latest, title=title, unit=title, decimals=1), home)


def render() -> None:
    """The whole page; returns early with a message when there is nothing to show."""
    with page("Arbetsmarknad och företag", LEAD) as ctx:
        db, home = ctx.db, ctx.home
        available = set() if db is None else load_series_with_data(*db, home)
        if db is None or not available:
            st.info(no_data(home))
            return
        show_changes(db, home, available)
        show_rates(db, home)
        show_brp(db, home, available)


render()
