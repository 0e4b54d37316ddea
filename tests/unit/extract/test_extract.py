"""Figures from report texts: each rule has a test on sentences written for these tests (in the style
of provincial reports, not copied from them), then a measure against the hand-read corpus figures."""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import pytest

from analysis import config
from analysis.cli import main as cli_main
from analysis.errors import InputFileError
from analysis.extract.core import (
    CANDIDATE_COLUMNS,
    Candidate,
    accept_to_sheet,
    explain,
    extract_to_csv,
    find_figures,
    report_province,
    score,
)

EXPECTED_DIR = Path(__file__).parents[2] / "data" / "extract_expected"


def figures(text: str) -> list[Candidate]:
    found = find_figures(text, "t.txt")
    for c in found:
        assert text[c.start : c.end] == c.text  # offsets always point at the figure's own text
    return found


def texts(text: str) -> list[str]:
    return [c.text for c in figures(text)]


def one(text: str) -> Candidate:
    found = figures(text)
    assert len(found) == 1, [c.text for c in found]
    return found[0]


# ---------------------------------------------------------------- what is not a figure


@pytest.mark.parametrize(
    "sentence",
    [
        "Sáng 28/02/2025, Sở Nội vụ tổ chức hội nghị tổng kết.",
        "Hạn chót nộp báo cáo là ngày 15/3 hằng năm.",
        "Kế hoạch được ban hành ngày 5 tháng 3 năm 2024.",
        "Số liệu tính đến tháng 9/2024 cho thấy chuyển biến rõ.",
        "Chương trình bắt đầu từ tháng 4 và kéo dài.",
        "Đoàn kiểm tra làm việc từ 10/6 tại huyện Kỳ Sơn.",
        "Báo cáo quý II/2024 được gửi đúng hạn.",
        "Cập nhật lúc 2024-11-30 trên cổng thông tin.",
        "Ngày 3.4.2023 tỉnh ban hành quy chế mới.",
    ],
)
def test_dates_are_not_figures(sentence: str) -> None:
    assert texts(sentence) == []
    assert {s.rule for s in explain(sentence)} <= {"date", "year"}


@pytest.mark.parametrize(
    "sentence",
    [
        "Kết quả năm 2023 được Hội đồng thẩm định công nhận.",
        "Giai đoạn 2021–2025 tỉnh tập trung cải cách thủ tục.",
        "Trong kỳ 2026 - 2030 sẽ tiếp tục đầu tư hạ tầng số.",
        "Tầm nhìn đến 2045 được xác định rõ trong quy hoạch.",
    ],
)
def test_years_and_year_ranges_are_not_figures(sentence: str) -> None:
    assert texts(sentence) == []
    assert {s.rule for s in explain(sentence)} == {"year"}


@pytest.mark.parametrize(
    "sentence",
    [
        "Thực hiện Kế hoạch 112/KH-UBND của tỉnh về chuyển đổi số.",
        "Triển khai Nghị quyết 18-NQ/TW của Ban Chấp hành Trung ương.",
        "Theo Quyết định 1291/QĐ-BNV về chỉ số cải cách hành chính.",
        "Căn cứ Nghị định 61/2018/NĐ-CP về cơ chế một cửa.",
        "Sở đã tham mưu Nghị quyết số 45 về chính sách thu hút.",
        "Tỉnh triển khai Chỉ thị 05 về học tập và làm theo.",
        "Các nội dung của Đề án 06 được bám sát.",
        "Thực hiện nghị quyết số 21 của Hội đồng nhân dân tỉnh.",
        "Theo Decision 1035/QD-TTg the project was approved.",
    ],
)
def test_document_numbers_and_names_are_not_figures(sentence: str) -> None:
    assert texts(sentence) == []
    assert {s.rule for s in explain(sentence)} <= {"doc_number", "name", "year"}


@pytest.mark.parametrize(
    "sentence",
    [
        "Ban Chỉ đạo tổ chức phiên họp thứ 7 để rà soát tiến độ.",
        "Đây là lần thứ 3 tỉnh tổ chức giải báo chí.",
        "Kỳ họp thứ 21 của Hội đồng nhân dân tỉnh bế mạc.",
    ],
)
def test_ordinals_are_not_figures(sentence: str) -> None:
    assert texts(sentence) == []
    assert {s.rule for s in explain(sentence)} == {"ordinal"}


@pytest.mark.parametrize(
    "sentence",
    [
        "Tỉnh quán triệt phương châm “4 cùng” trong chỉ đạo.",
        'Sở Tư pháp thực hiện khẩu hiệu "2 sẵn sàng, 3 không" với người dân.',
        "Nguyên tắc 3-2-1 được thống nhất trong toàn hệ thống.",
    ],
)
def test_slogans_are_not_figures(sentence: str) -> None:
    assert texts(sentence) == []
    assert {s.rule for s in explain(sentence)} == {"slogan"}


def test_a_long_quotation_may_hold_figures() -> None:
    sentence = (
        "Chủ tịch tỉnh nhấn mạnh: “Năm nay phải bảo đảm tỷ lệ hồ sơ trực tuyến của các sở, ngành vượt mức "
        "trung bình, đạt ít nhất 85% trên tổng số hồ sơ tiếp nhận”."
    )
    assert texts(sentence) == ["85%"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Sau 03 năm triển khai, mô hình được nhân rộng.",
        "Trong 6 tháng đầu năm, tỉnh rà soát các thủ tục.",
        "Thời gian giải quyết rút ngắn còn 15 ngày làm việc.",
    ],
)
def test_durations_are_not_figures(sentence: str) -> None:
    assert texts(sentence) == []
    assert {s.rule for s in explain(sentence)} == {"duration"}


def test_scope_phrase_is_not_a_count() -> None:
    assert texts("Hệ thống đã được kết nối tới 63 tỉnh, thành phố trên toàn quốc.") == []
    assert [s.rule for s in explain("Kết quả của 34 tỉnh được công bố.")] == ["scope"]


def test_a_number_with_nothing_counted_is_dropped() -> None:
    sentence = "Tỉnh được biểu dương tại văn bản của Tổ Công tác liên ngành 17."
    assert texts(sentence) == []
    assert [s.rule for s in explain(sentence)] == ["nothing_counted"]


def test_numbers_glued_to_letters_or_after_capitalised_words_are_names() -> None:
    assert texts("Mạng 5G đã phủ sóng toàn bộ trung tâm huyện.") == []
    assert texts("Trường Tiểu học Hưng Dũng 2 đón đoàn kiểm tra của Sở.") == []


# ---------------------------------------------------------------- what is a figure


@pytest.mark.parametrize(
    ("sentence", "text", "value", "unit", "qualifier", "denominator"),
    [
        ("Tỷ lệ hồ sơ đúng hạn đạt 97,45% trong kỳ.", "97,45%", 97.45, "percent", "exact", None),
        ("Tỷ lệ nộp trực tuyến đạt trên 85% tổng số hồ sơ.", "85%", 85.0, "percent", "over", None),
        (
            "Tỷ lệ thanh toán trực tuyến đạt gần 60 phần trăm.",
            "60 phần trăm",
            60.0,
            "percent",
            "nearly",
            None,
        ),
        (
            "Tỉnh tiết kiệm được xấp xỉ 12,8 tỷ đồng chi phí tuân thủ.",
            "12,8 tỷ đồng",
            12.8e9,
            "vnd",
            "about",
            None,
        ),
        ("Tổng kinh phí hỗ trợ là 850 triệu đồng.", "850 triệu đồng", 850e6, "vnd", "exact", None),
        ("Đã kích hoạt hơn 02 triệu tài khoản định danh.", "02 triệu", 2e6, "count", "over", None),
        ("Đã cấp 1.234.567 thẻ căn cước cho công dân.", "1.234.567", 1234567.0, "count", "exact", None),
        ("Toàn tỉnh hoàn thành 27/31 nhiệm vụ được giao.", "27/31", 27.0, "count", "exact", 31.0),
        ("Mật độ đạt 118 thuê bao/100 dân.", "118 thuê bao/100 dân", 118.0, "per_100", "exact", None),
        ("Chỉ số PAR Index của tỉnh đạt 88,12 điểm.", "88,12 điểm", 88.12, "score", "exact", None),
        ("Về PCI, tỉnh xếp thứ 14/63 tỉnh, thành phố.", "14/63", 14.0, "rank", "exact", 63.0),
        ("Mức phí dưới 50.000 đồng mỗi hồ sơ.", "50.000 đồng", 50000.0, "vnd", "under", None),
        ("Có 12 đơn vị được khen thưởng.", "12", 12.0, "count", "exact", None),
    ],
)
def test_figures(
    sentence: str, text: str, value: float, unit: str, qualifier: str, denominator: float | None
) -> None:
    c = one(sentence)
    assert (c.text, c.unit, c.qualifier, c.denominator) == (text, unit, qualifier, denominator)
    assert c.value == pytest.approx(value)


def test_text_never_includes_the_qualifier_word() -> None:
    c = one("Tỷ lệ số hóa hồ sơ đạt hơn 70%.")
    assert c.text == "70%" and c.qualifier == "over"


def test_dates_next_to_figures_do_not_hide_them() -> None:
    sentence = "Đến ngày 30/9/2024, tỉnh đã hoàn thành 45/50 nhiệm vụ CCHC, đạt 90%."
    assert texts(sentence) == ["45/50", "90%"]


def test_offsets_point_into_a_text_with_decomposed_tone_marks() -> None:
    composed = "Tỉnh Hà Tĩnh: tỷ lệ hồ sơ nộp trực tuyến đạt 91,5% trong năm 2024."
    decomposed = unicodedata.normalize("NFD", composed)
    c = one(decomposed)
    assert decomposed[c.start : c.end] == "91,5%"
    assert (c.indicator, c.province, c.year) == ("online_filing_rate", "Hà Tĩnh", 2024)


# ---------------------------------------------------------------- indicators


@pytest.mark.parametrize(
    ("sentence", "indicator"),
    [
        ("Tỷ lệ hồ sơ nộp trực tuyến đạt 72,3%.", "online_filing_rate"),
        ("Tỷ lệ thanh toán trực tuyến đạt 41%.", "online_payment_rate"),
        ("Tỉnh cung cấp trực tuyến 95,1% thủ tục hành chính.", "dvc_online_provision_rate"),
        ("Dịch vụ công trực tuyến toàn trình chiếm 58% tổng số thủ tục.", "dvc_full_online_rate"),
        ("Tỷ lệ số hóa hồ sơ, kết quả giải quyết đạt 84%.", "digitization_rate"),
        ("Tỷ lệ giải quyết hồ sơ đúng hạn đạt 99,1%.", "ontime_resolution_rate"),
        ("Thời gian giải quyết được cắt giảm bình quân 40%.", "procedures_time_cut_avg_rate"),
        ("Thời gian giải quyết thủ tục đất đai được cắt giảm 40%.", "procedures_time_cut_rate"),
        ("Có 97,2% người hưởng lương hưu nhận qua tài khoản.", "pension_via_account_rate"),
        (
            "Có 96,4% người hưởng lương hưu, trợ cấp hằng tháng nhận qua tài khoản.",
            "pension_monthly_allowance_via_account_rate",
        ),
        ("Có 91% người nhận trợ cấp xã hội qua tài khoản.", "social_benefit_via_account_rate"),
        (
            "Có 93,5% người hưởng trợ cấp bảo hiểm xã hội, trợ cấp thất nghiệp nhận qua tài khoản.",
            "social_insurance_unemployment_via_account_rate",
        ),
        ("Cắt giảm thủ tục giúp tiết kiệm 7,2 tỷ đồng mỗi năm.", "compliance_cost_saving"),
        ("Tỷ lệ người trưởng thành có tài khoản ngân hàng đạt 87%.", "adult_bank_account_rate"),
        ("Tỷ lệ thuê bao dùng điện thoại thông minh là 89,6%.", "smartphone_share"),
        ("Đã kích hoạt 1.050.000 tài khoản VNeID mức 2.", "vneid_accounts_activated"),
        ("Tỉnh đã cung cấp 1.845 dịch vụ công trên cổng.", "public_services_count"),
        (
            "Có 98% thủ tục có nghĩa vụ tài chính được đưa lên Cổng Dịch vụ công quốc gia.",
            "fee_procedures_on_national_portal_rate",
        ),
        ("Tỉnh đã công bố, công khai 97% thủ tục hành chính thuộc thẩm quyền.", "procedures_published_rate"),
        (
            "Trong năm có khoảng 12.400 hồ sơ được cắt giảm thời gian giải quyết.",
            "procedures_time_cut_dossiers",
        ),
    ],
)
def test_indicator_cues(sentence: str, indicator: str) -> None:
    assert one(sentence).indicator == indicator


def test_share_of_reform_tasks_done_is_a_rate_not_a_count() -> None:
    figure = one("Về cải cách hành chính, 96% nhiệm vụ năm 2024 đã hoàn thành đúng hạn.")
    assert (figure.indicator, figure.unit, figure.value) == ("par_tasks_done_rate", "percent", 96)


def test_task_counts_follow_the_programme_named() -> None:
    text = (
        "Về Đề án 06, năm 2024 tỉnh được giao 38 nhiệm vụ; đã hoàn thành 33 nhiệm vụ, "
        "còn 5 nhiệm vụ chưa hoàn thành.\n"
        "Về công tác CCHC, Sở Nội vụ đã hoàn thành 52/54 nhiệm vụ trong kế hoạch năm."
    )
    got = [(c.text, c.indicator) for c in figures(text)]
    assert got == [
        ("38", "de_an_06_tasks_total"),
        ("33", "de_an_06_tasks_done"),
        ("5", "de_an_06_tasks_not_done"),
        ("52/54", "par_tasks_done"),
    ]


def test_ongoing_tasks_get_no_indicator() -> None:
    text = "Đề án 06 có 20 nhiệm vụ đang triển khai và 9 nhiệm vụ thực hiện thường xuyên."
    assert [c.indicator for c in figures(text)] == ["", ""]


def test_unit_must_fit_the_indicator() -> None:
    # "cắt giảm thời gian" around a count is the number of applications, not the percentage cut
    assert one("Có 3.200 hồ sơ được cắt giảm thời gian xử lý.").indicator == "procedures_time_cut_dossiers"
    # the online filing rate is a percent: a count of online applications gets no indicator
    assert one("Có 1.200 hồ sơ nộp trực tuyến trong tháng.").indicator == ""


def test_cue_words_of_a_neighbouring_figure_do_not_leak() -> None:
    sentence = "Tỉnh cắt giảm 25% thời gian giải quyết đối với 60% số thủ tục."
    assert [c.indicator for c in figures(sentence)] == ["procedures_time_cut_rate", ""]


def test_a_rank_takes_the_index_named_anywhere_in_its_sentence() -> None:
    found = figures("Chỉ số SIPAS của tỉnh đạt 84,2%, xếp thứ 11/63.")
    assert [(c.text, c.unit, c.indicator) for c in found] == [
        ("84,2%", "percent", "sipas"),
        ("11/63", "rank", "sipas_rank"),
    ]


def test_a_decimal_without_unit_is_a_score_not_a_count() -> None:
    c = one("Chỉ số DTI của tỉnh đạt 0,4871.")
    assert (c.unit, c.indicator) == ("score", "dti")


# ---------------------------------------------------------------- province and year


def test_province_from_the_heading_and_national_figures_left_empty() -> None:
    text = (
        "Quảng Trị tổng kết công tác cải cách hành chính năm 2024\n"
        "Theo báo cáo, cả nước đã cắt giảm 2.100 thủ tục hành chính.\n"
        "Tại địa phương, tỉnh đã tiếp nhận 45.300 hồ sơ trực tuyến.\n"
        "Các bộ, ngành đã hoàn thành 412 nhiệm vụ.\n"
        "Tỉnh là một trong 5 địa phương được biểu dương."
    )
    got = [(c.text, c.province) for c in figures(text)]
    assert got == [("2.100", ""), ("45.300", "Quảng Trị"), ("412", ""), ("5", "")]


def test_province_named_in_the_sentence_wins_over_the_report_province() -> None:
    text = "Sở Nội vụ tỉnh Hà Tĩnh báo cáo.\nTỉnh Quảng Bình giải quyết 98% hồ sơ đúng hạn."
    assert one(text).province == "Quảng Bình"


def test_person_names_are_not_provinces() -> None:
    text = "Phó Chủ tịch Trần Thái Bình dự họp tại tỉnh Bắc Giang.\nTỉnh đã giải quyết 120 hồ sơ."
    assert report_province(text) == "Bắc Giang"
    assert one(text).province == "Bắc Giang"


def test_a_rank_against_the_country_keeps_its_province() -> None:
    c = one("Năm 2023, chỉ số PAPI của Ninh Bình xếp thứ 6 cả nước.")
    assert (c.unit, c.province, c.year, c.indicator) == ("rank", "Ninh Bình", 2023, "papi_rank")


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("Năm 2023, tỉnh giải quyết 600 hồ sơ.", 2023),
        ("Trong giai đoạn 2021–2025, tỉnh giải quyết 600 hồ sơ.", 2025),
        ("Tỉnh giải quyết 600 hồ sơ trong năm 2022.", 2022),
        ("Kết quả năm 2024 rất tích cực.\nTrong năm, tỉnh giải quyết 600 hồ sơ.", 2024),
        ("Chiều 12/3/2025, Sở Nội vụ báo cáo.\nTỉnh giải quyết 600 hồ sơ.", 2025),
        ("Năm 2024, tỉnh giải quyết 600 hồ sơ, tăng mạnh so với năm 2023.", 2024),
        ("Chỉ số PCI 2022 của tỉnh đạt 66,1 điểm.", 2022),
        ("Tỉnh giải quyết 600 hồ sơ, gấp đôi so với cùng kỳ năm 2021.", None),
    ],
)
def test_year_of_a_figure(text: str, year: int | None) -> None:
    assert one(text).year == year


def test_no_year_anywhere_leaves_it_empty() -> None:
    assert one("Tỉnh giải quyết 600 hồ sơ.").year is None


# ---------------------------------------------------------------- the extract command


def test_extract_to_csv_writes_sorted_rows_with_empty_accept(tmp_path: Path) -> None:
    b = tmp_path / "b.txt"
    a = tmp_path / "a.txt"
    b.write_text("Tỉnh Hà Tĩnh năm 2024 đạt 92% hồ sơ đúng hạn và 14 sáng kiến.", encoding="utf-8")
    a.write_text("Tỉnh Nghệ An năm 2024 có 300 hồ sơ.", encoding="utf-8")
    out = tmp_path / "cand.csv"
    assert cli_main(["extract", str(b), str(a), "--out", str(out)]) == 0
    with out.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    assert tuple(reader.fieldnames or ()) == CANDIDATE_COLUMNS
    assert [(r["source"], r["text"]) for r in rows] == [("a.txt", "300"), ("b.txt", "92%"), ("b.txt", "14")]
    assert all(r["accept"] == "" for r in rows)
    assert rows[1]["value"] == "92" and rows[1]["year"] == "2024" and "đúng hạn" in rows[1]["sentence"]


def test_extract_refuses_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes("Tỉnh đạt 90%".encode("utf-16"))
    with pytest.raises(InputFileError, match=r"bad\.txt"):
        extract_to_csv([bad], tmp_path / "out.csv")
    assert cli_main(["extract", str(bad), "--out", str(tmp_path / "out.csv")]) == 2


# ---------------------------------------------------------------- review and accept


def _candidates(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, CANDIDATE_COLUMNS)
        writer.writeheader()
        for r in rows:
            writer.writerow({c: r.get(c, "") for c in CANDIDATE_COLUMNS})
    return path


def _row(**kw: str) -> dict[str, str]:
    base = {"source": "r.txt", "start": "0", "end": "3", "text": "90%", "value": "90", "unit": "percent"}
    return {**base, "qualifier": "exact", "sentence": "Câu viết cho kiểm thử.", **kw}


def test_accept_writes_accepted_complete_rows_and_reports_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "r.txt").write_text("Một báo cáo viết tay.\nNguồn tin: example.gov.vn\n", encoding="utf-8")
    cand = _candidates(
        tmp_path / "review.csv",
        [
            _row(
                indicator="online_filing_rate", province="Hà Tĩnh", year="2024", accept="x", qualifier="over"
            ),
            _row(
                start="10",
                end="14",
                indicator="online_payment_rate",
                province="Hà Tĩnh",
                year="2024",
                accept="",
            ),
            _row(start="20", end="23", indicator="", province="Hà Tĩnh", year="2024", accept="có"),
            _row(
                start="30", end="33", indicator="online_filing_rate", province="", year="2024", accept="yes"
            ),
            _row(
                start="40",
                end="45",
                text="40/40",
                value="40",
                unit="count",
                denominator="40",
                indicator="par_tasks_done",
                province="Hà Tĩnh",
                year="2024",
                accept="TRUE",
            ),
            _row(
                start="50",
                end="52",
                text="12",
                value="12",
                unit="count",
                indicator="online_filing_rate",
                province="Hà Tĩnh",
                year="2024",
                accept="1",
            ),
        ],
    )
    out_dir = tmp_path / "figures"
    assert cli_main(["accept", str(cand), "--out-dir", str(out_dir)]) == 0
    sheet = out_dir / "extracted_review.csv"
    with sheet.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["indicator"], r["value"], r["unit"]) for r in rows] == [
        ("online_filing_rate", "90", "percent"),
        ("par_tasks_done", "40", "count"),
        ("par_tasks_total", "40", "count"),
    ]
    assert rows[0]["source"] == "r.txt (example.gov.vn)"
    assert rows[0]["note"] == "extracted from r.txt chars 0-3"
    assert rows[0]["qualifier"] == "over"
    err = capsys.readouterr().err
    assert "chars 20-23" in err and "no indicator" in err
    assert "chars 30-33" in err and "no province" in err
    assert "chars 50-52" in err and "unit 'count'" in err
    assert "3 accepted row(s) not written" in err
    assert (out_dir / "extracted_review.meta.json").exists()


def test_decisions_file_overrides_the_accept_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cand = _candidates(
        tmp_path / "c.csv",
        [
            _row(indicator="online_filing_rate", province="Hà Tĩnh", year="2024", accept="x"),
            _row(start="10", end="13", indicator="online_payment_rate", province="Hà Tĩnh", year="2024"),
        ],
    )
    decisions = tmp_path / "accepted.csv"
    decisions.write_text(
        "source,start,end,accept\nr.txt,0,3,\nr.txt,10,13,yes\nr.txt,99,101,yes\n", encoding="utf-8"
    )
    accept_to_sheet(cand, tmp_path, decisions)
    with (tmp_path / "extracted_c.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["indicator"] for r in rows] == ["online_payment_rate"]
    assert "chars 99-101 matches no candidate" in capsys.readouterr().err


def test_accept_names_a_candidates_file_without_the_columns(tmp_path: Path) -> None:
    bad = tmp_path / "c.csv"
    bad.write_text("source,start\nr.txt,0\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="missing column"):
        accept_to_sheet(bad, tmp_path)
    assert cli_main(["accept", str(bad), "--out-dir", str(tmp_path)]) == 2


def test_the_written_sheet_reads_back_as_a_figure_sheet(tmp_path: Path) -> None:
    from analysis.clean.sheets import read_sheet
    from analysis.numbers import infer_locale

    cand = _candidates(
        tmp_path / "c.csv",
        [_row(value="90.2", indicator="online_filing_rate", province="Hà Tĩnh", year="2024", accept="x")],
    )
    accept_to_sheet(cand, tmp_path)
    sheet = read_sheet(tmp_path / "extracted_c.csv")
    assert sheet.provenance["locale"] == "intl"
    assert infer_locale(list(sheet.rows["value"])) == "intl"
    assert list(sheet.rows["province"]) == ["Hà Tĩnh"]


# ---------------------------------------------------------------- measured on the real corpus


def _expected(stem: str, kind: str = "") -> list[dict[str, str]]:
    with (EXPECTED_DIR / f"{stem}{kind}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _corpus() -> list[Path]:
    if not config.CORPUS_DIR.is_dir():
        pytest.skip(f"corpus texts not available at {config.CORPUS_DIR}")
    paths = [
        config.CORPUS_DIR / f"{p.stem}.txt" for p in sorted(EXPECTED_DIR.glob("*.csv")) if "." not in p.stem
    ]
    present = [p for p in paths if p.exists()]
    if not present:
        pytest.skip("none of the corpus texts with expected figures is present")
    return present


def test_expected_figures_point_at_their_text() -> None:
    for path in _corpus():
        raw = path.read_text(encoding="utf-8")
        for r in _expected(path.stem) + _expected(path.stem, ".nonfigures"):
            assert raw[int(r["start"]) : int(r["end"])] == r["text"], (path.name, r)


def test_precision_and_recall_on_the_corpus() -> None:
    found, expected, matched = 0, 0, 0
    for path in _corpus():
        s = score(find_figures(path.read_text(encoding="utf-8"), path.name), _expected(path.stem))
        found, expected, matched = found + s.found, expected + s.expected, matched + s.matched
        assert s.recall >= 0.95 and s.precision >= 0.95, (path.name, s)
    assert matched / found >= 0.95 and matched / expected >= 0.95


def test_no_date_or_document_number_is_taken_from_the_corpus() -> None:
    for path in _corpus():
        found = find_figures(path.read_text(encoding="utf-8"), path.name)
        for nf in _expected(path.stem, ".nonfigures"):
            a, b = int(nf["start"]), int(nf["end"])
            overlapping = [c.text for c in found if c.start < b and a < c.end]
            assert not overlapping, (path.name, nf["text"], nf["kind"], overlapping)


def test_accept_writes_a_sidecar_with_source_quality(tmp_path):
    """The accepted sheet's sidecar ranks it as a single-province mention for duplicate settling."""
    import json

    import pandas as pd

    text = tmp_path / "bao_cao.txt"
    text.write_text("Nguồn: example.gov.vn\nTỉnh Nghệ An năm 2024 hoàn thành 40/40 nhiệm vụ.\n", "utf-8")
    cands = tmp_path / "cands.csv"
    assert extract_to_csv([text], cands) == 0
    df = pd.read_csv(cands, dtype=str, keep_default_na=False)
    df["accept"] = "yes"
    df["indicator"] = "par_tasks_done"  # what the analyst names it (no sheet is written for nothing)
    df.to_csv(cands, index=False)
    accept_to_sheet(cands, tmp_path / "out")
    meta = json.loads((tmp_path / "out" / "extracted_cands.meta.json").read_text("utf-8"))
    assert meta["source_quality"] == "press"


def test_the_accepted_sheet_says_when_its_texts_were_read_not_when_they_were_accepted(tmp_path):
    """The sheet's `accessed` feeds the data's cut-off that every briefing prints; it was the day of
    `analysis accept` (the 2026-12-05 briefings said "data collected up to" their own build day while
    the texts were read in 2026-11 and 2026-12). It is now the latest date the texts' own sidecars
    give; the acceptance day is kept as `accepted`."""
    import datetime
    import json

    import pandas as pd

    (tmp_path / "reports").mkdir()
    text = tmp_path / "reports" / "bao_cao.txt"
    text.write_text("Nguồn: example.gov.vn\nTỉnh Nghệ An năm 2024 hoàn thành 40/40 nhiệm vụ.\n", "utf-8")
    (tmp_path / "reports" / "bao_cao.meta.json").write_text('{"accessed": "2021-03"}', "utf-8")
    cands = tmp_path / "cands.csv"
    assert extract_to_csv([text], cands) == 0
    df = pd.read_csv(cands, dtype=str, keep_default_na=False)
    df["accept"] = "yes"
    df["indicator"] = "par_tasks_done"
    df.to_csv(cands, index=False)
    accept_to_sheet(cands, tmp_path / "figures")
    meta = json.loads((tmp_path / "figures" / "extracted_cands.meta.json").read_text("utf-8"))
    assert meta["accessed"] == "2021-03"
    assert meta["accepted"] == datetime.date.today().isoformat()
