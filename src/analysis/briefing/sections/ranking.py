"""Ranking: every province's value on the briefing's main index in the year shown, best first, the
province highlighted with the publisher's rank; its regional peers named with their values (the
anchors compare a province with named peers, not only with medians). A chart drawn from a published
top-N list (PCI from 2023: the top 30) or from the part of a table we hold says so in its title.

The regional peers' table comes before the chart: text can fill the rest of a page where the chart
cannot, so the first page of the PDF does not end half empty when the chart moves on.

The main index is the headline index the province has with the widest coverage that year. Rows:
every province's value and published rank of the headline indices the province has that year.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from analysis import indicators, provinces, publications, rulebook
from analysis.briefing import metrics
from analysis.briefing.context import Context
from analysis.briefing.fmt import (
    coarser,
    decimals,
    fmt_delta,
    fmt_value,
    html_table,
    short_rank,
    shown_precision,
)
from analysis.briefing.labels import esc, index_name, join_names, t
from analysis.briefing.metrics import Rank

NAME = "ranking"
NEEDS: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ranking:
    key: str | None  # the index ranked (None: the province has no index value that year)
    year: int
    table: pd.DataFrame  # code, name, value, rank, rank_n, highlight; best first
    median: float | None
    size: int = 0  # provinces of the regime
    top_n: int | None = None  # the publisher released only its top N
    peers_missing: tuple[str, ...] = ()  # regional peers without a value that year

    @property
    def partial(self) -> bool:
        """The chart shows fewer provinces than the regime has (a top-N list, or a part we hold)."""
        return 0 < len(self.table) < self.size

    @property
    def peers(self) -> pd.DataFrame:
        return self.table[self.table["peer"]] if "peer" in self.table else self.table.iloc[0:0]


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
    """All provinces with a value, best first: code, name, value, precision (the digits its source
    wrote, <NA> when it did not say), rank (of rank_n), highlight."""
    v = metrics.values(df, regime, year, key)
    names = (
        df[(df["regime"] == regime) & df["province_code"].isin(v.index)]
        .drop_duplicates("province_code")
        .set_index("province_code")["province_name"]
    )
    out = pd.DataFrame({"code": v.index, "value": v.to_numpy()})
    out["name"] = out["code"].map(names).fillna(out["code"]).astype(str)
    digits = metrics.cell_precisions(df, regime, year, key)
    out["precision"] = pd.array([digits.get(c) for c in out["code"]], dtype="Int64")
    ranks = metrics.ranks(df, regime, year, key)  # the rule book's: published, computed or none
    got = [ranks.get(c, rulebook.NO_RANK) for c in out["code"]]
    out["rank"] = pd.array([r.rank for r in got], dtype="Int64")
    out["rank_n"] = pd.array([r.of for r in got], dtype="Int64")
    out["rank_kind"] = [r.kind for r in got]
    out["rank_low"] = pd.array([r.low for r in got], dtype="Int64")
    out["rank_high"] = pd.array([r.high for r in got], dtype="Int64")
    out["highlight"] = out["code"] == highlight
    order = out.sort_values(
        ["value", "name"], ascending=[not metrics.higher_is_better(key), True], kind="stable"
    )
    cols = ["code", "name", "value", "precision", "rank", "rank_n", "rank_kind", "rank_low", "rank_high"]
    cols.append("highlight")
    return order[cols].reset_index(drop=True)


def rank_of_row(r: object) -> Rank:
    """A ranking row's rank back as the rule book's Rank."""

    def opt(x: object) -> int | None:
        return None if pd.isna(x) else int(x)

    return Rank(opt(r.rank), opt(r.rank_n), str(r.rank_kind), opt(r.rank_low), opt(r.rank_high))


def _english_name(code: str, regime: str, fallback: str) -> str:
    by_code = provinces.registry().by_code
    return by_code[(code, regime)].name_en if (code, regime) in by_code else fallback


def compute(df: pd.DataFrame, ctx: Context, needs: Mapping[str, object] | None = None) -> Ranking:
    s = ctx.scope
    key = main_index(df, s.code, s.regime, ctx.year)
    size = metrics.REGIME_SIZE.get(s.regime, 0)
    if key is None:
        return Ranking(None, ctx.year, pd.DataFrame(), None, size)
    tab = ranking(df, s.regime, ctx.year, key, s.code)
    if ctx.lang == "en":
        tab["name"] = [_english_name(c, s.regime, n) for c, n in zip(tab["code"], tab["name"], strict=True)]
    tab["peer"] = tab["code"].isin(s.region_codes) | tab["highlight"]
    median, _n = metrics.national_median(df, s.regime, ctx.year, key)
    pub = publications.publication(indicators.get(key).family, ctx.year)
    top_n = pub.top_n if pub is not None and pub.released == "top_n" else None
    reg = provinces.registry().by_code
    missing = sorted(
        (reg[(c, s.regime)] for c in s.region_codes if c not in set(tab["code"]) and (c, s.regime) in reg),
        key=lambda p: p.slug,
    )
    names = tuple(p.name_en if ctx.lang == "en" else p.name for p in missing)
    return Ranking(key, ctx.year, tab, median, size, top_n, names)


def table(result: Ranking) -> pd.DataFrame:
    return result.table


def shown(result: Ranking) -> bool:
    return result.key is not None and len(result.table) >= 2


def render(result: Ranking, ctx: Context) -> list:
    """The heading, the regional peers' table and the ranking figure; nothing when fewer than two
    provinces have a value."""
    if not shown(result):
        return []
    from analysis.briefing import draw

    lang = ctx.lang
    title = f"{t('ranking', lang)}: {index_name(result.key, lang)} {result.year}"
    out: list = [f'<h2 class="cchc-ranking-head">{esc(title)}</h2>']  # print.css: a tighter top
    if result.partial:
        note = t("ranking_partial_note", lang, n=len(result.table), year=result.year, of=result.size)
        if result.top_n:
            note = f"{note} ({t('ranking_top_n', lang, top=result.top_n)})"
        out.append(f'<p class="note">{esc(note)}</p>')
    # The regional peers' table (about 50 mm) before the chart (about 85 mm with its heading, and it
    # cannot break): on page 1, below the headline table, the table fits where the chart did not,
    # and page 1 no longer ends a quarter empty (Lào Cai 2023: 74 %). The chart follows under its
    # own heading, so a chart pushed to the next page is never away from its heading.
    svg = ranking_svg(result.table, result.key, result.year, lang, result.median, coverage(result, lang))
    peers = peers_html(result, ctx)
    if peers:
        out += [peers, f'<h3 class="cchc-chart-head">{esc(t("ranking_all", lang))}</h3>']
    out.append(draw.SvgFigure(svg, NAME, f"{title} — {ctx.display_name}"))
    return out


def coverage(result: Ranking, lang: str) -> str:
    """What a partial chart covers, for its title ("" for a full table)."""
    if not result.partial:
        return ""
    text = t("ranking_listed", lang, n=len(result.table), of=result.size)
    if result.top_n:
        text += "; " + t("ranking_top_n", lang, top=result.top_n)
    return text


def peers_html(result: Ranking, ctx: Context) -> str:
    """The province's regional peers with their values and ranks, the province in bold, best first."""
    peers = result.peers
    if len(peers) < 2 or not ctx.region_name:
        return ""
    lang, key = ctx.lang, result.key
    own = float(peers.loc[peers["highlight"], "value"].iloc[0])
    own_digits = (
        shown_precision(peers.loc[peers["highlight"], "precision"].iloc[0], key)
        if "precision" in peers
        else None
    )
    head = [
        (esc(t("rank", lang)), True),
        (esc(t("province", lang)), False),
        (esc(t("value", lang)), True),
        (esc(t("peers_gap", lang, name=ctx.display_name)), True),
    ]
    body = []
    for r in peers.itertuples(index=False):
        name = f"<strong>{esc(r.name)}</strong>" if r.highlight else esc(r.name)
        digits = shown_precision(
            getattr(r, "precision", None), key
        )  # the source's, never more than the catalogue's
        places = coarser(digits, own_digits, fallback=decimals(key))  # a difference: the coarser
        gap = "" if r.highlight else esc(fmt_delta(r.value - own, key, lang, precision=places))
        body.append(
            [
                (esc(short_rank(rank_of_row(r), lang)), True),
                (name, False),
                (esc(fmt_value(r.value, key, lang, with_unit=False, precision=digits)), True),
                (gap, True),
            ]
        )
    # A title line, not a heading: the section's heading, this line, the table's header and two rows
    # are the least that opens the section, and must fit in what page 1 leaves (print.css). The
    # table in a box of its own, which print sets in two columns.
    title = (
        f'<p class="cchc-peers-title"><strong>{esc(t("peers", lang, region=ctx.region_name))}</strong></p>'
    )
    table = html_table(head, body, "cchc-peers")
    html = f'{title}<div class="cchc-peers-box">{table}</div>'

    if result.peers_missing:
        missing = t("peers_missing", lang, names=join_names(result.peers_missing, lang))
        html += f'<p class="note">{esc(missing)}</p>'
    return html


NAME_SIZE = 7.0  # the provinces' names: 7 pt on paper (the figure is printed at its own size)


def highlight_label(row: object, key: str, lang: str) -> str:
    """The province's label: name, value and its rank as the tables print it (42/63*: computed)."""
    said = short_rank(rank_of_row(row), lang)  # "—" when there is no rank: then none is said
    digits = shown_precision(getattr(row, "precision", None), key)
    value = fmt_value(row.value, key, lang, with_unit=False, precision=digits)
    return f"{row.name}: {value}" + (f" ({said})" if said != "—" else "")


def _label_places(i: int, n: int) -> list[dict]:
    """The province's label: beside its dot, running right (towards the lower values, whose stems
    are shorter) and rising until it clears the median and its label; then running left."""
    out = []
    for ha, dx in (("left", 5), ("right", -5)):
        out += [{"xyann": (dx, dy), "ha": ha, "va": "bottom"} for dy in range(4, 120, 6)]
    return out


def _median_places(n: int, median: float, gap: float = 0.0) -> list[dict]:
    """The median's label: just above its line at the right end (where the stems are lowest), then
    just below, then at the left end, then further left from the right end; `gap` (data units) keeps
    the dashes off the letters' marks below the line (the dot of "ị")."""
    out = []
    for x, ha in ((n - 0.5, "right"), (-0.5, "left")):
        out += [{"x": x, "y": median + gap, "ha": ha, "va": "bottom"}]
        out += [{"x": x, "y": median - gap, "ha": ha, "va": "top"}]
    # then further left along the line, above it: room for the province's label at the right end
    out += [{"x": x, "y": median + gap, "ha": "right", "va": "bottom"} for x in range(n - 4, n // 2, -2)]
    return out


def _place_pair(fig, note: tuple, label: tuple) -> None:
    """The median's label at the first of its places that leaves the province's label a place
    clear of it whose leader strikes through no text (Hòa Bình 2023's DTI: down through "Trung vị
    cả nước") and passes no marker; a leader crossing lines (the median's, the stems) is allowed.
    Where no pair fits, each label where it runs into least (`draw.declutter`)."""
    from analysis.briefing import draw

    (text, spots), (own, places) = note, label
    for spot in spots:
        scene = draw.Scene(fig, [text, own])
        text.set(**spot)
        if scene.cost(text, text.axes.bbox) > 0:
            continue
        scene.keep(text)
        for place in places:
            own.xyann = place["xyann"]
            own.set(ha=place["ha"], va=place["va"])
            if scene.cost(own, own.axes.bbox) < 1:  # only lines crossed (0.5)
                return
    draw.declutter(fig, [], [note, label], leads=True)


def ranking_svg(
    table: pd.DataFrame, key: str, year: int, lang: str, median: float | None, covers: str = ""
) -> str:
    """The ranking figure as SVG (see `ranking_figure`)."""
    from analysis.briefing import draw

    with draw.style():
        return draw.to_svg(ranking_figure(table, key, year, lang, median, covers))


def named(table: pd.DataFrame) -> list[bool]:
    """Which provinces the ranking chart names: the province, its regional peers (the peers' table
    gives their values) and the first and last; not all 63 (at 7 pt, upright, 63 names need more
    than a page's width: their boxes overlapped and their stacked accents touched)."""
    n = len(table)
    peer = table["peer"] if "peer" in table else pd.Series(False, index=table.index)
    return [
        bool(h or p or i in (0, n - 1)) for i, (h, p) in enumerate(zip(table["highlight"], peer, strict=True))
    ]


NAME_DROP = 0.16  # inches from the axis down to the names: room for the leaders fanning out


def _names(fig, ax, table: pd.DataFrame, shown: list[bool], colours: list[str]) -> list:
    """The named provinces under the axis, upright, each with a leader up to its stem's foot; where
    neighbours are nearer than their names' width (with air), the names are set apart (in order)."""
    from analysis.briefing import draw

    trans = ax.get_xaxis_transform()
    height = ax.get_position().height * fig.get_size_inches()[1]
    out, wanted = [], []
    for i, row in enumerate(table.itertuples(index=False)):
        if not shown[i]:
            continue
        out.append(
            ax.annotate(
                row.name,
                (i, ax.get_ylim()[0]),
                xytext=(i, -NAME_DROP / height),
                textcoords=trans,
                rotation=90,
                ha="center",
                va="top",
                fontsize=NAME_SIZE,
                color=draw.MEDIAN if colours[i] == draw.OTHERS else colours[i],
                fontweight="bold" if row.highlight else "normal",
                annotation_clip=False,
                arrowprops={
                    "arrowstyle": "-",
                    "color": "#8a96a3",
                    "linewidth": 0.5,
                    "shrinkA": 1,
                    "shrinkB": 0,
                },
            )
        )
        wanted.append(float(i))
    r = draw.renderer(fig, layout=False)
    x0, x1 = ax.get_xlim()
    per_px = (x1 - x0) / ax.bbox.width
    air = NAME_SIZE * 0.35 * fig.dpi / 72  # a third of an em between two names' boxes
    widths = [(draw.box(label, r).width + air) * per_px for label in out]
    for label, x in zip(out, draw.spread(wanted, widths, x0, x1), strict=True):
        label.set_x(x)  # the text's place (xyann), in data units along x
    return out


def _longest(names: pd.Series, size: float) -> float:
    """The widest of the names in inches (the bold one a little wider), measured as drawn."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    font = FontProperties(family="DejaVu Sans", size=size, weight="bold")
    measure = TextToPath().get_text_width_height_descent
    return max(measure(name, font, ismath=False)[0] for name in names) / 72


def ranking_figure(
    table: pd.DataFrame, key: str, year: int, lang: str, median: float | None, covers: str = ""
):
    """Every province's value, best first, as dots; the province highlighted and named with its rank,
    its regional peers in blue; the province, its peers and the first and last named under the axis.

    Callers hold `draw.style()`.
    """
    from analysis.briefing import draw

    n = len(table)
    shown = named(table)
    bottom = _longest(table["name"][shown], NAME_SIZE) + NAME_DROP + 0.3  # and the axis' name
    # at most 3.1 in (79 mm; print.css shrinks a taller figure): long names take from the dots' area
    fig = draw.figure(min(1.8, 3.1 - bottom) + bottom)
    draw.margins(fig, left=0.7, right=0.1, top=0.3, bottom=bottom)
    ax = fig.add_subplot()
    x = list(range(n))
    values = table["value"].to_numpy()
    highlight = table["highlight"].to_numpy()
    peer = table["peer"].to_numpy() if "peer" in table else [False] * n
    colours = [
        draw.HIGHLIGHT if h else draw.REGION if p else draw.OTHERS
        for h, p in zip(highlight, peer, strict=True)
    ]
    lo, hi = float(values.min()), float(values.max())
    pad = (hi - lo) * 0.08 or 1.0
    ax.set_ylim(lo - pad, hi + pad * 3)
    ax.vlines(x, lo - pad, values, colors=colours, linewidth=0.8)
    ax.scatter(x, values, c=colours, s=[46 if h else 16 for h in highlight], zorder=3, linewidths=0)
    required = []
    if median is not None:
        ax.axhline(median, color=draw.MEDIAN, linestyle="--", linewidth=0.9)
        said = f"{t('national_median', lang)}: {fmt_value(median, key, lang, with_unit=False)}"
        note = ax.text(n - 0.5, median, said, fontsize=8, color=draw.MEDIAN)
        gap = (hi - lo + pad * 4) * 0.02  # about 2.5 pt on the axis' height
        required.append((note, _median_places(n, median, gap)))
    ax.set_xticks([])
    ax.set_xlim(-0.7, n - 0.3)
    _names(fig, ax, table, shown, colours)
    ax.set_xlabel(t("ranking_axis", lang, n=n), fontsize=7.5, color=draw.MUTED, loc="left", va="bottom")
    ax.xaxis.set_label_coords(0, -(bottom - 0.05) / (ax.get_position().height * fig.get_size_inches()[1]))
    ax.yaxis.set_major_formatter(draw.fmt_axis(key, lang))
    ax.set_ylabel(draw.unit_label(key, lang), fontsize=7.5, color=draw.MUTED)
    ax.grid(axis="y", color="#e3e7ec", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.spines["bottom"].set_visible(False)
    for row in table[table["highlight"]].itertuples():
        label = ax.annotate(
            highlight_label(row, key, lang),
            (row.Index, row.value),
            xytext=(6, 6),
            textcoords="offset points",
            fontsize=8.5,
            fontweight="bold",
            color=draw.HIGHLIGHT,
            arrowprops={"arrowstyle": "-", "color": draw.HIGHLIGHT, "linewidth": 0.6, "shrinkA": 0},
        )
        required.append((label, _label_places(row.Index, n)))
    if median is not None and len(required) == 2:  # the median's label and the province's, together
        _place_pair(fig, *required)
    else:
        draw.declutter(fig, [], required, leads=True)
    title = f"{index_name(key, lang)} {year} — {t('ranking', lang).lower()}"
    ax.set_title(f"{title} ({covers})" if covers else title)  # a top-N list says so
    return fig
