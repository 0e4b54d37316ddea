"""Precision and recall of the extractor against hand-read figures (tests and scripts/extract_scores.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from analysis.extract.figures import Candidate, _plain


@dataclass(frozen=True)
class Score:
    """Precision/recall of extracted figures against expected ones, matched on (start, end, value)."""

    expected: int
    found: int
    matched: int
    agree: dict[str, int]  # per attribute: matched figures whose attribute equals the expected one

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0


SCORED_FIELDS = ("unit", "qualifier", "denominator", "indicator", "province", "year")


def _as_text(value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, int | float):
        return _plain(value)
    try:
        return _plain(float(str(value)))
    except ValueError:
        return str(value)


def score(found: Sequence[Candidate], expected: Sequence[dict[str, str]]) -> Score:
    """Compare one text's candidates with the expected rows (columns of tests/data/extract_expected)."""
    want = {(int(r["start"]), int(r["end"]), float(r["value"])): r for r in expected}
    got = {(c.start, c.end, c.value): c for c in found}
    both = set(want) & set(got)
    agree = {
        name: sum(_as_text(getattr(got[k], name)) == _as_text(want[k][name]) for k in both)
        for name in SCORED_FIELDS
    }
    return Score(expected=len(want), found=len(got), matched=len(both), agree=agree)
