"""Lookups every section shares: values, ranks, medians, the year rules and row selection.

Pure functions over the tidy frame of `data/clean/figures.parquet` (one row per province, year,
indicator). What each section computes from them lives in `analysis.briefing.sections`.

Which indicators a section shows, in what order, is the catalogue's `section`/`order` columns.
Ranks, changes, medians, groups and the regime of a year are the rule book's (`analysis.rulebook`):
this module only hands it the cells of the frame. Across the 2025 merger, scores and ranks of the
old provinces are shown per old province, never averaged; only counts may be summed (and only
when every predecessor has a value).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd

from analysis import indicators, publications, rulebook
from analysis.briefing import lookups
from analysis.briefing.rowrules import first_years, register_dates, snapshots, source_dates  # noqa: F401
from analysis.briefing.scope import PRE_MERGER_REGIME, Scope
from analysis.errors import BriefingError

REGIME_SIZE = rulebook.REGIME_SIZE
PAPI_METHOD_BREAK = rulebook.method_breaks("papi")[0]  # for charts: where PAPI's line is split
Rank = rulebook.Rank

Cell = tuple[str, int, str]  # (regime, year, indicator)


@cache
def section_keys(section: str) -> tuple[str, ...]:
    """Indicators of a briefing section (catalogue column `section`), in the catalogue's `order`."""
    found = [ind for ind in indicators.catalogue().values() if ind.section == section]
    return tuple(i.key for i in sorted(found, key=lambda i: (i.order is None, i.order or 0)))


def headline_keys() -> tuple[str, ...]:
    """The headline indices in the order a briefing shows them (PAR Index, SIPAS, PCI, PAPI…)."""
    return section_keys("headline")


def subindex_families() -> tuple[str, ...]:
    """Families with sub-indices, in the order of their headline index."""
    cat = indicators.catalogue()
    fams = [cat[k].family for k in headline_keys()]
    subs = {cat[k].family for k in section_keys("subindices")}
    return tuple(dict.fromkeys(f for f in fams if f in subs))


def subindex_keys(family: str) -> tuple[str, ...]:
    """A family's sub-indices (catalogue section `subindices`) in catalogue order."""
    cat = indicators.catalogue()
    return tuple(k for k in section_keys("subindices") if cat[k].family == family)


def _ind(key: str) -> indicators.Indicator | None:
    return indicators.catalogue().get(key)


def rank_key(key: str) -> str | None:
    """The catalogue key holding the publisher's rank of this index (pci → pci_rank): the rule book's."""
    return rulebook.rank_key(key)


def with_ranks(keys: Iterable[str]) -> set[str]:
    """The keys and their rank keys."""
    out = set()
    for k in keys:
        out |= {k, rank_key(k) or k}
    return out


def higher_is_better(key: str) -> bool:
    return rulebook.higher_is_better(key)


@dataclass
class _Frame:
    """Lookups built once per frame (a briefing asks for a few hundred slices; filtering the frame
    each time cost most of the briefing time): values by cell, row positions by cell and province."""

    df: pd.DataFrame
    table: dict[Cell, dict[str, float]] | None = None
    series: dict[Cell, pd.Series] = field(default_factory=dict)
    by_cell: dict[Cell, np.ndarray] | None = None
    by_province: dict[tuple[str, str], np.ndarray] | None = None
    ranks: dict[Cell, dict[str, Rank]] = field(default_factory=dict)
    years: dict[tuple[str, str], dict[str, tuple[int, ...]]] = field(default_factory=dict)
    first: np.ndarray | None = None  # each row's first briefing year (`year_true`)
    codes: dict[str, tuple[np.ndarray, list]] = field(default_factory=dict)  # `_codes`
    views: dict[int, pd.DataFrame] = field(default_factory=dict)  # `year_true`'s cuts by year
    digits: dict[Cell, dict[str, int]] | None = None  # the precision of each value `table` holds


_MEMO: dict[int, _Frame] = {}


def _frame(df: pd.DataFrame) -> _Frame:
    hit = _MEMO.get(id(df))
    if hit is not None and hit.df is df:
        return hit
    if len(_MEMO) >= 32:  # a briefing holds one frame per section: keep a few briefings' worth
        _MEMO.pop(next(iter(_MEMO)))
    _MEMO[id(df)] = hit = _Frame(df)
    return hit


def share_lookups(source: pd.DataFrame, copy: pd.DataFrame) -> None:
    """Give `copy` (an unmodified copy of `source`) the lookups built for `source`, so a briefing
    handed its own copy of the cached clean table does not build them again (0.1-0.2 s)."""
    memo = _positions(source)
    _table(source)
    if len(_MEMO) >= 32:
        _MEMO.pop(next(iter(_MEMO)))
    if memo.first is None and len(source):
        memo.first = first_years(source).to_numpy()
    shared = _Frame(copy, memo.table, dict(memo.series), memo.by_cell, memo.by_province)
    shared.first, shared.views = memo.first, memo.views  # the year cuts too (`year_true`)
    shared.digits = memo.digits  # the precisions of the values shared above
    shared.codes = dict(memo.codes)  # its own dict: a column a copy factorizes stays its own
    _MEMO[id(copy)] = shared


def _table(df: pd.DataFrame) -> dict[Cell, dict[str, float]]:
    """(regime, year, indicator) → {province code: value}, built once per frame (`lookups.table`).

    When a province has two rows (a conflict the clean stage kept), the first in source order wins;
    the notes section lists such conflicts so the briefing says so.
    """
    memo = _frame(df)
    if memo.table is None:
        memo.table, memo.digits = lookups.table(df, with_ranks(headline_keys()), lambda col: _codes(df, col))
    return memo.table


def _codes(df: pd.DataFrame, col: str) -> tuple[np.ndarray, list]:
    """A column as numbers (`lookups.factorize`), once per frame."""
    memo = _frame(df)
    if col not in memo.codes:
        memo.codes[col] = lookups.factorize(df[col])
    return memo.codes[col]


def year_true(df: pd.DataFrame, year: int) -> pd.DataFrame:
    """The rows a briefing of `year` may show: none of a later year, of a period ending later, or
    known only from a source dated past the rule book's horizon. The same frame when nothing is cut;
    else one cut per frame and year (its lookups built once, shared by every briefing of that year)."""
    memo = _frame(df)
    if memo.first is None:
        memo.first = first_years(df).to_numpy() if len(df) else np.zeros(0, dtype=int)
    keep = memo.first <= int(year)
    if keep.all():
        return df
    if int(year) not in memo.views:
        memo.views[int(year)] = view = df[keep]
        if lookups.FAST:  # the cut's columns as numbers: the frame's, at the rows kept
            _frame(view).codes = {col: (ids[keep], uniq) for col, (ids, uniq) in memo.codes.items()}
    return memo.views[int(year)]


def cell_values(df: pd.DataFrame, regime: str, year: int, key: str) -> dict[str, float]:
    """`values` as a plain dict {province code: value} (shared: do not modify), for callers that
    look up one cell per row and need no Series (the take-away CSV ranks ~600 rows)."""
    return _table(df).get((str(regime), int(year), key), {})


def values(df: pd.DataFrame, regime: str, year: int, key: str) -> pd.Series:
    """Values of one indicator for every province of a regime in a year, by province code (shared: do
    not modify the Series returned)."""
    memo, cell = _frame(df), (str(regime), int(year), key)
    if cell not in memo.series:
        memo.series[cell] = pd.Series(_table(df).get(cell, {}), dtype=float, name="value")
    return memo.series[cell]


def _positions(df: pd.DataFrame) -> _Frame:
    memo = _frame(df)
    if memo.by_cell is None:
        memo.by_cell, memo.by_province = lookups.positions(df, lambda col: _codes(df, col))
    return memo


def _take(df: pd.DataFrame, parts: list[np.ndarray]) -> pd.DataFrame:
    if not parts:
        return df.iloc[0:0]
    return df.iloc[np.sort(np.concatenate(parts))]


def province_rows(df: pd.DataFrame, code: str, regime: str) -> pd.DataFrame:
    """One province's rows (of one regime), in the frame's order."""
    found = _positions(df).by_province.get((str(code), str(regime)))
    return _take(df, [] if found is None else [found])


def province_years(df: pd.DataFrame, code: str, regime: str) -> dict[str, tuple[int, ...]]:
    """{indicator: the years the province has a value of it}, built once per frame and province."""
    memo, who = _frame(df), (str(code), str(regime))
    if who not in memo.years:
        own = province_rows(df, code, regime)
        own = own[
            own["value"].notna() & ~(snapshots(own) & own["indicator"].isin(with_ranks(headline_keys())))
        ]
        found: dict[str, set[int]] = {}
        for key, year in zip(own["indicator"].tolist(), own["year"].tolist(), strict=True):
            found.setdefault(str(key), set()).add(int(year))
        memo.years[who] = {k: tuple(sorted(v)) for k, v in found.items()}
    return memo.years[who]


def value_of(df: pd.DataFrame, code: str, regime: str, year: int, key: str) -> float | None:
    return _table(df).get((str(regime), int(year), key), {}).get(code)


def cell_precisions(df: pd.DataFrame, regime: str, year: int, key: str) -> dict[str, int]:
    """{province code: the digits its source wrote} for the values `cell_values` gives (the figure
    model's `precision`); a province without one is absent: the catalogue's precision then applies."""
    _table(df)
    memo = _frame(df)
    if memo.digits is None:  # a frame given another's table (`share_lookups`) before it was built
        memo.table = None
        _table(df)
    return (memo.digits or {}).get((str(regime), int(year), key), {})


def precision_of(df: pd.DataFrame, code: str, regime: str, year: int, key: str) -> int | None:
    """The digits the source wrote for the value `value_of` gives; None when it did not say."""
    return cell_precisions(df, regime, year, key).get(code)


def national_median(df: pd.DataFrame, regime: str, year: int, key: str) -> tuple[float | None, int]:
    """Median over the provinces with a value, and how many they are (the rule book's coverage rule)."""
    return rulebook.median(cell_values(df, regime, year, key), regime)


def ranks(df: pd.DataFrame, regime: str, year: int, key: str) -> dict[str, Rank]:
    """Every province's rank on an index in a year, by the rule book, from the frame's cells (memoised)."""
    memo, cell = _frame(df), (str(regime), int(year), key)
    if cell not in memo.ranks:
        rk = rank_key(key)
        published = cell_values(df, regime, year, rk) if rk else {}
        memo.ranks[cell] = rulebook.ranks(key, int(year), cell_values(df, regime, year, key), published)
    return memo.ranks[cell]


def rank_of(df: pd.DataFrame, code: str, regime: str, year: int, key: str) -> Rank:
    """The province's rank on an index: published, computed over the complete set, or none."""
    return ranks(df, regime, year, key).get(str(code), rulebook.NO_RANK)


def quartile_group(
    df: pd.DataFrame, regime: str, year: int, code: str, key: str = "papi"
) -> publications.QuartileGroup | None:
    """The province's quartile group (PAPI's convention, the rule book's rule) with its labels."""
    vals = cell_values(df, regime, year, key)
    groups = rulebook.quartile_groups(key, int(year), vals, higher_is_better(key))
    return publications.group_label(groups[code], len(vals)) if code in groups else None


def has_index_values(df: pd.DataFrame) -> pd.Series:
    """Boolean mask of rows carrying a headline index value or rank."""
    return df["indicator"].isin(with_ranks(headline_keys())) & df["value"].notna() & ~snapshots(df)


def year_regime(year: int) -> str:
    return rulebook.year_regime(year)


def default_year(df: pd.DataFrame) -> int:
    """Latest year in which at least half the provinces of that year's regime have an index value.

    Falls back to the latest year with any data (a year with a few top-10 lists is not "the latest
    year with data" for a whole-country build).
    """
    if df.empty:
        raise BriefingError("no figures: the clean data is empty", step="default year")
    idx = df[has_index_values(df)]
    for year in sorted(idx["year"].unique(), reverse=True):
        regime = year_regime(int(year))
        covered = idx[(idx["year"] == year) & (idx["regime"] == regime)]["province_code"].nunique()
        if covered * 2 >= REGIME_SIZE[regime]:
            return int(year)
    return int(df["year"].max())


def index_rows(df: pd.DataFrame, code: str, regime: str) -> pd.DataFrame:
    """The province's own rows carrying a headline index value or rank (what the year rule reads)."""
    own = province_rows(df, code, regime)
    return own[has_index_values(own)]


def effective_year(df: pd.DataFrame, scope: Scope, year: int) -> tuple[int, bool]:
    """The year the headline shows: the one asked, or (if the province has no index value then)
    the latest earlier year that has one, else the latest year at all. Returns (year, fell_back)."""
    years = sorted(index_rows(df, scope.code, scope.regime)["year"].unique())
    if year in years or not years:
        return year, False
    earlier = [y for y in years if y < year]
    return int(earlier[-1] if earlier else years[-1]), True


def own_rows(df: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """Rows of the province itself and, for a merged province, of its predecessors."""
    found = _positions(df).by_province
    return _take(df, [found[k] for m in scope.members() if (k := (m.code, m.regime)) in found])


def cells(df: pd.DataFrame, wanted: Iterable[Cell]) -> pd.DataFrame:
    """Every province's rows of the given (regime, year, indicator) cells, in the frame's order."""
    found = _positions(df).by_cell
    keys = {(str(r), int(y), str(k)) for r, y, k in wanted}
    return _take(df, [found[k] for k in keys if k in found])


def index_cells(df: pd.DataFrame, code: str, regime: str) -> set[Cell]:
    """(regime, year, key) and its rank key for every headline index value the province has."""
    own = province_rows(df, code, regime)
    own = own[own["indicator"].isin(headline_keys()) & own["value"].notna()]
    out: set[Cell] = set()
    for y, key in zip(own["year"], own["indicator"], strict=True):
        out |= {(regime, int(y), k) for k in with_ranks([str(key)])}
    return out


def union(frames: Iterable[pd.DataFrame], df: pd.DataFrame) -> pd.DataFrame:
    """Rows of `df` in any of the frames (subsets of it), in `df`'s order."""
    labels = [f.index.to_numpy() for f in frames if len(f)]
    if not labels:
        return df.iloc[0:0]
    return df[df.index.isin(np.concatenate(labels))]


def summed_counts(df: pd.DataFrame, scope: Scope, key: str) -> pd.DataFrame:
    """A merged province's pre-merger totals of a count: summed over predecessors, only in years where
    every predecessor has a value. Scores and ranks are refused: averaging them would invent a history."""
    ind = indicators.get(key)
    if ind.unit not in {"count", "people", "km2", "vnd"}:
        raise BriefingError(
            f"{key!r} is a {ind.unit}, not a count: it cannot be summed across the merger",
            province=scope.name,
            step="summed counts",
        )
    preds = [p for p in scope.predecessors if p.regime == PRE_MERGER_REGIME]
    if not preds:
        return pd.DataFrame(columns=["year", "value", "n"])
    rows = own_rows(df, Scope(scope.code, scope.regime, scope.name, predecessors=tuple(preds)))
    rows = rows[(rows["indicator"] == key) & (rows["regime"] == PRE_MERGER_REGIME)].dropna(subset=["value"])
    rows = rows.drop_duplicates(["province_code", "year"])
    agg = rows.groupby("year").agg(value=("value", "sum"), n=("province_code", "nunique")).reset_index()
    return agg[agg["n"] == len(preds)].reset_index(drop=True)
