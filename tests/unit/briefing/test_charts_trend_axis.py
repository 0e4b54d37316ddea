"""The trend panels end just after their data (issue #16 review): a long PCI panel ran about seven
years past its last point, the space kept for the latest rank's label; and four panels fit the
page (Đồng Nai and Hà Nội 2024: the 91 mm figure, shrunk to 80 mm, missed page 4 and left it
55-66 % full). The latest rank still stands where it fits (`draw.clashes`)."""

from __future__ import annotations

import pytest

from analysis import provinces
from analysis.briefing import draw
from analysis.briefing.core import compute, read_figures
from analysis.briefing.sections import trend as trend_section

# Of axis right of a long panel's last point: a median dash's half and air (0.12 in); where the
# latest rank finds no clear place, half a label (0.24 in), never the label's whole width and more
# (0.5 in: seven years of Nghệ An's PCI). A merged province's panel, its series ending together,
# may keep a label's width (trend.trend_figure).
MAX_EMPTY_INCHES = 0.25
MAX_FIGURE_MM = 72  # with its heading the trend figure fits what page 4 leaves (86-91 mm)


@pytest.fixture(scope="module")
def shipped(shipped_clean_dir):
    return read_figures(shipped_clean_dir)


def _figure(df, name: str, year: int, lang: str = "vi"):
    trend = compute(df, provinces.resolve(name, year).province, year, lang).result("trend")
    drawn, _single = trend_section.split_single(trend)
    return drawn, trend_section.trend_figure(drawn, lang)


def _empty_right(fig) -> dict[str, float]:
    """Per long panel (five years or more): inches of x axis right of its last drawn point (a
    short one keeps half a year or more each side, for its labels)."""
    out = {}
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        xs = [
            float(x)
            for line in ax.lines
            if line.get_linestyle() == "-"
            for x, y in line.get_xydata()
            if y == y
        ]
        if max(xs) - min(xs) < 5:
            continue
        lo, hi = ax.get_xlim()
        width = ax.get_position().width * fig.get_size_inches()[0]
        out[ax.get_title(loc="left")] = (hi - max(xs)) / (hi - lo) * width
    return out


@pytest.mark.parametrize(
    ("name", "year"),
    [("Nghệ An", 2023), ("Nghệ An", 2024), ("Hòa Bình", 2023), ("Hòa Bình", 2024), ("An Giang", 2024)],
)
def test_a_long_panel_ends_just_after_its_data(shipped, name, year):
    with draw.style():
        drawn, fig = _figure(shipped, name, year)
        empty = _empty_right(fig)
        assert empty and max(empty.values()) <= MAX_EMPTY_INCHES, (name, year, empty)
        assert draw.clashes(fig) == [], (name, year)
    shown = {t.get_text() for ax in fig.axes for t in ax.texts}
    for _key, series in drawn[drawn["rank"].notna()].groupby("indicator"):
        last = series.sort_values("year").iloc[-1]  # the latest rank is kept, placed where it fits
        assert trend_section.rank_label(last["rank"], last["of"], last["rank_kind"]) in shown


@pytest.mark.parametrize(
    ("name", "year", "lang"), [("Đồng Nai", 2024, "vi"), ("Hà Nội", 2024, "vi"), ("Hà Nội", 2023, "en")]
)
def test_four_panels_fit_beside_the_sections_before_them(shipped, name, year, lang):
    with draw.style():
        drawn, fig = _figure(shipped, name, year, lang)
        assert drawn["indicator"].nunique() == 4
        assert fig.get_size_inches()[1] * 25.4 <= MAX_FIGURE_MM
        assert draw.clashes(fig) == [], (name, year, lang)
    legend = {t.get_text() for leg in fig.legends for t in leg.get_texts()}
    assert any("2018" in said for said in legend)  # PAPI's method change, named in the legend
