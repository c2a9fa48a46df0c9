"""Where things live and which region is home: all from the environment, with defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

URLS = {
    "scb": "https://statistikdatabasen.scb.se/api/v2",
}

USER_AGENT = "naringslivsstatistik/0.1 (+https://github.com/; regional statistics dashboard)"


@dataclass(frozen=True)
class Settings:
    """Runtime settings; STATS_DB, STATS_DATA_DIR, STATS_SNAPSHOT_DIR, STATS_HOME_REGION,
    STATS_LOG_FILE (the scheduled refresh's log, one line per series and run),
    STATS_CATALOG_LOCAL (the deployment's own catalog files, e.g. KPIs added with the picker) and
    STATS_PUBLISH_DIR (where the meeting page's "Publicera" writes the static site)."""

    db_path: Path
    data_dir: Path
    snapshot_dir: Path
    home_region: str
    log_file: Path = Path("data/refresh.log")
    catalog_local_dir: Path = ROOT / "data" / "catalog.local.d"
    publish_dir: Path = ROOT / "data" / "publish"

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"


def load_settings() -> Settings:
    """Read settings from the environment (called at use, never cached at import)."""
    data_dir = Path(os.environ.get("STATS_DATA_DIR", ROOT / "data"))
    db_path = Path(os.environ.get("STATS_DB", data_dir / "stats.duckdb"))
    return Settings(
        db_path=db_path,
        data_dir=data_dir,
        snapshot_dir=Path(os.environ.get("STATS_SNAPSHOT_DIR", ROOT / "data" / "snapshot")),
        home_region=os.environ.get("STATS_HOME_REGION", "23"),
        log_file=Path(os.environ.get("STATS_LOG_FILE", data_dir / "refresh.log")),
        catalog_local_dir=Path(os.environ.get("STATS_CATALOG_LOCAL", data_dir / "catalog.local.d")),
        publish_dir=Path(os.environ.get("STATS_PUBLISH_DIR", data_dir / "publish")),
    )


def today() -> date:
    """Today's date, or STATS_TODAY (YYYY-MM-DD): the clock pages read, injectable in tests."""
    fixed = os.environ.get("STATS_TODAY")
    return date.fromisoformat(fixed) if fixed else date.today()
