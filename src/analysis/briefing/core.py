"""One entry point for the notebook: `load_briefing(province, year, lang)` → a `Briefing` whose
sections the notebook displays one per cell. All data logic lives here and in `metrics`; wording in
`text`; figures in `plots`.

The briefing is computed only from `briefing_inputs(...)`, the rows the build hashes to decide
whether a briefing must be rebuilt, so the two cannot drift apart.
"""

from __future__ import annotations

import html as html_module
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

from analysis import config, provinces
from analysis.briefing import metrics, plots, text
from analysis.briefing.metrics import DataNotes, IndexFigure, Scope, SubindexResult
from analysis.config import CLEAN_COLUMNS
from analysis.errors import BriefingError, InputFileError

COLUMNS = CLEAN_COLUMNS[:9]  # what a briefing reads; source_ref and note stay in the clean table
SECTIONS = ("title", "headline", "ranking", "subindices", "trend", "online", "notes")
MAX_SUBINDEX_FIGURES = 2  # keeps a briefing at five figures at most


@cache
def _read(path: str, mtime_ns: int, size: int) -> pd.DataFrame:
    del mtime_ns, size  # part of the cache key only: a rewritten file is read again
    df = pd.read_parquet(path, columns=COLUMNS)
    df["year"] = df["year"].astype(int)
    df["value"] = df["value"].astype(float)
    for col in ("province_code", "regime", "indicator"):
        df[col] = df[col].astype(str)
    return df


def read_figures(clean_dir: Path | str | None = None) -> pd.DataFrame:
    """The clean figures; cached per file version, so a warm kernel reads them once per build."""
    path = Path(clean_dir or config.CLEAN_DIR) / "figures.parquet"
    try:
        st = path.stat()
    except OSError as exc:
        raise InputFileError(path, "no clean figures: run `analysis clean` (make data) first") from exc
    return _read(str(path), st.st_mtime_ns, st.st_size)


@cache
def load_targets() -> pd.DataFrame:
    """National targets mapped to indicator keys, each with the decision that sets it and a source URL."""
    return pd.read_csv(config.PACKAGE_DATA / "targets.csv", dtype=str).assign(
        target_value=lambda d: d["target_value"].astype(float)
    )


def _name(p: provinces.Province, lang: str) -> str:
    return p.name_en if lang == "en" else p.name


scope_for = metrics.scope_for
briefing_inputs = metrics.briefing_inputs


@dataclass
class Briefing:
    """Everything one briefing says and shows, computed once; `section(name)` gives display objects."""

    scope: Scope
    lang: str
    year_asked: int
    year: int
    fell_back: bool
    display_name: str
    region_name: str
    successor_name: str
    resolution_note: str
    rows: pd.DataFrame
    headline: list[IndexFigure]
    subindices: list[SubindexResult]
    trend: pd.DataFrame
    ranking_key: str | None
    ranking: pd.DataFrame | None
    ranking_median: float | None
    online: pd.DataFrame
    notes: DataNotes
    targets: dict[str, dict[str, object]] = field(
        default_factory=dict
    )  # national targets of headline indices
    _svg: dict[str, str | None] = field(default_factory=dict, repr=False)

    def summary(self) -> str:
        return text.summary(self)

    def figure(self, name: str) -> str | None:
        """A figure as SVG text (None when there is nothing to draw); computed on first use."""
        if name not in self._svg:
            self._svg[name] = self._draw(name)
        return self._svg[name]

    def _draw(self, name: str) -> str | None:
        if name == "ranking":
            if self.ranking is None or len(self.ranking) < 2:
                return None
            return plots.ranking_svg(
                self.ranking, self.ranking_key, self.year, self.lang, self.ranking_median
            )
        if name.startswith("subindices:"):
            i = int(name.split(":")[1])
            region = provinces.region_name(self.scope.region, self.lang) if self.scope.region else ""
            return plots.subindex_svg(self.subindices[i], self.lang, self.display_name, region)
        if name == "trend":
            return plots.trend_svg(self.trend, self.lang) if not self.trend.empty else None
        if name == "online":
            return plots.online_svg(self.online, self.lang, self.display_name)
        raise BriefingError(f"unknown figure {name!r}")

    def html(self, name: str) -> str:
        """A section's text as HTML (data escaped)."""
        lang = self.lang
        if name == "title":
            return text.title_html(self) + text.summary_html(self)
        if name == "headline":
            return text.headline_html(self)
        if name == "ranking":
            if self.ranking is None or len(self.ranking) < 2:
                return ""
            title = f"{text.t('ranking', lang)}: {text.index_name(self.ranking_key, lang)} {self.year}"
            return f"<h2>{text.esc(title)}</h2>"
        if name == "subindices":
            return f"<h2>{text.esc(text.t('subindices', lang))}</h2>" if self.subindices else ""
        if name == "trend":
            return f"<h2>{text.esc(text.t('trend', lang))}</h2>" if not self.trend.empty else ""
        if name == "online":
            return text.online_html(self)
        if name == "notes":
            return text.notes_html(self)
        raise BriefingError(f"unknown section {name!r}: expected one of {', '.join(SECTIONS)}")

    def section(self, name: str) -> list[object]:
        """IPython display objects for one section, in order: HTML, then figures."""
        from IPython.display import HTML

        out: list[object] = []
        if name == "subindices":
            if self.subindices:
                out.append(HTML(self.html(name)))
            for i, sub in enumerate(self.subindices):
                out.append(HTML(text.subindex_html(sub, self.lang)))
                svg = self.figure(f"subindices:{i}") if i < MAX_SUBINDEX_FIGURES else None
                if svg:
                    alt = f"{_heading(text.subindex_html(sub, self.lang))} — {self.display_name}"
                    out.append(plots.SvgFigure(svg, f"{name} {i + 1}", alt))
            return out
        html = self.html(name)
        if html:
            out.append(HTML(html))
        if name in ("ranking", "trend", "online"):
            svg = self.figure(name)
            if svg:
                out.append(plots.SvgFigure(svg, name, f"{_heading(html)} — {self.display_name}"))
        return out


def _heading(html: str) -> str:
    """The first heading's text of a section's HTML: the figure's alt text starts with it."""
    match = re.search(r"<h[1-6][^>]*>(.*?)</h[1-6]>", html or "", re.S)
    return html_module.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else ""


def compute(df: pd.DataFrame, p: provinces.Province, year: int, lang: str, note: str = "") -> Briefing:
    """The briefing, computed from the rows `briefing_inputs` selects and nothing else."""
    text.t("title", lang)  # validates the language early, naming it
    scope = scope_for(p, lang)
    rows = metrics.inputs(df, scope, year)
    eff, fell_back = metrics.effective_year(rows, scope, year)
    heads = metrics.headline(rows, scope, eff)
    subs = [s for fam in metrics.SUBINDEX_FAMILIES if (s := metrics.subindices(rows, scope, eff, fam))]
    trend = metrics.trend(rows, scope)
    key = metrics.main_index(rows, scope, eff)
    ranking, median = None, None
    if key is not None:
        ranking = metrics.ranking(rows, scope.regime, eff, key, scope.code)
        if lang == "en":
            ranking["name"] = [
                _english_name(c, scope.regime, n)
                for c, n in zip(ranking["code"], ranking["name"], strict=True)
            ]
        median, _n = metrics.national_median(rows, scope.regime, eff, key)
    online = metrics.online(rows, scope, eff, load_targets())
    cells = metrics.used_cells(scope, heads, subs, trend, list(online["indicator"]), eff)
    notes = metrics.data_notes(rows, scope, eff, heads, trend, cells)
    successor = ""
    if p.regime == "63":
        try:
            successor = _name(provinces.successor(p), lang)
        except Exception:  # a province with no recorded successor: say nothing rather than guess
            successor = ""
    return Briefing(
        scope=scope,
        lang=lang,
        year_asked=year,
        year=eff,
        fell_back=fell_back,
        display_name=scope.name,
        region_name=provinces.region_name(p.region, lang) if p.region else "",
        successor_name=successor,
        resolution_note=note,
        rows=rows,
        headline=heads,
        subindices=subs,
        trend=trend,
        ranking_key=key,
        ranking=ranking,
        ranking_median=median,
        online=online,
        notes=notes,
        targets={
            r["indicator"]: r
            for r in load_targets().to_dict("records")
            if r["indicator"] in {f.key for f in heads}
        },
    )


def _english_name(code: str, regime: str, fallback: str) -> str:
    try:
        return provinces.get(code, regime).name_en
    except Exception:
        return fallback


def load_briefing(
    province: str, year: int = 0, lang: str = "vi", clean_dir: Path | str | None = None
) -> Briefing:
    """The briefing for a province name and year (0: the latest year with data) in 'vi' or 'en'."""
    try:
        df = read_figures(clean_dir or None)
        year = int(year) or metrics.default_year(df)
        res = provinces.resolve(province, year)
        p = res.province
        note = ""
        if res.successor_of is not None:  # a pre-2025 name asked for 2025 on: say which province is shown
            old = _name(res.successor_of, lang)
            note = text.t("asked_old_name", lang, old=old, name=_name(p, lang), year=year)
        return compute(df, p, year, lang, note=note)
    except BriefingError:
        raise
    except Exception as exc:
        raise BriefingError(f"briefing {province!r} {year} {lang}: {exc}") from exc
