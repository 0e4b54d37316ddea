"""What each publisher released, per index and year, and what a briefing may truthfully say about it.

Ranks, groups and changes are the rule book's (`analysis.rulebook`); this module holds the facts.
A missing figure means different things: PCI from 2023 publishes only its top 30, so a province
outside them has no score by design; PAR Index tables are published but we hold only top lists; PAPI
publishes scores but no ranks, only four quartile groups. The facts are data
(`data/publications.csv`, `data/papi_groups.csv`); this module reads them and answers, purely, for
a province and year: is there a value, is the province known to be outside a published top N, or
was no published figure found.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

import pandas as pd

from analysis.config import MERGER_YEAR, PACKAGE_DATA

VALUE = "value"
NOT_IN_TOP_N = "not in the published top N"
NOT_FOUND = "no published figure found"
STATUSES = (VALUE, NOT_IN_TOP_N, NOT_FOUND)
RELEASES = ("full", "top_n", "partial", "groups_only", "none")


@dataclass(frozen=True)
class Publication:
    """One index-year as its publisher released it, and whether we hold all of it."""

    index: str
    year: int
    released: str  # one of RELEASES
    top_n: int | None
    complete_held: bool  # we hold every figure the publisher released for this year
    ranks_published: bool
    grouping: str  # "quartiles" for PAPI, else ""
    source: str
    note: str


@dataclass(frozen=True)
class QuartileGroup:
    """A province's group under PAPI's convention (four quartiles of the aggregate), computed by us."""

    group: int  # 1 = top quartile … 4 = bottom quartile
    label_en: str
    label_vi: str
    colour: str
    of: int  # provinces with a score that year
    computed: bool = True  # PAPI publishes the groups in its maps; we recompute them from the scores

    def label(self, lang: str = "vi") -> str:
        return self.label_en if lang == "en" else self.label_vi


def _bool(text: str) -> bool:
    return text.strip().lower() == "true"


@cache
def publications() -> dict[tuple[str, int], Publication]:
    """Every (index, year) the publishers released, from data/publications.csv."""
    with (PACKAGE_DATA / "publications.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = {}
    for r in rows:
        pub = Publication(
            index=r["index"],
            year=int(r["year"]),
            released=r["released"],
            top_n=int(r["top_n"]) if r["top_n"].strip() else None,
            complete_held=_bool(r["complete_held"]),
            ranks_published=_bool(r["ranks_published"]),
            grouping=r["grouping"],
            source=r["source"],
            note=r["note"],
        )
        out[(pub.index, pub.year)] = pub
    return out


def publication(index: str, year: int) -> Publication | None:
    """What was published for this index and year; None when we have no record of an edition."""
    return publications().get((index, int(year)))


def _regime(year: int) -> str:
    return "34" if year >= MERGER_YEAR else "63"


def _rows(df: pd.DataFrame, indicators: tuple[str, ...], year: int, regime: str) -> pd.DataFrame:
    return df[(df["indicator"].isin(indicators)) & (df["year"] == year) & (df["regime"] == regime)]


def status(df: pd.DataFrame, index: str, year: int, province_code: str, regime: str | None = None) -> str:
    """One of STATUSES for the province's figure of this index (score or rank) in this year.

    "not in the published top N" only where the publisher released a top N and we hold all of it;
    otherwise a missing figure is "no published figure found" (it may exist in a table we lack).
    """
    year = int(year)
    regime = regime or _regime(year)
    rows = _rows(df, (index, f"{index}_rank"), year, regime)
    if (rows["province_code"] == province_code).any():
        return VALUE
    pub = publication(index, year)
    if pub is not None and pub.released == "top_n" and pub.complete_held:
        return NOT_IN_TOP_N
    return NOT_FOUND


def group_label(group: int, of: int) -> QuartileGroup:
    """A group (1–4, computed by the rule book) with its labels and colour from papi_groups.csv."""
    g = next(g for g in _groups() if g["group"] == group)
    return QuartileGroup(g["group"], g["label_en"], g["label_vi"], g["colour"], of)


@cache
def _groups() -> tuple[dict, ...]:
    with (PACKAGE_DATA / "papi_groups.csv").open(encoding="utf-8", newline="") as fh:
        rows = [
            {**r, "group": int(r["group"]), "lower_quantile": float(r["lower_quantile"])}
            for r in csv.DictReader(fh)
        ]
    return tuple(sorted(rows, key=lambda r: r["group"]))
