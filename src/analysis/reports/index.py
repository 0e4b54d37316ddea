"""What a build reports: a progress line per briefing, the failure table, and reports/index.html.

The index is rewritten after every finished briefing (an interrupted build still lists what it
finished) and once more at the end of the build (`final=True`).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from analysis.config import PACKAGE_DIR
from analysis.reports.jobs import LANGS, Result

TEMPLATES_DIR = PACKAGE_DIR / "templates"


class Progress:
    """One tqdm bar on stderr for the batch; plain lines when stderr is not a terminal."""

    def __init__(self, total: int, enabled: bool | None):
        self.total, self.done = total, 0
        self.tty = sys.stderr.isatty() if enabled is None else enabled
        self.bar = None
        if self.tty and total:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="briefing", file=sys.stderr, dynamic_ncols=True)

    def update(self, result: Result) -> None:
        self.done += 1
        if result.ok:
            msg = f"[{self.done}/{self.total}] built {result.job.rel} ({result.seconds:.1f} s)"
        else:
            msg = f"[{self.done}/{self.total}] FAILED {result.job.rel} at {result.step}: {result.error}"
        if self.bar is not None:
            if not result.ok:
                self.bar.write(msg, file=sys.stderr)
            self.bar.update(1)
        else:
            print(msg, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def summary_table(failures: Iterable[Result]) -> str:
    rows = [("province", "year", "lang", "step", "error")]
    rows += [
        (r.job.name, str(r.job.year), r.job.lang, r.step, r.error.splitlines()[0][:160]) for r in failures
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row[:4], widths, strict=True)) + "  " + row[4]
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths) + "  " + "-" * 5)
    return "\n".join(lines)


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
    failures: Sequence[Result] = (),
    built_at: datetime | None = None,
    final: bool = True,
) -> Path:
    """reports/index.html: every briefing on disk by year (newest first) and province, relative links."""
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
        }
        if lang not in langs:
            langs.append(lang)
        total += 1
    years = [
        # By slug: Vietnamese order puts Đ with D, which code-point order of the names would not.
        (year, sorted(rows.values(), key=lambda r: (r["slug"], r["name"])))
        for year, rows in sorted(by_year.items(), reverse=True)
    ]
    from analysis.reports.overview import overview_links

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
