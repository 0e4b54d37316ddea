"""One raw row of a figure sheet → one parsed figure, or a RowError naming the column and the reason.

Pure functions: the province for its year's regime, the indicator, the number (a spreadsheet's
number cell as it is; text in the column's Vietnamese or international locale), and the unit.
A unit can be written twice, in the value ("12,5%", "2 triệu") and in the unit column: the two
must agree after mapping, and a scale is applied once, never twice.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from decimal import Decimal

from analysis import indicators, numbers, periods, provinces
from analysis.clean import rankbasis
from analysis.clean.grids import Number
from analysis.errors import AnalysisError, RowError

QUALIFIERS = set(numbers.QUALIFIERS)
MAX_PRECISION = 15  # digits after the separator a float can carry
FIRST_YEAR = 1990
_YEAR = re.compile(r"\d{4}(?:\.0+)?")
# Units a value's own text can state; "count" (a number followed by the thing counted) fits both
# counts and head counts.
_FITS = {"count": {"count", "people"}}


@dataclass(frozen=True)
class Reading:
    """A value cell read: the number, the qualifier, decimals written (after the scale word, as the
    source wrote them: the figure's precision), the unit and scale it states."""

    value: float
    qualifier: str = "exact"
    decimals: int = 0
    unit: str | None = None
    scale: float = 1.0


def _decimals(text: str, locale: str) -> int:
    return numbers.written_precision(text, locale)  # type: ignore[arg-type]


def parse_value(cell: object, locale: str) -> Reading:
    """Read a value cell; raises NumberParseError naming the text.

    A spreadsheet number cell keeps its number (a percent-formatted one gives its percent: the
    cell 0.902 shown as 90.2 % is 90.2 percent); text is read in the column's locale, with
    qualifier words, scale words and units allowed ("trên 80%", "hơn 02 triệu").
    """
    if isinstance(cell, Number):
        if cell.percent:
            exact = Decimal(repr(cell.value)) * 100
            decimals = max(0, -int(exact.normalize().as_tuple().exponent))
            return Reading(float(exact), "exact", decimals, "percent")
        return Reading(numbers.parse_number(cell.value), "exact", cell.decimals())
    text = str(cell)
    try:
        return Reading(numbers.parse_number(text, locale), "exact", _decimals(text, locale))
    except AnalysisError:
        figure = numbers.parse_figure(text, locale)
    if figure.denominator is not None:  # "40/40": which of done, assigned or the rate is meant?
        raise RowError(
            "value",
            text,
            f"the value {text!r} is a fraction: write the count and its total as two rows "
            "(e.g. par_tasks_done and par_tasks_total) or the rate in percent",
        )
    return Reading(figure.value, figure.qualifier, figure.precision, figure.unit, figure.scale)


def parse_year(text: str, max_year: int) -> int:
    """A four-digit assessment year within FIRST_YEAR..max_year."""
    if not _YEAR.fullmatch(text.strip()):
        raise RowError("year", text, f"year {text!r} is not a whole year (four digits)")
    year = int(float(text))
    if not FIRST_YEAR <= year <= max_year:
        raise RowError("year", text, f"year {year} is not plausible ({FIRST_YEAR}–{max_year})")
    return year


def parse_precision(text: object, written: int) -> int:
    """The figure's precision: the sheet's `precision` cell when given, else the digits as written."""
    stated = str(text or "").strip()
    if not stated:
        return written
    if not re.fullmatch(r"\d+(?:\.0+)?", stated) or int(float(stated)) > MAX_PRECISION:
        raise RowError(
            "precision",
            stated,
            f"precision {stated!r} is not a count of digits after the separator (0–{MAX_PRECISION})",
        )
    return int(float(stated))


def parse_scale(text: object, written: float, value: float) -> int:
    """The magnitude word the source wrote, as a power of ten (docs/figure-model.md): the value's own
    word ("3,1 triệu") or the sheet's `scale` cell for a value already in units (3100000, "triệu");
    0 for none. Both given must agree; a value below one of its scale word was not written in units."""
    stated = str(text or "").strip()
    try:
        exponent = numbers.scale_of(stated)
    except ValueError as exc:
        raise RowError("scale", stated, str(exc)) from None
    own = numbers.scale_exponent(written)
    if exponent and own and exponent != own:
        raise RowError(
            "scale", stated, f"the value's own scale word is ×1e{own} but the scale column says ×1e{exponent}"
        )
    exponent = exponent or own
    if exponent and abs(value) < 10**exponent:
        raise RowError(
            "scale",
            stated,
            f"the value {value:g} is less than one of its scale ×1e{exponent}: write it in units "
            f"({value * 10**exponent:.0f}) or with its scale word in the value",
        )
    return exponent


def parse_period(text: object, year: int) -> periods.Period:
    """The period the figure describes (the assessment year when the sheet states none); it must
    contain the year the figure is filed under."""
    stated = str(text or "").strip()
    if not stated:
        return periods.year_period(year)
    try:
        period = periods.parse_period(stated)
    except periods.PeriodError as exc:
        raise RowError("period", stated, exc.reason) from None
    if not period.covers(year):
        raise RowError(
            "period",
            stated,
            f"the period {period.text} ({period.kind}) does not contain the year {year} "
            "the row is filed under",
        )
    return period


def _unit_label(unit_text: str, unit: str, key: str) -> str:
    return (
        f"the unit column says {unit_text!r} ({unit})"
        if unit_text.strip()
        else f"{key} is measured in {unit}"
    )


def combine_units(
    reading: Reading, unit: indicators.UnitReading, unit_text: str, key: str, cell: object
) -> tuple[float, int]:
    """The value in catalogue units, and its decimals, when the value's unit agrees with the unit column."""
    shown = cell.value if isinstance(cell, Number) else cell
    if reading.unit is not None and unit.unit not in _FITS.get(reading.unit, {reading.unit}):
        what = "a percent-formatted cell" if isinstance(cell, Number) else f"the value {shown!r}"
        raise RowError(
            "value", shown, f"{what} states {reading.unit} but {_unit_label(unit_text, unit.unit, key)}"
        )
    factor = unit.factor
    if reading.scale != 1 and factor != 1:
        if not math.isclose(reading.scale, factor):
            raise RowError(
                "value",
                shown,
                f"the value {shown!r} carries a scale (×{reading.scale:,.0f}) and the unit column "
                f"{unit_text!r} another (×{factor:,.0f}): write the scale once",
            )
        factor = 1.0  # "2 triệu" in a column of "triệu người": one million, applied once
    scale = reading.scale * factor
    value = reading.value * factor
    decimals = reading.decimals
    if scale != 1:
        decimals = numbers.stored_precision(decimals, scale)
    return value, decimals


def parse_row(row: dict, locale: str, max_year: int) -> dict:
    """One raw row → a parsed row; raises RowError naming the column and the reason to reject it."""
    year = parse_year(row["year"], max_year)
    try:
        resolution = provinces.resolve(row["province"], year)
    except AnalysisError as exc:
        raise RowError("province", row["province"], str(exc)) from None
    if resolution.successor_of is not None:  # Hà Tây (any year), Yên Bái from 2025 …
        gone = resolution.successor_of
        where = (
            f"one of the provinces the clean table keeps (the 63 and the 34; {gone.name} was one of 64 "
            "until 2008)"
            if gone.regime == "64"
            else f"one of the {resolution.province.regime} provinces of {year}"
        )
        raise RowError(
            "province",
            row["province"],
            f"{row['province']!r} is not {where} ({resolution.note}): "
            "a figure for the former province cannot stand for its successor",
        )
    prov = resolution.province
    try:
        ind = indicators.lookup(row["indicator"])
    except AnalysisError as exc:
        raise RowError("indicator", row["indicator"], str(exc)) from None
    if ind.is_rank:
        kind, why = rankbasis.basis(row.get("note", ""))
        if kind != rankbasis.STATED:
            raise RowError("value", str(row["value"]), why)
    try:
        unit = indicators.check_unit(ind.key, row["unit"])
    except AnalysisError as exc:
        raise RowError("unit", row["unit"], str(exc)) from None
    cell = row["value"]
    if not isinstance(cell, Number) and not str(cell).strip():
        note = str(row.get("note", "") or "").strip()
        raise RowError("value", "", "value is empty" + (f" (the row's note: {note})" if note else ""))
    try:
        reading = parse_value(cell, locale)
    except RowError:
        raise
    except AnalysisError as exc:
        raise RowError("value", cell.value if isinstance(cell, Number) else cell, str(exc)) from None
    precision = parse_precision(row.get("precision", ""), reading.decimals)
    reading = replace(reading, decimals=precision)
    value, decimals = combine_units(reading, unit, row["unit"], ind.key, cell)
    if not math.isfinite(value):
        raise RowError("value", str(cell), "value is not a finite number")
    qualifier = reading.qualifier
    stated = row.get("qualifier", "").strip()
    if stated:
        try:
            qualifier = numbers.qualifier_of(stated)
        except ValueError as exc:
            raise RowError("qualifier", stated, str(exc)) from None
    period = parse_period(row.get("period", ""), year)
    scale = parse_scale(row.get("scale", ""), reading.scale, value)
    if not row["source"].strip():
        raise RowError(
            "source", "", "no source given: every figure needs the publication or URL it comes from"
        )
    return {
        "province_code": prov.code,
        "province_name": prov.name,
        "regime": prov.regime,
        "year": year,
        "indicator": ind.key,
        "value": float(value),
        "unit": ind.unit,
        "qualifier": qualifier,
        "precision": decimals,  # of the value as stored: "4,57 triệu" is 4 570 000, precision 0
        "period": period.text,
        "period_kind": period.kind,
        "scale": scale,  # the source's magnitude word (6: "triệu"/million), 0 for full digits
        "source": row["source"].strip(),
        "source_ref": row["source_ref"],
        "note": row.get("note", ""),
        "rank_of": unit.rank_of,
        "decimals": decimals,
    }
