"""What a briefing shows: a few print-readable figures, returned as SVG text.

Why SVG: it is vector (sharp on paper) and skips PNG encoding, which was most of the figure time
in the baseline. Text is drawn as paths (`svg.fonttype = "path"`): Vietnamese diacritics then look
the same on every reader's machine and in WeasyPrint's PDF, whatever fonts are installed. Glyphs
are defined once per figure and reused, so the size stays small; matplotlib also writes each
string as an XML comment beside its paths, which is what the tests look for.

One palette for all figures: the province in `HIGHLIGHT`, other provinces grey, the national
median a dashed dark line, the regional median blue, national targets black.
"""

from __future__ import annotations

import io
import textwrap
from itertools import pairwise

import matplotlib as mpl
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import Formatter, FuncFormatter, MaxNLocator

from analysis import indicators
from analysis.briefing.metrics import SubindexResult
from analysis.briefing.text import fmt_value, index_name, t
from analysis.numbers import format_number, format_percent

HIGHLIGHT = "#b3261e"
OTHERS = "#b8bec6"
MEDIAN = "#1d2733"
REGION = "#2b6cb0"
TARGET = "#1d2733"
MUTED = "#5b6b7c"
SERIES_STYLES = ("-", "--", ":", "-.")
# A merged province's former provinces: the highlight first, then warm tones apart enough to tell
# apart in print (with a line style and marker each, so they survive black-and-white copies too).
SERIES_COLOURS = (HIGHLIGHT, "#d9822b", "#6d2e8a", "#2f7f6f", "#8c564b")
SERIES_MARKERS = ("o", "s", "^", "D", "v")

WIDTH = 6.7  # inches: A4 text width with 2 cm margins
RC = {
    "font.family": "DejaVu Sans",
    "font.size": 8.5,
    "axes.titlesize": 9.5,
    "axes.labelsize": 8.5,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#8a96a3",
    "axes.titlelocation": "left",
    "axes.titleweight": "bold",
    "svg.fonttype": "path",
    "svg.hashsalt": "cchc-briefings",  # stable ids: the same data gives the same SVG bytes
    "svg.image_inline": True,
}


def to_svg(fig: Figure) -> str:
    """The figure as an SVG document (no creation date, so output is reproducible).

    Margins are set in inches by each plot, not by a layout engine or a tight bounding box: those
    draw the figure two or three times and cost more than half the figure time.
    """
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})  # callers hold mpl.rc_context(RC)
    return buf.getvalue()


class SvgFigure:
    """An SVG document the notebook displays as is (IPython's SVG class re-parses it: slow).

    `alt` travels as output metadata to the HTML's `alt` attribute, for readers who cannot see it.
    """

    def __init__(self, svg: str, name: str = "figure", alt: str = ""):
        self.svg, self.name, self.alt = svg, name, alt

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        meta = {"image/svg+xml": {"alt": self.alt}} if self.alt else {}
        return {"image/svg+xml": self.svg}, meta

    def __repr__(self) -> str:
        return f"<{self.name} ({len(self.svg) // 1024} KB SVG)>"


def _figure(height: float, width: float = WIDTH) -> Figure:
    return Figure(figsize=(width, height))  # callers hold mpl.rc_context(RC)


def _margins(fig: Figure, left: float, right: float, top: float, bottom: float, **kw: float) -> None:
    """Set the axes area by margins in inches (so text sizes stay fixed whatever the figure size)."""
    w, h = fig.get_size_inches()
    fig.subplots_adjust(left=left / w, right=1 - right / w, top=1 - top / h, bottom=bottom / h, **kw)


def _text_width(text: str, size: float) -> float:
    """Rough width in inches of a line of DejaVu Sans (average glyph about 0.55 em)."""
    return max((len(line) for line in text.split("\n")), default=0) * size * 0.55 / 72


class _LocaleFormatter(Formatter):
    """Tick labels in the reader's number format, with just enough decimals for the tick step
    (ticks 44, 44.5, 45 must not all print as "44", "45", "45")."""

    def __init__(self, lang: str, percent: bool):
        self.lang, self.percent = lang, percent

    def format_ticks(self, values) -> list[str]:
        ticks = sorted(float(v) for v in values)
        step = min((b - a for a, b in pairwise(ticks) if b > a), default=1.0)
        decimals = next((d for d in range(4) if abs(round(step, d) - step) < 1e-9 * max(1.0, step)), 3)
        return [self._format(float(v), decimals) for v in values]

    def __call__(self, x: float, pos: int | None = None) -> str:
        return self._format(float(x), 1)

    def _format(self, x: float, decimals: int) -> str:
        if self.percent:
            return format_percent(x, self.lang, decimals)
        return format_number(x, self.lang, decimals)


def _fmt_axis(key: str, lang: str) -> Formatter:
    """A tick formatter in the reader's number format."""
    ind = indicators.catalogue().get(key)
    return _LocaleFormatter(lang, percent=ind is not None and ind.unit == "percent")


def ranking_svg(table: pd.DataFrame, key: str, year: int, lang: str, median: float | None) -> str:
    """Every province's value, best first, as dots; the province highlighted and named with its rank.

    Names are plain text under the axis (not tick labels: 63 tick objects cost a third of a second).
    """
    with mpl.rc_context(RC):
        n = len(table)
        name_size = 7.5 if n > 40 else 8
        bottom = _text_width(max(table["name"], key=len), name_size) + 0.15
        fig = _figure(2.6 + bottom)
        _margins(fig, left=0.55, right=0.1, top=0.3, bottom=bottom)
        ax = fig.add_subplot()
        x = list(range(n))
        values = table["value"].to_numpy()
        highlight = table["highlight"].to_numpy()
        colours = [HIGHLIGHT if h else OTHERS for h in highlight]
        lo, hi = float(values.min()), float(values.max())
        pad = (hi - lo) * 0.08 or 1.0
        ax.set_ylim(lo - pad, hi + pad * 3)
        ax.vlines(x, lo - pad, values, colors=colours, linewidth=0.8)
        ax.scatter(x, values, c=colours, s=[46 if h else 16 for h in highlight], zorder=3, linewidths=0)
        if median is not None:
            ax.axhline(median, color=MEDIAN, linestyle="--", linewidth=0.9)
            ax.text(
                n - 0.5,
                median,
                f"{t('national_median', lang)}: {fmt_value(median, key, lang, with_unit=False)}",
                ha="right",
                va="bottom",
                fontsize=8,
                color=MEDIAN,
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
                color=HIGHLIGHT if h else MEDIAN,
                fontweight="bold" if h else "normal",
            )
        ax.set_xticks([])
        ax.set_xlim(-0.7, n - 0.3)
        ax.yaxis.set_major_formatter(_fmt_axis(key, lang))
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
                color=HIGHLIGHT,
            )
        ax.set_title(f"{index_name(key, lang)} {year} — {t('ranking', lang).lower()}")
        return to_svg(fig)


def subindex_svg(sub: SubindexResult, lang: str, province: str, region: str = "") -> str:
    """Each sub-index: the province (dot) against the national (tick) and regional (diamond) medians."""
    with mpl.rc_context(RC):
        tab = sub.table.iloc[::-1].reset_index(drop=True)
        fig = _figure(0.34 * len(tab) + 0.95)
        ax = fig.add_subplot()
        y = range(len(tab))
        names = [
            textwrap.fill(index_name(k, lang, short=False), 40)
            + (
                f" ({t('strongest' if k == sub.strongest else 'weakest', lang)})"
                if k in (sub.strongest, sub.weakest)
                else ""
            )
            for k in tab["indicator"]
        ]
        lo = max(0.0, float(min(tab[["value", "national_median"]].min())) - 1.0)
        top = max(10.0, float(tab["value"].max()) + 0.6)
        ax.hlines(y, lo, top, colors="#eef1f4", linewidth=6, zorder=0)
        ax.hlines(y, tab["national_median"], tab["value"], colors=OTHERS, linewidth=1.2, zorder=1)
        ax.scatter(tab["national_median"], y, marker="|", s=160, c=MEDIAN, linewidths=1.6, zorder=2)
        region_ok = tab["region_median"].notna()
        if region_ok.any():
            ax.scatter(
                tab.loc[region_ok, "region_median"],
                [i for i, ok in zip(y, region_ok, strict=True) if ok],
                marker="D",
                s=22,
                facecolors="none",
                edgecolors=REGION,
                linewidths=1.1,
                zorder=3,
            )
        ax.scatter(tab["value"], y, s=42, c=HIGHLIGHT, zorder=4, linewidths=0)
        for i, v, m in zip(y, tab["value"], tab["national_median"], strict=True):
            right = v >= m  # write the value on the side away from the median tick
            ax.annotate(
                format_number(float(v), lang, 2),
                (v, i),
                xytext=(6 if right else -6, 0),
                textcoords="offset points",
                ha="left" if right else "right",
                va="center",
                fontsize=7.5,
                color=HIGHLIGHT,
            )
        ax.set_yticks(list(y))
        ax.set_yticklabels(names)
        left = max(_text_width(n, 8) for n in names) + 0.15
        _margins(fig, left=left, right=0.15, top=0.62, bottom=0.35)
        for label, k in zip(ax.get_yticklabels(), tab["indicator"], strict=True):
            if k in (sub.strongest, sub.weakest):
                label.set_fontweight("bold")
        ax.set_xlim(lo, top)
        ax.xaxis.set_major_formatter(_fmt_axis(sub.table["indicator"].iloc[0], lang))
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        handles = [
            Line2D([], [], marker="o", linestyle="", color=HIGHLIGHT, label=province),
            Line2D(
                [],
                [],
                marker="|",
                linestyle="",
                markersize=11,
                color=MEDIAN,
                label=t("national_median", lang),
            ),
        ]
        if region_ok.any():
            label = t("region_median", lang)
            handles.append(
                Line2D([], [], marker="D", linestyle="", markerfacecolor="none", color=REGION, label=label)
            )
        ax.legend(
            handles=handles,
            loc="lower left",
            bbox_to_anchor=(0, 1.0),
            ncols=len(handles),
            frameon=False,
            borderaxespad=0.2,
            handletextpad=0.3,
            columnspacing=1.2,
        )
        where = f" · {t('region', lang)}: {region}" if region and region_ok.any() else ""
        fig.suptitle(
            f"{index_name(sub.family, lang)} {sub.year}: {t('subindices', lang).lower()}{where}",
            x=0.01,
            ha="left",
            fontsize=9.5,
            fontweight="bold",
        )
        return to_svg(fig)


def trend_svg(trend: pd.DataFrame, lang: str) -> str:
    """One small panel per index: value by year (rank written at each point), national median dashed.

    A merged province's history is one line per former province, each named; never an average.
    """
    with mpl.rc_context(RC):
        keys = list(dict.fromkeys(trend["indicator"]))
        ncols = 1 if len(keys) == 1 else 2
        nrows = -(-len(keys) // ncols)
        legend_rows = -(-(trend["series"].nunique() + 1) // 4)
        top = 0.45 + 0.22 * legend_rows
        fig = _figure(2.1 * nrows + top)
        _margins(fig, left=0.6, right=0.15, top=top, bottom=0.35, hspace=0.55, wspace=0.28)
        axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
        trend = trend.assign(series=_series_labels(trend, lang))
        series = list(dict.fromkeys(trend["series"]))
        style = {
            s: (SERIES_STYLES[i % 4], SERIES_MARKERS[i % 5], SERIES_COLOURS[i % 5])
            for i, s in enumerate(series)
        }
        for ax, key in zip(axes, keys, strict=False):
            part = trend[trend["indicator"] == key]
            med = part.dropna(subset=["median"]).drop_duplicates(["regime", "year"]).sort_values("year")
            for _group, m in med.groupby(["regime", "comparable"]):
                ax.plot(
                    m["year"],
                    m["median"],
                    color=MEDIAN,
                    linestyle="--",
                    linewidth=0.9,
                    marker="_",
                    markersize=12,
                    zorder=1,
                )
            several = part["series"].nunique() > 1
            for k, (name, s) in enumerate(part.groupby("series", sort=False)):
                s = s.sort_values("year")
                ls, mk, colour = style[name]
                below = k % 2 == 1  # alternate rank labels above/below so several series stay legible
                # a method break (PAPI 2018) splits the line: the two sides are not one series
                for _ok, seg in s.groupby("comparable", sort=False):
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
                    ax.annotate(
                        f"{int(r.rank)}/{int(r.of)}",
                        (r.year, r.value),
                        xytext=(0, -6 if below else 5),
                        textcoords="offset points",
                        ha="center",
                        va="top" if below else "bottom",
                        fontsize=7,
                        color=colour if several else MUTED,
                    )
            if key == "papi" and not part["comparable"].all():
                ax.axvline(2017.5, color=MUTED, linestyle=":", linewidth=0.9)
                ax.text(
                    2017.5,
                    0.03,
                    ("đổi phương pháp 2018 " if lang == "vi" else "method change 2018 "),
                    transform=ax.get_xaxis_transform(),
                    rotation=90,
                    ha="right",
                    va="bottom",
                    fontsize=7,
                    color=MUTED,
                )
            years = sorted(part["year"].unique())
            if max(years) - min(years) <= 6:
                ax.set_xticks(years)
            else:  # a long series: a few round years, not one crowded label per year
                ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
            ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: str(round(x))))
            span = max(years) - min(years)
            pad = max(0.5, (3 - span) / 2)  # a one- or two-year panel still gets room for its labels
            ax.set_xlim(min(years) - pad, max(years) + pad)
            ax.margins(y=0.25)
            ax.yaxis.set_major_formatter(_fmt_axis(key, lang))
            ax.grid(axis="y", color="#e3e7ec", linewidth=0.6)
            ax.set_title(index_name(key, lang))
        for ax in axes[len(keys) :]:
            ax.set_visible(False)
        handles = [
            Line2D(
                [], [], color=style[s][2], linestyle=style[s][0], marker=style[s][1], markersize=4, label=s
            )
            for s in series
        ]
        handles.append(Line2D([], [], color=MEDIAN, linestyle="--", label=t("national_median", lang)))
        fig.legend(handles=handles, loc="upper center", ncols=min(len(handles), 4), frameon=False)
        return to_svg(fig)


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
    suffix = " (từ 7/2025)" if lang == "vi" else " (from 7/2025)"
    return [
        f"{s}{suffix}" if both and r != "63" else s
        for s, r in zip(trend["series"], trend["regime"], strict=True)
    ]


def online_svg(online: pd.DataFrame, lang: str, province: str) -> str | None:
    """Percent figures (and tasks done of assigned) as bars, with national targets marked."""
    rows = []
    for r in online.itertuples(index=False):
        ind = indicators.catalogue().get(r.indicator)
        if pd.notna(r.done_of) and r.done_of:
            label = f"{index_name(r.indicator, lang, short=False)} ({r.value:.0f}/{r.done_of:.0f})"
            rows.append((label, 100 * float(r.value) / float(r.done_of), None))
        elif ind is not None and ind.unit == "percent":
            rows.append((index_name(r.indicator, lang, short=False), float(r.value), r.target))
    if not rows:
        return None
    with mpl.rc_context(RC):
        rows = rows[::-1]
        fig = _figure(0.34 * len(rows) + 0.75)
        ax = fig.add_subplot()
        y = list(range(len(rows)))
        vals = [v for _, v, _ in rows]
        ax.barh(y, [100] * len(rows), color="#eef1f4", height=0.6, zorder=0)
        ax.barh(y, vals, color=HIGHLIGHT, height=0.6, zorder=1)
        for i, (_, v, target) in enumerate(rows):
            ax.annotate(
                format_percent(float(v), lang, 1),
                (min(v, 100), i),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=7.5,
                color=MEDIAN,
            )
            if target is not None and pd.notna(target):
                ax.plot([target, target], [i - 0.38, i + 0.38], color=TARGET, linewidth=1.8, zorder=2)
        labels = [textwrap.fill(n, 40) for n, _, _ in rows]
        ax.set_yticks(y)
        ax.set_yticklabels(labels)
        _margins(fig, left=max(_text_width(n, 8) for n in labels) + 0.15, right=0.15, top=0.4, bottom=0.3)
        ax.set_xlim(0, 112)
        ax.set_xticks([0, 20, 40, 60, 80, 100])
        ax.xaxis.set_major_formatter(_fmt_axis("online_filing_rate", lang))
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        handles = [Line2D([], [], color=HIGHLIGHT, linewidth=6, label=province)]
        if any(target is not None and pd.notna(target) for _, _, target in rows):
            handles.append(Line2D([], [], color=TARGET, linewidth=1.8, label=t("target", lang)))
        fig.legend(handles=handles, loc="upper center", ncols=2, frameon=False)
        return to_svg(fig)
