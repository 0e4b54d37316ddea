"""Ranks: published or computed, out of which base, and when two ranks may be compared.

The rules (issue #16), in one place for the briefings, the national pages and the audit:

- a rank is *published* (the publisher's own, out of the number of provinces the publisher ranked
  that year: PCI 2005 ranked 42, PCI 2006–2008 64 with Hà Tây, `data/rank_bases.csv`) or
  *computed* by us from the scores;
- a rank is computed only when we hold the complete ranked set for that index and year (every
  province the publisher ranked, or for PAPI, which ranks nobody, every province it scored);
  otherwise there is no rank: at most bounds ("between 30th and 31st by score"), and only where
  published neighbours bound the province's score on both sides;
- a change of rank compares two ranks of the same kind and base, of an index whose publisher ranks
  provinces, on the same side of every method break (`data/method_breaks.csv`); where the
  publisher ranks nobody (PAPI) a change is stated in points only.

Pure functions over plain {province code: value} maps: no frames, no I/O beyond the package data.
"""

from __future__ import annotations

import csv
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from analysis import indicators, publications
from analysis.config import MERGER_YEAR, PACKAGE_DATA

PUBLISHED = "published"
COMPUTED = "computed"
KINDS = (PUBLISHED, COMPUTED)
# Who released a published rank, where not the index's publisher: the province itself (VCCI publishes
# only its top 30 from 2023 and sends each province its own result; Nghệ An's PCI 2023, 44th).
BY_PROVINCE = "province"


@dataclass(frozen=True)
class Rank:
    """A province's rank on an index in a year: `kind` says whose rank it is, `of` out of how many.

    No rank: `rank` is None; `low`/`high` then bound it by score where published neighbours allow.
    """

    rank: int | None
    of: int | None
    kind: str = ""  # PUBLISHED, COMPUTED or "" (no rank)
    low: int | None = None
    high: int | None = None
    released: str = ""  # BY_PROVINCE: a published rank the publisher's own list does not hold

    @property
    def given(self) -> bool:
        """The publisher's own rank."""
        return self.kind == PUBLISHED

    @property
    def bounded(self) -> bool:
        return self.rank is None and self.low is not None and self.high is not None


NO_RANK = Rank(None, None)


def family(key: str) -> str:
    """The index family a key belongs to (pci_entry_costs → pci, idx766_total → idx766)."""
    ind = indicators.catalogue().get(key)
    return ind.family if ind is not None else key


def rank_key(key: str) -> str | None:
    """The catalogue key holding the publisher's rank of exactly this index (pci → pci_rank,
    idx766_total → idx766_rank); None for an index ranked by nobody we hold, e.g. a PCI sub-index
    (PCI's overall rank is not a sub-index's rank)."""
    cat = indicators.catalogue()
    ind = cat.get(key)
    if ind is None or ind.is_rank:
        return None
    if f"{key}_rank" in cat:
        return f"{key}_rank"
    fam = f"{ind.family}_rank"
    if ind.section == "headline" and fam in cat:
        return fam
    return None


def stated_change_key(key: str) -> str | None:
    """The catalogue key holding a change of rank as its source states it ("tăng 18 bậc") for this
    index (idx766_total → idx766_rank_change), None where the catalogue has none. Such a change is
    the source's word, not a rank of ours: where it is all a year holds, a briefing says only that
    (no score, no rank), never "no figure found"."""
    cat = indicators.catalogue()
    ind = cat.get(key)
    if ind is None or ind.is_rank or key.endswith("_rank_change"):
        return None
    if f"{key}_rank_change" in cat:
        return f"{key}_rank_change"
    fam = f"{ind.family}_rank_change"
    return fam if ind.section == "headline" and fam in cat else None


def stated_change_year(year: int) -> int:
    """The year a stated change of rank compares with: a `*_rank_change` of year Y is the places
    gained on Y − 1, as its source states it ("tăng 3 bậc so với năm 2023")."""
    return int(year) - 1


def prefer_stated(year: int, rank: Rank, computed_from: int | None, stated: int | None) -> bool:
    """Whether a briefing states the source's change of rank on the previous year rather than one it
    computes (issue #16: Lào Cai's PCI 2024, "up 3 places on 2023" in the article we cite, was "down
    7 places since 2020" from the published ranks of 2020 and 2024, the 2023 one not being held).

    The source's word wins where we would compare across a gap (`computed_from` earlier than the
    previous year) or not at all; two published ranks a year apart say the same thing and stand.
    It is never said beside a rank we computed: the stated change is of the publisher's rank, and a
    computed rank with it would read as its arithmetic."""
    if stated is None or rank.kind == COMPUTED:
        return False
    return computed_from is None or int(computed_from) < stated_change_year(year)


def index_of_rank(key: str) -> str | None:
    """The index a rank key ranks (pci_rank → pci, idx766_rank → idx766_total); None if not a rank key."""
    cat = indicators.catalogue()
    ind = cat.get(key)
    if ind is None or not ind.is_rank:
        return None
    stem = key.removesuffix("_rank")
    if stem in cat and not cat[stem].is_rank:
        return stem
    heads = [k for k in cat.values() if k.section == "headline" and k.family == ind.family]
    return heads[0].key if heads else None


def higher_is_better(key: str) -> bool:
    ind = indicators.catalogue().get(key)
    return not (ind is not None and ind.higher_is_better is False)


@cache
def _bases() -> tuple[tuple[str, int, int, int], ...]:
    with (PACKAGE_DATA / "rank_bases.csv").open(encoding="utf-8", newline="") as fh:
        return tuple(
            (r["index"], int(r["first_year"]), int(r["last_year"]), int(r["base"]))
            for r in csv.DictReader(fh)
        )


def base(key: str, year: int) -> int | None:
    """How many provinces the publisher ranked on this index (or its family) that year; None unknown."""
    fam = family(key)
    for index, first, last, n in _bases():
        if index == fam and first <= int(year) <= last:
            return n
    return None


def released_by_province(key: str, year: int, rank: float) -> bool:
    """Whether a published rank lies beyond the top N its publisher released that year (PCI 2023 and
    2024: the top 30): the publisher did not publish it, the province released its own result, and a
    page that states it says so (`fmt.released_note`)."""
    pub = publications.publication(family(key), int(year))
    return pub is not None and pub.released == "top_n" and bool(pub.top_n) and round(rank) > pub.top_n


def publisher_ranks(key: str, year: int) -> bool:
    """Whether the publisher ranks provinces on this index that year (PAPI: no, only groups)."""
    pub = publications.publication(family(key), int(year))
    return pub is None or pub.ranks_published


def complete(key: str, year: int, held: int) -> bool:
    """Whether `held` scores are the complete ranked set of the index that year: as many as the
    publisher ranked, or, where it ranks nobody (PAPI), all it scored by our publication record."""
    n = base(key, year)
    if n is not None:
        return held >= n
    if held >= (34 if int(year) >= MERGER_YEAR else 63):  # a value for every province of the regime
        return True
    pub = publications.publication(family(key), int(year))
    return pub is not None and pub.complete_held and pub.released in ("full", "groups_only") and held > 0


def _better(a: float, b: float, hib: bool) -> bool:
    return a > b if hib else a < b


def ranks(
    key: str, year: int, values: Mapping[str, float], published: Mapping[str, float] | None = None
) -> dict[str, Rank]:
    """Every province's rank on `key` in `year` (codes of `values` and `published`).

    `values` are the scores {code: value}; `published` the publisher's ranks {code: rank} of
    exactly this index (`rank_key`), ignored where the publisher ranks nobody.
    """
    year = int(year)
    hib = higher_is_better(key)
    pub = dict(published or {}) if publisher_ranks(key, year) else {}
    n_base = base(key, year)
    whole = complete(key, year, len(values))
    out: dict[str, Rank] = {}
    for code, r in pub.items():
        by = BY_PROVINCE if released_by_province(key, year, float(r)) else ""
        out[code] = Rank(round(float(r)), n_base, PUBLISHED, released=by)
    asc = sorted(float(v) for v in values.values())
    anchors = [(float(values[c]), round(float(pub[c]))) for c in pub if c in values]
    for code, raw in values.items():
        value = float(raw)
        if code in out:
            continue
        if whole:  # ties share the better rank ("min")
            better = len(asc) - bisect_right(asc, value) if hib else bisect_left(asc, value)
            out[code] = Rank(better + 1, len(values), COMPUTED)
            continue
        above = [r for v, r in anchors if _better(v, value, hib)]
        below = [r for v, r in anchors if _better(value, v, hib)]
        if above and below and max(above) + 1 <= min(below) - 1:
            out[code] = Rank(None, n_base, "", max(above) + 1, min(below) - 1)
        else:
            out[code] = NO_RANK
    return out


def rank_of(
    key: str, year: int, code: str, values: Mapping[str, float], published: Mapping[str, float] | None = None
) -> Rank:
    """One province's rank (see `ranks`); NO_RANK when it has neither a score nor a published rank."""
    return ranks(key, year, values, published).get(code, NO_RANK)


@cache
def _breaks() -> dict[str, tuple[int, ...]]:
    with (PACKAGE_DATA / "method_breaks.csv").open(encoding="utf-8", newline="") as fh:
        out: dict[str, list[int]] = {}
        for r in csv.DictReader(fh):
            out.setdefault(r["index"], []).append(int(r["year"]))
    return {k: tuple(sorted(v)) for k, v in out.items()}


def method_breaks(key: str) -> tuple[int, ...]:
    """Years from which the index's publisher changed its method (PAPI 2018)."""
    return _breaks().get(family(key), ())


def comparable_years(key: str, a: int, b: int) -> bool:
    """Whether figures of years a and b sit on the same side of every method break of the index."""
    lo, hi = sorted((int(a), int(b)))
    return not any(lo < brk <= hi for brk in method_breaks(key))


def point_change(
    key: str, prev_year: int, prev: float | None, year: int, value: float | None
) -> float | None:
    """value − prev, or None across a method break or without both values."""
    if prev is None or value is None or not comparable_years(key, prev_year, year):
        return None
    return float(value) - float(prev)


def rank_change(key: str, prev_year: int, prev: Rank, year: int, cur: Rank) -> int | None:
    """Places gained from prev_year to year (positive = moved up), or None where the two ranks are
    not alike: a missing rank, different kinds or bases, an index its publisher does not rank, or a
    method break in between."""
    if prev.rank is None or cur.rank is None or prev.kind != cur.kind or prev.of != cur.of:
        return None
    if not (publisher_ranks(key, prev_year) and publisher_ranks(key, year)):
        return None
    if not comparable_years(key, prev_year, year):
        return None
    return prev.rank - cur.rank


def alike(key: str, prev_year: int, prev: Rank, year: int, cur: Rank) -> bool:
    """The audit's test of a stated change: the one rule `rank_change` applies."""
    return rank_change(key, prev_year, prev, year, cur) is not None


def previous_year(year: int, held: Iterable[int]) -> int | None:
    """The year a change in points compares with: the latest earlier year holding a score (never an
    older one past it: Phú Thọ's PCI 2024 against 2022, not 2020)."""
    earlier = [int(y) for y in held if int(y) < int(year)]
    return max(earlier) if earlier else None


def previous_rank_year(key: str, year: int, cur: Rank, earlier: Mapping[int, Rank]) -> int | None:
    """The year a change of rank compares with: the latest earlier year whose rank is alike
    (`rank_change`: same kind and base, a ranking publisher, no method break). A briefing names that
    year; where it is not the year of the change in points, it says both."""
    for y in sorted((int(y) for y in earlier if int(y) < int(year)), reverse=True):
        if rank_change(key, y, earlier[y], year, cur) is not None:
            return y
    return None
