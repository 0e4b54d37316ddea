"""PAPI in detail: the province's quartile group (PAPI's convention) and, for its weakest
dimensions, the sub-dimensions behind them — where to act.

"Weakest" is the rule book's one criterion, the one the summary and the sub-index table use: the
gap to the national median (`rulebook.weakest_first`); only a dimension below the median is listed
(one above it is nothing "to improve"), weakest first, and its sub-dimensions by the same gap.

PAPI publishes scores and four quartile groups, no ranks. The group is computed from the year's
scores (`analysis.rulebook.quartile_groups`); any rank shown here is computed among the
provinces with a score and marked so. The year is the briefing's, or for a province without a
PAPI score that year the latest earlier one, labelled with its own year. A province formed in the
2025 merger shows each former province's own latest PAPI (scores are never averaged).

Rows: for each member province and the PAPI year shown, every province's aggregate, dimensions
and sub-dimensions of that year (groups, medians and computed ranks need them all).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import pandas as pd

from analysis import publications, rulebook
from analysis.briefing import metrics
from analysis.briefing.context import Context
from analysis.briefing.fmt import fmt_value, heading, html_table, shown_precision
from analysis.briefing.labels import esc, index_name, t
from analysis.config import PACKAGE_DATA

NAME = "papi"
NEEDS: tuple[str, ...] = ()
# PAPI's group colour as a small square, styled inline so the page needs no stylesheet rule for it
SWATCH = "display:inline-block;width:0.8em;height:0.8em;margin-right:0.3em;vertical-align:-0.05em;"
WEAKEST = 2  # dimensions whose sub-dimensions are shown


@cache
def subdimensions() -> dict[str, tuple[str, ...]]:
    """Dimension key → its sub-dimension keys (data/papi_subdimensions.csv), in PAPI's order."""
    out: dict[str, list[str]] = {}
    with (PACKAGE_DATA / "papi_subdimensions.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            out.setdefault(r["dimension_key"], []).append(r["key"])
    return {k: tuple(v) for k, v in out.items()}


@dataclass(frozen=True)
class Score:
    """One PAPI score of the province with the national median and a computed rank."""

    key: str
    value: float
    median: float | None
    rank: int | None
    of: int
    precision: int | None = None  # the digits the value's source wrote (None: the catalogue's)


@dataclass(frozen=True)
class Weak:
    """A weak dimension and its sub-dimensions (weakest first)."""

    dimension: Score
    subs: tuple[Score, ...]


@dataclass(frozen=True)
class PapiDetail:
    """PAPI for one province (a former province of a merged one) in the year shown."""

    name: str
    code: str
    regime: str
    year: int
    score: Score
    group: publications.QuartileGroup | None
    weakest: tuple[Weak, ...]


def _members(ctx: Context) -> list[tuple[str, str, str]]:
    """(code, regime, name) whose PAPI the section shows: the province, or a merged one's former ones."""
    s = ctx.scope
    if s.merged:
        return [(m.code, m.regime, m.name) for m in s.predecessors]
    return [(s.code, s.regime, s.name)]


def _year_of(df: pd.DataFrame, code: str, regime: str, year: int) -> int | None:
    """The latest year ≤ the briefing's with a PAPI aggregate for this province."""
    own = df[
        (df["province_code"] == code)
        & (df["regime"] == regime)
        & (df["indicator"] == "papi")
        & (df["year"] <= year)
    ]
    return int(own["year"].max()) if len(own) else None


def _keys() -> set[str]:
    keys = {"papi", *subdimensions()}
    for subs in subdimensions().values():
        keys |= set(subs)
    return keys


def rows(df: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    cells = set()
    papi = df[df["indicator"] == "papi"]
    for code, regime, _ in _members(ctx):
        y = _year_of(papi, code, regime, ctx.year)
        if y is not None:
            cells |= {(regime, y, k) for k in _keys()}
    return metrics.cells(df, cells)


def _score(df: pd.DataFrame, code: str, regime: str, year: int, key: str) -> Score | None:
    value = metrics.value_of(df, code, regime, year, key)
    if value is None:
        return None
    median, _ = metrics.national_median(df, regime, year, key)
    rank = metrics.rank_of(df, code, regime, year, key)  # PAPI ranks nobody: computed or none
    digits = metrics.precision_of(df, code, regime, year, key)
    return Score(key, value, median, rank.rank, rank.of or 0, digits)


def weakest_first(scores: list[Score], below_only: bool = True) -> list[Score]:
    """The scores by the rule book's criterion, weakest first: only those below the national median
    (`below_only`), else all of them with a median, then those without one."""
    by_key = {s.key: s for s in scores}
    gaps = {s.key: rulebook.gap(s.value, s.median) for s in scores if s.median is not None}
    weak = [by_key[k] for k in rulebook.weakest_first(gaps)]
    if below_only:
        return weak
    rest = sorted(
        (s for s in scores if s not in weak and s.median is not None), key=lambda s: s.value - s.median
    )
    return weak + rest + [s for s in scores if s.median is None]


def compute(df: pd.DataFrame, ctx: Context, needs: Mapping[str, object] | None = None) -> list[PapiDetail]:
    out = []
    for code, regime, name in _members(ctx):
        year = _year_of(df[df["indicator"] == "papi"], code, regime, ctx.year)
        score = _score(df, code, regime, year, "papi") if year is not None else None
        if score is None:
            continue
        dims = [d for d in (_score(df, code, regime, year, k) for k in subdimensions()) if d is not None]
        weak = []
        for dim in weakest_first(dims)[:WEAKEST]:
            subs = [s for s in (_score(df, code, regime, year, k) for k in subdimensions()[dim.key]) if s]
            weak.append(Weak(dim, tuple(weakest_first(subs, below_only=False))))
        group = metrics.quartile_group(df, regime, year, code, "papi")
        out.append(PapiDetail(name, code, regime, year, score, group, tuple(weak)))
    return out


def table(result: list[PapiDetail]) -> pd.DataFrame:
    """One row per score shown: the aggregate, each weak dimension and its sub-dimensions."""
    out = []
    for d in result:
        group = d.group.group if d.group else None
        out.append(
            {"province": d.name, "year": d.year, "level": "aggregate", "group": group, **vars(d.score)}
        )
        for w in d.weakest:
            out.append({"province": d.name, "year": d.year, "level": "dimension", **vars(w.dimension)})
            out += [{"province": d.name, "year": d.year, "level": "sub-dimension", **vars(s)} for s in w.subs]
    return pd.DataFrame(out)


def _rank(s: Score) -> str:
    return "—" if s.rank is None else f"{s.rank}/{s.of}*"


def _row(s: Score, lang: str, indent: bool) -> list[tuple[str, bool]]:
    name = esc(index_name(s.key, lang, short=False))
    median = "—" if s.median is None else esc(fmt_value(s.median, s.key, lang, with_unit=False))
    return [
        (f"&#8195;{name}" if indent else f"<strong>{name}</strong>", False),
        (
            esc(
                fmt_value(
                    s.value, s.key, lang, with_unit=False, precision=shown_precision(s.precision, s.key)
                )
            ),
            True,
        ),
        (median, True),
        (esc(_rank(s)), True),
    ]


def html(result: list[PapiDetail], ctx: Context) -> str:
    lang = ctx.lang
    if not result:
        return ""
    out = [heading(2, t("papi_detail", lang))]
    for d in result:
        who = f"{d.name}, " if ctx.scope.merged else ""
        group = ""
        if d.group is not None:
            group = t("papi_group_of", lang, group=d.group.label(lang), n=d.group.of)
            swatch = f'<span class="cchc-swatch" style="{SWATCH}background:{esc(d.group.colour)}"></span> '
            group = swatch + esc(group)
        score = esc(
            fmt_value(d.score.value, "papi", lang, precision=shown_precision(d.score.precision, "papi"))
        )
        out.append(f"<p><strong>{esc(who)}PAPI {d.year}</strong>: {score}; {group}</p>")
        if d.weakest:
            head = [
                (esc(t("papi_weak_dims", lang)), False),
                (esc(t("value", lang)), True),
                (esc(t("national_median", lang)), True),
                (esc(t("rank", lang)) + "*", True),
            ]
            body = []
            for w in d.weakest:
                body.append(_row(w.dimension, lang, indent=False))
                body += [_row(s, lang, indent=True) for s in w.subs]
            out.append(html_table(head, body, "cchc-papi"))
    out.append(f'<p class="note">{esc(t("papi_convention", lang))}</p>')
    return "".join(out)


def render(result: list[PapiDetail], ctx: Context) -> list:
    text = html(result, ctx)
    return [text] if text else []
