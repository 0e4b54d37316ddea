"""Data to take away: a briefing's own figures as a CSV beside its HTML and PDF (`<slug>.csv`).

The rows are those the briefing of that year reads (`analysis.briefing.inputs.briefing_inputs`,
cut by the rule book's year-true rule: nothing of a later year, of a period ending later, or known
only from a source dated past the year's horizon), kept to the province's own and, for one of the
34, its predecessors' (their history is the briefing's): other provinces' rows are there only for
ranks and medians, and are not the briefing's figures. A 2023 CSV is therefore not the 2024 one.
Other provinces' rows follow only where their source is a press or portal article (column `role`:
"nguồn so sánh (tỉnh khác)" / "comparison source (another province)"): the notes name those sites
only, to stay short, and their lead line sends the reader here for each article's address.

A rank is the rule book's (`analysis.rulebook`), from the briefing's rows: the publisher's with
its base, or computed where the rows hold the complete ranked set, else none, or only bounds by
score where published neighbours allow ("33–62 (by score)" on the page: `rank_low`, `rank_high`).
Its columns are `csvtext.rank_columns`'s, the `rank_kind` a word of the CSV's language that
`csvtext.kind_of` reads back, so the CSV gives the rank the briefing gives. A published rank read
from another source than its score (PCI 2021 of Nghệ An: the score from a research panel's copy, which
holds no ranks; the rank from Báo Nghệ An) names its own source in `rank_citation` and `rank_url`,
so no row lets the score's source vouch for a rank it does not hold. A figure read from a copy of
its publisher's table (a GitHub copy of VCCI's workbook) is cited as the page cites it: the citation
says "bản sao trên github.com" / "a copy on github.com", `url` is the copy's address and
`original_url` the publisher's own. Every text cell is neutralised against spreadsheet formulas.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pandas as pd

from analysis import indicators, provinces, rulebook
from analysis.briefing import metrics
from analysis.briefing.fmt import scale_word
from analysis.briefing.scope import scope_for
from analysis.citations import word
from analysis.national import csvtext
from analysis.writing import csv_safe

if TYPE_CHECKING:
    from analysis.citations import Citations

COLUMNS = [
    "role",
    "province_code",
    "province",
    "regime",
    "indicator",
    "indicator_name",
    "year",
    "value",
    "unit",
    "qualifier",
    "precision",
    "period",
    "scale",
    "rank",
    "rank_low",
    "rank_high",
    "rank_of",
    "rank_kind",
    "rank_citation",
    "rank_url",
    "source",
    "citation",
    "url",
    "original_url",
    "note",
]


def _base(key: str) -> str | None:
    """The index a rank key belongs to (pci_rank → pci, idx766_rank → idx766_total); None if not a rank."""
    return rulebook.index_of_rank(key)


def _rank(rows: pd.DataFrame, code: str, regime: str, year: int, key: str) -> rulebook.Rank:
    """The province's rank on `key` that year, by the rule book, from the briefing's rows."""
    return metrics.rank_of(rows, code, regime, year, key)


def _rank_sources(own: pd.DataFrame) -> dict[tuple[str, str, int, str, int], tuple[str, str]]:
    """(code, regime, year, rank key, rank) → (source, source_ref) of the row stating that rank."""
    ranks = own[own["indicator"].map(lambda k: rulebook.index_of_rank(str(k)) is not None)]
    refs = ranks["source_ref"] if "source_ref" in ranks else pd.Series("", index=ranks.index)
    out: dict[tuple[str, str, int, str, int], tuple[str, str]] = {}
    for r, ref in zip(ranks.itertuples(index=False), refs, strict=True):
        key = (str(r.province_code), str(r.regime), int(r.year), str(r.indicator), round(float(r.value)))
        out.setdefault(key, (str(r.source or ""), str(ref or "")))
    return out


def _rank_citation(
    rank: rulebook.Rank, stated: tuple[str, str] | None, cit: object, citations: Citations | None, lang: str
) -> dict[str, str]:
    """The published rank's own source where it is not the row's (the row's citation holds no rank)."""
    empty = {"rank_citation": "", "rank_url": ""}
    if not rank.given or stated is None or citations is None or cit is None:
        return empty
    own = citations.cite(*stated)
    if (own.url, own.text(lang)) == (cit.url, cit.text(lang)):
        return empty
    return {"rank_citation": own.text(lang), "rank_url": own.url}


def _press_rows(rows: pd.DataFrame, citations: Citations) -> pd.DataFrame:
    """Other provinces' figures the briefing reads whose source is a press or portal article with an
    address: the notes name those sites only ("press and portals (8 sites: …)"), so the CSV carries
    each article's address (the notes' lead line says so)."""
    rows = rows.dropna(subset=["value"])
    rows = rows.drop_duplicates(["province_code", "regime", "year", "indicator", "value", "source"])
    refs = rows["source_ref"] if "source_ref" in rows else pd.Series("", index=rows.index)
    keep, seen = [], {}
    for src, ref, y in zip(rows["source"], refs, rows["year"], strict=True):
        key = (str(src or ""), str(ref or ""), int(y))
        if key not in seen:
            cit = citations.cite(*key)
            seen[key] = cit.source_quality == "press" and cit.url.startswith(("http://", "https://"))
        keep.append(seen[key])
    return rows[keep]


def briefing_rows(table: pd.DataFrame, province_code: str, regime: str, year: int) -> pd.DataFrame:
    """The rows the briefing of that year reads (its rebuild key's rows): the CSV's, year-true."""
    from analysis.briefing.inputs import briefing_inputs

    return briefing_inputs(table, province_code, regime, int(year))


def takeaway_frame(
    table: pd.DataFrame,
    province_code: str,
    regime: str,
    lang: str = "vi",
    citations: Citations | None = None,
    *,
    year: int,
    rows: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The briefing's own figures of `year` and before, one row per province, indicator and year
    (columns: COLUMNS), from the clean table (`rows`: the briefing's rows, when the caller has them)."""
    rows = briefing_rows(table, province_code, regime, year) if rows is None else rows
    province = provinces.get(province_code, regime)
    own = metrics.own_rows(rows, scope_for(province, lang)).dropna(subset=["value"])
    own = own.sort_values(["province_code", "regime", "year", "indicator", "source"], kind="stable")
    own = own.drop_duplicates(["province_code", "regime", "year", "indicator", "value"])
    others = _press_rows(rows[~rows.index.isin(own.index)], citations) if citations else own.iloc[0:0]
    own = pd.concat([own.assign(role_="own"), others.assign(role_="comparison")])
    have = set(zip(own["province_code"], own["regime"], own["year"], own["indicator"], strict=True))
    stated = _rank_sources(own)
    names = {
        (p.code, p.regime): (p.name_en if lang == "en" else p.name)
        for r in ("63", "34")
        for p in provinces.all_provinces(r)
    }
    cat = indicators.catalogue()
    out = []
    for r in own.itertuples(index=False):
        code, reg, year, key = str(r.province_code), str(r.regime), int(r.year), str(r.indicator)
        base = _base(key)
        if base is not None and (code, reg, year, base) in have:
            continue  # the rank is in the rank column of its index's row
        # a published rank with no score beside it is itself a figure: its index's rank
        rank = _rank(rows, code, reg, year, base or key)
        ind = cat.get(key)
        cit = (  # the year's citation: a publisher may change (DTI 2024: the science ministry's)
            citations.cite(str(r.source or ""), str(getattr(r, "source_ref", "") or ""), year)
            if citations
            else None
        )
        out.append(
            {
                "role": word(f"csv_role_{r.role_}", lang),
                "province_code": code,
                "province": names.get((code, reg), str(r.province_name)),
                "regime": reg,
                "indicator": key,
                "indicator_name": ind.name(lang) if ind else key,
                "year": year,
                "value": float(r.value),
                "unit": csvtext.unit_word(r.unit, lang),  # words of the CSV's language, not our keys
                "qualifier": csvtext.qualifier_word(getattr(r, "qualifier", "") or "exact", lang),
                # what the source wrote: digits after the separator, the period (else the year)
                "precision": getattr(r, "precision", None),
                "period": str(getattr(r, "period", "") or year),
                "scale": scale_word(getattr(r, "scale", None), lang),  # "triệu": the source's word
                **csvtext.rank_columns(rank, lang),  # as the page says it, bounds included
                **_rank_citation(
                    rank,
                    stated.get((code, reg, year, rulebook.rank_key(base or key) or "", rank.rank or 0)),
                    cit,
                    citations,
                    lang,
                ),
                "source": csvtext.source_text(r.source, cit.url if cit else ""),
                # as the page cites it: a copy says so and where ("bản sao trên github.com"), with
                # the original's address beside the copy's (the page prints both)
                "citation": cit.text(lang) if cit else "",
                "url": cit.url if cit else "",
                "original_url": cit.original_url if cit and cit.is_copy else "",
                "note": csvtext.note_text(getattr(r, "note", "") or "", lang),
            }
        )
    frame = pd.DataFrame(out, columns=COLUMNS)
    order = {k: i for i, k in enumerate(cat)}
    frame["_o"] = frame["indicator"].map(order).fillna(len(order))
    frame["_r"] = (frame["regime"] != regime).astype(int)  # the province's own regime first
    frame["_c"] = (frame["role"] != word("csv_role_own", lang)).astype(int)  # its own figures first
    order_by = ["_c", "_r", "province_code", "_o", "year"]
    frame = frame.sort_values(order_by, kind="stable").drop(columns=["_o", "_r", "_c"])
    for col in ("rank", "rank_low", "rank_high", "rank_of", "precision"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("Int64")
    return frame.reset_index(drop=True)


def takeaway_csv(
    table: pd.DataFrame,
    province_code: str,
    regime: str,
    lang: str = "vi",
    citations: Citations | None = None,
    *,
    year: int,
) -> bytes:
    """`takeaway_frame` as UTF-8 CSV bytes (with a BOM for spreadsheets), formula text neutralised."""
    buf = io.StringIO()
    frame = takeaway_frame(table, province_code, regime, lang, citations, year=year)
    csv_safe(frame).to_csv(buf, index=False)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
