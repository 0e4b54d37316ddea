"""End to end: the figures of the report texts and the recent sources in real briefings, checked in
the HTML and in the PDF text — Nghệ An 2024 (its Project 06 review: 13 of 53 tasks not completed,
shown as plainly as a result; 1.923 services; the Decision 766 index up 18 places), Nghệ An 2023
(PAR Index 15th, SIPAS 12th, PCI 65,72 and 44th as the province announced them) and Lào Cai 2024
("gần 75 %" stays nearly, "trên 80 %" over)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefing_pages import in_both, pages

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(shipped_briefings) -> Path:
    return shipped_briefings


def _pages(out: Path, name: str, year: int) -> tuple[str, str]:
    html_text, pdf_text, _ = pages(out, name, year, "vi")
    return html_text, pdf_text


_in_both = in_both


def test_nghe_an_2024_shows_its_project_06_review_good_and_bad(built) -> None:
    html_text, pdf_text = _pages(built, "Nghệ An", 2024)
    _in_both("Số nhiệm vụ Đề án 06 chưa hoàn thành", html_text, pdf_text)
    _in_both("13/53", html_text, pdf_text)  # the shortfall, in the same form as "40/40"
    _in_both("40/40", html_text, pdf_text)
    _in_both("1.923", html_text, pdf_text)  # online public services offered
    _in_both(
        re.compile(r"chỉ số phục vụ \(QĐ 766\) so với năm trước \(bậc\)\s*\|?\s*tăng 18 bậc\b"),
        html_text,
        pdf_text,
    )
    # "hơn 02 triệu": over, not exact, in its magnitude word (never digits the source did not give)
    _in_both(re.compile(r"trên 2\s+triệu"), html_text, pdf_text)
    _in_both(re.compile(r"trên 3,1\s+triệu"), html_text, pdf_text)  # "trên 3,1 triệu thuê bao"
    assert "2.000.000" not in html_text and "3.100.000" not in html_text
    # labels as wide as their source's figures (the review: "and unemployment benefit", "monthly")
    _in_both(
        "Tỷ lệ người hưởng chế độ BHXH, trợ cấp thất nghiệp nhận chi trả qua tài khoản", html_text, pdf_text
    )
    _in_both(
        "Tỷ lệ người nhận lương hưu, trợ cấp BHXH hàng tháng nhận chi trả qua tài khoản", html_text, pdf_text
    )
    _in_both("Số thuê bao di động trên 100 dân", html_text, pdf_text)  # every accepted figure is listed
    assert "003_016e6a5699ec1371" not in html_text  # the report is cited, not our file name
    _in_both("Nghệ An tổng kết Đề án 06 năm 2024", html_text, pdf_text)  # the report's title, cited
    _in_both(re.compile(r"trên 4,57\s+triệu"), html_text, pdf_text)  # "trên 4,57 triệu", as written
    assert "4.570.000,00" not in html_text and "3.100.000,0" not in html_text


def test_nghe_an_2023_leads_with_its_2023_results(built) -> None:
    html_text, pdf_text = _pages(built, "Nghệ An", 2023)
    _in_both("65,72", html_text, pdf_text)  # PCI 2023 as the province announced it
    _in_both("44/63", html_text, pdf_text)
    _in_both("15/63", html_text, pdf_text)  # PAR Index 2023
    _in_both("12/63", html_text, pdf_text)  # SIPAS 2023
    _in_both("UBND tỉnh Nghệ An (tỉnh tự công bố kết quả PCI của VCCI)", html_text, pdf_text)  # cited as such
    # 44th is outside the 30 VCCI published: the briefing must not say it is among them
    assert "trong 30 tỉnh đứng đầu được công bố năm 2023" not in html_text


def test_lao_cai_2024_keeps_its_report_qualifiers(built) -> None:
    html_text, pdf_text = _pages(built, "Lào Cai", 2024)
    _in_both(re.compile(r"gần 75"), html_text, pdf_text)  # "gần 75%": nearly, not "about"
    _in_both(re.compile(r"trên 80"), html_text, pdf_text)
