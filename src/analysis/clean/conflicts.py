"""Values two sources of equal standing give differently, which the clean stage leaves unsettled.

The clean stage puts both rows in the rejects ("conflicts with …"), so the clean table holds no
value for the cell; a page that shows "—" there must say why and name both values and sources
(issue #16: a source conflict is never hidden). This module reads them back from `rejects.csv`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from analysis import config, provinces
from analysis.errors import AnalysisError

CONFLICT = "conflicts with "


@dataclass(frozen=True)
class Conflict:
    """One province-year-indicator cell with differing values: (value, [sources]) pairs, by value."""

    code: str
    regime: str
    year: int
    indicator: str
    values: tuple[tuple[float, tuple[str, ...]], ...]


def site(source: str) -> str:
    """A source as a reader recognises it: the web site's host (nhadautu.vn), else the text."""
    host = urlsplit(str(source)).hostname if "://" in str(source) else None
    return (host or str(source)).removeprefix("www.")


def from_rejects(rejects: pd.DataFrame) -> tuple[Conflict, ...]:
    """The conflicts among a rejects table (clean.stage's columns)."""
    if rejects.empty or "reason" not in rejects:
        return ()
    rows = rejects[rejects["reason"].astype(str).str.startswith(CONFLICT)]
    cells: dict[tuple[str, str, int, str], dict[float, list[str]]] = {}
    for r in rows.itertuples(index=False):
        try:
            year = int(float(r.year))
            prov = provinces.resolve(str(r.province), year).province
            value = float(r.value)
        except (AnalysisError, ValueError):
            continue
        srcs = cells.setdefault((prov.code, prov.regime, year, str(r.indicator)), {}).setdefault(value, [])
        if site(r.source) not in srcs:
            srcs.append(site(r.source))
    return tuple(
        Conflict(code, regime, year, key, tuple((v, tuple(s)) for v, s in sorted(vals.items(), reverse=True)))
        for (code, regime, year, key), vals in sorted(cells.items())
        if len(vals) > 1
    )


@functools.cache
def _load(path: str, mtime: int, size: int) -> tuple[Conflict, ...]:
    return from_rejects(pd.read_csv(path, dtype=str, keep_default_na=False))


def load(clean_dir: Path | str | None = None) -> tuple[Conflict, ...]:
    """The conflicts of the clean stage's last run (none when it has written no rejects)."""
    path = Path(clean_dir or config.CLEAN_DIR) / "rejects.csv"
    try:
        st = path.stat()
    except OSError:
        return ()
    return _load(str(path), st.st_mtime_ns, st.st_size)


def of_cell(
    found: tuple[Conflict, ...], regime: str, year: int, indicator: str, code: str | None = None
) -> list[Conflict]:
    """The conflicts of one index-year (of one province when `code` is given)."""
    return [
        c
        for c in found
        if c.regime == str(regime)
        and c.year == int(year)
        and c.indicator == indicator
        and code in (None, c.code)
    ]
