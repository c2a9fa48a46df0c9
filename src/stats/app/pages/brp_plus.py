"""BRP+: the home län against riket and the other län per part and theme, by sex; its kommuner."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from stats.app.charts import load_chart, show_source
from stats.app.common import rank_text, show_ranked_bars
from stats.app.db import Db, load_series_with_data
from stats.app.declared import missing_text, no_data, no_data_for
from stats.app.page import page
from stats.app.tables import cell, show_table
from stats.catalog.load import load_catalog
from stats.fmt import format_number
from stats.present.spec import Chart, ChartSpec, caption
from stats.regions import load_regions

SERIES = ("brp_plus_region", "brp_plus_kommun")
# fetched online (Kolada v3); a year they have replaces the embedded copy's
KOLADA = ("kolada_brp_plus_region", "kolada_brp_plus_kommun")
PARTS = ("Livskvalitet", "Hållbarhet")
SEXES = {"TotSa": "totalt", "2": "kvinnor", "1": "män"}
DECIMALS = 2
MOST = "plats 1 = högst"
LEAD = (
    "Tillväxtverkets BRP+ är ett bredare mått på utveckling än BRP: livskvalitet och "
    "hållbarhet i varje län och kommun, sammanvägt och per tema, för kvinnor och män, "
    "per stämpelår."
)
SCALE = (
    "Så läses skalan: index 0–100 efter max–min-standardisering. Varje indikator placeras på "
    "en skala där den sämsta regionen får 0 och den bästa 100, och indikatorerna vägs sedan "
    "samman med lika vikt. Indexet jämför regionerna med varandra samma år; det är ingen "
    "nivå att nå och inget mått på förändring över tid. Riket räknas på samma skala. Några "
    "värden för kvinnor och män ligger i Tillväxtverkets fil utanför 0–100."
)


def spec(
    niva: str, part: str, sex: str, regions: tuple[str, ...], year: str = "", theme: str = ""
) -> ChartSpec:
    """One part's indexes for one sex and stämpelår; with `theme`, that index only."""
    filters = [("del", part), ("kon", sex), ("niva", niva)]
    filters += [("tema", theme)] if theme else []
    return ChartSpec(
        "brp_plus",
        filters=tuple(filters),
        regions=regions,
        kind="bar",
        period_from=year or None,
        period_to=year or None,
        unit="index 0–100",
        decimals=DECIMALS,
    )


def choose_year(db: Db, home: str) -> str:
    """The stämpelår to show: the latest with data, or the one the reader picks."""
    frame = load_chart(*db, spec("lan", PARTS[0], "TotSa", ("riket", "lan")), home).frame
    years = sorted({str(p) for p in frame["period"]}, reverse=True)
    if len(years) <= 1:
        return years[0] if years else ""
    return str(st.selectbox("Stämpelår", years, key="brp_ar"))


def theme_order(code: str) -> tuple[int, str]:
    """The part's own total first, then T1, T2, …, T12, then the named themes."""
    if code in PARTS:
        return (0, code)
    digits = code[1:] if code.startswith("T") else ""
    return (int(digits), code) if digits.isdigit() else (100, code)


def home_sentence(row: pd.Series, name: str) -> str:
    """ "Jämtlands län: 50,49 (plats 11 av 21, plats 1 = högst); riket 51,23." """
    n_lan = 0 if pd.isna(row["n_lan"]) else int(row["n_lan"])
    return (
        f"{name}: {format_number(row['value'], DECIMALS)} "
        f"({rank_text(row['rank'], n_lan, legend=MOST)}); "
        f"riket {cell(row['riket'], format_number(row['riket'], DECIMALS))}."
    )


def themes_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The home län per index of a part: value, riket, difference and place among the 21."""
    rows = rows.sort_values("tema", key=lambda s: s.map(theme_order))
    return pd.DataFrame(
        {
            "Index": [
                f"{t} (sammanvägt)" if t in PARTS else str(lab)
                for t, lab in zip(rows["tema"], rows["tema_label"], strict=True)
            ],
            "Länet": [cell(v, format_number(v, DECIMALS)) for v in rows["value"]],
            "Riket": [cell(v, format_number(v, DECIMALS)) for v in rows["riket"]],
            "Skillnad mot riket": [
                cell(v, format_number(v, DECIMALS, signed=True)) for v in rows["diff_riket"]
            ],
            "Plats bland 21 län": [
                rank_text(r, 0 if pd.isna(n) else int(n))
                for r, n in zip(rows["rank"], rows["n_lan"], strict=True)
            ],
        }
    )


def show_description(chart: Chart) -> None:
    """Kolada's description of the index, as plain text (it comes from outside)."""
    texts = chart.frame["description"].dropna()
    if not texts.empty:
        with st.expander("Kolada: om indexet"):
            st.text(str(texts.iloc[0]))


def show_index(chart: Chart, home: str, title: str) -> None:
    """The home län's value and place, the scale, ranked bars and Kolada's description."""
    if chart.frame.empty:
        st.info("Data saknas för det här indexet.")
        return
    chart = replace(chart, spec=replace(chart.spec, title=title))
    mine = chart.frame[chart.frame["region_code"] == home]
    if not mine.empty:
        st.markdown(home_sentence(mine.iloc[0], load_regions().name(home)))
    st.caption(SCALE)
    show_ranked_bars(chart, home)
    show_description(chart)


def show_lan(db: Db, home: str, part: str, sex: str, year: str) -> None:
    """The part's total and every theme: a table for the home län, bars for the chosen one."""
    mine = load_chart(*db, spec("lan", part, sex, ("hemlan",), year), home)
    everything = mine.frame
    if everything.empty:
        st.info(no_data(home))
        return
    st.subheader(f"{load_regions().name(home)}: alla index för {part.lower()}")
    show_table(themes_table(everything))
    show_source(caption(mine, home))
    themes = sorted(everything["tema"].unique(), key=theme_order)
    labels = dict(zip(everything["tema"], everything["tema_label"], strict=True))
    theme = st.selectbox(
        "Index att jämföra med övriga län",
        themes,
        format_func=lambda t: f"{t} (sammanvägt)" if t in PARTS else str(labels[t]),
        key=f"brp_tema_{part}",
    )
    chart = load_chart(*db, spec("lan", part, sex, ("riket", "lan"), year, theme), home)
    name = f"{part} (sammanvägt)" if theme in PARTS else str(labels[theme])
    st.subheader(f"{name} per län")
    show_index(chart, home, f"BRP+ {name}, {SEXES[sex]}, stämpelår")


def show_kommuner(db: Db, home: str, part: str, sex: str, year: str) -> None:
    """The part's total per kommun in the home län, with riket on the kommun scale."""
    name = load_regions().name(home)
    st.header(f"Kommunerna i {name}")
    regions = ("riket", "hemlan_kommuner")
    chart = load_chart(*db, spec("kommun", part, sex, regions, year, part), home)
    if chart.frame.empty:
        st.info(no_data_for(f"kommunerna i {name}"))
        return
    st.caption(
        "Kommunindex: kommunerna standardiseras mot varandra (0 = sämsta, 100 = bästa "
        "kommunen i landet), så värdena går inte att jämföra med länens regionindex."
    )
    title = f"BRP+ {part} (sammanvägt), {SEXES[sex]}, kommunerna, stämpelår"
    show_ranked_bars(replace(chart, spec=replace(chart.spec, title=title)), home)


def render() -> None:
    """The whole page; says what is missing when BRP+ is not in the database."""
    with page("BRP+ – livskvalitet och hållbarhet", LEAD) as ctx:
        db, home = ctx.db, ctx.home
        have = set(load_series_with_data(*db, home)) if db is not None else set()
        if db is None or not have & set(SERIES + KOLADA):
            for series_id in SERIES:
                st.info(missing_text(load_catalog().series[series_id]))
            return
        left, right = st.columns(2)
        part = left.radio("Del", PARTS, horizontal=True, key="brp_del")
        sex = right.radio(
            "Kön", list(SEXES), format_func=lambda k: SEXES[k], horizontal=True, key="brp_kon"
        )
        year = choose_year(db, home)
        st.header(f"{part}: länet bland de 21 länen")
        show_lan(db, home, part, sex, year)
        show_kommuner(db, home, part, sex, year)


render()
