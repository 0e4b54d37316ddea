"""What issue 11 asked of the briefings' charts: labels inside the figure, the national best marked,
a top-N chart that says so, the regional peers named, the tile map and the distribution sections."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from analysis import provinces, rulebook
from analysis.briefing import metrics
from analysis.briefing.core import compute
from analysis.briefing.sections import ranking, subindices
from briefing_fixtures import NGHE_AN

SVG = "{http://www.w3.org/2000/svg}"
TRANSLATE = re.compile(r"translate\(([-\d.e]+)[ ,]+([-\d.e]+)\)")
SCALE = re.compile(r"scale\(([-\d.e]+)")


def text_extents(svg: str) -> list[tuple[str, float, float]]:
    """(text, left x, right x) of every string matplotlib drew as glyph paths, in SVG units.

    Each string is a `<g id="text_N">` holding, per line, a `<g transform="translate(x y) scale(s -s)">`
    of `<use>` glyphs placed at `translate(dx 0)` in font units (100 a glyph em at scale 0.1 per 10 pt);
    the right end adds one em for the last glyph's own width.
    """
    comments = dict(re.findall(r'<g id="(text_\d+)">\s*<!-- (.*?) -->', svg, flags=re.S))
    root = ET.fromstring(svg.encode("utf-8"))
    out = []
    for g in root.iter(f"{SVG}g"):
        gid = g.get("id") or ""
        if not gid.startswith("text_"):
            continue
        label = comments.get(gid, "").strip()
        for line in g.findall(f"{SVG}g"):
            tr = line.get("transform") or ""
            t, s = TRANSLATE.search(tr), SCALE.search(tr)
            if not t or not s:
                continue
            x, scale = float(t.group(1)), float(s.group(1))
            dx = [
                float(m.group(1))
                for u in line.iter(f"{SVG}use")
                if (m := TRANSLATE.search(u.get("transform") or ""))
            ]
            right = x + scale * (max(dx, default=0.0) + 100.0)
            out.append((label, x, right))
    return out


def viewbox_width(svg: str) -> float:
    return float(ET.fromstring(svg.encode("utf-8")).get("viewBox").split()[2])


def test_text_extents_would_see_a_label_cut_at_the_left_edge():
    """The check below is worth something only if a cut label fails it: draw one on purpose."""
    from analysis.briefing import draw

    with draw.style():
        fig = draw.figure(1.0, 3.0)
        ax = fig.add_subplot()
        ax.set_yticks([0])
        ax.set_yticklabels(["Dịch vụ hỗ trợ doanh nghiệp (mạnh nhất)"])
        draw.margins(fig, left=0.3, right=0.1, top=0.1, bottom=0.3)
        svg = draw.to_svg(fig)
    assert min(left for _t, left, _r in text_extents(svg)) < 0


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_subindex_labels_stay_inside_the_figure(df, lang):
    b = compute(df, provinces.get(NGHE_AN, "63"), 2018, lang)
    figs = b.figures("subindices")
    assert figs
    for fig in figs:
        width = viewbox_width(fig.svg)
        extents = text_extents(fig.svg)
        assert any("(" in text for text, _l, _r in extents), "the strongest/weakest labels are drawn"
        for text, left, right in extents:
            assert left >= 0, f"{text!r} starts left of the figure ({left:.1f})"
            assert right <= width + 1, f"{text!r} runs past the right edge ({right:.1f} > {width:.1f})"


def test_longest_real_labels_fit_even_in_bold(df):
    """PAPI's longest dimension names, both marked (bold): the measured margin keeps them inside."""
    keys = ["papi_control_of_corruption", "papi_vertical_accountability", "papi_public_service_delivery"]
    tab = pd.DataFrame(
        {
            "indicator": keys,
            "value": [3.8, 5.2, 5.0],
            "national_median": [4.6, 5.0, 4.0],
            "region_median": [4.6, 5.05, 4.5],
            "gap": [-0.8, 0.2, 1.0],
            "rank": [38, 28, 16],
            "of": [63, 63, 63],
            "best": [7.6, 6.1, 7.7],
            "best_code": ["83", "34", "48"],
        }
    )
    sub = subindices.SubindexResult("papi", 2018, tab, keys[2], keys[0])
    svg = subindices.subindex_svg(sub, "vi", "Thừa Thiên Huế", "Bắc Trung Bộ và duyên hải miền Trung")
    width = viewbox_width(svg)
    for text, left, right in text_extents(svg):
        assert left >= 0 and right <= width + 1, text


def test_national_best_is_the_best_province_and_is_marked(df, vi, en):
    for sub in vi.result("subindices"):
        for r in sub.table.itertuples():
            v = metrics.values(df, "63", sub.year, r.indicator)
            assert r.best == v.max() and v[r.best_code] == v.max()
    html = vi.html("subindices")
    assert "Cao nhất cả nước" in html and "National best" in en.html("subindices")
    svg = vi.figures("subindices")[0].svg
    assert "Cao nhất cả nước" in svg  # the legend names the star


def test_regional_peers_are_named_with_their_values(df, vi):
    result = vi.result("ranking")
    region = vi.ctx.scope.region_codes
    peers = result.peers
    assert set(peers["code"]) == set(region) & set(result.table["code"])
    html = vi.html("ranking")
    assert "Các tỉnh cùng vùng Bắc Trung Bộ và duyên hải miền Trung" in html
    for r in peers.itertuples():
        name = provinces.get(r.code, "63").name
        assert name in html
    outside = result.table[~result.table["peer"]].iloc[0]
    assert provinces.get(outside["code"], "63").name not in html.split("<table")[1]
    assert "<strong>Nghệ An</strong>" in html
    # the table (breaks between rows) before the chart (85 mm, unbreakable), which has a heading of
    # its own: page 1 fills below the headline table, where the chart did not fit and left a quarter
    # of the page empty (issue #16: 69-86 %), and a chart pushed to page 2 stands under its heading
    shown = vi.shown("ranking")
    assert isinstance(shown[1], str) and "cchc-peers" in shown[1] and "<h2>" not in shown[1]
    assert shown[2] == '<h3 class="cchc-chart-head">Cả nước</h3>' and not isinstance(shown[3], str)


def test_a_top_n_ranking_says_it_is_a_top_n_list():
    """PCI 2023: the publisher released only its top 30 (data/publications.csv); we hold 12."""
    top = provinces.all_provinces("63")[:12]
    rows = []
    for i, p in enumerate(top):
        for key, value, unit in (("pci", 72 - i * 0.5, "score"), ("pci_rank", i + 1, "rank")):
            rows.append(
                {
                    "province_code": p.code,
                    "province_name": p.name,
                    "regime": "63",
                    "year": 2023,
                    "indicator": key,
                    "value": float(value),
                    "unit": unit,
                    "qualifier": "exact",
                    "source": "VCCI, PCI 2023",
                }
            )
    df = pd.DataFrame(rows)
    b = compute(df, top[3], 2023, "vi")
    result = b.result("ranking")
    assert result.partial and result.top_n == 30
    assert (
        "12/63 tỉnh, thành phố có số liệu; nguồn chỉ công bố 30 tỉnh, thành phố đứng đầu"
        in b.figures("ranking")[0].svg
    )
    assert "Biểu đồ chỉ gồm 12 tỉnh" in b.html("ranking")
    full = ranking.coverage(ranking.Ranking("pci", 2018, pd.DataFrame({"code": ["01"] * 63}), None, 63), "vi")
    assert full == ""


def test_map_section_marks_the_province_with_the_rankings_quartile_groups(vi):
    result = vi.result("map")
    tab = vi.result("ranking").table
    key = vi.result("ranking").key
    expected = rulebook.quartile_groups(key, 2018, dict(zip(tab["code"], tab["value"], strict=True)))
    assert result.groups == expected and result.key == vi.result("ranking").key
    html = vi.html("map")
    root = ET.fromstring(re.search(r"<svg.*</svg>", html, flags=re.S).group(0))
    tiles = [e for e in root.iter() if e.get("data-code")]
    assert len(tiles) == 63
    marked = [e for e in tiles if "marked" in (e.get("class") or "")]
    assert [e.get("data-code") for e in marked] == [NGHE_AN]
    assert not root.findall(f".//{SVG}a"), "a briefing's map links nowhere (it cannot know what was built)"
    group = expected[NGHE_AN]
    assert f"Nghệ An thuộc nhóm {group} trong 63 tỉnh" in html


def test_distribution_section_draws_every_province_on_complete_indices_only(df, vi):
    result = vi.result("distribution")
    for key in result.keys:
        part = result.table[result.table["indicator"] == key]
        assert len(part) == len(metrics.values(df, "63", 2018, key)) >= 32
        assert part["highlight"].sum() == 1 and part.loc[part["highlight"], "code"].iloc[0] == NGHE_AN
    assert result.keys, "PCI and PAPI 2018 cover every province in the fixture"
    svg = vi.figures("distribution")[0].svg
    assert "Nghệ An: " in svg  # the province's dot is named with its value
    assert "Mỗi chấm là một tỉnh" in vi.html("distribution")


def test_trend_labels_never_overlap_and_axes_name_their_unit(shipped_clean_dir):
    """Lào Cai 2024 (issue #16): rank labels crowded each other and PAPI's "method change" label."""
    from analysis.briefing import draw
    from analysis.briefing.core import read_figures
    from analysis.briefing.sections import trend as trend_section

    df = read_figures(shipped_clean_dir)
    for code, regime, year in (("10", "63", 2024), ("15", "34", 2025), ("40", "63", 2023)):
        b = compute(df, provinces.get(code, regime), year, "vi")
        drawn, _single = trend_section.split_single(b.result("trend"))
        with draw.style():
            fig = trend_section.trend_figure(drawn, "vi")
            assert sum("/" in t.get_text() for ax in fig.axes for t in ax.texts) >= 2
            assert draw.clashes(fig) == [], (code, year)
            units = {ax.get_ylabel() for ax in fig.axes if ax.get_visible()}
            assert units <= {"điểm", "điểm (0–1)", "%"} and units


def test_a_one_point_series_is_a_sentence_not_a_chart(vi):
    from analysis.briefing.sections import trend as trend_section

    trend = vi.result("trend")
    one = trend[(trend["indicator"] == "pci") & (trend["year"] == 2018)].assign(series="Nghệ An")
    drawn, single = trend_section.split_single(one)
    assert drawn.empty and len(single) == 1
    said = trend_section.single_sentence(single[0].iloc[0], "vi")
    assert said.startswith("PCI: chỉ có số liệu năm 2018") and "/63" in said


def test_trend_lines_break_at_a_missing_year():
    from analysis.briefing.sections.trend import with_gaps

    seg = pd.DataFrame({"year": [2017, 2018, 2021], "value": [1.0, 2.0, 3.0]})
    out = with_gaps(seg)
    assert list(out["year"]) == [2017, 2018, 2019, 2020, 2021]
    assert out["value"].isna().tolist() == [False, False, True, True, False]


def _drawn_strings(svg: str) -> set[str]:
    """Every string matplotlib drew in the SVG (it writes each as a comment beside its glyph paths)."""
    return {label for label, _l, _r in text_extents(svg)}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_ranking_distribution_and_subindex_axes_name_their_unit(df, lang):
    """Issue #16: no axis named its unit; the trend chart did, these three did not."""
    from analysis.briefing import draw
    from analysis.briefing.sections import distribution

    b = compute(df, provinces.get(NGHE_AN, "63"), 2018, lang)
    rank = b.result("ranking")
    unit = draw.unit_label(rank.key, lang)
    assert unit
    svg = ranking.ranking_svg(
        rank.table, rank.key, rank.year, lang, rank.median, ranking.coverage(rank, lang)
    )
    assert unit in _drawn_strings(svg)
    dist = b.result("distribution")
    assert dist.keys
    drawn = _drawn_strings(distribution.distribution_svg(dist, lang, "Nghệ An"))
    for key in dist.keys:
        assert draw.unit_label(key, lang) in drawn, key
    subs = b.result("subindices")
    assert subs
    for sub in subs[: subindices.MAX_FIGURES]:
        label = draw.unit_label(sub.table["indicator"].iloc[0], lang)
        assert label and label in _drawn_strings(subindices.subindex_svg(sub, lang, "Nghệ An")), sub.family
