"""Figures as Vietnamese reports and spreadsheets write them, and as the briefings print them.

Vietnamese writes `1.923` for one thousand nine hundred twenty-three and `90,2` for ninety point two;
international files write the opposite. A string like `1.923` is therefore *ambiguous* on its own, so
the locale is a property of a column (stated by the caller or inferred from all its values by
`infer_locale`), never guessed cell by cell. Anything that cannot be read for certain raises
`NumberParseError` naming the text.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from analysis.errors import NumberParseError

Locale = Literal["vi", "intl"]
Unit = Literal["percent", "vnd", "count", "per_100", "score"]
# How exact the source says a figure is: "khoảng 75%" (about) is not "gần 75%" (nearly, just below),
# "trên 80%" (over) nor "dưới 10%" (under). Sheets written before the distinction say "approx": about.
Qualifier = Literal["exact", "about", "nearly", "over", "under"]
QUALIFIERS: tuple[str, ...] = ("exact", "about", "nearly", "over", "under")
OLD_QUALIFIERS = {"approx": "about", "approximately": "about", "at_least": "over", "at_most": "under"}

# Separators per locale: (thousands, decimal).
_SEPARATORS: dict[str, tuple[str, str]] = {"vi": (".", ","), "intl": (",", ".")}
_LANG_LOCALE = {"vi": "vi", "en": "intl", "intl": "intl"}
_SPACES = "\u00a0\u202f\u2009 "  # thin/narrow/no-break spaces some spreadsheets use for grouping
_MINUS = "-\u2212\u2013"  # ASCII hyphen, minus sign, en dash used as a minus

# Scale words multiply the number before them ("4,57 triệu" = 4 570 000).
SCALE_WORDS: dict[str, float] = {
    "nghìn": 1e3,
    "ngàn": 1e3,
    "triệu": 1e6,
    "tỷ": 1e9,
    "tỉ": 1e9,
}
# The magnitude a source's scale word names, as a power of ten: "3,1 triệu" is written in millions (6).
# The clean table keeps it (`scale`), so a briefing prints "trên 3,1 triệu", not "trên 3.100.000".
SCALE_EXPONENTS: tuple[int, ...] = (3, 6, 9)
CURRENCY_WORDS = ("đồng", "vnđ", "vnd", "đ")
PERCENT_WORDS = ("%", "phần trăm")

# Qualifier words before a figure; longest phrases first so "ước đạt" wins over "đạt".
QUALIFIER_WORDS: dict[str, Qualifier] = {
    "xấp xỉ": "about",
    "ước tính": "about",
    "ước đạt": "about",
    "khoảng chừng": "about",
    "khoảng": "about",
    "ước": "about",
    "chừng": "about",
    "gần đạt": "nearly",
    "gần": "nearly",
    "suýt": "nearly",
    "ít nhất": "over",
    "tối thiểu": "over",
    "trên": "over",
    "hơn": "over",
    "vượt": "over",
    "chưa đến": "under",
    "chưa tới": "under",
    "chưa đầy": "under",
    "không quá": "under",
    "không tới": "under",
    "tối đa": "under",
    "dưới": "under",
    "đạt": "exact",
}
_QUALIFIER_RE = re.compile(
    r"^(?:(" + "|".join(sorted(map(re.escape, QUALIFIER_WORDS), key=len, reverse=True)) + r")\s+)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Figure:
    """A figure read from text: value after scale words, its unit, how exact the text says it is."""

    value: float
    unit: Unit | None = None
    qualifier: Qualifier = "exact"
    denominator: float | None = None
    scale: float = field(default=1.0, compare=False)  # the scale word's factor, already in `value`
    # Digits after the decimal separator as the source wrote them ("trên 80%": 0; "35,5 tỷ": 1).
    precision: int = field(default=0, compare=False)


def qualifier_of(text: str) -> Qualifier:
    """A stated qualifier ("about", or an old sheet's "approx") as one of QUALIFIERS; ValueError if none."""
    word = str(text).strip().casefold()
    word = OLD_QUALIFIERS.get(word, word)
    if word not in QUALIFIERS:
        raise ValueError(f"qualifier {text!r} is not one of {', '.join(QUALIFIERS)}")
    return word  # type: ignore[return-value]


def scale_exponent(factor: float) -> int:
    """A scale word's factor as its power of ten (1e6 → 6); 0 for none (1.0)."""
    if factor <= 1:
        return 0
    exponent = round(math.log10(factor))
    if exponent not in SCALE_EXPONENTS:
        raise ValueError(f"scale ×{factor:,.0f} is not nghìn, triệu or tỷ")
    return exponent


def scale_of(text: object) -> int:
    """A sheet's `scale` cell as a power of ten: a scale word ("triệu", "million") or the power itself
    ("6"); 0 when empty. ValueError naming the text otherwise."""
    word = str(text or "").strip().casefold()
    if word in ("", "0", "nan", "none"):
        return 0
    if word in SCALE_WORDS:
        return scale_exponent(SCALE_WORDS[word])
    english = {"thousand": 3, "million": 6, "billion": 9}
    if word in english:
        return english[word]
    if word.isdigit() and int(word) in SCALE_EXPONENTS:
        return int(word)
    raise ValueError(f"scale {text!r} is not a scale word (nghìn, triệu, tỷ) nor 3, 6 or 9")


def scale_word(exponent: int) -> str:
    """The Vietnamese scale word a sheet writes for a power of ten (6 → "triệu"); "" for 0."""
    return {3: "nghìn", 6: "triệu", 9: "tỷ"}.get(int(exponent), "")


def stored_precision(written: int, scale: float = 1.0) -> int:
    """Digits after the separator of a figure's value as stored, in units: "35,5" → 1, but "4,57 triệu"
    is 4 570 000 and "35,5 tỷ" 35 500 000 000, with none (a scale word never adds decimals)."""
    return max(0, written - round(math.log10(scale))) if scale > 0 else written


def written_precision(number: str, locale: Locale = "vi") -> int:
    """Digits after the decimal separator as written ("90,2" → 1, "1.923" → 0 in Vietnamese)."""
    body = re.sub(f"[{_SPACES}]", "", number.strip().rstrip("% "))
    decimal = _SEPARATORS[locale][1]
    if decimal not in body:
        return 0
    tail = body.rsplit(decimal, 1)[1]
    return len(tail) if tail.isdigit() else 0


# --------------------------------------------------------------------------- plain numbers


def _split_sign(text: str) -> tuple[int, str]:
    if text and text[0] in _MINUS:
        return -1, text[1:].lstrip()
    if text.startswith("+"):
        return 1, text[1:].lstrip()
    return 1, text


def _normalise_spaces(body: str, original: str) -> str:
    """Accept spaces as thousands grouping ("1 923 456") only when every group has three digits."""
    if not any(c in body for c in _SPACES):
        return body
    parts = re.split(f"[{_SPACES}]+", body)
    if not (
        parts[0].isdigit()
        and len(parts[0]) <= 3
        and all(re.fullmatch(r"\d{3}([.,]\d+)?", p) for p in parts[1:])
    ):
        raise NumberParseError(
            original, "spaces inside a number are only allowed between groups of three digits"
        )
    return "".join(parts)


def parse_number(text: str | int | float, locale: Locale = "vi") -> float:
    """Read one number written in `locale` ("vi": `1.923,5`; "intl": `1,923.5`).

    Thousands separators must group exactly three digits (`1.92` is not a Vietnamese number);
    leading zeros are fine (`02`). Units, scale words and qualifiers belong to `parse_figure`.
    Numbers that are already numbers pass through (spreadsheet cells), booleans do not.
    """
    if isinstance(text, bool):
        raise NumberParseError(str(text), "a boolean is not a number")
    if not isinstance(text, str):  # int, float, numpy scalars from a spreadsheet reader
        try:
            value = float(text)
        except (TypeError, ValueError):
            raise NumberParseError(str(text), "not a number") from None
        if not math.isfinite(value):
            raise NumberParseError(str(text), "not a finite number")
        return value
    if locale not in _SEPARATORS:
        raise NumberParseError(str(text), f"unknown locale {locale!r} (use 'vi' or 'intl')")
    original = text
    sign, body = _split_sign(str(text).strip())
    body = _normalise_spaces(body, original)
    if not body:
        raise NumberParseError(original, "empty")
    thousands, decimal = _SEPARATORS[locale]
    pattern = rf"(\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+|\d+)(?:{re.escape(decimal)}(\d+))?"
    match = re.fullmatch(pattern, body)
    if not match:
        reason = f"not a number in the {locale!r} locale"
        if re.fullmatch(r"[\d.,]+", body):
            reason += f" (thousands {thousands!r} must group three digits, decimal mark {decimal!r} once)"
        raise NumberParseError(original, reason)
    integer = match.group(1).replace(thousands, "")
    fraction = match.group(2) or "0"
    return sign * float(f"{integer}.{fraction}")


def _evidence(text: str) -> Locale | Literal["ambiguous"] | None:
    """What one written number says about its locale: "vi", "intl", None (no separator) or ambiguous."""
    _, body = _split_sign(text.strip().rstrip("%").strip())
    body = re.sub(f"[{_SPACES}]", "", body)
    if not re.fullmatch(r"\d[\d.,]*", body) or re.search(r"[.,]$", body):
        return None  # not a number at all: parse_number will name it
    dots, commas = body.count("."), body.count(",")
    if dots == 0 and commas == 0:
        return None
    if dots and commas:  # the last separator is the decimal mark
        return "vi" if body.rfind(",") > body.rfind(".") else "intl"
    sep = "." if dots else ","
    if body.count(sep) > 1:  # repeated: it must be the thousands separator
        return "vi" if sep == "." else "intl"
    head, tail = body.split(sep)
    # One separator: a decimal mark unless it could be a thousands group (1-3 digits, no leading
    # zero before it, exactly three digits after).
    if len(tail) == 3 and 1 <= len(head) <= 3 and not head.startswith("0"):
        return "ambiguous"
    return "intl" if sep == "." else "vi"


_NUMBER_TOKEN = re.compile(r"[+\-\u2212]?\d[\d.,]*\d|\d")


def locale_evidence(text: str) -> Locale | Literal["ambiguous"] | None:
    """What the first number inside a written figure says about its locale ("trên 80,5%" → "vi").

    Like the evidence `infer_locale` weighs, but it looks past qualifier words, units and scale
    words, which a figure sheet's value column may carry.
    """
    match = _NUMBER_TOKEN.search(text)
    return _evidence(match.group()) if match else None


def infer_locale(values: Iterable[object]) -> Locale:
    """The locale of a whole column, from the evidence its values give.

    Rule: each written value is evidence for "vi" (`90,2`, `1.923.456`, `1.923,5`), for "intl"
    (`76.818965`, `1,923,456`, `0.923`), ambiguous (one separator followed by exactly three digits,
    like `1.923` or `1,923`) or neutral (plain integers, numbers that are already numbers, blanks).
    One-sided evidence decides; evidence both ways is an error; a column with ambiguous values and
    no evidence is an error (the caller must state the locale); a column of plain integers is "vi"
    because both locales read it the same.
    """
    seen: dict[str, list[str]] = {"vi": [], "intl": [], "ambiguous": []}
    for value in values:
        if value is None or isinstance(value, int | float) or not isinstance(value, str):
            continue
        kind = _evidence(value)
        if kind is not None:
            seen[kind].append(value)
    if seen["vi"] and seen["intl"]:
        raise NumberParseError(
            f"{seen['vi'][0]} / {seen['intl'][0]}",
            "column mixes Vietnamese and international number formats; state the locale per column",
        )
    if seen["vi"]:
        return "vi"
    if seen["intl"]:
        return "intl"
    if seen["ambiguous"]:
        raise NumberParseError(
            seen["ambiguous"][0],
            "ambiguous: could be thousands (vi) or a decimal (intl); the caller must state the locale",
        )
    return "vi"


# --------------------------------------------------------------------------- figures with units

_NUM = r"[+\-\u2212]?\d[\d.,]*"
_SCALE = "|".join(sorted(SCALE_WORDS, key=len, reverse=True))
_CURRENCY = "|".join(map(re.escape, sorted(CURRENCY_WORDS, key=len, reverse=True)))
_FIGURE_RE = re.compile(
    rf"""^(?P<num>{_NUM})
    (?:\s*/\s*(?P<den>{_NUM}))?
    (?:\s*(?P<pct>%|phần\s+trăm))?
    (?:\s+(?P<scale>{_SCALE})\b)?
    (?:\s*(?P<cur>{_CURRENCY})\b)?
    (?:\s+(?P<score>điểm)\b)?
    (?P<rest>.*)$""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)
_PER_100_RE = re.compile(r"^(?P<head>.*?\S)\s*/\s*100\s+(?:người\s+)?dân\s*$", re.IGNORECASE)


def read_qualifier(text: str) -> tuple[Qualifier, str]:
    """Strip qualifier words from the front ("đạt trên 80%" → over, "80%"); the strongest one counts."""
    qualifier: Qualifier = "exact"
    rest = text.strip()
    while match := _QUALIFIER_RE.match(rest):
        word = QUALIFIER_WORDS[match.group(1).lower()]
        if word != "exact":
            qualifier = word
        rest = rest[match.end() :].lstrip()
    return qualifier, rest


def parse_figure(text: str, locale: Locale = "vi") -> Figure:
    """Read a figure as a report writes it: "trên 35,5 tỷ đồng", "90,2%", "13/53 nhiệm vụ",
    "91 thuê bao/100 dân".

    Units: "%"/"phần trăm" → percent; "đồng/VNĐ/VND" → vnd; "/100 dân" → per_100; "điểm" → score;
    a number followed by words (the thing counted) → count; a bare number → None.
    """
    qualifier, rest = read_qualifier(text)
    per_100 = _PER_100_RE.match(rest)
    if per_100:
        rest = per_100.group("head")
    match = _FIGURE_RE.match(rest)
    if not match:
        raise NumberParseError(text, "no number found")
    try:
        value = parse_number(match.group("num"), locale)
        denominator = parse_number(match.group("den"), locale) if match.group("den") else None
    except NumberParseError as exc:
        raise NumberParseError(text, exc.reason) from None
    scale = SCALE_WORDS[match.group("scale").lower()] if match.group("scale") else 1.0
    value *= scale
    rest_words = match.group("rest").strip()
    unit: Unit | None
    if per_100:
        unit = "per_100"
    elif match.group("pct"):
        unit = "percent"
    elif match.group("cur"):
        unit = "vnd"
    elif match.group("score"):
        unit = "score"
    elif rest_words:
        if not re.match(r"^\s+[^\W\d_]", match.group("rest")):
            raise NumberParseError(text, f"unexpected {rest_words!r} after the number")
        unit = "count"
    else:
        unit = None
    if match.group("pct") and (match.group("cur") or match.group("scale")):
        raise NumberParseError(text, "a percentage cannot also carry a scale word or currency")
    precision = written_precision(match.group("num"), locale)
    return Figure(value, unit, qualifier, denominator, scale, precision)


# --------------------------------------------------------------------------- formatting


def _decimal(x: float) -> Decimal:
    """Exact digits of x: integers (also numpy's) as they are, floats by their shortest repr."""
    if isinstance(x, bool):
        raise ValueError(f"cannot format {x!r}: not a number")
    if hasattr(x, "__index__"):
        return Decimal(operator.index(x))
    try:
        f = float(x)
    except (TypeError, ValueError):
        raise ValueError(f"cannot format {x!r}: not a number") from None
    if not math.isfinite(f):
        raise ValueError(f"cannot format {x!r}: not a finite number")
    return Decimal(repr(f))


def format_number(x: float, lang: str = "vi", decimals: int | None = None) -> str:
    """`1923.5` → "1.923,5" (vi) or "1,923.5" (en). decimals=None prints every digit the float holds
    (so parse_number reads the very same number back); otherwise rounds half up to `decimals`."""
    locale = _LANG_LOCALE.get(lang)
    if locale is None:
        raise ValueError(f"unknown language {lang!r} (use 'vi' or 'en')")
    thousands, decimal_mark = _SEPARATORS[locale]
    d = _decimal(x)
    if decimals is not None:
        d = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if d == 0:
        d = abs(d)  # no "-0"
    text = format(d, "f")
    sign = "-" if text.startswith("-") else ""
    integer, _, fraction = text.lstrip("-").partition(".")
    if decimals is None:
        fraction = fraction.rstrip("0")
    grouped = f"{int(integer):,}".replace(",", thousands)
    return sign + grouped + (decimal_mark + fraction if fraction else "")


def format_percent(x: float, lang: str = "vi", decimals: int = 1) -> str:
    """A share already in percent (90.2, not 0.902): "90,2 %" in Vietnamese, "90.2%" in English."""
    number = format_number(x, lang, decimals)
    return f"{number} %" if _LANG_LOCALE.get(lang) == "vi" else f"{number}%"
