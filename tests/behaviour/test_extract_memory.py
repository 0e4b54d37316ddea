"""`analysis extract` on one long "sentence" (a table a PDF converter flattened into one line): memory
and output grow with the text, not with its square. Measured structurally (how many times the long
sentence is held or written), so the test does not depend on the machine; benchmarks/bench_extract_memory.py
measures the peak memory of a 1 MB line."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from analysis.extract.figures import LONG_SENTENCE, extract_to_csv, find_figures

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_extract_memory import one_line_table


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_figures_of_one_sentence_share_one_string():
    text = one_line_table(20_000)
    found = find_figures(text, "bang.txt")
    assert len(found) > 300
    assert len({id(c.sentence) for c in found}) == 1  # one sentence, held once
    assert len(found[0].sentence) > 19_000
    for c in found:  # each figure still shows where it sits
        assert len(c.excerpt) <= 2 * 160 + len(c.text) + 4 and c.text in c.excerpt


def test_candidates_csv_writes_a_long_sentence_once_and_grows_linearly(tmp_path, capsys):
    sizes = {}
    for n in (20_000, 80_000):
        src = tmp_path / f"bang_{n}.txt"
        src.write_text(one_line_table(n), encoding="utf-8")
        out = tmp_path / f"candidates_{n}.csv"
        assert extract_to_csv([src], out) == 0
        rows = _rows(out)
        full = [r["sentence"] for r in rows if len(r["sentence"]) > LONG_SENTENCE]
        assert len(full) == 1, "the long sentence is written at its first figure only"
        assert all(r["text"] in r["sentence"] for r in rows)  # each row shows its own figure
        sizes[n] = out.stat().st_size
    # 4x the text: about 4x the file (quadratic output made it 16x)
    assert sizes[80_000] / sizes[20_000] < 5, sizes


def test_short_sentences_are_written_in_full_on_every_row(tmp_path, capsys):
    src = tmp_path / "bao_cao.txt"
    src.write_text(
        "Năm 2024, tỉnh Nghệ An tiếp nhận 1.234 hồ sơ, trong đó 97,5% được giải quyết đúng hạn.\n",
        encoding="utf-8",
    )
    out = tmp_path / "c.csv"
    extract_to_csv([src], out)
    rows = _rows(out)
    assert len(rows) == 2 and rows[0]["sentence"] == rows[1]["sentence"]
    assert rows[0]["sentence"].startswith("Năm 2024")
