"""Data notes: every source of the figures shown (the province's own, then the comparisons'), the
indices missing that year, ranks computed rather than published, PAPI's method break, conflicting
values, and how the 2025 merger was handled (with the successor note for a former province).

Rows: the province's own rows of the year shown (to find conflicting values), plus the rows of the
sections it reports on (headline, sub-indices, trend, online), whose sources it lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

import pandas as pd

from analysis.briefing import metrics
from analysis.briefing.context import Context
from analysis.briefing.fmt import heading
from analysis.briefing.labels import esc, index_name, join_names, t

NAME = "notes"
NEEDS: tuple[str, ...] = ("headline", "subindices", "trend", "online")


@dataclass(frozen=True)
class DataNotes:
    sources: tuple[str, ...]  # sources of the province's own figures shown
    missing: tuple[str, ...]  # headline indices with no value for the province that year
    computed_ranks: tuple[str, ...]  # headline indices whose rank was computed, not given
    papi_break: bool  # PAPI values both sides of the 2018 method change are shown
    conflicts: tuple[str, ...] = field(default=())  # indicators with two values for one province-year
    comparison_sources: tuple[str, ...] = field(default=())  # other provinces' figures (ranks, medians)


def rows(df: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    s = ctx.scope
    return df[(df["province_code"] == s.code) & (df["regime"] == s.regime) & (df["year"] == ctx.year)]


def used_cells(ctx: Context, needs: Mapping[str, object]) -> set[metrics.Cell]:
    """(regime, year, indicator) of every value the briefing shows or compares against: the sources
    to cite are those of these rows, not of everything the inputs happen to contain."""
    scope, found = ctx.scope, set()

    def add(regime: str, y: int, key: str) -> None:
        found.update((regime, int(y), k) for k in (key, metrics.rank_key(key)) if k)

    for f in needs["headline"]:
        add(scope.regime, f.year, f.key)
        if f.prev_year is not None:
            add(scope.regime, f.prev_year, f.key)
    for sub in needs["subindices"]:
        found.update((scope.regime, sub.year, k) for k in sub.table["indicator"])
    trend = needs["trend"]
    for regime, y, key in zip(trend["regime"], trend["year"], trend["indicator"], strict=True):
        add(str(regime), int(y), str(key))
    found.update((scope.regime, ctx.year, k) for k in needs["online"]["indicator"])
    return found


def compute(df: pd.DataFrame, ctx: Context, needs: Mapping[str, object]) -> DataNotes:
    """Sources used (the province's own, then the comparisons'), indices missing that year, ranks
    computed rather than given, conflicting values."""
    figures, trend = needs["headline"], needs["trend"]
    have = {f.key for f in figures}
    own = metrics.own_rows(df, ctx.scope)
    used = metrics.cells(df, used_cells(ctx, needs))
    mine = used.index.isin(own.index)

    def distinct(frame: pd.DataFrame) -> list[str]:
        return sorted({str(s) for s in frame["source"].dropna() if str(s).strip()})

    own_sources = distinct(used[mine])
    other = [s for s in distinct(used[~mine]) if s not in set(own_sources)]
    dup = own[(own["year"] == ctx.year) & (own["regime"] == ctx.scope.regime)]
    dup = dup[(dup["province_code"] == ctx.scope.code)].dropna(subset=["value"])
    dup = dup[dup.duplicated(["province_code", "indicator"], keep=False)]
    dup = dup[dup.groupby("indicator")["value"].transform("nunique") > 1]
    papi = trend[trend["indicator"] == "papi"] if not trend.empty else trend
    return DataNotes(
        sources=tuple(own_sources),
        comparison_sources=tuple(other),
        missing=tuple(k for k in metrics.headline_keys() if k not in have),
        computed_ranks=tuple(f.key for f in figures if not f.rank.given and f.rank.rank is not None),
        papi_break=bool(len(papi)) and not bool(papi["comparable"].all()),
        conflicts=tuple(sorted(dup["indicator"].unique())),
    )


def table(result: DataNotes) -> pd.DataFrame:
    """One row per note item: kind (sources, missing, …) and value."""
    return pd.DataFrame(
        [
            {"kind": kind, "value": v}
            for kind, vals in asdict(result).items()
            for v in (vals if isinstance(vals, tuple) else (vals,))
        ]
    )


def merger_note(ctx: Context) -> str:
    lang, s = ctx.lang, ctx.scope
    if s.regime == "63":
        note = t("merger_63", lang)
        if ctx.successor_name and ctx.successor_name != s.name:
            note += " " + t("merger_successor", lang, name=s.name, successor=ctx.successor_name)
        return note
    parts = [p.name for p in s.predecessors]
    if len(parts) <= 1:
        return t("merger_same", lang, name=s.name)
    return t("merger_34", lang, name=s.name, parts=join_names(parts, lang))


def source_list(sources: Iterable[str]) -> str:
    """Sources as a list; web addresses become links (escaped like any other data)."""
    items = []
    for s in sources:
        if s.startswith(("http://", "https://")):
            items.append(f'<li><a href="{esc(s)}">{esc(s)}</a></li>')
        else:
            items.append(f"<li>{esc(s)}</li>")
    return f'<ul class="cchc-sources">{"".join(items)}</ul>'


def html(result: DataNotes, ctx: Context) -> str:
    lang, n = ctx.lang, result
    items = []
    if n.missing:
        keys = ", ".join(index_name(k, lang) for k in n.missing)
        items.append(t("missing_note", lang, year=ctx.year, keys=keys))
    if n.computed_ranks:
        items.append(t("computed_ranks", lang, keys=", ".join(index_name(k, lang) for k in n.computed_ranks)))
    items.append(t("medians", lang))
    if n.papi_break:
        items.append(t("papi_break", lang))
    if n.conflicts:
        keys = ", ".join(index_name(k, lang, short=False) for k in n.conflicts)
        items.append(t("conflicts", lang, keys=keys))
    items.append(merger_note(ctx))
    if ctx.resolution_note:
        items.append(ctx.resolution_note)
    lis = "".join(f"<li>{esc(s)}</li>" for s in items if s)
    out = heading(2, t("notes", lang)) + f'<ul class="cchc-notes">{lis}</ul>'
    if n.sources:
        out += heading(3, t("sources", lang)) + source_list(n.sources)
    if n.comparison_sources:
        out += heading(3, t("comparison_sources", lang)) + source_list(n.comparison_sources)
    return out


def render(result: DataNotes, ctx: Context) -> list:
    return [html(result, ctx)]
