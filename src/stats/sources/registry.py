"""The source adapters by catalog name."""

from __future__ import annotations

from stats.sources.af.excel import AfExcelSource
from stats.sources.af.monthly import AfMonthlySource
from stats.sources.base import Source
from stats.sources.jobtech.historical import JobtechHistoricalSource
from stats.sources.jobtech.search import JobtechSearchSource
from stats.sources.kolada import KoladaSource
from stats.sources.pxweb.scb_source import ScbSource
from stats.sources.pxweb.tillvaxtanalys import TillvaxtanalysSource
from stats.sources.realdata import RealdataSource
from stats.sources.sni_import import ImportSource


def default_sources() -> dict[str, Source]:
    """One adapter per source name used in the catalog, with live clients."""
    return {
        "scb": ScbSource(),
        "realdata": RealdataSource(),
        "jobtech_historical": JobtechHistoricalSource(),
        "jobtech_search": JobtechSearchSource(),
        "import": ImportSource(),
        "af_varsel": AfExcelSource(),
        "af_monthly": AfMonthlySource(),
        "tillvaxtanalys": TillvaxtanalysSource(),
        "kolada": KoladaSource(),
    }


def offline_sources() -> dict[str, Source]:
    """Adapters for decoding recorded responses; they make no network calls."""
    return default_sources()
