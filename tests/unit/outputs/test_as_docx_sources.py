"""The Word briefing prints a source's addresses as the PDF does (issue #16 review, "Citations"):
the copy's and the original's, as text a reader of the paper copy can type."""

from __future__ import annotations

import pytest

from analysis.briefing.sections.notes import source_items
from analysis.citations import SourceLine

docx = pytest.importorskip("docx", reason="python-docx is the Word format's package")


def test_a_sources_addresses_are_text_in_the_word_briefing() -> None:
    from analysis.outputs.as_docx import _Html

    copy = "https://github.com/owner/workbooks/tree/master/data-raw"
    line = SourceLine("VCCI, PCI 2017: bảng dữ liệu, bản sao trên github.com", copy, "https://pcivietnam.vn")
    line = SourceLine(**{**line.__dict__, "copy_label": "bản gốc"})
    doc = docx.Document()
    doc._cchc_style_ids = {}  # as `as_docx.document` sets it up
    parser = _Html(doc)
    parser.feed(source_items([line], "vi"))
    parser.close()
    parser.flush()
    (item,) = [p.text for p in doc.paragraphs if p.text.strip()]
    assert item.endswith(f"bản sao trên github.com {copy} (bản gốc: https://pcivietnam.vn)")
