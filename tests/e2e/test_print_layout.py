"""The printed briefing: page 1 is not left half empty when the ranking chart does not fit on it.

Real briefings are built (slow) and page 1 of each PDF is rendered to an image with PDFium
(pypdfium2, from the test requirements: no system tool needed); the lowest inked row of the text
area tells how far the page is filled. Hà Nội 2018 was the reviewer's case: a long headline table, then
the ranking chart moved to page 2 and left 40 % of page 1 blank.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.build import build
from pdf_pages import render_page

pytestmark = pytest.mark.slow

DPI = 40
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, PAGE_MM = 20, 18, 297  # print.css @page
# 2024 is the default year of the shipped data (briefings of recent years have the longest headline
# tables: figures of earlier years, publication status, quartile groups).
CASES = [
    ("Hà Nội", "2018", "ha-noi"),
    ("Nghệ An", "2018", "nghe-an"),
    ("Hà Nội", "2024", "ha-noi"),
    ("Nghệ An", "2024", "nghe-an"),
    ("Lào Cai", "2024", "lao-cai"),
]


def page_fill(image) -> float:
    """How far down the text area of a rendered page something is printed (0 = empty, 1 = full)."""
    im = image.convert("L")
    w, h = im.size
    top, bottom = round(h * MARGIN_TOP_MM / PAGE_MM), round(h * (1 - MARGIN_BOTTOM_MM / PAGE_MM))
    px = im.load()
    last = top
    for y in range(top, bottom):
        if any(px[x, y] < 200 for x in range(0, w, 2)):
            last = y
    return (last - top) / (bottom - top)


@pytest.fixture(scope="module")
def pdfs(shipped_clean_dir, tmp_path_factory) -> dict[str, Path]:
    clean_dir = shipped_clean_dir
    out = tmp_path_factory.mktemp("reports")
    for year in sorted({y for _n, y, _s in CASES}):
        names = ",".join(name for name, y, _s in CASES if y == year)
        request = build.BuildRequest.from_cli(names, year, "vi", 2, True, clean_dir, out, progress=False)
        assert build.run_reports(request) == 0
    return {f"{year}/{slug}": out / year / "vi" / f"{slug}.pdf" for _n, year, slug in CASES}


def test_page_fill_sees_a_half_empty_page(tmp_path):
    """The measure is worth something only if it tells a half-filled page from a full one."""
    from weasyprint import HTML

    half = tmp_path / "half.pdf"
    page = "<style>@page{size:A4;margin:20mm 16mm 18mm 16mm}</style>"
    HTML(string=page + '<div style="height:120mm;background:#000"></div>').write_pdf(half)
    assert 0.4 < page_fill(render_page(half, 1, DPI)) < 0.55


@pytest.mark.parametrize(("name", "year", "slug"), CASES)
def test_first_page_is_not_half_empty(pdfs, name, year, slug):
    from pypdf import PdfReader

    pdf = pdfs[f"{year}/{slug}"]
    fill = page_fill(render_page(pdf, 1, DPI))
    assert fill >= 0.8, f"{name} {year}: page 1 is only {fill:.0%} filled"
    pages = PdfReader(str(pdf)).pages
    text = " ".join(p.extract_text() for p in pages[:2])
    assert "Xếp hạng các tỉnh" in text, "the ranking starts on page 1 or 2"
