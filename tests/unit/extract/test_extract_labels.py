"""Extraction that labels: indicator, province, year or period, qualifier from the sentence around a
figure; and what is not a figure. Sentences written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.extract.core import find_figures
from analysis.extract.scoring import read_annotated, score

TEXTS = Path(__file__).parents[2] / "data" / "extract_texts"


def labels(text: str, *fields: str) -> list[tuple]:
    return [tuple(getattr(c, f) for f in ("text", *fields)) for c in find_figures(text)]


def test_a_rank_belongs_to_the_index_named_nearest_before_it() -> None:
    text = "Năm 2023, PAR Index của tỉnh xếp thứ 21/63; chỉ số SIPAS xếp thứ 30/63 tỉnh, thành phố."
    assert labels(text, "indicator") == [("21/63", "par_index_rank"), ("30/63", "sipas_rank")]


def test_a_score_takes_the_index_named_in_an_earlier_sentence_and_its_rank_follows() -> None:
    text = (
        "VCCI công bố Chỉ số năng lực cạnh tranh cấp tỉnh năm 2023. Tỉnh Bắc Kạn đạt 61,2 điểm, xếp thứ 58."
    )
    assert labels(text, "indicator", "province", "year") == [
        ("61,2 điểm", "pci", "Bắc Kạn", 2023),
        ("58", "pci_rank", "Bắc Kạn", 2023),
    ]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Tỷ lệ hồ sơ được xử lý trực tuyến toàn trình đạt 41,5%.", "online_full_process_dossier_rate"),
        ("Tỷ lệ dịch vụ công trực tuyến toàn trình đạt 55%.", "dvc_full_online_rate"),
        ("Tỷ lệ hồ sơ thanh toán trực tuyến đạt 47%.", "online_payment_rate"),
        ("Tỷ lệ số hóa hồ sơ, kết quả giải quyết đạt 66%.", "digitization_rate"),
        ("Toàn tỉnh kích hoạt 350.000 tài khoản định danh điện tử.", "vneid_accounts_activated"),
        ("Chỉ số Tiếp cận đất đai đạt 6,41 điểm.", "pci_land_access"),
        ("Hồ sơ nộp trực tuyến tăng 12% so với năm trước.", ""),  # a change, not the share
    ],
)
def test_cue_words_name_the_indicator(text: str, key: str) -> None:
    (c,) = find_figures(text)
    assert c.indicator == key


def test_places_lost_are_negative_and_places_gained_positive() -> None:
    text = (
        "Theo Bộ chỉ số phục vụ người dân, doanh nghiệp, năm 2024 tỉnh Yên Bái giảm 7 bậc. "
        "Năm 2024 tỉnh Phú Thọ tăng 4 bậc về chỉ số phục vụ người dân."
    )
    assert labels(text, "indicator", "value") == [
        ("7", "idx766_rank_change", -7.0),
        ("4", "idx766_rank_change", 4.0),
    ]


def test_the_year_is_the_one_the_sentence_states_not_the_one_compared_with() -> None:
    text = (
        "Chỉ số SIPAS năm 2023 của tỉnh Kon Tum đạt 82,4%, tăng so với năm 2022. "
        "So với năm 2022, tỷ lệ hồ sơ đúng hạn đạt 97%. Năm 2022 tỉnh đạt 79,9% về chỉ số SIPAS."
    )
    assert [(c.text, c.year) for c in find_figures(text)] == [("82,4%", 2023), ("97%", 2023), ("79,9%", 2022)]


@pytest.mark.parametrize(
    ("text", "period", "year"),
    [
        ("Tỉnh Sơn La đã hoàn thành 48 nhiệm vụ Đề án 06 trong giai đoạn 2022 – 2025.", "2022-2025", 2025),
        ("Trong 6 tháng đầu năm 2023, tỷ lệ hồ sơ nộp trực tuyến đạt 51%.", "2023-01/2023-06", 2023),
        ("Quý I/2024, tỷ lệ thanh toán trực tuyến của tỉnh đạt 38%.", "2024-Q1", 2024),
        ("Tính đến ngày 22/01/2024, tỉnh đạt 79,5 điểm về Bộ chỉ số phục vụ người dân.", "2024-01-22", 2024),
        ("Năm 2024, tỷ lệ hồ sơ nộp trực tuyến đạt 61%.", "2024", 2024),
    ],
)
def test_the_period_the_sentence_states(text: str, period: str, year: int) -> None:
    (c,) = find_figures(text)
    assert (c.period, c.year) == (period, year)


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("Tỷ lệ đạt gần 98%.", "nearly"),
        ("Tỷ lệ đạt khoảng 98%.", "about"),
        ("Tỷ lệ đạt xấp xỉ 98%.", "about"),
        ("Tỷ lệ đạt trên 98%.", "over"),
        ("Tỷ lệ đạt hơn 98%.", "over"),
        ("Tỷ lệ đạt dưới 10%.", "under"),
        ("Tỷ lệ đạt 98%.", "exact"),
    ],
)
def test_qualifiers_are_told_apart(text: str, qualifier: str) -> None:
    (c,) = find_figures(text)
    assert c.qualifier == qualifier and c.precision == 0


def test_times_dashed_dates_ordinals_and_document_numbers_are_not_figures() -> None:
    text = (
        "Sáng 17-4, lúc 8:30, hội nghị lần thứ 12 theo Kế hoạch số 45/KH-UBND khai mạc; "
        "cập nhật 22:32. Đây là năm thứ 5 liên tiếp tỉnh đạt 90% hồ sơ đúng hạn."
    )
    assert [c.text for c in find_figures(text)] == ["90%"]


def test_the_province_named_just_before_a_figure_is_its_own() -> None:
    text = "Năm 2024, Đà Nẵng đạt 58,9% và Nam Định đạt 53% về tỷ lệ hồ sơ xử lý trực tuyến toàn trình."
    assert labels(text, "province") == [("58,9%", "Đà Nẵng"), ("53%", "Nam Định")]


def _measured(folder: str) -> tuple[int, dict[str, int]]:
    matched, agree = 0, {"indicator": 0, "qualifier": 0, "year": 0}
    for path in sorted((TEXTS / folder).glob("*.txt")):
        text, expected = read_annotated(path.read_text(encoding="utf-8"))
        s = score(find_figures(text, path.name), expected, tuple(agree))
        assert s.recall >= 0.95 and s.precision >= 0.95, (path.name, s)
        matched += s.matched
        agree = {k: agree[k] + s.agree[k] for k in agree}
    return matched, agree


def test_labels_on_texts_the_rules_were_never_written_from() -> None:
    matched, agree = _measured("heldout")
    assert matched >= 60
    assert agree["indicator"] / matched >= 0.9 and agree["qualifier"] / matched >= 0.9
    assert agree["year"] / matched >= 0.9


def test_annotations_read_back_to_their_text() -> None:
    text, expected = read_annotated(
        "%% province=Huế; year=2024\nĐạt gần {{75%|online_payment_rate|||nearly}}.\n"
    )
    assert text == "Đạt gần 75%.\n"
    assert expected == [
        {
            "start": "8",
            "end": "11",
            "text": "75%",
            "value": "75",
            "indicator": "online_payment_rate",
            "province": "Huế",
            "year": "2024",
            "qualifier": "nearly",
        }
    ]
