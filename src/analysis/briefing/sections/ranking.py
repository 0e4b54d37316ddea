"""Ranking: every province's value on the briefing's main index in the year shown, best first, the
province highlighted with the publisher's rank.

The main index is the headline index the province has with the widest coverage that year. Rows:
every province's value and published rank of the headline indices the province has that year.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from analysis import provinces
from analysis.briefing import metrics
from analysis.briefing.context import Context
from analysis.briefing.fmt import fmt_value, heading
from analysis.briefing.labels import index_name, t

NAME = "ranking"
NEEDS: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ranking:
    key: str | None  # the index ranked (None: the province has no index value that year)
    year: int
    table: pd.DataFrame  # code, name, value, rank, rank_n, highlight; best first
    median: float | None


def rows(df: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    s = ctx.scope
    own = df[(df["province_code"] == s.code) & (df["regime"] == s.regime) & (df["year"] == ctx.year)]
    keys = set(own.loc[own["value"].notna(), "indicator"]) & set(metrics.headline_keys())
    return metrics.cells(df, {(s.regime, ctx.year, k) for k in metrics.with_ranks(keys)})


def main_index(df: pd.DataFrame, code: str, regime: str, year: int) -> str | None:
    """The index for the all-province ranking: the one the province has with the widest coverage."""
    best, best_n = None, 0
    for key in metrics.headline_keys():
        v = metrics.values(df, regime, year, key)
        if code in v.index and len(v) > best_n:
            best, best_n = key, len(v)
    return best


def ranking(df: pd.DataFrame, regime: str, year: int, key: str, highlight: str) -> pd.DataFrame:
    """All provinces with a value, best first: code, name, value, rank (of rank_n), highlight."""
    v = metrics.values(df, regime, year, key)
    names = (
        df[(df["regime"] == regime) & df["province_code"].isin(v.index)]
        .drop_duplicates("province_code")
        .set_index("province_code")["province_name"]
    )
    out = pd.DataFrame({"code": v.index, "value": v.to_numpy()})
    out["name"] = out["code"].map(names).fillna(out["code"]).astype(str)
    computed = out["value"].rank(ascending=not metrics.higher_is_better(key), method="min").astype(int)
    # The publisher's rank where it is given (a top-20 list ranks of 63, not of 20), else computed.
    rk = metrics.rank_key(key)
    published = metrics.values(df, regime, year, rk) if rk else pd.Series(dtype=float)
    given = out["code"].map(published)
    out["rank"] = given.round().fillna(computed).astype(int)
    out["rank_n"] = len(v)
    out.loc[given.notna(), "rank_n"] = metrics.REGIME_SIZE.get(regime, len(v))
    out["highlight"] = out["code"] == highlight
    order = out.sort_values(
        ["value", "name"], ascending=[not metrics.higher_is_better(key), True], kind="stable"
    )
    return order[["code", "name", "value", "rank", "rank_n", "highlight"]].reset_index(drop=True)


def _english_name(code: str, regime: str, fallback: str) -> str:
    by_code = provinces.registry().by_code
    return by_code[(code, regime)].name_en if (code, regime) in by_code else fallback


def compute(df: pd.DataFrame, ctx: Context, needs: Mapping[str, object] | None = None) -> Ranking:
    s = ctx.scope
    key = main_index(df, s.code, s.regime, ctx.year)
    if key is None:
        return Ranking(None, ctx.year, pd.DataFrame(), None)
    tab = ranking(df, s.regime, ctx.year, key, s.code)
    if ctx.lang == "en":
        tab["name"] = [_english_name(c, s.regime, n) for c, n in zip(tab["code"], tab["name"], strict=True)]
    median, _n = metrics.national_median(df, s.regime, ctx.year, key)
    return Ranking(key, ctx.year, tab, median)


def table(result: Ranking) -> pd.DataFrame:
    return result.table


def shown(result: Ranking) -> bool:
    return result.key is not None and len(result.table) >= 2


def render(result: Ranking, ctx: Context) -> list:
    """The heading and the ranking figure; nothing when fewer than two provinces have a value."""
    if not shown(result):
        return []
    from analysis.briefing import draw

    title = f"{t('ranking', ctx.lang)}: {index_name(result.key, ctx.lang)} {result.year}"
    svg = ranking_svg(result.table, result.key, result.year, ctx.lang, result.median)
    return [heading(2, title), draw.SvgFigure(svg, NAME, f"{title} — {ctx.display_name}")]


def ranking_svg(table: pd.DataFrame, key: str, year: int, lang: str, median: float | None) -> str:
    """Every province's value, best first, as dots; the province highlighted and named with its rank.

    Names are plain text under the axis (not tick labels: 63 tick objects cost a third of a second).
    """
    from analysis.briefing import draw

    with draw.style():
        n = len(table)
        name_size = 7.5 if n > 40 else 8
        bottom = draw.text_width(max(table["name"], key=len), name_size) + 0.15
        fig = draw.figure(2.6 + bottom)
        draw.margins(fig, left=0.55, right=0.1, top=0.3, bottom=bottom)
        ax = fig.add_subplot()
        x = list(range(n))
        values = table["value"].to_numpy()
        highlight = table["highlight"].to_numpy()
        colours = [draw.HIGHLIGHT if h else draw.OTHERS for h in highlight]
        lo, hi = float(values.min()), float(values.max())
        pad = (hi - lo) * 0.08 or 1.0
        ax.set_ylim(lo - pad, hi + pad * 3)
        ax.vlines(x, lo - pad, values, colors=colours, linewidth=0.8)
        ax.scatter(x, values, c=colours, s=[46 if h else 16 for h in highlight], zorder=3, linewidths=0)
        if median is not None:
            ax.axhline(median, color=draw.MEDIAN, linestyle="--", linewidth=0.9)
            ax.text(
                n - 0.5,
                median,
                f"{t('national_median', lang)}: {fmt_value(median, key, lang, with_unit=False)}",
                ha="right",
                va="bottom",
                fontsize=8,
                color=draw.MEDIAN,
            )
        trans = ax.get_xaxis_transform()
        for i, (name, h) in enumerate(zip(table["name"], highlight, strict=True)):
            ax.text(
                i,
                -0.02,
                name,
                transform=trans,
                rotation=90,
                ha="center",
                va="top",
                fontsize=name_size,
                color=draw.HIGHLIGHT if h else draw.MEDIAN,
                fontweight="bold" if h else "normal",
            )
        ax.set_xticks([])
        ax.set_xlim(-0.7, n - 0.3)
        ax.yaxis.set_major_formatter(draw.fmt_axis(key, lang))
        ax.grid(axis="y", color="#e3e7ec", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.spines["bottom"].set_visible(False)
        for row in table[table["highlight"]].itertuples():
            ax.annotate(
                f"{row.name}: {fmt_value(row.value, key, lang, with_unit=False)} "
                f"({t('rank_of', lang, r=row.rank, n=row.rank_n)})",
                (row.Index, row.value),
                xytext=(0, 8),
                textcoords="offset points",
                ha="left" if row.Index < n / 2 else "right",
                fontsize=8.5,
                fontweight="bold",
                color=draw.HIGHLIGHT,
            )
        ax.set_title(f"{index_name(key, lang)} {year} — {t('ranking', lang).lower()}")
        return draw.to_svg(fig)
