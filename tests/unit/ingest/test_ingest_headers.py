"""Publisher headers matched by meaning: a workbook of a year we have not shipped names its composite
column a little differently (an article, the word for score, another word order) and is still read;
a title that still matches nothing is reported as not imported."""

from __future__ import annotations

import pytest

from analysis.ingest.names import match_header, meaning_key
from analysis.ingest.workbook import ingest_workbook
from workbooks import NEW_PROVINCES, write_xlsx


def reworded(year: int) -> list[list[object]]:
    """A PCI summary whose composite and rank titles are worded as no shipped year words them."""
    head_en = [
        "No",
        "Province",
        "Entry Costs",
        "Land Access",
        f"The PCI Weighted Score {year}",
        "Ranking",
        "Business sentiment",
    ]
    head_vi = ["STT", "Tỉnh, thành phố", "Gia nhập thị trường", "Tiếp cận đất đai",
               f"Điểm số PCI có trọng số năm {year}", "Thứ hạng PCI", "Niềm tin kinh doanh"]  # fmt: skip
    rows: list[list[object]] = [[f"Bảng xếp hạng PCI {year}"], head_en, head_vi]
    for k, name in enumerate(NEW_PROVINCES):
        rows.append([k + 1, name, 7.0 - k / 10, 6.5 - k / 20, 71.0 - k, k + 1, 3.0 + k / 10])
    return rows


def test_a_reworded_composite_is_read_and_the_unknown_column_reported(tmp_path) -> None:
    path = write_xlsx(tmp_path / "pci_2031.xlsx", {"Tổng hợp": reworded(2031)})
    res = ingest_workbook(path)
    assert res.years == [2031]
    pci = res.rows[res.rows["indicator"] == "pci"].set_index("province")["value"]
    assert len(pci) == len(NEW_PROVINCES) and pci.loc["Tuyên Quang"] == 68.0
    assert set(res.rows["indicator"]) == {"pci", "pci_rank", "pci_entry_costs", "pci_land_access"}
    loud = [n for n in res.not_imported if not n.explained]
    assert [n.header for n in loud] == ["Business sentiment / Niềm tin kinh doanh"]


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("The Weighted PCI Score 2031", "pci"),
        ("weighted pci INDEX", "pci"),
        ("PCI weighted", "pci"),
        ("Điểm số PCI có trọng số năm 2031", "pci"),
        ("Diem so PCI co trong so", "pci"),  # no diacritics
        ("The unweighted PCI score", "-"),  # known and left out on purpose: still not the composite
        ("Business sentiment 2031", None),
    ],
)
def test_titles_match_by_their_meaning_words(title: str, key: str | None) -> None:
    assert match_header(title, "PCI") == key


def test_the_meaning_key_ignores_case_articles_score_words_order_and_diacritics() -> None:
    assert meaning_key("The Weighted PCI Score in 2017") == meaning_key("pci WEIGHTED") == "pci weighted"
    assert meaning_key("Chỉ số PCI có trọng số") == meaning_key("chi so pci co trong so")
    assert meaning_key("PCI chưa có trọng số") != meaning_key("PCI có trọng số")  # "chưa" changes it
