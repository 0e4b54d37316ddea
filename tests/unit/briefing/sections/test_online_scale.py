"""Counts keep their source's magnitude word (issue #16 review, Nghệ An 2024): the Đề án 06 review
says "hơn 02 triệu tài khoản định danh điện tử" and "trên 3,1 triệu thuê bao di động"; the briefing
printed "trên 2.000.000" and "trên 3.100.000", digits the source never gave. The table, the summary's
sentences and the audit's check all print through `online.said_value`, one rule; a count the source
wrote in full digits (Lào Cai's "gần 50.000 lượt hồ sơ") stays as it was."""

from __future__ import annotations

import pytest

from analysis import provinces
from analysis.briefing.core import compute, read_figures
from analysis.briefing.sections import online

SAID = {
    "vi": {
        "vneid_accounts_activated": "trên 2 triệu",
        "mobile_subscriptions": "trên 3,1 triệu",
        "population_records_cleaned": "trên 4,57 triệu",
        "public_services_count": "1.923",
    },
    "en": {
        "vneid_accounts_activated": "over 2 million",
        "mobile_subscriptions": "over 3.1 million",
        "population_records_cleaned": "over 4.57 million",
        "public_services_count": "1,923",
    },
}


def _plain(text: str) -> str:
    """The text as read (a no-break space keeps "3,1 triệu" on one line of a narrow column)."""
    return text.replace("\u00a0", " ")


@pytest.fixture(scope="module")
def figures(shipped_clean_dir):
    return read_figures(shipped_clean_dir)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_nghe_an_2024_counts_in_millions_print_as_the_source_wrote_them(figures, lang) -> None:
    b = compute(figures, provinces.resolve("Nghệ An", 2024).province, 2024, lang)
    result = b.results["online"]
    said = {r.indicator: _plain(online.value_text(r, lang)) for r in result.itertuples(index=False)}
    for key, text in SAID[lang].items():
        assert said[key] == text, key
    html = _plain(online.table_html(result, b.ctx))
    assert "3.100.000" not in html and "3,100,000" not in html and SAID[lang]["mobile_subscriptions"] in html
    assert online.check_said(result, lang) == []
    number = {"vi": "3,1", "en": "3.1"}[lang]
    assert f"{number}\u00a0{SAID[lang]['mobile_subscriptions'].split()[-1]}" in online.table_html(
        result, b.ctx
    )


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_count_given_in_full_digits_keeps_them(figures, lang) -> None:
    b = compute(figures, provinces.resolve("Lào Cai", 2024).province, 2024, lang)
    (row,) = [
        r
        for r in b.results["online"].itertuples(index=False)
        if r.indicator == "procedures_time_cut_dossiers"
    ]
    assert _plain(online.value_text(row, lang)) == {"vi": "gần 50.000", "en": "nearly 50,000"}[lang]


def test_the_audit_flags_a_printer_that_drops_the_magnitude_word(figures) -> None:
    b = compute(figures, provinces.resolve("Nghệ An", 2024).province, 2024, "vi")
    from analysis.briefing.fmt import fmt_value

    def digits(r, lang):  # the old printer: every digit of the stored value
        return fmt_value(r.value, r.indicator, lang, precision=0)

    found = online.check_said(b.results["online"], "vi", said=digits)
    assert any("mobile_subscriptions" in m and "triệu" in m for m in found), found
