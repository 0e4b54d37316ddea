"""Building briefings one after another in one process: a warm kernel, one exporter, the template.

Used in two places. In each worker of a pool (`init_worker`, `build_one`), and in the build's own
process when only one worker is needed (one briefing, `--jobs 1`, `analysis preview`): then no
pool is started at all, the kernel is started first and imports while the process plans and
loads its exporters (a pool worker would pay its own interpreter start and imports on top).

Workers end with their parent however it ends: a parent-death signal (Linux) and a thread that
polls the parent's pid turn into SIGTERM, whose handler kills the worker's kernel, removes the
worker's private temporary folder and exits at once.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from analysis.build import limits, procs, publish
from analysis.build.jobs import Job, Result, output_paths


class Builder:
    """Executes, exports and writes briefings; errors come back as a Result, never raised."""

    def __init__(self, template: Any, kernel: Any, exporter: Any):
        self.template, self.kernel, self.exporter = template, kernel, exporter
        self.rasters = getattr(exporter, "rasters", None)  # the print copy's PNGs, begun per cell
        self._rasterise_while_running(True)

    def _rasterise_while_running(self, on: bool) -> None:
        """Hand each finished cell's figures to the rasters (only when a PDF will be made)."""
        if self.rasters is not None and hasattr(self.kernel, "on_cell_executed"):
            self.kernel.on_cell_executed = self.rasters.cell_done if on else None

    @classmethod
    def open(
        cls,
        notebook: Path,
        timeout: int = 600,
        clean_dir: str | None = None,
        started: Callable[[], Any] | None = None,
    ) -> Builder:
        """Read the template and start its kernel now, warming it with the template's imports (and
        the clean table of `clean_dir`, when the caller knows it); `started` is called as soon as
        the kernel's process runs."""
        import json

        from analysis.build.runner import WarmKernel, warm_code

        # The kernel starts before nbformat loads and validates the template: its warm-up code
        # needs only the cells, read as plain JSON (if that fails, nbformat says why just below).
        try:
            code = warm_code(json.loads(Path(notebook).read_text(encoding="utf-8")), clean_dir)
        except (OSError, ValueError, KeyError, TypeError):
            code = None
        kernel = WarmKernel(cwd=Path(notebook).parent, timeout=timeout)
        kernel.start(code)
        if started is not None:
            started()
        try:
            import nbformat

            from analysis.outputs.export import Exporter

            template = nbformat.read(str(notebook), as_version=4)
        except BaseException:
            kernel.shutdown()
            raise
        return cls(template, kernel, Exporter())

    def reload_template(self, notebook: Path) -> None:
        import nbformat

        self.template = nbformat.read(str(notebook), as_version=4)

    def build(
        self,
        job: Job,
        out_dir: Path | str,
        before_export: Callable[[], Any] | None = None,
        pdf: bool = True,
        executed: Any = None,
        commit: bool = True,
    ) -> Result:
        """Execute, export and write one briefing (HTML, then PDF, each atomically).

        `before_export` runs between the notebook and the export (the build joins its exporter
        warm-up thread there); `pdf=False` writes the HTML only (analysis preview); `executed` is
        the notebook already run for this job (or the error it raised) by build.early.
        `commit=False` leaves the files staged (Result.staged) for the build to publish together with
        the briefing's CSV (build.publish); a failure's Result says whether it was the briefing's own."""
        from analysis.build.runner import CellFailure, parameterize
        from analysis.outputs.printcopy import print_variant

        t0 = time.perf_counter()
        step = "execute"
        try:
            if executed is None:
                nb = parameterize(self.template, job.parameters())
                self._rasterise_while_running(pdf)
                self.kernel.run(nb)
            elif isinstance(executed, BaseException):
                raise executed
            else:
                nb = executed
            limits.cap_outputs(nb)  # a cell printing megabytes never reaches the page or the PDF
            if before_export is not None:
                before_export()
            step = "html"
            page = with_notice(self.exporter.html(nb, job.title, job.lang), job.notice)
            html_path, pdf_path = output_paths(Path(out_dir), job)
            if not pdf:
                step = "write"
                publish.publish({html_path: page})
                return Result(job, True, seconds=time.perf_counter() - t0)
            variant = print_variant(nb, self.rasters)
            printed = page if variant is None else self.exporter.html(variant, job.title, job.lang)
            printed = printed if variant is None else with_notice(printed, job.notice)
            step = "pdf"
            document = self.exporter.pdf(printed, job.title, html_path.parent)
            step = "write"
            staged = publish.stage({html_path: page, pdf_path: document})
            if commit:
                publish.commit(staged)
                staged = []
        except CellFailure as exc:
            exc.for_briefing(job.asked or job.name, job.year, job.lang)
            kind = publish.kind_of(exc)
            return Result(job, False, step, str(exc), time.perf_counter() - t0, kind)
        except Exception as exc:  # one briefing's failure must not stop the others
            error = f"{type(exc).__name__}: {exc}"[:500]
            if isinstance(exc, OSError):  # the machine's: said once for the folder (build.publish)
                error = publish.os_error(exc, out_dir)
            return Result(job, False, step, error, time.perf_counter() - t0, publish.kind_of(exc))
        finally:
            if self.rasters is not None:
                self.rasters.clear()  # what the print copy did not take (a failure, pdf=False)
        return Result(job, True, seconds=time.perf_counter() - t0, staged=staged)

    def close(self) -> None:
        """Shut the kernel down and remove the exporter's temporary files."""
        with contextlib.suppress(Exception):
            self.kernel.shutdown()
        with contextlib.suppress(Exception):
            self.exporter.close()


def with_notice(page: str, notice: str) -> str:
    """The page with `notice` (plain text, escaped here) as its first paragraph (build.dataversion)."""
    if not notice:
        return page
    import html

    mark = '<main class="briefing">'
    note = f'\n<p class="data-notice" role="alert"><strong>{html.escape(notice)}</strong></p>'
    return page.replace(mark, mark + note, 1) if mark in page else page


# ---------------------------------------------------------------- pool worker side

_STATE: dict[str, Any] = {}


def _kill_kernel() -> None:
    builder = _STATE.get("builder")
    pid = getattr(getattr(builder, "kernel", None), "pid", None)
    if pid:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def _terminate(signum: int = signal.SIGTERM, frame: object = None) -> None:
    """SIGTERM (the parent ended or stopped the build): kill the kernel, remove temp files, exit now.

    The parent's death can bring two SIGTERMs (the death signal, then the parent watcher's); the
    second must not re-enter this handler and exit while the first is still removing the folder.
    """
    with contextlib.suppress(ValueError):  # only the main thread may set handlers; it runs this one
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        _kill_kernel()
        temp = _STATE.get("temp")
        if temp is not None:
            with contextlib.suppress(Exception):
                temp.__exit__(None, None, None)
    finally:
        os._exit(128 + int(signum))


def _cleanup() -> None:
    """Normal end of a worker (the pool shut down): close the builder, remove the temp folder."""
    builder = _STATE.pop("builder", None)
    if builder is not None:
        builder.close()
    temp = _STATE.pop("temp", None)
    if temp is not None:
        temp.__exit__(None, None, None)


def init_worker(notebook: str, timeout: int, parent_pid: int, clean_dir: str | None = None) -> None:
    """Per worker process: end with the parent, private temp folder, one warm kernel."""
    from multiprocessing import util

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it stops the workers
    signal.signal(signal.SIGTERM, _terminate)
    procs.set_parent_death_signal(signal.SIGTERM)
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        _terminate()
    procs.watch_parent(parent_pid, lambda: os.kill(os.getpid(), signal.SIGTERM))
    temp = procs.private_temp()
    temp.__enter__()
    _STATE["temp"] = temp
    builder = _STATE["builder"] = Builder.open(Path(notebook), timeout, clean_dir)
    util.Finalize(None, _cleanup, exitpriority=100)
    with contextlib.suppress(Exception):  # while the kernel imports; a real failure shows per briefing
        builder.exporter.warm()


def build_one(job: Job, out_dir: str, commit: bool = True) -> Result:
    """Build one briefing in this worker (the pool's task)."""
    return _STATE["builder"].build(job, out_dir, commit=commit)


def worker_pids() -> tuple[int, int | None]:
    """This worker's pid and its kernel's (for tests that check nothing outlives the build)."""
    builder = _STATE.get("builder")
    return os.getpid(), getattr(getattr(builder, "kernel", None), "pid", None)
