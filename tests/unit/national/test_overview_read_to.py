"""The overview's note on computed ranks says up to when the publisher's ranks were read: to the end
of the rule book's horizon, or to the data's cut-off when that comes first (issue #16 review: a 2025
page built on 2026-12-05 cannot say it read 2026's sources to the year's end)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import provinces
from analysis.citations import Citations
from analysis.national import overview

YEAR = 2024


def _frame() -> pd.DataFrame:
    rows = []
    for i, p in enumerate(provinces.all_provinces("63")):
        base = {"province_code": p.code, "province_name": p.name, "regime": "63", "year": YEAR}
        base |= {"qualifier": "exact", "source": "test sheet", "source_ref": "test.csv:row 1", "note": ""}
        base |= {"precision": 4, "period": str(YEAR), "period_kind": "year"}
        rows.append(base | {"indicator": "dti", "value": 0.9 - i / 100, "unit": "score"})
        if i < 2:  # the press names the first two ranks: the publisher's, held
            rows.append(base | {"indicator": "dti_rank", "value": float(i + 1), "unit": "rank"})
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    ("cutoff", "vi", "en"),
    [
        ("2025-06-30", "đến 2025-06-30 ghi", "up to 2025-06-30 are"),
        ("2026-12-05", "đến hết năm 2025 ghi", "up to the end of 2025 are"),
    ],
)
def test_the_computed_rank_note_reads_to_the_horizon_or_the_cut_off(
    monkeypatch: pytest.MonkeyPatch, cutoff: str, vi: str, en: str
) -> None:
    monkeypatch.setattr(Citations, "cutoff", lambda self: cutoff)
    table = overview.index_table(_frame(), YEAR, "dti")
    notes = {lang: " ".join(overview._view(table, lang, set())["notes"]) for lang in ("vi", "en")}
    assert vi in notes["vi"] and en in notes["en"]
