"""Plots: valid SVG, the province named, labels in the language asked, text drawn as paths.

Text is drawn as glyph paths (svg.fonttype = "path"), so there are no <text> elements; matplotlib
writes each string as an XML comment next to its glyphs, which is what these tests read.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pandas as pd

from analysis import provinces
from analysis.briefing.core import compute
from briefing_fixtures import MERGED, NGHE_AN, figures_frame


def svg_of(b, section: str) -> str | None:
    """The first figure of a briefing section as SVG text (None when the section draws none)."""
    figs = b.figures(section)
    return figs[0].svg if figs else None


def strings(svg: str) -> list[str]:
    """The texts drawn in a path-mode SVG (from the comments matplotlib writes beside the glyphs)."""
    return [s.strip() for s in re.findall(r"<!-- (.*?) -->", svg, flags=re.S)]


def check_svg(svg: str) -> None:
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    # glyphs as paths: the same look on every machine and in the PDF, no font needed
    assert not list(root.iter("{http://www.w3.org/2000/svg}text"))


def test_ranking_names_the_province_in_vi_and_en(vi, en):
    svg_vi, svg_en = svg_of(vi, "ranking"), svg_of(en, "ranking")
    check_svg(svg_vi)
    drawn = strings(svg_vi)
    assert "Nghệ An" in drawn
    assert any("xếp hạng" in s for s in drawn) and not any("ranking" in s for s in drawn)
    assert any(s.startswith("Trung vị cả nước") for s in drawn)
    drawn_en = strings(svg_en)
    assert "Nghe An" in drawn_en and any("ranking" in s for s in drawn_en)
    assert any(s.startswith("National median") for s in drawn_en)


def test_subindex_figure_labels_strongest(vi, en):
    svg = svg_of(vi, "subindices")
    check_svg(svg)
    drawn = " ".join(strings(svg))
    assert "Dịch vụ hỗ trợ doanh nghiệp (mạnh nhất)" in drawn
    assert "Trung vị vùng" in drawn and "Nghệ An" in drawn
    assert "Business support services (strongest)" in " ".join(strings(svg_of(en, "subindices")))


def test_numbers_on_figures_use_the_language(vi, en):
    assert re.search(r"\d,\d\d", " ".join(strings(svg_of(vi, "subindices"))))
    assert re.search(r"\d\.\d\d", " ".join(strings(svg_of(en, "subindices"))))


def test_trend_of_a_merged_province_names_each_former_province(df):
    p34 = provinces.get(MERGED, "34")
    b = compute(df, p34, 2025, "vi")
    svg = svg_of(b, "trend")
    check_svg(svg)
    drawn = strings(svg)
    for p in provinces.predecessors(p34):
        assert p.name in drawn
    assert any("đổi phương pháp" in s for s in drawn)  # PAPI 2018 break marked


def test_online_figure_marks_targets_or_is_absent(vi, df):
    from briefing_fixtures import with_online_2022

    assert "Mục tiêu quốc gia" not in strings(svg_of(vi, "online"))  # no target in force for 2018
    d2 = with_online_2022(df)  # 2022: no target in force measures these figures' denominators
    assert "Mục tiêu quốc gia" not in strings(
        svg_of(compute(d2, provinces.get(NGHE_AN, "63"), 2022, "vi"), "online")
    )
    # 2025: Decision 126's targets for dossiers filed online and procedures offered fully online
    p34 = provinces.get(MERGED, "34")
    d3 = figures_frame(with_2025=True)
    own = d3[(d3["province_code"] == MERGED) & (d3["regime"] == "34")].head(1)
    extra = [
        own.assign(indicator=k, year=2025, value=v, unit="percent")
        for k, v in (("online_filing_rate", 70.0), ("dvc_full_online_rate", 95.0))
    ]
    d3 = pd.concat([d3, *extra], ignore_index=True)
    svg = svg_of(compute(d3, p34, 2025, "vi"), "online")
    check_svg(svg)
    drawn = strings(svg)
    assert "Mục tiêu quốc gia" in drawn and p34.name in drawn
    other = compute(df, provinces.get("01", "63"), 2018, "vi")
    assert svg_of(other, "online") is None


def test_same_data_same_svg(vi, df):
    again = compute(df, provinces.get(NGHE_AN, "63"), 2018, "vi")
    assert svg_of(again, "trend") == svg_of(vi, "trend")


def test_a_one_bar_online_chart_is_not_drawn(df):
    """A one-bar 100 % chart (issue #16): one figure is said in the table, not drawn."""
    import pandas as pd

    from analysis.briefing.sections import online

    one = pd.DataFrame(
        [
            {
                "indicator": "online_filing_rate",
                "value": 100.0,
                "qualifier": "exact",
                "done_of": float("nan"),
                "target": float("nan"),
            }
        ]
    )
    assert online.online_svg(one, "vi", "Nghệ An") is None


def test_online_bar_labels_keep_the_sources_word():
    """Bar charts dropped "trên"/"khoảng" (issue #16): the label says what the source said."""
    import pandas as pd

    from analysis.briefing.sections import online

    bars = pd.DataFrame(
        [
            {
                "indicator": "online_filing_rate",
                "value": 80.0,
                "qualifier": "over",
                "done_of": float("nan"),
                "target": float("nan"),
            },
            {
                "indicator": "online_payment_rate",
                "value": 75.0,
                "qualifier": "nearly",
                "done_of": float("nan"),
                "target": float("nan"),
            },
        ]
    )
    drawn = strings(online.online_svg(bars, "vi", "Lào Cai"))
    assert any(s.startswith("trên 80") for s in drawn) and any(s.startswith("gần 75") for s in drawn), drawn
