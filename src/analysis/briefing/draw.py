"""The look every briefing figure shares: palette, sizes, number formats, SVG output.

Why SVG: it is vector (sharp on paper) and skips PNG encoding, which was most of the figure time
in the baseline. Text is drawn as paths (`svg.fonttype = "path"`): Vietnamese diacritics then look
the same on every reader's machine and in WeasyPrint's PDF, whatever fonts are installed. Glyphs
are defined once per figure and reused, so the size stays small; matplotlib also writes each
string as an XML comment beside its paths, which is what the tests look for.

One palette for all figures: the province in `HIGHLIGHT`, other provinces grey, the national
median a dashed dark line, the regional median blue, national targets black. A new chart (also a
seaborn one) draws inside `with mpl.rc_context(RC):` on `figure(height)` and returns `to_svg(fig)`.

Labels a chart writes on its data (ranks, the province's value, notes) go through `declutter`
(module `placement`, re-exported here): each takes the first of its candidate places where it
touches no other text, line, marker or edge; `clashes` is the same geometry as a check, which the
tests run on the real briefings' charts.

Section modules import this module inside their `figures()` function, so that choosing rows (the
build's rebuild key) never imports matplotlib.
"""

from __future__ import annotations

import io
from itertools import pairwise

import matplotlib as mpl
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter

from analysis import indicators
from analysis.briefing.display import SvgFigure  # noqa: F401  (re-exported for chart modules)
from analysis.briefing.placement import (  # noqa: F401  (labels that fit; re-exported for the charts)
    AIR,
    TOL,
    Scene,
    box,
    boxes_overlap,
    clashes,
    contains,
    declutter,
    hits_line,
    markers,
    offsets,
    place,
    renderer,
    segments,
    spread,
    texts,
)
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


def style():
    """The shared look, as a context: `with draw.style(): fig = draw.figure(3); ...`."""
    return mpl.rc_context(RC)


def to_svg(fig: Figure) -> str:
    """The figure as an SVG document (no creation date, so output is reproducible).

    Margins are set in inches by each plot, not by a layout engine or a tight bounding box: those
    draw the figure two or three times and cost more than half the figure time.
    """
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})  # callers hold mpl.rc_context(RC)
    return buf.getvalue()


def figure(height: float, width: float = WIDTH) -> Figure:
    return Figure(figsize=(width, height))  # callers hold mpl.rc_context(RC)


def margins(fig: Figure, left: float, right: float, top: float, bottom: float, **kw: float) -> None:
    """Set the axes area by margins in inches (so text sizes stay fixed whatever the figure size)."""
    w, h = fig.get_size_inches()
    fig.subplots_adjust(left=left / w, right=1 - right / w, top=1 - top / h, bottom=bottom / h, **kw)


def text_width(text: str, size: float) -> float:
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


def fmt_axis(key: str, lang: str) -> Formatter:
    """A tick formatter in the reader's number format."""
    ind = indicators.catalogue().get(key)
    return _LocaleFormatter(lang, percent=ind is not None and ind.unit == "percent")


def unit_label(key: str, lang: str) -> str:
    """An axis name saying the unit: "điểm", "%", "điểm (0–1)"."""
    from analysis import indicators
    from analysis.briefing.labels import t

    ind = indicators.catalogue().get(key)
    if ind is None:
        return ""
    if ind.unit == "percent":
        return t("axis_percent", lang)
    if ind.unit == "score":
        return t("axis_score_0_1", lang) if ind.max is not None and ind.max <= 1 else t("axis_score", lang)
    return t(f"axis_{ind.unit}", lang) if ind.unit in ("rank", "count") else ""
