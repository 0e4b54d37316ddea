"""Year-true: what a briefing of a year may show, cite and tell (issue #16: nothing dated after it).

One rule for figures, citations and events, in one place:

- a **figure** appears in the briefing of year Y only if it describes Y or earlier: its year ≤ Y and
  its period ends by 31/12/Y (a span 2022–2025, an as-of date of 22/01/2024 end after 2023);
- a **source** or an **event** is known to the briefing of year Y when it is dated no later than the
  end of Y + `HORIZON`: the indices of year Y (PCI, PAPI, PAR Index, SIPAS, DTI) are published
  during Y + 1, so a briefing of Y is written in Y + 1, never later. A figure whose only source is
  dated later (Lào Cai's PCI 2023 rank, known from a May 2025 article on PCI 2024) is left out of
  the briefings before that source's year − 1; the 2025 merger (2025-07-01) is told from the 2024
  briefings on, never in a 2023 one;
- an undated source is dated by its edition (a copy of a publisher's table): within the horizon.

A source's date is the one its citation prints (the register of sources), else the one a press
row's note gives after the title ("Báo Lào Cai: … (2025-05); …"); every row citing the same address
shares it (`analysis.briefing.metrics.source_dates` reads them from the frame).
"""

from __future__ import annotations

import csv
import re
from functools import cache

from analysis.config import PACKAGE_DATA
from analysis.provinces import MERGER_DATE

HORIZON = 1  # years after the briefing's year whose publications and events it may tell of

_NOTE_DATE = re.compile(r"^[^;]*\((\d{4})(?:-(\d{2}))?(?:-(\d{2}))?\)\s*(?:;|$)")
_PERIOD_END = re.compile(r"(\d{4})(?!.*\d{4})")  # the last four-digit year written in a period


def date_year(date: str) -> int | None:
    """The year of an ISO date or year ('2025-05', '2024-08-19', '2023'); None when undated."""
    m = re.match(r"\s*(\d{4})", str(date or ""))
    return int(m.group(1)) if m else None


def read_until(briefing_year: int) -> int:
    """The last year whose sources the briefing of `briefing_year` reads (its horizon's end): a figure
    of that year published later is in later years' briefings only, and the briefing says so."""
    return int(briefing_year) + HORIZON


def read_to(briefing_year: int, cutoff: str = "") -> int | str:
    """Up to when the briefing of `briefing_year` has read its sources, as it may say so: to the end
    of its horizon's year (`read_until`), else, when that year has not ended by the data's cut-off
    (`cutoff`, the date the page's stamp shows), to the cut-off date itself: a 2025 briefing built in
    December 2026 has not read 2026's sources to the year's end."""
    until = read_until(briefing_year)
    cut = str(cutoff or "").strip()
    return cut if cut[:4].isdigit() and cut < f"{until}-12-31" else until


def known_by(briefing_year: int, date: str) -> bool:
    """Whether a source or event of this date is known to the briefing of `briefing_year`."""
    y = date_year(date)
    return y is None or y <= read_until(briefing_year)


def merger_known(briefing_year: int) -> bool:
    """Whether the briefing of this year may tell of the 2025 merger (from the 2024 briefings on)."""
    return known_by(briefing_year, MERGER_DATE)


def note_date(note: str) -> str:
    """The article's date a press row's note gives after its title ('… (2025-05); …'), else ''."""
    m = _NOTE_DATE.match(str(note or ""))
    return "-".join(g for g in m.groups() if g) if m else ""


def period_end_year(period: str, year: int) -> int:
    """The last year a figure's period reaches (its year when the period is not written)."""
    found = _PERIOD_END.search(str(period or ""))
    return max(int(year), int(found.group(1))) if found else int(year)


def first_year(year: int, period: str = "", source_date: str = "") -> int:
    """The first briefing year that may show a figure of `year` and `period` from a source of
    `source_date`: no earlier than its period's end, nor than its source's year − HORIZON."""
    first = period_end_year(period, year)
    src = date_year(source_date)
    return first if src is None else max(first, src - HORIZON)


def shown_in(briefing_year: int, year: int, period: str = "", source_date: str = "") -> bool:
    """The one test: may the briefing of `briefing_year` show this figure?"""
    return first_year(year, period, source_date) <= int(briefing_year)


@cache
def _unheld() -> tuple[dict[str, str], ...]:
    with (PACKAGE_DATA / "unheld_series.csv").open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


def unheld_series(regime: str, briefing_year: int) -> tuple[dict[str, str], ...]:
    """Series a publisher released for the regime's provinces that our data do not hold
    (`data/unheld_series.csv`: DTI 2024 for the 34 provinces), as a page of `briefing_year` may tell
    of them: of that year or earlier, published within its horizon. One rule for the briefings'
    notes and the national overview."""
    return tuple(
        r
        for r in _unheld()
        if r["regime"] == str(regime)
        and int(r["year"]) <= int(briefing_year)
        and known_by(briefing_year, r["published"])
    )


@cache
def _no_result() -> tuple[dict[str, str], ...]:
    with (PACKAGE_DATA / "no_result.csv").open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


def no_result(index: str, after: int, briefing_year: int) -> dict[int, tuple[str, ...]]:
    """Editions of `index` after the year `after` and up to the briefing's year, as that page may know
    them, with the provinces the publisher released no result for (`data/no_result.csv`: PAPI 2024
    has none for Vĩnh Phúc): a province shown with an earlier figure than the others says why."""
    out: dict[int, tuple[str, ...]] = {}
    for r in _no_result():
        y = int(r["year"])
        if (
            r["index"] == index
            and after < y <= int(briefing_year)
            and known_by(briefing_year, r["published"])
        ):
            out[y] = (*out.get(y, ()), r["province"])
    return out
