"""National targets: which target, if any, a figure may be shown against.

A target measures one indicator over one denominator (procedures, dossiers, respondents) by a
deadline, and was decided on a date. A figure is shown against it only when:

- it is the same indicator, in the same unit (a rank is never set against a percentage);
- it counts the same denominator (a share of *dossiers* paid online is not a share of *procedures*);
- the target was decided by the end of the figure's year (a 2024 figure is not measured against a
  decision of 09/2025);
- the figure's year is not after the deadline (an expired target is left out).

Among several that match, the one decided last is the framework in force.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from analysis.config import PACKAGE_DATA


@dataclass(frozen=True)
class Target:
    indicator: str
    value: float
    unit: str
    qualifier: str  # over / exact: "above 80%" keeps its word
    deadline: int
    decided: str  # ISO date of the decision
    denominator: str
    by_vi: str
    by_en: str
    set_by_vi: str
    set_by_en: str
    source_url: str
    note_vi: str
    note_en: str

    @property
    def decided_year(self) -> int:
        return int(self.decided[:4])

    def row(self) -> dict[str, object]:
        """The columns the briefing's online table carries (see sections.online)."""
        return {
            "target": self.value,
            "target_qualifier": self.qualifier,
            "target_deadline": self.deadline,
            "target_decided": self.decided,
            "target_by_vi": self.by_vi,
            "target_by_en": self.by_en,
            "set_by_vi": self.set_by_vi,
            "set_by_en": self.set_by_en,
            "source_url": self.source_url,
            "target_note_vi": self.note_vi,
            "target_note_en": self.note_en,
        }


@cache
def targets() -> tuple[Target, ...]:
    with (PACKAGE_DATA / "targets.csv").open(encoding="utf-8", newline="") as fh:
        return tuple(
            Target(
                indicator=r["indicator"],
                value=float(r["target_value"]),
                unit=r["unit"],
                qualifier=r["qualifier"] or "exact",
                deadline=int(r["deadline"]),
                decided=r["decided"],
                denominator=r["denominator"],
                by_vi=r["by_vi"],
                by_en=r["by_en"],
                set_by_vi=r["set_by_vi"],
                set_by_en=r["set_by_en"],
                source_url=r["source_url"],
                note_vi=r["note_vi"],
                note_en=r["note_en"],
            )
            for r in csv.DictReader(fh)
        )


@cache
def denominators() -> dict[str, str]:
    """What each rate indicator counts (data/indicator_denominators.csv)."""
    with (PACKAGE_DATA / "indicator_denominators.csv").open(encoding="utf-8", newline="") as fh:
        return {r["indicator"]: r["denominator"] for r in csv.DictReader(fh)}


def why_not(t: Target, indicator: str, unit: str, year: int) -> str:
    """'' when the target is the figure's; else the rule it breaks (the audit prints it)."""
    if t.indicator != indicator:
        return "another indicator"
    if t.unit != unit:
        return f"a {t.unit} target against a {unit}"
    if denominators().get(indicator) != t.denominator:
        return (
            f"the target counts {t.denominator}, the figure {denominators().get(indicator, 'something else')}"
        )
    if t.decided_year > int(year):
        return f"decided {t.decided}, after the figure's year {year}"
    if int(year) > t.deadline:
        return f"expired in {t.deadline}"
    return ""


def target_for(indicator: str, unit: str, year: int) -> Target | None:
    """The target a figure of `indicator` (in `unit`, for `year`) is measured against, or None."""
    fits = [t for t in targets() if not why_not(t, indicator, unit, year)]
    return max(fits, key=lambda t: t.decided) if fits else None
