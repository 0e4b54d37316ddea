"""Helpers for the build's fault tests: small template notebooks, a clean table, process inspection."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pandas as pd

PARAMETERS = 'province = ""\nprovince_code = ""\nregime = ""\nyear = 0\nlang = "vi"\nclean_dir = ""'
# The value the briefing shows comes from the clean table, read with the resolved code (no resolving).
SHOW_VALUE = """\
from pathlib import Path
import pandas as pd
from IPython.display import HTML, display
rows = pd.read_parquet(Path(clean_dir) / "figures.parquet")
value = rows[(rows["province_code"] == province_code) & (rows["year"] == year)]["value"].iloc[0]
display(HTML(f'<h1>{province} {year}</h1><p class="value">{value}</p>'))"""


def notebook(path: Path, *cells: str) -> Path:
    """A template: the tagged parameters cell, the value cell, then `cells`."""
    params = nbformat.v4.new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]})
    body = [nbformat.v4.new_code_cell(code) for code in (SHOW_VALUE, *cells)]
    nbformat.write(nbformat.v4.new_notebook(cells=[params, *body]), str(path))
    return path


def write_figures(clean: Path, values: dict[str, float] | None = None, year: int = 2018) -> Path:
    """A clean table with one PCI value per province (code -> value; default Nghệ An 40, Lào Cai 10)."""
    values = {"40": 60.0, "10": 55.0} if values is None else values
    rows = [
        {
            "province_code": code,
            "province_name": "",
            "regime": "63" if year < 2025 else "34",
            "year": year,
            "indicator": "pci",
            "value": value,
            "unit": "points",
            "qualifier": "exact",
            "source": "test",
            "source_ref": "fixture",
        }
        for code, value in values.items()
    ]
    clean.mkdir(parents=True, exist_ok=True)
    path = clean / "figures.parquet"
    tmp = clean / ".figures.tmp.parquet"
    columns = ["province_code", "province_name", "regime", "year", "indicator", "value", "unit"]
    columns += ["qualifier", "source", "source_ref"]
    pd.DataFrame(rows, columns=columns).to_parquet(tmp)
    os.replace(tmp, path)  # a reader never sees half a file
    return path


def cli(*args: str, **kw) -> subprocess.Popen:
    """`analysis <args>` in a new process (its own output pipes, UTF-8)."""
    env = os.environ | {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "analysis.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        preexec_fn=_default_sigint,
        **kw,
    )


def _default_sigint() -> None:
    """A test run started in the background inherits an ignored SIGINT; the child must see Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _stat(pid: int) -> tuple[str, int] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return None
    fields = raw[raw.rfind(b")") + 2 :].split()
    return fields[0].decode(), int(fields[1])


def alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped has ended)."""
    st = _stat(pid)
    return st is not None and st[0] != "Z"


def descendants(root: int) -> list[int]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit() and (st := _stat(int(entry.name))) is not None:
            kids.setdefault(st[1], []).append(int(entry.name))
    out, stack = [], list(kids.get(root, []))
    while stack:
        pid = stack.pop()
        out.append(pid)
        stack.extend(kids.get(pid, []))
    return [p for p in out if alive(p)]


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def kernels(root: int) -> list[int]:
    """The Jupyter kernels under `root`: the build's own (build.batch_kernel) or ipykernel's."""
    from analysis.build import batch_kernel

    return [p for p in descendants(root) if any(m in cmdline(p) for m in ("ipykernel", batch_kernel.MODULE))]


def wait_for(check, timeout: float = 90.0, every: float = 0.2):
    """Poll `check()` until it returns something truthy; fail the test after `timeout` seconds."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if value := check():
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout} s waiting for {getattr(check, '__name__', check)}")


def lines(stream) -> queue.Queue:
    """Every line the process prints, as it prints it."""
    q: queue.Queue = queue.Queue()

    def pump() -> None:
        for line in stream:
            q.put(line.rstrip("\n"))

    threading.Thread(target=pump, daemon=True).start()
    return q


def next_line(q: queue.Queue, starts: str, timeout: float = 120.0) -> str:
    seen = []
    while True:
        try:
            line = q.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no line starting {starts!r}; saw {seen}") from None
        if line.startswith(starts):
            return line
        seen.append(line)
