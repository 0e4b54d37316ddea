"""Trend: every year of every headline index for the province, with its rank and the national
median; for a merged province (one of the 34) one line per former province, never an average.
PAPI aggregates before its 2018 method change are drawn apart and not compared.

Rows: for the province and each former province, every province's value and rank of each index
in each year it has a value (computed ranks and the median line need them).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis import rulebook
from analysis.briefing import metrics
from analysis.briefing.context import Context
from analysis.briefing.fmt import heading, rank_mark
from analysis.briefing.labels import esc, index_name, t

NAME = "trend"
NEEDS: tuple[str, ...] = ()
COLUMNS = [
    "series",
    "code",
    "regime",
    "indicator",
    "year",
    "value",
    "rank",
    "of",
    "rank_given",
    "rank_kind",
    "median",
    "precision",
]


def rows(df: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    wanted: set[metrics.Cell] = set()
    for m in ctx.scope.members():
        wanted |= metrics.index_cells(df, m.code, m.regime)
    # year-true: nothing dated after the briefing's year
    return metrics.cells(df, {c for c in wanted if c[1] <= ctx.year})


def compute(df: pd.DataFrame, ctx: Context, needs: Mapping[str, object] | None = None) -> pd.DataFrame:
    """Columns: series (province name), code, regime, indicator, year, value, rank, of, rank_given,
    median (national; None when fewer than half the provinces have data), precision (the digits the
    value's source wrote, None when it did not say), comparable (False for PAPI
    aggregates before the 2018 method change when later years exist)."""
    out_rows = []
    own = metrics.own_rows(df, ctx.scope)
    for m in ctx.scope.members():
        mine = own[(own["province_code"] == m.code) & (own["regime"] == m.regime)]
        for key in metrics.headline_keys():
            has = mine[(mine["indicator"] == key) & mine["value"].notna() & (mine["year"] <= ctx.year)]
            years = sorted(has["year"].unique())
            for year in years:
                r = metrics.rank_of(df, m.code, m.regime, int(year), key)
                median, _n = metrics.national_median(df, m.regime, int(year), key)
                out_rows.append(
                    {
                        "series": m.name,
                        "code": m.code,
                        "regime": m.regime,
                        "indicator": key,
                        "year": int(year),
                        "value": metrics.value_of(df, m.code, m.regime, int(year), key),
                        "rank": r.rank,
                        "of": r.of,
                        "rank_given": r.given,
                        "rank_kind": r.kind,
                        "median": median,
                        # the digits the value's source wrote (None: the catalogue's)
                        "precision": metrics.precision_of(df, m.code, m.regime, int(year), key),
                    }
                )
    cols = [*COLUMNS, "comparable"]
    if not out_rows:
        return pd.DataFrame(columns=cols)
    out = pd.DataFrame(out_rows)
    papi_years = out.loc[out["indicator"] == "papi", "year"]
    brk = metrics.PAPI_METHOD_BREAK
    spans_break = bool(len(papi_years)) and papi_years.max() >= brk > papi_years.min()
    out["comparable"] = ~((out["indicator"] == "papi") & (out["year"] < brk) & spans_break)
    order = {k: i for i, k in enumerate(metrics.headline_keys())}
    out = out.assign(_o=out["indicator"].map(order))
    out = out.sort_values(
        ["_o", "regime", "series", "year"], ascending=[True, False, True, True], kind="stable"
    )
    return out[cols].reset_index(drop=True)


def table(result: pd.DataFrame) -> pd.DataFrame:
    return result


def render(result: pd.DataFrame, ctx: Context) -> list:
    """The heading and the trend figure; nothing without any index value."""
    if result.empty:
        return []
    from analysis.briefing import draw

    title = t("trend", ctx.lang)
    drawn, single = split_single(result)
    out: list = [heading(2, title)]
    if not drawn.empty:
        svg = trend_svg(drawn, ctx.lang)
        out.append(draw.SvgFigure(svg, NAME, f"{title} — {ctx.display_name}"))
    for part in single:
        several = part["series"].nunique() > 1
        for _, r in part.iterrows():
            out.append(f'<p class="note">{esc(single_sentence(r, ctx.lang, several))}</p>')
    return out


def split_single(trend: pd.DataFrame) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """The indices with two or more years (drawn), and those with one (a sentence, not a one-dot chart)."""
    years = trend.groupby("indicator")["year"].nunique()
    one = [k for k in years.index if years[k] < 2]
    return trend[~trend["indicator"].isin(one)], [trend[trend["indicator"] == k] for k in one]


def single_sentence(r: pd.Series, lang: str, named: bool = False) -> str:
    """A one-point series in words: the index, its only year, value and rank."""
    from analysis.briefing.fmt import fmt_value, shown_precision

    rank = ""
    if not pd.isna(r["rank"]):
        rank = f"; {rank_label(r['rank'], r['of'], r['rank_kind'])}"
    key = str(r["indicator"])
    digits = shown_precision(r.get("precision"), key)  # the source's digits, as the headline prints them
    value = fmt_value(None if pd.isna(r["value"]) else float(r["value"]), key, lang, precision=digits)
    return t(
        "trend_one_point",
        lang,
        index=index_name(str(r["indicator"]), lang),
        year=int(r["year"]),
        value=value,
        rank=rank,
    )


def trend_svg(trend: pd.DataFrame, lang: str) -> str:
    """The trend figure as SVG (see `trend_figure`)."""
    from analysis.briefing import draw

    with draw.style():
        return draw.to_svg(trend_figure(trend, lang))


def trend_figure(
    trend: pd.DataFrame, lang: str, roomy: frozenset[str] = frozenset(), wide: frozenset[str] = frozenset()
):
    """One small panel per index: value by year (ranks written where they fit), national median
    dashed, the axis naming its unit; a missing year is a gap in the line.

    A merged province's history is one line per former province, each named; never an average.
    Labels are placed where they touch no other text, line, marker or edge, and a moved label's
    leader line reaches its own point on a clear path (`draw.declutter`). A panel whose latest
    rank finds no such place is drawn again with room above and below its lines (`roomy`); the
    x axis ends just after the last data year, but for a merged province's panel whose series'
    latest ranks still find no clear place (`wide`).
    """
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    from analysis.briefing import draw

    # callers hold draw.style()
    keys = list(dict.fromkeys(trend["indicator"]))
    # Up to three panels side by side, in one row: printed at its own size (text never under
    # 7 pt on paper), the figure stays under the 80 mm print.css allows a figure (a third of a page).
    ncols = len(keys) if len(keys) <= 3 else 2 if len(keys) == 4 else 3
    nrows = -(-len(keys) // ncols)
    # PAPI's 2018 method change, a dotted rule, is named in the legend: in a panel a quarter of the
    # page wide no place along the rule or beside the title was free of lines and text
    breaks = ((trend["indicator"] == "papi") & ~trend["comparable"].astype(bool)).any()
    legend_rows = -(-(trend["series"].nunique() + 1 + int(breaks)) // 4)
    top = 0.45 + 0.22 * legend_rows
    merged = trend["series"].nunique() > 1  # a merged province: taller panels, its labels crowd
    # Two rows (four indices: PAR Index, PCI, PAPI, DTI) lower than one: at 1.45 in a row the figure
    # was 91 mm, shrunk to 80 mm in print, and with its heading it missed the page the sections
    # before it left (Đồng Nai and Hà Nội 2024: page 4 ended 55-66 % full); at 1.05 in it is 70 mm.
    fig = draw.figure(((2.2 if merged else 1.9) if nrows == 1 else 1.05) * nrows + top)
    wspace = 0.36  # between panels: the next panel's tick labels and unit; between rows (hspace,
    # of a panel's height) the year labels above and the title below: 0.45 in
    draw.margins(fig, left=0.75, right=0.15, top=top, bottom=0.35, hspace=0.7, wspace=wspace)
    # as many year labels as fit under a panel (inches: the axes' width over one label and its air)
    panel_inches = (draw.WIDTH - 0.9) / (ncols + wspace * (ncols - 1))
    fit = int(panel_inches / (draw.text_width("2000", 8) + 0.1))
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    given, trend = trend, trend.assign(series=_series_labels(trend, lang))  # drawn again from `given`
    series = list(dict.fromkeys(trend["series"]))
    style = {
        s: (draw.SERIES_STYLES[i % 4], draw.SERIES_MARKERS[i % 5], draw.SERIES_COLOURS[i % 5])
        for i, s in enumerate(series)
    }
    labels, latest = [], {}
    for ax, key in zip(axes, keys, strict=False):
        part = trend[trend["indicator"] == key]
        years = sorted(part["year"].unique())
        span = max(years) - min(years)
        pad = max(0.5, (3 - span) / 2)  # a one- or two-year panel still gets room for its labels
        # and on a long axis enough that the last median dash stays inside it, with air
        pad = max(pad, span * EDGE / (panel_inches - 2 * EDGE))
        # a median dash at most four fifths of a year wide: on a long axis the dashes of adjacent
        # years stay apart, and a leader can pass between them to its point
        dash = min(12.0, 0.8 * panel_inches * 72 / (span + 2 * pad))
        med = part.dropna(subset=["median"]).drop_duplicates(["regime", "year"]).sort_values("year")
        for _group, m in med.groupby(["regime", "comparable"]):
            ax.plot(
                m["year"],
                m["median"],
                color=draw.MEDIAN,
                linestyle="--",
                linewidth=0.9,
                marker="_",
                markersize=dash,
                zorder=1,
            )
        several = part["series"].nunique() > 1
        for name, s in part.groupby("series", sort=False):
            s = s.sort_values("year")
            ls, mk, colour = style[name]
            # a method break (PAPI 2018) splits the line: the two sides are not one series
            for _ok, seg in s.groupby("comparable", sort=False):
                seg = with_gaps(seg)  # a missing year is a gap, not a bridge
                ax.plot(
                    seg["year"],
                    seg["value"],
                    color=colour,
                    linestyle=ls,
                    marker=mk,
                    markersize=4,
                    zorder=3,
                )
            for r in _rank_points(s, last_only=several):
                latest[key, name] = len(labels)  # the points come in year order: the last one stays
                labels.append(
                    ax.annotate(
                        rank_label(r.rank, r.of, r.rank_kind),
                        (r.year, r.value),
                        xytext=(0, 4),
                        textcoords="offset points",
                        ha="center",
                        va="bottom",
                        fontsize=7,
                        color=colour if several else draw.MUTED,
                        # a leader line, seen when the label had to move away from its point
                        arrowprops={"arrowstyle": "-", "color": "#8a96a3", "linewidth": 0.5, "shrinkB": 3},
                    )
                )
        if key == "papi" and not part["comparable"].all():  # named in the legend
            ax.axvline(metrics.PAPI_METHOD_BREAK - 0.5, color=draw.MUTED, linestyle=":", linewidth=0.9)
        if span < fit:
            ax.set_xticks(years)
        else:  # a long series: a few round years, not one crowded label per year
            locator = MaxNLocator(nbins=min(5, max(2, fit - 1)), integer=True)
            lo, hi = min(years) - pad, max(years) + pad  # the ticks of the panel without room (below)
            ticks = [x for x in locator.tick_values(lo, hi) if lo <= x < max(years)]  # none after the data
            step = ticks[1] - ticks[0] if len(ticks) > 1 else span
            # the latest year always named (Nghệ An 2023's PCI: 2008 and 2016 only); a round year
            # too near it to read apart gives way
            ax.set_xticks([x for x in ticks if max(years) - x >= 0.6 * step] + [max(years)])
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: str(round(x))))
        # The axis ends just after the data: a latest rank that found no place is given room above
        # and below the lines (drawn again, `roomy`), not years of empty axis to its right.
        ax.set_xlim(min(years) - pad, max(years) + pad)
        ax.margins(y=0.25)
        if key in roomy:
            lo, hi = ax.get_ylim()
            ax.set_ylim(lo - (hi - lo) * HEADROOM, hi + (hi - lo) * HEADROOM)
        if key in wide:  # a latest rank still without a place: half its width right of the point
            # (several series ending together: a whole label's width, their labels side by side)
            end = (draw.text_width("00/00*", 7) + 0.08 if several else WIDE) - EDGE  # inches added
            ax.set_xlim(min(years) - pad, max(years) + pad + (span + 2 * pad) * end / (panel_inches - end))
        ax.yaxis.set_major_formatter(draw.fmt_axis(key, lang))
        ax.set_ylabel(draw.unit_label(key, lang), fontsize=7.5, color=draw.MUTED)
        ax.grid(axis="y", color="#e3e7ec", linewidth=0.6)
        ax.set_title(index_name(key, lang))
    for ax in axes[len(keys) :]:
        ax.set_visible(False)
    handles = [
        Line2D([], [], color=style[s][2], linestyle=style[s][0], marker=style[s][1], markersize=4, label=s)
        for s in series
    ]
    handles.append(Line2D([], [], color=draw.MEDIAN, linestyle="--", label=t("national_median", lang)))
    if breaks:
        said = f"{index_name('papi', lang)}: {t('method_change', lang, year=metrics.PAPI_METHOD_BREAK)}"
        handles.append(Line2D([], [], color=draw.MUTED, linestyle=":", linewidth=0.9, label=said))
    fig.legend(handles=handles, loc="upper center", ncols=min(len(handles), 4), frameon=False)
    # the latest points' ranks first: when no place is free for both, the older one gives way
    last = {key: labels[i] for key, i in latest.items()}
    # drawn again with room: a latest rank stays, in the least crowded place if none is free
    must = [(a, _latest_places() + draw.offsets()) for (key, _name), a in last.items() if key in roomy]
    must.sort(key=lambda m: m[0].xy[0])  # a series ending early sits among the others: it goes first
    labels = sorted((a for a in labels if all(a is not b for b, _c in must)), key=lambda a: -a.xy[0])
    misfits: list = []
    kept = draw.declutter(fig, labels, must, leads=True, misfits=misfits)
    kept = {id(a) for a in kept} | {id(a) for a, _c in must}
    lost = frozenset(key for (key, _name), a in last.items() if id(a) not in kept)
    if lost and not roomy:
        return trend_figure(given, lang, lost)
    # Where the years stand a few pixels apart (a long series in a narrow panel) or several series
    # end together, a leader can find no clear path between the points: the axis then runs on by
    # half a label, so that the label stands straight above or below its point.
    crowded = frozenset(key for (key, _name), a in last.items() if any(a is m for m in misfits)) - wide
    if crowded:
        return trend_figure(given, lang, roomy, wide | crowded)
    return fig


HEADROOM = 0.3  # of the y range, added above and below a panel whose latest rank found no place
EDGE = 0.12  # inches between the last year and the axis' end: half a median dash and air
WIDE = 0.24  # inches between them where a latest rank needs it: half the label "00/63*" and air


def _latest_places() -> list[dict]:
    """Where a latest rank may stand when its point's neighbourhood is full: above or below it,
    flush with the axis' end, then up or down and to the left, further out each ring (a slanted
    leader clears the median's dash at the same year, which a straight one would pass); never right
    of the axis' end, which comes just after the last year."""
    out = []
    for d in (4.0, 8.0, 13.0, 18.0, 24.0, 30.0, 38.0, 46.0):
        for dx, ha in (
            (0.0, "center"),
            (5.0, "right"),
            (-0.5 * d, "right"),
            (-d, "right"),
            (-1.6 * d, "right"),
        ):
            out += [
                {"xyann": (dx, d), "ha": ha, "va": "bottom"},
                {"xyann": (dx, -d), "ha": ha, "va": "top"},
            ]
    return out


def rank_label(rank: float, of: float, kind: str) -> str:
    """A rank as the tables print it: 19/63 published, 4/61* computed (the rule book's kind)."""
    return f"{int(rank)}/{int(of)}{rank_mark(kind == rulebook.PUBLISHED)}"


def with_gaps(seg: pd.DataFrame) -> pd.DataFrame:
    """The series with a NaN row for each missing year between its first and last, so the line breaks."""
    years = range(int(seg["year"].min()), int(seg["year"].max()) + 1)
    return seg.set_index("year")[["value"]].reindex(years).rename_axis("year").reset_index()


def _rank_points(s: pd.DataFrame, last_only: bool = False) -> list:
    """Points whose rank is written: all of a short series; of a long one the first, the last, the
    best and the worst (a label on every point of 15 years is unreadable); with several series in
    one panel, only each series' last point."""
    ranked = s[s["rank"].notna()]
    if last_only:
        return list(ranked.tail(1).itertuples())
    if len(ranked) <= 8:
        return list(ranked.itertuples())
    pick = {ranked.index[0], ranked.index[-1], ranked["rank"].idxmin(), ranked["rank"].idxmax()}
    return list(ranked.loc[sorted(pick)].itertuples())


def _series_labels(trend: pd.DataFrame, lang: str) -> list[str]:
    """Series names; when old and new provinces share the chart, the new one says it is post-merger."""
    both = trend["regime"].nunique() > 1
    suffix = f" ({t('from_merger', lang)})"
    return [
        f"{s}{suffix}" if both and r != "63" else s
        for s, r in zip(trend["series"], trend["regime"], strict=True)
    ]
