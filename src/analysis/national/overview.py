"""The national overview: for each year built, every province on each index, ordered by rank, with a map.

What a reviewer opens first (the anchors: PAPI's quartile dashboard, VCCI's ranking table). One page
per year and language, `reports/<year>/<lang>/overview.html`, beside that year's briefings so its
links are plain relative hrefs; each table also as `reports/<year>/overview-<index>.csv` (formula
text neutralised). The page has no script and loads nothing: it opens offline from disk.

Rules, the same as the briefings':
- the rank is the publisher's (`<index>_rank`) where given; otherwise computed among the provinces
  with a value and marked `*` (PAPI publishes no ranks: its column is the quartile group);
- quartile groups (and the map) only when at least half the provinces have a value: a published
  top-N list is shown as the list it is, without groups;
- the change is against the latest earlier year of the same regime with values for the index, and
  is not computed across PAPI's 2018 method change or across the 2025 merger (other provinces).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis import config, indicators, provinces, publications, rulebook
from analysis.briefing import metrics, tilemap
from analysis.briefing.fmt import coarser, decimals, fmt_read_to, overview_rank, shown_precision
from analysis.national import pagefacts
from analysis.national.overview_csv import csv_name, table_csv, table_frame  # noqa: F401 (the CSV's names)
from analysis.numbers import format_number, format_percent

OVERVIEW_NAME = "overview.html"
LANGS = ("vi", "en")
# (label, suffix) of the briefing files an overview links; the build passes its formats' (the
# first is the page the province's name links to).
DEFAULT_FILES = (("HTML", ".html"), ("PDF", ".pdf"))


@dataclass(frozen=True)
class IndexTable:
    """One index in one year: every province of the regime, ranked ones first."""

    key: str
    year: int
    regime: str
    rows: pd.DataFrame  # see index_table
    prev_year: int | None
    comparable: bool  # False when a method change forbids comparing with prev_year

    @property
    def n(self) -> int:
        return int(self.rows["value"].notna().sum())

    @property
    def size(self) -> int:
        return len(self.rows)

    @property
    def grouped(self) -> bool:
        return bool(self.rows["group"].notna().any())


def index_keys(df: pd.DataFrame, year: int) -> list[str]:
    """The headline indices with at least one value in this year's regime, in briefing order."""
    regime = provinces.regime_for_year(year)
    return [k for k in metrics.headline_keys() if len(metrics.values(df, regime, year, k))]


def _previous_year(df: pd.DataFrame, regime: str, year: int, key: str) -> int | None:
    rows = df[(df["regime"] == regime) & (df["indicator"] == key) & (df["year"] < year)]
    rows = rows.dropna(subset=["value"])
    return int(rows["year"].max()) if len(rows) else None


def index_table(df: pd.DataFrame, year: int, key: str) -> IndexTable:
    """Columns: code, name, name_en, slug, value, rank, rank_of, rank_given, group (1–4 or NA),
    prev_value, change, prev_late; ranked provinces first (best first), then those with no value by slug.

    `prev_late`: the previous year's value comes from a source dated past that year's horizon, so
    that year's overview (and briefing) did not show it (Long An's SIPAS 2023, from a 2025 article)."""
    df = metrics.year_true(df, year)  # as the year's briefings see it (the rule book's year-true rule)
    regime = provinces.regime_for_year(year)
    members = provinces.all_provinces(regime)
    vals = metrics.values(df, regime, year, key)
    hib = metrics.higher_is_better(key)
    ranks = metrics.ranks(df, regime, year, key)  # the rule book's: published, computed or none
    groups = rulebook.quartile_groups(key, year, vals.to_dict(), hib)
    prev_year = _previous_year(df, regime, year, key)
    comparable = prev_year is None or rulebook.comparable_years(key, prev_year, year)
    prev = metrics.values(df, regime, prev_year, key) if prev_year is not None else pd.Series(dtype=float)
    seen = {}  # the previous year's values as its own overview showed them (the same year-true rule)
    if prev_year is not None:
        seen = metrics.cell_values(metrics.year_true(df, prev_year), regime, prev_year, key)
    digits = metrics.cell_precisions(df, regime, year, key)  # what each source wrote (the figure model)
    prev_digits = metrics.cell_precisions(df, regime, prev_year, key) if prev_year is not None else {}
    rows = []
    for p in members:
        value = vals.get(p.code)
        r = ranks.get(p.code, rulebook.NO_RANK)
        prev_value = prev.get(p.code)
        change = None
        if value is not None and prev_year is not None:
            change = rulebook.point_change(key, prev_year, prev_value, year, value)
        rows.append(
            {
                "code": p.code,
                "name": p.name,
                "name_en": p.name_en,
                "slug": p.slug,
                "value": value,
                "rank": r.rank,
                "rank_of": r.of,
                "rank_given": r.given,
                "rank_kind": r.kind,
                "rank_released": r.released,  # the province's own release (the rule book's)
                **dict(rank_low=r.low, rank_high=r.high),  # no rank: published neighbours bound it
                "group": groups.get(p.code),
                "prev_value": prev_value,
                "change": change,
                "prev_late": change is not None and p.code not in seen,
                "places": shown_precision(digits.get(p.code), key),  # None: the catalogue's
                "change_places": coarser(
                    shown_precision(digits.get(p.code), key),
                    shown_precision(prev_digits.get(p.code), key),
                    fallback=decimals(key),
                ),
            }
        )
    out = pd.DataFrame(rows)
    # By rank (the publisher's where given: two equal rounded scores keep the publisher's order), then value
    out["_has"] = out["value"].notna() | out["rank"].notna()  # a rank-only province is ranked, not "no data"
    out["_r"] = out["rank"].astype("Float64").fillna(out["rank_low"].astype("Float64")).fillna(float("inf"))
    out["_v"] = out["value"].fillna(0.0) * (-1 if hib else 1)
    out = out.sort_values(["_has", "_r", "_v", "slug"], ascending=[False, True, True, True], kind="stable")
    out = out.drop(columns=["_has", "_r", "_v"]).reset_index(drop=True)
    for col in ("value", "prev_value", "change"):
        out[col] = out[col].astype("Float64")
    for col in ("rank", "rank_of", "group", "rank_low", "rank_high", "places", "change_places"):
        out[col] = out[col].astype("Int64")
    return IndexTable(key, int(year), regime, out, prev_year, comparable)


def overview_tables(df: pd.DataFrame, year: int) -> list[IndexTable]:
    return [index_table(df, year, k) for k in index_keys(df, year)]


# ------------------------------------------------------------------------------------------ HTML


def short_name(key: str, lang: str) -> str:
    """PCI, PAPI, PAR Index…: the name in brackets in the catalogue, else the full name."""
    name = indicators.get(key).name(lang)
    if name.endswith(")") and "(" in name:
        return name[name.rindex("(") + 1 : -1]
    return name


def fmt(value: Any, key: str, lang: str, signed: bool = False, places: Any = None) -> str:
    """A value in the reader's format: at `places` (the digits its source wrote, the briefings' rule:
    fmt.shown_precision / fmt.coarser), else the indicator's (fmt.decimals, the briefings' too)."""
    if value is None or pd.isna(value):
        return "–"
    ind = indicators.get(key)
    places = decimals(key) if places is None or pd.isna(places) else int(places)
    text = format_percent(float(value), lang, places) if ind.unit == "percent" else None
    text = text or format_number(float(value), lang, places)
    if signed and round(float(value), places) == 0:  # no "+0,000": a change too small to show
        return tilemap.label("unchanged", lang)
    if signed:
        if ind.unit == "percent":  # a change of a share is in percentage points, not percent
            text = tilemap.label("points_change", lang, value=format_number(float(value), lang, places))
        text = ("+" if float(value) > 0 else "") + text.replace("-", "−")
    return text


def _links(
    slug: str, lang: str, available: set[tuple[str, str]], files: Sequence[tuple[str, str]] = DEFAULT_FILES
) -> list[dict[str, Any]]:
    """Relative links from <year>/<lang>/overview.html to this province's briefings, page language
    first: `html` the page, `files` every other format's file."""
    out = []
    (_, page), others = files[0], files[1:]
    for other in sorted(LANGS, key=lambda x: x != lang):
        if (other, slug) in available:
            base = f"{slug}" if other == lang else f"../{other}/{slug}"
            rest = [{"label": label, "href": f"{base}{suffix}"} for label, suffix in others]
            out.append({"lang": other, "html": f"{base}{page}", "files": rest})
    return out


def _map(table: IndexTable, lang: str, available: set[tuple[str, str]], files=DEFAULT_FILES) -> str:
    r = table.rows
    groups = {c: int(g) for c, g in zip(r["code"], r["group"], strict=True) if not pd.isna(g)}
    hrefs, notes = {}, {}
    name = short_name(table.key, lang)
    for row in r.itertuples():
        links = _links(row.slug, lang, available, files)
        if links:
            hrefs[row.code] = links[0]["html"]
        if not pd.isna(row.value):
            note = tilemap.label(
                "tile_value",
                lang,
                index=name,
                year=table.year,
                value=fmt(row.value, table.key, lang, places=row.places),
            )
            if not pd.isna(row.rank) and not pd.isna(row.rank_of):
                which = "tile_rank" if row.rank_given else "tile_rank_computed"
                note += "; " + tilemap.label(which, lang, rank=int(row.rank), of=int(row.rank_of))
            notes[row.code] = note
    title = tilemap.label("map_title", lang, index=name, year=table.year)
    return tilemap.tile_map_svg(table.regime, groups, lang, hrefs=hrefs, notes=notes, title=title)


def _publication(table: IndexTable) -> publications.Publication | None:
    return publications.publication(indicators.get(table.key).family, table.year)


def group_only(table: IndexTable) -> bool:
    """The publisher gives quartile groups, not ranks (PAPI): the group column leads the table."""
    pub = _publication(table)
    return pub is not None and pub.grouping == "quartiles" and not pub.ranks_published


def _ties_across_groups(rows: list[dict[str, Any]]) -> list[str]:
    """Printed values shared by provinces of different groups ("43,48: Lai Châu, Hòa Bình")."""
    by_value: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        if r["group"] is not None and r["value"] != "—":
            by_value.setdefault(r["value"], []).append(r)
    return [
        f"{v}: {', '.join(r['name'] for r in same)}"
        for v, same in by_value.items()
        if len({r["group"] for r in same}) > 1
    ]


def _view(
    table: IndexTable, lang: str, available: set[tuple[str, str]], files=DEFAULT_FILES
) -> dict[str, Any]:
    """What the template shows of one table (all text pre-formatted, escaped by the template)."""
    name = short_name(table.key, lang)
    rows, missing = [], []
    for row in table.rows.itertuples():
        display = row.name_en if lang == "en" else row.name
        links = _links(row.slug, lang, available, files)
        if pd.isna(row.value) and pd.isna(row.rank):
            missing.append({"name": display, "href": links[0]["html"] if links else ""})
            continue
        group = None if pd.isna(row.group) else int(row.group)
        fill = tilemap.GROUP_COLOURS[group]
        rows.append(
            {
                "rank": overview_rank(
                    row.rank, row.rank_given, row.rank_low, row.rank_high, lang, row.rank_released
                ),
                "name": display,
                "links": links,
                "value": "—" if pd.isna(row.value) else fmt(row.value, table.key, lang, places=row.places),
                "group": group,
                "group_style": f"background:{fill};color:{tilemap.text_colour(fill)}",
                "change": fmt(row.change, table.key, lang, signed=True, places=row.change_places),
            }
        )
    if table.prev_year is None:
        change_head = tilemap.label("change_none", lang)
    else:
        change_head = tilemap.label("change", lang, prev=table.prev_year)
    notes = []
    late = table.rows[table.rows["prev_late"]]
    if len(late) and table.prev_year is not None:  # a change against a value that year's page lacks
        names = ", ".join(late["name_en" if lang == "en" else "name"])
        until = rulebook.read_until(table.prev_year)
        notes.append(tilemap.label("prev_late", lang, prev=table.prev_year, until=until, names=names))
    if not table.comparable:
        reason = tilemap.label("papi_break", lang)
        notes.append(f"{change_head}: {tilemap.label('not_comparable', lang, reason=reason)}.")
    if group_only(table):
        notes.append(tilemap.label("papi_note", lang))
    ties = _ties_across_groups(rows)
    if ties:  # the groups are cut on unrounded scores: say why equal printed values differ
        notes.append(tilemap.label("rounded_ties", lang, ties="; ".join(ties)))
    if any(r["rank"].endswith("*") for r in rows):
        held = rulebook.publisher_ranks(table.key, table.year)  # DTI ranks; we computed the rest
        # the rule book's year-true horizon for sources, capped at the data's cut-off
        until = fmt_read_to(rulebook.read_to(table.year, pagefacts.cutoff()), lang)
        notes.append(
            tilemap.label(
                "rank_computed_held" if held else "rank_computed_note", lang, n=table.n, until=until
            )
        )
    if (table.rows["rank_released"] == rulebook.BY_PROVINCE).any():  # the mark of overview_rank
        notes.append(tilemap.label("rank_by_province", lang))
    if not table.grouped:
        notes.append(tilemap.label("coverage_partial", lang, n=len(rows), of=table.size, year=table.year))
        pub = _publication(table)
        if pub is not None and pub.released == "top_n" and pub.top_n:
            notes.extend(pagefacts.top_n_notes(table.rows, pub.top_n, pub.complete_held, lang))
        elif pub is not None and pub.released == "full" and not pub.complete_held:
            notes.append(tilemap.label("held_partial", lang))
    notes.extend(pagefacts.conflict_notes(table.regime, table.year, table.key, lang))
    return {
        "key": table.key,
        "anchor": f"i-{table.key}",
        "name": name,
        "full_name": indicators.get(table.key).name(lang),
        "n": len(rows),  # provinces shown with a score or a rank
        "size": table.size,
        "rows": rows,
        "missing": missing,
        "missing_text": tilemap.label("no_value", lang, n=len(missing)),
        "change_head": change_head,
        "notes": notes,
        "csv": f"../{csv_name(table)}",
        "map": _map(table, lang, available, files) if table.grouped else "",
        "group_only": group_only(table),
        "grouped": table.grouped,  # no group column for a top-N list: it would be all dashes
    }


@functools.cache
def overview_template() -> Any:
    """Compiled once per process (the one-briefing build compiles it while its kernel runs)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    templates = config.PACKAGE_DIR / "templates"
    env = Environment(loader=FileSystemLoader(str(templates)), autoescape=select_autoescape(default=True))
    return env.get_template("overview.html.j2")


def render_overview(
    tables: list[IndexTable],
    year: int,
    lang: str,
    available: set[tuple[str, str]],
    data_version: str = "",
    langs: Iterable[str] = (),
    files: Sequence[tuple[str, str]] = DEFAULT_FILES,
    facts: Mapping[str, Any] | None = None,
) -> str:
    """The overview page (HTML, no script, nothing loaded from outside); `langs`: the languages the
    overview is written in this year (the other one is linked only if it is among them); `files`:
    (label, suffix) of the briefing files to link; `facts`: `pagefacts.facts` (sources, date…)."""
    from markupsafe import Markup

    regime = provinces.regime_for_year(year)
    views = [_view(t, lang, available, files) for t in tables]
    for v in views:
        v["map"] = Markup(v["map"])  # built by tilemap from escaped parts
    facts = dict(facts or {})
    empty = None if tables else pagefacts.empty_year(regime, year, lang, available, facts, OVERVIEW_NAME)
    other = "en" if lang == "vi" else "vi"
    labels = {
        k: tilemap.label(k, lang)
        for k in (
            "rank",
            "province",
            "value",
            "group",
            "briefings",
            "download_csv",
            "contents",
            "back_to_index",
        )
    }
    return overview_template().render(
        lang=lang,
        year=year,
        title=tilemap.label("overview_title", lang, year=year),
        intro=tilemap.label("overview_intro", lang, year=year, n=len(provinces.all_provinces(regime))),
        caption=tilemap.label("map_caption", lang),
        tables=views,
        labels=labels,
        other=(
            {"lang": other, "label": tilemap.label("other_lang", lang), "href": f"../{other}/{OVERVIEW_NAME}"}
            if other in set(langs)
            else None
        ),
        data_version=data_version,
        data_version_label=tilemap.label("data_version", lang),
        empty=empty,
        tile_key=pagefacts.tile_key(regime, lang) if (empty or any(v["map"] for v in views)) else None,
        **pagefacts.labels(facts, lang),
    )


# ------------------------------------------------------------------------------------------ files
