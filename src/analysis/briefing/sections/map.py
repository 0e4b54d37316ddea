"""The map: the same tile grid as the national overview, small, the province outlined.

Each province one equal tile placed roughly where it lies, coloured by its quartile group on the
briefing's main index (the ranking's), so a reader sees where the province stands and where the
strong and weak provinces are. Inline SVG (no figure file, no script); the tiles are not links, as
a briefing cannot know which other briefings were built beside it (the overview's tiles are).

Rows: none of its own; it reads the ranking section's result (every province's value).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from analysis import rulebook
from analysis.briefing import metrics, tilemap
from analysis.briefing.context import Context
from analysis.briefing.fmt import heading
from analysis.briefing.labels import esc, index_name, t

NAME = "map"
NEEDS: tuple[str, ...] = ("ranking",)


@dataclass(frozen=True)
class MapResult:
    key: str | None  # the index coloured (the ranking's main index)
    year: int
    regime: str
    groups: dict[str, int] = field(default_factory=dict)  # province code → quartile group
    n: int = 0  # provinces with a value


def rows(df: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    return df.iloc[0:0]


def compute(df: pd.DataFrame, ctx: Context, needs: Mapping[str, object] | None = None) -> MapResult:
    ranking = (needs or {}).get("ranking")
    regime = ctx.scope.regime
    if ranking is None or getattr(ranking, "key", None) is None or ranking.table.empty:
        return MapResult(None, ctx.year, regime)
    tab = ranking.table
    values = dict(zip(tab["code"], tab["value"], strict=True))
    groups = rulebook.quartile_groups(
        ranking.key, ranking.year, values, metrics.higher_is_better(ranking.key)
    )
    return MapResult(ranking.key, ranking.year, regime, groups, len(values))


def table(result: MapResult) -> pd.DataFrame:
    return pd.DataFrame(
        {"code": list(result.groups), "group": list(result.groups.values())}, columns=["code", "group"]
    )


def render(result: MapResult, ctx: Context) -> list:
    """A heading, the small map and a sentence saying the province's group; nothing without groups."""
    if result.key is None or not result.groups:
        return []
    lang, name = ctx.lang, index_name(result.key, ctx.lang)
    title = t("map", lang, index=name, year=result.year)
    svg = tilemap.tile_map_svg(
        result.regime, result.groups, lang, marked=ctx.scope.code, small=True, aria_label=title
    )
    group = result.groups.get(ctx.scope.code)
    text = ""
    if group is not None:
        group_text = tilemap.label("group_short", lang, group=group).lower()
        text = t(
            "map_text",
            lang,
            name=ctx.display_name,
            group=group_text,
            n=result.n,
            index=name,
            year=result.year,
        )
    return [
        heading(2, title),
        f'<div class="cchc-map"><figure>{svg}</figure><p>{esc(text)}</p></div>',
    ]
