"""The tile-grid map: its data files, quartile groups and the SVG a reader (and a screen reader) gets."""

from __future__ import annotations

import csv
import shutil
import xml.etree.ElementTree as ET

import pytest

from analysis import config, provinces
from analysis.briefing import tilemap
from analysis.errors import InputFileError

SVG = "{http://www.w3.org/2000/svg}"


def _rows(regime: str) -> list[dict[str, str]]:
    with (config.PACKAGE_DATA / f"tiles_{regime}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("regime", ["63", "34"])
def test_every_province_has_exactly_one_tile_and_no_two_share_a_cell(regime):
    rows = _rows(regime)
    registry = {p.code: p.name for p in provinces.all_provinces(regime)}
    codes = [r["code"] for r in rows]
    assert sorted(codes) == sorted(registry), "each province of the regime exactly once"
    cells = [(int(r["row"]), int(r["col"])) for r in rows]
    assert len(set(cells)) == len(cells), "two provinces in one cell"
    labels = [r["label"] for r in rows]
    assert len(set(labels)) == len(labels), "short labels must tell provinces apart"
    # the name column is for whoever edits the grid; it must not drift from the registry
    assert {r["code"]: r["name"] for r in rows} == registry


@pytest.mark.parametrize("regime", ["63", "34"])
def test_english_tiles_show_ascii_abbreviations_unique_per_map(regime):
    """The English overview showed "ĐNô", "Huế" beside "Hue": each English tile is ASCII letters
    only, tells its province apart from every other of the map, and is an abbreviation, not the
    province's name again (the tile's title already says it)."""
    svg = _svg(regime=regime, groups={}, lang="en", legend=False)
    drawn = {g.get("data-code"): g.find(f".//{SVG}text").text for g in svg.iter() if g.get("data-code")}
    names = {p.code: p.name_en for p in provinces.all_provinces(regime)}
    assert sorted(drawn) == sorted(names)
    assert all(t.isascii() and t.isalpha() for t in drawn.values()), drawn
    assert len(set(drawn.values())) == len(drawn), "two provinces share an English label"
    assert not [c for c, t in drawn.items() if t.lower() in names[c].lower().split()], drawn
    assert drawn["48"] == "DNg" and (regime == "34" or drawn["67"] == "DNo")  # Đà Nẵng, Đắk Nông
    from analysis.national import pagefacts

    key = {i["abbr"]: i["name"] for i in pagefacts.tile_key(regime, "en")["items"]}  # spelled out below
    assert key == {drawn[c]: names[c] for c in drawn} and "Huế" not in key
    vi = _svg(regime=regime, groups={}, lang="vi", legend=False)
    assert "ĐNg" in {t.text for t in vi.iter(f"{SVG}text")}  # the Vietnamese pages keep their letters


def _tiles_error(tmp_path, monkeypatch, regime: str, rows: list[dict], match: str) -> None:
    """The package data with `rows` as the regime's tile file: loading it raises a typed error."""
    for f in config.PACKAGE_DATA.glob("*.csv"):
        shutil.copy(f, tmp_path / f.name)
    with (tmp_path / f"tiles_{regime}.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    monkeypatch.setattr(config, "PACKAGE_DATA", tmp_path)
    tilemap.tiles.cache_clear()
    try:
        with pytest.raises(InputFileError, match=match):
            tilemap.tiles(regime)
    finally:
        tilemap.tiles.cache_clear()


def test_a_tile_file_with_a_label_twice_is_a_typed_error(tmp_path, monkeypatch):
    rows = _rows("63")
    rows[1]["label_en"] = rows[0]["label_en"]
    _tiles_error(tmp_path, monkeypatch, "63", rows, r"tiles_63\.csv.*label_en used for more than one")


@pytest.mark.parametrize("regime", ["63", "34"])
def test_grid_is_roughly_geographic(regime):
    """North above south: Hà Nội's tile above Đà Nẵng's, Đà Nẵng's above TP. Hồ Chí Minh's, Cà Mau last."""
    at = {t.code: t for t in tilemap.tiles(regime)}
    assert at["01"].row < at["48"].row < at["79"].row <= at["96"].row
    assert at["96"].row == max(t.row for t in at.values())


def test_bad_tile_file_is_a_typed_error_naming_the_file(tmp_path, monkeypatch):
    rows = _rows("34")
    rows[1]["row"], rows[1]["col"] = rows[0]["row"], rows[0]["col"]  # two provinces in one cell
    _tiles_error(tmp_path, monkeypatch, "34", rows, r"tiles_34\.csv.*shares cell")


# quartile groups are the rule book's: tests/unit/rulebook/test_rulebook.py


def _svg(**kw) -> ET.Element:
    return ET.fromstring(tilemap.tile_map_svg(**kw))


def test_svg_tiles_name_their_province_and_link_to_their_briefing():
    tiles = tilemap.tiles("63")
    groups = {t.code: 1 + i % 4 for i, t in enumerate(tiles) if t.code != "96"}
    hrefs = {t.code: f"{p.slug}.html" for t in tiles for p in [provinces.get(t.code, "63")] if t.code != "01"}
    root = _svg(regime="63", groups=groups, lang="vi", hrefs=hrefs, title="PCI 2018")
    links = root.findall(f".//{SVG}a")
    assert len(links) == len(hrefs)
    names = {p.code: p.name for p in provinces.all_provinces("63")}
    for a in links:
        code = a.get("data-code")
        assert a.get("href") == hrefs[code]
        assert a.get("aria-label").startswith(names[code])
        assert a.find(f"{SVG}title").text.startswith(names[code])
    # Hà Nội has no briefing: a named tile, not a link
    hanoi = [g for g in root.iter(f"{SVG}g") if g.get("data-code") == "01"]
    assert len(hanoi) == 1 and hanoi[0].get("aria-label").startswith("Hà Nội")
    # Cà Mau has no value: it says so, in Vietnamese
    camau = next(e for e in root.iter() if e.get("data-code") == "96")
    assert "Không có số liệu" in camau.get("aria-label")
    assert "<script" not in tilemap.tile_map_svg(regime="63", groups=groups, hrefs=hrefs)


def test_english_map_uses_english_names_and_legend():
    tiles = tilemap.tiles("34")
    groups = {t.code: 2 for t in tiles}
    text = tilemap.tile_map_svg("34", groups, "en")
    assert "Ho Chi Minh City" in text or "Ho Chi Minh" in text
    assert "Group 1: best performers" in text and "Nhóm" not in text


def test_marked_province_is_outlined_and_named_in_the_legend():
    root = _svg(regime="34", groups={}, lang="vi", marked="40", small=True)
    marked = [e for e in root.iter() if e.get("data-code") == "40"]
    rect = marked[0].find(f"{SVG}rect")
    assert rect.get("stroke-width") == "3"
    legend = "".join(root.find(f".//{SVG}g[@class='legend']").itertext())
    assert "Ô viền đậm: Nghệ An" in legend


def test_small_variant_is_smaller_and_has_no_tile_labels():
    groups = {t.code: 1 for t in tilemap.tiles("63")}
    big, small = _svg(regime="63", groups=groups), _svg(regime="63", groups=groups, small=True)
    assert float(small.get("height")) < float(big.get("height")) / 1.8
    assert not [t for t in small.iter(f"{SVG}text") if t.get("aria-hidden") == "true"]


@pytest.mark.parametrize("regime", ["63", "34"])
def test_everything_is_drawn_inside_the_viewbox(regime):
    root = _svg(regime=regime, groups={}, lang="vi", marked="01", title="Chỉ số PAPI 2018")
    _x, _y, width, height = (float(v) for v in root.get("viewBox").split())
    for rect in root.iter(f"{SVG}rect"):
        assert float(rect.get("x")) + float(rect.get("width")) <= width
        assert float(rect.get("y")) + float(rect.get("height")) <= height
    for text in root.iter(f"{SVG}text"):
        # the legend estimates text width at 0.62 em a character (DejaVu Sans averages less)
        right = float(text.get("x")) + len(text.text) * 0.62 * float(text.get("font-size") or 12)
        assert right <= width + 1, text.text


def test_tile_labels_are_readable_on_every_colour():
    for group, fill in tilemap.GROUP_COLOURS.items():
        assert tilemap.contrast(fill, tilemap.text_colour(fill)) >= 4.5, group


@pytest.mark.parametrize("regime", ["63", "34"])
def test_the_small_maps_legend_prints_at_seven_points_or_more(regime):
    """The briefing's small map prints at the height print.css gives it; its legend text must stay
    readable there (7 pt, the floor the charts keep)."""
    import re

    css = (config.PACKAGE_DIR / "templates" / "print.css").read_text(encoding="utf-8")
    printed_mm = float(re.search(r"\.cchc-map svg\s*\{[^}]*height:\s*([\d.]+)mm", css).group(1))
    groups = {p.code: 1 + i % 4 for i, p in enumerate(provinces.all_provinces(regime))}
    root = ET.fromstring(tilemap.tile_map_svg(regime, groups, "vi", small=True, marked=next(iter(groups))))
    height = float(root.get("viewBox").split()[3])
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "legend")
    points = float(legend.get("font-size")) * printed_mm / height * 72 / 25.4
    assert points >= 7, f"legend text prints at {points:.1f} pt"
