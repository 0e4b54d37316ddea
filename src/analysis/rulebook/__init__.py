"""The rule book: what a briefing, a national page or a CSV may truthfully say (issue #16).

One rule, one place. Everything that decides a rank, a change, a median, a quartile group, the
regime of a year or the target of a figure is here, below `analysis.briefing` and the national
pages, which call it; `analysis audit` checks every briefing against the same rules.

- `ranks`: published or computed ranks and their base, bounds, method breaks, like-with-like changes;
- `coverage`: the regime of a year, national medians, comparisons with them, quartile groups;
- `targets`: which national target a figure is measured against;
- `yeartrue`: what a briefing of a year may show, cite and tell (figures, sources' dates, the merger).
"""

from analysis.rulebook.coverage import (
    ABOVE,
    AT,
    BELOW,
    REGIME_SIZE,
    SLIGHTLY_ABOVE,
    SLIGHTLY_BELOW,
    enough,
    gap,
    median,
    quartile_groups,
    standing,
    strongest_first,
    weakest_first,
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
    prefer_stated,
    previous_rank_year,
    previous_year,
    publisher_ranks,
    rank_change,
    rank_key,
    rank_of,
    ranks,
    stated_change_key,
    stated_change_year,
)
from analysis.rulebook.targets import Target, target_for, targets, why_not
from analysis.rulebook.yeartrue import HORIZON, first_year, known_by, merger_known, note_date, shown_in

__all__ = [
    "ABOVE",
    "AT",
    "BELOW",
    "COMPUTED",
    "HORIZON",
    "KINDS",
    "NO_RANK",
    "PUBLISHED",
    "REGIME_SIZE",
    "SLIGHTLY_ABOVE",
    "SLIGHTLY_BELOW",
    "Rank",
    "Target",
    "alike",
    "base",
    "comparable_years",
    "complete",
    "enough",
    "family",
    "first_year",
    "gap",
    "higher_is_better",
    "index_of_rank",
    "known_by",
    "median",
    "merger_known",
    "method_breaks",
    "note_date",
    "point_change",
    "prefer_stated",
    "previous_rank_year",
    "previous_year",
    "publisher_ranks",
    "quartile_groups",
    "rank_change",
    "rank_key",
    "rank_of",
    "ranks",
    "shown_in",
    "standing",
    "stated_change_key",
    "stated_change_year",
    "strongest_first",
    "target_for",
    "targets",
    "weakest_first",
    "why_not",
    "year_regime",
]
