"""End to end: two real briefings (Nghệ An in Vietnamese, Lào Cai in English) from the real clean data."""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

import pytest

from analysis import config
from analysis.build import build
from analysis.build.executors import Hints, PoolExecutor
from analysis.build.jobs import output_path
from analysis.build.plan import PlanData, plan
from analysis.provinces import get
from analysis.writing import atomic_write

pytestmark = pytest.mark.slow

A4 = (595.28, 841.89)  # points
WANTED = {("Nghệ An", "vi"), ("Lào Cai", "en")}


class _Page(HTMLParser):
    """Visible text, title and every (tag, attribute, value) that points somewhere."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.title = ""
        self.links: list[tuple[str, str, str]] = []
        self.alts: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag, attrs):
        self._in.append(tag)
        if tag == "img":
            self.alts.append(dict(attrs).get("alt") or "")
        for name, value in attrs:
            if name in {"src", "href", "srcset", "data", "poster"} and value:
                self.links.append((tag, name, value))

    def handle_endtag(self, tag):
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        if self._in and self._in[-1] == "title":
            if "svg" not in self._in:  # an SVG <title> is a figure's tooltip, not the page's title
                self.title += data
        elif not (self._in and self._in[-1] in {"style", "script"}):
            self.text.append(data)


@pytest.fixture(scope="module")
def built(shipped_clean_dir, tmp_path_factory):
    clean_dir = shipped_clean_dir
    if not config.TEMPLATE_NOTEBOOK.exists():
        pytest.skip(f"{config.TEMPLATE_NOTEBOOK} not written yet")
    out = tmp_path_factory.mktemp("reports")
    request = build.BuildRequest.from_cli(
        "Nghệ An,Lào Cai", "", "vi,en", 2, True, clean_dir, out, progress=False
    )
    df = build.read_figures(clean_dir)
    jobs = [j for j in plan(request, PlanData.read(request, df)).jobs if (j.name, j.lang) in WANTED]
    assert len(jobs) == 2
    pool = PoolExecutor(request, 2)
    try:
        results = list(pool.submit(jobs, Hints(out)))
    finally:
        pool.close()
    failed = [f"{r.job.rel}: {r.step}: {r.error}" for r in results if not r.ok]
    assert not failed, failed
    for result in results:
        for suffix, data in result.files.items():
            atomic_write(output_path(out, result.job, suffix), data)
    return out, {(j.name, j.lang): j for j in jobs}, df


@pytest.mark.parametrize(("name", "lang"), sorted(WANTED))
def test_html_is_self_contained_and_localised(built, name, lang):
    out, jobs, _ = built
    job = jobs[(name, lang)]
    html_path = output_path(out, job, ".html")
    raw = html_path.read_text(encoding="utf-8")
    page = _Page()
    page.feed(raw)
    text = unicodedata.normalize("NFC", " ".join(page.text))

    # One title: the page's title is the briefing's heading (the English one names the province in
    # English, as its body does).
    shown = name if lang == "vi" else get(job.code, job.regime).name_en
    assert page.title.strip() == job.title and shown in page.title
    if lang == "vi":
        assert name in text
    else:  # the English body may use the ASCII English name
        assert name in text or get(job.code, job.regime).name_en in text
    assert "<script" not in raw.lower()
    loads = [(t, a, v) for t, a, v in page.links if re.match(r"\s*(https?:)?//", v)]
    assert all(t == "a" and a == "href" for t, a, _ in loads), loads  # only citation links go outside
    assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", raw, re.IGNORECASE)
    images = [v for t, a, v in page.links if t == "img" and a == "src"]
    assert images and all(v.startswith("data:image/") for v in images)
    # every figure says what it shows, for readers who cannot see it (not nbconvert's placeholder)
    display = (
        name if lang == "vi" else __import__("analysis.provinces").provinces.get(job.code, job.regime).name_en
    )
    assert len(page.alts) == len(images) and all(display in a for a in page.alts), page.alts

    # A number in the reader's format: decimal comma in Vietnamese, decimal point in English.
    decimal = re.compile(
        r"(?<![\d.,])\d{1,3},\d{1,2}(?![\d.,])" if lang == "vi" else r"(?<![\d.,])\d+\.\d{1,2}(?![\d.,])"
    )
    wrong = re.compile(
        r"(?<![\d.,])\d{1,3}\.\d{1,2}(?![\d.,])" if lang == "vi" else r"(?<![\d.,])\d{1,3},\d{1,2}(?![\d.,])"
    )
    assert decimal.search(text)
    assert not wrong.search(text), wrong.search(text)


@pytest.mark.parametrize(("name", "lang"), sorted(WANTED))
def test_pdf_is_a4_with_vietnamese_text_page_numbers_and_embedded_fonts(built, name, lang):
    from pypdf import PdfReader

    out, jobs, _ = built
    pdf_path = output_path(out, jobs[(name, lang)], ".pdf")
    reader = PdfReader(pdf_path)
    pages = reader.pages
    assert pages
    for page in pages:
        box = page.mediabox
        assert abs(float(box.width) - A4[0]) < 1 and abs(float(box.height) - A4[1]) < 1
    first = unicodedata.normalize("NFC", pages[0].extract_text())
    job = jobs[(name, lang)]
    assert (name if lang == "vi" else get(job.code, job.regime).name_en) in first
    assert f"1/{len(pages)}" in first
    assert f"{len(pages)}/{len(pages)}" in unicodedata.normalize("NFC", pages[-1].extract_text())

    fonts = {}

    def collect(obj):
        resources = obj.get("/Resources")
        if resources is None:
            return
        resources = resources.get_object()
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
        for xobject in (resources.get("/XObject") or {}).values():
            collect(xobject.get_object())

    for page in pages:
        collect(page)
    assert fonts
    for base, font in fonts.items():
        descendant = font.get("/DescendantFonts")
        descriptor = (descendant[0].get_object() if descendant else font)["/FontDescriptor"].get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), f"{base} not embedded"
    assert any("Briefing-Sans" in base for base in fonts)  # the DejaVu Sans shipped with matplotlib
