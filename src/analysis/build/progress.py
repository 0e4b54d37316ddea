"""What a build says while it runs: a progress line per briefing and the failure table at the end."""

from __future__ import annotations

import sys
from collections.abc import Iterable

from analysis.build.jobs import Result


class Progress:
    """One tqdm bar on stderr for the batch; plain lines when stderr is not a terminal."""

    def __init__(self, total: int, enabled: bool | None):
        self.total, self.done = total, 0
        self.tty = sys.stderr.isatty() if enabled is None else enabled
        self.bar = None
        if self.tty and total:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="briefing", file=sys.stderr, dynamic_ncols=True)

    def update(self, result: Result) -> None:
        self.done += 1
        if result.ok:
            msg = f"[{self.done}/{self.total}] built {result.job.rel} ({result.seconds:.1f} s)"
        else:
            msg = f"[{self.done}/{self.total}] FAILED {result.job.rel} at {result.step}: {result.error}"
        if self.bar is not None:
            if not result.ok:
                self.bar.write(msg, file=sys.stderr)
            self.bar.update(1)
        else:
            print(msg, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def summary_table(failures: Iterable[Result]) -> str:
    failures = list(failures)
    rows = [("province", "year", "lang", "step", "error")]
    rows += [
        (r.job.name, str(r.job.year), r.job.lang, r.step, r.error.splitlines()[0][:160]) for r in failures
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row[:4], widths, strict=True)) + "  " + row[4]
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths) + "  " + "-" * 5)
    kept = [r.notebook for r in failures if getattr(r, "notebook", "")]
    if kept:
        lines.append("executed notebooks kept (outputs and traceback; open in Jupyter):")
        lines += [f"  {path}" for path in kept]
    return "\n".join(lines)
