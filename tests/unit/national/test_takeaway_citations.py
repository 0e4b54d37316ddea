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


def test_the_csv_carries_each_press_address_the_comparison_list_only_names(table) -> None:
    """The notes name the press sites of other provinces' figures ("báo chí và cổng thông tin (8 trang:
    …)") and their lead line says each article's address is in the CSV: it is, row by row."""
    from analysis import provinces
    from analysis.briefing import core, metrics
    from analysis.briefing.sections import notes

    b = core.compute(table, provinces.get(NGHE_AN, "63"), 2024, "vi")
    html = notes.html(b.results["notes"], b.ctx)
    assert "địa chỉ từng bài báo: tệp CSV" in html
    rows = b.rows["notes"]
    used = metrics.cells(rows, notes.used_cells(b.ctx, {n: b.results[n] for n in notes.NEEDS}))
    others = used[~used.index.isin(metrics.own_rows(rows, b.ctx.scope).index)]
    cites = Citations.load()
    listed = {cites.cite(s, "", int(y)) for s, y in zip(others["source"], others["year"], strict=True)}
    press = {c.url for c in listed if c.source_quality == "press" and c.url}
    assert len(press) > 10  # the case: dozens of articles behind a few named sites
    f = takeaway.takeaway_frame(table, NGHE_AN, "63", "vi", cites, year=2024)
    comparison = f[f["role"] == "nguồn so sánh (tỉnh khác)"]
    assert press <= set(comparison["url"]) and (comparison["province_code"] != NGHE_AN).all()
    assert f.iloc[0]["role"] == "số liệu của tỉnh"  # the province's own figures first
