"""The take-away CSV's words (reviewer's cases, Nghệ An and Hòa Bình 2024): qualifier and unit in
the CSV's language, a bounded rank as its bounds, no internal file names, notes in one language."""

from __future__ import annotations

from analysis import rulebook
from analysis.national import csvtext


def test_qualifier_and_unit_are_words_of_the_csvs_language() -> None:
    assert [csvtext.qualifier_word(q, "vi") for q in ("exact", "over", "nearly")] == [
        "chính xác",
        "trên",
        "gần",
    ]
    assert csvtext.qualifier_word("over", "en") == "over"
    assert csvtext.unit_word("score", "vi") == "điểm" and csvtext.unit_word("vnd", "vi") == "đồng"
    assert csvtext.unit_word("score", "en") == "points" and csvtext.unit_word("vnd", "en") == "VND"


def test_a_bounded_rank_is_written_as_its_bounds() -> None:
    # Hòa Bình, PAR Index 2024: the page says "33–62 (theo điểm)"; the CSV had rank empty, rank_of 63
    cols = csvtext.rank_columns(rulebook.Rank(None, 63, "", 33, 62), "vi")
    assert (cols["rank"], cols["rank_low"], cols["rank_high"], cols["rank_of"]) == (None, 33, 62, 63)
    assert cols["rank_kind"] == "giới hạn theo điểm"
    given = csvtext.rank_columns(rulebook.Rank(15, 63, rulebook.PUBLISHED), "en")
    assert (given["rank"], given["rank_of"], given["rank_kind"]) == (15, 63, "published")
    assert csvtext.rank_columns(rulebook.Rank(4, 34, rulebook.COMPUTED), "vi")["rank_kind"] == "tính từ điểm"
    assert csvtext.rank_columns(rulebook.NO_RANK, "vi")["rank_kind"] == ""


def test_a_source_never_shows_an_internal_file_name() -> None:
    assert csvtext.source_text("000_8afbc1230fca05e9.txt (nghean.gov.vn)") == "nghean.gov.vn"
    assert (
        csvtext.source_text("003_016e6a5699ec1371.txt", "https://baonghean.vn/x.html")
        == "https://baonghean.vn/x.html"
    )
    assert (
        csvtext.source_text("https://pcivietnam.vn/en/provinces/thanh-hoa")
        == "https://pcivietnam.vn/en/provinces/thanh-hoa"
    )


def test_notes_keep_only_the_csvs_language_and_no_extraction_offsets() -> None:
    note = (
        "Báo Nghệ An đưa tin kết quả năm 2024; named province; "
        "extracted from 003_016e6a5699ec1371.txt chars 4262-4265"
    )
    assert csvtext.note_text(note, "vi") == "Báo Nghệ An đưa tin kết quả năm 2024"
    assert csvtext.note_text(note, "en") == "named province"
    assert csvtext.note_text("one edition per year", "vi") == ""
    cell = "PCI_2007.xls:Tóm tắt các chỉ số PCI !P54"
    assert csvtext.note_text(cell, "en") == cell == csvtext.note_text(cell, "vi")


def test_the_audit_reads_a_rank_kind_word_back() -> None:
    for lang in ("vi", "en"):
        for rank in (rulebook.Rank(15, 63, rulebook.PUBLISHED), rulebook.Rank(4, 34, rulebook.COMPUTED)):
            assert csvtext.kind_of(csvtext.rank_columns(rank, lang)["rank_kind"], lang) == rank.kind
        assert (
            csvtext.kind_of(
                csvtext.rank_columns(rulebook.Rank(None, 63, "", 33, 62), lang)["rank_kind"], lang
            )
            == csvtext.BOUNDED
        )
        assert csvtext.kind_of(csvtext.rank_columns(rulebook.NO_RANK, lang)["rank_kind"], lang) == ""
        assert csvtext.page_kind(rulebook.Rank(None, 63, "", 33, 62)) == csvtext.BOUNDED
