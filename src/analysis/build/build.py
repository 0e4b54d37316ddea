"""`analysis reports`: every (province, year, language) briefing as HTML + A4 PDF, in parallel, incrementally.

Design (numbers in ../shared/research/perf_baseline.md and benchmarks/README.md): most of a naive
briefing's cost is start-up (a kernel, the imports, three command lines). So each worker process
keeps ONE warm kernel and exports in-process (build.worker); when one worker is enough (a
single briefing, `--jobs 1`) there is no pool: the build's own process starts the kernel first,
and plans and loads its exporters while the kernel imports. A briefing is rebuilt only when its
key changes (build.jobs); keys live in `reports/.build-cache.json`.

Guarantees: one build per output folder at a time (a lock file; a second build waits); the cache
and the index are written after every finished briefing, so an interrupted build loses nothing it
finished; workers and kernels end with the build however it ends, and leave no temporary files.
A briefing that fails loses its own previous HTML/PDF and cache entry (nobody reads an out-of-date
briefing as current); no other briefing is touched, and the command exits 1 with a summary table.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analysis.build import dataversion, limits, procs, publish
from analysis.build.early import EarlyRun, start_early
from analysis.build.jobs import (
    CACHE_NAME,
    LANGS,
    BuildRequest,
    Job,
    Result,
    briefing_key,
    csv_path,
    data_version,
    frame_hash,
    is_fresh,
    library_hash,
    load_cache,
    load_figures,
    load_memo,
    output_paths,
    plan,
    read_figures,
    read_figures_bytes,
    save_cache,
    select,
    sha256_bytes,
)
from analysis.build.progress import Progress, summary_table
from analysis.build.worker import Builder, build_one, init_worker
from analysis.errors import AnalysisError, InputFileError
from analysis.national.index import index_template, write_index

__all__ = [
    "CACHE_NAME",
    "LANGS",
    "BuildRequest",
    "Job",
    "Result",
    "briefing_key",
    "build_one",
    "data_version",
    "frame_hash",
    "is_fresh",
    "library_hash",
    "load_cache",
    "load_memo",
    "plan",
    "read_figures",
    "run_reports",
    "save_cache",
    "select",
    "summary_table",
    "write_index",
]


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _clean_dir(request: BuildRequest) -> str:
    """The clean folder as the notebook receives it (absolute), for the kernel's warm-up read."""
    return str(Path(request.clean_dir).resolve())


def single_briefing(request: BuildRequest) -> bool:
    """The request can only mean one briefing: start its kernel before planning."""
    return len(request.provinces) == 1 and len(request.years) <= 1 and len(request.langs) == 1


def _stop_pool(pool: cf.ProcessPoolExecutor) -> None:
    """Stop every worker now (SIGTERM: each kills its kernel and removes its temp folder)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # None once shut down
    for proc in processes:
        with contextlib.suppress(Exception):
            proc.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        with contextlib.suppress(Exception):
            proc.join(timeout=5)


def start_pool(request: BuildRequest, workers: int) -> cf.ProcessPoolExecutor:
    """`workers` worker processes, started now: each imports, starts its kernel and loads its
    exporters (a few seconds) while the build goes on planning."""
    ctx = multiprocessing.get_context("spawn")  # no fork of a process with threads (tqdm, zmq)
    pool = cf.ProcessPoolExecutor(
        workers,
        mp_context=ctx,
        initializer=init_worker,
        initargs=(str(request.notebook), request.timeout, os.getpid(), _clean_dir(request)),
    )
    for _ in range(workers):  # the pool starts a process per task waiting, up to `workers`
        pool.submit(os.getpid)
    return pool


def run_pool(
    jobs: Sequence[Job],
    request: BuildRequest,
    workers: int,
    on_result: Callable[[Result], None],
    pool: cf.ProcessPoolExecutor | None = None,
    retries: int = 1,
) -> None:
    """Run the jobs on `workers` warm worker processes (`pool`, if started earlier); every job
    yields exactly one Result. Briefings lost with a dead worker run again on a new pool, `retries`
    times; then they fail as environmental (their published files stay)."""
    pool = pool or start_pool(request, workers)
    retry: list[Job] = []
    try:
        futures = {pool.submit(build_one, job, str(request.out_dir), False): job for job in jobs}
        for fut in cf.as_completed(futures):
            job = futures[fut]
            try:
                result = fut.result()
            except Exception as exc:  # the worker process died (killed, out of memory): not the briefing's
                if isinstance(exc, cf.process.BrokenProcessPool) and retries:
                    retry.append(job)
                    continue
                error = f"worker died ({type(exc).__name__}: {exc})"[:500]
                result = Result(job, False, "worker", error, kind=publish.ENV)
            on_result(result)
    except BaseException:  # Ctrl-C, or the parent is being stopped: no worker may go on writing
        _stop_pool(pool)
        raise
    pool.shutdown(wait=True)
    if retry:  # a dead worker broke the pool: a new one, and each briefing it took down once more
        print(f"a worker died: {len(retry)} briefing(s) retried once on new workers", file=sys.stderr)
        run_pool(retry, request, min(workers, len(retry)), on_result, retries=retries - 1)


def run_early(
    job: Job,
    request: BuildRequest,
    early: EarlyRun,
    on_result: Callable,
    prepare: Callable[[Job], None] | None = None,
) -> None:
    """Export the notebook the early run executed (build.early) as this job's briefing.

    `prepare` (the briefing's take-away CSV) runs here while the kernel still executes the
    notebook: this thread would otherwise only wait, and the CSV would come after the PDF."""
    builder = early.opened()
    if builder is None:  # the kernel could not even start: report it as this briefing's failure
        on_result(Result(job, False, "execute", f"{type(early.result).__name__}: {early.result}"[:500]))
        return
    warming = warm_exporter(builder)
    if prepare is not None:
        prepare(job)
    on_result(
        builder.build(job, request.out_dir, before_export=warming.join, executed=early.wait(), commit=False)
    )


def warm_exporter(builder: Builder) -> threading.Thread:
    """Load nbconvert and WeasyPrint in a thread while the kernel imports and runs the notebook.

    The main thread mostly waits on the kernel then, so the two overlap; a warm-up failure is
    ignored here (the briefing's own export reports any real problem).
    """

    def warm() -> None:
        with contextlib.suppress(Exception):
            builder.exporter.warm()
            index_template()  # compiled now, not after the first briefing

    thread = threading.Thread(target=warm, name="warm-exporter", daemon=True)
    thread.start()
    return thread


def run_local(jobs: Sequence[Job], request: BuildRequest, builder: Builder, on_result: Callable) -> None:
    """Run the jobs one after another in this process, on `builder`'s warm kernel.

    The exporters load in a thread while the first notebook runs (not earlier: planning, on the
    critical path before the notebook can start, would compete with it for the interpreter).
    """
    warming: threading.Thread | None = warm_exporter(builder)
    for job in jobs:
        if warming is not None:  # the first briefing's notebook ran meanwhile; export needs it now
            result = builder.build(job, request.out_dir, before_export=warming.join, commit=False)
            warming = None
        else:
            result = builder.build(job, request.out_dir, commit=False)
        on_result(result)


class _Recorder:
    """Applies each Result at once: cache entry, the briefing's CSV (or the files of a failed
    briefing), cache file, index page; at the end of the build, the national overview."""

    def __init__(self, out_dir: Path, cache: dict[str, dict[str, Any]], memo, scope, version, progress):
        self.out_dir, self.cache, self.memo, self.scope = out_dir, cache, memo, scope
        self.version, self.progress = version, progress
        self.failures: list[Result] = []
        self.df: Any = None  # the clean table: the CSVs and the overview are cut from it
        self.years: list[int] = []
        self._citations: Any = None
        self._prepared: dict[str, bytes | AnalysisError] = {}
        self._overview: dict[int, Any] = {}  # year → overview tables computed ahead

    def _csv(self, job: Job) -> bytes:
        from analysis.citations import Citations
        from analysis.national.takeaway import takeaway_csv

        if self._citations is None:
            self._citations = Citations.load()
        return takeaway_csv(self.df, job.code, job.regime, job.lang, self._citations)

    def prepare(self, job: Job) -> None:
        """Cut the briefing's CSV and its year's overview tables now (they depend on the clean table
        only), to write when the briefing is built and when the build ends."""
        if self.df is None:
            return
        try:
            self._prepared[job.rel] = self._csv(job)
        except AnalysisError as exc:  # reported when the briefing is recorded, as without preparing
            self._prepared[job.rel] = exc
        if job.year in self.years and job.year not in self._overview:
            from analysis.national.overview import overview_tables, overview_template

            with contextlib.suppress(AnalysisError):  # then computed (and reported) at the end
                self._overview[job.year] = overview_tables(self.df, job.year)
            overview_template()

    def _csv_bytes(self, job: Job) -> bytes:
        """The briefing's own figures as `<slug>.csv` beside its HTML and PDF (the notes link it)."""
        data = self._prepared.pop(job.rel, None)
        if isinstance(data, AnalysisError):
            raise data
        return data if data is not None else self._csv(job)

    def _publish(self, result: Result) -> Result:
        """Publish the briefing's staged HTML and PDF together with its CSV, or none of them."""
        job, staged = result.job, list(result.staged)
        try:
            if self.df is not None:
                staged += publish.stage({csv_path(self.out_dir, job): self._csv_bytes(job)})
            publish.commit(staged)
        except AnalysisError as exc:  # a CSV that cannot be cut fails its briefing, no other
            publish.discard(staged)
            return replace(result, ok=False, step="csv", error=str(exc), staged=[])
        except OSError as exc:  # full disk, read-only folder: the old set stays whole
            publish.discard(staged)
            error = publish.os_error(exc, self.out_dir)
            return replace(result, ok=False, step="write", error=error, kind=publish.ENV, staged=[])
        return replace(result, staged=[])

    def __call__(self, result: Result) -> None:
        job = result.job
        if result.ok:
            result = self._publish(result)
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
            for path in (*output_paths(self.out_dir, job), csv_path(self.out_dir, job)):
                path.unlink(missing_ok=True)  # no stale briefing that looks current
        self.save(final=False)
        self.progress.update(result)

    def save(self, final: bool) -> None:
        save_cache(self.out_dir, self.cache, self.memo, self.scope)
        if final and self.df is not None and self.years:
            from analysis.national.overview import write_overview

            write_overview(self.out_dir, self.df, self.years, self.cache, self.version, self._overview)
        write_index(self.out_dir, self.cache, self.version, self.failures, final=final)


def run_reports(request: BuildRequest, builder: Builder | None = None) -> int:
    """Build what changed; 0 when every briefing is built or unchanged, 1 when any failed.

    `builder` (analysis preview) is a warm Builder to build on; it is left open for the caller.
    """
    notebook = Path(request.notebook).resolve()
    if not notebook.exists():
        raise InputFileError(notebook, "template notebook missing")
    publish.check_template(notebook)  # a broken template fails the build once, not every briefing
    request = replace(request, notebook=notebook)
    jobs_cap, capped = limits.worker_cap(request.jobs)
    if capped:
        print(capped, file=sys.stderr)
    request = replace(request, jobs=jobs_cap)
    figures_path = Path(request.clean_dir) / "figures.parquet"
    figures_bytes = read_figures_bytes(request.clean_dir)  # the one read: this build's data version
    missing = dataversion.check_complete(Path(request.clean_dir), figures_bytes, request.allow_incomplete)
    procs.sweep_stale_temp()
    out_dir = Path(request.out_dir)
    # Every kernel reads this copy, named by the bytes' hash: a `make data` meanwhile cannot mix versions.
    data_dir = dataversion.snapshot(figures_bytes, Path(request.clean_dir))
    request = replace(request, clean_dir=data_dir.resolve())
    with contextlib.ExitStack() as stack:
        own: Builder | None = None
        early: EarlyRun | None = None
        if builder is None and single_briefing(request):
            stack.enter_context(procs.private_temp())
            early = start_early(request)  # forced, year given: the notebook runs while we plan
            if early is not None:
                stack.callback(early.close)
                early.started()  # the kernel first: our imports would compete with its start for the GIL
            else:
                # boots while we plan
                own = builder = Builder.open(notebook, request.timeout, _clean_dir(request))
                stack.callback(own.close)
        df = load_figures(figures_bytes, figures_path)
        pairs = select(request, df)  # unknown provinces and years outside the data fail here
        stack.enter_context(procs.BuildLock(out_dir, wait=request.wait))
        pool: cf.ProcessPoolExecutor | None = None
        pool_size = min(request.jobs or default_jobs(), len(pairs) * len(request.langs))
        if builder is None and request.force and pool_size > 1:  # --force: every selected one is built
            # The workers boot while we plan (63 rebuild keys: about 4 s); stopped however we end.
            pool = start_pool(request, pool_size)
            stack.callback(_stop_pool, pool)
        lib_hash = library_hash()
        scope = sha256_bytes(figures_bytes, lib_hash.encode())
        memo = load_memo(out_dir, scope)
        jobs = plan(request, df, pairs=pairs, memo=memo, lib_hash=lib_hash)
        if missing:  # built anyway (--allow-incomplete): each briefing says so, and rebuilds once fixed
            said = dataversion.notice(missing)
            jobs = [
                replace(job, notice=said, key=sha256_bytes(job.key.encode(), said.encode())) for job in jobs
            ]
        cache = load_cache(out_dir)  # read under the lock: another build's entries are kept
        todo = [job for job in jobs if request.force or not is_fresh(job, cache, out_dir)]
        for job in jobs:  # unchanged briefings read the same rows in this version of the data
            if job not in todo and job.rel in cache:
                cache[job.rel]["data"] = data_version(figures_bytes)
        print(
            f"briefings: {len(jobs)} selected, {len(jobs) - len(todo)} unchanged, {len(todo)} to build",
            file=sys.stderr,
        )
        progress = Progress(len(todo), request.progress)
        record = _Recorder(out_dir, cache, memo, scope, data_version(figures_bytes), progress)
        record.df, record.years = df, sorted({job.year for job in jobs})
        workers = max(1, min(request.jobs or default_jobs(), len(todo)))
        try:
            if not todo:
                pass
            elif early is not None and [job.parameters() for job in todo] == [early.job.parameters()]:
                run_early(todo[0], request, early, record, prepare=record.prepare)
            elif builder is not None or workers == 1:
                if early is not None:  # the plan disagreed with the early run: discard it first
                    early.close()
                if builder is None:
                    stack.enter_context(procs.private_temp())
                    own = builder = Builder.open(notebook, request.timeout, _clean_dir(request))
                    stack.callback(own.close)
                run_local(todo, request, builder, record)
            else:
                for unused in (own, early):  # planned for one briefing, got more: the pool takes over
                    if unused is not None:
                        unused.close()
                run_pool(todo, request, workers, record, pool=pool)  # the early pool, if started
        finally:
            progress.close()
            record.save(final=True)
            dataversion.prune(keep=data_dir)
    failures = record.failures
    built = len(todo) - len(failures)
    print(
        f"built {built}, unchanged {len(jobs) - len(todo)}, failed {len(failures)} -> {out_dir}",
        file=sys.stderr,
    )
    own = [f for f in failures if f.kind != publish.ENV]
    env: dict[str, list[Result]] = {}
    for f in failures:
        if f.kind == publish.ENV:
            env.setdefault(f.error, []).append(f)
    for error, group in env.items():  # the machine's fault, said once: nothing of these was deleted
        print(f"{len(group)} briefing(s) not built, their published files kept: {error}", file=sys.stderr)
    if own:
        print("\n" + summary_table(own), file=sys.stderr)
    return 1 if failures else 0
