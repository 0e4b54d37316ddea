"""Issue #16 review: the 2025 briefings of the 34 provinces never said that DTI 2024 was published for
them (the Ministry of Science and Technology's recomputation for the 34, announced 2025-10-21) while
our data holds only the 63-province series. The data notes say so, with its source, right after what
the data lacks for the year; briefings of the 63 provinces do not. (The lead keeps its length: a line
there moves the print's page breaks, tests/e2e/test_print_layout.py.)"""

from __future__ import annotations

import html

import pandas as pd
import pytest

from analysis import provinces
from analysis.briefing.core import compute
from briefing_fixtures import figure_row

OLD = provinces.resolve("Lào Cai", 2024).province
NEW = provinces.resolve("Lào Cai", 2025).province
ROWS = pd.DataFrame([figure_row(OLD, "dti", 2024, 0.675, 3, "DTI 2024 (a copy of the ministry's table)")])


@pytest.mark.parametrize(
    ("lang", "said", "lacking"),
    [
        (
            "vi",
            "DTI 2024 cho 34 tỉnh, thành phố mới đã được Bộ Khoa học và Công nghệ công bố "
            "(2025-10-21; nguồn: Dân trí, dantri.com.vn), chưa có trong dữ liệu.",
            "cũng không có số liệu năm 2025",
        ),
        (
            "en",
            "DTI 2024 for the 34 new provinces was published by the Ministry of Science and Technology "
            "(2025-10-21; source: Dan Tri, dantri.com.vn), not yet in our data.",
            "Nor is there a 2025 figure",
        ),
    ],
)
def test_a_2025_briefing_says_dti_2024_for_the_34_is_not_held(lang: str, said: str, lacking: str) -> None:
    built = compute(ROWS, NEW, 2025, lang)
    notes = html.unescape(built.html("notes"))
    assert said in notes
    assert notes.index(lacking) < notes.index(said)  # with what the data lacks for the year
    assert said not in html.unescape(built.html("title"))


def test_a_briefing_of_the_63_provinces_does_not() -> None:
    notes = compute(ROWS, OLD, 2024, "vi").html("notes")
    assert "tỉnh, thành phố mới" not in notes and "dantri" not in notes
