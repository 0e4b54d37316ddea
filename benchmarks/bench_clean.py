"""Time `make data`'s clean stage on generated figure sheets of growing size: cost must stay linear.

The worst case of issue 8: every figure given 22 times with different values (22 sheets' worth of
conflicts), so every row is rejected and every reject names other rows. Each size runs in a fresh
interpreter (its own peak RSS), the rows are written by this script as an Excel-style CSV.

    python benchmarks/bench_clean.py                      # 20,000 and 200,000 rows
    python benchmarks/bench_clean.py --sizes 20000,60000  # other sizes
    python benchmarks/bench_clean.py --xlsx-rows 1048575  # stream one long .xlsx figure sheet
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis.briefing.metrics import subindex_keys

GROUP = 22
# The sub-indices of the catalogue: ten PCI sub-indices and eight PAPI dimensions.
KEYS = [*subindex_keys("pci"), *subindex_keys("papi")]
CHILD = """
import json, resource, sys, time
from pathlib import Path
from analysis.clean.stage import run_clean
raw, out = Path(sys.argv[1]), Path(sys.argv[2])
t, cpu = time.perf_counter(), time.process_time()
result = run_clean(raw, out, max_year=2024, quiet=True)
print(json.dumps({
    "seconds": time.perf_counter() - t,
    "cpu_seconds": time.process_time() - cpu,
    "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "kept": len(result.figures),
    "rejected": len(result.rejects),
    "rejects_csv_mib": (out / "rejects.csv").stat().st_size / 2**20,
    "max_reason_chars": int(result.rejects["reason"].str.len().max()) if len(result.rejects) else 0,
}))
"""


def write_sheet(folder: Path, n_rows: int) -> None:
    """n_rows figures in groups of GROUP rows with the same key and different values."""
    from analysis.provinces import all_provinces

    names = [p.name for p in all_provinces("63")]
    folder.mkdir(parents=True)
    with (folder / "bench.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(["province", "year", "indicator", "value", "unit", "source", "note"])
        for i in range(n_rows):
            g = i // GROUP
            province = names[g % len(names)]
            year = 2009 + (g // len(names)) % 16
            key = KEYS[(g // (len(names) * 16)) % len(KEYS)]
            value = f"{(i % GROUP) * 0.25 + 3:.2f}"
            writer.writerow([province, year, key, value, "points (0-10)", f"source {i % GROUP}", ""])
    (folder / "bench.meta.json").write_text(json.dumps({"locale": "intl", "source_quality": "press"}))


XLSX_CHILD = """
import json, resource, sys, time
from pathlib import Path
from analysis.clean.grids import workbook_grids
t, cpu = time.perf_counter(), time.process_time()
(grid,) = workbook_grids(Path(sys.argv[1]))
print(json.dumps({
    "seconds": time.perf_counter() - t,
    "cpu_seconds": time.process_time() - cpu,
    "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "grid_rows": len(grid.rows),
}))
"""


def write_xlsx(path: Path, n_rows: int) -> None:
    """A figure sheet of n_rows data rows (province, year, indicator, value as a percent, unit, source),
    written row by row by openpyxl's write-only mode, as a long export would be."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    from analysis.provinces import all_provinces

    names = [p.name for p in all_provinces("63")]
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Sheet")
    ws.append(["province", "year", "indicator", "value", "unit", "source"])
    for i in range(n_rows):
        value = WriteOnlyCell(ws, value=(i % 1000) / 1000)
        value.number_format = "0.0%"
        ws.append([names[i % len(names)], 2009 + i % 16, KEYS[i % len(KEYS)], value, "%", f"source {i % 7}"])
    wb.save(path)


def run_xlsx(n_rows: int) -> dict:
    """Time and peak memory of reading one n_rows .xlsx figure sheet (streamed) in a fresh interpreter."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.xlsx"
        write_xlsx(path, n_rows)
        size = path.stat().st_size / 2**20
        proc = subprocess.run(
            [sys.executable, "-c", XLSX_CHILD, str(path)], capture_output=True, text=True, check=False
        )
    if proc.returncode != 0:
        raise SystemExit(f"reading {n_rows} xlsx rows failed:\n{proc.stderr[-2000:]}")
    return {"rows": n_rows, "xlsx_mib": size, **json.loads(proc.stdout.strip().splitlines()[-1])}


def run(n_rows: int, xlsx: bool = False) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        if xlsx:  # the whole clean stage on one streamed .xlsx sheet
            (raw / "figures").mkdir(parents=True)
            write_xlsx(raw / "figures" / "bench.xlsx", n_rows)
        else:
            write_sheet(raw / "figures", n_rows)
        wall = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, str(raw), str(Path(tmp) / "clean")],
            capture_output=True,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - wall
    if proc.returncode != 0:
        raise SystemExit(f"clean failed for {n_rows} rows:\n{proc.stderr[-2000:]}")
    return {"rows": n_rows, "wall_seconds": wall, **json.loads(proc.stdout.strip().splitlines()[-1])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000,200000")
    parser.add_argument("--xlsx-rows", type=int, help="instead: stream one .xlsx sheet of this many rows")
    parser.add_argument("--xlsx-clean", action="store_true", help="with --xlsx-rows: the whole clean stage")
    args = parser.parse_args()
    if args.xlsx_rows and args.xlsx_clean:
        r = run(args.xlsx_rows, xlsx=True)
        print("| xlsx rows | clean s | clean CPU s | peak RSS MiB | kept | rejected |")
        print("|---|---|---|---|---|---|")
        print(
            f"| {r['rows']:,} | {r['seconds']:.1f} | {r['cpu_seconds']:.1f} | {r['peak_rss_mib']:.0f} "
            f"| {r['kept']:,} | {r['rejected']:,} |"
        )
        return
    if args.xlsx_rows:
        r = run_xlsx(args.xlsx_rows)
        print("| xlsx rows | file MiB | read s | read CPU s | peak RSS MiB |")
        print("|---|---|---|---|---|")
        print(
            f"| {r['rows']:,} | {r['xlsx_mib']:.1f} | {r['seconds']:.1f} | {r['cpu_seconds']:.1f} "
            f"| {r['peak_rss_mib']:.0f} |"
        )
        return
    results = [run(int(n)) for n in args.sizes.split(",")]
    print(
        "| rows | clean s | clean CPU s | wall s (with start-up) | peak RSS MiB | rejects.csv MiB "
        "| longest reason |"
    )
    print("|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['rows']:,} | {r['seconds']:.1f} | {r['cpu_seconds']:.1f} | {r['wall_seconds']:.1f} "
            f"| {r['peak_rss_mib']:.0f} "
            f"| {r['rejects_csv_mib']:.1f} | {r['max_reason_chars']} |"
        )
    base = results[0]
    for r in results[1:]:
        scale = r["rows"] / base["rows"]
        print(
            f"{scale:.0f}x the rows: {r['seconds'] / base['seconds']:.1f}x the time "
            f"({r['cpu_seconds'] / base['cpu_seconds']:.1f}x the CPU time), "
            f"{r['peak_rss_mib'] / base['peak_rss_mib']:.1f}x the memory"
        )
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    (out / "clean.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
