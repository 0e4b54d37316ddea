"""Title and summary: the briefing's one title, then a few plain sentences from the numbers of the
other sections (headline indices, strongest and weakest sub-indices, online figures).

Rows: none of its own; it reads the results of the sections it summarises.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis import config, indicators, provinces, rulebook
from analysis.briefing import metrics
from analysis.briefing.context import Context
from analysis.briefing.fmt import decimals, fmt_rank, fmt_target, fmt_value, heading, shown_precision
from analysis.briefing.labels import briefing_title, esc, index_name, join_names, t
from analysis.briefing.scope import province_name
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
    # on the unrounded values: "at" only when equal; apart but equal as shown: "slightly"
    side = rulebook.standing(fig.value, fig.median, decimals(fig.key))
    key = {
        rulebook.AT: "at_median",
        rulebook.ABOVE: "above_median",
        rulebook.SLIGHTLY_ABOVE: "slightly_above_median",
        rulebook.SLIGHTLY_BELOW: "slightly_below_median",
    }.get(side, "below_median")
    return t(key, lang, m=m)


def headline_sentence(f: IndexFigure, lang: str, target: rulebook.Target | None = None) -> str:
    """ "PCI 2018: 65,40 điểm, hạng 12/63, tăng 3 bậc so với 2017; cao hơn trung vị cả nước (63,80)."""
    digits = shown_precision(getattr(f, "precision", None), f.key)  # the source's, as the table prints it
    parts = [fmt_value(f.value, f.key, lang, precision=digits)] if f.value is not None else []  # a rank alone
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
        goal = fmt_target(target.value, target.qualifier, f.key, lang)  # as the decision wrote it
        period, set_by = getattr(target, f"by_{lang}"), getattr(target, f"set_by_{lang}")
        text += f"; {t('target_phrase', lang, target=goal, period=period, set_by=set_by)}"
    return text + "."


def _target(f: IndexFigure) -> rulebook.Target | None:
    """The rule book's target for a headline figure (a rank alone has none: it is no percentage)."""
    if f.value is None:
        return None
    return rulebook.target_for(f.key, indicators.get(f.key).unit, f.year)


def merger_lead(ctx: Context, figures: list[IndexFigure]) -> list[str]:
    """The headline sentences, the 2025 merger told first where it matters.

    A 2024 briefing of a province that merges on 2025-07-01 says so before its figures; a briefing
    of one of the 34 leads with the new province (its own figures, then what is not yet published
    for it), then the former provinces' latest figures."""
    lang, s = ctx.lang, ctx.scope
    out: list[str] = []
    if s.regime == "63" and ctx.year == config.MERGER_YEAR - 1:
        new = provinces.successor(provinces.get(s.code, s.regime))
        parts = provinces.predecessors(new) if new.regime == "34" else []
        if len(parts) > 1:
            names = join_names([province_name(p, lang) for p in parts], lang)
            new_name = province_name(new, lang)
            out.append(t("merger_ahead", lang, names=names, successor=new_name, name=ctx.display_name))
        return out + [headline_sentence(f, lang, _target(f)) for f in figures]
    if s.regime != "34":
        return [headline_sentence(f, lang, _target(f)) for f in figures]
    parts = [p.name for p in s.predecessors]  # named in the briefing's language (scope_for)
    if len(parts) > 1:
        out.append(t("merger_lead", lang, name=ctx.display_name, parts=join_names(parts, lang)))
    else:
        out.append(t("merger_same_lead", lang, name=ctx.display_name))
    own = [f for f in figures if not f.earlier and not f.member]
    out += [headline_sentence(f, lang, _target(f)) for f in own]
    shown = {f.key for f in own}
    missing = [k for k in metrics.headline_keys() if k not in shown]
    if missing:  # what we know: none found in our data (as of its cut-off), not "none published"
        keys = ", ".join(index_name(k, lang) for k in missing)
        cutoff = _cutoff()
        out.append(t("not_found_yet", lang, year=ctx.year, name=ctx.display_name, keys=keys, cutoff=cutoff))
    older = [f for f in figures if f not in own]
    if older:  # former provinces only where a merger formed the province (merger_2025.csv)
        heading_key = "former_figures" if len(parts) > 1 else "earlier_own_figures"
        out.append(t(heading_key, lang, name=ctx.display_name))
        out += [headline_sentence(f, lang, _target(f)) for f in older]
    return out


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
    out += merger_lead(ctx, figures)
    out += [subindex_section.sentence(s, lang) for s in needs["subindices"]]
    out += online_section.sentences(needs["online"], lang)
    return out


def table(result: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"sentence": result})


def _cutoff() -> str:
    """The data's cut-off date (the sidecars' latest read), as the page's stamp shows it."""
    from analysis.briefing.sections.notes import citations

    return citations().cutoff() or "—"


def stamp(lang: str) -> str:
    """The build date (CCHC_BUILD_DATE, else today) and the data's cut-off (the sidecars' latest read)."""
    import datetime
    import os

    from analysis.briefing.sections.notes import citations

    built = os.environ.get("CCHC_BUILD_DATE") or datetime.date.today().isoformat()
    return t("stamp", lang, built=built, cutoff=citations().cutoff() or "—")


def html(result: list[str], ctx: Context) -> str:
    region = f" · {esc(ctx.region_name)}" if ctx.region_name else ""
    title = briefing_title(ctx.display_name, ctx.year, ctx.lang)
    items = "".join(f"<li>{esc(s)}</li>" for s in result)
    return (
        f'<h1 class="cchc-title">{esc(title)}</h1>'
        f'<p class="muted">{esc(t("year", ctx.lang))}: {ctx.year}{region}</p>'
        f'<p class="muted cchc-stamp">{esc(stamp(ctx.lang))}</p>'
        f'{heading(2, t("summary", ctx.lang))}<ul class="cchc-summary">{items}</ul>'
    )


def render(result: list[str], ctx: Context) -> list:
    return [html(result, ctx)]
