"""Periods as sources state them: a year, a span, a quarter, months, an as-of date."""

from __future__ import annotations

from datetime import date

import pytest

from analysis.periods import PeriodError, as_of, months, parse_period, quarter, span, year_period


@pytest.mark.parametrize(
    ("text", "kind", "start", "end", "written"),
    [
        ("2024", "year", date(2024, 1, 1), date(2024, 12, 31), "2024"),
        ("2022-2025", "span", date(2022, 1, 1), date(2025, 12, 31), "2022-2025"),
        ("2022 – 2025", "span", date(2022, 1, 1), date(2025, 12, 31), "2022-2025"),
        ("2024-q1", "quarter", date(2024, 1, 1), date(2024, 3, 31), "2024-Q1"),
        ("2023-01/2023-06", "months", date(2023, 1, 1), date(2023, 6, 30), "2023-01/2023-06"),
        ("2024-02", "months", date(2024, 2, 1), date(2024, 2, 29), "2024-02"),
        ("2024-01-22", "as_of", date(2024, 1, 22), date(2024, 1, 22), "2024-01-22"),
        ("2024-01/2024-12", "year", date(2024, 1, 1), date(2024, 12, 31), "2024"),
        ("2024-2024", "year", date(2024, 1, 1), date(2024, 12, 31), "2024"),
    ],
)
def test_parse_period_reads_each_written_form(text, kind, start, end, written) -> None:
    p = parse_period(text)
    assert (p.kind, p.start, p.end, p.text) == (kind, start, end, written)
    assert parse_period(p.text) == p  # the written form reads back as itself


@pytest.mark.parametrize("text", ["", "24", "2025-2022", "2024-Q5", "2024-13", "2024-02-30", "năm 2024"])
def test_parse_period_names_what_it_cannot_read(text: str) -> None:
    with pytest.raises(PeriodError) as info:
        parse_period(text)
    assert repr(text.strip()) in str(info.value)


def test_covers_is_the_rule_for_the_filing_year() -> None:
    assert span(2022, 2025).covers(2025) and span(2022, 2025).covers(2022)
    assert not span(2022, 2025).covers(2026)
    assert year_period(2024).covers(2024) and not year_period(2024).covers(2023)
    assert quarter(2024, 1).covers(2024) and not quarter(2024, 1).covers(2025)
    assert months(2023, 1, 6).covers(2023)
    # a snapshot early in 2024 may speak of 2023's results, not of 2022's nor 2025's
    snap = as_of(date(2024, 1, 22))
    assert snap.covers(2024) and snap.covers(2023) and not snap.covers(2022) and not snap.covers(2025)
