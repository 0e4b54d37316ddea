"""Nghệ An's online-services table (issue #16 review): each label says what its source's figure
covers, no narrower and no wider. The 2024 Đề án 06 review counts social-insurance *and
unemployment* benefits, and pensions *and monthly allowances*, in its two "paid to accounts"
shares; the 2025 review gives an *average* cut in processing time. The rows carry indicators named
for exactly that scope, and the section prints those names."""

from __future__ import annotations

import csv
import re

import pytest

from analysis import config, indicators, provinces
from analysis.briefing.core import compute, read_figures

SHEET = config.FIGURES_DIR / "extracted_reports.csv"
# (report, year, indicator, value, words the source's clause has, in the label of each language)
CASES = [
    ("003", 2024, "social_insurance_unemployment_via_account_rate", 98.55, ["thất nghiệp"], ["unemployment"]),
    ("003", 2024, "pension_monthly_allowance_via_account_rate", 92.3, ["hàng tháng"], ["monthly"]),
    ("000", 2025, "procedures_time_cut_avg_rate", 35, ["bình quân"], ["Average"]),
]
SCOPE_VI = {
    "thất nghiệp": r"thất nghiệp",
    "hàng tháng": r"h[àằ]ng tháng",
    "bình quân": r"bình quân|trung bình",
}


def _sheet() -> list[dict[str, str]]:
    with SHEET.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize(("report", "year", "key", "value", "vi", "en"), CASES)
def test_each_row_of_the_sheet_names_its_figures_whole_scope(report, year, key, value, vi, en) -> None:
    (row,) = [r for r in _sheet() if r["source"].startswith(report) and r["indicator"] == key]
    assert (int(row["year"]), float(row["value"])) == (year, value)
    ind = indicators.get(key)
    for word in vi:
        assert re.search(SCOPE_VI[word], ind.name("vi")), ind.name("vi")
    for word in en:
        assert word in ind.name("en"), ind.name("en")


@pytest.mark.parametrize(("report", "year", "key", "value", "vi", "en"), CASES)
def test_the_scope_words_are_the_sources_own(report, year, key, value, vi, en) -> None:
    """The words the labels carry are in the source's clause around the figure (not our invention)."""
    texts = sorted(config.CORPUS_DIR.glob(f"{report}_*.txt"))
    if not texts:
        pytest.skip("../shared/corpus/reports is not on this machine")
    (row,) = [r for r in _sheet() if r["source"].startswith(report) and r["indicator"] == key]
    start, end = (int(n) for n in re.search(r"chars (\d+)-(\d+)", row["note"]).groups())
    text = texts[0].read_text(encoding="utf-8")
    clause = text[max(0, start - 40) : end + 90]
    for word in vi:
        assert re.search(SCOPE_VI[word], clause), (key, clause)


def test_the_narrow_labels_are_not_on_these_figures(shipped_clean_dir) -> None:
    """The briefing's online table prints the scoped names, never the narrower ones."""
    from analysis.briefing.sections import online

    df = read_figures(shipped_clean_dir)
    for year, wanted, narrow in (
        (2024, {CASES[0][2], CASES[1][2]}, {"social_benefit_via_account_rate", "pension_via_account_rate"}),
        (2025, {CASES[2][2]}, {"procedures_time_cut_rate"}),
    ):
        province = provinces.resolve("Nghệ An", year).province
        for lang in ("vi", "en"):
            b = compute(df, province, year, lang)
            keys = set(b.results["online"]["indicator"])
            assert wanted <= keys and not keys & narrow, (year, keys)
            html = online.html(b.results["online"], b.ctx)
            for key in wanted:
                assert indicators.get(key).name(lang) in html, key


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_longer_labels_do_not_run_into_each_other(shipped_clean_dir, lang, monkeypatch) -> None:
    """The scoped names are long; no label runs into its neighbour's (the English chart of Nghệ An
    2024 printed the two "paid to accounts" labels over each other), and the chart stays short enough
    to print at its size (print.css shrinks a figure taller than 80 mm)."""
    from analysis.briefing import draw
    from analysis.briefing.sections import online

    figures = []
    real = draw.to_svg
    monkeypatch.setattr(draw, "to_svg", lambda fig: figures.append(fig) or real(fig))
    b = compute(read_figures(shipped_clean_dir), provinces.resolve("Nghệ An", 2024).province, 2024, lang)
    assert online.online_svg(b.results["online"], lang, "Nghệ An")
    (fig,) = figures
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert max(label.count("\n") for label in labels) >= 1  # long labels wrap
    assert draw.clashes(fig) == []
    assert fig.get_figheight() * 25.4 * 7 / 8 <= 80  # printed at 7/8 of its size or more
