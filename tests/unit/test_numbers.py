"""Figures written the Vietnamese and the international way: parsing, locale inference, formatting."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.errors import NumberParseError
from analysis.numbers import (
    Figure,
    format_number,
    format_percent,
    infer_locale,
    parse_figure,
    parse_number,
    qualifier_of,
    stored_precision,
    written_precision,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.923", 1923.0),
        ("90,2", 90.2),
        ("98,55", 98.55),
        ("02", 2.0),
        ("1.923.456", 1923456.0),
        ("1.923,5", 1923.5),
        ("-3,5", -3.5),
        ("1 923 456", 1923456.0),
        ("0", 0.0),
    ],
)
def test_parse_number_vi(text: str, expected: float) -> None:
    assert parse_number(text, "vi") == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("76.818965", 76.818965), ("1,923", 1923.0), ("1,923,456.75", 1923456.75), ("0.5", 0.5)],
)
def test_parse_number_intl(text: str, expected: float) -> None:
    assert parse_number(text, "intl") == pytest.approx(expected)


def test_cells_that_are_already_numbers_pass_through() -> None:
    assert parse_number(76.5) == 76.5
    assert parse_number(12) == 12.0
    with pytest.raises(NumberParseError):
        parse_number(True)


@pytest.mark.parametrize("text", ["1.92", "1..2", "abc", "", "12,3,4", "1.923,5,6", "90,2%", "1 92"])
def test_bad_vi_numbers_are_errors_naming_the_text(text: str) -> None:
    with pytest.raises(NumberParseError) as info:
        parse_number(text, "vi")
    assert repr(text) in str(info.value)


def test_intl_reading_rejects_vietnamese_thousands_groups() -> None:
    with pytest.raises(NumberParseError):
        parse_number("1.923.456", "intl")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["76.818965", "80.1", "65"], "intl"),
        (["90,2", "1", None], "vi"),
        (["1.923.456", "12"], "vi"),
        (["1.923", "90,25"], "vi"),  # the comma decides, so the dot is a thousands mark
        (["1,923", "0.923"], "intl"),  # a leading zero cannot start a thousands group
        (["12", "7", 3.5], "vi"),  # plain integers read the same in both locales
        (["1.234,5"], "vi"),
        (["1,234.5"], "intl"),
    ],
)
def test_infer_locale_from_the_whole_column(values: list[object], expected: str) -> None:
    assert infer_locale(values) == expected


@pytest.mark.parametrize(
    "values", [["1.923", "2.001"], ["1,923"], ["90,2", "76.818965"], ["1.923.456", "1,5.0"]]
)
def test_infer_locale_refuses_to_guess(values: list[str]) -> None:
    with pytest.raises(NumberParseError):
        infer_locale(values)


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("90,2%", Figure(90.2, "percent", "exact", precision=1)),
        ("98,55 %", Figure(98.55, "percent", "exact", precision=2)),
        ("đạt trên 80%", Figure(80.0, "percent", "over")),
        ("gần 75 phần trăm", Figure(75.0, "percent", "nearly")),
        ("4,57 triệu", Figure(4_570_000.0, None, "exact", precision=2)),
        ("35,5 tỷ đồng", Figure(35_500_000_000.0, "vnd", "exact", precision=1)),
        ("trên 35,5 tỉ VNĐ", Figure(35_500_000_000.0, "vnd", "over", precision=1)),
        ("hơn 02 triệu tài khoản", Figure(2_000_000.0, "count", "over")),
        ("khoảng 3 nghìn hồ sơ", Figure(3000.0, "count", "about")),
        ("xấp xỉ 12 ngàn", Figure(12000.0, None, "about")),
        ("ước 150 triệu VND", Figure(150_000_000.0, "vnd", "about")),
        ("dưới 5%", Figure(5.0, "percent", "under")),
        ("chưa đầy 10%", Figure(10.0, "percent", "under")),
        ("gần đạt 98,0%", Figure(98.0, "percent", "nearly", precision=1)),
        ("khoảng 98%", Figure(98.0, "percent", "about")),
        ("vượt 1.200 hồ sơ", Figure(1200.0, "count", "over")),
        ("40/40", Figure(40.0, None, "exact", 40.0)),
        ("13/53 nhiệm vụ", Figure(13.0, "count", "exact", 53.0)),
        ("91 thuê bao/100 dân", Figure(91.0, "per_100", "exact")),
        ("64,5 điểm", Figure(64.5, "score", "exact", precision=1)),
        ("1.923", Figure(1923.0, None, "exact")),
    ],
)
def test_parse_figure(text: str, figure: Figure) -> None:
    got = parse_figure(text)
    assert got.unit == figure.unit
    assert got.qualifier == figure.qualifier
    assert got.precision == figure.precision
    assert got.denominator == figure.denominator
    assert got.value == pytest.approx(figure.value)


@pytest.mark.parametrize("text", ["không có số", "50% tỷ đồng", "1.92%", "12abc"])
def test_parse_figure_errors_name_the_text(text: str) -> None:
    with pytest.raises(NumberParseError) as info:
        parse_figure(text)
    assert text in str(info.value)


@pytest.mark.parametrize(
    ("x", "lang", "decimals", "expected"),
    [
        (1923, "vi", None, "1.923"),
        (1923, "en", None, "1,923"),
        (90.2, "vi", None, "90,2"),
        (90.2, "en", None, "90.2"),
        (1923456.75, "vi", None, "1.923.456,75"),
        (90.25, "vi", 1, "90,3"),  # half up, as people round
        (-0.04, "vi", 1, "0,0"),  # no negative zero
        (35.5e9, "vi", 0, "35.500.000.000"),
    ],
)
def test_format_number(x: float, lang: str, decimals: int | None, expected: str) -> None:
    assert format_number(x, lang, decimals) == expected


def test_numpy_scalars_format_and_pass_through() -> None:
    np = pytest.importorskip("numpy")
    assert format_number(np.int64(1923), "vi") == "1.923"
    assert format_number(np.float64(90.25), "en", 1) == "90.3"
    assert parse_number(np.float32(2.5)) == 2.5


def test_format_percent() -> None:
    assert format_percent(90.2, "vi") == "90,2 %"
    assert format_percent(90.2, "en") == "90.2%"
    assert format_percent(100, "vi", 0) == "100 %"


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_format_refuses_non_finite(bad: float) -> None:
    with pytest.raises(ValueError):
        format_number(bad)


finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15)
integers = st.integers(min_value=-(10**15), max_value=10**15)


@given(integers)
def test_vi_round_trip_integers(n: int) -> None:
    assert parse_number(format_number(n, "vi"), "vi") == n


@given(finite)
def test_vi_round_trip_decimals(x: float) -> None:
    assert parse_number(format_number(x, "vi"), "vi") == x


@given(integers)
def test_en_round_trip_integers(n: int) -> None:
    assert parse_number(format_number(n, "en"), "intl") == n


@given(finite)
def test_en_round_trip_decimals(x: float) -> None:
    assert parse_number(format_number(x, "en"), "intl") == x


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.integers(min_value=0, max_value=4))
def test_rounded_format_reads_back_within_half_a_step(x: float, decimals: int) -> None:
    back = parse_number(format_number(x, "vi", decimals), "vi")
    assert abs(back - x) <= 0.5 * 10**-decimals + 1e-6 * max(1.0, abs(x))


@given(finite)
def test_a_column_written_the_vietnamese_way_is_inferred_vi_or_reads_the_same(x: float) -> None:
    column = [format_number(x, "vi"), "90,5"]
    assert infer_locale(column) == "vi"


@pytest.mark.parametrize(
    ("text", "scale"), [("2 triệu", 1e6), ("35,5 tỷ đồng", 1e9), ("3 nghìn hồ sơ", 1e3), ("12,5%", 1.0)]
)
def test_parse_figure_reports_the_scale_it_applied(text: str, scale: float) -> None:
    """The clean stage needs the scale to refuse a second one from the unit column."""
    figure = parse_figure(text)
    assert figure.scale == scale
    assert figure.value == pytest.approx(parse_number(text.split()[0].rstrip("%")) * scale)


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("trên 80,5%", "vi"),
        ("35,5 tỷ đồng", "vi"),
        ("76.81", "intl"),
        ("1.234", "ambiguous"),
        ("hơn 02 triệu", None),
        ("không có", None),
    ],
)
def test_locale_evidence_looks_past_words_and_units(text: str, evidence: str | None) -> None:
    from analysis.numbers import locale_evidence

    assert locale_evidence(text) == evidence


@pytest.mark.parametrize(
    ("text", "expected"),
    [("about", "about"), ("Nearly", "nearly"), ("approx", "about"), (" over ", "over"), ("under", "under")],
)
def test_qualifier_of_reads_stated_and_old_words(text: str, expected: str) -> None:
    assert qualifier_of(text) == expected


def test_qualifier_of_refuses_unknown_words() -> None:
    with pytest.raises(ValueError, match="roughly"):
        qualifier_of("roughly")


@pytest.mark.parametrize(
    ("text", "locale", "digits"),
    [("80", "vi", 0), ("90,2", "vi", 1), ("90,20", "vi", 2), ("1.923", "vi", 0), ("76.818965", "intl", 6)],
)
def test_written_precision_counts_the_digits_as_written(text: str, locale: str, digits: int) -> None:
    assert written_precision(text, locale) == digits


@pytest.mark.parametrize(("written", "scale", "stored"), [(0, 1.0, 0), (2, 1.0, 2), (2, 1e6, 0), (1, 1e9, 0)])
def test_stored_precision_never_adds_decimals_for_a_scale_word(
    written: int, scale: float, stored: int
) -> None:
    assert stored_precision(written, scale) == stored
