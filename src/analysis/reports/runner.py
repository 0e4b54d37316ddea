"""Execute parameterised notebooks on ONE warm Jupyter kernel per worker process.

A fresh kernel per briefing costs about 1 s (start, imports, shutdown: perf_baseline.md §5), half the
naive per-province cost. The kernel is kept between briefings; the user namespace, open figures and
matplotlib's rc settings are reset before each briefing so no state leaks from one to the next, and
the kernel is replaced when it dies or times out.
"""

from __future__ import annotations

import contextlib
import copy
import subprocess
from pathlib import Path
from typing import Any

import nbformat
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbformat import NotebookNode

KERNEL_NAME = "python3"
INJECTED_TAG = "injected-parameters"

# Run before every briefing (after the first) on the warm kernel: clears what a notebook left behind
# but keeps imported modules, which is the point of a warm kernel.
_RESET_CODE = """\
get_ipython().run_line_magic("reset", "-f")
import os as _os, sys as _sys
if "matplotlib.pyplot" in _sys.modules:
    _sys.modules["matplotlib.pyplot"].close("all")
    _sys.modules["matplotlib"].rc_file_defaults()
_os.chdir({cwd!r})
del _os, _sys
"""


class CellFailure(Exception):
    """A cell that raised: its index in the TEMPLATE notebook (0-based), first source line and error."""

    def __init__(self, cell_index: int, first_line: str, ename: str, evalue: str):
        super().__init__(cell_index, first_line, ename, evalue)
        self.cell_index, self.first_line, self.ename, self.evalue = cell_index, first_line, ename, evalue

    def __str__(self) -> str:
        where = f"cell {self.cell_index} ({self.first_line!r}): " if self.cell_index >= 0 else ""
        return f"{where}{self.ename}: {self.evalue}"


def parameterize(nb: NotebookNode, parameters: dict[str, Any]) -> NotebookNode:
    """Papermill's own injection (after the cell tagged `parameters`): notebooks behave as under papermill."""
    from papermill.parameterize import parameterize_notebook

    nb = copy.deepcopy(nb)
    for cell in nb.cells:  # papermill's loader does this; its parameterize assumes it
        cell.metadata.setdefault("tags", [])
    nb.metadata.setdefault("papermill", {})
    return parameterize_notebook(nb, parameters, kernel_name=KERNEL_NAME, language="python")


def template_index(nb: NotebookNode, executed_index: int) -> int:
    """Map an index in the parameterised notebook back to the template (the injected cell is not there)."""
    injected_before = sum(
        1 for cell in nb.cells[:executed_index] if INJECTED_TAG in cell.get("metadata", {}).get("tags", [])
    )
    return executed_index - injected_before


class WarmKernel:
    """One kernel reused for many notebooks; call `run` per notebook and `shutdown` at the end."""

    def __init__(self, cwd: Path, timeout: int = 600, startup_timeout: int = 120):
        self.cwd = Path(cwd).resolve()
        self.timeout = timeout
        self.startup_timeout = startup_timeout
        self._km: AsyncKernelManager | None = None
        self._kc: Any = None
        self._used = False
        self.restarts = 0

    def _client(self, nb: NotebookNode, **hooks: Any) -> NotebookClient:
        if self._km is None:
            self._km, self._kc = AsyncKernelManager(kernel_name=KERNEL_NAME), None
        client = NotebookClient(
            nb,
            km=self._km,
            kernel_name=KERNEL_NAME,
            timeout=self.timeout,
            startup_timeout=self.startup_timeout,
            allow_errors=False,
            record_timing=False,
            **hooks,
        )
        client.kc = self._kc
        return client

    def _execute(self, client: NotebookClient) -> None:
        # The kernel's own log (e.g. its TCP warning) would break the progress bar; cell output is kept.
        client.execute(cwd=str(self.cwd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._kc = client.kc

    def _reset(self) -> None:
        code = _RESET_CODE.format(cwd=str(self.cwd))
        self._execute(self._client(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])))

    def run(self, nb: NotebookNode) -> NotebookNode:
        """Execute `nb` in place; raise CellFailure naming the failing cell (the kernel survives it)."""
        current = {"index": -1}

        def on_cell_start(cell: NotebookNode, cell_index: int) -> None:
            current["index"] = cell_index

        try:
            if self._used:
                self._reset()
            self._used = True
            self._execute(self._client(nb, on_cell_start=on_cell_start))
        except CellTimeoutError as exc:
            self._discard()
            raise self._failure(nb, current["index"], "CellTimeoutError", str(exc).splitlines()[0]) from exc
        except DeadKernelError as exc:
            self._discard()
            raise self._failure(nb, current["index"], "DeadKernelError", "the kernel died") from exc
        except CellExecutionError as exc:
            raise self._failure(nb, current["index"], exc.ename, exc.evalue) from exc
        return nb

    @staticmethod
    def _failure(nb: NotebookNode, index: int, ename: str, evalue: str) -> CellFailure:
        source = nb.cells[index].source if 0 <= index < len(nb.cells) else ""
        first = next((line.strip() for line in source.splitlines() if line.strip()), "")
        return CellFailure(template_index(nb, index) if index >= 0 else -1, first[:80], ename, evalue)

    def _discard(self) -> None:
        """Drop a dead or stuck kernel; the next `run` starts a fresh one."""
        self.restarts += 1
        self.shutdown()

    def shutdown(self) -> None:
        km, kc = self._km, self._kc
        self._km, self._kc, self._used = None, None, False
        if kc is not None:
            with contextlib.suppress(Exception):  # best effort on a kernel that may be gone
                kc.stop_channels()
        if km is not None and km.has_kernel:
            with contextlib.suppress(Exception):
                run_sync(km.shutdown_kernel)(now=True)
