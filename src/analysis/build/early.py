"""The analyst's loop: one briefing forced, its notebook started before the build has planned.

`analysis reports --provinces X --years Y --force` names exactly one briefing whose parameters
need no data: the province resolves from the registry alone. So its kernel starts and runs the
notebook in a thread right away, while the build's own thread imports pandas, reads the clean
table, checks the arguments and computes the rebuild key (1-4 s that would otherwise come first).
The plan then confirms the briefing (same parameters) and exports the executed notebook; if it
disagrees or fails, the early run is discarded and nothing of it is written.

The kernel is started by, and belongs to, the early thread: its parent-death signal follows that
thread, which lives until the kernel is shut down.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from pathlib import Path
from typing import Any

from analysis.build.jobs import BuildRequest, Job, make_job
from analysis.build.worker import Builder
from analysis.errors import AnalysisError


class EarlyRun:
    """Runs `job`'s notebook on a new kernel in a thread; `wait` gives the notebook or its error."""

    def __init__(self, request: BuildRequest, job: Job):
        self.request, self.job = request, job
        self.builder: Builder | None = None
        self.result: Any = None
        self._opened = threading.Event()
        self._started = threading.Event()
        self._done = threading.Event()
        self._cancelled = threading.Event()
        self.thread = threading.Thread(target=self._main, name="early-run", daemon=True)
        self.thread.start()

    def _main(self) -> None:
        from analysis.build.runner import parameterize

        nb = None
        try:
            self.builder = Builder.open(
                Path(self.request.notebook), self.request.timeout, self.job.clean_dir, self._started.set
            )
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
            self.builder.exporter.close()


def start_early(request: BuildRequest) -> EarlyRun | None:
    """An early run when the request is one forced briefing with its year given, else None."""
    from analysis import provinces

    if not (request.force and len(request.provinces) == 1 and len(request.years) == 1):
        return None
    if len(request.langs) != 1:
        return None
    year = request.years[0]
    try:
        res = provinces.resolve(request.provinces[0], year)
    except AnalysisError:
        return None  # the plan reports it properly
    asked = res.successor_of.name if res.successor_of else ""
    clean_dir = str(Path(request.clean_dir).resolve())
    return EarlyRun(request, make_job(res.province, year, request.langs[0], clean_dir, asked))
