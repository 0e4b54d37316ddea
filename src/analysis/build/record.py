"""The build's record of what it built: files written, cache entry, index page, and the overview.

Each Result is applied as it arrives, in the build's own process whatever executor produced it:
its files written atomically (every format's, by suffix), its cache entry, the cache file and the
index page rewritten, so an interrupted build loses nothing it finished. A briefing that failed
loses its own previous files and cache entry (nobody reads an out-of-date briefing as current);
no other briefing is touched. A failure that is not the briefing's own (build.publish: a dead
worker, a full disk) keeps its published files and entry; files are replaced as one set. At the
end, each year's national overview.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analysis.build import publish
from analysis.build.jobs import Job, Result, output_path, save_cache
from analysis.errors import AnalysisError


class Recorder:
    def __init__(
        self,
        out_dir: Path,
        cache: dict[str, dict[str, Any]],
        memo: dict[str, str],
        scope: str,
        version: str,
        progress: Any,
        formats: Sequence[tuple[str, str]],
    ):
        self.out_dir, self.cache, self.memo, self.scope = Path(out_dir), cache, memo, scope
        self.version, self.progress = version, progress
        self.formats = tuple(formats)  # (label, suffix) of every format, in registry order
        self.failures: list[Result] = []
        self.df: Any = None  # the clean table: the overview is cut from it
        self.years: list[int] = []
        self._overview: dict[int, Any] = {}  # year -> overview tables computed ahead
        self._pages: dict[tuple, str] = {}  # overview pages rendered ahead (used if still true)

    def prepare(self, job: Job) -> None:
        """Work ahead while a notebook runs (the speculative executor calls it): the year's overview
        tables (they depend on the clean table only), its pages as they will read once this briefing
        is written (used only if that comes true), and the index and overview templates."""
        from analysis.national.index import index_template
        from analysis.national.overview import overview_tables
        from analysis.national.overview_files import pages_ahead

        index_template()
        if self.df is not None and job.year in self.years and job.year not in self._overview:
            with contextlib.suppress(AnalysisError):  # then computed (and reported) at the end
                tables = self._overview[job.year] = overview_tables(self.df, job.year)
                briefings = [*self.cache, job.rel]
                pages = pages_ahead(
                    self.out_dir, self.df, job.year, tables, briefings, self.version, self.formats
                )
                self._pages.update(pages)

    def _write(self, result: Result) -> Result:
        """Every format's file staged, then all renamed over the published ones (build.publish): a
        full disk or a read-only folder leaves the old set whole and is the machine's fault."""
        missing = [suffix for _, suffix in self.formats if suffix not in result.files]
        if missing:  # an executor that lost a format's bytes must not leave a briefing half written
            error = f"no {', '.join(missing)} came back"
            return replace(result, ok=False, step="write", error=error, kind=publish.ENV)
        files = {output_path(self.out_dir, result.job, s): result.files[s] for _, s in self.formats}
        try:
            publish.publish(files)
        except OSError as exc:
            error = publish.os_error(exc, self.out_dir)
            return replace(result, ok=False, step="write", error=error, kind=publish.ENV)
        return result

    def __call__(self, result: Result) -> None:
        job = result.job
        if result.ok:
            result = self._write(result)
        if result.ok:
            self.cache[job.rel] = {
                "key": job.key,
                "name": job.name,
                "code": job.code,
                "slug": job.slug,
                "regime": job.regime,
                "year": job.year,
                "lang": job.lang,
                "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "data": self.version,  # the index marks briefings built from older data
            }
        elif result.kind == publish.ENV:  # not the briefing's fault: its published files stay
            self.failures.append(result)
        else:
            self.failures.append(result)
            self.cache.pop(job.rel, None)
            for _, suffix in self.formats:
                output_path(self.out_dir, job, suffix).unlink(missing_ok=True)  # no stale briefing
        result.files = {}  # written: the bytes are not kept for the whole build
        self.save(final=False)
        self.progress.update(result)

    def save(self, final: bool) -> None:
        from analysis.national.index import write_index

        save_cache(self.out_dir, self.cache, self.memo, self.scope)
        if final and self.df is not None and self.years:
            from analysis.national.overview_files import write_overview

            write_overview(
                self.out_dir,
                self.df,
                self.years,
                self.cache,
                self.version,
                self._overview,
                self.formats,
                self._pages,
            )
        write_index(self.out_dir, self.cache, self.version, self.failures, final=final, formats=self.formats)
