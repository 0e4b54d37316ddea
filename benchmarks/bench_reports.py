"""Time `analysis reports` against the naive loop an analyst would write, on this machine, in one run.

Variants (same provinces, same year, Vietnamese, HTML + PDF):
  naive     per province, serially: `papermill`, `jupyter nbconvert --to html --no-input`, `weasyprint` CLIs
  reports   `analysis reports --force` into an empty directory (warm kernel per worker, in-process export)
  no-change `analysis reports` again with nothing changed (incremental: nothing is rebuilt)

Wall time, and peak RSS summed over the benchmark's process tree (children, grandchildren: kernels,
workers), sampled from /proc every 100 ms. Prints a table, writes benchmarks/out/results.json.

    python benchmarks/bench_reports.py              # every province of the default year
    python benchmarks/bench_reports.py --limit 4    # quick: 4 provinces, per-briefing extrapolation
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from analysis import config

BIN = Path(sys.executable).parent
PAGE = os.sysconf("SC_PAGE_SIZE")


# ---------------------------------------------------------------- /proc sampling


def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        # ppid is the 2nd field after the command name in parentheses (which may contain spaces).
        ppid = int(stat[stat.rfind(b")") + 2 :].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def tree_rss(root: int, include_root: bool = False) -> int:
    """Bytes of resident memory summed over every descendant of `root`."""
    kids = _children_map()
    stack, total = list(kids.get(root, [])), 0
    if include_root:
        stack.append(root)
    while stack:
        pid = stack.pop()
        stack.extend(kids.get(pid, []))
        try:
            with open(f"/proc/{pid}/statm", "rb") as fh:
                total += int(fh.read().split()[1]) * PAGE
        except OSError:
            pass
    return total


class Sampler:
    """Peak tree RSS of this process's descendants, sampled every `interval` seconds in a thread."""

    def __init__(self, interval: float = 0.1):
        self.interval, self.peak, self._stop = interval, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(me))
            self._stop.wait(self.interval)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


# ---------------------------------------------------------------- variants


@dataclass
class Run:
    variant: str
    briefings: int
    wall_s: float
    peak_rss_mib: float
    outputs: int
    failed: int
    unchanged: int = 0

    @property
    def per_briefing_s(self) -> float:
        return self.wall_s / max(self.briefings, 1)


def _env() -> dict[str, str]:
    return os.environ | {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PYTHONWARNINGS": "ignore"}


def run_reports(names: list[str] | None, year: int, jobs: int, out: Path, clean: Path, force: bool) -> Run:
    cmd = [str(BIN / "analysis"), "reports", "--years", str(year), "--lang", "vi", "--out", str(out)]
    cmd += ["--clean", str(clean)]
    if names is not None:
        cmd += ["--provinces", ",".join(names)]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    if force:
        cmd.append("--force")
    n = len(names) if names is not None else None
    with Sampler() as sampler:
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, env=_env(), capture_output=True, text=True)
        wall = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        sys.exit(f"analysis reports failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    failed = proc.stderr.count("FAILED ")
    outputs = len(list(out.glob(f"{year}/vi/*.pdf")))
    return Run(
        "no-change" if not force else "reports",
        n or outputs + failed,
        wall,
        sampler.peak / 2**20,
        outputs,
        failed,
        int(kept[1]) if (kept := re.search(r"(\d+) unchanged", proc.stderr)) else 0,
    )


def run_naive(names: list[str], year: int, out: Path, clean: Path, notebook: Path) -> Run:
    """What an analyst would write: three command-line tools per province, one province after the other."""
    out.mkdir(parents=True, exist_ok=True)
    failed = 0
    with Sampler() as sampler:
        t0 = time.perf_counter()
        for i, name in enumerate(names):
            ipynb, html, pdf = (out / f"{i:02d}.{ext}" for ext in ("ipynb", "html", "pdf"))
            params = ["-p", "province", name, "-p", "year", str(year), "-p", "lang", "vi", "-p", "clean_dir"]
            papermill = [str(BIN / "papermill"), "-k", "python3", "--no-progress-bar"]
            steps = [
                [*papermill, str(notebook), str(ipynb), *params, str(clean)],
                [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(ipynb)],
                [str(BIN / "weasyprint"), "-q", str(html), str(pdf)],
            ]
            for step in steps:
                proc = subprocess.run(step, env=_env(), capture_output=True, text=True, cwd=notebook.parent)
                if proc.returncode != 0:
                    failed += 1
                    print(f"naive: {name}: {step[0]} failed: {proc.stderr.strip()[-300:]}", file=sys.stderr)
                    break
        wall = time.perf_counter() - t0
    return Run("naive", len(names), wall, sampler.peak / 2**20, len(list(out.glob("*.pdf"))), failed)


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="time only the first N provinces")
    parser.add_argument("--year", type=int, default=0, help="default: the latest year with data")
    parser.add_argument(
        "--jobs", type=int, default=0, help="workers for analysis reports (default: all cores)"
    )
    parser.add_argument("--clean", type=Path, default=config.CLEAN_DIR)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    parser.add_argument("--skip-naive", action="store_true", help="time analysis reports only")
    args = parser.parse_args(argv)

    from analysis import provinces
    from analysis.briefing import metrics
    from analysis.reports.build import read_figures

    df = read_figures(args.clean)
    year = args.year or metrics.default_year(df)
    everyone = [p.name for p in provinces.all_provinces(provinces.regime_for_year(year))]
    names = everyone[: args.limit] if args.limit else everyone
    work = args.out / "work"
    shutil.rmtree(work, ignore_errors=True)
    load_before = os.getloadavg()
    print(f"year {year}: {len(names)} of {len(everyone)} provinces; cores {os.cpu_count()}", file=sys.stderr)

    runs: list[Run] = []
    selection = names if args.limit else None
    print("timing analysis reports --force ...", file=sys.stderr)
    runs.append(run_reports(selection, year, args.jobs, work / "reports", args.clean, force=True))
    print("timing the no-change rebuild ...", file=sys.stderr)
    runs.append(run_reports(selection, year, args.jobs, work / "reports", args.clean, force=False))
    if not args.skip_naive:
        print("timing the naive loop (papermill, nbconvert, weasyprint CLIs; serial) ...", file=sys.stderr)
        runs.append(run_naive(names, year, work / "naive", args.clean, config.TEMPLATE_NOTEBOOK))

    naive = next((r for r in runs if r.variant == "naive"), None)
    rows = []
    for r in runs:
        row = asdict(r) | {"per_briefing_s": round(r.per_briefing_s, 3)}
        if args.limit and r.variant != "no-change":
            row["extrapolated_all_s"] = round(r.per_briefing_s * len(everyone), 1)
        if naive and r.variant == "reports":
            row["speedup_vs_naive"] = round(naive.wall_s / r.wall_s, 2)
        rows.append(row)

    header = f"{'variant':<10} {'n':>3} {'wall s':>8} {'s/brief':>8} {'peak RSS MiB':>13}"
    header += f" {'ok':>4} {'fail':>4} {'kept':>5}"
    print("\n" + header)
    print("-" * len(header))
    for r in runs:
        print(
            f"{r.variant:<10} {r.briefings:>3} {r.wall_s:>8.1f} {r.per_briefing_s:>8.2f} "
            f"{r.peak_rss_mib:>13.0f} {r.outputs:>4} {r.failed:>4} {r.unchanged:>5}"
        )
    if naive:
        reports = next(r for r in runs if r.variant == "reports")
        print(f"\nspeed-up of analysis reports over the naive loop: {naive.wall_s / reports.wall_s:.2f}x")
    if args.limit:
        print(
            f"(--limit {args.limit}: results.json extrapolates to {len(everyone)} provinces at the"
            " per-briefing rate; for analysis reports that is an upper bound, its start-up is paid once)"
        )

    args.out.mkdir(parents=True, exist_ok=True)
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "year": year,
        "provinces": len(names),
        "provinces_in_year": len(everyone),
        "limit": args.limit or None,
        "runs": rows,
    }
    (args.out / "results.json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {args.out / 'results.json'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
