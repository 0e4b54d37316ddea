"""The headline says what is known (issue #16): where a source states only a change of rank for an
index and year, the row says so and cites it, never "no published figure found"; a value prints the
digits its source wrote, a change the coarser of its two values' digits."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import provinces
from analysis.briefing.context import make_context
from analysis.briefing.sections import headline
from briefing_fixtures import figure_row

NGHE_AN = provinces.resolve("Nghệ An", 2024).province


def _row(
    key: str, year: int, value: float, precision: int | None, source: str = "a provincial report"
) -> dict:
    return figure_row(NGHE_AN, key, year, value, precision, source)


def _headline(rows: list[dict], lang: str, year: int = 2024) -> str:
    df = pd.DataFrame(rows)
    ctx = make_context(df, NGHE_AN, year, lang)
    own = headline.rows(df, ctx)  # the rows the briefing hands the section, as the engine does
    return headline.html(headline.compute(own, ctx), ctx)


STATED = _row("idx766_rank_change", 2024, 18, 0, "Tổng kết năm của tỉnh (bản tin)")


@pytest.mark.parametrize(
    ("lang", "said", "not_said"),
    [
        (
            "vi",
            "Năm 2024: dữ liệu chỉ có mức tăng 18 bậc, không có điểm và hạng của năm",
            "công bố",  # our data hold no score or rank: nothing is said of what was published
        ),
        ("en", "2024: our data hold only a rise of 18 places, no score or rank", "published"),
    ],
)
def test_only_a_stated_rank_change_is_said_and_cited(lang: str, said: str, not_said: str) -> None:
    text = _headline([STATED], lang)
    row = next(r for r in text.split("<tr>") if "766" in r)
    assert said in row
    assert not_said not in row
    assert "Tổng kết năm của tỉnh (bản tin)" in row  # its source, cited at the row


def test_a_fall_is_a_fall_and_no_statement_stays_not_found() -> None:
    fell = _headline([STATED | {"value": -3.0}], "vi")
    assert "dữ liệu chỉ có mức giảm 3 bậc" in fell
    none = _headline([_row("pci", 2024, 65.5, 1)], "vi")
    row = next(r for r in none.split("<tr>") if "766" in r)
    assert "chưa tìm thấy số liệu công bố" in row and "dữ liệu chỉ có" not in row


def test_an_earlier_figure_row_says_the_years_stated_change() -> None:
    rows = [_row("idx766_total", 2023, 71.25, 2, "Cổng dịch vụ công (bảng năm)"), STATED]
    text = _headline(rows, "vi")
    row = next(r for r in text.split("<tr>") if "766" in r)
    assert "(2023)" in row and "71,25" in row
    assert "Năm 2024: dữ liệu chỉ có mức tăng 18 bậc" in row and "chưa tìm thấy" not in row


def test_values_keep_their_digits_and_changes_the_coarser() -> None:
    rows = [
        _row("par_index", 2023, 87.35, 2),
        _row("par_index", 2024, 88.8, 1),  # "88,8%": the catalogue shows two digits
        _row("sipas", 2023, 83.47, 2),
        _row("sipas", 2024, 85.0, 0),  # "85%"
    ]
    text = _headline(rows, "vi")
    par = next(r for r in text.split("<tr>") if "PAR Index" in r)
    sipas = next(r for r in text.split("<tr>") if "SIPAS" in r)
    assert "88,8 %" in par and "88,80" not in par
    assert "+1,5 (so với 2023)" in par or "+1,4 (so với 2023)" in par  # 1,45 at one digit
    assert "85 %" in sipas and "85,00" not in sipas
    assert "+2 (so với 2023)" in sipas  # 1,53 at the coarser precision, 0 digits


def test_without_a_precision_the_catalogue_stays() -> None:
    rows = [_row("par_index", 2024, 88.8, None)]
    text = _headline(rows, "vi")
    assert "88,80 %" in text


def test_the_summary_sentence_prints_the_tables_digits() -> None:
    from analysis.briefing.sections import title

    df = pd.DataFrame([_row("par_index", 2024, 88.8, 1), _row("pci", 2024, 65.5, 1)])
    ctx = make_context(df, NGHE_AN, 2024, "vi")
    figures = headline.compute(headline.rows(df, ctx), ctx)
    said = {f.key: title.headline_sentence(f, "vi") for f in figures}
    assert "88,8 %" in said["par_index"] and "88,80" not in said["par_index"]
    assert "65,5 điểm" in said["pci"] and "65,50" not in said["pci"]


def test_the_notes_do_not_call_a_stated_change_no_data_at_all() -> None:
    """Issue #16 review: the headline gave QĐ 766's stated rise while the notes listed QĐ 766 under
    'no value for 2024 or any earlier year' with nothing more: the notes now say what is known."""
    from analysis.briefing.core import compute

    df = pd.DataFrame([STATED, _row("pci", 2024, 65.5, 1)])
    notes = compute(df, NGHE_AN, 2024, "vi").html("notes")
    missing = notes.split("hay năm trước đó trong dữ liệu")[1].split(": ", 1)[1].split(".")[0]
    assert "(QĐ 766) (chỉ có thay đổi thứ hạng được nêu, xem bảng chỉ số chính)" in missing
    assert "SIPAS" in missing and "SIPAS (chỉ có" not in missing  # nothing at all for SIPAS
