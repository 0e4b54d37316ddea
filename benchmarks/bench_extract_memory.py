"""Peak memory of `analysis extract` on one long line: a table flattened into a single "sentence".

Usage: python benchmarks/bench_extract_memory.py [--sizes-kb 40,250,1000]

Each size runs in a fresh child process (`extract_to_csv` on a generated one-line text, written to a
temporary folder); the child reports its peak traced Python memory (tracemalloc) and its maximum
resident set (getrusage). The goal: a 1 MB line under 1 GB (before sentences were stored once, 40 kB
took 1.6 GB and 250 kB was killed at 24 GB). The line is generated here, in the style of a province
table that a PDF converter joined into one line; nothing is taken from the corpus. The table is printed
(markdown) and written to benchmarks/out/extract_memory.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent / "out"
NAMES = ("Nghệ An", "Thanh Hóa", "Lào Cai", "Đắk Lắk", "Cần Thơ", "Quảng Ninh", "Hà Tĩnh", "An Giang")


def one_line_table(target_chars: int) -> str:
    """Rows of a province table (name, score, rank, share) joined by " | " into one line, no full stop."""
    parts, size, i = [], 0, 0
    while size < target_chars:
        row = (
            f"{NAMES[i % len(NAMES)]} đạt {60 + i % 37},{i % 10} điểm xếp thứ {i % 63 + 1}/63 "
            f"tỷ lệ hồ sơ trực tuyến {50 + i % 49},{i % 7}%"
        )
        parts.append(row)
        size += len(row) + 3
        i += 1
    return " | ".join(parts)[:target_chars]


_CHILD = """
import contextlib, io, json, resource, sys, tempfile, time, tracemalloc
from pathlib import Path
sys.path.insert(0, {bench!r})
from bench_extract_memory import one_line_table
from analysis.extract.figures import extract_to_csv
text = one_line_table({n})
with tempfile.TemporaryDirectory() as tmp:
    src, out = Path(tmp) / "line.txt", Path(tmp) / "candidates.csv"
    src.write_text(text, encoding="utf-8")
    del text
    tracemalloc.start()
    t0 = time.perf_counter()
    with contextlib.redirect_stderr(io.StringIO()):
        extract_to_csv([src], out)
    seconds = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    size = out.stat().st_size
print(json.dumps({{"seconds": seconds, "traced_peak": peak, "csv_bytes": size,
    "max_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}}))
"""


def measure(n_chars: int) -> dict:
    code = _CHILD.format(bench=str(Path(__file__).resolve().parent), n=n_chars)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {"chars": n_chars, **json.loads(done.stdout.strip().splitlines()[-1])}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes-kb", default="40,250,1000", help="line lengths in thousands of characters")
    args = ap.parse_args(argv)
    results = []
    print("| line | time (s) | traced peak (MB) | max RSS (MB) | candidates.csv (MB) |")
    print("|---|---|---|---|---|")
    for kb in (int(s) for s in args.sizes_kb.split(",")):
        r = measure(kb * 1000)
        results.append(r)
        print(
            f"| {kb} k chars | {r['seconds']:.1f} | {r['traced_peak'] / 1e6:.0f} | {r['max_rss'] / 1e6:.0f} "
            f"| {r['csv_bytes'] / 1e6:.1f} |",
            flush=True,
        )
    OUT_DIR.mkdir(exist_ok=True)
    (OUT_DIR / "extract_memory.json").write_text(
        json.dumps({"results": results, "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}, indent=2)
        + "\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
