"""Data notes: every source of the figures shown (the province's own, then the comparisons'), the
indices missing that year, ranks computed rather than published, PAPI's method break, conflicting
values, and how the 2025 merger was handled (with the successor note for a former province).

Sources are cited from provenance (`analysis.citations`: publisher, title, date, address from the
sheets' and report texts' sidecars) and condensed to one line per publisher and index with its
years ("VCCI, PCI 2005–2020"), not one line per row.

Rows: the province's own rows of the year shown (to find conflicting values), plus the rows of the
sections it reports on (headline, sub-indices, trend, online), whose sources it lists.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from functools import cache

import pandas as pd

from analysis import config, provinces, publications, rulebook
from analysis.briefing import metrics
from analysis.briefing.context import Context
from analysis.briefing.fmt import fmt_read_to, heading
from analysis.briefing.labels import esc, index_name, join_names, t
from analysis.citations import Citations, SourceLine, source_list

NAME = "notes"
NEEDS: tuple[str, ...] = ("headline", "subindices", "papi", "trend", "online")


@dataclass(frozen=True)
class DataNotes:
    sources: tuple[SourceLine, ...]  # sources of the province's own figures shown, condensed
    missing: tuple[str, ...]  # headline indices with no figure for the province that year or before
    computed_ranks: tuple[str, ...]  # headline indices whose rank was computed, not given
    papi_break: bool  # PAPI values both sides of the 2018 method change are shown
    conflicts: tuple[str, ...] = field(default=())  # indicators with two values for one province-year
    comparison_sources: tuple[SourceLine, ...] = field(default=())  # other provinces' (ranks, medians)
    earlier: tuple[str, ...] = field(default=())  # headline indices shown with an earlier year's figure
    unheld_ranks: tuple[str, ...] = field(default=())  # ranks computed where the publisher's are not held
    stated: tuple[str, ...] = field(default=())  # of `missing`, those with a stated change of rank only
    read_until: int | str | None = None  # an index lacks the year's figure: sources read to this (year's
    # end, or the data's cut-off date when that comes first: the rule book's `read_to`)
    no_result: tuple[tuple[int, str], ...] = field(default=())  # PAPI editions without a result for
    # the province (or a former one) shown with an earlier figure: (edition, names)


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
        regime = getattr(f, "regime", "") or scope.regime  # a former province's figure: its own regime
        add(regime, f.year, f.key)
        if f.prev_year is not None:
            add(regime, f.prev_year, f.key)
    for d in needs.get("papi", ()):
        found.add((d.regime, d.year, "papi"))
        for w in d.weakest:
            found.update((d.regime, d.year, s.key) for s in (w.dimension, *w.subs))
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

    cites = citations()
    own_sources = source_list(_distinct(used[mine]), cites, ctx.lang)
    press = t("press_sources", ctx.lang)
    listed = set(own_sources)
    other = [s for s in source_list(_distinct(used[~mine]), cites, ctx.lang, press) if s not in listed]
    dup = own[(own["year"] == ctx.year) & (own["regime"] == ctx.scope.regime)]
    dup = dup[(dup["province_code"] == ctx.scope.code)].dropna(subset=["value"])
    dup = dup[dup.duplicated(["province_code", "indicator"], keep=False)]
    dup = dup[dup.groupby("indicator")["value"].transform("nunique") > 1]
    papi = trend[trend["indicator"] == "papi"] if not trend.empty else trend
    lacking = bool(getattr(figures, "missing", ())) or len(have) < len(metrics.headline_keys())
    lacking = lacking or any(getattr(f, "earlier", False) for f in figures)
    return DataNotes(
        read_until=rulebook.read_to(ctx.year, citations().cutoff()) if lacking else None,
        sources=tuple(own_sources),
        comparison_sources=tuple(other),
        missing=tuple(m.key for m in getattr(figures, "missing", ()))
        or tuple(k for k in metrics.headline_keys() if k not in have),
        earlier=tuple(dict.fromkeys(f.key for f in figures if getattr(f, "earlier", False))),
        stated=tuple(m.key for m in getattr(figures, "missing", ()) if getattr(m, "moved", None) is not None),
        computed_ranks=tuple(dict.fromkeys(f.key for f in figures if _computed(f) and not _unheld(f))),
        unheld_ranks=tuple(dict.fromkeys(f.key for f in figures if _computed(f) and _unheld(f))),
        papi_break=bool(len(papi)) and not bool(papi["comparable"].all()),
        conflicts=tuple(sorted(dup["indicator"].unique())),
        no_result=_no_result(figures, ctx),
    )


def _no_result(figures: Iterable, ctx: Context) -> tuple[tuple[int, str], ...]:
    """PAPI editions after a province's shown figure for which the publisher released no result for
    it (the rule book's `no_result`): Vĩnh Phúc's PAPI 2023 in Phú Thọ's 2025 briefing beside its
    neighbours' 2024 figures, as a reader would otherwise take it for a gap in our data."""
    shown = {f.member: f.year for f in figures if f.key == "papi"}
    found: dict[int, list[str]] = {}
    for m in ctx.scope.members():
        after = shown.get(m.name if ctx.scope.merged else "")
        if after is None:
            continue
        for year, names in rulebook.no_result("papi", after, ctx.year).items():
            if any(provinces.resolve(n, year).province.code == m.code for n in names):
                found.setdefault(year, []).append(m.name)
    return tuple((y, join_names(found[y], ctx.lang)) for y in sorted(found))


def _distinct(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per citation key: `source_list` reads only these columns and gathers them in sets, so
    the thousands of comparison rows (every province, every year) cost as much as their few sources.

    The last occurrence is kept, in order, so a group's report date is the one the full rows gave."""
    cols = [c for c in ("source", "source_ref", "year", "indicator") if c in rows]
    return rows[cols].drop_duplicates(keep="last")


def _computed(f: object) -> bool:
    return f.rank.rank is not None and not f.rank.given


def _unheld(f: object) -> bool:
    """The publisher ranks provinces that year (publications.csv), but we hold no rank of it."""
    published = publications.publication(f.key, f.year)
    return published is not None and published.ranks_published


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
        if not rulebook.merger_known(ctx.year):  # a 2023 briefing knows nothing of the 2025 merger
            return t("regime_63", lang)
        note = t("merger_63", lang)
        if ctx.successor_name and ctx.successor_name != s.name:
            note += " " + t("merger_successor", lang, name=s.name, successor=ctx.successor_name)
        return note
    parts = [p.name for p in s.predecessors]
    if len(parts) <= 1:
        return t("merger_same", lang, name=s.name)
    return t("merger_34", lang, name=s.name, parts=join_names(parts, lang))


@cache
def citations() -> Citations:
    """The sidecars of data/raw, read once per process (a warm kernel builds many briefings)."""
    return Citations.load(config.RAW_DIR)


VIETNAMESE = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.I)


def source_items(sources: Iterable[SourceLine], lang: str = "vi") -> str:
    """Condensed source lines as a list, each with its address printed (`address`: a printed page
    has no links to follow), escaped like any data.

    In an English briefing a name we only have in Vietnamese stays as written, marked as the original
    (lang="vi"). An article's own title is a <cite> in its language: quoted words, kept as written
    (the line says "(in Vietnamese)" when that is not the reader's language)."""
    items = []
    for s in sources:
        text = esc(s.text)
        rest = s.text.replace(s.title, "", 1) if s.title else s.text
        if s.title and s.title_lang:
            text = text.replace(esc(s.title), f'<cite lang="{esc(s.title_lang)}">{esc(s.title)}</cite>', 1)
        if lang == "en" and VIETNAMESE.search(rest):
            text = f'<span lang="vi">{text}</span> <small>({esc(t("original_vi", lang))})</small>'
        items.append(f"<li>{text}{address(s)}</li>")
    return f'<ul class="cchc-sources">{"".join(items)}</ul>'


def _link(url: str) -> str:
    return f'<a href="{esc(url)}">{esc(url)}</a>'


def address(s: SourceLine) -> str:
    """A line's address as visible text, small and breakable anywhere (class "url": a long address
    wraps inside the column): a copy's own address, then the original's ("the original: …"); an
    address that is only a portal's home page says so; a report without its own address names our
    stored copy of it ("stored text no. 003, read 2026-12"), so a reviewer can ask for it."""
    url = s.url if s.url.startswith(("http://", "https://")) else ""
    about = [esc(s.url_note)] if url and s.url_note else []
    if url and s.original_url.startswith(("http://", "https://")) and s.copy_label:
        about.append(f"{esc(s.copy_label)}: {_link(s.original_url)}")
    if s.stored:
        about.append(esc(s.stored))
    if not url and not about:
        return ""
    said = "; ".join(about)
    if url:
        said = f"{_link(url)} ({said})" if said else _link(url)
    return f' <small class="url">{said}</small>'


def html(result: DataNotes, ctx: Context) -> str:
    lang, n = ctx.lang, result
    items = []
    # "not found" is as of the horizon (a later source may hold the figure): the first of these two
    # notes says up to when sources are read, within its own line (the print layout counts lines)
    until = {"until": fmt_read_to(n.read_until, lang)} if n.read_until is not None else {}
    if n.missing:
        stated = f" ({t('stated_change_only', lang)})"  # the headline gives the change, cited
        keys = ", ".join(index_name(k, lang) + (stated if k in n.stated else "") for k in n.missing)
        items.append(
            t("missing_note_until" if until else "missing_note", lang, year=ctx.year, keys=keys, **until)
        )
        until = {}
    if n.earlier:
        keys = ", ".join(index_name(k, lang) for k in n.earlier)
        items.append(
            t(
                "earlier_figures_until" if until else "earlier_figures",
                lang,
                year=ctx.year,
                keys=keys,
                **until,
            )
        )
    items += [t("no_result", lang, year=y, names=esc(names)) for y, names in n.no_result]
    items += unheld_sentences(ctx)
    if n.computed_ranks:
        items.append(t("computed_ranks", lang, keys=", ".join(index_name(k, lang) for k in n.computed_ranks)))
    if n.unheld_ranks:
        items.append(t("unheld_ranks", lang, keys=", ".join(index_name(k, lang) for k in n.unheld_ranks)))
    items.append(t("medians", lang))
    if n.papi_break:
        items.append(t("papi_break", lang))
    if n.conflicts:
        keys = ", ".join(index_name(k, lang, short=False) for k in n.conflicts)
        items.append(t("conflicts", lang, keys=keys))
    items.extend(unsettled_notes(ctx))
    items.append(merger_note(ctx))
    if ctx.resolution_note:
        items.append(ctx.resolution_note)
    lis = "".join(f"<li>{esc(s)}</li>" for s in items if s)
    out = heading(2, t("notes", lang)) + f'<ul class="cchc-notes">{lis}</ul>'
    if n.sources:
        out += heading(3, t("sources", lang)) + source_items(n.sources, lang)
    if n.comparison_sources:  # the press sites' articles: each address is in the take-away CSV
        lead = (
            "comparison_sources_csv" if any(s.press for s in n.comparison_sources) else "comparison_sources"
        )
        out += heading(3, t(lead, lang)) + source_items(n.comparison_sources, lang)
    # The build writes the figures as <slug>.csv beside the HTML and PDF (analysis.national.takeaway).
    slug = provinces.get(ctx.scope.code, ctx.scope.regime).slug
    link = f'<a href="{esc(slug)}.csv">{esc(slug)}.csv</a>'
    out += f'<ul class="cchc-takeaway"><li>{esc(t("takeaway_csv", lang))} {link}</li></ul>'
    return out


def unheld_sentences(ctx: Context) -> list[str]:
    """Series a publisher released for the province's regime that we do not hold (DTI 2024 for the
    34 provinces, `data/unheld_series.csv`): said plainly, with its source, beside the notes on what
    the data lacks, once the briefing's year may know of it (the rule book's horizon) and the series
    is of an earlier or the same year. (Not in the lead: a line there moves the print's page breaks.)"""
    from analysis.briefing.fmt import fmt_unheld  # the overview says it the same way

    return [fmt_unheld(r, ctx.lang) for r in rulebook.unheld_series(ctx.scope.regime, ctx.year)]


def unsettled_notes(ctx: Context) -> list[str]:
    """The province's figures of the year that sources of equal standing give differently: the clean
    stage kept neither (the briefing shows none), and the notes name both values and sources."""
    from analysis.briefing.fmt import fmt_conflict
    from analysis.clean import conflicts

    found = [c for c in conflicts.load() if c.code == ctx.scope.code and c.regime == ctx.scope.regime]
    return [
        t(
            "conflict_unsettled",
            ctx.lang,
            index=index_name(c.indicator, ctx.lang, short=False),
            year=c.year,
            values=fmt_conflict(c.values, c.indicator, ctx.lang),
        )
        for c in found
        if c.year == ctx.year
    ]


def render(result: DataNotes, ctx: Context) -> list:
    return [html(result, ctx)]
