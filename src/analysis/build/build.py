"""`analysis reports`: every (province, year, language) briefing in every format, in parallel, incrementally.

Design (numbers in ../shared/research/perf_baseline.md and benchmarks/README.md): most of a naive
briefing's cost is start-up (a kernel, the imports, three command lines). So each worker keeps ONE
warm kernel and renders in-process (build.worker); a briefing is rebuilt only when its key changes
(build.plan), keys live in `reports/.build-cache.json`. `run_reports` is lock -> plan -> executor ->
record: the executor (build.choose: local, pool, speculative or a Dask cluster) is
chosen and started first, so its kernel or workers boot while the build reads the data and plans.

Guarantees: one build per output folder at a time (a lock file; a second build waits); results
are recorded as they arrive (build.record), so an interrupted build loses nothing it finished;
workers and kernels end with the build however it ends, and leave no temporary files. A briefing
that fails loses its own previous files and cache entry; no other briefing is touched, and the
command exits 1 with a summary table. One data version per build (build.dataversion); a failure
that is not the briefing's own keeps its files and is said once (build.publish).
"""

from __future__ import annotations

import contextlib
import hashlib
import sys
from dataclasses import replace
from pathlib import Path

from analysis.build import dataversion, limits, procs, publish
from analysis.build.choose import choose
from analysis.build.executors import Hints
from analysis.build.jobs import (
    CACHE_NAME,
    LANGS,
    BuildRequest,
    Job,
    Result,
    complete_on_disk,
    data_version,
    is_fresh,
    load_cache,
    load_figures,
    load_memo,
    read_figures,
    read_figures_bytes,
    select,
)
from analysis.build.plan import PlanData, library_hash, plan, sha256_bytes
from analysis.build.progress import Progress, summary_table
from analysis.build.record import Recorder
from analysis.errors import InputFileError

__all__ = [
    "CACHE_NAME",
    "LANGS",
    "BuildRequest",
    "Job",
    "Result",
    "plan",
    "read_figures",
    "run_reports",
    "select",
    "summary_table",
]


def run_reports(request: BuildRequest, builder=None, scheduler: str | None = None) -> int:
    """Build what changed; 0 when every briefing is built or unchanged, 1 when any failed.

    `builder` (analysis preview) is a warm Builder to build on, left open for the caller;
    `scheduler` the address of a Dask scheduler to build on (`tcp://host:8786`).
    """
    from analysis.outputs import registry

    notebook = Path(request.notebook).resolve()
    if not notebook.exists():
        raise InputFileError(notebook, "template notebook missing")
    publish.check_template(notebook)  # a broken template fails the build once, not every briefing
    jobs_cap, capped = limits.worker_cap(request.jobs)
    if capped:
        print(capped, file=sys.stderr)
    request = replace(request, notebook=notebook, jobs=jobs_cap)
    figures_path = Path(request.clean_dir) / "figures.parquet"
    figures_bytes = read_figures_bytes(request.clean_dir)  # the one read: this build's data version
    missing = dataversion.check_complete(Path(request.clean_dir), figures_bytes, request.allow_incomplete)
    procs.sweep_stale_temp()
    out_dir = Path(request.out_dir)
    # Every kernel reads this copy, named by the bytes' hash: a `make data` meanwhile cannot mix versions.
    data_dir = dataversion.snapshot(figures_bytes, Path(request.clean_dir))
    request = replace(request, clean_dir=data_dir.resolve())
    formats = registry.links()
    with contextlib.ExitStack() as stack:
        executor = choose(request, builder, scheduler)  # started now: it boots while we plan
        stack.callback(executor.close)
        df = load_figures(figures_bytes, figures_path)
        pairs = select(request, df)  # unknown provinces and years outside the data fail here
        for note in dict.fromkeys(sel.note for sel in pairs if sel.note):
            print(note, file=sys.stderr)  # a name answered with another province says so
        stack.enter_context(procs.BuildLock(out_dir, wait=request.wait))
        if request.force and hasattr(executor, "expect"):  # every selected briefing will be built
            executor.expect(len(pairs) * len(request.langs))  # its workers boot while we plan
        lib_hash = library_hash()
        scope = sha256_bytes(figures_bytes, lib_hash.encode())
        cache = load_cache(out_dir)  # read under the lock: another build's entries are kept
        data = PlanData(
            df=df,
            pairs=pairs,
            notebook_hash=hashlib.sha256(notebook.read_bytes()).hexdigest(),
            lib_hash=lib_hash,
            memo=load_memo(out_dir, scope),
            cache=cache,
            present=complete_on_disk(out_dir, list(cache), [suffix for _, suffix in formats]),
        )
        the_plan = plan(request, data)
        jobs, todo = the_plan.jobs, the_plan.todo
        if missing:  # built anyway (--allow-incomplete): each briefing says what is missing
            jobs = dataversion.with_notice(jobs, missing)
            todo = [j for j in jobs if request.force or not is_fresh(j, cache, data.present)]
        for job in set(jobs) - set(todo):  # unchanged briefings read the same rows in this version
            if job.rel in cache:
                cache[job.rel]["data"] = data_version(figures_bytes)
        print(
            f"briefings: {len(jobs)} selected, {len(jobs) - len(todo)} unchanged, {len(todo)} to build",
            file=sys.stderr,
        )
        progress = Progress(len(todo), request.progress)
        record = Recorder(
            out_dir, cache, the_plan.memo, scope, data_version(figures_bytes), progress, formats
        )
        record.df, record.years = df, sorted({job.year for job in jobs})
        try:
            for result in executor.submit(todo, Hints(out_dir, table=lambda: df, ahead=record.prepare)):
                record(result)
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
    env: dict[str, int] = {}
    for f in failures:
        if f.kind == publish.ENV:  # the machine's fault, said once: nothing of these was deleted
            env[f.error] = env.get(f.error, 0) + 1
    for error, n in env.items():
        print(f"{n} briefing(s) not built, their published files kept: {error}", file=sys.stderr)
    own = [f for f in failures if f.kind != publish.ENV]
    if own:
        print("\n" + summary_table(own), file=sys.stderr)
    return 1 if failures else 0
