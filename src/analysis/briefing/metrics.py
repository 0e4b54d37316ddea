"""Lookups every section shares: values, ranks, medians, the year rules and row selection.

Pure functions over the tidy frame of `data/clean/figures.parquet` (one row per province, year,
indicator). What each section computes from them lives in `analysis.briefing.sections`.

Rules kept here, in one place:
- which indicators a section shows, in what order, is the catalogue's `section`/`order` columns;
- a rank is the source's own (`<index>_rank`) when given; otherwise it is computed among the
  provinces of the same regime with a value that year, and reported as "of N" with that N;
- a national median needs at least half the provinces of the regime (a top-10 list is no country);
- PAPI aggregates from 2018 on are not comparable with earlier years (method change);
- across the 2025 merger, scores and ranks of the old provinces are shown per old province, never
  averaged; only counts may be summed (and only when every predecessor has a value).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import pandas as pd

from analysis import indicators
from analysis.briefing.scope import PRE_MERGER_REGIME, Scope
from analysis.config import MERGER_YEAR
from analysis.errors import BriefingError

REGIME_SIZE = {"63": 63, "34": 34}
PAPI_METHOD_BREAK = 2018  # PAPI 2018 recomposed the dimensions: aggregates before it are not comparable

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
    """The catalogue key holding the source's rank for an index (pci → pci_rank)."""
    ind = _ind(key)
    for candidate in (f"{key}_rank", f"{ind.family}_rank" if ind else ""):
        if candidate in indicators.catalogue():
            return candidate
    return None


def with_ranks(keys: Iterable[str]) -> set[str]:
    """The keys and their rank keys."""
    out = set()
    for k in keys:
        out |= {k, rank_key(k) or k}
    return out


def higher_is_better(key: str) -> bool:
    ind = _ind(key)
    return not (ind is not None and ind.higher_is_better is False)


@dataclass(frozen=True)
class Rank:
    rank: int | None
    of: int
    given: bool  # True: the source's own rank; False: computed among provinces with a value


_MEMO: dict[int, tuple[pd.DataFrame, dict[Cell, dict[str, float]]]] = {}


def _table(df: pd.DataFrame) -> dict[Cell, dict[str, float]]:
    """(regime, year, indicator) → {province code: value}, built once per frame.

    A briefing asks for a few hundred such slices; filtering the frame each time cost most of the
    metric time. When a province has two rows (a conflict the clean stage kept), the first in
    source order wins; the notes section lists such conflicts so the briefing says so.
    """
    hit = _MEMO.get(id(df))
    if hit is not None and hit[0] is df:
        return hit[1]
    rows = df.dropna(subset=["value"]).sort_values(["province_code", "source"], kind="stable")
    table: dict[Cell, dict[str, float]] = {}
    for code, regime, year, key, value in zip(
        rows["province_code"].tolist(),
        rows["regime"].tolist(),
        rows["year"].tolist(),
        rows["indicator"].tolist(),
        rows["value"].tolist(),
        strict=True,
    ):
        table.setdefault((str(regime), int(year), str(key)), {}).setdefault(str(code), float(value))
    if len(_MEMO) >= 24:  # a briefing holds one frame per section: keep a few briefings' worth
        _MEMO.pop(next(iter(_MEMO)))
    _MEMO[id(df)] = (df, table)
    return table


def values(df: pd.DataFrame, regime: str, year: int, key: str) -> pd.Series:
    """Values of one indicator for every province of a regime in a year, by province code."""
    found = _table(df).get((str(regime), int(year), key), {})
    return pd.Series(found, dtype=float, name="value")


def value_of(df: pd.DataFrame, code: str, regime: str, year: int, key: str) -> float | None:
    return _table(df).get((str(regime), int(year), key), {}).get(code)


def national_median(df: pd.DataFrame, regime: str, year: int, key: str) -> tuple[float | None, int]:
    """Median over the provinces with a value, and how many they are (None when under half have one)."""
    v = values(df, regime, year, key)
    enough = len(v) * 2 >= REGIME_SIZE.get(regime, len(v)) and len(v) >= 2
    return (float(v.median()) if enough else None), len(v)


def rank_of(df: pd.DataFrame, code: str, regime: str, year: int, key: str) -> Rank:
    """The province's rank on an index: the source's when given, else computed among those with values."""
    rk = rank_key(key)
    if rk is not None:
        given = value_of(df, code, regime, year, rk)
        if given is not None:
            return Rank(round(given), REGIME_SIZE.get(regime, len(values(df, regime, year, key))), True)
    v = values(df, regime, year, key)
    if code not in v.index:
        return Rank(None, len(v), False)
    ranks = v.rank(ascending=not higher_is_better(key), method="min")
    return Rank(int(ranks[code]), len(v), False)


def has_index_values(df: pd.DataFrame) -> pd.Series:
    """Boolean mask of rows carrying a headline index value or rank."""
    return df["indicator"].isin(with_ranks(headline_keys())) & df["value"].notna()


def year_regime(year: int) -> str:
    return "34" if year >= MERGER_YEAR else PRE_MERGER_REGIME


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
    own = df[(df["province_code"] == code) & (df["regime"] == regime)]
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
    mask = pd.Series(False, index=df.index)
    for m in scope.members():
        mask |= (df["province_code"] == m.code) & (df["regime"] == m.regime)
    return df[mask]


def cells(df: pd.DataFrame, wanted: Iterable[Cell]) -> pd.DataFrame:
    """Every province's rows of the given (regime, year, indicator) cells, in the frame's order."""
    wanted = {(str(r), int(y), str(k)) for r, y, k in wanted}
    if not wanted or df.empty:
        return df.iloc[0:0]
    keys = pd.MultiIndex.from_arrays([df["regime"].astype(str), df["year"].astype(int), df["indicator"]])
    return df[keys.isin(list(wanted))]


def index_cells(df: pd.DataFrame, code: str, regime: str) -> set[Cell]:
    """(regime, year, key) and its rank key for every headline index value the province has."""
    own = df[(df["province_code"] == code) & (df["regime"] == regime)]
    own = own[own["indicator"].isin(headline_keys()) & own["value"].notna()]
    out: set[Cell] = set()
    for y, key in zip(own["year"], own["indicator"], strict=True):
        out |= {(regime, int(y), k) for k in with_ranks([str(key)])}
    return out


def union(frames: Iterable[pd.DataFrame], df: pd.DataFrame) -> pd.DataFrame:
    """Rows of `df` in any of the frames (subsets of it), in `df`'s order."""
    index = pd.Index([])
    for f in frames:
        index = index.union(f.index)
    return df[df.index.isin(index)]


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
