"""scripts/make_research_sheet.py rewrites the research sheets from the shared research file: a row
an analyst added by hand to a written sheet (its note says so) survives the rewrite."""

from __future__ import annotations

import csv
import json

from sheet_files import load_script

HEADER = ["province", "year", "indicator", "value", "unit", "source_url", "note"]


def _script():
    return load_script("make_research_sheet")


def _rows(path):
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_a_row_added_by_hand_survives_a_rewrite_with_its_record(tmp_path, monkeypatch):
    script = _script()
    src, out = tmp_path / "figures.csv", tmp_path / "figures_out"
    out.mkdir()
    with src.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        url = "https://bao.example.vn/a"
        w.writerow(["Yên Bái", "2022", "pci", "64.1", "points (0-100)", url, "named province"])
    hand = {
        "province": "Yên Bái",
        "year": "2022",
        "indicator": "pci_rank_change",
        "value": "2",
        "unit": "count",
        "source": "https://bao.example.vn/a",
        "note": "the article states the change of rank, added by hand from the article",
        "period": "",
    }
    with (out / "research_press.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(hand))
        w.writeheader()
        w.writerow(hand)
    why = {"a change of rank as its source states it": 1}
    (out / "research_press.meta.json").write_text(json.dumps({"rows_added_by_hand": why}), encoding="utf-8")
    monkeypatch.setattr(script, "SRC", src)
    monkeypatch.setattr(script, "OUT_DIR", out)
    assert script.main() == 0
    rows = _rows(out / "research_press.csv")
    assert [r["indicator"] for r in rows] == ["pci", "pci_rank_change"]  # written, then kept by hand
    assert rows[1] == hand
    meta = json.loads((out / "research_press.meta.json").read_text(encoding="utf-8"))
    assert meta["rows_added_by_hand"] == why and meta["rows_written"] == 2
