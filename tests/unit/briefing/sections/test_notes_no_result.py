"""Review (issue #16): Phú Thọ's 2025 briefing showed Vĩnh Phúc's PAPI 2023 beside Hòa Bình's and Phú
Thọ's 2024 figures with nothing to say why; a reader takes it for a gap in our data, while PAPI 2024
released no result for Vĩnh Phúc. A province shown with an earlier PAPI figure because the publisher
released none for it says so (the rule book's `no_result`, data/no_result.csv); a province with the
edition's figure does not."""

from __future__ import annotations

import html
import re

import pytest

from analysis import provinces
from analysis.briefing.core import compute, read_figures


@pytest.fixture(scope="module")
def figures(shipped_clean_dir):
    return read_figures(shipped_clean_dir)


def _said(figures, name: str, year: int, lang: str) -> list[str]:
    notes = html.unescape(compute(figures, provinces.resolve(name, year).province, year, lang).html("notes"))
    return [
        li
        for li in re.findall(r"<li>(.*?)</li>", notes)
        if "no result" in li or "không công bố kết quả" in li
    ]


@pytest.mark.parametrize(
    ("name", "year", "lang", "said"),
    [
        ("Phú Thọ", 2025, "vi", "PAPI 2024: nhà xuất bản không công bố kết quả cho Vĩnh Phúc."),
        ("Phú Thọ", 2025, "en", "PAPI 2024: the publisher released no result for Vinh Phuc."),
        ("Quảng Ninh", 2023, "vi", "PAPI 2023: nhà xuất bản không công bố kết quả cho Quảng Ninh."),
    ],
)
def test_an_earlier_papi_figure_says_the_publisher_released_none(figures, name, year, lang, said) -> None:
    assert _said(figures, name, year, lang) == [said]


@pytest.mark.parametrize(("name", "year"), [("Quảng Ninh", 2024), ("Hòa Bình", 2024), ("Nghệ An", 2025)])
def test_a_province_with_the_editions_figure_says_nothing_of_it(figures, name, year) -> None:
    assert _said(figures, name, year, "vi") == []


def test_a_briefing_before_the_edition_was_published_says_nothing_of_it(figures) -> None:
    # PAPI 2023 (no result for Bình Dương) came out in 2024: the 2022 briefing cannot know of it
    assert _said(figures, "Bình Dương", 2022, "vi") == []
