"""The sections of a briefing, one module each, listed in the order a briefing shows them.

A section module declares:

- ``NAME: str`` and ``NEEDS: tuple[str, ...]`` (the sections whose results it reads, e.g. the
  summary reads the headline's);
- ``rows(df, ctx) -> DataFrame``: the rows of the clean table it reads itself (a subset of ``df``,
  in ``df``'s order). The rebuild key (`analysis.briefing.inputs.briefing_inputs`) is the union of
  every section's rows, and a section is computed from its rows and its NEEDS' rows only
  (`section_rows`), so a row it forgets to declare is missing in tests, not silently in print;
- ``compute(df, ctx, needs) -> result``: what it computes (``needs`` maps each NEEDS name to that
  section's result);
- ``table(result) -> DataFrame``: the result as a table the analyst inspects in Jupyter
  (``b.table(name)``);
- ``render(result, ctx) -> list[str | SvgFigure]``: what it shows, in order: HTML fragments (data
  escaped) and figures. Modules import matplotlib (``analysis.briefing.draw``) only inside
  ``render``, so choosing rows stays light.

Adding a section: one module here, its name in `REGISTRY`, one notebook cell
``display(*b.section("name"))`` and one test: `analysis new-section NAME` writes all five (docs/sections.md).
"""

from __future__ import annotations

from types import ModuleType

import pandas as pd

from analysis.briefing import metrics
from analysis.briefing.context import Context
from analysis.briefing.sections import (
    distribution,
    headline,
    map,
    notes,
    online,
    papi,
    ranking,
    subindices,
    title,
    trend,
)
from analysis.errors import BriefingError

# The order a briefing shows them (the notebook has one cell per section, in this order).
REGISTRY: tuple[ModuleType, ...] = (
    title,
    headline,
    ranking,
    map,
    distribution,
    subindices,
    papi,
    trend,
    online,
    notes,
)


def names() -> tuple[str, ...]:
    return tuple(m.NAME for m in REGISTRY)


def get(name: str) -> ModuleType:
    """The section module of that name (a `BriefingError` naming the known ones otherwise)."""
    for m in REGISTRY:
        if name == m.NAME:
            return m
    raise BriefingError(f"unknown section {name!r}: expected one of {', '.join(names())}", step="section")


def compute_order() -> list[ModuleType]:
    """The sections in an order where every section comes after the ones it NEEDS."""
    done: list[ModuleType] = []
    pending = list(REGISTRY)
    while pending:
        ready = [m for m in pending if all(n in {d.NAME for d in done} for n in m.NEEDS)]
        if not ready:
            left = ", ".join(f"{m.NAME} needs {m.NEEDS}" for m in pending)
            raise BriefingError(f"section needs cannot be met: {left}", step="sections")
        done += ready
        pending = [m for m in pending if m not in ready]
    return done


def section_rows(
    name: str, df: pd.DataFrame, ctx: Context, own: dict[str, pd.DataFrame] | None = None
) -> pd.DataFrame:
    """The rows a section is computed from: its own and those of every section it NEEDS.

    `own` caches each section's `rows(df, ctx)` across calls of one briefing.
    """
    own = {} if own is None else own

    def rows_of(n: str) -> pd.DataFrame:
        if n not in own:
            own[n] = get(n).rows(df, ctx)
        return own[n]

    needed, todo = [], [name]
    while todo:
        n = todo.pop()
        if n not in needed:
            needed.append(n)
            todo += list(get(n).NEEDS)
    frames = [rows_of(n) for n in needed]
    return frames[0] if len(frames) == 1 else metrics.union(frames, df)
