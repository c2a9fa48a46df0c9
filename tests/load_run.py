"""A refresh of the load catalog (tests/fixtures/load/) against the fake, for tests and bench."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Unpack

from stats.catalog.load import Catalog, load_catalog
from stats.ingest.refresh import Outcome, refresh
from stats.sources.http import HttpOptions
from stats.sources.pxweb.scb import ScbClient
from stats.sources.pxweb.scb_source import ScbSource
from stats.store.write import open_writer
from tests.fake_pxweb import FakePxWeb
from tests.fixture_files import FIXTURES

LOAD_CATALOG = FIXTURES / "load" / "tab6471_load.toml"


def load_catalog_for_fake() -> Catalog:
    """14 series over TAB6471 split by region and age: 56 calls per refresh at 80 cells."""
    return load_catalog(LOAD_CATALOG)


@dataclass(frozen=True)
class LoadRun:
    """What one or more refreshes did, as the fake saw it."""

    outcomes: list[Outcome]
    seconds: float
    calls: int
    too_many: int
    peak: int
    allowed: int
    window: float

    @property
    def windows(self) -> int:
        """Windows the run touched, counted from its first call: the limit admits at most
        `allowed` calls in each, so `allowed * windows` calls is the most this span can hold."""
        return math.floor(self.seconds / self.window) + 1

    @property
    def rate(self) -> float:
        """Calls per second averaged over those whole windows."""
        return self.calls / (self.windows * self.window)

    @property
    def allowed_rate(self) -> float:
        return self.allowed / self.window

    @property
    def utilisation(self) -> float:
        """Achieved rate as a share of the rate /config allows."""
        return self.rate / self.allowed_rate


def client_for(fake: FakePxWeb, *, paced: bool = True, **http: Unpack[HttpOptions]) -> ScbClient:
    """An ScbClient on the fake; `paced=False` drops the limiter after /config set it."""
    client = ScbClient(fake.url, **http)
    if not paced:
        client.get_config()
        client.http.rate = None
    return client


def run_load(
    fake: FakePxWeb, db: Path, raw: Path, client: ScbClient, *, rounds: int = 1
) -> LoadRun:
    """Refresh the whole load catalog `rounds` times with one client and report the pace."""
    catalog = load_catalog_for_fake()
    first = len(fake.calls)
    outcomes: list[Outcome] = []
    started = time.monotonic()
    for _ in range(rounds):
        with open_writer(db) as store:
            outcomes += refresh(
                store, raw, catalog, list(catalog.series), {"scb": ScbSource(client)}, home="23"
            )
    calls = fake.calls[first:]
    seconds = calls[-1].at - calls[0].at if calls else time.monotonic() - started
    return LoadRun(
        outcomes=outcomes,
        seconds=seconds,
        calls=len(calls),
        too_many=sum(1 for c in calls if c.status == 429),
        peak=fake.peak_in_window(),
        allowed=fake.max_calls,
        window=fake.window,
    )
