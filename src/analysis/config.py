"""The one place for paths and settings; nothing else builds a path from the working directory."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PACKAGE_DATA = PACKAGE_DIR / "data"

# The repo root holds the Makefile; an installed copy outside a checkout falls back to the CWD.
_candidate = PACKAGE_DIR.parents[1]
ROOT = _candidate if (_candidate / "Makefile").exists() else Path.cwd()

RAW_DIR = ROOT / "data" / "raw"
FIGURES_DIR = RAW_DIR / "figures"
CLEAN_DIR = ROOT / "data" / "clean"
REPORTS_DIR = ROOT / "reports"
NOTEBOOKS_DIR = ROOT / "notebooks"
TEMPLATE_NOTEBOOK = NOTEBOOKS_DIR / "briefing.ipynb"

# Shared material beside the repo (real workbooks and report texts); absent on some machines.
SHARED_DIR = Path(os.environ.get("CCHC_SHARED", ROOT.parent / "shared"))
OFFICIAL_DIR = SHARED_DIR / "data" / "official"
CORPUS_DIR = SHARED_DIR / "corpus" / "reports"

# The 2025 merger took effect on 2025-07-01; figures for assessment year 2025 on use the 34 provinces.
MERGER_YEAR = 2025

# The clean table's columns, in order: the contract between the clean stage and the briefings.
CLEAN_COLUMNS = [
    "province_code",
    "province_name",
    "regime",
    "year",
    "indicator",
    "value",
    "unit",
    "qualifier",
    "source",
    "source_ref",
    "note",
]
