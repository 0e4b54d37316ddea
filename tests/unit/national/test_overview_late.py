"""Issue #16 review: the 2023 overview lists Long An under "no data" for SIPAS while the 2024 overview
computes "+4,05" against Long An's 2023 value, which comes from a 2025 article (past the 2023 page's
horizon). The 2024 page's notes say so for the change column, naming the province."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import provinces
from analysis.national import overview
from briefing_fixtures import figure_row

LONG_AN = provinces.resolve("Long An", 2024).province
HA_NOI = provinces.resolve("Hà Nội", 2024).province
LATE = "Báo tỉnh: kết quả SIPAS 2024 của tỉnh (2025-03); named province"


def _frame() -> pd.DataFrame:
    rows = [
        figure_row(HA_NOI, "sipas", 2023, 80.1, 2, "Bộ Nội vụ, SIPAS 2023"),
        figure_row(HA_NOI, "sipas", 2024, 81.0, 2, "Bộ Nội vụ, SIPAS 2024"),
        figure_row(LONG_AN, "sipas", 2024, 82.71, 2, "https://example.org/long-an-sipas-2024"),
        figure_row(LONG_AN, "sipas", 2023, 78.66, 2, "https://example.org/long-an-sipas-2024"),
    ]
    for r in rows:
        if r["province_code"] == LONG_AN.code:
            r["note"] = LATE
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("vi", "Thay đổi so với 2023 của Long An: giá trị năm 2023 lấy từ nguồn đăng sau năm 2024"),
        ("en", "Change since 2023 for Long An: the 2023 value comes from a source published after 2024"),
    ],
)
def test_a_change_against_a_value_the_previous_page_lacked_is_explained(lang: str, said: str) -> None:
    df = _frame()
    before = overview.index_table(df, 2023, "sipas").rows
    assert before.loc[before["code"] == LONG_AN.code, "value"].isna().all()  # the 2023 page: no data
    table = overview.index_table(df, 2024, "sipas")
    rows = table.rows.set_index("code")
    assert round(float(rows.at[LONG_AN.code, "change"]), 2) == 4.05
    assert bool(rows.at[LONG_AN.code, "prev_late"]) and not bool(rows.at[HA_NOI.code, "prev_late"])
    notes = overview._view(table, lang, set())["notes"]
    late = [n for n in notes if said in n]
    assert len(late) == 1 and "Hà Nội" not in late[0] and "Ha Noi" not in late[0]


def test_no_such_note_when_every_previous_value_was_on_its_page() -> None:
    df = _frame()
    df["note"] = ""  # Long An's 2023 value known in time
    table = overview.index_table(df, 2024, "sipas")
    assert not table.rows["prev_late"].any()
    assert not any("Long An" in n for n in overview._view(table, "vi", set())["notes"])


def test_the_csv_marks_the_late_previous_value() -> None:
    table = overview.index_table(_frame(), 2024, "sipas")
    frame = overview.table_frame(table).set_index("province_code")
    assert bool(frame.at[LONG_AN.code, "previous_value_late"])
    assert not bool(frame.at[HA_NOI.code, "previous_value_late"])
