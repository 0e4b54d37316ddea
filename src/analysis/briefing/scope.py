"""Who a briefing is about: the province, its region, and for one of the 34 its former provinces.

Built from the registry once per briefing, so the section computations never look anything up
themselves and are easy to test on a small frame.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis import provinces

PRE_MERGER_REGIME = "63"


@dataclass(frozen=True)
class Member:
    """One province of one regime, as the briefing names it."""

    code: str
    regime: str
    name: str


@dataclass(frozen=True)
class Scope:
    """The province a briefing is about, with what the registry knows about it."""

    code: str
    regime: str
    name: str
    region: str = ""
    region_codes: frozenset[str] = frozenset()
    predecessors: tuple[Member, ...] = ()  # pre-2025 provinces merged into a 34-regime province

    @property
    def merged(self) -> bool:
        """True for a 34-regime province: its history is that of its predecessors."""
        return self.regime != PRE_MERGER_REGIME and bool(self.predecessors)

    def members(self) -> tuple[Member, ...]:
        """Every (code, regime) whose rows belong to this briefing's history."""
        own = Member(self.code, self.regime, self.name)
        return (own, *[p for p in self.predecessors if (p.code, p.regime) != (own.code, own.regime)])


def province_name(p: provinces.Province, lang: str) -> str:
    """A province's name in the briefing's language."""
    return p.name_en if lang == "en" else p.name


def scope_for(p: provinces.Province, lang: str = "vi") -> Scope:
    """Region members and, for one of the 34, the provinces it was formed from (names in `lang`)."""
    region = frozenset(q.code for q in provinces.all_provinces(p.regime) if q.region == p.region)
    preds: tuple[Member, ...] = ()
    if p.regime == "34":
        preds = tuple(Member(q.code, q.regime, province_name(q, lang)) for q in provinces.predecessors(p))
    return Scope(p.code, p.regime, province_name(p, lang), p.region, region, preds)
