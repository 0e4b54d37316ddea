"""Title and summary: the briefing's one title, then a few plain sentences from the numbers of the
other sections (headline indices, strongest and weakest sub-indices, online figures).

Rows: none of its own; it reads the results of the sections it summarises.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis import indicators, rulebook
from analysis.briefing.context import Context
from analysis.briefing.fmt import decimals, fmt_rank, fmt_value, heading
from analysis.briefing.labels import briefing_title, esc, index_name, join_names, t
from analysis.briefing.sections import online as online_section
from analysis.briefing.sections import subindices as subindex_section
from analysis.briefing.sections.headline import IndexFigure, rank_move

NAME = "title"
NEEDS: tuple[str, ...] = ("headline", "subindices", "online", "trend")


def rows(df: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    return df.iloc[0:0]


def median_phrase(fig: IndexFigure, lang: str) -> str:
    if fig.median is None or fig.value is None:
        return ""
    m = fmt_value(fig.median, fig.key, lang, with_unit=False)
    side = rulebook.standing(fig.value, fig.median, decimals(fig.key))  # at the precision shown
    return t({rulebook.AT: "at_median", rulebook.ABOVE: "above_median"}.get(side, "below_median"), lang, m=m)


def headline_sentence(f: IndexFigure, lang: str, target: rulebook.Target | None = None) -> str:
    """ "PCI 2018: 65,40 điểm, hạng 12/63, tăng 3 bậc so với 2017; cao hơn trung vị cả nước (63,80)."""
    parts = [fmt_value(f.value, f.key, lang)] if f.value is not None else []  # a rank alone (PAR Index)
    if f.rank.rank is not None:
        parts.append(fmt_rank(f.rank, lang))
    move = rank_move(f, lang)
    if move:
        parts.append(move)
    who = f" ({f.member})" if getattr(f, "member", "") else ""  # a former province's figure (2025 on)
    text = f"{index_name(f.key, lang)} {f.year}{who}: " + ", ".join(parts)
    med = median_phrase(f, lang)
    text += f"; {med}" if med else ""
    if target is not None:
        goal = fmt_value(target.value, f.key, lang)
        if target.qualifier in ("over", "under", "approx"):
            goal = f"{t(target.qualifier, lang)} {goal}"
        period, set_by = getattr(target, f"by_{lang}"), getattr(target, f"set_by_{lang}")
        text += f"; {t('target_phrase', lang, target=goal, period=period, set_by=set_by)}"
    return text + "."


def _target(f: IndexFigure) -> rulebook.Target | None:
    """The rule book's target for a headline figure (a rank alone has none: it is no percentage)."""
    if f.value is None:
        return None
    return rulebook.target_for(f.key, indicators.get(f.key).unit, f.year)


def compute(df: pd.DataFrame, ctx: Context, needs: Mapping[str, object]) -> list[str]:
    """The summary's sentences: what stands out, nothing generic."""
    lang, figures, trend = ctx.lang, needs["headline"], needs["trend"]
    out = []
    if ctx.fell_back:
        out.append(t("fallback", lang, asked=ctx.year_asked, name=ctx.display_name, year=ctx.year))
    if not figures:
        merged = ctx.scope.merged and not trend.empty
        key = "no_data_merged" if merged else "no_data"
        out.append(t(key, lang, name=ctx.display_name, year=ctx.year))
    out += [headline_sentence(f, lang, _target(f)) for f in figures]
    out += [subindex_section.sentence(s, lang) for s in needs["subindices"]]
    out += online_section.sentences(needs["online"], lang)
    if ctx.scope.merged and len(ctx.scope.predecessors) > 1:
        names = join_names([p.name for p in ctx.scope.predecessors], lang)
        out.append(t("history_of", lang, names=names) + ".")
    return out


def table(result: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"sentence": result})


def html(result: list[str], ctx: Context) -> str:
    region = f" · {esc(ctx.region_name)}" if ctx.region_name else ""
    title = briefing_title(ctx.display_name, ctx.year, ctx.lang)
    items = "".join(f"<li>{esc(s)}</li>" for s in result)
    return (
        f'<h1 class="cchc-title">{esc(title)}</h1>'
        f'<p class="muted">{esc(t("year", ctx.lang))}: {ctx.year}{region}</p>'
        f'{heading(2, t("summary", ctx.lang))}<ul class="cchc-summary">{items}</ul>'
    )


def render(result: list[str], ctx: Context) -> list:
    return [html(result, ctx)]
