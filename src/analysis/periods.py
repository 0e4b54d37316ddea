"""The period a figure describes, as its source states it, beside the assessment year it is filed under.

A source gives a figure for a year ("năm 2024"), a span of years ("giai đoạn 2022–2025"), part of
a year (a quarter, "6 tháng đầu năm 2023"), or as of a date (a portal's snapshot on 22/01/2024, a
year-to-date count "tính đến ngày 21/6/2023"). The clean table files every figure under one
assessment year (`year`) and keeps the period beside it, written one way:

| kind     | written           | example source words                  |
|----------|-------------------|---------------------------------------|
| year     | `2024`            | năm 2024                              |
| span     | `2022-2025`       | giai đoạn 2022–2025                   |
| quarter  | `2024-Q1`         | quý I/2024                            |
| months   | `2023-01/2023-06` | 6 tháng đầu năm 2023 (one month: `2023-06`) |
| as_of    | `2024-01-22`      | tính đến ngày 22/01/2024              |

`parse_period` reads the written forms (and en dashes, spaces); the extractor reads the Vietnamese
phrases and writes these forms.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from analysis.errors import AnalysisError

PeriodKind = Literal["year", "span", "quarter", "months", "as_of"]
PERIOD_KINDS: tuple[str, ...] = ("year", "span", "quarter", "months", "as_of")

_DASH = "[-\u2013\u2014]"
_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("year", re.compile(r"(?P<y>\d{4})")),
    ("span", re.compile(rf"(?P<y1>\d{{4}})\s*{_DASH}\s*(?P<y2>\d{{4}})")),
    ("quarter", re.compile(rf"(?P<y>\d{{4}})\s*{_DASH}\s*Q(?P<q>[1-4])", re.I)),
    ("months", re.compile(r"(?P<y1>\d{4})-(?P<m1>\d{2})(?:\s*/\s*(?P<y2>\d{4})-(?P<m2>\d{2}))?")),
    ("as_of", re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})")),
)


class PeriodError(AnalysisError, ValueError):
    """A period that cannot be read or does not fit its figure; carries the text and the reason."""

    def __init__(self, text: str, reason: str):
        self.text, self.reason = text, reason
        super().__init__(f"period {text!r}: {reason}")


@dataclass(frozen=True)
class Period:
    """A period: its kind and the first and last day it covers (an as-of date: that day only)."""

    kind: PeriodKind
    start: date
    end: date

    @property
    def text(self) -> str:
        """The one written form (see the module's table)."""
        s, e = self.start, self.end
        if self.kind == "year":
            return f"{s.year}"
        if self.kind == "span":
            return f"{s.year}-{e.year}"
        if self.kind == "quarter":
            return f"{s.year}-Q{(s.month - 1) // 3 + 1}"
        if self.kind == "months":
            first = f"{s.year}-{s.month:02d}"
            return first if (s.year, s.month) == (e.year, e.month) else f"{first}/{e.year}-{e.month:02d}"
        return s.isoformat()

    def covers(self, year: int) -> bool:
        """Whether a figure of this period may be filed under assessment year `year`.

        The year must lie within the period; an as-of date early in a year may also report on the
        year before (a portal's snapshot of 22/01/2024 speaks of 2023's results).
        """
        if self.kind == "as_of":
            return year in (self.start.year, self.start.year - 1)
        return self.start.year <= year <= self.end.year


def year_period(year: int) -> Period:
    """The period of a figure that states none: its assessment year."""
    return Period("year", date(int(year), 1, 1), date(int(year), 12, 31))


def span(first: int, last: int) -> Period:
    if last < first:
        raise PeriodError(f"{first}-{last}", "a span's last year comes before its first")
    if last == first:
        return year_period(first)
    return Period("span", date(first, 1, 1), date(last, 12, 31))


def months(year: int, first: int, last: int, last_year: int | None = None) -> Period:
    """Months `first`..`last` (1-12) of `year` (or up to `last` of `last_year`)."""
    end_year = last_year or year
    if not (1 <= first <= 12 and 1 <= last <= 12) or (end_year, last) < (year, first):
        raise PeriodError(f"{year}-{first:02d}/{end_year}-{last:02d}", "not a run of months")
    if (year, first, last) == (end_year, 1, 12):
        return year_period(year)
    end = date(end_year, last, calendar.monthrange(end_year, last)[1])
    return Period("months", date(year, first, 1), end)


def quarter(year: int, q: int) -> Period:
    if not 1 <= q <= 4:
        raise PeriodError(f"{year}-Q{q}", "a quarter is 1 to 4")
    p = months(year, 3 * q - 2, 3 * q)
    return Period("quarter", p.start, p.end)


def as_of(day: date) -> Period:
    return Period("as_of", day, day)


def parse_period(text: str) -> Period:
    """Read a written period (the module's table); raises PeriodError naming the text."""
    raw = str(text).strip()
    for kind, pattern in _FORMS:
        m = pattern.fullmatch(raw)
        if not m:
            continue
        try:
            if kind == "year":
                return year_period(int(m["y"]))
            if kind == "span":
                return span(int(m["y1"]), int(m["y2"]))
            if kind == "quarter":
                return quarter(int(m["y"]), int(m["q"]))
            if kind == "months":
                y1, m1 = int(m["y1"]), int(m["m1"])
                return months(y1, m1, int(m["m2"] or m1), int(m["y2"] or y1))
            return as_of(date(int(m["y"]), int(m["m"]), int(m["d"])))
        except ValueError as exc:
            raise PeriodError(raw, str(exc)) from None
    raise PeriodError(
        raw,
        "not a period: write a year (2024), a span (2022-2025), a quarter (2024-Q1), "
        "months (2023-01/2023-06) or an as-of date (2024-01-22)",
    )


PER_YEAR = "mỗi năm"  # a yearly amount's words, kept in its row's note (not a period: docs/figure-model.md)


def is_per_year(note: object) -> bool:
    """A yearly amount ("35,5 tỷ đồng mỗi năm"): its note keeps the source's "mỗi năm". The one test of
    it: the page, the take-away CSV and the audit all ask here."""
    return PER_YEAR in str(note or "").lower()


def period_kind(text: str) -> str:
    """The kind of a written period ("" when it cannot be read)."""
    try:
        return parse_period(text).kind
    except PeriodError:
        return ""
