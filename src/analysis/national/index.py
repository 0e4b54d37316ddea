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


def write_index(
    out_dir: Path,
    cache: dict[str, dict[str, Any]],
    version: str,
    failures: Sequence[Any] = (),  # the build's failed Results (job, step, error)
    built_at: datetime | None = None,
    final: bool = True,
) -> Path:
    """reports/index.html: every briefing on disk by year (newest first) and province, relative links."""
    from analysis.national.overview import LANGS, overview_links  # here: pandas only once a page is written
    from analysis.writing import atomic_write

    by_year: dict[int, dict[str, dict[str, Any]]] = {}
    langs: list[str] = []
    total = 0
    for rel, entry in sorted(cache.items()):
        html_rel, pdf_rel = f"{rel}.html", f"{rel}.pdf"
        if not ((out_dir / html_rel).exists() and (out_dir / pdf_rel).exists()):
            continue
        year, lang = int(entry["year"]), entry["lang"]
        row = by_year.setdefault(year, {}).setdefault(
            entry["slug"], {"name": entry["name"], "slug": entry["slug"], "links": {}}
        )
        csv_rel = f"{rel}.csv"
        row["links"][lang] = {
            "html": html_rel,
            "pdf": pdf_rel,
            "csv": csv_rel if (out_dir / csv_rel).exists() else "",
            # built from another version of the data than the index's (a briefing not rebuilt)
            "older": entry["data"] if entry.get("data") not in (None, version) else "",
        }
        if lang not in langs:
            langs.append(lang)
        total += 1
    years = [
        # By slug: Vietnamese order puts Đ with D, which code-point order of the names would not.
        (year, sorted(rows.values(), key=lambda r: (r["slug"], r["name"])))
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
