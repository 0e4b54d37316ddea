"""One set of PAPI group names (map legend, overview, briefings), the map's abbreviations spelled out,
and English PAPI sub-dimension names in one case (reviewer's cases, the 2025 overview)."""

from __future__ import annotations

import csv
import re

from analysis import publications
from analysis.briefing import tilemap
from analysis.config import PACKAGE_DATA
from analysis.national import overview


def test_the_map_legend_and_the_briefings_name_the_groups_alike() -> None:
    for g in (1, 2, 3, 4):
        briefing = publications.group_label(g, 63)
        for lang in ("vi", "en"):
            legend = tilemap.label(f"group_{g}", lang)
            # the legend's short name is the briefing's group name, shortened: the same words
            core = legend.split(": ", 1)[1].casefold()
            assert core.split()[-1] in briefing.label(lang).casefold(), (legend, briefing.label(lang))
    assert "trung bình cao" in tilemap.label("group_2", "vi") and "trên trung bình" not in tilemap.label(
        "group_2", "vi"
    )


def test_the_2025_overview_spells_out_the_maps_abbreviations() -> None:
    page = overview.render_overview([], 2025, "vi", set())
    key = page[page.index('class="caption tile-key"') :]
    for abbr, name in (("LCh", "Lai Châu"), ("QNi", "Quảng Ninh"), ("ĐNg", "Đà Nẵng"), ("TNi", "Tây Ninh")):
        assert f'<abbr title="{name}">{abbr}</abbr> {name}' in key, abbr
    shown = set(re.findall(r'font-size="10"[^>]*aria-hidden="true">([^<]+)<', page))
    spelled = set(re.findall(r"<abbr [^>]*>([^<]+)</abbr>", key))
    assert shown and shown <= spelled  # every label drawn on a tile is spelled out


def test_english_papi_sub_dimension_names_are_in_sentence_case() -> None:
    with (PACKAGE_DATA / "papi_subdimensions.csv").open(encoding="utf-8", newline="") as fh:
        names = [r["name_en"] for r in csv.DictReader(fh)]
    assert names and all(n[0].isupper() and not any(w[0].isupper() for w in n.split()[1:]) for n in names), (
        names
    )
