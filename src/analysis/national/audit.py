"""`analysis audit`: every briefing of every year, checked against the rule book (issue #16).

For each year (2005–2025 by default), each province of that year's regime (63, or 34 from 2025)
and each language, the briefing's sections are computed (their results, not their HTML files) and
checked against the rule book's invariants:

- rank_kind_base: each rank says whether it is published (and then has the publisher's base for
  that year) or computed (and then only over the complete ranked set);
- change_like: each change of rank compares two ranks of the same kind and base, of an index its
  publisher ranks, without a method break between; each change in points has no break either;
- year_true: nothing dated after the briefing's year (figures, trend points, previous years,
  target decisions, cited years, the take-away CSV's rows); no figure known only from a source
  dated past the rule book's horizon; the merger told only from the year that may know it;
- figure_meaning: a qualified figure (over, about, nearly, under) keeps its word, a figure of a
  period other than its year says its period, and is printed at the source's precision;
- targets_match: a target is shown only against the figure it measures (`rulebook.why_not`);
- language: the text of the briefing's sections has no word of the other language
  (`data/other_language_words.csv`); a Vietnamese original title in an English briefing is marked;
- same_rank: the overview, the briefing's headline and its CSV (the CSV of that year) give the
  same rank for a figure;
- median: a national median is over every province with a yearly value (its n counted from the
  clean table), and a figure is "at" it only when equal;
- one_criterion: strongest and weakest are decided once: the PAPI list "where to act" holds only
  dimensions below the median and leads with the sub-index table's weakest; a strength is above;
- merger: "former provinces" only in a briefing of a province a merger formed.

The sections are computed on the whole clean table (as `analysis.briefing.core.compute` does on
their declared rows, which the section tests hold equal); violations are printed per rule.
"""

from __future__ import annotations

import csv
import html as html_lib
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import config, provinces, rulebook
from analysis.briefing import core, metrics, sections
from analysis.briefing.context import Context, make_context
from analysis.briefing.labels import t
from analysis.errors import AnalysisError
from analysis.national import csvtext
from analysis.periods import is_per_year

RULES: dict[str, str] = {
    "rank_kind_base": "each rank has its kind and base",
    "change_like": "each change compares like with like",
    "year_true": "nothing dated after the briefing's year",
    "figure_meaning": "qualifier, period and precision kept",
    "targets_match": "targets match their figure",
    "language": "no words of the other language",
    "same_rank": "overview, briefing and CSV give the same rank",
    "median": "medians over every province with a value; 'at' only when equal",
    "one_criterion": "strongest and weakest decided once",
    "merger": "former provinces only where a merger formed the province",
    "overview_complete": "the overview lists every province held, cites its sources, carries its date",
    "released_by": "a rank the province released, not the publisher, says so where stated",
}
FIRST_YEAR, LAST_YEAR = 2005, 2025
LANGS = ("vi", "en")
# the text sections the language rule reads (their HTML without figures)
TEXT_SECTIONS = ("title", "headline", "papi", "online", "notes")


@dataclass(frozen=True)
class Violation:
    rule: str
    where: str  # "2024/vi/lao-cai"
    what: str

    def line(self) -> str:
        return f"{self.where}: {self.what}"


# ------------------------------------------------------------------------------------------ computing


def results(df: pd.DataFrame, ctx: Context, skip: Iterable[str] = ()) -> dict[str, Any]:
    """Every section's computed result for one briefing (but `skip`: sections no rule reads again)."""
    out: dict[str, Any] = {}
    for m in sections.compute_order():
        if m.NAME not in skip:
            out[m.NAME] = m.compute(df, ctx, {n: out[n] for n in m.NEEDS})
    return out


# Sections whose results do not depend on the language: checked in the first language only.
ONCE = ("ranking", "map", "distribution")


# ------------------------------------------------------------------------------------------ ranks


def _rank_problem(key: str, year: int, rank: rulebook.Rank) -> str:
    """'' when the rank obeys the rule book, else what is wrong with it."""
    if rank.rank is None:
        return ""
    if rank.kind not in rulebook.KINDS:
        return f"{key} {year}: rank {rank.rank} has no kind"
    if rank.kind == rulebook.PUBLISHED:
        if not rulebook.publisher_ranks(key, year):
            return f"{key} {year}: rank {rank.rank} called published, but the publisher ranks nobody"
        base = rulebook.base(key, year)
        if rank.of is None or rank.of != base:
            return f"{key} {year}: published rank {rank.rank}/{rank.of}, the publisher ranked {base}"
    elif rank.of is None or not rulebook.complete(key, year, rank.of):
        return f"{key} {year}: rank {rank.rank}/{rank.of} computed from an incomplete set"
    return ""


def _opt(x: object) -> int | None:
    return None if x is None or pd.isna(x) else int(x)


def check_ranks(res: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for f in res["headline"]:
        if p := _rank_problem(f.key, f.year, f.rank):
            yield "rank_kind_base", "headline " + p
        if f.prev_rank is not None and f.prev_year is not None:
            if f.rank_change is not None:
                a, b = f.prev_rank, f.rank
                if a.kind != b.kind or a.of != b.of or not rulebook.publisher_ranks(f.key, f.year):
                    yield "change_like", f"{f.key}: {a.rank}/{a.of} {a.kind} vs {b.rank}/{b.of} {b.kind}"
            if f.rank_change is not None and not rulebook.comparable_years(f.key, f.prev_year, f.year):
                yield "change_like", f"{f.key}: rank change across a method break {f.prev_year}–{f.year}"
            if f.change is not None and not rulebook.comparable_years(f.key, f.prev_year, f.year):
                yield "change_like", f"{f.key}: change in points across a method break"
    trend = res["trend"]
    for r in trend.itertuples(index=False):
        rank = rulebook.Rank(_opt(r.rank), _opt(r.of), str(r.rank_kind or ""))
        if p := _rank_problem(str(r.indicator), int(r.year), rank):
            yield "rank_kind_base", "trend " + p
    ranking = res["ranking"]
    if ranking.key is not None and not ranking.table.empty:
        for r in ranking.table.itertuples(index=False):
            rank = rulebook.Rank(_opt(r.rank), _opt(r.rank_n), str(r.rank_kind or ""))
            if p := _rank_problem(ranking.key, ranking.year, rank):
                yield "rank_kind_base", "ranking " + p
    for sub in res["subindices"]:
        for r in sub.table.itertuples(index=False):
            rank = rulebook.Rank(_opt(r.rank), _opt(r.of), str(r.rank_kind or ""))
            if p := _rank_problem(str(r.indicator), sub.year, rank):
                yield "rank_kind_base", "sub-index " + p


# ------------------------------------------------------------------------------------------ years


def check_years(res: dict[str, Any], year: int) -> Iterator[tuple[str, str]]:
    for f in res["headline"]:
        if f.year > year or (f.prev_year or 0) > year:
            yield "year_true", f"headline {f.key} {f.year} (previous {f.prev_year})"
    trend = res["trend"]
    late = trend[trend["year"] > year]
    for r in late.drop_duplicates(["indicator", "year"]).itertuples(index=False):
        yield "year_true", f"trend point {r.indicator} {r.year}"
    for d in res["papi"]:
        if d.year > year:
            yield "year_true", f"PAPI detail {d.year}"
    online = res["online"]
    if "target_decided" in online:
        for r in online.dropna(subset=["target"]).itertuples(index=False):
            if int(str(r.target_decided)[:4]) > year:
                yield "year_true", f"target of {r.indicator} decided {r.target_decided}"
    for r in res.get("_csv", pd.DataFrame()).itertuples(index=False):
        if int(r.year) > year or rulebook.first_year(int(r.year), str(r.period)) > year:
            yield "year_true", f"CSV row {r.indicator} {r.year} (period {r.period})"
    ctx = res.get("_ctx")
    if ctx is not None and ctx.successor_name and not rulebook.merger_known(year):
        yield "year_true", f"the 2025 merger told in a {year} briefing ({ctx.successor_name})"
    for line in [*res["notes"].sources, *res["notes"].comparison_sources]:
        # the figures' years the line cites (an article's publication date after the year is its own)
        cited = getattr(line, "years", "") or "".join(
            re.findall(r"((?:\d{4}(?:–\d{4})?(?:, )?)+)$", line.text)
        )
        if cited and max(int(y) for y in re.findall(r"\d{4}", cited)) > year:
            yield "year_true", f"cited: {line.text}"


# ------------------------------------------------------------------------------------------ figures


def check_online(res: dict[str, Any], lang: str) -> Iterator[tuple[str, str]]:
    from analysis.briefing.sections import online

    for r in res["online"].itertuples(index=False):
        text = online.value_text(r, lang)
        qual = str(getattr(r, "qualifier", "exact") or "exact")
        if qual not in ("exact", "") and t(qual, lang) not in text:
            yield "figure_meaning", f"{r.indicator}: '{text}' lost its qualifier ({qual})"
        if is_per_year(getattr(r, "note", "")) and t("per_year", lang) not in text:
            yield "figure_meaning", f"{r.indicator}: '{text}' lost 'per year'"
        kind = str(getattr(r, "period_kind", "year") or "year")
        if kind not in ("year", "nan") and str(getattr(r, "period", "")) not in text:
            period_text = online.period_text(r, lang)
            if period_text not in text:
                yield "figure_meaning", f"{r.indicator}: '{text}' lost its period {r.period}"
        if not pd.isna(r.target):
            same = [x for x in rulebook.targets() if x.indicator == r.indicator]
            tg = next((x for x in same if x.decided == r.target_decided), None)
            why = "unknown target" if tg is None else rulebook.why_not(tg, r.indicator, r.unit, res["_year"])
            if why:
                yield "targets_match", f"{r.indicator}: {why}"


# ------------------------------------------------------------------------------------------ language


@cache
def other_words() -> dict[str, frozenset[str]]:
    """Words that mark the other language: lang of the briefing → words that must not appear."""
    out: dict[str, set[str]] = {"vi": set(), "en": set()}
    with (config.PACKAGE_DATA / "other_language_words.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            out[r["briefing_lang"]].add(r["word"].casefold())
    return {k: frozenset(v) for k, v in out.items()}


def plain_text(fragment: str) -> str:
    """Visible text of an HTML fragment, without links' addresses, marked originals and code names.

    A marked original is an element with its own language: lang="vi" around a Vietnamese name in an
    English briefing, <cite lang="…"> around an article's title quoted as written (a Vietnamese
    headline may well say "Top 5")."""
    fragment = re.sub(r'<([a-z]+)\b[^>]*\blang="[a-z]{2,3}"[^>]*>.*?</\1>', " ", fragment, flags=re.S)
    fragment = re.sub(r"<[^>]+>", " ", fragment)
    text = html_lib.unescape(fragment)
    return re.sub(r"https?://\S+|\b[\w.-]+\.(?:vn|com|org|net|gov)\b\S*", " ", text)


VIETNAMESE_LETTERS = re.compile(
    r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.IGNORECASE
)


def foreign(word: str, lang: str) -> bool:
    """A word of the other language: listed, or (in an English briefing) written with Vietnamese letters."""
    return word.casefold() in other_words()[lang] or (lang == "en" and bool(VIETNAMESE_LETTERS.search(word)))


def check_language(fragments: Iterable[str], lang: str) -> Iterator[tuple[str, str]]:
    for text in fragments:
        words = re.findall(r"[^\W\d_]+", plain_text(text))
        bad = sorted({w for w in words if foreign(w, lang)})
        if bad:
            yield "language", f"{', '.join(bad[:6])} in: {plain_text(text).strip()[:90]}"


def text_fragments(res: dict[str, Any], ctx: Context) -> list[str]:
    from analysis.briefing.sections import subindices

    out = list(res["title"])
    for name in TEXT_SECTIONS[1:]:
        out.append(sections.get(name).html(res[name], ctx))
    out += [subindices.family_html(s, ctx.lang, ctx.scope.regime) for s in res["subindices"]]
    return out


# ------------------------------------------------------------------------------------------ same rank


def _csv_rank(
    csv_rows: pd.DataFrame, code: str, regime: str, year: int, key: str, lang: str = "vi"
) -> tuple | None:
    """(rank, of, kind, low, high) of the figure's row in the take-away CSV of the briefing's year, its
    kind read back from the CSV's word (`csvtext.kind_of`: published, computed, bounded); None if absent."""
    if csv_rows.empty:
        return None
    hit = csv_rows[
        (csv_rows["province_code"] == code)
        & (csv_rows["regime"] == regime)
        & (csv_rows["year"] == year)
        & (csv_rows["indicator"] == key)
    ]
    if hit.empty:
        return None
    r = hit.iloc[0]
    kind = csvtext.kind_of(r["rank_kind"], lang)
    return (_opt(r["rank"]), _opt(r["rank_of"]), kind, _opt(r.get("rank_low")), _opt(r.get("rank_high")))


def check_same_rank(res: dict[str, Any], csv_rows: pd.DataFrame, overview: dict) -> Iterator[tuple[str, str]]:
    """The headline's rank against its CSV's (the take-away frame of its year, written in the
    briefing's first language) and the overview's: the same rank, base and kind (published, computed,
    or bounded by score with the same bounds)."""
    lang = getattr(res.get("_ctx"), "lang", "vi")
    for f in res["headline"]:
        if f.member or (f.rank.rank is None and not f.rank.bounded):
            continue
        low, high = (f.rank.low, f.rank.high) if f.rank.bounded else (None, None)
        said = (f.rank.rank, f.rank.of, csvtext.page_kind(f.rank), low, high)
        # a score's row carries the rank in the CSV; a rank alone is its own row (the rank key's)
        row_key = f.key if f.value is not None else rulebook.rank_key(f.key)
        got = _csv_rank(csv_rows, res["_code"], f.regime, f.year, row_key, lang) if row_key else said
        if got != said:
            yield "same_rank", f"{f.key} {f.year}: briefing {said}, CSV {got}"
        want = (f.rank.rank, f.rank.of, f.rank.kind)
        tab = overview.get((f.year, f.key))
        if tab is not None and f.regime == rulebook.year_regime(f.year):
            row = tab[tab["code"] == res["_code"]]
            if len(row):
                r = row.iloc[0]
                got = (_opt(r["rank"]), _opt(r["rank_of"]), str(r["rank_kind"] or ""))
                if f.rank.bounded:  # no rank: the same bound by score ("33–62"), not a blank
                    want += (f.rank.low, f.rank.high)
                    got += (_opt(r.get("rank_low")), _opt(r.get("rank_high")))
                if got != want:
                    yield "same_rank", f"{f.key} {f.year}: briefing {want}, overview {got}"


# ------------------------------------------------------------------------------------------ the run


def audit_year(
    df: pd.DataFrame, year: int, langs: Iterable[str] = LANGS, only: Iterable[str] | None = None
) -> list[Violation]:
    """Every briefing of one year (each province of its regime, each language), checked."""
    from analysis.national import audit_truth as truth
    from analysis.national import overview as national
    from analysis.national import takeaway

    wanted, langs = set(only or ()), tuple(langs)
    regime = rulebook.year_regime(year)
    shown = metrics.year_true(df, year)  # what the year may show
    dates = metrics.source_dates(df)
    tables = {}
    for k in metrics.headline_keys():  # the year's tables, and earlier years' for earlier figures
        for y in range(FIRST_YEAR, year + 1):
            if len(metrics.values(df, rulebook.year_regime(y), y, k)):
                # each year's overview as it is year-true (the rule book's cut of that year)
                tables[(y, k)] = national.index_table(metrics.year_true(df, y), y, k).rows
    out: list[Violation] = []
    from analysis.briefing.sections import online
    from analysis.national import pagefacts

    if not wanted:  # the year's overview lists every province held, cites its sources, dates itself
        year_tables = national.overview_tables(shown, year)
        problems = [m for t in year_tables for m in pagefacts.check_overview(shown, t)]
        problems += pagefacts.check_facts(df, year_tables, year, langs, national.index_keys)
        out += [Violation("overview_complete", f"{year}/overview", m) for m in problems]
    for p in provinces.all_provinces(regime):
        if wanted and p.slug not in wanted and p.name not in wanted:
            continue
        sub = core.inputs(df, make_context(df, p, year, langs[0]), p)  # the briefing's own rows
        csv_rows = takeaway.takeaway_frame(df, p.code, p.regime, langs[0], year=year, rows=sub)
        for lang in langs:
            ctx = make_context(sub, p, year, lang)
            res = results(sub, ctx, skip=() if lang == langs[0] else ONCE)
            res |= {"_year": year, "_code": p.code, "_ctx": ctx, "_csv": csv_rows}
            found = [*check_years(res, year), *check_online(res, lang)]
            found += [("figure_meaning", m) for m in online.check_said(res["online"], lang)]
            found += check_language(text_fragments(res, ctx), lang)
            found += [*truth.check_medians(res, shown, lang), *truth.check_criterion(res)]
            found += truth.check_merger(res, ctx, lang)
            found += truth.check_sources(res, ctx, df, dates, year) if lang == langs[0] else []
            if lang == langs[0]:  # the CSV is the briefing's year's
                found += [*check_ranks(res), *check_same_rank(res, csv_rows, tables)]
                found += truth.check_released(res, ctx, lang)
                found += truth.check_previous(res, shown)
            out += [Violation(rule, f"{year}/{lang}/{p.slug}", what) for rule, what in found]
    return out


def _year_job(clean_dir: str, year: int, langs: tuple[str, ...], only: tuple[str, ...]) -> list[Violation]:
    return audit_year(core.read_figures(clean_dir), year, langs, only)


def audit(
    clean_dir: str | None = None,
    years: Iterable[int] = range(FIRST_YEAR, LAST_YEAR + 1),
    langs: Iterable[str] = LANGS,
    only: Iterable[str] | None = None,
    jobs: int = 1,
    progress: bool = False,
) -> list[Violation]:
    """Every briefing of the years, in `jobs` processes (one year each at a time)."""
    from concurrent.futures import ProcessPoolExecutor

    years, langs, only = list(years), tuple(langs), tuple(only or ())
    path = str(clean_dir or config.CLEAN_DIR)
    out: list[Violation] = []
    if jobs <= 1:
        done = (_year_job(path, y, langs, only) for y in years)
        for n, found in enumerate(done, 1):
            out += found
            _progress(progress, n, years, out)
        return out
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for n, found in enumerate(
            pool.map(_year_job, [path] * len(years), years, [langs] * len(years), [only] * len(years)), 1
        ):
            out += found
            _progress(progress, n, years, out)
    return out


def _progress(on: bool, n: int, years: list[int], out: list[Violation]) -> None:
    if on:
        print(f"[{n}/{len(years)}] {years[n - 1]}: {len(out)} violations so far", file=sys.stderr, flush=True)


def langs_first(langs: Iterable[str]) -> str:
    return next(iter(langs))


def report(violations: list[Violation], limit: int = 20) -> str:
    """Violations per rule, each rule with its count and its first `limit` cases."""
    lines = []
    for rule, says in RULES.items():
        mine = [v for v in violations if v.rule == rule]
        lines.append(f"{rule} ({says}): {len(mine)} violation{'s' if len(mine) != 1 else ''}")
        lines += [f"  {v.line()}" for v in mine[:limit]]
        if len(mine) > limit:
            lines.append(f"  … and {len(mine) - limit} more")
    lines.append(f"total: {len(violations)}")
    return "\n".join(lines)


def _years(text: str) -> list[int]:
    out: list[int] = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        first, _, last = part.partition("-")
        out += range(int(first), int(last or first) + 1)
    return out


def run_cli(clean_dir: str, years: str, langs: str, only: str, jobs: int) -> int:
    """`analysis audit`: the report per rule on stdout; 0 when no violation, 1 otherwise."""
    from analysis.errors import InputFileError

    if not (Path(clean_dir) / "figures.parquet").exists():
        raise InputFileError(Path(clean_dir) / "figures.parquet", "missing: run `make data` first")
    try:
        wanted = _years(years)
    except ValueError:
        raise AnalysisError(f"--years {years!r}: expected 2024, 2005-2025 or 2023,2024") from None
    names = [x.strip() for x in only.split(",") if x.strip()]
    lang = [x.strip() for x in langs.split(",") if x.strip()]
    found = audit(clean_dir, wanted, lang, names, jobs=jobs, progress=True)
    print(report(found))
    return 1 if found else 0
