"""What a reader asks for, checked in one place: years, year ranges, province names, languages.

The command line (`analysis reports|preview|resolve`), `provinces.resolve` and `load_briefing` in
Jupyter all check a year here, so `1999`, `2031` or `--years 2019-2021` mean the same thing
everywhere. Nothing here reads data: a caller that has the clean table passes its years
(`available`) and gets the stricter check "within the data's years".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime

from analysis.errors import AnalysisError

# The provinces as the registry knows them exist from 2004-01-01 (Điện Biên, Đắk Nông and Hậu Giang
# were created then; Hà Tây merged into Hà Nội on 2008-08-01, the 2025 merger made 34 of the 63).
FIRST_YEAR = 2004
LANGS = ("vi", "en")
_RANGE = re.compile(r"^(\d{4})\s*(?:-|–|\.\.)\s*(\d{4})$")


def last_year() -> int:
    """No assessment year lies after the current calendar year (the clean stage uses the same bound)."""
    return datetime.now(UTC).year


def check_year(year: object, available: Iterable[int] | None = None, what: str = "year") -> int:
    """`year` as an int, or an AnalysisError saying why it cannot be briefed.

    Without `available`: between FIRST_YEAR and the current year. With `available` (the years of
    the clean table): within them too, so 1999 or 2031 never build an empty briefing.
    """
    try:
        y = int(str(year).strip())
    except (TypeError, ValueError):
        raise AnalysisError(f"{what} {year!r} is not a year (e.g. 2024)") from None
    if str(year).strip() != str(y) and not isinstance(year, int):
        raise AnalysisError(f"{what} {year!r} is not a year (e.g. 2024)")
    if y < FIRST_YEAR:
        raise AnalysisError(
            f"{what} {y} is before {FIRST_YEAR}: the provinces are known from {FIRST_YEAR}-01-01 on"
        )
    if y > last_year():
        raise AnalysisError(f"{what} {y} is in the future (this is {last_year()})")
    have = sorted({int(v) for v in available}) if available is not None else None
    if have is not None:
        if not have:
            raise AnalysisError("the clean table has no years: run `make data` first")
        if not have[0] <= y <= have[-1]:
            raise AnalysisError(f"{what} {y} is outside the data's years ({have[0]}–{have[-1]})")
    return y


def parse_years(
    text: str | Iterable[object] | None, available: Iterable[int] | None = None
) -> tuple[int, ...]:
    """'2024', '2019-2021', '2018,2020-2021', 'all' (every year of `available`) -> years, in order.

    Empty text gives () (the caller's default: the latest year with data). 'all' needs `available`.
    """
    if text is None:
        return ()
    parts = [p.strip() for p in text.split(",")] if isinstance(text, str) else [str(p).strip() for p in text]
    parts = [p for p in parts if p]
    have = sorted({int(v) for v in available}) if available is not None else None
    years: list[int] = []
    for part in parts:
        if part.lower() == "all":
            if have is None:
                raise AnalysisError("years 'all' needs the clean table: run `make data` first")
            years += have
        elif m := _RANGE.match(part):
            lo, hi = check_year(m[1], have), check_year(m[2], have)
            if lo > hi:
                raise AnalysisError(f"years {part!r}: the range runs backwards (write {hi}-{lo})")
            years += range(lo, hi + 1)
        else:
            years.append(check_year(part, have))
    return tuple(dict.fromkeys(years))


def needs_data(text: str | None) -> bool:
    """Whether a years text can only be read with the clean table at hand ('all')."""
    return any(p.strip().lower() == "all" for p in (text or "").split(","))


def parse_names(text: str | Iterable[str] | None, option: str = "--provinces") -> tuple[str, ...]:
    """'Nghệ An, Lào Cai' -> ('Nghệ An', 'Lào Cai'); 'all' or empty -> () (every province)."""
    parts = (text or "").split(",") if isinstance(text, str | None) else list(text)
    names = tuple(dict.fromkeys(p.strip() for p in parts if p.strip()))
    if isinstance(text, str) and text.strip() and not names:
        raise AnalysisError(f"{option}: {text!r} names no province (use e.g. 'Nghệ An,Lào Cai')")
    if [n.lower() for n in names] == ["all"]:
        return ()
    return names


def parse_langs(text: str | None, option: str = "--lang") -> tuple[str, ...]:
    """'vi', 'en', 'vi,en' or 'all' -> languages; anything else (a locale such as 'C.UTF-8') refused."""
    raw = (text or "vi").strip()
    if raw.lower() == "all":
        return LANGS
    langs = tuple(dict.fromkeys(x.strip().lower() for x in raw.split(",") if x.strip()))
    bad = [x for x in langs if x not in LANGS]
    if bad or not langs:
        hint = ""
        if "." in raw or "_" in raw:
            hint = f" ({raw!r} looks like a locale, the shell's LANG; give the language as BRIEF_LANG=en)"
        raise AnalysisError(f"{option}: {','.join(bad) or raw!r} not supported: use vi, en or vi,en{hint}")
    return langs
