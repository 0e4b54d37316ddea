"""The rule book: what a briefing, a national page or a CSV may truthfully say (issue #16).

One rule, one place. Everything that decides a rank, a change, a median, a quartile group, the
regime of a year or the target of a figure is here, below `analysis.briefing` and the national
pages, which call it; `analysis audit` checks every briefing against the same rules.

- `ranks`: published or computed ranks and their base, bounds, method breaks, like-with-like changes;
- `coverage`: the regime of a year, national medians, comparisons with them, quartile groups;
- `targets`: which national target a figure is measured against.
"""

from analysis.rulebook.coverage import (
    ABOVE,
    AT,
    BELOW,
    REGIME_SIZE,
    enough,
    median,
    quartile_groups,
    standing,
    year_regime,
)
from analysis.rulebook.ranks import (
    COMPUTED,
    KINDS,
    NO_RANK,
    PUBLISHED,
    Rank,
    alike,
    base,
    comparable_years,
    complete,
    family,
    higher_is_better,
    index_of_rank,
    method_breaks,
    point_change,
    publisher_ranks,
    rank_change,
    rank_key,
    rank_of,
    ranks,
)
from analysis.rulebook.targets import Target, target_for, targets, why_not

__all__ = [
    "ABOVE",
    "AT",
    "BELOW",
    "COMPUTED",
    "KINDS",
    "NO_RANK",
    "PUBLISHED",
    "REGIME_SIZE",
    "Rank",
    "Target",
    "alike",
    "base",
    "comparable_years",
    "complete",
    "enough",
    "family",
    "higher_is_better",
    "index_of_rank",
    "median",
    "method_breaks",
    "point_change",
    "publisher_ranks",
    "quartile_groups",
    "rank_change",
    "rank_key",
    "rank_of",
    "ranks",
    "standing",
    "target_for",
    "targets",
    "why_not",
    "year_regime",
]
