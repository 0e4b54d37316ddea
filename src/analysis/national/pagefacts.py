"""What every national page states besides its tables: the sources of its figures, and, for a year
without index data, the latest year that has some (issue #16)."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from typing import Any

import pandas as pd

from analysis import config
from analysis.briefing import metrics


def latest_year_with_data(df: pd.DataFrame, before: int, index_keys: Callable) -> int | None:
    """The latest year before `before` with a value of any headline index in its regime."""
    years = sorted({int(y) for y in df.loc[metrics.has_index_values(df), "year"] if int(y) < before})
    return next((y for y in reversed(years) if index_keys(df, y)), None)


def sources(df: pd.DataFrame, tables: list, lang: str) -> list[Any]:
    """The citations of the figures the tables show (values and ranks, and the previous year's)."""
    from analysis.briefing.labels import t
    from analysis.citations import source_list

    cells = set()
    for tab in tables:
        for y in (tab.year, tab.prev_year):
            if y is not None:
                cells |= {(tab.regime, int(y), k) for k in metrics.with_ranks([tab.key])}
    rows = metrics.cells(df, cells)
    if rows.empty:
        return []
    return source_list(rows, _citations(), lang, t("press_sources", lang))


@functools.cache
def _citations() -> Any:
    from analysis.citations import Citations

    return Citations.load(config.RAW_DIR)


def cutoff() -> str:
    """The data's cut-off (the sidecars' latest read), as the briefings' stamp shows it."""
    return _citations().cutoff()


def year_sources(df: pd.DataFrame, year: int, lang: str) -> list[Any]:
    """The citations of every figure of the year held for its regime's provinces: what a year without
    index tables (2025) read, said as its briefings cite it."""
    from analysis import rulebook
    from analysis.briefing.labels import t
    from analysis.citations import source_list

    regime = rulebook.year_regime(year)
    rows = df[(df["regime"].astype(str) == regime) & (df["year"] == year) & df["value"].notna()]
    return source_list(rows, _citations(), lang, t("press_sources", lang)) if len(rows) else []


def facts(df: pd.DataFrame, tables: list, year: int, lang: str, index_keys: Callable) -> dict[str, Any]:
    """What the page states besides its tables: its sources (the tables' figures; for a year without
    tables, every figure of the year held) and up to when they were read (the rule book's `read_to`,
    as the briefings say it), the series published but not held (`rulebook.unheld_series`: DTI 2024
    for the 34 provinces), the build date, the latest year with data."""
    from analysis import rulebook
    from analysis.briefing.fmt import fmt_read_to, fmt_unheld

    shown = metrics.year_true(df, year)  # what the year's briefings read
    latest = None if tables else latest_year_with_data(df, year, index_keys)
    regime = rulebook.year_regime(year)
    return {
        "sources": sources(df, tables, lang) if tables else year_sources(shown, year, lang),
        "read_to": fmt_read_to(rulebook.read_to(year, cutoff()), lang),
        "unheld": [fmt_unheld(r, lang) for r in rulebook.unheld_series(regime, year)],
        "built": datetime.date.today().isoformat(),
        "latest": latest,
        "year": year,
        "tables": bool(tables),
    }


def check_facts(df: pd.DataFrame, tables: list, year: int, langs: tuple, index_keys: Callable) -> list[str]:
    """The audit's check of what an overview states besides its tables (issue #16): in each language it
    cites its sources (its tables' figures; for a year without tables, each figure of the year held),
    says up to when they were read, carries its build date and names every series published for the
    year's provinces but not held (the 2025 overview: DTI 2024 for the 34 provinces)."""
    from analysis import rulebook

    shown = metrics.year_true(df, year)
    held = shown[(shown["regime"].astype(str) == rulebook.year_regime(year)) & (shown["year"] == year)]
    out = []
    for lang in langs:
        page = labels(facts(df, tables, year, lang, index_keys), lang)
        missing = [k for k in ("sources_read", "built") if not page[k]]
        if not page["sources"] and (tables or held["value"].notna().any()):
            missing.append("sources")
        if len(page["unheld"]) != len(rulebook.unheld_series(rulebook.year_regime(year), year)):
            missing.append("series published but not held")
        out += [f"overview {year} ({lang}): states no {what}" for what in missing]
    return out


def labels(facts: dict[str, Any], lang: str) -> dict[str, Any]:
    """The template's sources list and build date, with their labels. The list is the briefings' own
    (`notes.source_items`): each source with its address printed, a copy's and its original's, so a
    printed overview cites as a printed briefing does."""
    from markupsafe import Markup

    from analysis.briefing import tilemap
    from analysis.briefing.sections.notes import source_items

    said = {"until": facts.get("read_to", ""), "year": facts.get("year", "")}
    read = "sources_read" if facts.get("tables", True) or not facts.get("sources") else "sources_read_year"
    return {
        "sources": Markup(source_items(facts["sources"], lang)) if facts.get("sources") else "",
        "sources_read": tilemap.label(read, lang, **said) if facts.get("read_to") else "",
        "unheld": list(facts.get("unheld", ())),
        "sources_label": tilemap.label("sources", lang),
        "built": facts.get("built", ""),
        "built_label": tilemap.label("built", lang),
    }


def empty_year(
    regime: str, year: int, lang: str, available: set, facts: dict[str, Any], page: str = "overview.html"
) -> dict[str, Any]:
    """A year without index data: says so, points to the latest year with data, and draws the
    regime's provinces (34 from 2025) linked to their briefings."""
    from markupsafe import Markup

    from analysis import provinces
    from analysis.briefing import tilemap

    latest = facts.get("latest")
    members = provinces.all_provinces(regime)
    which = "year_without_data" if latest else "year_without_data_none"
    title = tilemap.label("blank_map_title", lang, n=len(members), year=year)
    hrefs = {p.code: f"{p.slug}.html" for p in members if (lang, p.slug) in available}
    return {
        "text": tilemap.label(which, lang, year=year, n=len(members), latest=latest),
        "href": f"../../{latest}/{lang}/{page}" if latest else "",
        "latest": latest,
        "map": Markup(tilemap.tile_map_svg(regime, {}, lang, hrefs=hrefs, title=title, legend=False)),
    }


def top_n_split(rows: pd.DataFrame, top: int) -> tuple[int, int, int]:
    """(inside, outside, unplaced): how many provinces of an overview table (`rank`, `rank_low`,
    `rank_high`, `value`) sit inside the publisher's top `top`, outside it (a province's own release
    of a lower rank: Nghệ An PCI 2023, 44th), or cannot be placed (a value whose bounds straddle it).
    A count says what it counts: "holds n of the top 30" never counts the 44th."""
    inside = outside = unplaced = 0
    for rank, low, high, value in zip(
        rows["rank"], rows["rank_low"], rows["rank_high"], rows["value"], strict=True
    ):
        best = None if pd.isna(rank) else int(rank)
        worst = best
        if best is None and not pd.isna(low) and not pd.isna(high):
            best, worst = int(low), int(high)
        if best is None:
            unplaced += int(not pd.isna(value))
        elif worst is not None and worst <= top:
            inside += 1
        elif best > top:
            outside += 1
        else:
            unplaced += 1
    return inside, outside, unplaced


def top_n_notes(rows: pd.DataFrame, top: int, complete_held: bool, lang: str) -> list[str]:
    """The notes under a top-N table: what the publisher released and what of it the table holds."""
    from analysis.briefing import tilemap

    if complete_held:
        return [tilemap.label("published_top_n", lang, top=top)]
    inside, outside, unplaced = top_n_split(rows, top)
    notes = [tilemap.label("published_top_n_partial", lang, top=top, n=inside)]
    if outside:
        notes.append(tilemap.label("outside_top_n", lang, top=top, n=outside))
    if unplaced:
        notes.append(tilemap.label("unplaced_top_n", lang, top=top, n=unplaced))
    return notes


def conflict_notes(regime: str, year: int, key: str, lang: str) -> list[str]:
    """One note per province whose value two sources of equal standing give differently (the clean
    stage settles neither, so the table shows "—"): both values and their sources (issue #16)."""
    from analysis import provinces
    from analysis.briefing import tilemap
    from analysis.briefing.fmt import fmt_conflict
    from analysis.clean import conflicts

    out = []
    for c in conflicts.of_cell(conflicts.load(), regime, year, key):
        p = provinces.get(c.code, c.regime)
        name = p.name_en if lang == "en" else p.name
        out.append(
            tilemap.label("conflict_note", lang, province=name, values=fmt_conflict(c.values, key, lang))
        )
    return out


def tile_key(regime: str, lang: str) -> dict[str, Any]:
    """The map's abbreviations spelled out (LCh Lai Châu, ĐNg Đà Nẵng …), for print and for readers
    who do not hover: each tile's title gives the name on screen, this list on paper."""
    from analysis import provinces
    from analysis.briefing import tilemap

    names = {p.code: (p.name_en if lang == "en" else p.name) for p in provinces.all_provinces(regime)}
    abbr = {t.code: t.label_en if lang == "en" else t.label for t in tilemap.tiles(regime)}  # as the tiles
    pairs = sorted(((abbr[c], names[c]) for c in abbr), key=lambda x: x[0].casefold())
    return {"label": tilemap.label("tile_key", lang), "items": [{"abbr": a, "name": n} for a, n in pairs]}


def check_overview(df: pd.DataFrame, table: Any) -> list[str]:
    """The audit's check of one overview table (`overview.IndexTable`) against the clean table: every
    province with a score or a rank of the index that year (not a snapshot) is listed with it, never
    under "no data" (Thanh Hóa, PCI 2023: 66,79, rank 30, from the publisher's province page)."""
    from analysis import provinces, rulebook

    keys = {table.key} | ({rulebook.rank_key(table.key)} - {None})
    rows = df[
        (df["regime"].astype(str) == table.regime)
        & (df["year"] == table.year)
        & df["indicator"].isin(keys)
        & df["value"].notna()
    ]
    if "period_kind" in rows:
        rows = rows[rows["period_kind"].fillna("").astype(str) != "as_of"]
    held = set(rows["province_code"].astype(str))
    r = table.rows
    shown = set(r.loc[r["value"].notna() | r["rank"].notna(), "code"].astype(str))
    return [
        f"overview {table.key} {table.year}: {provinces.get(code, table.regime).name} has a figure "
        "but is listed under no data"
        for code in sorted(held - shown)
    ]
