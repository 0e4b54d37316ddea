"""Among all provinces: each headline index of the year as the distribution of every province's value
(a box for the middle half and a swarm of dots, one per province), the province in red.

A statistical plot serves here where a hand-made one would not: the box shows the spread and the
median, the swarm every province, and the red dot where this one stands, on every index at once.
Only indices with values for at least half the provinces are drawn (a top-N list has no spread).

Drawn with matplotlib alone (`ax.boxplot` and `swarm_offsets` below), as seaborn's box and swarm
plots drew it before: importing seaborn and its plotting layer cost every briefing's kernel about
0.13 s, one of the largest steps left on the one-briefing build's path (docs/performance.md).

Rows: every province's value of each headline index the province has in the year shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.briefing import metrics
from analysis.briefing.context import Context
from analysis.briefing.fmt import fmt_value, heading, shown_precision
from analysis.briefing.labels import esc, index_name, t

NAME = "distribution"
NEEDS: tuple[str, ...] = ()
COLUMNS = ["indicator", "code", "value", "highlight", "precision"]  # precision: the source's digits


@dataclass(frozen=True)
class Distribution:
    year: int
    table: pd.DataFrame  # COLUMNS, one row per province and index

    @property
    def keys(self) -> list[str]:
        return list(dict.fromkeys(self.table["indicator"]))


def _own_keys(df: pd.DataFrame, ctx: Context) -> set[str]:
    s = ctx.scope
    own = df[(df["province_code"] == s.code) & (df["regime"] == s.regime) & (df["year"] == ctx.year)]
    return set(own.loc[own["value"].notna(), "indicator"]) & set(metrics.headline_keys())


def rows(df: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    return metrics.cells(df, {(ctx.scope.regime, ctx.year, k) for k in _own_keys(df, ctx)})


def compute(df: pd.DataFrame, ctx: Context, needs: Mapping[str, object] | None = None) -> Distribution:
    s = ctx.scope
    size = metrics.REGIME_SIZE.get(s.regime, 0)
    parts = []
    for key in metrics.headline_keys():
        if key not in _own_keys(df, ctx):
            continue
        v = metrics.values(df, s.regime, ctx.year, key)
        if len(v) * 2 < size or len(v) < 4:
            continue
        digits = metrics.cell_precisions(df, s.regime, ctx.year, key)
        part = {"indicator": key, "code": v.index, "value": v.to_numpy(), "highlight": v.index == s.code}
        part["precision"] = pd.array([digits.get(c) for c in v.index], dtype="Int64")
        parts.append(pd.DataFrame(part))
    tab = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)
    return Distribution(ctx.year, tab[COLUMNS])


def table(result: Distribution) -> pd.DataFrame:
    return result.table


def render(result: Distribution, ctx: Context) -> list:
    """The heading, the figure, then one sentence on how to read it (heading and figure adjacent, so
    print keeps them on one page: a note between them let the heading strand at a page foot)."""
    if result.table.empty:
        return []
    from analysis.briefing import draw

    title = f"{t('distribution', ctx.lang)} {result.year}"
    note = t("distribution_note", ctx.lang, name=ctx.display_name)
    out: list = [heading(2, title)]
    for part in figure_parts(result):
        names = ", ".join(index_name(k, ctx.lang) for k in part.keys)
        svg = distribution_svg(part, ctx.lang, ctx.display_name)
        out.append(draw.SvgFigure(svg, NAME, f"{title}: {names} — {ctx.display_name}"))
    return [*out, f'<p class="note">{esc(note)}</p>']


PER_FIGURE = 3  # rows per figure: at most 80 mm high, printed at its own size (print.css)


def figure_parts(result: Distribution) -> list[Distribution]:
    """The indices in as few figures as keep each within `PER_FIGURE` rows, evenly (4 → 2 + 2)."""
    keys = result.keys
    per = -(-len(keys) // -(-len(keys) // PER_FIGURE)) if keys else 1
    groups = [keys[i : i + per] for i in range(0, len(keys), per)]
    return [Distribution(result.year, result.table[result.table["indicator"].isin(g)]) for g in groups]


def distribution_svg(result: Distribution, lang: str, province: str) -> str:
    """The distribution figure as SVG (see `distribution_figure`)."""
    from analysis.briefing import draw

    with draw.style():
        return draw.to_svg(distribution_figure(result, lang, province))


DOT = 2.8  # the other provinces' dots: diameter in points
YLIM = (0.45, -0.95)  # the box at 0, with room above it for the province's label, inside the axes
SWARM_HALF_HEIGHT = 0.33  # data units: the swarm keeps within the box's band


def swarm_offsets(x: np.ndarray, diameter: float) -> np.ndarray:
    """Vertical offsets (same units as `x` and `diameter`) that lay dots of `diameter` along `x`
    without overlapping: in order of `x`, each dot takes the free height nearest the axis, among
    the axis itself and the heights just clear of each neighbour already placed."""
    order = np.argsort(x, kind="stable")
    xs, ys = [], []
    out = np.zeros(len(x))
    for i in order:
        xi = float(x[i])
        near = [(xj, yj) for xj, yj in zip(xs, ys, strict=True) if abs(xi - xj) < diameter]
        reach = [(yj, (diameter**2 - (xi - xj) ** 2) ** 0.5) for xj, yj in near]
        candidates = sorted({0.0, *(yj + sign * h for yj, h in reach for sign in (1, -1))}, key=abs)
        y = next(c for c in candidates if all(abs(c - yj) >= h - 1e-9 for yj, h in reach))
        xs.append(xi)
        ys.append(y)
        out[i] = y
    return out


def _box_and_swarm(ax, values: np.ndarray, others: np.ndarray) -> None:
    """The box (whiskers to the extremes: the dots show every province) and the others' swarm."""
    from analysis.briefing import draw

    line = {"color": draw.MUTED, "linewidth": 0.8}
    ax.boxplot(
        values,
        positions=[0],
        orientation="horizontal",
        widths=0.55,
        whis=(0, 100),
        showfliers=False,
        patch_artist=True,
        boxprops={"facecolor": "#eef1f4", "edgecolor": draw.MUTED, "linewidth": 0.8},
        medianprops=line,
        whiskerprops=line,
        capprops=line,
        capwidths=0.28,
    )
    lo, hi = float(values.min()), float(values.max())
    pad = 0.05 * (hi - lo) if hi > lo else max(abs(lo) * 0.05, 0.5)
    ax.set_xlim(lo - pad, hi + pad)
    if len(others):
        # Lay the dots out in points (the axes' size is final: margins are set in inches), then
        # back to data units for y; where too many share a value, they stay in the band, touching.
        fig = ax.get_figure()
        box = ax.get_position()
        width_pt = box.width * fig.get_figwidth() * 72
        height_pt = box.height * fig.get_figheight() * 72
        x_pt = (others - (lo - pad)) / (hi - lo + 2 * pad) * width_pt
        y = swarm_offsets(x_pt, DOT) * (abs(YLIM[0] - YLIM[1]) / height_pt)
        y = np.clip(y, -SWARM_HALF_HEIGHT, SWARM_HALF_HEIGHT)
        ax.scatter(others, y, s=DOT**2, c="#7d8893", linewidths=0, zorder=3)


def distribution_figure(result: Distribution, lang: str, province: str):
    """One row per index: box + swarm of all provinces, the province a red dot with its value.
    Callers hold `draw.style()`."""
    from analysis.briefing import draw

    keys = result.keys
    fig = draw.figure(min(1.1, 2.8 / len(keys)) * len(keys) + 0.3)  # at most 3.1 in (80 mm)
    draw.margins(fig, left=0.25, right=0.25, top=0.35, bottom=0.4, hspace=0.9)
    axes = fig.subplots(len(keys), 1, squeeze=False).ravel()
    required = []
    for ax, key in zip(axes, keys, strict=True):
        part = result.table[result.table["indicator"] == key]
        values = part["value"].to_numpy(dtype=float)
        _box_and_swarm(ax, values, part.loc[~part["highlight"], "value"].to_numpy(dtype=float))
        own = part[part["highlight"]]
        if not own.empty:
            value = float(own["value"].iloc[0])
            digits = (
                shown_precision(own["precision"].iloc[0], key) if "precision" in own else None
            )  # as the headline prints it
            ax.scatter([value], [0], s=48, c=draw.HIGHLIGHT, zorder=5, linewidths=0.6, edgecolors="white")
            label = ax.annotate(
                f"{province}: {fmt_value(value, key, lang, with_unit=False, precision=digits)}",
                (value, 0),
                xytext=(0, 13),
                textcoords="offset points",
                fontsize=8,
                fontweight="bold",
                color=draw.HIGHLIGHT,
            )
            required.append((label, _label_places()))
        ax.set_xlabel(draw.unit_label(key, lang), fontsize=7.5, color=draw.MUTED)
        ax.set_ylim(*YLIM)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.xaxis.set_major_formatter(draw.fmt_axis(key, lang))
        ax.set_title(f"{index_name(key, lang)} {result.year} ({len(part)})", loc="left")
    draw.declutter(fig, [], required)  # the province's label clear of the box, dots and titles
    return fig


def _label_places() -> list[dict]:
    """The province's label above its dot, clear of the box: right of the dot, then left of it,
    rising; then below the box."""
    out = []
    for ha, dx in (("left", 2), ("right", -2)):
        out += [{"xyann": (dx, dy), "ha": ha, "va": "bottom"} for dy in (13, 16, 19, 22, 25)]
    out += [{"xyann": (dx, -14), "ha": ha, "va": "top"} for ha, dx in (("left", 2), ("right", -2))]
    return out
