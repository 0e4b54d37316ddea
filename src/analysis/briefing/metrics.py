"""What a briefing computes from the clean figures: ranks, medians, changes, trends, rankings.

Pure functions over the tidy frame of `data/clean/figures.parquet` (one row per province, year,
indicator). Who the province is (its region, its pre-2025 predecessors) comes in as a `Scope`, so
these functions never look anything up themselves and are easy to test on a small frame.

Rules kept here, in one place:
- a rank is the source's own (`<index>_rank`) when given; otherwise it is computed among the
  provinces of the same regime with a value that year, and reported as "of N" with that N;
- PAPI aggregates from 2018 on are not comparable with earlier years (method change): no change
  is computed across that break;
- across the 2025 merger, scores and ranks of the old provinces are shown per old province, never
  averaged; only counts may be summed (and only when every predecessor has a value).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from analysis import indicators

if TYPE_CHECKING:
    from analysis import provinces

# Headline indices in the order a briefing shows them.
HEADLINE_KEYS: tuple[str, ...] = ("par_index", "sipas", "pci", "papi", "dti", "idx766_total")
# Families whose sub-indices get their own comparison (PCI's ten, PAPI's dimensions, DTI pillars…).
SUBINDEX_FAMILIES: tuple[str, ...] = ("pci", "papi", "dti", "idx766")
# Online public services and Project 06 (Đề án 06) figures, in reading order.
ONLINE_KEYS: tuple[str, ...] = (
    "dvc_online_provision_rate",
    "dvc_full_online_rate",
    "online_filing_rate",
    "online_payment_rate",
    "fee_procedures_on_national_portal_rate",
    "procedures_published_rate",
    "digitization_rate",
    "ontime_resolution_rate",
    "procedures_time_cut_rate",
    "procedures_time_cut_dossiers",
    "compliance_cost_saving",
    "public_services_count",
    "par_tasks_done_rate",
    "par_tasks_done",
    "par_tasks_total",
    "de_an_06_tasks_done",
    "de_an_06_tasks_total",
    "de_an_06_tasks_not_done",
    "citizen_id_issued_rate",
    "vneid_accounts_activated",
    "population_records_cleaned",
    "cashless_school_fee_rate",
    "social_benefit_via_account_rate",
    "pension_via_account_rate",
)
# "Tasks done of assigned": (done key, assigned key, not-done key or None).
TASK_PAIRS: tuple[tuple[str, str, str | None], ...] = (
    ("par_tasks_done", "par_tasks_total", None),
    ("de_an_06_tasks_done", "de_an_06_tasks_total", "de_an_06_tasks_not_done"),
)
REGIME_SIZE = {"63": 63, "34": 34}
PAPI_METHOD_BREAK = 2018  # PAPI 2018 recomposed the dimensions: aggregates before it are not comparable
PRE_MERGER_REGIME = "63"


@dataclass(frozen=True)
class Member:
    """One province of one regime, as the briefing names it."""

    code: str
    regime: str
    name: str


@dataclass(frozen=True)
class Scope:
    """The province a briefing is about, with what the registry knows about it."""

    code: str
    regime: str
    name: str
    region: str = ""
    region_codes: frozenset[str] = frozenset()
    predecessors: tuple[Member, ...] = ()  # pre-2025 provinces merged into a 34-regime province

    @property
    def merged(self) -> bool:
        """True for a 34-regime province: its history is that of its predecessors."""
        return self.regime != PRE_MERGER_REGIME and bool(self.predecessors)

    def members(self) -> tuple[Member, ...]:
        """Every (code, regime) whose rows belong to this briefing's history."""
        own = Member(self.code, self.regime, self.name)
        return (own, *[p for p in self.predecessors if (p.code, p.regime) != (own.code, own.regime)])


@dataclass(frozen=True)
class Rank:
    rank: int | None
    of: int
    given: bool  # True: the source's own rank; False: computed among provinces with a value


@dataclass(frozen=True)
class IndexFigure:
    """One headline index for the province and year."""

    key: str
    year: int
    value: float | None
    rank: Rank
    median: float | None
    median_n: int
    prev_year: int | None = None
    prev_value: float | None = None
    prev_rank: int | None = None
    comparable: bool = True  # False when a method change forbids comparing with prev_year

    @property
    def change(self) -> float | None:
        if not self.comparable or self.value is None or self.prev_value is None:
            return None
        return self.value - self.prev_value

    @property
    def rank_change(self) -> int | None:
        """Places gained since prev_year (positive = moved up)."""
        if not self.comparable or self.rank.rank is None or self.prev_rank is None:
            return None
        return self.prev_rank - self.rank.rank


@dataclass(frozen=True)
class SubindexResult:
    """A family's sub-indices for the province against the national and regional medians."""

    family: str
    year: int
    table: pd.DataFrame  # indicator, value, national_median, region_median, gap, rank, of
    strongest: str
    weakest: str


@dataclass(frozen=True)
class DataNotes:
    sources: tuple[str, ...]  # sources of the province's own figures shown
    missing: tuple[str, ...]  # headline indices with no value for the province that year
    computed_ranks: tuple[str, ...]  # headline indices whose rank was computed, not given
    papi_break: bool  # PAPI values both sides of the 2018 method change are shown
    conflicts: tuple[str, ...] = field(default=())  # indicators with two values for one province-year
    comparison_sources: tuple[str, ...] = field(default=())  # other provinces' figures (ranks, medians)


def _ind(key: str) -> indicators.Indicator | None:
    return indicators.catalogue().get(key)


def rank_key(key: str) -> str | None:
    """The catalogue key holding the source's rank for an index (pci → pci_rank)."""
    ind = _ind(key)
    for candidate in (f"{key}_rank", f"{ind.family}_rank" if ind else ""):
        if candidate in indicators.catalogue():
            return candidate
    return None


def subindex_keys(family: str) -> tuple[str, ...]:
    """The sub-indices of a family in catalogue order (scores of the family, not the aggregate).

    PAPI's public-service sub-dimensions (max 3.34) are parts of one dimension, not dimensions.
    """
    out = []
    for ind in indicators.catalogue().values():
        if ind.family != family or ind.unit != "score" or ind.key in HEADLINE_KEYS:
            continue
        if family == "papi" and ind.max is not None and ind.max < 10:
            continue
        out.append(ind.key)
    return tuple(out)


def higher_is_better(key: str) -> bool:
    ind = _ind(key)
    return not (ind is not None and ind.higher_is_better is False)


_MEMO: dict[int, tuple[pd.DataFrame, dict[tuple[str, int, str], dict[str, float]]]] = {}


def _table(df: pd.DataFrame) -> dict[tuple[str, int, str], dict[str, float]]:
    """(regime, year, indicator) → {province code: value}, built once per frame.

    A briefing asks for a few hundred such slices; filtering the frame each time cost most of the
    metric time. When a province has two rows (a conflict the clean stage kept), the first in
    source order wins; `data_notes` lists such conflicts so the briefing says so.
    """
    hit = _MEMO.get(id(df))
    if hit is not None and hit[0] is df:
        return hit[1]
    rows = df.dropna(subset=["value"]).sort_values(["province_code", "source"], kind="stable")
    table: dict[tuple[str, int, str], dict[str, float]] = {}
    for code, regime, year, key, value in zip(
        rows["province_code"].tolist(),
        rows["regime"].tolist(),
        rows["year"].tolist(),
        rows["indicator"].tolist(),
        rows["value"].tolist(),
        strict=True,
    ):
        table.setdefault((str(regime), int(year), str(key)), {}).setdefault(str(code), float(value))
    if len(_MEMO) >= 8:
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
    """Median over the provinces with a value, and how many they are.

    None when fewer than half the provinces of the regime have a value: the median of a top-10
    list says nothing about the country.
    """
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
    keys = set(HEADLINE_KEYS) | {rank_key(k) for k in HEADLINE_KEYS if rank_key(k)}
    return df["indicator"].isin(keys) & df["value"].notna()


def default_year(df: pd.DataFrame) -> int:
    """Latest year in which at least half the provinces of that year's regime have an index value.

    Falls back to the latest year with any data (a year with a few top-10 lists is not "the latest
    year with data" for a whole-country build).
    """
    if df.empty:
        raise ValueError("no figures: the clean data is empty")
    idx = df[has_index_values(df)]
    for year in sorted(idx["year"].unique(), reverse=True):
        regime = _year_regime(int(year))
        covered = idx[(idx["year"] == year) & (idx["regime"] == regime)]["province_code"].nunique()
        if covered * 2 >= REGIME_SIZE[regime]:
            return int(year)
    return int(df["year"].max())


def _year_regime(year: int) -> str:
    from analysis.config import MERGER_YEAR

    return "34" if year >= MERGER_YEAR else "63"


def own_rows(df: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """Rows of the province itself and, for a merged province, of its predecessors."""
    mask = pd.Series(False, index=df.index)
    for m in scope.members():
        mask |= (df["province_code"] == m.code) & (df["regime"] == m.regime)
    return df[mask]


def effective_year(df: pd.DataFrame, scope: Scope, year: int) -> tuple[int, bool]:
    """The year the headline shows: the one asked, or (if the province has no index value then)
    the latest earlier year that has one, else the latest year at all. Returns (year, fell_back)."""
    own = df[(df["province_code"] == scope.code) & (df["regime"] == scope.regime)]
    years = sorted(own[has_index_values(own)]["year"].unique())
    if year in years or not years:
        return year, False
    earlier = [y for y in years if y < year]
    return int(earlier[-1] if earlier else years[-1]), True


def headline(df: pd.DataFrame, scope: Scope, year: int) -> list[IndexFigure]:
    """Each headline index the province has that year, with rank, change and national median."""
    out = []
    for key in HEADLINE_KEYS:
        value = value_of(df, scope.code, scope.regime, year, key)
        if value is None:
            continue
        median, n = national_median(df, scope.regime, year, key)
        prev = _previous(df, scope, year, key)
        prev_year = prev[0] if prev else None
        comparable = not (key == "papi" and prev_year is not None and prev_year < PAPI_METHOD_BREAK <= year)
        prev_rank = rank_of(df, scope.code, scope.regime, prev_year, key).rank if prev_year else None
        out.append(
            IndexFigure(
                key=key,
                year=year,
                value=value,
                rank=rank_of(df, scope.code, scope.regime, year, key),
                median=median,
                median_n=n,
                prev_year=prev_year,
                prev_value=prev[1] if prev else None,
                prev_rank=prev_rank,
                comparable=comparable,
            )
        )
    return out


def _previous(df: pd.DataFrame, scope: Scope, year: int, key: str) -> tuple[int, float] | None:
    """The latest earlier year (same province, same regime) with a value for this index."""
    rows = df[
        (df["province_code"] == scope.code)
        & (df["regime"] == scope.regime)
        & (df["indicator"] == key)
        & (df["year"] < year)
    ].dropna(subset=["value"])
    if rows.empty:
        return None
    last = int(rows["year"].max())
    return last, float(rows[rows["year"] == last]["value"].iloc[0])


def subindices(df: pd.DataFrame, scope: Scope, year: int, family: str) -> SubindexResult | None:
    """Sub-indices against national and regional medians; strongest/weakest by gap to the national median."""
    rows = []
    for key in subindex_keys(family):
        v = values(df, scope.regime, year, key)
        if scope.code not in v.index:
            continue
        region = v[v.index.isin(scope.region_codes)] if scope.region_codes else v.iloc[0:0]
        value = float(v[scope.code])
        nat, _n = national_median(df, scope.regime, year, key)
        if nat is None:
            continue
        ranks = v.rank(ascending=not higher_is_better(key), method="min")
        rows.append(
            {
                "indicator": key,
                "value": value,
                "national_median": nat,
                "region_median": float(region.median()) if len(region) else float("nan"),
                "gap": value - nat,
                "rank": int(ranks[scope.code]),
                "of": len(v),
            }
        )
    if len(rows) < 2:
        return None
    table = pd.DataFrame(rows)
    order = table.sort_values(["gap", "value"], ascending=False, kind="stable")
    return SubindexResult(
        family, year, table, str(order.iloc[0]["indicator"]), str(order.iloc[-1]["indicator"])
    )


def trend(df: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """Every year of every headline index for the province, or for each predecessor separately.

    Columns: series (province name), code, regime, indicator, year, value, rank, of, rank_given,
    median (national; None when fewer than half the provinces have data), comparable (False for PAPI
    aggregates before the 2018 method change when later years exist).
    """
    rows = []
    own = own_rows(df, scope)
    for m in scope.members():
        mine = own[(own["province_code"] == m.code) & (own["regime"] == m.regime)]
        for key in HEADLINE_KEYS:
            years = sorted(mine[(mine["indicator"] == key) & mine["value"].notna()]["year"].unique())
            for year in years:
                r = rank_of(df, m.code, m.regime, int(year), key)
                median, _n = national_median(df, m.regime, int(year), key)
                rows.append(
                    {
                        "series": m.name,
                        "code": m.code,
                        "regime": m.regime,
                        "indicator": key,
                        "year": int(year),
                        "value": value_of(df, m.code, m.regime, int(year), key),
                        "rank": r.rank,
                        "of": r.of,
                        "rank_given": r.given,
                        "median": median,
                    }
                )
    cols = ["series", "code", "regime", "indicator", "year", "value", "rank", "of", "rank_given", "median"]
    cols.append("comparable")
    if not rows:
        return pd.DataFrame(columns=cols)
    out = pd.DataFrame(rows)
    papi_years = out.loc[out["indicator"] == "papi", "year"]
    spans_break = bool(len(papi_years)) and papi_years.max() >= PAPI_METHOD_BREAK > papi_years.min()
    out["comparable"] = ~((out["indicator"] == "papi") & (out["year"] < PAPI_METHOD_BREAK) & spans_break)
    order = {k: i for i, k in enumerate(HEADLINE_KEYS)}
    out = out.assign(_o=out["indicator"].map(order))
    out = out.sort_values(
        ["_o", "regime", "series", "year"], ascending=[True, False, True, True], kind="stable"
    )
    return out[cols].reset_index(drop=True)


def summed_counts(df: pd.DataFrame, scope: Scope, key: str) -> pd.DataFrame:
    """A merged province's pre-merger totals of a count: summed over predecessors, only in years where
    every predecessor has a value. Scores and ranks are refused: averaging them would invent a history."""
    ind = indicators.get(key)
    if ind.unit not in {"count", "people", "km2", "vnd"}:
        raise ValueError(f"{key!r} is a {ind.unit}, not a count: it cannot be summed across the merger")
    preds = [p for p in scope.predecessors if p.regime == PRE_MERGER_REGIME]
    if not preds:
        return pd.DataFrame(columns=["year", "value", "n"])
    rows = own_rows(df, Scope(scope.code, scope.regime, scope.name, predecessors=tuple(preds)))
    rows = rows[(rows["indicator"] == key) & (rows["regime"] == PRE_MERGER_REGIME)].dropna(subset=["value"])
    rows = rows.drop_duplicates(["province_code", "year"])
    agg = rows.groupby("year").agg(value=("value", "sum"), n=("province_code", "nunique")).reset_index()
    return agg[agg["n"] == len(preds)].reset_index(drop=True)


def main_index(df: pd.DataFrame, scope: Scope, year: int) -> str | None:
    """The index for the all-province ranking: the one the province has with the widest coverage."""
    best, best_n = None, 0
    for key in HEADLINE_KEYS:
        v = values(df, scope.regime, year, key)
        if scope.code in v.index and len(v) > best_n:
            best, best_n = key, len(v)
    return best


def ranking(df: pd.DataFrame, regime: str, year: int, key: str, highlight: str) -> pd.DataFrame:
    """All provinces with a value, best first: code, name, value, rank (of rank_n), highlight."""
    v = values(df, regime, year, key)
    names = (
        df[(df["regime"] == regime) & df["province_code"].isin(v.index)]
        .drop_duplicates("province_code")
        .set_index("province_code")["province_name"]
    )
    out = pd.DataFrame({"code": v.index, "value": v.to_numpy()})
    out["name"] = out["code"].map(names).fillna(out["code"]).astype(str)
    computed = out["value"].rank(ascending=not higher_is_better(key), method="min").astype(int)
    # The publisher's rank where it is given (a top-20 list ranks of 63, not of 20), else computed.
    rk = rank_key(key)
    published = values(df, regime, year, rk) if rk else pd.Series(dtype=float)
    given = out["code"].map(published)
    out["rank"] = given.round().fillna(computed).astype(int)
    out["rank_n"] = len(v)
    out.loc[given.notna(), "rank_n"] = REGIME_SIZE.get(regime, len(v))
    out["highlight"] = out["code"] == highlight
    return out.sort_values(["value", "name"], ascending=[not higher_is_better(key), True], kind="stable")[
        ["code", "name", "value", "rank", "rank_n", "highlight"]
    ].reset_index(drop=True)


def online(df: pd.DataFrame, scope: Scope, year: int, targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """Online public services and Project 06 figures for the province and year, against targets.

    Adds a derived `<done>_share` row (tasks done of assigned, in percent) where both counts exist.
    Columns: indicator, value, unit, qualifier, source, done_of (the assigned total for a done-count),
    target, target_by_vi/_en, set_by, source_url, target_note_vi/_en.
    """
    own = df[
        (df["province_code"] == scope.code)
        & (df["regime"] == scope.regime)
        & (df["year"] == year)
        & df["indicator"].isin(ONLINE_KEYS)
    ].dropna(subset=["value"])
    own = own.drop_duplicates("indicator")
    order = {k: i for i, k in enumerate(ONLINE_KEYS)}
    out = own.assign(_o=own["indicator"].map(order)).sort_values("_o")
    out = out[["indicator", "value", "unit", "qualifier", "source"]].reset_index(drop=True)
    vals = dict(zip(out["indicator"], out["value"], strict=True))
    done_of = {}
    for done, total, not_done in TASK_PAIRS:
        assigned = vals.get(total)
        if assigned is None and not_done in vals and done in vals:
            assigned = vals[done] + vals[not_done]
        if done in vals and assigned:
            done_of[done] = assigned
            # the assigned total is now read as "done of assigned": no separate row repeating it
            out = out[~out["indicator"].isin([total, not_done])]
    out = out.reset_index(drop=True)
    out["done_of"] = out["indicator"].map(done_of).astype("Float64")
    tcols = {
        "target": "target_value",
        "target_by_vi": "by_vi",
        "target_by_en": "by_en",
        "set_by": "set_by",
        "source_url": "source_url",
        "target_note_vi": "note_vi",
        "target_note_en": "note_en",
    }
    for col in tcols:
        out[col] = pd.NA
    if targets is not None and not out.empty:
        first = targets.drop_duplicates("indicator").set_index("indicator")
        hit = out["indicator"].isin(first.index)
        for col, tcol in tcols.items():
            out.loc[hit, col] = out.loc[hit, "indicator"].map(first[tcol])
    out["target"] = pd.to_numeric(out["target"], errors="coerce")
    return out


def used_cells(
    scope: Scope,
    figures: list[IndexFigure],
    subs: list[SubindexResult],
    trend: pd.DataFrame,
    online_keys: list[str],
    year: int,
) -> set[tuple[str, int, str]]:
    """(regime, year, indicator) of every value the briefing shows or compares against: the sources
    to cite are those of these rows, not of everything the inputs happen to contain."""
    cells: set[tuple[str, int, str]] = set()

    def add(regime: str, y: int, key: str) -> None:
        cells.update((regime, int(y), k) for k in (key, rank_key(key)) if k)

    for f in figures:
        add(scope.regime, f.year, f.key)
        if f.prev_year is not None:
            add(scope.regime, f.prev_year, f.key)
    for sub in subs:
        cells.update((scope.regime, sub.year, k) for k in sub.table["indicator"])
    for regime, y, key in zip(trend["regime"], trend["year"], trend["indicator"], strict=True):
        add(str(regime), int(y), str(key))
    cells.update((scope.regime, year, k) for k in online_keys)
    return cells


def data_notes(
    rows: pd.DataFrame,
    scope: Scope,
    year: int,
    figures: list[IndexFigure],
    trend: pd.DataFrame,
    cells: set[tuple[str, int, str]],
) -> DataNotes:
    """Sources used (the province's own, then the comparisons'), indices missing that year, ranks
    computed rather than given, conflicting values."""
    have = {f.key for f in figures}
    own = own_rows(rows, scope)
    keyed = pd.MultiIndex.from_arrays(
        [rows["regime"].astype(str), rows["year"].astype(int), rows["indicator"]]
    )
    used = rows[keyed.isin(list(cells))] if cells else rows.iloc[0:0]
    mine = used.index.isin(own.index)

    def distinct(frame: pd.DataFrame) -> list[str]:
        return sorted({str(s) for s in frame["source"].dropna() if str(s).strip()})

    own_sources = distinct(used[mine])
    other = [s for s in distinct(used[~mine]) if s not in set(own_sources)]
    dup = own[own["year"] == year].dropna(subset=["value"])
    dup = dup[dup.duplicated(["province_code", "indicator"], keep=False)]
    dup = dup[dup.groupby("indicator")["value"].transform("nunique") > 1]
    papi = trend[trend["indicator"] == "papi"] if not trend.empty else trend
    return DataNotes(
        sources=tuple(own_sources),
        comparison_sources=tuple(other),
        missing=tuple(k for k in HEADLINE_KEYS if k not in have),
        computed_ranks=tuple(f.key for f in figures if not f.rank.given and f.rank.rank is not None),
        papi_break=bool(len(papi)) and not bool(papi["comparable"].all()),
        conflicts=tuple(sorted(dup["indicator"].unique())),
    )


def inputs(df: pd.DataFrame, scope: Scope, year: int) -> pd.DataFrame:
    """Exactly the rows a briefing reads, so their hash is a safe rebuild key:

    - the province's own rows (and its predecessors') of every year;
    - every province's rows of the same regime in the year asked and the year shown (medians,
      sub-indices, ranking);
    - for each other year of the trend, every province's rows of the indices the province has
      that year and their ranks (computed ranks and the median line need them), nothing more.
    """
    own = own_rows(df, scope)
    eff, _ = effective_year(own, scope, year)
    mask = df.index.isin(own.index)
    for y in {year, eff}:
        mask |= ((df["regime"] == scope.regime) & (df["year"] == y)).to_numpy()
    idx_own = own[has_index_values(own)]
    wanted: set[tuple[str, int, str]] = set()
    for regime, y, key in zip(idx_own["regime"], idx_own["year"], idx_own["indicator"], strict=True):
        base = _base_key(str(key))
        wanted |= {(str(regime), int(y), k) for k in (base, rank_key(base)) if k}
    if wanted:
        triples = pd.MultiIndex.from_frame(df[["regime", "year", "indicator"]].astype({"year": int}))
        mask |= triples.isin(list(wanted))
    out = df[mask]
    return out.sort_values(
        ["regime", "year", "province_code", "indicator", "source"], kind="stable"
    ).reset_index(drop=True)


def _base_key(key: str) -> str:
    """The index a rank key belongs to (pci_rank → pci, idx766_rank → idx766_total)."""
    for k in HEADLINE_KEYS:
        if key == k or rank_key(k) == key:
            return k
    return key


def scope_for(p: provinces.Province, lang: str = "vi") -> Scope:
    """Who a briefing is about, from the registry: region members and, for one of the 34, the
    provinces it was formed from (names in the briefing's language)."""
    from analysis import provinces as reg

    def name(q: reg.Province) -> str:
        return q.name_en if lang == "en" else q.name

    region = frozenset(q.code for q in reg.all_provinces(p.regime) if q.region == p.region)
    preds: tuple[Member, ...] = ()
    if p.regime == "34":
        preds = tuple(Member(q.code, q.regime, name(q)) for q in reg.predecessors(p))
    return Scope(p.code, p.regime, name(p), p.region, region, preds)


def briefing_inputs(df: pd.DataFrame, province_code: str, regime: str, year: int) -> pd.DataFrame:
    """Exactly the rows a briefing for this province, regime and year reads (the build hashes them)."""
    from analysis import provinces as reg

    return inputs(df, scope_for(reg.get(province_code, regime)), int(year))
