"""The analyst's review of the five report texts: the shipped sheet of accepted figures is what the
project's own workflow (`analysis extract` → review in data/raw/reports/accepted.csv → `analysis
accept`) gives, every candidate has a decision with its reason, and a reviewer's correction of a
proposed label reaches the sheet."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from analysis import config
from analysis.extract.core import accept_to_sheet, extract_to_csv
from analysis.extract.review import apply_decisions

TEXTS = sorted(config.CORPUS_DIR.glob("00[0-4]_*.txt"))
DECISIONS = config.RAW_DIR / "reports" / "accepted.csv"
SHEET = config.FIGURES_DIR / "extracted_reports.csv"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.skipif(len(TEXTS) < 5, reason="../shared/corpus/reports is not on this machine")
def test_the_shipped_sheet_is_what_the_workflow_gives(tmp_path) -> None:
    candidates = tmp_path / "reports.csv"
    extract_to_csv(TEXTS, candidates)
    decided = {(r["source"], r["start"], r["end"]): r for r in _rows(DECISIONS)}
    found = {(r["source"], r["start"], r["end"]) for r in _rows(candidates)}
    assert found == set(decided), "every candidate of the five texts has a decision, and only those"
    assert all(r["accept"] in ("yes", "no") and r["reason"].strip() for r in decided.values())
    out = tmp_path / "figures"
    accept_to_sheet(candidates, out, DECISIONS)
    assert _rows(out / "extracted_reports.csv") == _rows(SHEET)


def test_shipped_sheet_holds_the_review_of_texts_003_good_and_bad() -> None:
    rows = {(r["indicator"], r["year"]): r for r in _rows(SHEET)}
    assert rows[("de_an_06_tasks_not_done", "2024")]["value"] == "13"  # accepted as plainly as a result
    assert rows[("de_an_06_tasks_total", "2024")]["value"] == "53"
    assert rows[("idx766_rank_change", "2024")]["value"] == "18"
    assert rows[("vneid_accounts_activated", "2024")]["qualifier"] == "over"
    assert rows[("social_insurance_unemployment_via_account_rate", "2024")]["value"] == "98.55"  # its scope
    assert rows[("de_an_06_tasks_done", "2025")]["period"] == "2022-2025"  # not a 2025 count
    assert "mỗi năm" in rows[("compliance_cost_saving", "2025")]["note"]
    assert rows[("online_payment_rate", "2024")]["qualifier"] == "nearly"  # "gần 75%"
    # the first accepted figures survive, values as they were
    assert rows[("par_tasks_done", "2024")]["value"] == rows[("par_tasks_total", "2024")]["value"] == "40"
    assert len([r for r in rows.values() if r["source"].startswith("00")]) == len(rows)


def test_a_decision_corrects_the_proposed_labels(tmp_path) -> None:
    rows = [
        {"source": "t.txt", "start": "5", "end": "9", "indicator": "", "year": "2024", "period": "2024"},
        {"source": "t.txt", "start": "20", "end": "22", "indicator": "pci", "year": "2024", "period": ""},
    ]
    decisions = [
        {
            "source": "t.txt",
            "start": "5",
            "end": "9",
            "accept": "yes",
            "indicator": "pension_via_account_rate",
        },
        {
            "source": "t.txt",
            "start": "20",
            "end": "22",
            "accept": "yes",
            "year": "2025",
            "period": "2022-2025",
        },
        {"source": "t.txt", "start": "30", "end": "32", "accept": "no"},
    ]
    warnings = apply_decisions(rows, decisions, tmp_path / "d.csv")
    assert rows[0]["indicator"] == "pension_via_account_rate" and rows[0]["year"] == "2024"
    assert (rows[1]["indicator"], rows[1]["year"], rows[1]["period"]) == ("pci", "2025", "2022-2025")
    assert warnings == ["decision for t.txt chars 30-32 matches no candidate"]
