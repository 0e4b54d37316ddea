"""Precision/recall of `analysis extract` on the corpus texts against the hand-read figures.

Usage: python scripts/extract_scores.py [--markdown]
Expected figures: tests/data/extract_expected/<stem>.csv (read by hand, not produced by the extractor).
"""

from __future__ import annotations

import csv
import sys

from analysis import config
from analysis.extract.figures import find_figures, read_text
from analysis.extract.scoring import SCORED_FIELDS, Score, score

EXPECTED_DIR = config.ROOT / "tests" / "data" / "extract_expected"


def scores() -> list[tuple[str, Score]]:
    out = []
    for expected_csv in sorted(EXPECTED_DIR.glob("*.csv")):
        if expected_csv.name.endswith(".nonfigures.csv"):
            continue
        text_path = config.CORPUS_DIR / f"{expected_csv.stem}.txt"
        if not text_path.exists():
            continue
        with expected_csv.open(encoding="utf-8", newline="") as fh:
            expected = list(csv.DictReader(fh))
        out.append((text_path.name, score(find_figures(read_text(text_path), text_path.name), expected)))
    return out


def main() -> int:
    rows = scores()
    if not rows:
        print(f"no corpus texts found in {config.CORPUS_DIR}", file=sys.stderr)
        return 1
    total = Score(
        expected=sum(s.expected for _, s in rows),
        found=sum(s.found for _, s in rows),
        matched=sum(s.matched for _, s in rows),
        agree={f: sum(s.agree[f] for _, s in rows) for f in SCORED_FIELDS},
    )
    head = ["text", "expected", "found", "matched", "precision", "recall", *SCORED_FIELDS]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for name, s in [*rows, ("all", total)]:
        cells = [name, s.expected, s.found, s.matched, f"{s.precision:.3f}", f"{s.recall:.3f}"]
        cells += [f"{s.agree[f]}/{s.matched}" for f in SCORED_FIELDS]
        print("| " + " | ".join(map(str, cells)) + " |")
    print("\nmatched on (start, end, value); the attribute columns count matched figures that agree.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
