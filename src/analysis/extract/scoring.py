"""Precision and recall of the extractor against hand-read figures (tests, scripts/extract_scores.py
and benchmarks/bench_extract.py), and the annotated test texts (tests/data/extract_texts/README.md)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from analysis.extract.figures import Candidate, _plain
from analysis.numbers import parse_figure


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


def score(
    found: Sequence[Candidate], expected: Sequence[dict[str, str]], fields: Sequence[str] = SCORED_FIELDS
) -> Score:
    """Compare one text's candidates with the expected rows (columns of tests/data/extract_expected).

    A figure matches on its span and its absolute value (a place lost, -5, matches the span "5";
    its sign is then part of what `value` agreement would say, not of finding it)."""
    want = {(int(r["start"]), int(r["end"]), abs(float(r["value"]))): r for r in expected}
    got = {(c.start, c.end, abs(c.value)): c for c in found}
    both = set(want) & set(got)
    agree = {
        name: sum(_as_text(getattr(got[k], name)) == _as_text(want[k][name]) for k in both) for name in fields
    }
    return Score(expected=len(want), found=len(got), matched=len(both), agree=agree)


ANNOTATED_FIELDS = ("indicator", "province", "year", "qualifier", "value")
_ANNOTATION = re.compile(r"\{\{(.*?)\}\}")


def read_annotated(source: str) -> tuple[str, list[dict[str, str]]]:
    """An annotated test text → (the plain text, its expected figures).

    `{{span|indicator|province|year|qualifier|value}}` marks a figure (tests/data/extract_texts/
    README.md); a line `%% province=…; year=…` sets the defaults and is dropped from the text.
    """
    defaults: dict[str, str] = {}
    kept = []
    for line in source.splitlines(keepends=True):
        if line.startswith("%%"):
            defaults.update(dict(p.strip().split("=", 1) for p in line[2:].split(";") if "=" in p))
        else:
            kept.append(line)
    marked = "".join(kept)
    parts: list[str] = []
    length = 0
    last = 0
    expected = []
    for m in _ANNOTATION.finditer(marked):
        parts.append(marked[last : m.start()])
        length += m.start() - last
        span, indicator, province, year, qualifier, value = (m.group(1).split("|") + [""] * 6)[:6]
        expected.append(
            {
                "start": str(length),
                "end": str(length + len(span)),
                "text": span,
                "value": value or _plain(parse_figure(span).value),
                "indicator": indicator,
                "province": "" if province == "-" else province or defaults.get("province", ""),
                "year": year or defaults.get("year", ""),
                "qualifier": qualifier or "exact",
            }
        )
        parts.append(span)
        length += len(span)
        last = m.end()
    parts.append(marked[last:])
    return "".join(parts), expected
