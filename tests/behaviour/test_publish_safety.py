"""The publishing check follows the browser's rules: URLs read as WHATWG parses them (tabs and
newlines removed), SVG animation that sets a link refused, no file of the reader's disk reachable by a
relative or absolute path from the HTML, nothing fetched by the PDF renderer but data: URLs and our
fonts, and the PDF's link to its take-away CSV relative (not the builder's file:// path)."""

from __future__ import annotations

import re
import zlib

import pytest

from analysis.outputs.as_pdf import PdfWriter
from analysis.outputs.safety import scheme, unsafe_html, url_fetcher, whatwg


@pytest.mark.parametrize(
    "html",
    [
        '<a href="java&#9;script:alert(1)">x</a>',
        '<a href="java&#10;script:alert(1)">x</a>',
        '<a href="&#1;&#32;JaVa\nScRiPt:alert(1)">x</a>',
        '<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a></svg>',
        '<svg><a><set attributeName="xlink:href" to="https://example.org/"/></a></svg>',
        '<svg><a href="#"><animate attributename="HREF" dur="1s"/></a></svg>',
        '<form><button formaction="javascript:alert(1)">x</button></form>',
        '<a href="../../../etc/passwd">x</a>',
        '<a href="..%2F..%2F..%2Fetc/passwd">x</a>',
        '<a href="2018/../../../../etc/passwd">x</a>',
        '<a href="/etc/passwd">x</a>',
        '<a href="file:///etc/passwd">x</a>',
        '<a href="\\\\server\\share">x</a>',
        '<img src="../../etc/passwd">',
        '<img src="photo.png">',
        '<div style="background: url(../secret.png)"></div>',
        '<base href="https://example.org/">',
    ],
)
def test_pages_a_browser_would_run_or_open_beyond_themselves_are_refused(html):
    assert unsafe_html(html) is not None, html


def test_links_a_briefing_has_are_fine():
    page = (
        '<a href="nghe-an.csv">CSV</a> <a href="2018/vi/nghe-an.pdf">PDF</a> <a href="#notes">notes</a>'
        '<a href="../../index.html">index</a> <a href="overview.html">overview</a>'
        '<a href="https://example.org/report?a=1&amp;b=2">source</a> <a href="mailto:so@example.org">mail</a>'
        '<img src="data:image/png;base64,iVBOR"><svg><use href="#tile"/></svg>'
        "<p>java&#9;script: is only text here, and so is ../../etc/passwd</p>"
    )
    assert unsafe_html(page) is None


def test_urls_are_read_as_whatwg_does():
    assert whatwg(" \x01java\tscr\nipt:x ") == "javascript:x"
    assert scheme("JAVA\r\nSCRIPT:alert(1)") == "javascript"
    assert scheme("nghe-an.csv") == ""


def test_the_pdf_renderer_fetches_no_local_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the reader's own file", encoding="utf-8")
    fetch = url_fetcher([tmp_path / "fonts"])
    with pytest.raises(ValueError, match="refused"):
        fetch(secret.as_uri())
    with pytest.raises(ValueError, match="refused"):
        fetch("https://example.org/a.png")
    assert fetch("data:text/plain;base64,eA==").read() == b"x"


def test_the_pdf_links_its_csv_relatively_and_embeds_no_local_file(tmp_path):
    pytest.importorskip("weasyprint")
    secret = tmp_path / "etc" / "passwd"
    secret.parent.mkdir()
    secret.write_bytes(b"\x89PNG\r\n\x1a\n" + b"x" * 200)
    reports = tmp_path / "reports" / "2018" / "vi"
    reports.mkdir(parents=True)
    html = (
        '<!DOCTYPE html><html><body><main class="briefing"><p><a href="nghe-an.csv">nghe-an.csv</a></p>'
        '<img src="../../../etc/passwd"></main></body></html>'
    )
    exporter = PdfWriter()
    try:
        with pytest.raises(Exception, match=r"passwd|refused|load"):
            exporter.pdf(html, "Nghệ An", reports)
        document = exporter.pdf(html.replace('<img src="../../../etc/passwd">', ""), "Nghệ An", reports)
    finally:
        exporter.close()
    objects = [document]  # WeasyPrint packs the link annotations into compressed object streams
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", document, re.S):
        try:
            objects.append(zlib.decompress(m.group(1)))
        except zlib.error:
            continue
    uris = [u for o in objects for u in re.findall(rb"/URI ?\((.*?)\)", o)]
    assert uris == [b"nghe-an.csv"], uris
    assert not any(str(tmp_path).encode() in o for o in objects)
