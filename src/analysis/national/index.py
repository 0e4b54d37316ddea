"""reports/index.html: every briefing on disk by year and province, the overviews, the failures.

The build rewrites the index after every finished briefing (an interrupted build still lists what
it finished) and once more at the end of the build (`final=True`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from analysis.config import PACKAGE_DIR

TEMPLATES_DIR = PACKAGE_DIR / "templates"


@cache
def index_template() -> Any:
    """Compiled once per process: the index is rewritten after every briefing of a build."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=select_autoescape(default=True))
    return env.get_template("index.html.j2")


def built_counts(year: int, rows: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Per language: how many of the year's provinces (63 before 2025, 34 from it) are built, so a
    year with a few ad-hoc briefings reads as such ('EN 2 / 63'), not as a complete year."""
    from analysis import provinces
    from analysis.national.overview import LANGS

    of = len(provinces.all_provinces(provinces.regime_for_year(year)))
    langs = sorted(
        {lang for row in rows.values() for lang in row["links"]},
        key=lambda x: (LANGS.index(x) if x in LANGS else len(LANGS), x),
    )
    return [
        {"lang": lang, "built": sum(1 for row in rows.values() if lang in row["links"]), "of": of}
        for lang in langs
    ]


def write_index(
    out_dir: Path,
    cache: dict[str, dict[str, Any]],
    version: str,
    failures: Sequence[Any] = (),  # the build's failed Results (job, step, error)
    built_at: datetime | None = None,
    final: bool = True,
    formats: Sequence[tuple[str, str]] = (("HTML", ".html"), ("PDF", ".pdf")),
) -> Path:
    """reports/index.html: every briefing on disk by year (newest first) and province, relative links.

    `formats`: (label, suffix) of each file a briefing has (the build passes its formats'); a
    briefing is listed when every one of them is on disk."""
    from analysis.national.overview_files import (
        LANGS,
        overview_links,
    )  # here: pandas only once a page is written
    from analysis.writing import atomic_write

    by_year: dict[int, dict[str, dict[str, Any]]] = {}
    langs: list[str] = []
    total = 0
    for rel, entry in sorted(cache.items()):
        files = [{"label": label, "href": f"{rel}{suffix}"} for label, suffix in formats]
        if not all((out_dir / f["href"]).exists() for f in files):
            continue
        year, lang = int(entry["year"]), entry["lang"]
        row = by_year.setdefault(year, {}).setdefault(
            entry["slug"], {"name": entry["name"], "slug": entry["slug"], "links": {}}
        )
        row["links"][lang] = files
        if entry.get("data") not in (None, version):  # built from another version of the data
            row.setdefault("older", {})[lang] = entry["data"]
        if lang not in langs:
            langs.append(lang)
        total += 1
    years = [
        # By slug: Vietnamese order puts Đ with D, which code-point order of the names would not.
        (year, sorted(rows.values(), key=lambda r: (r["slug"], r["name"])), built_counts(year, rows))
        for year, rows in sorted(by_year.items(), reverse=True)
    ]
    page = index_template().render(
        years=years,
        overviews=overview_links(out_dir),
        langs=sorted(langs, key=lambda x: LANGS.index(x) if x in LANGS else 99),
        data_version=version,
        built_at=(built_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC"),
        total=total,
        failures=[
            {"province": r.job.name, "year": r.job.year, "lang": r.job.lang, "step": r.step, "error": r.error}
            for r in failures
        ],
    )
    path = out_dir / "index.html"
    atomic_write(path, page)
    return path
