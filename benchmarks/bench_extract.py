"""Time `analysis extract` on one report text and on 10x and 100x as much, to show the cost is linear;
and (`--accuracy`) measure how well it finds and labels figures.

Usage: python benchmarks/bench_extract.py [--base-kb 50] [--sizes 1,10,100] [--repeat 1]
       python benchmarks/bench_extract.py --accuracy

Accuracy: precision and recall of the figures found, and the share of matched figures given the
right indicator, year, qualifier and province, on three sets: the five shared report texts
(../shared/corpus/reports/, figures read by hand in tests/data/extract_expected/), our own test
texts the rules were tuned on (tests/data/extract_texts/dev/) and our own texts the rules were
never written from (tests/data/extract_texts/heldout/). Written to benchmarks/out/extract_accuracy.json.

The text is generated here, paragraph by paragraph, from sentences written for this benchmark in the
style of provincial reform reports (figures with units and qualifiers, dates, document numbers,
provinces, years, quoted slogans); nothing is taken from the corpus. Each size is written to a temporary
file and run through `extract_to_csv`, the function behind `analysis extract` (read, find, write CSV).
The first call's one-off cost (imports, the cue table, the province pattern) is paid before the
timed runs and reported apart. The table is printed (markdown) and written to
benchmarks/out/extract.json.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from analysis import config
from analysis.extract.core import extract_to_csv, find_figures, read_text
from analysis.extract.scoring import Score, read_annotated, score

OUT_DIR = Path(__file__).resolve().parent / "out"
TESTS_DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
ACCURACY_FIELDS = ("indicator", "year", "qualifier", "province")

PROVINCES = ["Nghệ An", "Thanh Hóa", "Lào Cai", "Đắk Lắk", "Cần Thơ", "Quảng Ninh", "Hà Tĩnh", "An Giang"]
SENTENCES = (
    "Năm {y}, tỉnh {p} tiếp nhận {n} hồ sơ thủ tục hành chính, trong đó {pc},{d}% được giải quyết đúng hạn.",
    "Chỉ số cải cách hành chính (PAR Index) của tỉnh đạt {s},{d} điểm, xếp thứ {r}/63 tỉnh, thành phố.",
    "Theo Kế hoạch số {k}/KH-UBND ngày {dd}/{mm}/{y}, toàn tỉnh phấn đấu đến hết năm {y2} có trên {pc}% "
    "hồ sơ được số hóa.",
    "Đến ngày {dd}/{mm}/{y}, đã có {n} tài khoản định danh điện tử mức 2 được kích hoạt, đạt {pc}% "
    "chỉ tiêu Đề án 06.",
    "Cả nước có {c} địa phương hoàn thành việc kết nối cơ sở dữ liệu dân cư với hệ thống giải quyết thủ tục.",
    "Tỷ lệ hài lòng của người dân, doanh nghiệp (SIPAS) tại {p} là {pc},{d}%, tăng {d} điểm so với năm {y0}.",
    "Hội nghị quán triệt tinh thần “{q} rõ” và phương châm “{q} tăng, {d} giảm” trong chỉ đạo điều hành.",
    "Tổng kinh phí đầu tư cho chuyển đổi số giai đoạn {y0} - {y2} là {s},{d} tỷ đồng.",
    "Trong quý {q}/{y}, Trung tâm Phục vụ hành chính công tỉnh đã trả kết quả cho {n} lượt hồ sơ, "
    "không có hồ sơ quá hạn.",
    "Nghị quyết số {k}-NQ/TU xác định {q} nhiệm vụ trọng tâm, trong đó {d} nhiệm vụ về cải cách thể chế.",
    "Tại phiên họp thứ {q}, Ủy ban nhân dân tỉnh {p} thống nhất giao {n} chỉ tiêu cho các sở, ngành.",
    "Số thủ tục hành chính cung cấp dịch vụ công trực tuyến toàn trình là {n}/{n2} thủ tục, "
    "đạt khoảng {pc}%.",
)


def _vi(n: int) -> str:
    """A count as Vietnamese reports write it: 12.345 (thousands dot)."""
    return f"{n:,}".replace(",", ".")


def make_text(target_bytes: int, seed: int = 8) -> str:
    """Paragraphs of 3-6 generated sentences, with a heading line now and then, up to `target_bytes`."""
    rng = random.Random(seed)
    parts = [f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2025 Báo cáo kết quả cải cách hành chính"]
    size = len(parts[0].encode())
    while size < target_bytes:
        paragraph = []
        for _ in range(rng.randint(3, 6)):
            y = rng.randint(2019, 2025)
            fields = dict(
                y=y, y0=y - rng.randint(1, 4), y2=y + rng.randint(1, 5), p=rng.choice(PROVINCES),
                n=_vi(rng.randint(120, 950_000)), n2=_vi(rng.randint(1_000, 2_500)), pc=rng.randint(60, 99),
                d=rng.randint(1, 9), s=rng.randint(70, 95), r=rng.randint(1, 63), k=rng.randint(10, 450),
                dd=rng.randint(1, 28), mm=rng.randint(1, 12), c=rng.randint(20, 63), q=rng.randint(2, 5),
            )  # fmt: skip
            paragraph.append(rng.choice(SENTENCES).format(**fields))
        if rng.random() < 0.2:
            parts.append(f"{rng.choice(PROVINCES)}: đẩy mạnh chuyển đổi số trong giải quyết thủ tục")
        text = " ".join(paragraph)
        parts.append(text)
        size += len(text.encode()) + 2
    return "\n\n".join(parts) + "\n"


def time_extract(text: str, repeat: int) -> tuple[float, int]:
    """Best wall time of `repeat` runs of extract_to_csv on the text (as one file), and the rows found."""
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "report.txt", Path(tmp) / "candidates.csv"
        src.write_text(text, encoding="utf-8")
        best = float("inf")
        for _ in range(repeat):
            t0 = time.perf_counter()
            with contextlib.redirect_stderr(io.StringIO()):
                extract_to_csv([src], out)
            best = min(best, time.perf_counter() - t0)
        rows = out.read_text(encoding="utf-8-sig").count("\n") - 1
    return best, rows


def _corpus_scores() -> list[Score]:
    """The shared report texts against their hand-read figures (those present on this machine)."""
    out = []
    for expected_csv in sorted((TESTS_DATA / "extract_expected").glob("*.csv")):
        text = config.CORPUS_DIR / f"{expected_csv.stem}.txt"
        if "." in expected_csv.stem or not text.exists():
            continue
        with expected_csv.open(encoding="utf-8", newline="") as fh:
            expected = list(csv.DictReader(fh))
        out.append(score(find_figures(read_text(text), text.name), expected, ACCURACY_FIELDS))
    return out


def _annotated_scores(folder: Path) -> list[Score]:
    out = []
    for path in sorted(folder.glob("*.txt")):
        text, expected = read_annotated(path.read_text(encoding="utf-8"))
        out.append(score(find_figures(text, path.name), expected, ACCURACY_FIELDS))
    return out


def accuracy_table() -> tuple[list[str], list[dict]]:
    """Markdown lines and JSON rows: one row per set of texts, the scores summed over its texts."""
    sets = (
        ("shared report texts (5)", _corpus_scores()),
        ("own texts, rules tuned on (dev)", _annotated_scores(TESTS_DATA / "extract_texts" / "dev")),
        ("own texts, held out", _annotated_scores(TESTS_DATA / "extract_texts" / "heldout")),
    )
    head = ["texts", "files", "figures", "found", "precision", "recall", *ACCURACY_FIELDS]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    rows = []
    for name, scores in sets:
        if not scores:
            lines.append(f"| {name} | 0 | (texts not on this machine) |" + " |" * (len(head) - 3))
            continue
        expected, found = sum(s.expected for s in scores), sum(s.found for s in scores)
        matched = sum(s.matched for s in scores)
        agree = {f: sum(s.agree[f] for s in scores) for f in ACCURACY_FIELDS}
        row = {
            "texts": name,
            "files": len(scores),
            "figures": expected,
            "found": found,
            "matched": matched,
            "precision": matched / found if found else 1.0,
            "recall": matched / expected if expected else 1.0,
            **{f: agree[f] / matched if matched else 1.0 for f in ACCURACY_FIELDS},
        }
        rows.append(row)
        cells = [name, len(scores), expected, found, f"{row['precision']:.2f}", f"{row['recall']:.2f}"]
        cells += [f"{row[f]:.2f} ({agree[f]}/{matched})" for f in ACCURACY_FIELDS]
        lines.append("| " + " | ".join(map(str, cells)) + " |")
    return lines, rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--accuracy", action="store_true", help="measure finding and labelling, not time")
    ap.add_argument("--base-kb", type=int, default=50, help="size of the 1x text in kB (default 50)")
    ap.add_argument("--sizes", default="1,10,100", help="multiples of the base size (default 1,10,100)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per size; the best time is kept")
    args = ap.parse_args(argv)
    if args.accuracy:
        lines, rows = accuracy_table()
        print("\n".join(lines))
        OUT_DIR.mkdir(exist_ok=True)
        (OUT_DIR / "extract_accuracy.json").write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    results = []
    print("| text | size | figures found | time (s) | time / 1x time |")
    print("|---|---|---|---|---|")
    t0 = time.perf_counter()
    time_extract(make_text(2_000, seed=1), 1)  # imports, cue table, province pattern: paid once per run
    warm_up = time.perf_counter() - t0
    base_time = None
    for k in sizes:
        text = make_text(args.base_kb * 1000 * k)
        seconds, rows = time_extract(text, args.repeat)
        base_time = base_time or seconds / k  # per-1x time of the smallest size
        ratio = seconds / base_time
        results.append({"multiple": k, "bytes": len(text.encode()), "figures": rows, "seconds": seconds})
        size = (
            f"{len(text.encode()) / 1e6:.2f} MB"
            if k * args.base_kb >= 1000
            else f"{len(text.encode()) / 1e3:.0f} kB"
        )
        print(f"| {k}x | {size} | {rows} | {seconds:.2f} | {ratio:.1f} |", flush=True)
    print(f"\nfirst call (imports, cue table, province pattern; paid once per run): {warm_up:.2f} s")
    OUT_DIR.mkdir(exist_ok=True)
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    (OUT_DIR / "extract.json").write_text(
        json.dumps({"results": results, "warm_up_seconds": warm_up, "loadavg": load}, indent=2) + "\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
