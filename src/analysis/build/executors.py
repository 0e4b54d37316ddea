"""How briefings run: one interface and the executors on this machine (local, pool, adaptive).

An executor takes jobs and yields exactly one Result per job, in any order, with each briefing's
files as bytes (the build writes them); `close()` stops whatever it started, however the build
ends. build.choose picks one; build.speculative and build.cluster hold the two others.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from analysis.build import procs, publish
from analysis.build.jobs import BuildRequest, Job, Result
from analysis.build.worker import Builder, build_one, init_worker


class Executor(Protocol):
    def submit(self, jobs: Sequence[Job], hints: Hints) -> Iterator[Result]: ...

    def close(self) -> None: ...


class Hints:
    """What the build offers an executor beyond the jobs: where files go, the clean table it holds,
    and work to do while a notebook runs (`ahead`)."""

    def __init__(self, out_dir: Path, table: Callable[[], Any] | None = None, ahead: Callable | None = None):
        self.out_dir, self.table, self.ahead = Path(out_dir), table, ahead


def one_briefing(request: BuildRequest) -> bool:
    """The request can only mean one briefing (one province, at most one year, one language)."""
    return len(request.provinces) == 1 and len(request.years) <= 1 and len(request.langs) == 1


def pool_size(request: BuildRequest, briefings: int) -> int:
    """Worker processes for `briefings` briefings: `--jobs`, else every core this process may use."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(request.jobs or cores, briefings))


def clean_dir(request: BuildRequest) -> str:
    """The clean folder as the notebook receives it (absolute), for the kernel's warm-up read."""
    return str(Path(request.clean_dir).resolve())


def warm_in_thread(builder: Builder) -> threading.Thread:
    """Load the formats' libraries in a thread while the kernel imports and runs the notebook.

    The main thread mostly waits on the kernel then, so the two overlap; a warm-up failure is
    ignored here (the briefing's own render reports any real problem)."""

    thread = threading.Thread(target=builder.warm, name="warm-formats", daemon=True)
    thread.start()
    return thread


class LocalExecutor:
    """The jobs one after another in this process, on one warm kernel (started at construction,
    so it boots while the build plans). The formats load in a thread while the first notebook
    runs (not earlier: planning, before the notebook can start, would compete for the GIL)."""

    def __init__(self, request: BuildRequest, builder: Builder | None = None):
        self.own = builder is None
        self._temp = None
        if self.own:
            self._temp = procs.private_temp()
            self._temp.__enter__()
            try:
                from analysis.build import prespawn  # its kernel first, before jupyter_client loads

                early = prespawn.spawn(Path(request.notebook).parent.resolve())
                builder = Builder.open(
                    Path(request.notebook), request.time_limits, clean_dir(request), prespawned=early
                )
            except BaseException:
                self._temp.__exit__(None, None, None)
                raise
        self.builder: Builder = builder  # type: ignore[assignment]

    def submit(self, jobs: Sequence[Job], hints: Hints) -> Iterator[Result]:
        warming: threading.Thread | None = warm_in_thread(self.builder) if jobs else None
        for job in jobs:
            before = warming.join if warming is not None else None
            warming = None
            yield self.builder.build(job, hints.out_dir, before_export=before, table=hints.table)

    def close(self) -> None:
        if self.own:
            self.builder.close()
            if self._temp is not None:
                self._temp.__exit__(None, None, None)
                self._temp = None


class PoolExecutor:
    """`workers` warm worker processes, started at construction: each imports, starts its kernel and
    loads its formats (a few seconds) while the build goes on planning."""

    def __init__(self, request: BuildRequest, workers: int):
        self.request = request
        self._start(workers)

    def _start(self, workers: int) -> None:
        self.workers = workers
        ctx = multiprocessing.get_context("spawn")  # no fork of a process with threads (tqdm, zmq)
        request = self.request
        self.pool = cf.ProcessPoolExecutor(
            workers,
            mp_context=ctx,
            initializer=init_worker,
            initargs=(str(request.notebook), request.time_limits, os.getpid(), clean_dir(request)),
        )
        for _ in range(workers):  # the pool starts a process per task waiting, up to `workers`
            self.pool.submit(os.getpid)

    def submit(self, jobs: Sequence[Job], hints: Hints, retries: int = 1) -> Iterator[Result]:
        """One Result per job. A worker that dies (killed, out of memory) breaks the pool for the
        briefings it held: they run again once on a new pool; a second death fails them as the
        machine's fault (build.publish: their published files stay)."""
        retry: list[Job] = []
        try:
            futures = {self.pool.submit(build_one, job, str(hints.out_dir)): job for job in jobs}
            for fut in cf.as_completed(futures):
                job = futures[fut]
                try:
                    result = fut.result()
                except Exception as exc:  # the worker process died: not the briefing's fault
                    if isinstance(exc, cf.process.BrokenProcessPool) and retries:
                        retry.append(job)
                        continue
                    error = f"worker died ({type(exc).__name__}: {exc})"[:500]
                    result = Result(job, False, "worker", error, kind=publish.ENV)
                yield result
        except BaseException:  # Ctrl-C, or the parent is being stopped: no worker may go on
            self.stop()
            raise
        self.pool.shutdown(wait=True)
        if retry:
            print(f"a worker died: {len(retry)} briefing(s) retried once on new workers", file=sys.stderr)
            self._start(min(self.workers, len(retry)))
            yield from self.submit(retry, hints, retries - 1)

    def stop(self) -> None:
        """Stop every worker now (SIGTERM: each kills its kernel and removes its temp folder)."""
        processes = list((getattr(self.pool, "_processes", None) or {}).values())  # None once shut down
        for proc in processes:
            with contextlib.suppress(Exception):
                proc.terminate()
        self.pool.shutdown(wait=False, cancel_futures=True)
        for proc in processes:
            with contextlib.suppress(Exception):
                proc.join(timeout=5)

    def close(self) -> None:
        self.stop()


class AdaptiveExecutor:
    """A pool when more than one worker is useful, else local; with `--force`, the pool starts as
    soon as the build knows how many briefings it selected (`expect`), before it plans them."""

    def __init__(self, request: BuildRequest):
        self.request = request
        self.inner: LocalExecutor | PoolExecutor | None = None

    def expect(self, briefings: int) -> None:
        """Every selected briefing will be built (forced): start the workers now."""
        if self.inner is None and pool_size(self.request, briefings) > 1:
            self.inner = PoolExecutor(self.request, pool_size(self.request, briefings))

    def submit(self, jobs: Sequence[Job], hints: Hints) -> Iterator[Result]:
        if not jobs:
            return iter(())
        if self.inner is None:
            size = pool_size(self.request, len(jobs))
            self.inner = PoolExecutor(self.request, size) if size > 1 else LocalExecutor(self.request)
        return self.inner.submit(jobs, hints)

    def close(self) -> None:
        if self.inner is not None:
            self.inner.close()
