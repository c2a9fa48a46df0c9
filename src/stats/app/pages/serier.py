"""Alla serier: any catalog series by region and dimension, with source line, notes and table."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from stats.analysis.selection import default_code, region_order, unit_of
from stats.app.charts import mark_meetings, show_chart
from stats.app.db import Db, load_series_with_data, reading
from stats.app.declared import declared_source, fetched_elsewhere, missing_reason, ordered_series
from stats.app.page import page
from stats.app.tables import show_table
from stats.catalog.load import Catalog, Series, load_catalog
from stats.config import load_settings
from stats.fmt import format_period
from stats.present.citation import ckm_note, declared_publisher
from stats.present.describe import frame_alt_text, symbol_key, value_decimals, value_frame
from stats.present.figures import bar_figure, line_figure
from stats.regions import HOME_SETS, Home, home_code, load_regions
from stats.store.read import series_codes, series_frame, series_labels, series_meta
from stats.text import escape_markdown

SERIES_KEY = "serie"
FREQUENCY_TEXT = {
    "day": "per dag",
    "month": "per månad",
    "quarter": "per kvartal",
    "year": "per år",
}
PERIOD_TITLES = {"day": "Dag", "month": "Månad", "quarter": "Kvartal", "year": "År"}
DIM_TITLES = {
    "Kon": "Kön",
    "Alder": "Ålder",
    "measure": "Mått",
    "vintage": "Framskrivningsår",
    "ContentsCode": "Tabellinnehåll",
    "SNI2007": "Bransch (SNI 2007)",
    "Juridisk_form": "Juridisk form",
    "Civilstand": "Civilstånd",
}
# Region Värmland and SKR: at most five lines per line chart stay readable
MAX_LINES = 5

Choices = tuple[dict[str, Any] | None, list[str], dict[str, list[str]], dict[str, dict[str, str]]]


@st.cache_data(max_entries=32, show_spinner=False)
def load_choices(db_path: str, signature: tuple[int, int], series_id: str, home: str) -> Choices:
    """Release meta, region codes, dimension codes and labels of one series served for `home`."""
    with reading(db_path, signature) as con:
        meta = series_meta(con, series_id, home=home)
        if meta is None:
            return None, [], {}, {}
        regions, codes = series_codes(con, series_id, home=home)
        return meta, regions, codes, series_labels(con, series_id, ["region", *codes], home=home)


@st.cache_data(max_entries=64, show_spinner=False)
def load_rows(
    db_path: str,
    signature: tuple[int, int],
    series_id: str,
    regions: tuple[str, ...],
    dims: tuple[tuple[str, str], ...],
    home: str,
) -> pd.DataFrame:
    """The observations behind one chart, of the release served for `home`."""
    with reading(db_path, signature) as con:
        return series_frame(con, series_id, list(regions), dict(dims), home=home)


def first_for_home(ordered: list[Series]) -> str:
    """The series the page opens on: the first whose regions include the home län (its own
    set, all 21 län or its code), so no region opens on another län's figures."""
    home = load_settings().home_region
    for series in ordered:
        regions = set(series.regions)
        if regions & {*HOME_SETS, "lan", home}:
            return series.id
    return ordered[0].id


def pick_series(catalog: Catalog, available: set[str]) -> Series:
    """Select box of every series, prefixed by its publisher; series with data come first."""
    ordered = ordered_series(catalog, available)

    def label(series_id: str) -> str:
        series = catalog.series[series_id]
        text = f"{declared_publisher(series)} · {series.title}"
        return text if series_id in available else f"{text} (ingen data ännu)"

    ids = [s.id for s in ordered]
    # the series id in the URL (?serie=konkurser_lan_regionfakta) makes a view linkable
    if st.session_state.get(SERIES_KEY) not in ids:
        wanted = st.query_params.get(SERIES_KEY)
        st.session_state[SERIES_KEY] = wanted if wanted in ids else first_for_home(ordered)
    chosen = str(st.selectbox("Serie", ids, format_func=label, key=SERIES_KEY))
    st.query_params[SERIES_KEY] = chosen
    return catalog.series[chosen]


def _add_regions(key: str, codes: list[str]) -> None:
    current = list(st.session_state.get(key, []))
    st.session_state[key] = current + [c for c in codes if c not in current]


def pick_regions(series: Series, options: list[str], names: dict[str, str]) -> list[str]:
    """Region multiselect (default: the home län and Riket) with quick picks for nearby areas."""
    regions = load_regions()
    home = load_settings().home_region
    key = f"regioner_{series.id}"
    if key not in st.session_state:
        default = [c for c in (home, regions.riket_code) if c in options]
        st.session_state[key] = default or options[:1]
    chosen = st.multiselect(
        "Regioner",
        options,
        format_func=lambda c: names.get(c, c),
        key=key,
        placeholder="Välj regioner",
    )
    picks = {
        f"Kommunerna i {regions.name(home)}": regions.kommuner.get(home, ()),
        "Grannlänen": regions.neighbours.get(home, ()),
        "Alla län": regions.lan_codes,
    }
    row = st.container(horizontal=True)
    for text, codes in picks.items():
        missing = [c for c in codes if c in options and c not in chosen]
        if missing:
            row.button(
                f"+ {text}",
                key=f"{key}_{text}",
                on_click=_add_regions,
                args=(key, missing),
                help="Lägg till i urvalet",
            )
    return [str(c) for c in chosen]


def code_label(labels: dict[str, str], code: str) -> str:
    """The source's label for a code, or the code made readable."""
    if code in labels:
        return labels[code]
    text = code.replace("_", " ")
    return text[:1].upper() + text[1:]


def pick_code(series: Series, dim: str, options: list[str], labels: dict[str, str]) -> str:
    """Select box for one dimension's codes, labelled by the source."""

    def label(code: str) -> str:
        return code_label(labels, code)

    value = st.selectbox(
        DIM_TITLES.get(dim, dim),
        options,
        index=default_code(dim, options, labels),
        format_func=label,
        key=f"{series.id}_{dim}",
    )
    return str(value)


def pick_dims(
    series: Series, codes: dict[str, list[str]], labels: dict[str, dict[str, str]]
) -> dict[str, str]:
    """One select box per extra dimension that has more than one code."""
    chosen: dict[str, str] = {}
    shown = [d for d in series.dims if len(codes.get(d, [])) > 1]
    columns = st.columns(max(len(shown), 1))
    for dim in series.dims:
        present = codes.get(dim, [])
        if not present:
            continue
        own = labels.get(dim, {})
        # the source's own order (age groups, SNI codes) where it gives one
        options = [c for c in own if c in present] + [c for c in present if c not in own]
        if len(options) == 1:
            chosen[dim] = options[0]
            continue
        with columns[shown.index(dim)]:
            chosen[dim] = pick_code(series, dim, options, own)
    return chosen


def source_notes(meta: dict[str, Any]) -> list[str | None]:
    """The source's notes in one line each (SCB's CKM note shortened), and the origin page.

    The notes are the source's own text, so they are escaped for the caption.
    """
    notes: list[str | None] = [ckm_note(meta)]
    for note in meta.get("notes", []):
        text = " ".join(str(note).split())
        if "CKM" not in text:
            notes.append(f"Not: {escape_markdown(text)}")
    if meta.get("origin_url"):
        # shown as text (no link): a caption's faded link colour is too weak to read (WCAG AA)
        notes.append(f"Ursprung: {escape_markdown(str(meta['origin_url']))}")
    return notes


def chart_title(series: Series, picked: dict[str, str]) -> str:
    """Series title and the chosen codes, e.g. "…, framskrivningsår 2021, Förändring, antal"."""
    shown = [f"{DIM_TITLES.get(d, d).lower()} {t}" if t.isdigit() else t for d, t in picked.items()]
    return ", ".join([series.title, *shown])


def show_no_data(series: Series, db: Db | None, home: str) -> None:
    """Why the home län has no figures in it and what will come once the series is fetched."""
    st.info(missing_reason(series, fetched_elsewhere(series, db, home), home))
    st.caption(
        f"Källa när serien har hämtats: {declared_source(series)} "
        f"({FREQUENCY_TEXT[series.frequency]})."
    )


def show_series(series: Series, db: Db, home: Home) -> None:
    """Pickers, chart, source line, notes and table of one series that has data."""
    meta, codes, dim_codes, labels = load_choices(*db, series.id, home_code(home))
    if meta is None:
        show_no_data(series, db, home_code(home))
        return
    regions = load_regions()
    names = {c: labels.get("region", {}).get(c) or regions.name(c) for c in codes}
    options = region_order(codes, regions, load_settings().home_region, names)
    chosen = pick_regions(series, options, names)
    dims = pick_dims(series, dim_codes, labels)
    if not chosen:
        st.info("Välj minst en region.")
        return
    rows = load_rows(*db, series.id, tuple(chosen), tuple(dims.items()), home_code(home))
    if rows.empty:
        st.info("Inga värden för det här urvalet.")
        return
    # legend and table columns follow the order of the selection
    order = {c: i for i, c in enumerate(chosen)}
    rows = (
        rows.assign(series=[names.get(c, c) for c in rows["region_code"]])
        .assign(order=rows["region_code"].map(order))
        .sort_values(["order", "period"])
    )
    picked = {d: code_label(labels.get(d, {}), c) for d, c in dims.items()}
    unit, declared = unit_of(meta, series, dims, list(picked.values()))
    decimals = value_decimals(rows["value"], declared=declared)
    title = chart_title(series, {d: t for d, t in picked.items() if len(dim_codes[d]) > 1})
    x_title = PERIOD_TITLES[series.frequency]
    periods = rows["period"].unique()
    if len(periods) == 1:
        # one period is a comparison between regions, not a development over time
        title = f"{title}, {format_period(str(periods[0]))}"
        figure = bar_figure(rows, title, unit, decimals=decimals)
    else:
        if len(chosen) > MAX_LINES:
            st.caption(
                f"Fler än {MAX_LINES} linjer är svåra att skilja åt; "
                "tabellen nedan visar alla värden."
            )
        figure = line_figure(rows, title, unit, decimals=decimals, x_title=x_title)
    alt = frame_alt_text(rows, title, unit, decimals=decimals)
    marks = None if len(periods) == 1 else mark_meetings(figure, periods, home)
    alt = f"{alt} {marks}" if marks else alt
    show_chart(figure, alt, meta, [*source_notes(meta), marks])
    with st.expander("Visa som tabell"):
        show_table(value_frame(rows, decimals=decimals))
        key = symbol_key(rows)
        if key:
            st.caption(key)


def render() -> None:
    """The whole page."""
    with page("Alla serier") as ctx:
        catalog = load_catalog()
        available = set() if ctx.db is None else load_series_with_data(*ctx.db, ctx.home)
        series = pick_series(catalog, available)
        if series.description:
            # a KPI added with the Kolada picker carries Kolada's own text
            st.markdown(escape_markdown(series.description))
        if ctx.db is None or series.id not in available:
            show_no_data(series, ctx.db, ctx.home)
            return
        show_series(series, ctx.db, ctx.home)


render()
