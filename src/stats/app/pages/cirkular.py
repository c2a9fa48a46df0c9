"""Cirkulär ekonomi: the circular sector's share of employment per definition set, as a range."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from stats.analysis.circular import load_sets
from stats.analysis.totals import total_code
from stats.app.charts import load_chart, show_drawn, show_source, with_frame
from stats.app.db import Db, load_series_with_data, reading
from stats.app.declared import no_data, series_missing
from stats.app.page import page
from stats.app.tables import percent_range, show_table
from stats.catalog.load import load_catalog
from stats.fmt import format_number, format_percent
from stats.present.citation import source_caption
from stats.present.spec import ChartSpec
from stats.regions import Regions, load_regions
from stats.store.read import series_codes, series_frame, series_labels, series_meta

IMPORTED = "sysselsatta_sni_detalj"
BAS = "sysselsatta_bas_sni"
SPEC = ChartSpec(
    "cirkular_andel",
    regions=("riket", "lan", "kommuner"),
    split="set_name",
    kind="bar",
    unit="procent",
    decimals=1,
)
NEEDS_FILE = """
**Andelen kräver en importerad fil** med sysselsatta per region, detaljerad bransch och år,
till exempel en beställd bearbetning från SCB. Filen behöver fyra kolumner med rubrikrad:

- **region**: regionkod eller namn, t.ex. `{code}` eller `{name}`
- **sni**: SNI 2007-kod, t.ex. `33.12`, `45.20` eller `95.11` (minst lika detaljerad som
  definitionernas koder)
- **år**: fyrsiffrigt år, t.ex. `2022`
- **sysselsatta**: antal sysselsatta (heltal)

Filformat: CSV med `,` eller `;` som avgränsare, eller XLSX (första bladet). Importera med
`stats import-sni fil.csv` (eller `stats import-sni fil.xlsx`). Alla rader kontrolleras; en
felaktig rad stoppar hela filen med radnummer och orsak.
"""
LEAD = (
    "Andelen sysselsatta i den cirkulära sektorn (reparation, återvinning, återbruk och "
    "uthyrning) räknad för varje definition av vilka SNI-koder som ingår, eftersom "
    "avgränsningen diskuteras nationellt och internationellt."
)


@st.cache_data(max_entries=8, show_spinner=False)
def load_bas_groups(
    db_path: str, signature: tuple[int, int], region: str
) -> tuple[pd.DataFrame, dict[str, Any] | None]:
    """Employed per BAS industry group for one region (the home län), both sexes, every year."""
    with reading(db_path, signature) as con:
        meta = series_meta(con, BAS, home=region)
        if meta is None:
            return pd.DataFrame(), None
        _, codes = series_codes(con, BAS, home=region)
        labels = series_labels(con, BAS, ["SNI2007", "Kon"], home=region)
        # BAS writes the total of both sexes as "1+2", "Totalt" or "Samtliga"
        total = total_code(codes.get("Kon", []), labels.get("Kon", {}))
        dims = {} if total is None else {"Kon": total}
        sni_labels = labels.get("SNI2007", {})
        parts = [
            series_frame(con, BAS, [region], {**dims, "SNI2007": code}, home=region).assign(
                group=sni_labels.get(code, code)
            )
            for code in [c for c in sni_labels if c in codes.get("SNI2007", [])]
        ]
        return (pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()), meta


def sets_table() -> pd.DataFrame:
    """The definition sets: name, version, source and SNI codes."""
    return pd.DataFrame(
        [(s.name, s.version, s.source, ", ".join(s.codes)) for s in load_sets()],
        columns=["Definition", "Version", "Källa", "SNI-koder"],
    )


def show_bas_context(db: Db | None, home: str, available: set[str]) -> None:
    """The open BAS industry groups for the home län, for context, or that they are missing."""
    name = load_regions().name(home)
    st.header(f"Förvärvsarbetande per bransch i {name} (öppen statistik)")
    if db is None or BAS not in available:
        st.info(series_missing(load_catalog().series[BAS], db, home))
        return
    rows, meta = load_bas_groups(*db, home)
    rows = rows.dropna(subset=["value"]) if not rows.empty else rows
    if meta is None or rows.empty:
        st.info(f"Förvärvsarbetande per bransch: {no_data(home)}")
        return
    year = str(rows["period"].max())
    latest = rows[rows["period"] == year]
    st.caption(
        f"SCB:s öppna tabell har bara ett femtontal branschgrupper, för grovt för att avgränsa "
        f"den cirkulära sektorn; den visas som sammanhang. Senaste år: {year}."
    )
    show_table(
        pd.DataFrame(
            {
                "Bransch (SNI 2007)": latest["group"],
                "Förvärvsarbetande": [format_number(v) for v in latest["value"]],
            }
        )
    )
    show_source(source_caption(meta, home=home))


def pick(label: str, options: list[str], key: str, names: Regions | None = None) -> str:
    """A select box of codes or years; regions by name."""
    shown = (lambda c: names.name(c)) if names else str
    return str(st.selectbox(label, options, format_func=shown, key=key))


def show_shares(db: Db, frame: pd.DataFrame, home: str) -> None:
    """Range over the definition sets, one line per set and a bar per set."""
    regions = load_regions()
    codes = list(dict.fromkeys(frame["region_code"]))
    first = [c for c in (home, *regions.kommuner[home], regions.riket_code) if c in codes]
    left, right = st.columns(2)
    with left:
        region = pick(
            "Region", first + [c for c in codes if c not in first], "cirk_region", regions
        )
    years = sorted(frame.loc[frame["region_code"] == region, "period"].unique(), reverse=True)
    with right:
        year = pick("År", [str(y) for y in years], "cirk_ar")
    chosen = (frame["region_code"] == region) & (frame["period"] == year)
    rows = frame[chosen].sort_values("value")
    name = regions.name(region)
    st.metric(
        f"Andel sysselsatta i cirkulär ekonomi, {name}, {year}",
        percent_range(rows["value"]),
        border=True,
    )
    st.markdown(
        "\n".join(
            f"- **{r['set_name']}** (version {r['version']}): {format_percent(r['value'], 1)}, "
            f"{format_number(r['employed_circular'])} av {format_number(r['employed_total'])} "
            "sysselsatta"
            for _, r in rows.iterrows()
        )
    )
    chart = load_chart(*db, SPEC, home)
    title = f"Andel sysselsatta i cirkulär ekonomi per definition, {name}"
    bars = with_frame(chart, rows.assign(series=rows["set_name"]), title=title)
    table = pd.DataFrame(
        {
            "Definition": rows["set_name"],
            "Version": rows["version"],
            "Andel": [format_percent(v, 1) for v in rows["value"]],
            "Sysselsatta i cirkulär sektor": [format_number(v) for v in rows["employed_circular"]],
            "Sysselsatta totalt": [format_number(v) for v in rows["employed_total"]],
        }
    )
    show_drawn(bars, home, table=table)


def render() -> None:
    """The whole page: the share when a file is imported, else what file is needed."""
    with page("Cirkulär ekonomi", LEAD) as ctx:
        db, home = ctx.db, ctx.home
        available = set() if db is None else load_series_with_data(*db, home)
        frame = load_chart(*db, SPEC, home).frame if db and IMPORTED in available else None
        if db is None or frame is None or frame.empty:
            st.info(NEEDS_FILE.format(code=home, name=load_regions().name(home)))
            show_bas_context(db, home, available)
        else:
            show_shares(db, frame, home)
        with st.expander("Definitionsuppsättningar (SNI-koder, källa, version)"):
            # a static table wraps the long source texts and code lists instead of cutting them
            st.table(sets_table(), hide_index=True)


render()
