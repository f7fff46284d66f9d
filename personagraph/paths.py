"""Where the project keeps its files, and how the environment variables override them."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEMO_DIR = PROJECT_ROOT / "data" / "demo"
DEFAULT_RAW_DIR = DEMO_DIR / "raw"
DEFAULT_TRUTH_DIR = DEMO_DIR / "truth"
DEFAULT_DB = PROJECT_ROOT / "build" / "personagraph.duckdb"


def raw_dir() -> Path:
    """The folder holding the raw source files (``PERSONAGRAPH_RAW_DIR``)."""
    return Path(os.environ.get("PERSONAGRAPH_RAW_DIR", DEFAULT_RAW_DIR)).resolve()


def db_path() -> Path:
    """The DuckDB file that dbt builds (``PERSONAGRAPH_DB``)."""
    return Path(os.environ.get("PERSONAGRAPH_DB", DEFAULT_DB)).resolve()
