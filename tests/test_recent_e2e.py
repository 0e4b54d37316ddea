"""End to end, recent years (issue #10): real briefings from the shipped data, checked in the HTML
and in the PDF text — Nghệ An 2024 (vi, en) with PAPI 2024 and its quartile group, DTI 2024, the
PCI 2024 status and its 2024 report figures under a 2024 title; Nghệ An 2022 with its PAR Index and
SIPAS ranks; Lào Cai 2024 with its published PCI 2024 rank."""

from __future__ import annotations

import html as htmllib
import re
import unicodedata
from pathlib import Path

import pytest

from analysis import config, provinces

pytestmark = pytest.mark.slow


def _text(markup: str) -> str:
    markup = re.sub(r"<(style|script)\b.*?</\1>", " ", markup, flags=re.S | re.I)
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", markup))
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", text))


@pytest.fixture(scope="module")
def built(shipped_clean_dir, tmp_path_factory) -> Path:
    if not config.TEMPLATE_NOTEBOOK.exists():
        pytest.skip("no briefing notebook")
    from analysis.build.build import run_reports
    from analysis.build.jobs import BuildRequest

    clean = shipped_clean_dir
    out = tmp_path_factory.mktemp("reports")
    for names, year, langs in (("Nghệ An,Lào Cai", "2024", "vi,en"), ("Nghệ An", "2022", "vi")):
        request = BuildRequest.from_cli(names, year, langs, 2, True, clean, out, progress=False)
        assert run_reports(request) == 0
    return out


def _pages(out: Path, name: str, year: int, lang: str) -> tuple[str, str, str]:
    """(HTML text, PDF text, the HTML's <title>) of one briefing."""
    from pypdf import PdfReader

    slug = provinces.resolve(name, year).province.slug
    html_path = out / str(year) / lang / f"{slug}.html"
    raw = html_path.read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", raw, re.S).group(1)
    pdf = " ".join(p.extract_text() for p in PdfReader(html_path.with_suffix(".pdf")).pages)
    pdf = unicodedata.normalize("NFC", re.sub(r"\s+", " ", pdf))
    return _text(raw), pdf, htmllib.unescape(title)


def _in_both(needle: str | re.Pattern, html_text: str, pdf_text: str) -> None:
    for where, text in (("HTML", html_text), ("PDF", pdf_text)):
        found = needle.search(text) if isinstance(needle, re.Pattern) else needle in text
        assert found, f"{needle!r} not in the {where} text"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_nghe_an_2024_shows_its_2024_figures(built, lang):
    html_text, pdf_text, title = _pages(built, "Nghệ An", 2024, lang)
    assert "2024" in title and "2022" not in title
    group = "nhóm đạt điểm trung bình" if lang == "vi" else "average"
    _in_both("PAPI 2024", html_text, pdf_text)
    _in_both(group, html_text, pdf_text)  # PAPI's quartile group, by PAPI's convention
    _in_both("DTI 2024", html_text, pdf_text)
    status = "chỉ công bố 30 tỉnh đứng đầu" if lang == "vi" else "only the top 30 were published"
    _in_both(status, html_text, pdf_text)  # PCI 2024: what VCCI published, not "no data"
    _in_both("40/40", html_text, pdf_text)  # tasks done of assigned, from its 2024 report
    assert "002_43868a5d5d1e1d36" not in html_text  # the report is cited, not our file name


def test_nghe_an_2022_shows_par_index_and_sipas_ranks(built):
    html_text, pdf_text, title = _pages(built, "Nghệ An", 2022, "vi")
    assert "2022" in title
    _in_both(re.compile(r"PAR Index\s+—\s+16/63"), html_text, pdf_text)
    _in_both(re.compile(r"SIPAS\s+—\s+14/63"), html_text, pdf_text)


def test_lao_cai_2024_shows_its_published_pci_rank(built):
    html_text, pdf_text, title = _pages(built, "Lào Cai", 2024, "en")
    assert "2024" in title
    _in_both(re.compile(r"PCI\s+68\.56\s+23/63"), html_text, pdf_text)
