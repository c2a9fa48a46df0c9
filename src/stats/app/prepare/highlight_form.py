"""Highlights while a meeting is prepared: the text, a small form that ties it to a chart and a
comparison, and the check against the data ("stöds", "motsägs", "kan inte prövas") live."""

from __future__ import annotations

import math
from dataclasses import replace

import streamlit as st

from stats.analysis.highlights import ClaimCheck, check_claim
from stats.analysis.wording import threshold_rows, wordings
from stats.app.charts import load_chart
from stats.app.db import Db, latest_scope
from stats.app.meeting_common import STATUS_ICON
from stats.app.page import PageContext
from stats.app.prepare.chart_list import chart_title
from stats.app.prepare.drafting import (
    COMPARISON_TEXT,
    DraftError,
    build_claim,
    claim_regions,
    comparisons_for,
    parse_period,
    tie_claim,
)
from stats.app.prepare.state import NEW_KEY, highlight_key, keep_and_rerun
from stats.fmt import format_period
from stats.meetings.model import Claim, Highlight, Meeting, meeting_place
from stats.regions import Home, load_regions
from stats.text import escape_markdown

# the wording a claim is checked with before the analyst has chosen one (only its numbers show)
PROVISIONAL = "oförändrat"


@st.cache_data(max_entries=256, show_spinner=False)
def load_check(
    db_path: str, signature: tuple[int, int], claim: Claim, home: Home, text: str | None = None
) -> ClaimCheck:
    """A claim checked against the latest releases of one database version, and the
    highlight's own words against the claim's wording (`text`)."""
    with latest_scope(db_path, signature) as scope:
        return check_claim(scope, claim, home, text=text)


def show_check(check: ClaimCheck, verdict: bool = True) -> None:
    """The check as one caption: status, the numbers and the wording the data gives."""
    words = f" Ordval enligt data: ”{check.suggested}”." if check.suggested else ""
    status = f"{STATUS_ICON[check.status]} {check.status.capitalize()}: " if verdict else ""
    st.caption(escape_markdown(f"{status}{check.observed}{words}"))


def region_text(region: str, home: Home) -> str:
    """ "Hemlänet (Jämtlands län)", "Riket", or a region's name."""
    regions = load_regions()
    name = regions.name(regions.resolve([region], home)[0])
    return f"Hemlänet ({name})" if region == "hemlan" else name


def _range_bounds(prefix: str) -> tuple[float, float] | None:
    """ "Från" and "Till" as typed (decimal comma or point); None until both are numbers."""
    cols = st.columns(2)
    low = cols[0].text_input("Från", key=f"{prefix}low", placeholder="t.ex. 3,5")
    high = cols[1].text_input("Till", key=f"{prefix}high", placeholder="t.ex. 3,7")
    try:
        bounds = float(low.replace(",", ".")), float(high.replace(",", "."))
    except ValueError:
        return None
    # "nan", "inf" and "1e999" parse as floats but bound nothing
    return bounds if all(math.isfinite(b) for b in bounds) else None


def claim_form(meeting: Meeting, i: int, db: Db, home: Home) -> Claim | None:
    """Chart, comparison, region, period and wording; the claim they make, or None."""
    prefix = f"tie_{meeting.date}_{i}_"
    number = st.selectbox(
        "Diagram", range(len(meeting.charts)), key=f"{prefix}chart",
        format_func=lambda n: f"{n + 1}. {chart_title(meeting.charts[n])}",
    )  # fmt: skip
    spec = meeting.charts[number]
    frame = load_chart(*db, spec, home).frame
    periods = [str(p) for p in frame["period"].unique()] if not frame.empty else []
    comparison = st.selectbox(
        "Jämförelse", comparisons_for(spec, periods), key=f"{prefix}comparison",
        format_func=COMPARISON_TEXT.__getitem__,
    )  # fmt: skip
    region = st.selectbox(
        "Region", claim_regions(spec), key=f"{prefix}region",
        format_func=lambda r: region_text(r, home),
    )  # fmt: skip
    latest = format_period(max(periods)) if periods else "ÅÅÅÅ-MM"
    typed = st.text_input("Period (tom = senaste)", key=f"{prefix}period", placeholder=latest)
    try:
        period = parse_period(typed)
        if comparison == "range":
            return build_claim(spec, comparison, region, period, bounds=_range_bounds(prefix))
        vintages: tuple[str, ...] = ()
        if comparison == "vintages":
            found = sorted(str(v) for v in frame["vintage"].dropna().unique())
            vintages = tuple(
                st.multiselect("Jämfört med årgång", found, key=f"{prefix}vintages",
                               placeholder="Välj årgångar")
            )  # fmt: skip
        expected = st.selectbox(
            "Ordval i höjdpunkten", wordings(), index=None, key=f"{prefix}expected",
            placeholder="Välj ordval",
        )  # fmt: skip
        return build_claim(
            spec, comparison, region, period, expected or PROVISIONAL, None, vintages
        )
    except DraftError as exc:
        st.caption(str(exc))
        return None


def prefill(meeting: Meeting, i: int) -> None:
    """The form of a highlight already tied to data starts from its claim (once)."""
    claim = meeting.highlights[i].claim
    charts = [(s.indicator, s.filters) for s in meeting.charts]
    if claim is None or (claim.indicator, claim.filters) not in charts:
        return
    prefix = f"tie_{meeting.date}_{i}_"
    spec = meeting.charts[charts.index((claim.indicator, claim.filters))]
    values: dict[str, object] = {
        "chart": meeting.charts.index(spec),
        "comparison": claim.comparison,
        "period": format_period(claim.period) if claim.period else "",
        "expected": claim.expected,
    }
    if claim.region in claim_regions(spec):
        values["region"] = claim.region
    for name, bound in (("low", claim.low), ("high", claim.high)):
        values[name] = "" if bound is None else str(bound).replace(".", ",")
    for name, value in values.items():
        st.session_state.setdefault(f"{prefix}{name}", value)


def tie_form(meeting: Meeting, i: int, db: Db, home: Home) -> None:
    """The form that ties highlight `i` to a chart, with the check shown as it is filled in."""
    prefill(meeting, i)
    claim = claim_form(meeting, i, db, home)
    if claim is None:
        return
    chosen = st.session_state.get(f"tie_{meeting.date}_{i}_expected") is not None
    chosen = chosen or claim.comparison == "range"
    text = meeting.highlights[i].text
    show_check(load_check(*db, claim, home, text), verdict=chosen)
    if st.button("Koppla höjdpunkten", key=f"tie_{meeting.date}_{i}_go", disabled=not chosen):
        keep_and_rerun(tie_claim(meeting, i, claim))


def highlight_tools(meeting: Meeting, i: int, ctx: PageContext) -> None:
    """Under highlight `i`: its check when tied to data, the form that ties it, removal."""
    h = meeting.highlights[i]
    home = meeting_place(meeting, ctx.home, current=True)
    if h.claim is not None and ctx.db is not None:
        show_check(load_check(*ctx.db, h.claim, home, h.text))
    cols = st.columns([3, 1])
    label = "Ändra kopplingen till data" if h.claim else "Koppla till data"
    with cols[0].expander(label):
        if not meeting.charts:
            st.caption("Lägg först till ett diagram i mötet.")
        elif ctx.db is None:
            st.caption("Ingen data ännu — kör `stats refresh`.")
        else:
            tie_form(meeting, i, ctx.db, home)
    if cols[1].button("Ta bort höjdpunkten", key=f"hl_rm{meeting.date}_{i}"):
        rest = meeting.highlights[:i] + meeting.highlights[i + 1 :]
        keep_and_rerun(replace(meeting, highlights=rest))


def edit_highlights(meeting: Meeting, ctx: PageContext) -> Meeting:
    """The highlights as typed, each with its check and tie form; a box for a new one.

    Every text is read before any button can change the draft, so a click never loses what
    was typed; the checks and forms are then drawn into each highlight's own slot.
    """
    st.header("Höjdpunkter")
    st.caption(
        "Skrivs som vanlig text. Koppla en höjdpunkt till ett diagram och en jämförelse så "
        "prövas den mot siffrorna, medan du skriver."
    )
    slots, items = [], []
    for i, h in enumerate(meeting.highlights):
        slots.append(st.container(border=True))
        text = slots[-1].text_area(f"Höjdpunkt {i + 1}", key=highlight_key(meeting, i))
        items.append(replace(h, text=text))
    new = st.text_area("Ny höjdpunkt", key=f"{NEW_KEY}{meeting.date}").strip()
    edited = replace(meeting, highlights=(*items, *([Highlight(text=new)] if new else [])))
    adding = st.button("Lägg till höjdpunkt") and bool(new)
    for i, slot in enumerate(slots):
        with slot:
            highlight_tools(edited, i, ctx)
    with st.expander("Ordval och gränser"):
        for span, words in threshold_rows():
            st.markdown(f"- {escape_markdown(span)}: {escape_markdown(words)}")
    if adding:
        keep_and_rerun(edited)
    return edited
