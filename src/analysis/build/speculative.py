"""The speculative executor (the analyst's loop): one briefing forced, its notebook started before
the build has planned.

`analysis reports --provinces X --years Y --force` names exactly one briefing whose parameters
need no data: the province resolves from the registry alone. So its kernel starts and runs the
notebook in a thread right away, while the build's own thread imports pandas, reads the clean
table, checks the arguments and computes the rebuild key (1-4 s that would otherwise come first).
The plan then confirms the briefing (same parameters) and the formats render the executed
notebook; if it disagrees, the early run is discarded, nothing of it is written, and the briefing
runs on a local executor. The formats that need no notebook (the CSV) and the build's own work
ahead (the overview's tables) are done on this thread while the kernel runs.

The kernel's process is started first of all, by this process's main thread, with the standard
library alone (build.prespawn); the early thread's kernel manager adopts it. Its parent-death
signal follows the main thread, so it ends with the build however that ends.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from analysis.build import prespawn, publish
from analysis.build.executors import Hints, LocalExecutor, warm_in_thread
from analysis.build.jobs import BuildRequest, Job, Result, make_job, resolve
from analysis.build.worker import Builder
from analysis.errors import AnalysisError


class EarlyRun:
    """Runs `job`'s notebook on a new kernel in a thread; `wait` gives the notebook or its error."""

    def __init__(self, request: BuildRequest, job: Job, prespawned: prespawn.Prespawned | None = None):
        self.request, self.job = request, job
        self._prespawned = prespawned
        self.builder: Builder | None = None
        self.result: Any = None
        self._opened = threading.Event()
        self._started = threading.Event()
        self._done = threading.Event()
        self._cancelled = threading.Event()
        self.thread = threading.Thread(target=self._main, name="early-run", daemon=True)
        self.thread.start()

    def _main(self) -> None:
        from analysis.build.inject import parameterize

        nb = None
        early, self._prespawned = self._prespawned, None
        try:
            self.builder = Builder.open(
                Path(self.request.notebook),
                self.request.time_limits,
                self.job.clean_dir,
                self._started.set,
                prespawned=early,
            )
            early = None  # the builder's kernel owns it now
            self._opened.set()
            if self._cancelled.is_set():
                raise AnalysisError("the early run was cancelled")
            nb = parameterize(self.builder.template, self.job.parameters())
            self.builder.kernel.run(nb)
            self.result = nb
        except BaseException as exc:  # handed to the build thread, which reports it per briefing
            exc.notebook = nb  # type: ignore[attr-defined]  # what ran, kept for a failed cell
            self.result = exc
        finally:
            if early is not None:  # Builder.open failed before its kernel took the process
                early.discard()
            self._started.set()
            self._opened.set()
            self._done.set()
            # Nothing more runs on this kernel: it is killed now, while the build exports.
            if self.builder is not None:
                self.builder.kernel.shutdown()

    def started(self) -> None:
        """Wait until the kernel's process runs (or the early run failed before it could)."""
        self._started.wait()

    def opened(self) -> Builder | None:
        """The builder (template and exporter; its kernel belongs to the early thread)."""
        self._opened.wait()
        return self.builder

    def wait(self) -> Any:
        self._done.wait()
        return self.result

    def close(self) -> None:
        """End the early run now (the build was interrupted or did not need it)."""
        self._cancelled.set()
        if not self._done.is_set():
            pid = getattr(getattr(self.builder, "kernel", None), "pid", None)
            if pid:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
        self.thread.join(timeout=30)
        if self.builder is not None:
            for fmt in self.builder.formats:
                with contextlib.suppress(Exception):
                    fmt.close()


def speculate(request: BuildRequest) -> EarlyRun | None:
    """The early run of a request for one briefing with its year given (the choice is
    executors.choose's); None when the province does not resolve (the plan reports it)."""
    try:
        (sel,) = resolve(request, [request.years[0]])
    except (AnalysisError, ValueError):
        return None
    clean_dir = str(Path(request.clean_dir).resolve())
    job = make_job(sel.province, sel.year, request.langs[0], clean_dir, sel.asked)
    return EarlyRun(request, job, prespawn.spawn(Path(request.notebook).parent.resolve()))


class SpeculativeExecutor:
    """Exports the notebook the early run executed as its job's briefing, or falls back to local."""

    def __init__(self, request: BuildRequest, early: EarlyRun):
        self.request, self.early = request, early
        self.fallback: LocalExecutor | None = None
        early.started()  # the kernel first: our imports would compete with its start for the GIL

    def submit(self, jobs: Sequence[Job], hints: Hints) -> Iterator[Result]:
        if [job.parameters() for job in jobs] != [self.early.job.parameters()]:
            self.early.close()  # the plan disagreed (or wants nothing built): discard the early run
            if jobs:
                self.fallback = LocalExecutor(self.request)
                yield from self.fallback.submit(jobs, hints)
            return
        job = jobs[0]
        builder = self.early.opened()
        if builder is None:  # the kernel could not even start: the machine's fault, not the briefing's
            reason = f"{type(self.early.result).__name__}: {self.early.result}".splitlines()[0][:400]
            yield Result(job, False, "execute", f"the kernel could not start ({reason})", kind=publish.ENV)
            return
        warming = warm_in_thread(builder)
        # This thread would otherwise only wait for the kernel: the CSV and the build's own work now.
        ahead = builder.render_ahead(job, hints.out_dir, hints.table)
        if hints.ahead is not None:
            hints.ahead(job)
        executed = self.early.wait()
        yield builder.build(
            job, hints.out_dir, before_export=warming.join, executed=executed, table=hints.table, ahead=ahead
        )

    def close(self) -> None:
        self.early.close()
        if self.fallback is not None:
            self.fallback.close()
