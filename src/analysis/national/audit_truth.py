"""The audit's checks of the review of issue #16's briefings (2023–2025): medians, one criterion for
strongest and weakest, previous years, sources dated past the horizon, the merger's "former
provinces". Each reads the sections' computed results (and, to count independently, the clean
table), yields (rule, what) pairs, and is called per briefing by `analysis.national.audit`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import pandas as pd

from analysis import rulebook
from analysis.briefing import metrics
from analysis.briefing.context import Context
from analysis.briefing.fmt import fmt_delta
from analysis.briefing.labels import t


def _codes(ctx: Context, f: Any) -> list[str]:
    """The province codes a headline figure belongs to: the province, or the former one it names."""
    return [
        m.code for m in ctx.scope.members() if m.regime == f.regime and (not f.member or m.name == f.member)
    ]


def _cell(df: pd.DataFrame, codes: list[str], regime: str, year: int, keys: set[str]) -> pd.DataFrame:
    return df[
        df["province_code"].isin(codes)
        & (df["regime"] == regime)
        & (df["year"] == year)
        & df["indicator"].isin(keys)
        & df["value"].notna()
    ]


def _yearly(df: pd.DataFrame) -> pd.DataFrame:
    """Rows of a year's figure (not an as-of snapshot), counted without the briefing's lookups."""
    return df[df["period_kind"] != "as_of"] if "period_kind" in df else df


def check_medians(res: dict[str, Any], shown: pd.DataFrame, lang: str) -> Iterator[tuple[str, str]]:
    """The median's n is every province with a yearly value; "at the median" only when equal; a gap
    shown as ±0 only when there is none; a strength above the median, a weakness below it."""
    from analysis.briefing.sections import title

    for f in res["headline"]:
        if f.median is None or f.value is None:
            continue
        cell = _yearly(shown[(shown["regime"] == f.regime) & (shown["year"] == f.year)])
        n = cell[(cell["indicator"] == f.key) & cell["value"].notna()]["province_code"].nunique()
        if f.median_n != n:
            yield "median", f"{f.key} {f.year}: median over {f.median_n} provinces, {n} hold a value"
        said = title.median_phrase(f, lang)
        if said.startswith(t("at_median", lang, m="").split("(")[0]) and not math.isclose(
            f.value, f.median, abs_tol=1e-9
        ):
            yield "median", f"{f.key} {f.year}: {f.value} called at the median {f.median}"
    for sub in res["subindices"]:
        for r in sub.table.itertuples(index=False):
            if r.gap != 0 and fmt_delta(r.gap, r.indicator, lang) == "±0":
                yield "median", f"{r.indicator} {sub.year}: a gap of {r.gap:.4f} shown as ±0"
            if r.indicator == sub.strongest and not r.gap > 0:
                yield "median", f"{r.indicator} {sub.year}: strongest at a gap of {r.gap:.4f}"
            if r.indicator == sub.weakest and not r.gap < 0:
                yield "median", f"{r.indicator} {sub.year}: weakest at a gap of {r.gap:.4f}"


def check_criterion(res: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """The PAPI list "where to act" holds only dimensions below the median and leads with the one the
    sub-index table and the summary call weakest (one criterion, the rule book's)."""
    subs = {(s.family, s.year): s for s in res["subindices"]}
    for d in res["papi"]:
        keys = [w.dimension.key for w in d.weakest]
        for w in d.weakest:
            s = w.dimension
            if s.median is None or not s.value < s.median:
                yield (
                    "one_criterion",
                    f"PAPI {d.year}: {s.key} ({s.value}, median {s.median}) listed to improve",
                )
        sub = subs.get(("papi", d.year))
        if sub is not None and d.code == res["_code"] and (keys[0] if keys else None) != sub.weakest:
            yield (
                "one_criterion",
                f"PAPI {d.year}: the list leads with {keys[:1]}, the table's weakest {sub.weakest}",
            )


def check_merger(res: dict[str, Any], ctx: Context, lang: str) -> Iterator[tuple[str, str]]:
    """'Latest figures of the former provinces' only where a merger formed the province."""
    if t("former_figures", lang) in res["title"] and len(ctx.scope.predecessors) <= 1:
        yield "merger", f"{ctx.display_name} kept its boundaries, yet the summary lists former provinces"


def check_sources(
    res: dict[str, Any], ctx: Context, df: pd.DataFrame, dates: pd.Series, year: int
) -> Iterator[tuple[str, str]]:
    """No headline figure known only from a source dated past the year's horizon (Lào Cai's PCI 2023
    rank, from a May 2025 article on PCI 2024, in a 2023 briefing)."""
    for f in res["headline"]:
        keys = {f.key} if f.value is not None else set()
        if f.rank.kind == rulebook.PUBLISHED and metrics.rank_key(f.key):
            keys.add(metrics.rank_key(f.key))  # a computed rank rests on the scores, not on a rank row
        for i, r in _cell(df, _codes(ctx, f), f.regime, f.year, keys).iterrows():
            if not rulebook.shown_in(year, int(r["year"]), str(r.get("period", "") or ""), dates.at[i]):
                yield "year_true", f"{r['indicator']} {f.year}: its source is dated {dates.at[i]}"


def check_previous(res: dict[str, Any], shown: pd.DataFrame) -> Iterator[tuple[str, str]]:
    """A change compares with the latest earlier year of the same kind: no held score year skipped
    (Phú Thọ's PCI 2024 against 2020 past 2021 and 2022), no alike rank skipped."""
    ctx = res["_ctx"]
    for f in res["headline"]:
        codes = _codes(ctx, f)
        if not codes:
            continue
        own = _yearly(
            shown[
                (shown["province_code"] == codes[0]) & (shown["regime"] == f.regime) & shown["value"].notna()
            ]
        )
        if f.value is not None and f.prev_year is not None:
            held = set(own[own["indicator"] == f.key]["year"].astype(int))
            skipped = sorted(y for y in held if f.prev_year < y < f.year)
            if skipped:
                yield "change_like", f"{f.key} {f.year}: compared with {f.prev_year}, past {skipped}"
        if f.rank_change is not None:
            for y in range(f.rank_year + 1, f.year):
                prev = metrics.rank_of(shown, codes[0], f.regime, y, f.key)
                if rulebook.rank_change(f.key, y, prev, f.year, f.rank) is not None:
                    yield "change_like", f"{f.key} {f.year}: rank compared with {f.rank_year}, past {y}"
        yield from _check_stated(f, own)


def _check_stated(f: Any, own: pd.DataFrame) -> Iterator[tuple[str, str]]:
    """A change of rank a source states ("up 3 places on 2023") is said as the source's word, never
    beside a rank or a change we computed, and in place of a computed change across a gap
    (`rulebook.prefer_stated`: Lào Cai's PCI 2024, "down 7 places since 2020")."""
    stated_key = rulebook.stated_change_key(f.key)
    if stated_key is None:
        return
    rows = own[(own["indicator"] == stated_key) & (own["year"] == f.year)]
    held = {round(float(v)) for v in rows["value"]}
    said = getattr(f, "stated", None)
    if said is not None:
        if f.rank.kind == rulebook.COMPUTED or f.rank_change is not None:
            yield "change_like", f"{f.key} {f.year}: stated change {said} beside a computed rank or change"
        if said not in held:
            yield "change_like", f"{f.key} {f.year}: stated change {said}, the data states {sorted(held)}"
    elif (
        held
        and f.rank.kind != rulebook.COMPUTED
        and f.rank_change is not None
        and (f.rank_year < rulebook.stated_change_year(f.year))
    ):
        yield "change_like", f"{f.key} {f.year}: computed from {f.rank_year} past the stated change {held}"


def check_released(res: dict[str, Any], ctx: Context, lang: str) -> Iterator[tuple[str, str]]:
    """A published rank the index's publisher did not release (beyond its top N: Nghệ An's PCI 2023,
    44/63, the province's own release) carries its note wherever it is stated: the rule book marks
    it, the summary's sentence and the headline table say it, the CSV's rank kind names the province."""
    from analysis.briefing.fmt import released_note
    from analysis.briefing.sections import headline, title

    table = None
    csv_rows = res.get("_csv")
    for f in res["headline"]:
        if f.rank.rank is None or f.rank.kind != rulebook.PUBLISHED:
            continue
        marked = f.rank.released == rulebook.BY_PROVINCE
        if rulebook.released_by_province(f.key, f.year, f.rank.rank) != marked:
            yield "released_by", f"{f.key} {f.year}: rank {f.rank.rank} released {f.rank.released!r}"
        if not marked:
            continue
        note = released_note(f.rank, lang)
        if note not in title.headline_sentence(f, lang):
            yield "released_by", f"{f.key} {f.year}: the summary states rank {f.rank.rank} without '{note}'"
        table = table if table is not None else headline.html(res["headline"], ctx)
        if released_note(f.rank, lang, remark=True) not in table:
            yield "released_by", f"{f.key} {f.year}: the headline table states rank {f.rank.rank} without it"
        if csv_rows is not None and len(csv_rows) and not f.member:
            key = f.key if f.value is not None else rulebook.rank_key(f.key)
            hit = csv_rows[(csv_rows["year"] == f.year) & (csv_rows["indicator"] == key)]
            words = set(hit["rank_kind"])
            if words and words != {t("csv_rank_published_province", getattr(ctx, "lang", lang))}:
                yield "released_by", f"{f.key} {f.year}: the CSV calls rank {f.rank.rank} {sorted(words)}"
