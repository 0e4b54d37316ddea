"""One entry point for the notebook: `load_briefing(...)` → a `Briefing` whose sections the notebook
displays one per cell (`display(*b.section("headline"))`) and whose numbers the analyst inspects
(`b.table("headline")`).

Each section (`analysis.briefing.sections`) is computed from the rows it declares and nothing
else; the build's rebuild key (`analysis.briefing.inputs.briefing_inputs`) is the union of those
rows, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import config, provinces
from analysis.briefing import labels, sections
from analysis.briefing.context import Context, context_rows, make_context
from analysis.briefing.display import SvgFigure
from analysis.config import CLEAN_COLUMNS
from analysis.errors import AnalysisError, BriefingError, InputFileError, UnknownProvinceError
from analysis.selection import check_year

# what a briefing reads (source_ref and note stay in the clean table), with the figure model's columns
# and the note (where a figure's "per year" lives: docs/figure-model.md)
COLUMNS = [
    *CLEAN_COLUMNS[:9],
    *(c for c in ("note", "precision", "period", "period_kind", "scale") if c in CLEAN_COLUMNS),
]


@cache
def _read(path: str, mtime_ns: int, size: int) -> pd.DataFrame:
    del mtime_ns, size  # part of the cache key only: a rewritten file is read again
    import pyarrow.parquet as pq

    have = set(pq.read_schema(path).names)  # a table cleaned before the figure model lacks its columns
    df = pd.read_parquet(path, columns=[c for c in COLUMNS if c in have])
    df["year"] = df["year"].astype(int)
    df["value"] = df["value"].astype(float)
    for col in ("province_code", "regime", "indicator"):
        df[col] = df[col].astype(str)
    return df


def read_figures(clean_dir: Path | str | None = None) -> pd.DataFrame:
    """The clean figures; cached per file version, so a warm kernel reads them once per build.

    Each call returns its own copy (with the cached frame's lookups, metrics.share_lookups): what one
    briefing does to its frame on a warm kernel never reaches the next one, as on a cold kernel."""
    from analysis.briefing import metrics

    path = Path(clean_dir or config.CLEAN_DIR) / "figures.parquet"
    try:
        st = path.stat()
    except OSError as exc:
        raise InputFileError(path, "no clean figures: run `analysis clean` (make data) first") from exc
    cached = _read(str(path), st.st_mtime_ns, st.st_size)
    own = cached.copy()
    metrics.share_lookups(cached, own)
    return own


def inputs(df: pd.DataFrame, ctx: Context, p: provinces.Province) -> pd.DataFrame:
    """Exactly the rows a briefing reads: the context's and every section's (the rebuild key)."""
    from analysis.briefing import metrics

    df = metrics.year_true(df, ctx.year)  # nothing dated after the briefing's year (the rule book's)
    frames = [context_rows(df, p), *(m.rows(df, ctx) for m in sections.REGISTRY)]
    return metrics.union(frames, df)


@dataclass
class Briefing:
    """One briefing's computed sections (data) and how to show them; rendering lives in the sections."""

    ctx: Context
    results: dict[str, Any]
    rows: dict[str, pd.DataFrame] = field(repr=False)
    _shown: dict[str, list] = field(default_factory=dict, repr=False)

    # -- what the analyst inspects
    @property
    def scope(self):
        return self.ctx.scope

    @property
    def year(self) -> int:
        return self.ctx.year

    @property
    def lang(self) -> str:
        return self.ctx.lang

    def result(self, name: str) -> Any:
        """A section's computed result (its own dataclass or frame)."""
        sections.get(name)
        return self.results[name]

    def table(self, name: str) -> pd.DataFrame:
        """A section's numbers as a table (shown in Jupyter by the analyst-only cell)."""
        return sections.get(name).table(self.results[name])

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every section's table, in the order the briefing shows them."""
        return {name: self.table(name) for name in sections.names()}

    def inspect(self) -> object:
        """Every section's table under its name, as one HTML display object (for the analyst in Jupyter;
        the notebook's cell showing it is tagged `remove`, so published briefings leave it out)."""
        from IPython.display import HTML

        parts = [
            f"<h4>b.table({name!r})</h4>" + (tab.to_html(max_rows=80) if not tab.empty else "<p>(empty)</p>")
            for name, tab in self.tables().items()
        ]
        return HTML("".join(parts))

    def summary(self) -> str:
        """The summary as one paragraph of plain text."""
        return " ".join(self.results["title"])

    # -- what the reader sees
    def shown(self, name: str) -> list:
        """A section's HTML fragments and figures, in order (figures drawn once, on first use)."""
        if name not in self._shown:
            self._shown[name] = sections.get(name).render(self.results[name], self.ctx)
        return self._shown[name]

    def html(self, name: str) -> str:
        """A section's text as HTML (data escaped)."""
        return "".join(x for x in self.shown(name) if isinstance(x, str))

    def figures(self, name: str) -> list[SvgFigure]:
        return [x for x in self.shown(name) if isinstance(x, SvgFigure)]

    def section(self, name: str) -> list[object]:
        """IPython display objects for one section, in order: HTML, then figures."""
        from IPython.display import HTML

        return [HTML(x) if isinstance(x, str) else x for x in self.shown(name) if x]


def compute(
    df: pd.DataFrame, p: provinces.Province, year: int, lang: str, asked: provinces.Province | None = None
) -> Briefing:
    """The briefing: each section computed from its declared rows (and its NEEDS'), nothing else."""
    from analysis.briefing import metrics

    ctx = make_context(df, p, year, lang, asked=asked)
    df = metrics.year_true(df, ctx.year)  # nothing dated after the briefing's year (the rule book's)
    results: dict[str, Any] = {}
    rows: dict[str, pd.DataFrame] = {}
    own: dict[str, pd.DataFrame] = {}
    for m in sections.compute_order():
        rows[m.NAME] = sections.section_rows(m.NAME, df, ctx, own)
        needs = {n: results[n] for n in m.NEEDS}
        results[m.NAME] = m.compute(rows[m.NAME], ctx, needs)
    return Briefing(ctx=ctx, results=results, rows=rows)


def resolve(
    province: str, year: int, province_code: str | None = None, regime: str | None = None
) -> tuple[provinces.Province, provinces.Province | None]:
    """The province to brief and, when a former province's name was asked for, that former province.

    With a code and regime (the build resolved the name once) they are used as given; the name asked
    only decides the successor note.
    """
    if province_code and regime:
        p = provinces.get(province_code, regime)
        asked = None
        if province and regime != "63":
            try:
                res = provinces.resolve(province, year)
            except UnknownProvinceError:  # not a name the registry knows (e.g. a code): no note to make
                return p, None
            if res.successor_of is not None and (res.province.code, res.province.regime) == (
                p.code,
                p.regime,
            ):
                asked = res.successor_of
        return p, asked
    res = provinces.validate(province, year)
    return res.province, res.successor_of


def load_briefing(
    province: str,
    year: int = 0,
    lang: str = "vi",
    clean_dir: Path | str | None = None,
    province_code: str | None = None,
    regime: str | None = None,
) -> Briefing:
    """The briefing for a province and year (0: the latest year with data) in 'vi' or 'en'.

    `province` is the name as asked (any spelling). The build passes `province_code` and `regime`
    too (it resolved the name once); a former province's name asked for 2025 on gives its successor's
    briefing with a note saying so.
    """
    from analysis.briefing import metrics

    step = "read"
    try:
        labels.check_lang(lang)
        df = read_figures(clean_dir or None)
        step = "year"
        year = check_year(year, df["year"].unique()) if year else metrics.default_year(df)
        step = "resolve"
        p, asked = resolve(province, year, province_code or None, regime or None)
        step = "compute"
        return compute(df, p, year, lang, asked=asked)
    except BriefingError:
        raise
    except AnalysisError as exc:
        raise BriefingError(
            f"briefing {province!r} {year} {lang}: {exc}", province=province, year=year, lang=lang, step=step
        ) from exc
