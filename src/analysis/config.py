"""The one place for paths and settings; nothing else builds a path from the working directory.

Where the project root is, in order: the environment variable `CCHC_ROOT`; the checkout this
package sits in (the folder holding the Makefile, two levels above it); else the working
directory, with a warning, since data and reports would then be looked for wherever the command
happens to run. `ROOT_SOURCE` says which one was used ("CCHC_ROOT", "checkout" or "cwd").
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PACKAGE_DATA = PACKAGE_DIR / "data"


def _find_root() -> tuple[Path, str]:
    """The project root and how it was found (see the module docstring)."""
    if os.environ.get("CCHC_ROOT"):
        return Path(os.environ["CCHC_ROOT"]).expanduser().resolve(), "CCHC_ROOT"
    checkout = PACKAGE_DIR.parents[1]
    if (checkout / "Makefile").exists():
        return checkout, "checkout"
    cwd = Path.cwd()
    warnings.warn(
        f"analysis: not inside a checkout and CCHC_ROOT is not set; using the working directory {cwd} "
        "as the project root (set CCHC_ROOT to the folder holding data/ and reports/)",
        stacklevel=2,
    )
    return cwd, "cwd"


ROOT, ROOT_SOURCE = _find_root()

RAW_DIR = ROOT / "data" / "raw"
FIGURES_DIR = RAW_DIR / "figures"
# The register of the press sheets' per-row addresses (article titles and dates), relative to a raw
# folder: in a folder of its own, since every file in figures/ is read as a figure sheet.
SOURCES_REGISTER = Path("sources") / "sources.csv"
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
# `year` is the assessment year a figure is filed under; `qualifier` (exact, about, nearly, over,
# under), `precision` (digits after the separator as the source wrote them) and `period` (with its
# `period_kind`: year, span, quarter, months, as_of) say what the source said (docs/figure-model.md);
# they come last so that readers taking the first columns (briefing.core) read what they always read.
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
    "precision",
    "period",
    "period_kind",
    "scale",
]
