"""Bounded resources in the build: how many workers the machine can carry, and how much of a cell's
output a briefing may publish.

Workers: each holds a kernel with pandas, matplotlib and the exporters, about 0.45 GB; `--jobs 16` on
2 cores took 7.5 GB and ran no faster. The count is capped by the cores and by the memory available
now (MemAvailable), and the build says so when it asked for more.

Output: a cell that prints 5 MB (a loop left in, a whole frame printed) made a 987-page PDF. Each
cell's text output is cut to `OUTPUT_CHARS` characters and its rich outputs (HTML, images) to
`OUTPUT_BYTES` in all; what is cut is said in the briefing, and the page never carries more.
"""

from __future__ import annotations

import os
from typing import Any

WORKER_BYTES = 600_000_000  # a worker with its warm kernel, with room to spare
OUTPUT_CHARS = 20_000  # text a cell may publish (stream and text/plain outputs together)
OUTPUT_BYTES = 8_000_000  # a cell's HTML, SVG and images together


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def available_memory() -> int | None:
    """Bytes of memory available to start new processes (Linux MemAvailable), or None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def worker_cap(asked: int) -> tuple[int, str]:
    """(workers to start, a message when fewer than `asked` (0 = as many as the cores))."""
    n_cores = cores()
    free = available_memory()
    by_memory = max(1, free // WORKER_BYTES) if free is not None else n_cores
    cap = max(1, min(n_cores, by_memory))
    wanted = asked or n_cores
    if wanted <= cap:
        return wanted, ""
    why = f"{n_cores} core(s)"
    if free is not None:
        why += f", {free / 1e9:.1f} GB memory available (a worker needs about {WORKER_BYTES / 1e9:.1f} GB)"
    return cap, f"--jobs {wanted}: using {cap} worker(s) ({why})"


def cap_outputs(nb: Any) -> int:
    """Cut every cell's outputs to the limits, in place; returns how many cells were cut."""
    from nbformat import from_dict

    cut = 0
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        text_left, bytes_left, trimmed = OUTPUT_CHARS, OUTPUT_BYTES, False
        kept = []
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                text = out.get("text", "")
                text = text if isinstance(text, str) else "".join(text)
                if len(text) > text_left:
                    out["text"], trimmed = text[: max(text_left, 0)], True
                text_left -= len(out["text"])
                if out["text"] or not trimmed:
                    kept.append(out)
                continue
            data = out.get("data") or {}
            size = sum(len(v) if isinstance(v, str) else len("".join(v)) for v in data.values())
            if size > bytes_left:
                trimmed = True
                continue
            bytes_left -= size
            kept.append(out)
        if trimmed:
            cut += 1
            note = (
                f"[output cut: the cell printed more than a briefing publishes ({OUTPUT_CHARS:,} characters)]"
            )
            kept.append(from_dict({"output_type": "stream", "name": "stdout", "text": f"\n{note}\n"}))
            cell["outputs"] = kept
    return cut
