"""What `analysis reports` leaves beside the briefings: each briefing's CSV, the national overview
linked from the index, one title for page, heading and PDF head, and a rebuild when a citation's
sidecar changes. One real briefing (Nghệ An 2024, Vietnamese) from the real clean data."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from analysis.build import build
from analysis.build.plan import library_hash

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def out(shipped_clean_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    request = build.BuildRequest.from_cli(
        "Nghệ An", "2024", "vi", 1, True, shipped_clean_dir, out, progress=False
    )
    assert build.run_reports(request) == 0
    return out


def test_each_briefing_ships_its_figures_as_csv_and_links_it(out):
    html = (out / "2024/vi/nghe-an.html").read_text("utf-8")
    assert 'href="nghe-an.csv"' in html
    text = (out / "2024/vi/nghe-an.csv").read_text("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows, "the CSV has the briefing's figures"
    assert {"indicator", "year", "value", "unit", "rank", "source", "citation"} <= set(rows[0])
    own = [r for r in rows if r["role"] == "số liệu của tỉnh"]
    assert own and {r["province_code"] for r in own} == {"40"}  # the province's own figures first …
    assert rows[: len(own)] == own
    others = rows[len(own) :]  # … then other provinces' press figures, each with its article's address
    assert others and all(r["province_code"] != "40" and r["url"].startswith("http") for r in others)
    papi = [r for r in rows if r["indicator"] == "papi" and r["year"] == "2024"]
    assert papi and papi[0]["citation"], "a figure the briefing shows is cited in its CSV"


def test_overview_is_written_and_the_index_links_it_and_the_csv(out):
    overview = out / "2024/vi/overview.html"
    assert overview.exists()
    assert "<script" not in overview.read_text("utf-8").lower()
    index = (out / "index.html").read_text("utf-8")
    assert 'href="2024/vi/overview.html"' in index
    assert 'href="2024/vi/nghe-an.csv"' in index
    assert list(out.glob("2024/overview-*.csv")), "each overview table has its CSV"


def test_each_briefing_comes_as_a_word_document_with_its_tables_and_figures(out):
    import docx

    document = docx.Document(str(out / "2024/vi/nghe-an.docx"))
    title = "Nghệ An — Báo cáo tóm tắt CCHC và chính quyền số 2024"
    headings = [p.text for p in document.paragraphs if p.style.name.startswith(("Title", "Heading"))]
    assert headings[0] == title and document.core_properties.title == title  # Vietnamese intact
    assert "Các chỉ số chính 2024" in headings and "Ghi chú về số liệu" in headings
    html = (out / "2024/vi/nghe-an.html").read_text("utf-8")
    # The headline table is a real Word table: the page's header row and its PAPI row, cell by cell.
    table = html.split('class="cchc-headline"')[1]  # the table, not the stylesheet's rules for it
    head = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<th[^>]*>(.*?)</th>", table)]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    headline = next(t for t in tables if t[0] == head[: len(t[0])])
    assert len(headline[0]) == 6 and any(row[0] == "PAPI" and row[1] == "43,07" for row in headline)
    # Every figure of the page is a picture (the ranking, distribution, sub-indices, trend, online
    # charts and the tile map), each with its alt text below it.
    figures = len(re.findall(r"<img |<svg ", html))  # nbconvert's <img> per chart, the map's <svg>
    assert len(document.inline_shapes) == figures >= 5
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert any(c.startswith("Xếp hạng các tỉnh, thành phố") for c in captions)
    # The data notes' sources are a list, their addresses live links.
    rels = [r.target_ref for r in document.part.rels.values() if r.reltype.endswith("/hyperlink")]
    assert any(url.startswith("https://") for url in rels)


def test_page_title_is_the_briefings_heading(out):
    html = (out / "2024/vi/nghe-an.html").read_text("utf-8")
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
    h1 = re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)).strip()
    assert title == h1 == "Nghệ An — Báo cáo tóm tắt CCHC và chính quyền số 2024"


def test_a_changed_citation_sidecar_changes_the_rebuild_key(tmp_path):
    pkg, raw = tmp_path / "pkg", tmp_path / "raw"
    (pkg).mkdir()
    (pkg / "m.py").write_text("x = 1\n")
    (raw / "figures").mkdir(parents=True)
    meta = raw / "figures" / "sheet.meta.json"
    meta.write_text('{"publisher": "VCCI"}')
    first = library_hash(pkg, raw)
    meta.write_text('{"publisher": "VCCI and USAID"}')
    assert library_hash(pkg, raw) != first
