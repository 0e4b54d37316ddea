"""Sub-indices: PCI's ten sub-indices, PAPI's dimensions, DTI's pillars, Decision 766's groups, each
against the national and regional medians and the national best (PAPI marks the best province's
score; so do we), with the strongest and weakest named by the rule book's one criterion (the gap
to the national median, `rulebook.strongest_first`/`weakest_first`, which the PAPI list uses too). Only the
first family gets a figure (a briefing keeps to five figures; the tables say the rest).

Rows: every province's values of the families' sub-indices (catalogue section `subindices`) in the
year shown.
"""

from __future__ import annotations

import statistics
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from analysis import indicators, provinces, rulebook
from analysis.briefing import metrics
from analysis.briefing.context import Context
from analysis.briefing.fmt import (
    decimals,
    fmt_delta,
    fmt_value,
    heading,
    html_table,
    short_rank,
    shown_precision,
)
from analysis.briefing.labels import esc, index_name, t
from analysis.briefing.metrics import Rank
from analysis.briefing.scope import province_name
from analysis.numbers import format_number

NAME = "subindices"
NEEDS: tuple[str, ...] = ()
# One figure (the first family's): with the distribution section's seaborn chart a briefing keeps to
# five figures; the other families' tables carry the same numbers as their chart would.
MAX_FIGURES = 1
TABLE_COLUMNS = [
    "indicator",
    "value",
    "national_median",
    "region_median",
    "gap",
    "rank",
    "of",
    "rank_kind",
    "best",
    "best_code",
    "precision",
    "best_precision",
]
BEST = "#2f7f6f"  # the national best's star: apart from the province red, the median ink, the region blue


@dataclass(frozen=True)
class SubindexResult:
    """A family's sub-indices for the province against the national and regional medians."""

    family: str
    year: int
    table: pd.DataFrame  # TABLE_COLUMNS
    strongest: str | None  # the largest gap above the national median (unrounded), else None
    weakest: str | None  # the largest gap below it, else None


def rows(df: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    keys = metrics.section_keys("subindices")
    return metrics.cells(df, {(ctx.scope.regime, ctx.year, k) for k in keys})


def subindices(df: pd.DataFrame, ctx: Context, family: str) -> SubindexResult | None:
    """One family's sub-indices; None when the province has fewer than two with a national median."""
    scope, year = ctx.scope, ctx.year
    out = []
    for key in metrics.subindex_keys(family):
        v = metrics.cell_values(df, scope.regime, year, key)  # {code: value}, shared: read only
        if scope.code not in v:
            continue
        region = [x for c, x in v.items() if c in scope.region_codes]
        value = float(v[scope.code])
        nat, _n = metrics.national_median(df, scope.regime, year, key)
        if nat is None:
            continue
        rank = metrics.rank_of(df, scope.code, scope.regime, year, key)
        # the national best: the first province (by code) with the best value, as PAPI marks it
        best = max(v.values()) if metrics.higher_is_better(key) else min(v.values())
        best_code = min(c for c, x in v.items() if x == best)
        out.append(
            {
                "indicator": key,
                "value": value,
                "national_median": nat,
                "region_median": float(statistics.median(region)) if region else float("nan"),
                "gap": value - nat,
                "rank": rank.rank,
                "of": rank.of,
                "rank_kind": rank.kind,
                "best": float(best),
                "best_code": best_code,
                # the digits the sources wrote (None: the catalogue's)
                "precision": metrics.precision_of(df, scope.code, scope.regime, year, key),
                "best_precision": metrics.precision_of(df, best_code, scope.regime, year, key),
            }
        )
    if len(out) < 2:
        return None
    tab = pd.DataFrame(out)
    gaps = {
        str(r.indicator): rulebook.gap(r.value, r.national_median, metrics.higher_is_better(str(r.indicator)))
        for r in tab.itertuples(index=False)
    }
    strongest = next(iter(rulebook.strongest_first(gaps)), None)
    weakest = next(iter(rulebook.weakest_first(gaps)), None)
    return SubindexResult(family, year, tab, strongest, weakest)


def compute(
    df: pd.DataFrame, ctx: Context, needs: Mapping[str, object] | None = None
) -> list[SubindexResult]:
    return [s for fam in metrics.subindex_families() if (s := subindices(df, ctx, fam))]


def table(result: list[SubindexResult]) -> pd.DataFrame:
    """All families' sub-indices in one frame, with the family and the strongest/weakest flags."""
    if not result:
        return pd.DataFrame(columns=[*TABLE_COLUMNS, "family", "year", "strongest", "weakest"])
    parts = [
        s.table.assign(
            family=s.family,
            year=s.year,
            strongest=s.table["indicator"] == s.strongest,
            weakest=s.table["indicator"] == s.weakest,
        )
        for s in result
    ]
    return pd.concat(parts, ignore_index=True)


def best_name(code: str, regime: str, lang: str) -> str:
    """The national best's name in the briefing's language (the code if the registry lacks it)."""
    p = provinces.registry().by_code.get((code, regime))
    return code if p is None else province_name(p, lang)


def _rank(r: object) -> Rank:
    """The row's rank back as the rule book's Rank (a table cell holds NaN for none)."""
    rank, of = r.rank, r.of
    return Rank(
        None if pd.isna(rank) else int(rank), None if pd.isna(of) else int(of), str(r.rank_kind or "")
    )


def family_title(sub: SubindexResult, lang: str) -> str:
    return heading(3, f"{index_name(sub.family, lang)} {sub.year}")


def family_html(sub: SubindexResult, lang: str, regime: str = "63", with_title: bool = True) -> str:
    """Sub-index table: value, national and regional median, gap, rank, and the national best."""
    head = [
        (esc(t("indicator", lang)), False),
        (esc(t("value", lang)), True),
        (esc(t("national_median", lang)), True),
        (esc(t("region_median", lang)), True),
        (esc(t("gap", lang)), True),
        (esc(t("rank", lang)), True),
        (esc(t("national_best", lang)), True),
    ]
    body = []
    for r in sub.table.itertuples(index=False):
        name = esc(index_name(r.indicator, lang, short=False))
        if r.indicator == sub.strongest:
            name = f"<strong>{name}</strong> <small>({esc(t('strongest', lang))})</small>"
        elif r.indicator == sub.weakest:
            name = f"<strong>{name}</strong> <small>({esc(t('weakest', lang))})</small>"
        digits = _digits(getattr(r, "precision", None), r.indicator)  # a table without: the catalogue's
        best = _digits(getattr(r, "best_precision", None), r.indicator)
        body.append(
            [
                (name, False),
                (esc(fmt_value(r.value, r.indicator, lang, with_unit=False, precision=digits)), True),
                (esc(fmt_value(r.national_median, r.indicator, lang, with_unit=False)), True),
                (esc(fmt_value(r.region_median, r.indicator, lang, with_unit=False)), True),
                (esc(fmt_delta(r.gap, r.indicator, lang, precision=digits)), True),
                (esc(short_rank(_rank(r), lang)), True),
                (
                    f"{esc(fmt_value(r.best, r.indicator, lang, with_unit=False, precision=best))} "
                    f"<small>{esc(best_name(r.best_code, regime, lang))}</small>",
                    True,
                ),
            ]
        )
    out = (family_title(sub, lang) if with_title else "") + html_table(head, body, "cchc-subindex")
    if (sub.table["rank_kind"] == rulebook.COMPUTED).any() or sub.table["rank"].isna().any():
        out += f'<p class="note">{esc(t("subindex_ranks_note", lang))}</p>'
    return out


def _digits(precision: object, key: str) -> int | None:
    """A value's digits as its source wrote them (never more than the catalogue's); a gap to a median
    (ours, at the catalogue's digits) is shown at the coarser, the same."""
    return shown_precision(None if precision is None or pd.isna(precision) else precision, key)


def _said(r: pd.Series, key: str, lang: str) -> tuple[str, str]:
    """(value, gap) of a sub-index row as the table prints them."""
    digits = _digits(r.get("precision"), key)
    return (
        fmt_value(r["value"], key, lang, with_unit=False, precision=digits),
        fmt_delta(r["gap"], key, lang, precision=digits),
    )


def sentence(sub: SubindexResult, lang: str) -> str:
    """The summary's sentence: strongest and weakest sub-index with value and gap."""
    tab = sub.table.set_index("indicator")
    if sub.strongest is None or sub.weakest is None:
        key, which = (sub.strongest, "strongest_only") if sub.strongest else (sub.weakest, "weakest_only")
        if key is None:
            return t("none_apart", lang, family=index_name(sub.family, lang), year=sub.year)
        v, g = _said(tab.loc[key], key, lang)
        return t(
            which,
            lang,
            family=index_name(sub.family, lang),
            year=sub.year,
            name=index_name(key, lang, short=False),
            v=v,
            g=g,
        )
    (bv, bg), (wv, wg) = (
        _said(tab.loc[sub.strongest], sub.strongest, lang),
        _said(tab.loc[sub.weakest], sub.weakest, lang),
    )
    return t(
        "strongest_weakest",
        lang,
        family=index_name(sub.family, lang),
        year=sub.year,
        best=index_name(sub.strongest, lang, short=False),
        bv=bv,
        bg=bg,
        worst=index_name(sub.weakest, lang, short=False),
        wv=wv,
        wg=wg,
    )


def render(result: list[SubindexResult], ctx: Context) -> list:
    """The heading, then each family's figure (for the first `MAX_FIGURES`) and table.

    The figure (which cannot break across pages) comes before the table (which breaks between
    rows): after a page-breaking table a figure that does not fit would leave that page half empty."""
    if not result:
        return []
    from analysis.briefing import draw

    region = ctx.region_name if ctx.scope.region else ""
    out: list = [heading(2, t("subindices", ctx.lang))]
    for i, sub in enumerate(result):
        if i < MAX_FIGURES:
            out.append(family_title(sub, ctx.lang))
            svg = subindex_svg(sub, ctx.lang, ctx.display_name, region)
            alt = f"{index_name(sub.family, ctx.lang)} {sub.year} — {ctx.display_name}"
            out.append(draw.SvgFigure(svg, f"{NAME} {i + 1}", alt))
        out.append(family_html(sub, ctx.lang, ctx.scope.regime, with_title=i >= MAX_FIGURES))
    return out


def scale_limits(tab: pd.DataFrame) -> tuple[float, float]:
    """The x range: the catalogue's scale (0–10 for PCI and PAPI, 0–1 for DTI) trimmed to the data."""
    cols = tab[["value", "national_median", "best"]]
    lo_data, hi_data = float(cols.min().min()), float(cols.max().max())
    maxima = [m for k in tab["indicator"] if (m := getattr(indicators.catalogue().get(k), "max", None))]
    top = max(maxima) if maxima else hi_data
    pad = 0.06 * (max(top, hi_data) - lo_data or 1.0)
    return max(0.0, lo_data - 2 * pad), max(top, hi_data + pad)


def label_width(fig, labels: list) -> float:
    """The widest of these text objects in inches, measured by the renderer (bold and diacritics
    included), so the left margin fits the labels instead of a guess per character."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()
    return max((lbl.get_window_extent(renderer).width for lbl in labels), default=0.0) / fig.dpi


def subindex_svg(sub: SubindexResult, lang: str, province: str, region: str = "") -> str:
    """Each sub-index: the province (dot) against the national (tick) and regional (diamond) medians
    and the national best (star). Labels are measured, so a long one is never cut at the left edge."""
    from matplotlib.lines import Line2D

    from analysis.briefing import draw

    with draw.style():
        tab = sub.table.iloc[::-1].reset_index(drop=True)
        # rows closer when there are many: 8 rows 86 mm, 10 rows 89 mm, printed at 90 % or more (print.css)
        fig = draw.figure(min(0.3, 2.5 / len(tab)) * len(tab) + 1.0)
        ax = fig.add_subplot()
        y = range(len(tab))
        names = [
            textwrap.fill(
                index_name(k, lang, short=False)
                + (
                    f" ({t('strongest' if k == sub.strongest else 'weakest', lang)})"
                    if k in (sub.strongest, sub.weakest)
                    else ""
                ),
                40,
            )
            for k in tab["indicator"]
        ]
        lo, top = scale_limits(tab)
        ax.hlines(y, lo, top, colors="#eef1f4", linewidth=6, zorder=0)
        ax.hlines(y, tab["national_median"], tab["value"], colors=draw.OTHERS, linewidth=1.2, zorder=1)
        ax.scatter(tab["national_median"], y, marker="|", s=160, c=draw.MEDIAN, linewidths=1.6, zorder=2)
        ax.scatter(tab["best"], y, marker="*", s=60, c=BEST, linewidths=0, zorder=2.5)
        region_ok = tab["region_median"].notna()
        if region_ok.any():
            ax.scatter(
                tab.loc[region_ok, "region_median"],
                [i for i, ok in zip(y, region_ok, strict=True) if ok],
                marker="D",
                s=22,
                facecolors="none",
                edgecolors=draw.REGION,
                linewidths=1.1,
                zorder=3,
            )
        ax.scatter(tab["value"], y, s=42, c=draw.HIGHLIGHT, zorder=4, linewidths=0)
        near = 0.1 * (top - lo)  # a marker this close beside the dot would sit under its value
        for i, r in zip(y, tab.itertuples(index=False), strict=True):
            v, k = r.value, r.indicator
            others = [x for x in (r.national_median, r.best, r.region_median) if x == x]
            blocked_right = any(0 < x - v < near for x in others)
            blocked_left = any(0 < v - x < near for x in others)
            # away from the median tick, unless a marker is in the way there and not on the other side
            right = v >= r.national_median
            if right and blocked_right and not blocked_left:
                right = False
            elif not right and blocked_left and not blocked_right:
                right = True
            anchor, gap = v, 6
            if blocked_right and blocked_left:  # markers close on both sides: the value goes past them
                side = [x for x in others if 0 < (x - v if right else v - x) < near]
                anchor, gap = (max(side) if right else min(side)), 10  # clear of the marker's half-width
            places = _digits(getattr(r, "precision", None), k)  # as the table prints it
            ax.annotate(
                format_number(float(v), lang, decimals(k) if places is None else places),
                (anchor, i),
                xytext=(gap if right else -gap, 0),
                textcoords="offset points",
                ha="left" if right else "right",
                va="center",
                fontsize=7.5,
                color=draw.HIGHLIGHT,
            )
        ax.set_yticks(list(y))
        ax.set_yticklabels(names)
        for label, k in zip(ax.get_yticklabels(), tab["indicator"], strict=True):
            if k in (sub.strongest, sub.weakest):
                label.set_fontweight("bold")
        ax.tick_params(axis="y", length=0, pad=4)
        left = label_width(fig, ax.get_yticklabels()) + 4 / 72 + 0.12
        draw.margins(fig, left=left, right=0.25, top=0.72, bottom=0.5)
        ax.set_xlim(lo, top)
        ax.xaxis.set_major_formatter(draw.fmt_axis(sub.table["indicator"].iloc[0], lang))
        ax.set_xlabel(draw.unit_label(sub.table["indicator"].iloc[0], lang), fontsize=7.5, color=draw.MUTED)
        ax.spines["left"].set_visible(False)
        handles = [
            Line2D([], [], marker="o", linestyle="", color=draw.HIGHLIGHT, label=province),
            Line2D(
                [],
                [],
                marker="|",
                linestyle="",
                markersize=11,
                color=draw.MEDIAN,
                label=t("national_median", lang),
            ),
        ]
        if region_ok.any():
            label = t("region_median", lang)
            handles.append(
                Line2D(
                    [], [], marker="D", linestyle="", markerfacecolor="none", color=draw.REGION, label=label
                )
            )
        handles.append(
            Line2D([], [], marker="*", linestyle="", markersize=9, color=BEST, label=t("national_best", lang))
        )
        # the legend spans the figure under the title (not the axes: long labels push those right)
        h = fig.get_size_inches()[1]
        fig.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(0.08 / draw.WIDTH, 1 - 0.3 / h),
            ncols=len(handles),
            frameon=False,
            borderaxespad=0.0,
            handletextpad=0.3,
            columnspacing=1.2,
        )
        where = f" · {t('region', lang)}: {region}" if region and region_ok.any() else ""
        fig.suptitle(
            f"{index_name(sub.family, lang)} {sub.year}: {t('subindices', lang).lower()}{where}",
            x=0.08 / draw.WIDTH,
            ha="left",
            fontsize=9.5,
            fontweight="bold",
        )
        return draw.to_svg(fig)
