"""What every section of one briefing shares: who, which year, which language, what was asked.

A plain data holder built once per briefing; sections read it, never the `Briefing` object, so
the section modules do not import the object that displays them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis import provinces, rulebook
from analysis.briefing import labels, metrics
from analysis.briefing.scope import Scope, province_name, scope_for


@dataclass(frozen=True)
class Context:
    """The briefing's province, year and language, and the notes the resolution asks for."""

    scope: Scope
    lang: str
    year_asked: int
    year: int  # the year shown: the one asked, or the latest earlier year with index values
    fell_back: bool
    region_name: str = ""
    successor_name: str = ""  # a 63-regime province: the one it is part of from 2025 (once the year knows it)
    resolution_note: str = ""  # a former province's name asked for 2025 on: which province is shown

    @property
    def display_name(self) -> str:
        return self.scope.name


def context_rows(df: pd.DataFrame, p: provinces.Province) -> pd.DataFrame:
    """The rows the context itself reads: the province's own index rows (the year rule)."""
    return metrics.index_rows(df, p.code, p.regime)


def make_context(
    df: pd.DataFrame, p: provinces.Province, year: int, lang: str, asked: provinces.Province | None = None
) -> Context:
    """The context of a briefing of province `p`; `asked` is the former province a name asked for."""
    labels.check_lang(lang)
    scope = scope_for(p, lang)
    # The briefing keeps the year asked (issue #10): an index without a figure that year shows its
    # latest earlier figure, labelled with its own year, in the headline; the year never moves.
    eff, fell_back = int(year), False
    successor = ""
    # the merger of 2025-07-01 is told only where the year may know it (the rule book's year-true
    # rule: from the 2024 briefings on, never "from 1 July 2025 part of …" in a 2023 briefing)
    known = rulebook.merger_known(int(year))
    if known and p.regime == "63" and (p.code, p.regime) in provinces.registry().successors:
        successor = province_name(provinces.successor(p), lang)
    note = ""
    if asked is not None:
        old = province_name(asked, lang)
        when = _day(provinces.ended(asked), lang)
        note = labels.t(
            "asked_old_name", lang, old=old, name=province_name(p, lang), year=int(year), date=when
        )
    return Context(
        scope=scope,
        lang=lang,
        year_asked=int(year),
        year=eff,
        fell_back=fell_back,
        region_name=provinces.region_name(p.region, lang) if p.region else "",
        successor_name=successor,
        resolution_note=note,
    )


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October")
_MONTHS += ("November", "December")


def _day(iso: str, lang: str) -> str:
    """'2008-08-01' as the briefing writes a date: '01/8/2008' (vi), '1 August 2008' (en)."""
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{d:02d}/{m}/{y}" if lang == "vi" else f"{d} {_MONTHS[m - 1]} {y}"
