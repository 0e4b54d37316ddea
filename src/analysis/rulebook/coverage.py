"""Coverage, medians, quartile groups and the regime of a year: what may be said about a whole country.

- a year's regime: 63 provinces before the 2025 merger, 34 from 2025;
- a national median needs at least half the provinces of the regime (a top-10 list is no country);
- a comparison with the median is made on the unrounded values: "at the median" only when equal;
  a value below it is below it even where both round to the same figure (then "slightly below",
  never "at": Hòa Bình's PAPI 2024 43.4778 against the median 43.4796);
- strongest and weakest: one criterion, the gap to the national median (signed so that negative
  is worse); only a value above the median is a strength, only one below it is to improve;
- quartile groups (PAPI's convention: cut points at the 75th, 50th and 25th percentiles, linear
  interpolation, a value on a cut point in the better group) only over the complete set.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from analysis.config import MERGER_YEAR
from analysis.rulebook.ranks import complete

REGIME_SIZE = {"63": 63, "34": 34}
ABOVE, BELOW, AT = "above", "below", "at"
SLIGHTLY_ABOVE, SLIGHTLY_BELOW = "slightly_above", "slightly_below"  # apart, but equal at the precision shown


def year_regime(year: int) -> str:
    """'34' from the merger year on, else '63'."""
    return "34" if int(year) >= MERGER_YEAR else "63"


def enough(n: int, regime: str) -> bool:
    """Whether n provinces with a value are a country's worth (at least half, and at least two)."""
    return n >= 2 and n * 2 >= REGIME_SIZE.get(str(regime), n)


def _clean(values: Mapping[str, float]) -> dict[str, float]:
    return {c: float(v) for c, v in values.items() if v is not None and not math.isnan(float(v))}


def quantile(sorted_values: list[float], q: float) -> float:
    """Linear-interpolation quantile (numpy's and pandas' default) of sorted values."""
    pos = (len(sorted_values) - 1) * q
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def median(values: Mapping[str, float], regime: str) -> tuple[float | None, int]:
    """The national median over the provinces with a value, and their number (None if too few)."""
    vals = sorted(_clean(values).values())
    return (quantile(vals, 0.5) if enough(len(vals), regime) else None), len(vals)


def standing(value: float | None, reference: float | None, decimals: int | None = None) -> str | None:
    """ABOVE, BELOW or AT the reference, on the unrounded values (AT only when equal). With the
    precision shown (`decimals`), a difference that vanishes there is SLIGHTLY_ABOVE/SLIGHTLY_BELOW."""
    if value is None or reference is None:
        return None
    v, r = float(value), float(reference)
    if math.isclose(v, r, rel_tol=0, abs_tol=1e-9):
        return AT
    if decimals is not None and round(v, decimals) == round(r, decimals):
        return SLIGHTLY_ABOVE if v > r else SLIGHTLY_BELOW
    return ABOVE if v > r else BELOW


def gap(value: float, reference: float, higher_is_better: bool = True) -> float:
    """How far a value stands from the reference, negative when worse (the strongest/weakest criterion)."""
    d = float(value) - float(reference)
    return d if higher_is_better else -d


def weakest_first(gaps: Mapping[str, float]) -> list[str]:
    """The keys below the reference (gap < 0), weakest first; ties keep the given order."""
    below = [(g, i, k) for i, (k, g) in enumerate(gaps.items()) if g is not None and g < 0]
    return [k for _, _, k in sorted(below)]


def strongest_first(gaps: Mapping[str, float]) -> list[str]:
    """The keys above the reference (gap > 0), strongest first; ties keep the given order."""
    above = [(-g, i, k) for i, (k, g) in enumerate(gaps.items()) if g is not None and g > 0]
    return [k for _, _, k in sorted(above)]


def quartile_groups(
    key: str, year: int, values: Mapping[str, float], higher_is_better: bool = True
) -> dict[str, int]:
    """Province code → group 1 (best quarter) … 4, only over the complete set of the index that year."""
    clean = _clean(values)
    if len(clean) < 4 or not complete(key, year, len(clean)):
        return {}
    sign = 1 if higher_is_better else -1
    scores = {c: v * sign for c, v in clean.items()}
    ordered = sorted(scores.values())
    cuts = [quantile(ordered, q) for q in (0.75, 0.5, 0.25)]
    return {c: 1 + sum(v < cut for cut in cuts) for c, v in scores.items()}
