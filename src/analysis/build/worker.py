"""Running briefings one after another in one process: a warm kernel, the template, the formats.

Used in every executor: in each worker of a pool (`init_worker`, `build_one`), on each Dask worker
(build.cluster), and in the build's own process when one worker is enough (one briefing, `--jobs
1`, `analysis preview`): then no pool is started at all, the kernel is started first and imports
while the process plans and loads its formats.

A Builder returns each briefing's files as bytes in its Result; the build writes them. Workers end
with their parent however it ends: a parent-death signal (Linux) and a thread that polls the
parent's pid turn into SIGTERM, whose handler kills the worker's kernel, removes the worker's
private temporary folder and exits at once.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.build import dataversion, limits, procs, publish
from analysis.build.jobs import Job, Result, failed_notebook
from analysis.outputs.format import Briefing, Format

if TYPE_CHECKING:
    from analysis.build.prespawn import Prespawned


class Builder:
    """Executes briefings and renders them in every format; errors come back as a Result, never raised."""

    def __init__(self, template: Any, kernel: Any, formats: Sequence[Format]):
        self.template, self.kernel, self.formats = template, kernel, list(formats)
        if hasattr(kernel, "on_cell_executed"):
            kernel.on_cell_executed = self._cell_done

    def _cell_done(self, cell: Any, **_: Any) -> None:
        for fmt in self.formats:
            fmt.cell_done(cell)

    @classmethod
    def open(
        cls,
        notebook: Path,
        timeout: int | tuple[int, int] = 600,
        clean_dir: str | None = None,
        started: Callable[[], Any] | None = None,
        formats: Sequence[str] | None = None,
        prespawned: Prespawned | None = None,
    ) -> Builder:
        """Read the template and start its kernel now, warming it (the briefing's contract says
        how: imports and the clean table of `clean_dir`); `started` is called as soon as the
        kernel's process runs. `formats` names the formats to render (default: all).
        `prespawned`: a kernel process already started for it (build.prespawn)."""
        from analysis.briefing import contract
        from analysis.build.runner import WarmKernel, call_code

        kernel = WarmKernel(cwd=Path(notebook).parent, timeout=timeout)
        kernel.start(call_code(contract.warm_up, clean_dir), prespawned=prespawned)
        if started is not None:
            started()
        try:
            import nbformat

            from analysis.outputs import registry

            template = nbformat.read(str(notebook), as_version=4)
            made = [cls_() for cls_ in registry.formats(formats)]
        except BaseException:
            kernel.shutdown()
            raise
        return cls(template, kernel, made)

    def reload_template(self, notebook: Path) -> None:
        import nbformat

        self.template = nbformat.read(str(notebook), as_version=4)

    def warm(self) -> None:
        """Load every format's libraries (the build does it while the kernel imports and runs)."""
        for fmt in self.formats:
            with contextlib.suppress(Exception):  # a real problem shows when the briefing renders
                fmt.warm()

    def briefing(self, job: Job, out_dir: Path | str, nb: Any = None, table: Any = None) -> Briefing:
        base = Path(out_dir) / str(job.year) / job.lang
        return Briefing(nb, job.title, job.lang, job.code, job.regime, job.year, job.clean_dir, base, table)

    def render_ahead(self, job: Job, out_dir: Path | str, table: Any = None) -> dict[str, Any]:
        """The formats that need no notebook (the CSV), rendered now, while the kernel runs it:
        bytes by suffix, or the exception a format raised (reported with the briefing)."""
        done: dict[str, Any] = {}
        briefing = self.briefing(job, out_dir, table=table)
        for fmt in self.formats:
            if not fmt.reads_notebook:
                try:
                    done[fmt.suffix] = fmt.render(briefing)
                except Exception as exc:
                    done[fmt.suffix] = exc
        return done

    def build(
        self,
        job: Job,
        out_dir: Path | str,
        before_export: Callable[[], Any] | None = None,
        executed: Any = None,
        table: Any = None,
        ahead: dict[str, Any] | None = None,
    ) -> Result:
        """Execute the notebook and render every format: a Result with the files' bytes by suffix.

        `before_export` runs between the notebook and the formats (the build joins its warm-up
        thread there); `executed` is the notebook already run for this job (or the error it
        raised) by the speculative executor; `table` the clean table if the caller holds it;
        `ahead` formats rendered already (`render_ahead`)."""
        from analysis.build.inject import parameterize
        from analysis.build.runner import CellFailure

        t0 = time.perf_counter()
        step = "execute"
        nb = None
        files: dict[str, bytes] = {}
        try:
            if executed is None:
                nb = parameterize(self.template, job.parameters())
                self.kernel.run(nb)
            elif isinstance(executed, BaseException):
                nb = getattr(executed, "notebook", None)  # the early run's executed notebook
                raise executed
            else:
                nb = executed
            limits.cap_outputs(nb)  # a cell printing megabytes never reaches a published file
            dataversion.add_notice(nb, job.notice)  # an incomplete clean, said at the top
            if before_export is not None:
                before_export()
            briefing = self.briefing(job, out_dir, nb, table)
            for fmt in self.formats:
                step = fmt.name
                done = (ahead or {}).get(fmt.suffix)
                if isinstance(done, BaseException):
                    raise done
                files[fmt.suffix] = done if done is not None else fmt.render(briefing)
            failed_notebook(out_dir, job).unlink(missing_ok=True)  # an older failure's notebook goes
        except CellFailure as exc:
            exc.for_briefing(job.asked or job.name, job.year, job.lang)
            kept = _keep_failed(out_dir, job, nb)
            kind = publish.kind_of(exc)  # a dead kernel is not the briefing's own failure
            return Result(job, False, step, str(exc), time.perf_counter() - t0, notebook=kept, kind=kind)
        except Exception as exc:  # one briefing's failure must not stop the others
            error = f"{type(exc).__name__}: {exc}"[:500]
            if isinstance(exc, OSError):  # the machine's: said once for the folder (build.publish)
                error = publish.os_error(exc, out_dir)
            return Result(job, False, step, error, time.perf_counter() - t0, kind=publish.kind_of(exc))
        finally:
            for fmt in self.formats:
                with contextlib.suppress(Exception):
                    fmt.reset()
        return Result(job, True, seconds=time.perf_counter() - t0, files=files)

    def close(self) -> None:
        """Shut the kernel down and remove the formats' temporary files."""
        with contextlib.suppress(Exception):
            self.kernel.shutdown()
        for fmt in self.formats:
            with contextlib.suppress(Exception):
                fmt.close()


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


def init_worker(
    notebook: str, timeout: int | tuple[int, int], parent_pid: int, clean_dir: str | None = None
) -> None:
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
    builder.warm()  # while the kernel imports


def build_one(job: Job, out_dir: str) -> Result:
    """Build one briefing in this worker (the pool's task); its files travel back in the Result."""
    return _STATE["builder"].build(job, out_dir)


def worker_pids() -> tuple[int, int | None]:
    """This worker's pid and its kernel's (for tests that check nothing outlives the build)."""
    builder = _STATE.get("builder")
    return os.getpid(), getattr(getattr(builder, "kernel", None), "pid", None)


def _keep_failed(out_dir: Path | str, job: Job, nb: Any) -> str:
    """Write a failed briefing's executed notebook (its outputs and the traceback) for the analyst to
    open in Jupyter; '' when there is none (the failure came before the notebook ran)."""
    if nb is None:
        return ""
    import nbformat

    from analysis.writing import atomic_write

    path = failed_notebook(Path(out_dir), job)
    try:
        atomic_write(path, nbformat.writes(nb) + "\n")
    except (OSError, ValueError):
        return ""
    return str(path)
