"""The take-away CSV cites as the page does (issue #16 review): a figure read from a copy of its
publisher's table says "bản sao trên github.com" with both addresses, and each DTI edition names its
own publisher (no Ministry of Science and Technology in a 2023 CSV)."""

from __future__ import annotations

import pytest

from analysis.citations import Citations
from analysis.national import takeaway

NGHE_AN = "40"


@pytest.fixture(scope="module")
def table(shipped_clean_dir):
    from analysis.briefing.core import read_figures

    return read_figures(shipped_clean_dir)


def test_a_copied_tables_figure_says_copy_and_carries_both_addresses(table) -> None:
    f = takeaway.takeaway_frame(table, NGHE_AN, "63", "vi", Citations.load(), year=2024)
    dti = f[f["indicator"] == "dti"]
    assert len(dti) == 3  # DTI 2022-2024, read from a GitHub copy of the ministry's table
    assert dti["citation"].str.contains("bản sao trên github.com", regex=False).all()
    assert dti["url"].str.startswith("https://github.com/").all()
    assert dti["original_url"].str.startswith("https://dti.gov.vn/").all()
    papi = f[(f["indicator"] == "papi") & (f["year"] == 2016)].iloc[0]  # a publisher's workbook, copied
    assert "github.com" in papi["url"] and papi["original_url"] == "https://papi.org.vn"


def test_each_dti_edition_names_its_publisher_and_a_2023_csv_never_names_most(table) -> None:
    cites = Citations.load()
    f24 = takeaway.takeaway_frame(table, NGHE_AN, "63", "vi", cites, year=2024).set_index(
        ["indicator", "year"]
    )
    assert f24.loc[("dti", 2023), "citation"].startswith("Bộ Thông tin và Truyền thông (DTI)")
    assert f24.loc[("dti", 2024), "citation"].startswith("Bộ Khoa học và Công nghệ (DTI)")
    f23 = takeaway.takeaway_frame(table, NGHE_AN, "63", "en", cites, year=2023)
    assert len(f23[f23["indicator"] == "dti"]) == 2
    assert not f23["citation"].str.contains("Science and Technology", regex=False).any()
