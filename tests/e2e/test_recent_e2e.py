"""End to end, recent years (issue #10): real briefings from the shipped data, checked in the HTML
and in the PDF text — Nghệ An 2024 (vi, en) with PAPI 2024 and its quartile group, DTI 2024, the
PCI 2024 status and its 2024 report figures under a 2024 title; Nghệ An 2022 with its PAR Index and
SIPAS ranks; Lào Cai 2024 with its published PCI 2024 rank."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefing_pages import in_both, pages

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(shipped_briefings) -> Path:
    return shipped_briefings


_pages = pages
_in_both = in_both


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
