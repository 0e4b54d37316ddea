"""Issue #16 review: the 2025 briefings of the 34 provinces never said that DTI 2024 was published for
them (the Ministry of Science and Technology's recomputation for the 34, announced 2025-10-21) while
our data holds only the 63-province series. The lead's "not yet published / not held" part says so,
with its source; briefings of the 63 provinces do not."""

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
    ("lang", "said"),
    [
        (
            "vi",
            "DTI 2024 của 34 tỉnh mới (Bộ KH&CN công bố 2025-10-21; nguồn: Dân trí): chưa có trong dữ liệu.",
        ),
        (
            "en",
            "DTI 2024 for the 34 new provinces (published by the Ministry of Science and Technology on "
            "2025-10-21; source: Dan Tri, dantri.com.vn): not yet in our data.",
        ),
    ],
)
def test_a_2025_briefing_says_dti_2024_for_the_34_is_not_held(lang: str, said: str) -> None:
    lead = html.unescape(compute(ROWS, NEW, 2025, lang).html("title"))
    assert said in lead
    # in the part on what is not yet published or held: after it, before the former provinces
    not_yet = "Chưa tìm thấy số liệu công bố năm 2025" if lang == "vi" else "No published 2025 figure"
    assert lead.index(not_yet) < lead.index(said[:20])


def test_a_briefing_of_the_63_provinces_does_not() -> None:
    lead = compute(ROWS, OLD, 2024, "vi").html("title")
    assert "tỉnh, thành phố mới" not in lead and "dantri" not in lead
