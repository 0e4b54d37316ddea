"""`analysis overview`: the national pages rewritten beside briefings already built."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from analysis.errors import AnalysisError, InputFileError


def overview_command(clean: Path, out: Path, years_text: str, files: Sequence[tuple[str, str]]) -> int:
    """(Re)write the overview pages and CSVs of the years asked, else of the years built in `out`;
    `files`: the briefing files to link (the command line passes the formats')."""
    import pandas as pd

    from analysis.national.overview_files import write_overview
    from analysis.selection import parse_years

    if not (clean / "figures.parquet").exists():
        raise InputFileError(clean / "figures.parquet", "missing: run `make data` (analysis clean) first")
    df = pd.read_parquet(clean / "figures.parquet")
    try:
        cache = json.loads((out / ".build-cache.json").read_text(encoding="utf-8")).get("entries", {})
    except (OSError, ValueError):
        cache = {}
    years = list(parse_years(years_text, sorted({int(y) for y in df["year"].unique()}))) or sorted(
        {int(e["year"]) for e in cache.values()}
    )
    if not years:
        raise AnalysisError(f"no briefings in {out} and no --years: nothing to overview")
    for path in write_overview(out, df, years, cache, files=files):
        print(path)
    return 0
