"""The PCI overview of a top-30 year (reviewer's case, PCI 2023): every province with a score or a
rank is listed with it, and the notes count what they say."""

from __future__ import annotations

import pandas as pd

from analysis import provinces
from analysis.national import overview, pagefacts

YEAR = 2023
PAGE_NOTE = (
    "PCI of provinces (pcivietnam.vn, profile page, snapshot 2023-2024) (page snapshot (undated in store))"
)


def _code(name: str) -> str:
    return provinces.resolve(name, YEAR).province.code


def _row(name: str, key: str, value: float, note: str = "a press top list") -> dict:
    p = provinces.resolve(name, YEAR).province
    return {
        "province_code": p.code,
        "province_name": p.name,
        "regime": "63",
        "year": YEAR,
        "indicator": key,
        "value": float(value),
        "unit": "rank" if key.endswith("_rank") else "score",
        "qualifier": "exact",
        "source": "test sheet",
        "source_ref": "test.csv:row 1",
        "note": note,
        "precision": 2,
        "period": str(YEAR),
        "period_kind": "year",
    }


def _frame() -> pd.DataFrame:
    rows = []
    for rank, (name, score) in enumerate(
        [("Quảng Ninh", 71.25), ("Long An", 70.94), ("Hải Phòng", 70.34)], 1
    ):
        rows += [_row(name, "pci", score), _row(name, "pci_rank", rank)]
    rows += [_row("Cần Thơ", "pci_rank", 14)]  # a rank without its score
    # the publisher's own province page, a web page's snapshot: no snapshot of the index
    rows += [_row("Thanh Hóa", "pci", 66.79, PAGE_NOTE), _row("Thanh Hóa", "pci_rank", 30, PAGE_NOTE)]
    rows += [_row("Nghệ An", "pci", 65.72), _row("Nghệ An", "pci_rank", 44)]  # the province's own release
    rows += [_row("Điện Biên", "pci_rank", 32)]
    rows += [_row("Lào Cai", "pci", 67.38)]  # no rank: bounded by its neighbours (4–29)
    return pd.DataFrame(rows)


def test_a_top_30_year_lists_every_province_held_and_counts_only_the_top_30_as_its_part() -> None:
    table = overview.index_table(_frame(), YEAR, "pci")
    view = overview._view(table, "vi", set())
    shown = [r["name"] for r in view["rows"]]
    missing = {m["name"] for m in view["missing"]}
    assert "Thanh Hóa" in shown and "Thanh Hóa" not in missing
    th = next(r for r in view["rows"] if r["name"] == "Thanh Hóa")
    assert th["rank"] == "30" and th["value"] == "66,79"
    assert len(shown) == 8 and len(missing) == 63 - 8
    assert pagefacts.top_n_split(table.rows, 30) == (6, 2, 0)  # Nghệ An 44th, Điện Biên 32nd outside
    text = " ".join(view["notes"])
    assert "mới có 6 tỉnh trong số đó" in text and "2 tỉnh, thành phố ngoài 30" in text
    assert "Chỉ 8/63" in text and view["n"] == 8
    en = " ".join(overview._view(table, "en", set())["notes"])
    assert "holds 6 of them" in en and "2 province(s) outside the top 30" in en


def test_the_audit_check_finds_a_province_with_a_figure_listed_as_no_data() -> None:
    frame = _frame()
    table = overview.index_table(frame, YEAR, "pci")
    assert pagefacts.check_overview(frame, table) == []
    # the table as it was built before: Thanh Hóa's rows dropped as if they were a snapshot of the index
    rows = table.rows.copy()
    th = rows["code"] == _code("Thanh Hóa")
    rows.loc[th, "value"], rows.loc[th, "rank"] = pd.NA, pd.NA
    broken = overview.IndexTable(table.key, table.year, table.regime, rows, table.prev_year, table.comparable)
    (found,) = pagefacts.check_overview(frame, broken)
    assert "Thanh Hóa" in found and "pci 2023" in found
