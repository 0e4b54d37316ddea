"""The briefing's side of the build's contract: what the engine may know about a briefing.

The engine (analysis.build) imports this module and nothing else of `briefing/`: the notebook's
parameters, the rows a briefing reads (its rebuild key), the default year, the one title, the
clean table as the formats read it, and the kernel's warm-up. Importing it stays cheap (no
pandas until a function needs it, no matplotlib): the build's parent process plans with it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

# The notebook's parameters cell, in order (notebooks/briefing.ipynb).
PARAMETERS = ("province", "province_code", "regime", "year", "lang", "clean_dir")


def parameters(asked: str, code: str, regime: str, year: int, lang: str, clean_dir: str) -> dict[str, Any]:
    """What the notebook receives: the province as asked, and its code and regime resolved once by
    the build, so the notebook never resolves the name again."""
    return dict(zip(PARAMETERS, (asked, code, regime, int(year), lang, clean_dir), strict=True))


def rows_read(df: pd.DataFrame, code: str, regime: str, year: int) -> pd.DataFrame:
    """Exactly the rows the briefing reads (hashed into its rebuild key)."""
    from analysis.briefing.inputs import briefing_inputs

    return briefing_inputs(df, code, regime, year)


def default_year(df: pd.DataFrame) -> int:
    """The year built when none is asked for."""
    from analysis.briefing.inputs import default_year as year_of

    return year_of(df)


def title(code: str, regime: str, name: str, year: int, lang: str) -> str:
    """The page title, PDF running head and Word title: the briefing's own heading."""
    from analysis import provinces
    from analysis.briefing.labels import briefing_title

    shown = provinces.get(code, regime).name_en if lang == "en" else name
    return briefing_title(shown, year, lang)


@cache
def _table(path: str, mtime_ns: int, size: int) -> pd.DataFrame:
    import pandas as pd

    del mtime_ns, size  # the cache key only: a rewritten file is read again
    return pd.read_parquet(path)


def read_table(clean_dir: str | Path) -> pd.DataFrame:
    """The whole clean table as the build reads it (every column), once per file version."""
    path = Path(clean_dir) / "figures.parquet"
    st = path.stat()
    return _table(str(path), st.st_mtime_ns, st.st_size)


def warm_up(clean_dir: str | None = None) -> None:
    """Run in a new kernel before its first briefing: import what the notebook imports (pandas,
    matplotlib, the library) and read the clean table into the library's per-file cache,
    while the build does its own work. Binds no name in the kernel's namespace; a failure here is
    left for the briefing itself to report."""
    import contextlib
    import importlib

    for module in ("IPython.display", "analysis.briefing.core", "analysis.briefing.draw"):
        with contextlib.suppress(Exception):
            importlib.import_module(module)
    if clean_dir is not None:
        with contextlib.suppress(Exception):
            from analysis.briefing.core import read_figures

            read_figures(clean_dir)
