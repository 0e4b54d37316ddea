"""The overview pages on disk: which briefings a year has, the pages rendered ahead of the end of
a build (used only if their inputs came true), the atomic writes, and the links the index shows.

Beside `national.overview` (tables and page) so that module stays one job: computing and rendering.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.national import pagefacts
from analysis.national.overview import (
    DEFAULT_FILES,
    LANGS,
    OVERVIEW_NAME,
    IndexTable,
    index_keys,
    overview_tables,
    render_overview,
)
from analysis.national.overview_csv import csv_name, table_csv
from analysis.writing import atomic_write


def available_briefings(
    out_dir: Path, briefings: Mapping[str, Mapping[str, Any]] | Iterable[str]
) -> dict[int, set]:
    """Year → {(lang, slug)} of briefings whose HTML is on disk.

    `briefings` is the build cache (`"year/lang/slug"` → entry) or any iterable of such keys.
    """
    out: dict[int, set[tuple[str, str]]] = {}
    for rel in briefings:
        parts = str(rel).split("/")
        if len(parts) != 3 or not parts[0].isdigit():
            continue
        year, lang, slug = int(parts[0]), parts[1], parts[2]
        if (Path(out_dir) / f"{rel}.html").exists():
            out.setdefault(year, set()).add((lang, slug))
    return out


def overview_path(out_dir: Path, year: int, lang: str) -> Path:
    return Path(out_dir) / str(year) / lang / OVERVIEW_NAME


def _page_inputs(
    year: int,
    lang: str,
    available: set,
    data_version: str,
    langs: Sequence[str],
    files: Sequence[tuple[str, str]],
) -> tuple:
    """Everything an overview page depends on besides the clean table and its tables: a page
    rendered ahead is used only when these are the same at the end (and the same day)."""
    import datetime

    return (year, lang, frozenset(available), data_version, tuple(langs), tuple(files), datetime.date.today())


def _year_langs(available: set) -> list[str]:
    return [lang for lang in LANGS if any(lg == lang for lg, _ in available)] or ["vi"]


def pages_ahead(
    out_dir: Path,
    df: pd.DataFrame,
    year: int,
    tables: list[IndexTable],
    briefings: Iterable[str],
    data_version: str = "",
    files: Sequence[tuple[str, str]] = DEFAULT_FILES,
) -> dict[tuple, str]:
    """The year's overview pages as they will read once `briefings` ("year/lang/slug", the ones
    being built) are on disk beside those already there: rendered while a notebook runs (the
    one-briefing build), used by `write_overview` only if its inputs turn out the same."""
    ours = [str(r).split("/") for r in briefings if str(r).startswith(f"{year}/") and str(r).count("/") == 2]
    available = available_briefings(out_dir, briefings).get(year, set()) | {
        (lg, slug) for _, lg, slug in ours
    }
    langs = _year_langs(available)
    return {
        _page_inputs(year, lang, available, data_version, langs, files): render_overview(
            tables,
            year,
            lang,
            available,
            data_version,
            langs,
            files,
            pagefacts.facts(df, tables, year, lang, index_keys),
        )
        for lang in langs
    }


def write_overview(
    out_dir: Path,
    df: pd.DataFrame,
    years: Iterable[int],
    briefings: Mapping[str, Mapping[str, Any]] | Iterable[str],
    data_version: str = "",
    tables_by_year: Mapping[int, list[IndexTable]] | None = None,
    files: Sequence[tuple[str, str]] = DEFAULT_FILES,
    ahead: Mapping[tuple, str] | None = None,
) -> list[Path]:
    """Write each year's overview page (in every language a briefing of that year exists in, else
    Vietnamese) and one CSV per index table; returns the paths written. Atomic writes.
    `tables_by_year`: `overview_tables(df, year)` computed earlier (the one-briefing build computes
    them while its kernel runs), missing years computed here; `ahead`: pages rendered earlier
    (`pages_ahead`), each used only where its inputs are this page's; `files`: (label, suffix) of
    the briefing files to link, the page first (the build passes its formats')."""
    out_dir = Path(out_dir)
    found = available_briefings(out_dir, briefings)
    written: list[Path] = []
    for year in sorted({int(y) for y in years}):
        tables = (tables_by_year or {}).get(year)
        if tables is None:
            tables = overview_tables(df, year)
        available = found.get(year, set())
        langs = _year_langs(available)
        for table in tables:
            path = out_dir / str(year) / csv_name(table)
            atomic_write(path, table_csv(table))
            written.append(path)
        for lang in langs:
            path = overview_path(out_dir, year, lang)
            page = (ahead or {}).get(_page_inputs(year, lang, available, data_version, langs, files))
            if page is None:
                facts = pagefacts.facts(df, tables, year, lang, index_keys)
                page = render_overview(tables, year, lang, available, data_version, langs, files, facts)
            atomic_write(path, page)
            written.append(path)
    return written


def overview_links(out_dir: Path) -> list[dict[str, Any]]:
    """Overview pages on disk, newest year first, as links relative to `out_dir` (for the index page)."""
    out = []
    for path in sorted(Path(out_dir).glob(f"*/*/{OVERVIEW_NAME}"), reverse=True):
        year, lang = path.parent.parent.name, path.parent.name
        if year.isdigit() and lang in LANGS:
            out.append({"year": int(year), "lang": lang, "href": f"{year}/{lang}/{OVERVIEW_NAME}"})
    return sorted(out, key=lambda d: (-d["year"], LANGS.index(d["lang"])))
