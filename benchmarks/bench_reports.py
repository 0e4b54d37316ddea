"""Time the build against the naive loop an analyst would write, on this machine, in one run.

Variants (Vietnamese, HTML + PDF unless said):
  one-cold   `analysis reports --provinces P --years Y --force` into an empty folder, a new process
             each time (the analyst's loop: one briefing, from nothing); median of --repeat runs
  preview    `analysis preview`: time from a change of the clean data to the rebuilt HTML, warm kernel
  year       `analysis reports --years Y --force`: every province of the year, into an empty folder
  no-change  the same again without --force: nothing changed, nothing is rebuilt
  dask       the year again on a Dask cluster on this machine: `dask scheduler` and `dask worker
             --nworkers N --nthreads 1` (N = --jobs or the cores), `analysis reports --scheduler`;
             the same cores as the pool's year, into an empty folder
  naive      per province, serially: `papermill`, `jupyter nbconvert --to html --no-input`,
             `weasyprint` CLIs; --naive-sample N times only the first N provinces and scales the
             mean per briefing to the whole year. Half its iterations alternate with the one-cold
             runs (cold, naive, cold, naive, ...), the other half run right after the year build,
             so that each ratio compares runs made in the same state of the machine.

The two ratios: one naive iteration (median) / one-cold (median), and the naive loop for the whole
year / year. Wall time, and peak RSS summed over the benchmark's process tree, sampled from /proc
every 100 ms. Prints a table, writes benchmarks/out/results.json.

    python benchmarks/bench_reports.py                     # year 2018, full naive loop (long)
    python benchmarks/bench_reports.py --naive-sample 8    # naive loop on 8 provinces, scaled
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import statistics
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
    runs: list[float] | None = None

    @property
    def per_briefing_s(self) -> float:
        return self.wall_s / max(self.briefings, 1)


def _env() -> dict[str, str]:
    return os.environ | {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PYTHONWARNINGS": "ignore"}


def reports(args: list[str], out: Path, clean: Path, variant: str, year: int) -> Run:
    cmd = [str(BIN / "analysis"), "reports", "--years", str(year), "--lang", "vi", "--out", str(out)]
    cmd += ["--clean", str(clean), *args]
    with Sampler() as sampler:
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, env=_env(), capture_output=True, text=True)
        wall = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        sys.exit(f"analysis reports failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    failed = proc.stderr.count("FAILED ")
    outputs = len(list(out.glob(f"{year}/vi/*.pdf")))
    kept = int(m[1]) if (m := re.search(r"(\d+) unchanged", proc.stderr)) else 0
    built = int(m[1]) if (m := re.search(r"(\d+) selected", proc.stderr)) else outputs
    return Run(variant, built, wall, sampler.peak / 2**20, outputs, failed, kept)


def dask_year(year: int, work: Path, clean: Path, workers: int) -> Run:
    """The whole year on a local Dask cluster (scheduler and workers started and stopped here)."""
    import socket

    from distributed import Client

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    quiet = {"env": _env(), "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    started = [
        subprocess.Popen(
            [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            **quiet,
        ),
    ]
    try:
        started.append(
            subprocess.Popen(
                [
                    str(BIN / "dask"),
                    "worker",
                    address,
                    "--nworkers",
                    str(workers),
                    "--nthreads",
                    "1",
                    "--no-dashboard",
                ],
                **quiet,
            )
        )
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(workers, timeout=120)
        return reports(["--force", "--scheduler", address], work / "dask", clean, "dask", year)
    finally:
        for proc in reversed(started):  # only the processes this benchmark started
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def one_cold_run(name: str, year: int, work: Path, clean: Path, i: int) -> Run:
    """One briefing, forced, in a new process and into a new, empty folder."""
    return reports(["--provinces", name, "--force"], work / f"one-{i}", clean, "one-cold", year)


def one_cold(runs: list[Run]) -> Run:
    """The one-cold runs as one row: their median."""
    walls = [r.wall_s for r in runs]
    median = statistics.median(walls)
    return Run(
        "one-cold",
        1,
        median,
        max(r.peak_rss_mib for r in runs),
        runs[-1].outputs,
        sum(r.failed for r in runs),
        runs=[round(w, 2) for w in walls],
    )


def preview(name: str, year: int, work: Path, clean: Path, repeat: int) -> Run:
    """Seconds from a change of the clean data to the rebuilt HTML, in `analysis preview`."""
    import queue

    cmd = [str(BIN / "analysis"), "preview", "--province", name, "--year", str(year), "--interval", "0.1"]
    cmd += ["--clean", str(clean), "--out", str(work / "preview")]
    proc = subprocess.Popen(
        cmd,
        env=_env() | {"PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True).start()

    def wait_line(prefix: str) -> str:
        while True:
            line = lines.get(timeout=300)
            if line.startswith(prefix):
                return line

    walls, failed = [], 0
    with Sampler() as sampler:
        try:
            wait_line("watching ")
            for _ in range(repeat):
                time.sleep(1.0)
                t0 = time.perf_counter()
                os.utime(clean / "figures.parquet")  # what `make data` does to the file the notebook reads
                line = wait_line("rebuilt ")
                walls.append(time.perf_counter() - t0)
                failed += "FAILED" in line
        finally:
            proc.send_signal(
                signal.SIGTERM
            )  # stops preview like Ctrl-C (SIGINT may be ignored in a background job)
            proc.wait(timeout=60)
    return Run(
        "preview",
        1,
        statistics.median(walls),
        sampler.peak / 2**20,
        1,
        failed,
        runs=[round(w, 2) for w in walls],
    )


def naive_iteration(i: int, name: str, year: int, out: Path, clean: Path, notebook: Path) -> Run:
    """What an analyst would write, for one province: three command-line tools, one after the other."""
    out.mkdir(parents=True, exist_ok=True)
    failed = 0
    with Sampler() as sampler:
        t0 = time.perf_counter()
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
    return Run("naive", 1, wall, sampler.peak / 2**20, int(pdf.exists()), failed)


def naive(iterations: list[Run]) -> Run:
    """The naive loop's iterations as one row: their sum (the loop over the sample)."""
    walls = [r.wall_s for r in iterations]
    return Run(
        "naive",
        len(iterations),
        sum(walls),
        max(r.peak_rss_mib for r in iterations),
        sum(r.outputs for r in iterations),
        sum(r.failed for r in iterations),
        runs=[round(w, 2) for w in walls],
    )


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2018, help="assessment year (default 2018)")
    parser.add_argument("--province", default="An Giang", help="the briefing of one-cold and preview")
    parser.add_argument("--repeat", type=int, default=3, help="runs of one-cold and preview (median)")
    parser.add_argument(
        "--naive-sample", type=int, default=0, help="naive loop on the first N provinces only"
    )
    parser.add_argument("--jobs", type=int, default=0, help="workers for the year (default: all cores)")
    parser.add_argument("--clean", type=Path, default=config.CLEAN_DIR)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    parser.add_argument("--skip", default="", help="variants to skip, comma-separated (e.g. naive,year)")
    args = parser.parse_args(argv)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}

    from analysis import provinces

    year = args.year
    everyone = [p.name for p in provinces.all_provinces(provinces.regime_for_year(year))]
    sample = everyone[: args.naive_sample] if args.naive_sample else everyone
    work = args.out / "work"
    shutil.rmtree(work, ignore_errors=True)
    clean = work / "clean"  # a copy: the preview variant touches it
    shutil.copytree(args.clean, clean)
    load_before = os.getloadavg()
    print(
        f"year {year}; {len(everyone)} provinces; cores {os.cpu_count()}; load {load_before}", file=sys.stderr
    )

    runs: list[Run] = []
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    # The machine's speed drifts (other work, other tenants: 20-50 % within minutes here), so each
    # ratio compares runs made under the same conditions: one-cold runs alternate with the first
    # half of the naive iterations, and the whole year runs between that half and the rest.
    colds: list[Run] = []
    iterations: list[Run] = []
    cold_n = 0 if "one-cold" in skip else args.repeat
    naive_n = 0 if "naive" in skip else len(sample)
    first_half = (naive_n + 1) // 2 if "year" not in skip else naive_n

    def naive_step(i: int) -> None:
        notebook = config.TEMPLATE_NOTEBOOK
        iterations.append(naive_iteration(i, sample[i], year, work / "naive", clean, notebook))

    if cold_n or naive_n:
        print(
            f"timing one briefing cold ({args.province}) x{cold_n}, alternating with {first_half} of "
            f"{naive_n} naive iterations (serial CLIs) ...",
            file=sys.stderr,
        )
    for i in range(max(cold_n, first_half)):
        if i < cold_n:
            colds.append(one_cold_run(args.province, year, work, clean, i))
        if i < first_half:
            naive_step(i)
    if colds:
        runs.append(one_cold(colds))
    if "preview" not in skip:
        print("timing preview rebuilds ...", file=sys.stderr)
        runs.append(preview(args.province, year, work, clean, args.repeat))
    if "year" not in skip:
        print("timing the whole year (--force) ...", file=sys.stderr)
        runs.append(reports([*jobs, "--force"], work / "year", clean, "year", year))
        print("timing the no-change rebuild ...", file=sys.stderr)
        runs.append(reports(jobs, work / "year", clean, "no-change", year))
    if "dask" not in skip:
        print("timing the whole year on a local Dask cluster (--scheduler) ...", file=sys.stderr)
        runs.append(dask_year(year, work, clean, args.jobs or len(os.sched_getaffinity(0))))
    if first_half < naive_n:
        print(f"timing the other {naive_n - first_half} naive iterations ...", file=sys.stderr)
        for i in range(first_half, naive_n):
            naive_step(i)
    if iterations:
        runs.append(naive(iterations))

    by = {r.variant: r for r in runs}
    ratios: dict[str, float] = {}
    if "naive" in by:
        iteration = statistics.median(by["naive"].runs or [by["naive"].per_briefing_s])
        naive_year = by["naive"].per_briefing_s * len(everyone)
        if "one-cold" in by:
            ratios["one_briefing"] = round(iteration / by["one-cold"].wall_s, 2)
        if "year" in by:
            ratios["whole_year"] = round(naive_year / by["year"].wall_s, 2)
        if "dask" in by:
            ratios["whole_year_dask"] = round(naive_year / by["dask"].wall_s, 2)
    if "dask" in by and "year" in by:
        ratios["dask_vs_pool"] = round(by["year"].wall_s / by["dask"].wall_s, 2)

    header = f"{'variant':<10} {'n':>3} {'wall s':>8} {'s/brief':>8} {'peak RSS MiB':>13}"
    header += f" {'ok':>4} {'fail':>4} {'kept':>5}"
    print("\n" + header)
    print("-" * len(header))
    for r in runs:
        print(
            f"{r.variant:<10} {r.briefings:>3} {r.wall_s:>8.2f} {r.per_briefing_s:>8.2f} "
            f"{r.peak_rss_mib:>13.0f} {r.outputs:>4} {r.failed:>4} {r.unchanged:>5}"
            + (f"   runs {r.runs}" if r.runs and r.variant != "naive" else "")
        )
    if "naive" in by:
        print(
            f"\nnaive: median iteration {iteration:.2f} s; whole year {naive_year:.1f} s"
            + (f" (scaled from {len(sample)} provinces)" if len(sample) < len(everyone) else "")
        )
    for name, value in ratios.items():
        print(f"ratio {name}: {value:.2f}x")

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
        "province": args.province,
        "provinces_in_year": len(everyone),
        "naive_sample": len(sample),
        "ratios": ratios,
        "runs": [asdict(r) | {"per_briefing_s": round(r.per_briefing_s, 3)} for r in runs],
    }
    (args.out / "results.json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {args.out / 'results.json'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
