"""Execute parameterised notebooks on ONE warm Jupyter kernel per worker process.

A fresh kernel per briefing costs about 1 s (start, imports, shutdown: perf_baseline.md §5), half the
naive per-province cost. The kernel is kept between briefings; the user namespace, open figures and
matplotlib's rc settings are reset before each briefing so no state leaks from one to the next, and
the kernel is replaced when it dies or times out.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import math
import os
import queue
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import ensure_event_loop, run_sync

from analysis.build import batch_kernel, prespawn, procs
from analysis.build.inject import INJECTED_TAG
from analysis.build.prespawn import Prespawned
from analysis.errors import AnalysisError

# jsonschema (imported by nbformat) imports `rfc3987_syntax` when it is installed, for an optional
# "iri" format check, and that module compiles 39 lark grammars at import: 2-3 s in every build
# process, the largest single start-up cost measured (benchmarks/README.md). Notebook validation
# never checks that format, so the build's processes skip the module (jsonschema handles its
# absence). Here, where notebooks are loaded and run: every build process imports this module
# before nbformat. Switch: delete the line below.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]

if TYPE_CHECKING:
    from nbclient import NotebookClient
    from nbformat import NotebookNode

# nbclient and nbformat are imported where a notebook runs, not at module level: starting the kernel
# needs jupyter_client only, and the one-briefing build starts it before anything else.

# A speed trick of the warm kernel, switchable here (tests/behaviour/test_warm_kernel_memory.py).
# `%reset -f` ends with a full collection over all the kernel holds, 0.15-0.4 s of CPU per briefing
# (40 briefings: 39 s against 25 s). With LEAN_RESET, the warm-up's objects are frozen out of the
# collector once (`gc.freeze`); the reset clears namespace and output cache, collects the young
# generations only (where a briefing's cycles are; older ones the automatic collector frees) and
# turns the collector back on in case a notebook turned it off.
LEAN_RESET = True
_FREEZE_CODE = '__import__("gc").freeze()\n'
_RESET_CALL = (
    """\
def _cchc_reset(gc=__import__("gc")):
    collect, gc.collect = gc.collect, (lambda generation=2: 0)
    try:
        get_ipython().run_line_magic("reset", "-f")
    finally:
        gc.collect = collect
    gc.enable()
    collect(1)
_cchc_reset()
"""
    if LEAN_RESET
    else 'get_ipython().run_line_magic("reset", "-f")\n'
)
# Run before every briefing (after the first) on the warm kernel: clears what a notebook left behind
# but keeps imported modules, which is the point of a warm kernel.
_RESET_CODE = (
    _RESET_CALL
    + """\
import os as _os, sys as _sys
if "matplotlib.pyplot" in _sys.modules:
    _sys.modules["matplotlib.pyplot"].close("all")
    _sys.modules["matplotlib"].rc_file_defaults()
_os.chdir({cwd!r})
del _os, _sys
"""
)


class CellFailure(AnalysisError):
    """A cell that raised: its index in the TEMPLATE notebook (0-based), first source line and error.

    The build fills in which briefing it was (province, year, lang) with `for_briefing`.
    """

    def __init__(
        self,
        cell_index: int,
        first_line: str,
        ename: str,
        evalue: str,
        province: str | None = None,
        year: int | None = None,
        lang: str | None = None,
        tag: str = "",
    ):
        super().__init__(cell_index, first_line, ename, evalue)
        self.cell_index, self.first_line, self.ename, self.evalue = cell_index, first_line, ename, evalue
        self.province, self.year, self.lang = province, year, lang
        self.tag = tag  # the cell's section tag (e.g. "section-headline"), or its first other tag

    @property
    def number(self) -> int:
        """The cell's position as Jupyter shows it (1-based; the index counts from 0)."""
        return self.cell_index + 1

    @property
    def cell(self) -> int:
        return self.cell_index

    def for_briefing(self, province: str, year: int, lang: str) -> CellFailure:
        self.province, self.year, self.lang = province, year, lang
        return self

    def __str__(self) -> str:
        tag = f" [{self.tag}]" if self.tag else ""
        where = f"cell {self.number}{tag} ({self.first_line!r}): " if self.cell_index >= 0 else ""
        return f"{where}{self.ename}: {self.evalue}"


def call_code(func: Callable[..., Any], *args: Any) -> str:
    """Kernel code that calls `func(*args)` and binds no name in the kernel's namespace.

    The function is a real import of the caller's (the warm-up is the briefing's contract,
    `briefing.contract.warm_up`, imported by build.worker), not code text assembled here; the
    arguments travel as Python literals."""
    return f"__import__({func.__module__!r}, fromlist=['_']).{func.__qualname__}(*{args!r})\n"


def template_index(nb: NotebookNode, executed_index: int) -> int:
    """Map an index in the parameterised notebook back to the template (the injected cell is not there)."""
    injected_before = sum(
        1 for cell in nb.cells[:executed_index] if INJECTED_TAG in cell.get("metadata", {}).get("tags", [])
    )
    return executed_index - injected_before


def _skipped(cell: NotebookNode) -> bool:
    """A code cell the published briefing drops (tagged `remove`, …: as_html.REMOVE_TAGS)."""
    from analysis.outputs.as_html import REMOVE_TAGS

    return cell.cell_type == "code" and bool(REMOVE_TAGS & set(cell.get("metadata", {}).get("tags", [])))


@functools.cache
def _build_client() -> type[NotebookClient]:
    from nbclient import NotebookClient
    from nbclient.util import run_hook

    class BuildClient(NotebookClient):
        """nbclient that does not execute the cells the export removes (the analyst's `inspect()`
        view, the worked example): their output would be dropped, so the build does not pay for
        them. Only the build runs notebooks this way; in Jupyter every cell runs, and deleting the
        tag publishes the cell (it is then executed like any other)."""

        async def async_execute_cell(
            self,
            cell: NotebookNode,
            cell_index: int,
            execution_count: int | None = None,
            store_history: bool = True,
        ) -> NotebookNode:
            if _skipped(cell):
                await run_hook(self.on_cell_start, cell=cell, cell_index=cell_index)
                return cell
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)

    return BuildClient


class WarmKernel:
    """One kernel reused for many notebooks; call `run` per notebook and `shutdown` at the end."""

    def __init__(self, cwd: Path, timeout: int | tuple[int, int] = 600, startup_timeout: int = 120):
        """`timeout`: seconds a cell may run, or (a cell's, a whole notebook's) seconds."""
        self.cwd = Path(cwd).resolve()
        self.timeout, self.run_limit = timeout if isinstance(timeout, tuple) else (timeout, 0)
        self._deadline = 0.0  # monotonic end of the running notebook's time (0: no limit)
        self.startup_timeout = startup_timeout
        self._km: AsyncKernelManager | None = None
        self._kc: Any = None
        self._used = False
        self._warm_id: str | None = None
        self._early: Prespawned | None = None  # a kernel started before this object (build.prespawn)
        self.warm_code = ""
        self.restarts = 0
        # Called with each executed cell (nbclient's `on_cell_executed`): the build starts the
        # cell's work there (each format's `cell_done`) while the next cells run.
        self.on_cell_executed: Callable[..., Any] | None = None

    @property
    def pid(self) -> int | None:
        """The kernel's process id while it runs (tests check it ends with its parent)."""
        process = getattr(getattr(self._km, "provisioner", None), "process", None)
        return getattr(process, "pid", None)

    def start(self, warm_code: str | None = None, prespawned: Prespawned | None = None) -> None:
        """Start the kernel now and queue `warm_code` on it without waiting for either.

        The caller goes on with its own work (planning, loading the exporters) on the other core
        while the kernel boots and imports; `run` waits for the warm-up to finish. The kernel gets a
        parent-death signal, so it ends with the process that started it, however that ends.
        `prespawned`: a kernel already started for this one (build.prespawn), adopted if it is
        the kernel jupyter_client would start here, else ended.
        """
        if self._km is not None:
            if prespawned is not None:
                prespawned.discard()
            return
        if warm_code is not None:
            self.warm_code = warm_code
        self._early = prespawned
        try:
            run_sync(self._start)()
        except BaseException:
            self._forget_early(kill=True)
            raise

    def _forget_early(self, kill: bool = False) -> None:
        early, self._early = self._early, None
        if early is not None:
            early.discard() if kill else early.forget_file()

    async def _start(self) -> None:
        if self._early is not None:  # adopted only if its launch matches (folder included)
            km = prespawn.adopting_manager(self._early, batch_kernel.manager_kwargs())
        else:
            km = AsyncKernelManager(**batch_kernel.manager_kwargs())
        await km.start_kernel(
            cwd=str(self.cwd),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=procs.kernel_preexec,
        )
        kc = km.client()
        kc.start_channels()
        self._km, self._kc, self._used = km, kc, False
        warm = (self.warm_code or "pass").rstrip("\n") + "\n" + (_FREEZE_CODE if LEAN_RESET else "")
        self._warm_id = kc.execute(warm, silent=True, store_history=False)

    async def _await_warm(self) -> str:
        """Wait until the warm-up (or a queued reset) has run: its shell reply, then its idle
        status on IOPub; returns the reply's status ("ok" or "error").

        Seeing the IOPub message proves the output channel is connected before any cell runs (what
        `wait_for_ready` checks, without its fixed 0.2 s flush); if it was missed, fall back to it.
        """
        from nbclient.exceptions import DeadKernelError

        kc, km, warm_id = self._kc, self._km, self._warm_id
        deadline = time.monotonic() + self.startup_timeout
        while True:
            if time.monotonic() > deadline:
                raise DeadKernelError("the kernel did not start")
            try:
                msg = await kc.shell_channel.get_msg(timeout=1.0)
            except queue.Empty:
                if not await km.is_alive():
                    raise DeadKernelError("the kernel died while starting") from None
                continue
            if msg["parent_header"].get("msg_id") == warm_id:
                status = str(msg.get("content", {}).get("status", ""))
                break
        try:
            while True:
                msg = await kc.iopub_channel.get_msg(timeout=1.0)
                if (
                    msg["parent_header"].get("msg_id") == warm_id
                    and msg["msg_type"] == "status"
                    and msg["content"].get("execution_state") == "idle"
                ):
                    break
        except queue.Empty:
            await kc.wait_for_ready(timeout=self.startup_timeout)
        self._warm_id = None
        self._forget_early()  # the kernel answered: it has read its connection file
        return status

    def _client(self, nb: NotebookNode, **hooks: Any) -> NotebookClient:
        if self._km is None:
            self.start()
        if self._warm_id is not None:
            run_sync(self._await_warm)()
        client = _build_client()(
            nb,
            km=self._km,
            kernel_name=batch_kernel.kernel_name(),
            timeout=self.timeout,
            timeout_func=self._cell_timeout if self._deadline else None,
            startup_timeout=self.startup_timeout,
            allow_errors=False,
            record_timing=False,
            **hooks,
        )
        client.kc = self._kc
        return client

    @staticmethod
    def _keep_signals() -> None:
        """Stop nbclient from taking over SIGINT and SIGTERM while a notebook runs.

        nbclient installs loop handlers that quietly shut the kernel down on either signal, so a
        Ctrl-C would fail one briefing and let the build go on, and a worker told to stop would
        lose its own clean-up. Refusing `add_signal_handler` on this thread's loop (nbclient
        accepts the refusal) leaves both signals to the build: KeyboardInterrupt in the parent,
        the worker's own SIGTERM handler in workers.
        """
        loop = ensure_event_loop()
        if getattr(loop, "_cchc_keeps_signals", False):
            return

        def refuse(*args: Any, **kwargs: Any) -> None:
            raise RuntimeError("signals are handled by the build")

        loop.add_signal_handler = refuse  # type: ignore[method-assign]
        loop._cchc_keeps_signals = True  # type: ignore[attr-defined]

    def _execute(self, client: NotebookClient) -> None:
        self._keep_signals()
        # The kernel's own log (e.g. its TCP warning) would break the progress bar; cell output is kept.
        client.execute(cwd=str(self.cwd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._kc = client.kc

    def _reset(self) -> None:
        import nbformat

        code = _RESET_CODE.format(cwd=str(self.cwd))
        self._execute(self._client(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])))

    def _queue_reset(self) -> None:
        """Send the reset now, without waiting: the kernel clears the last briefing while the build
        exports it (the next `run` waits for it, and resets again, reporting why, if it failed)."""
        if self._kc is not None:
            code = _RESET_CODE.format(cwd=str(self.cwd))
            self._warm_id = self._kc.execute(code, silent=True, store_history=False)

    def _reset_done(self) -> bool:
        """The reset queued after the last run has finished without error."""
        return self._warm_id is not None and run_sync(self._await_warm)() == "ok"

    def _cell_timeout(self, cell: Any = None) -> int:
        """A cell's limit: the cell limit, or less when the notebook's own limit ends sooner."""
        return max(1, min(self.timeout, math.ceil(self._deadline - time.monotonic())))

    def run(self, nb: NotebookNode) -> NotebookNode:
        """Execute `nb` in place; raise CellFailure naming the failing cell (the kernel survives it).

        With a notebook limit (`run_limit`), a run past it fails at the running cell, saying so."""
        from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

        current = {"index": -1}

        def on_cell_start(cell: NotebookNode, cell_index: int) -> None:
            current["index"] = cell_index

        try:
            if self._used and not self._reset_done():
                self._reset()  # none queued (the last run was interrupted) or it failed: say why
            self._used = True
            hooks: dict[str, Any] = {"on_cell_start": on_cell_start}
            if self.on_cell_executed is not None:
                hooks["on_cell_executed"] = self.on_cell_executed
            self._deadline = time.monotonic() + self.run_limit if self.run_limit else 0.0
            self._execute(self._client(nb, **hooks))
        except CellTimeoutError as exc:
            self._discard()
            if self._deadline and time.monotonic() >= self._deadline - 0.5:
                why = f"the briefing ran past its limit of {self.run_limit} s (--briefing-timeout)"
                raise self._failure(nb, current["index"], "BriefingTimeout", why) from exc
            raise self._failure(nb, current["index"], "CellTimeoutError", str(exc).splitlines()[0]) from exc
        except DeadKernelError as exc:
            self._discard()
            raise self._failure(nb, current["index"], "DeadKernelError", "the kernel died") from exc
        except CellExecutionError as exc:
            self._queue_reset()
            raise self._failure(nb, current["index"], exc.ename, exc.evalue) from exc
        finally:
            self._deadline = 0.0  # the reset and the next notebook are not limited by this one
        self._queue_reset()
        return nb

    @staticmethod
    def _failure(nb: NotebookNode, index: int, ename: str, evalue: str) -> CellFailure:
        cell = nb.cells[index] if 0 <= index < len(nb.cells) else None
        source = cell.source if cell is not None else ""
        first = next((line.strip() for line in source.splitlines() if line.strip()), "")
        tags = [t for t in (cell.metadata.get("tags", []) if cell is not None else []) if t != "hide-input"]
        tag = next((t for t in tags if t.startswith("section-")), tags[0] if tags else "")
        at = template_index(nb, index) if index >= 0 else -1
        return CellFailure(at, first[:80], ename, evalue, tag=tag)

    def _discard(self) -> None:
        """Drop a dead or stuck kernel; the next `run` starts a fresh one."""
        self.restarts += 1
        self.shutdown()

    def shutdown(self) -> None:
        """Stop the kernel now: kill its process first (nothing of it is kept, and jupyter_client's
        polite shutdown polls for 0.1 s), then let jupyter_client release the channels and files."""
        pid = self.pid
        self._forget_early(kill=self._km is None)
        km, kc = self._km, self._kc
        process = getattr(getattr(km, "provisioner", None), "process", None)
        if process is not None:
            with contextlib.suppress(Exception):
                process.kill()
                process.wait(timeout=5)
        self._km, self._kc, self._used, self._warm_id = None, None, False, None
        with contextlib.suppress(Exception):  # a run cut short (Ctrl-C) leaves its tasks on the loop
            loop = ensure_event_loop()
            if not loop.is_running() and (pending := [t for t in asyncio.all_tasks(loop) if not t.done()]):
                for task in pending:
                    task.cancel()
                loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        if kc is not None:
            with contextlib.suppress(Exception):  # best effort on a kernel that may be gone
                kc.stop_channels()
        if km is not None and km.has_kernel:
            with contextlib.suppress(Exception):
                run_sync(km.shutdown_kernel)(now=True)
        if pid and procs.pid_alive(pid):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
        if km is not None:
            with contextlib.suppress(Exception):
                km.cleanup_connection_file()
