"""A tile-grid map of the provinces as inline SVG: one equal tile per province, coloured by quartile group.

Why tiles and not a geographic map: a small province (Bắc Ninh) and a large one (Nghệ An) weigh the
same in a league table, so they get the same area here; and the grid needs no boundary file, which
the 2025 merger would have made out of date anyway. Positions are data (`data/tiles_63.csv`,
`tiles_34.csv`: province code, short label, its ASCII English form, row, column), placed roughly
where each province lies.

The SVG carries no script and loads nothing: each tile is an `<a>` to its briefing (a relative href
given by the caller) with a `<title>` and an `aria-label` naming the province, so a screen reader,
a hover and a printed legend all say the same. Colours are ColorBrewer's 4-class PuOr, safe for the
common colour-vision deficiencies, and every tile's label colour is chosen for contrast.
"""

from __future__ import annotations

import csv
import html
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from analysis import config, provinces
from analysis.errors import AnalysisError, InputFileError


def _group_colours() -> dict[int | None, str]:
    """PAPI's four groups in one palette for map, overview and briefing (ColorBrewer PuOr, safe for
    colour-blind readers), read from `data/papi_groups.csv`; None is a province without a value."""
    with (config.PACKAGE_DATA / "papi_groups.csv").open(encoding="utf-8", newline="") as fh:
        colours: dict[int | None, str] = {int(r["group"]): r["colour"] for r in csv.DictReader(fh)}
    colours[None] = "#e3e6ea"
    return colours


GROUP_COLOURS = _group_colours()
INK, PAPER, EDGE = "#1d2733", "#ffffff", "#8a96a3"


@dataclass(frozen=True)
class Tile:
    code: str
    label: str  # the short label drawn in the tile (HN, HCM, ĐNg …)
    label_en: str  # the English pages' label: ASCII letters only (DNg, DNo, TTH …)
    row: int
    col: int


@dataclass(frozen=True)
class Size:
    tile: int
    gap: int
    font: int
    labels: bool  # draw the short label inside each tile


FULL = Size(tile=30, gap=3, font=10, labels=True)
SMALL = Size(tile=15, gap=2, font=0, labels=False)


# ------------------------------------------------------------------------------------------ data


@cache
def tiles(regime: str) -> tuple[Tile, ...]:
    """The tiles of a regime ("63" | "34"), checked: every province once, no two in one cell."""
    regime = str(regime)
    path = config.PACKAGE_DATA / f"tiles_{regime}.csv"
    if regime not in provinces.REGIMES or not path.exists():
        raise AnalysisError(f"no tile grid for regime {regime!r} (have: {', '.join(provinces.REGIMES)})")
    out: list[Tile] = []
    seen_cells: dict[tuple[int, int], str] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            try:
                code, vi, en = (row[k].strip() for k in ("code", "label", "label_en"))
                tile = Tile(code, vi, en, int(row["row"]), int(row["col"]))
            except (KeyError, TypeError, ValueError, AttributeError):
                raise InputFileError(
                    path, f"row {line}: needs code,label,label_en,row,col with whole numbers"
                ) from None
            if not (tile.label_en.isascii() and tile.label_en.isalpha()):
                raise InputFileError(path, f"row {line}: label_en {tile.label_en!r} is not ASCII letters")
            cell = (tile.row, tile.col)
            if cell in seen_cells:
                raise InputFileError(
                    path, f"row {line}: {tile.code} shares cell {cell} with {seen_cells[cell]}"
                )
            seen_cells[cell] = tile.code
            out.append(tile)
    for kind in ("label", "label_en"):  # a reader tells the tiles apart by their labels
        shown = [getattr(t, kind) for t in out]
        if twice := sorted({x for x in shown if shown.count(x) > 1}):
            raise InputFileError(path, f"{kind} used for more than one province: {', '.join(twice)}")
    codes = [t.code for t in out]
    expected = {p.code for p in provinces.all_provinces(regime)}
    if len(set(codes)) != len(codes) or set(codes) != expected:
        extra, missing = set(codes) - expected, expected - set(codes)
        dup = sorted({c for c in codes if codes.count(c) > 1})
        raise InputFileError(
            path,
            f"tiles do not match the {regime} provinces: missing {sorted(missing)}, "
            f"unknown {sorted(extra)}, twice {dup}",
        )
    return tuple(out)


@cache
def _labels() -> dict[str, tuple[str, str]]:
    """overview_labels.csv, and the quartile groups' names from papi_groups.csv (the one place the
    map legend, the overview and the briefings take them from)."""
    with (config.PACKAGE_DATA / "overview_labels.csv").open(encoding="utf-8", newline="") as fh:
        out = {r["key"]: (r["vi"], r["en"]) for r in csv.DictReader(fh)}
    with (config.PACKAGE_DATA / "papi_groups.csv").open(encoding="utf-8", newline="") as fh:
        out |= {f"group_{r['group']}": (r["short_vi"], r["short_en"]) for r in csv.DictReader(fh)}
    return out


def label(key: str, lang: str, **fmt: object) -> str:
    """A label of the national view (data/overview_labels.csv) in vi/en, placeholders filled, not escaped."""
    vi, en = _labels()[key]
    return (en if lang == "en" else vi).format(**fmt)


# ------------------------------------------------------------------------------------------ drawing


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours (4.5 is the floor for small text)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour(fill: str) -> str:
    """The page's ink where it reads on `fill` (WCAG 4.5:1), else white, else black (the orange)."""
    for colour in (INK, PAPER):
        if contrast(fill, colour) >= 4.5:
            return colour
    return "#000000"


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def tile_map_svg(
    regime: str,
    groups: Mapping[str, int],
    lang: str = "vi",
    *,
    hrefs: Mapping[str, str] | None = None,
    notes: Mapping[str, str] | None = None,
    title: str = "",
    marked: str | None = None,
    small: bool = False,
    legend: bool = True,
    aria_label: str = "",
) -> str:
    """The map as one `<svg>` element (inline in HTML; no script, nothing loaded).

    `groups`: province code → quartile group (1–4); a province absent is drawn as "no data".
    `hrefs`: code → relative link to its briefing (a tile without one is not a link).
    `notes`: code → extra text for the tile's title (value, rank). `marked`: the code of the
    province a briefing is about, drawn with a thick outline. `small`: the briefing's variant.
    """
    size = SMALL if small else FULL
    hrefs, notes = hrefs or {}, notes or {}
    grid = tiles(regime)
    pitch = size.tile + size.gap
    rows = 1 + max(t.row for t in grid)
    cols = 1 + max(t.col for t in grid)
    names = {p.code: (p.name_en if lang == "en" else p.name) for p in provinces.all_provinces(regime)}
    top = 22 if title else 2
    parts: list[str] = []
    for t in grid:
        group = groups.get(t.code)
        fill = GROUP_COLOURS.get(group, GROUP_COLOURS[None])
        group_text = label(f"group_{group}" if group in (1, 2, 3, 4) else "group_none", lang)
        spoken = f"{names[t.code]}: {group_text}" + (f"; {notes[t.code]}" if t.code in notes else "")
        x, y = 2 + t.col * pitch, top + t.row * pitch
        is_marked = t.code == marked
        stroke = (
            f' stroke="{INK}" stroke-width="3"'
            if is_marked
            else (f' stroke="{EDGE}" stroke-width="1" stroke-dasharray="3 2"' if group is None else "")
        )
        shape = (
            f'<rect x="{x}" y="{y}" width="{size.tile}" height="{size.tile}" rx="3" fill="{fill}"{stroke}/>'
        )
        if size.labels:
            weight = ' font-weight="bold"' if is_marked else ""
            shape += (
                f'<text x="{x + size.tile / 2:g}" y="{y + size.tile / 2 + size.font * 0.35:g}" '
                f'text-anchor="middle" font-size="{size.font}"{weight} fill="{text_colour(fill)}" '
                f'aria-hidden="true">{_esc(t.label_en if lang == "en" else t.label)}</text>'
            )
        body = f"<title>{_esc(spoken)}</title>{shape}"
        cls = "tile marked" if is_marked else "tile"
        if t.code in hrefs:
            parts.append(
                f'<a class="{cls}" href="{_esc(hrefs[t.code])}" aria-label="{_esc(spoken)}" '
                f'data-code="{t.code}">{body}</a>'
            )
        else:
            parts.append(
                f'<g class="{cls}" role="img" aria-label="{_esc(spoken)}" data-code="{t.code}">{body}</g>'
            )
    width, height = 4 + cols * pitch, top + rows * pitch + 2
    if legend:
        box, extra_h = _legend(grid, size, pitch, top, lang, groups, marked, names)
        parts.append(box[0])
        width = max(width, box[1])
        height = max(height, extra_h)
    head = (
        f'<text x="2" y="15" font-size="13" font-weight="bold" fill="{INK}">{_esc(title)}</text>'
        if title
        else ""
    )
    label_text = aria_label or title or label("map_title", lang, index="", year="").strip(" :")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="tilemap{" small" if small else ""}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="group" '
        f'aria-label="{_esc(label_text)}" font-family="DejaVu Sans, Noto Sans, Arial, sans-serif">'
        f"{head}{''.join(parts)}</svg>"
    )


def _legend(
    grid: tuple[Tile, ...],
    size: Size,
    pitch: int,
    top: int,
    lang: str,
    groups: Mapping[str, int],
    marked: str | None,
    names: Mapping[str, str],
) -> tuple[tuple[str, int], int]:
    """The legend, set in the empty sea east of the southern half (((svg, right edge), bottom edge))."""
    rows = 1 + max(t.row for t in grid)
    south = [t for t in grid if t.row >= rows // 3]
    x = 2 + (1 + max(t.col for t in south)) * pitch + 8
    y = top + (rows // 3) * pitch
    font = 12.5 if not size.labels else 12  # the small map prints 78 mm high: 12.5 units ≈ 7.3 pt
    swatch, step = (13, 18) if not size.labels else (16, 22)
    keys: list[tuple[int | None, str]] = [(g, label(f"group_{g}", lang)) for g in (1, 2, 3, 4)]
    if not all(groups.get(t.code) for t in grid):  # a "no data" key only where a tile needs it
        keys.append((None, label("group_none", lang)))
    out = [f'<g class="legend" font-size="{font}" fill="{INK}">']
    longest = 0
    for i, (group, text) in enumerate(keys):
        yy = y + i * step
        dash = f' stroke="{EDGE}" stroke-dasharray="3 2"' if group is None else ""
        fill = GROUP_COLOURS[group]
        out.append(
            f'<rect x="{x}" y="{yy}" width="{swatch}" height="{swatch}" rx="2" fill="{fill}"{dash}/>'
            f'<text x="{x + swatch + 6}" y="{yy + swatch - 3}">{_esc(text)}</text>'
        )
        longest = max(longest, len(text))
    bottom = y + len(keys) * step
    if marked is not None and marked in names:
        text = label("map_marked", lang, name=names[marked])
        out.append(
            f'<rect x="{x + 1}" y="{bottom + 1}" width="{swatch - 2}" height="{swatch - 2}" rx="2" '
            f'fill="none" stroke="{INK}" stroke-width="3"/>'
            f'<text x="{x + swatch + 6}" y="{bottom + swatch - 3}">{_esc(text)}</text>'
        )
        longest = max(longest, len(text))
        bottom += step
    out.append("</g>")
    # DejaVu Sans averages about 0.62 em a character: the right edge keeps the longest label inside.
    right = x + swatch + 6 + math.ceil(longest * font * 0.62) + 4
    return ("".join(out), right), bottom + 4
