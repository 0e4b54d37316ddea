"""Headline: each index of the year (PAR Index, SIPAS, PCI, PAPI, DTI, Decision 766) with value, rank
of N, change since the previous year and the national median.

Rows: for every year and index the province has a value, every province's value and rank (ranks
computed among provinces, the median), plus the province's own rows of those indices.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

import pandas as pd

from analysis.briefing import metrics
from analysis.briefing.context import Context
from analysis.briefing.fmt import fmt_delta, fmt_value, heading, html_table, short_rank
from analysis.briefing.labels import esc, index_name, t
from analysis.briefing.metrics import Rank

NAME = "headline"
NEEDS: tuple[str, ...] = ()


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


def rows(df: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    return metrics.cells(df, metrics.index_cells(df, ctx.scope.code, ctx.scope.regime))


def compute(df: pd.DataFrame, ctx: Context, needs: Mapping[str, object] | None = None) -> list[IndexFigure]:
    """Each headline index the province has in the year shown, with rank, change and national median."""
    scope, year = ctx.scope, ctx.year
    out = []
    for key in metrics.headline_keys():
        value = metrics.value_of(df, scope.code, scope.regime, year, key)
        if value is None:
            continue
        median, n = metrics.national_median(df, scope.regime, year, key)
        prev = _previous(df, scope.code, scope.regime, year, key)
        prev_year = prev[0] if prev else None
        comparable = not (
            key == "papi" and prev_year is not None and prev_year < metrics.PAPI_METHOD_BREAK <= year
        )
        prev_rank = metrics.rank_of(df, scope.code, scope.regime, prev_year, key).rank if prev_year else None
        out.append(
            IndexFigure(
                key=key,
                year=year,
                value=value,
                rank=metrics.rank_of(df, scope.code, scope.regime, year, key),
                median=median,
                median_n=n,
                prev_year=prev_year,
                prev_value=prev[1] if prev else None,
                prev_rank=prev_rank,
                comparable=comparable,
            )
        )
    return out


def _previous(df: pd.DataFrame, code: str, regime: str, year: int, key: str) -> tuple[int, float] | None:
    """The latest earlier year (same province, same regime) with a value for this index."""
    sel = df[
        (df["province_code"] == code)
        & (df["regime"] == regime)
        & (df["indicator"] == key)
        & (df["year"] < year)
    ].dropna(subset=["value"])
    if sel.empty:
        return None
    last = int(sel["year"].max())
    return last, float(sel[sel["year"] == last]["value"].iloc[0])


def table(result: list[IndexFigure]) -> pd.DataFrame:
    """One row per index: value, rank (given or computed), median, previous year's value and rank."""
    out = []
    for f in result:
        row = asdict(f)
        rank = row.pop("rank")
        row |= {"rank": rank["rank"], "of": rank["of"], "rank_given": rank["given"], "change": f.change}
        out.append(row)
    return pd.DataFrame(out)


def rank_move(fig: IndexFigure, lang: str, with_year: bool = True) -> str:
    """The rank change in words (tăng 3 bậc so với 2017 / up 3 places since 2017); empty when none."""
    if not fig.comparable:
        return t("not_comparable", lang)
    moved = fig.rank_change
    if moved is None or fig.prev_year is None:
        return ""
    places = t("place_one" if abs(moved) == 1 else "place_many", lang)
    keys = (
        ("up_places", "down_places", "same_place") if with_year else ("up_short", "down_short", "same_short")
    )
    if moved > 0:
        return t(keys[0], lang, n=moved, year=fig.prev_year, places=places)
    if moved < 0:
        return t(keys[1], lang, n=-moved, year=fig.prev_year, places=places)
    return t(keys[2], lang, year=fig.prev_year)


def render(result: list[IndexFigure], ctx: Context) -> list:
    """The headline table (no figure)."""
    text = html(result, ctx)
    return [text] if text else []


def html(result: list[IndexFigure], ctx: Context) -> str:
    lang = ctx.lang
    if not result:
        return ""  # the summary already says there is nothing for this year
    out = [heading(2, f"{t('headline', lang)} {ctx.year}")]
    if ctx.fell_back:
        said = t("fallback", lang, asked=ctx.year_asked, name=ctx.display_name, year=ctx.year)
        out.append(f'<p class="note">{esc(said)}</p>')
    head = [
        (esc(t("index", lang)), False),
        (esc(t("value", lang)), True),
        (esc(t("rank", lang)), True),
        (esc(t("change", lang)), False),
        (esc(t("national_median", lang)), True),
    ]
    body = []
    for f in result:
        change = ""
        if f.prev_year is not None:
            if f.comparable:
                delta = fmt_delta(f.change, f.key, lang)
                move = rank_move(f, lang, with_year=False)
                change = delta + (f", {move}" if move else "") + f" ({t('vs_year', lang, year=f.prev_year)})"
            else:
                change = t("not_comparable", lang)
        median = "—"
        if f.median is not None:
            median = (
                f"{esc(fmt_value(f.median, f.key, lang, with_unit=False))} <small>(n={f.median_n})</small>"
            )
        body.append(
            [
                (esc(index_name(f.key, lang)), False),
                (esc(fmt_value(f.value, f.key, lang, with_unit=False)), True),
                (esc(short_rank(f.rank)), True),
                (esc(change), False),
                (median, True),
            ]
        )
    out.append(html_table(head, body, "cchc-headline"))
    return "".join(out)
