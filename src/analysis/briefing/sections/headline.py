"""Headline: each index (PAR Index, SIPAS, PCI, PAPI, DTI, Decision 766) for the briefing's year,
with value, rank of N, change since the previous figure and the national median.

The briefing keeps its year. An index with a figure that year shows it — a score with its rank, or
a rank alone where the publisher's rank is all we hold (PAR Index, SIPAS). An index without one
shows its latest earlier figure labelled with its own year, next to what was published for the
briefing's year ("only the top 30 published", "no published figure found":
`analysis.publications`, or, where a source states only the change of rank, "our data hold
only a rise of 18 places", cited); a province formed in 2025 shows each former province's latest figure.
A value prints the digits its source wrote (the row's `precision`), a change the coarser of two.
Ranks, changes and groups are the rule book's (`analysis.rulebook`): a rank is published (of the
publisher's base) or computed over the complete set (marked *), else absent; a change of rank only
compares like with like; PAPI, which ranks nobody, changes in points only, and shows its quartile
group by PAPI's convention.

Rows: for every year and index the province (or a former province of it) has a value or a rank,
every province's value and rank of that index and year (ranks, medians and groups need them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

import pandas as pd

from analysis import publications, rulebook
from analysis.briefing import metrics
from analysis.briefing.context import Context
from analysis.briefing.fmt import (
    coarser,
    decimals,
    fmt_delta,
    fmt_value,
    heading,
    html_table,
    released_note,
    short_rank,
    shown_precision,
)
from analysis.briefing.labels import esc, index_name, t
from analysis.briefing.metrics import Rank
from analysis.briefing.sections.papi import SWATCH

NAME = "headline"
NEEDS: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndexFigure:
    """One headline index figure for the province (or one of its former provinces)."""

    key: str
    year: int  # the figure's own year: the briefing's, or an earlier one (then `earlier` is True)
    value: float | None  # None when only the publisher's rank is held (PAR Index, SIPAS)
    rank: Rank
    median: float | None
    median_n: int
    prev_year: int | None = None
    prev_value: float | None = None
    prev_rank: Rank | None = None
    comparable: bool = True  # False when a method change forbids comparing with prev_year
    earlier: bool = False  # the briefing's year has no figure: this is the latest earlier one
    member: str = ""  # the former province's name, for a province formed in 2025
    status: str = ""  # for an earlier figure: what was published for the briefing's year
    top_n: int | None = None  # N of a top-N publication of the briefing's year
    group: publications.QuartileGroup | None = None  # PAPI's quartile group (computed)
    regime: str = ""  # the regime of the province the figure belongs to (63 for a former province)
    prev_rank_year: int | None = None  # the rank's comparison year, when not prev_year (rule book)
    precision: int | None = None  # the digits the value's source wrote (None: the catalogue's)
    prev_precision: int | None = None  # the same for prev_value
    moved: int | None = None  # an earlier figure: places gained in the briefing's year, as stated
    moved_source: str = ""  # the source of `moved`
    own_moved: int | None = None  # places gained in the figure's own year, as a source states it

    @property
    def change(self) -> float | None:
        if self.prev_year is None:
            return None
        return rulebook.point_change(self.key, self.prev_year, self.prev_value, self.year, self.value)

    @property
    def rank_year(self) -> int | None:
        """The year the rank is compared with: the latest earlier year with a like rank."""
        return self.prev_rank_year if self.prev_rank_year is not None else self.prev_year

    def _computed_change(self) -> int | None:
        if self.rank_year is None or self.prev_rank is None:
            return None
        return rulebook.rank_change(self.key, self.rank_year, self.prev_rank, self.year, self.rank)

    @property
    def stated(self) -> int | None:
        """Places gained on the year before as the source states it, where the rule book prefers
        that to a change we compute (`rulebook.prefer_stated`); None otherwise. An earlier figure's
        `moved` is of the briefing's year, not of the figure's: its status says it."""
        if self.own_moved is None:
            return None
        computed = self.rank_year if self._computed_change() is not None else None
        return (
            self.own_moved if rulebook.prefer_stated(self.year, self.rank, computed, self.own_moved) else None
        )

    @property
    def rank_change(self) -> int | None:
        """Places gained since `rank_year` (positive = moved up), only between like ranks; None where
        the source's stated change is said instead (never both)."""
        return None if self.stated is not None else self._computed_change()

    @property
    def move_year(self) -> int | None:
        """The year the change of rank said compares with: the stated change's, else `rank_year`."""
        if self.stated is not None:
            return rulebook.stated_change_year(self.year)
        return self.rank_year if self.rank_change is not None else None


@dataclass(frozen=True)
class IndexStatus:
    """A headline index with no figure for the province in the briefing's year or before."""

    key: str
    year: int
    status: str  # one of publications.STATUSES (never "value")
    top_n: int | None = None
    moved: int | None = None  # places gained that year as a source states it, all it holds
    moved_source: str = ""  # the source of `moved`


class Headline(list):
    """The figures (a list of IndexFigure, as the summary and the notes read it) and `missing`: the
    indices with no figure at all, each with what was published for the year."""

    def __init__(self, figures: list[IndexFigure], missing: tuple[IndexStatus, ...] = ()):
        super().__init__(figures)
        self.missing = tuple(missing)


def _members(ctx: Context) -> list[tuple[str, str, str]]:
    """(code, regime, name) of the province and, for one formed in 2025, of its former provinces."""
    s = ctx.scope
    own = [(s.code, s.regime, "")]
    if s.merged:
        several = len(s.predecessors) > 1  # name the former province only when there are several
        own += [
            (m.code, m.regime, m.name if several else "")
            for m in s.predecessors
            if (m.code, m.regime) != (s.code, s.regime)
        ]
    return own


def _figure_years(df: pd.DataFrame, code: str, regime: str, key: str) -> list[int]:
    """Years in which the province has this index's value or the publisher's rank."""
    found = metrics.province_years(df, code, regime)  # indexed once per frame and province
    return sorted(set(found.get(key, ())) | set(found.get(metrics.rank_key(key) or key, ())))


def rows(df: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    cells: set[metrics.Cell] = set()
    for code, regime, _ in _members(ctx):
        for key in metrics.headline_keys():
            stated = rulebook.stated_change_key(key)
            for y in _figure_years(df, code, regime, key):
                cells |= {(regime, y, k) for k in metrics.with_ranks([key])}
                cells |= {(regime, y, stated)} if stated else set()  # the change its source states
            if stated:  # a stated change of rank, for a year with no figure
                cells.add((regime, ctx.year, stated))
    return metrics.cells(df, cells)


def _stated_move(df: pd.DataFrame, members: list[tuple[str, str, str]], year: int, key: str) -> tuple:
    """(places gained, source) of a change of rank a source states for the index that year (the
    rule book's `stated_change_key`), else (None, "")."""
    stated = rulebook.stated_change_key(key)
    if stated is None:
        return None, ""
    for code, regime, _ in members:
        moved = metrics.value_of(df, code, regime, year, stated)
        if moved is not None:
            own = metrics.province_rows(df, code, regime)
            hit = own[(own["year"] == year) & (own["indicator"] == stated) & own["value"].notna()]
            first = hit.sort_values("source", kind="stable")  # the row value_of took
            return round(moved), str(first["source"].iloc[0]) if len(first) else ""
    return None, ""


def _figure(df: pd.DataFrame, code: str, regime: str, year: int, key: str, **extra) -> IndexFigure:
    """The figure and what it is compared with, by the rule book: a score with the latest earlier
    score, a rank with the latest earlier rank of the same kind and base (each year named)."""
    value = metrics.value_of(df, code, regime, year, key)
    median, n = metrics.national_median(df, regime, year, key)
    earlier = [y for y in _figure_years(df, code, regime, key) if y < year]
    scored = [y for y in earlier if metrics.value_of(df, code, regime, y, key) is not None]
    rank = metrics.rank_of(df, code, regime, year, key)
    rank_year = rulebook.previous_rank_year(
        key, year, rank, {y: metrics.rank_of(df, code, regime, y, key) for y in earlier}
    )
    prev_year = rulebook.previous_year(year, scored if value is not None else ())
    if prev_year is None:
        prev_year = rank_year if rank_year is not None else rulebook.previous_year(year, earlier)
    comparable = prev_year is None or rulebook.comparable_years(key, prev_year, year)
    prev_rank = metrics.rank_of(df, code, regime, rank_year, key) if rank_year is not None else None
    group = metrics.quartile_group(df, regime, year, code, key) if key == "papi" else None
    own_moved, _ = _stated_move(df, [(code, regime, "")], year, key)  # the source's word, that year
    return IndexFigure(
        key=key,
        year=year,
        value=value,
        rank=rank,
        median=median if value is not None else None,
        median_n=n,
        prev_year=prev_year,
        prev_value=metrics.value_of(df, code, regime, prev_year, key) if prev_year else None,
        precision=metrics.precision_of(df, code, regime, year, key),
        prev_precision=metrics.precision_of(df, code, regime, prev_year, key) if prev_year else None,
        prev_rank=prev_rank,
        comparable=comparable,
        group=group,
        regime=regime,
        prev_rank_year=rank_year,
        own_moved=own_moved,
        **extra,
    )


def _status(key: str, year: int) -> tuple[str, int | None]:
    """What was published for the year, for a province with no figure (status, N of a top N)."""
    pub = publications.publication(key, year)
    if pub is not None and pub.released == "top_n":
        status = publications.NOT_IN_TOP_N if pub.complete_held else publications.NOT_FOUND
        return status, pub.top_n
    return publications.NOT_FOUND, None


def compute(df: pd.DataFrame, ctx: Context, needs: Mapping[str, object] | None = None) -> Headline:
    """Each headline index: the year's figure, else the latest earlier one, else what was published."""
    year, out, missing = ctx.year, [], []
    members = _members(ctx)
    for key in metrics.headline_keys():
        code, regime, _ = members[0]
        if year in _figure_years(df, code, regime, key):
            out.append(_figure(df, code, regime, year, key))
            continue
        status, top_n = _status(key, year)
        moved, said_by = _stated_move(df, members, year, key)
        found = False
        for code, regime, name in members:
            earlier = [y for y in _figure_years(df, code, regime, key) if y < year]
            if earlier:
                extra = {"earlier": True, "member": name, "status": status, "top_n": top_n}
                extra |= {"moved": moved, "moved_source": said_by}
                out.append(_figure(df, code, regime, earlier[-1], key, **extra))
                found = True
        if not found:
            missing.append(IndexStatus(key, year, status, top_n, moved, said_by))
    return Headline(out, tuple(missing))


def table(result: Headline) -> pd.DataFrame:
    """One row per index: value, rank (given or computed), median, previous figure; then the indices
    without any figure, with what was published for the year."""
    out = []
    for f in result:
        row = asdict(f)
        rank, prev = row.pop("rank"), row.pop("prev_rank") or {}
        group = row.pop("group")
        row |= {"rank": rank["rank"], "of": rank["of"], "rank_given": f.rank.given, "rank_kind": rank["kind"]}
        row |= {"prev_rank": prev.get("rank"), "prev_rank_kind": prev.get("kind"), "change": f.change}
        row |= {"rank_change": f.rank_change, "rank_low": rank["low"], "rank_high": rank["high"]}
        row["prev_rank_year"] = f.rank_year if f.rank_change is not None else None
        row["stated_rank_change"] = f.stated  # the source's word, said instead of a computed change
        row["group"] = group["group"] if group else None
        out.append(row)
    out += [asdict(m) | {"value": None} for m in result.missing]
    return pd.DataFrame(out)


def rank_move(fig: IndexFigure, lang: str, with_year: bool = True) -> str:
    """The rank change in words (tăng 3 bậc so với 2017 / up 3 places since 2017); empty when none."""
    if not fig.comparable:
        return t("not_comparable", lang)
    stated = fig.stated
    moved = stated if stated is not None else fig.rank_change
    if moved is None or fig.move_year is None:
        return ""
    places = t("place_one" if abs(moved) == 1 else "place_many", lang)
    keys = (
        ("up_places", "down_places", "same_place") if with_year else ("up_short", "down_short", "same_short")
    )
    if stated is not None:  # the source's word, marked as such (rulebook.prefer_stated)
        keys = tuple(f"{k}_stated" for k in keys)
    if moved > 0:
        return t(keys[0], lang, n=moved, year=fig.move_year, places=places)
    if moved < 0:
        return t(keys[1], lang, n=-moved, year=fig.move_year, places=places)
    return t(keys[2], lang, year=fig.move_year)


def change_text(f: IndexFigure, lang: str) -> str:
    """The table's change: "+4,05, tăng 16 bậc (so với 2022)"; each with its own year when the
    score and the rank are compared with different years (the rule book's previous years)."""
    shown = (shown_precision(p, f.key) for p in (f.precision, f.prev_precision))
    places = coarser(*shown, fallback=decimals(f.key))
    delta = fmt_delta(f.change, f.key, lang, precision=places) if f.change is not None else ""
    move = rank_move(f, lang, with_year=False)
    if delta and move and f.move_year != f.prev_year:
        return (
            f"{delta} ({t('vs_year', lang, year=f.prev_year)}), "
            f"{move} ({t('vs_year', lang, year=f.move_year)})"
        )
    said = ", ".join(x for x in (delta, move) if x)
    year = f.prev_year if delta else f.move_year
    return f"{said} ({t('vs_year', lang, year=year)})" if said else ""


def status_text(
    status: str, key: str, year: int, top_n: int | None, lang: str, moved: int | None = None
) -> str:
    """What was published for the year, in words ("only the top 30 published; … not among them";
    where a source states only the change of rank: "our data hold only a rise of 18 places")."""
    if moved is not None:
        if moved == 0:
            return t("status_moved_same", lang, year=year)
        places = t("place_one" if abs(moved) == 1 else "place_many", lang)
        return t(
            "status_moved_up" if moved > 0 else "status_moved_down",
            lang,
            year=year,
            n=abs(moved),
            places=places,
        )
    if status == publications.NOT_IN_TOP_N:
        return t("status_not_in_top_n", lang, n=top_n, year=year)
    if top_n:
        return t("status_top_n_not_found", lang, n=top_n, year=year)
    return t("status_not_found", lang, year=year)


def _note(f: IndexFigure, ctx: Context) -> str:
    parts = [esc(said)] if (said := released_note(f.rank, ctx.lang, remark=True)) else []  # the rank's source
    if f.group is not None:
        swatch = f'<span class="cchc-swatch" style="{SWATCH}background:{esc(f.group.colour)}"></span>'
        parts.append(swatch + esc(t("papi_group", ctx.lang, group=f.group.label(ctx.lang))))
    if f.earlier:
        parts.append(esc(status_text(f.status, f.key, ctx.year, f.top_n, ctx.lang, f.moved)))
        if f.moved is not None:
            parts[-1] += _cite(f.moved_source, ctx.lang)
    else:
        published = publications.publication(f.key, f.year)
        rank = f.rank.rank if f.rank is not None else None
        outside = rank is not None and published is not None and published.top_n and rank > published.top_n
        if published is not None and published.released == "top_n" and not outside:  # membership is the fact
            parts.append(esc(t("status_in_top_n", ctx.lang, n=published.top_n, year=f.year)))
    return "; ".join(parts)


def _cite(source: str, lang: str) -> str:
    """(nguồn: …) after a stated change of rank: the source that states it, cited as the online
    table cites its figures (publisher, title, date, linked)."""
    from analysis.briefing.sections.online import cited

    return f" ({t('cited_as', lang, source=cited(source, lang))})" if source else ""


def render(result: Headline, ctx: Context) -> list:
    """The headline table (no figure)."""
    text = html(result, ctx)
    return [text] if text else []


def html(result: Headline, ctx: Context) -> str:
    lang = ctx.lang
    if not result and not result.missing:
        return ""  # the summary already says there is nothing for this year
    out = [heading(2, f"{t('headline', lang)} {ctx.year}")]
    head = [
        (esc(t("index", lang)), False),
        (esc(t("value", lang)), True),
        (esc(t("rank", lang)), True),
        (esc(t("change", lang)), False),
        (esc(t("national_median", lang)), True),
        (esc(t("remark", lang)), False),
    ]
    several = len(ctx.scope.predecessors) > 1
    body = []
    for f in result:
        change = ""
        if f.prev_year is not None:
            change = change_text(f, lang) if f.comparable else t("not_comparable", lang)
        median = "—"  # a median is ours, not a row's: the catalogue's digits
        if f.median is not None:
            median = (
                f"{esc(fmt_value(f.median, f.key, lang, with_unit=False))} <small>(n={f.median_n})</small>"
            )
        name = esc(index_name(f.key, lang))
        if f.earlier or (several and f.member):
            who = f"{f.member}, " if several and f.member else ""
            name += f" <small>({esc(who)}{f.year})</small>"
        body.append(
            [
                (name, False),
                (
                    esc(
                        fmt_value(
                            f.value,
                            f.key,
                            lang,
                            with_unit=False,
                            precision=shown_precision(f.precision, f.key),
                        )
                    ),
                    True,
                ),
                (esc(short_rank(f.rank, lang)), True),
                (esc(change), False),
                (median, True),
                (_note(f, ctx), False),
            ]
        )
    groups: dict[str, list[str]] = {}  # indices with the same status share one row (a shorter table)
    for m in result.missing:
        said = esc(status_text(m.status, m.key, m.year, m.top_n, lang, m.moved))
        said += _cite(m.moved_source, lang) if m.moved is not None else ""
        groups.setdefault(said, []).append(index_name(m.key, lang))
    for said, names in groups.items():
        body.append(
            [
                (esc(", ".join(names)), False),
                ("—", True),
                ("—", True),
                ("", False),
                ("—", True),
                (said, False),
            ]
        )
    out.append(html_table(head, body, "cchc-headline"))
    return "".join(out)
