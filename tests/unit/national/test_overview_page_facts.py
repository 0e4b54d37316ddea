"""Every overview cites its sources, says up to when they were read and carries its build date; the
2025 one, a year without index tables, names the sources of the 2025 figures held and says that DTI
2024 was published for the 34 new provinces, a series our data do not hold (issue #16 review: the
2025 overview listed no source and did not say it, while the 2025 briefings do)."""

from __future__ import annotations

import datetime

import pytest

from analysis.briefing.core import read_figures
from analysis.briefing.sections.notes import unheld_sentences
from analysis.national import overview, pagefacts

WORDS = {
    "vi": (
        "Nguồn số liệu",
        "Nguồn được đọc đến",
        "Cổng Thông tin điện tử tỉnh Nghệ An",
        "DTI 2024 cho 34 tỉnh",
    ),
    "en": (
        "Sources",
        "Sources read up to",
        "Nghe An provincial web portal",
        "DTI 2024 for the 34 new provinces",
    ),
}


@pytest.fixture(scope="module")
def figures(shipped_clean_dir):
    return read_figures(shipped_clean_dir)


def _page(figures, year: int, lang: str) -> str:
    tables = overview.overview_tables(figures, year)
    facts = pagefacts.facts(figures, tables, year, lang, overview.index_keys)
    return overview.render_overview(tables, year, lang, set(), facts=facts)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_2025_overview_cites_what_was_read_and_what_is_published_but_not_held(figures, lang) -> None:
    page = _page(figures, 2025, lang)
    for words in WORDS[lang]:
        assert words in page, words
    assert datetime.date.today().isoformat() in page  # the build date


def test_the_overview_says_the_unheld_series_as_the_briefings_do(figures) -> None:
    from analysis import provinces
    from analysis.briefing.context import make_context

    ctx = make_context(figures, provinces.resolve("Hà Nội", 2025).province, 2025, "vi")
    (said,) = unheld_sentences(ctx)
    assert said in _page(figures, 2025, "vi")  # one sentence, one rule (rulebook.unheld_series)
    # 63 provinces: no such sentence (the page's sources may cite DTI 2024 of the 63, a line of its own
    # since each edition names its own publisher)
    assert "chưa có trong dữ liệu" not in _page(figures, 2024, "vi").split("Nguồn số liệu")[-1]
    assert "34 tỉnh, thành phố mới" not in _page(figures, 2024, "vi")  # 2024, 63 provinces: none


def test_an_overview_with_tables_says_up_to_when_its_sources_were_read(figures) -> None:
    page = _page(figures, 2023, "vi")
    assert "Nguồn được đọc đến hết năm 2024." in page  # the 2023 briefings' horizon


def test_the_audit_flags_an_overview_without_its_sources_or_the_unheld_series(figures, monkeypatch) -> None:
    assert pagefacts.check_facts(figures, [], 2025, ("vi", "en"), overview.index_keys) == []
    before = {"built": "2026-12-05", "sources": [], "latest": 2024}  # what the page stated before
    monkeypatch.setattr(pagefacts, "facts", lambda *a, **k: before)
    found = pagefacts.check_facts(figures, [], 2025, ("vi",), overview.index_keys)
    assert any("no sources" in f for f in found), found
    assert any("no sources_read" in f for f in found), found
    assert any("published but not held" in f for f in found), found


@pytest.mark.parametrize("year", [2024, 2025])
def test_a_printed_overview_shows_each_sources_address(figures, year: int) -> None:
    """A printed page has no links to follow: each source's address is printed as text beside it, as
    the briefings print theirs (the overview's list gave addresses only as links)."""
    import re

    page = _page(figures, year, "vi")
    listed = page.split('<ul class="cchc-sources">', 1)[1].split("</ul>", 1)[0]
    items = re.findall(r"<li>(.*?)</li>", listed, flags=re.S)
    linked = [i for i in items if 'href="http' in i]
    assert linked
    for item in linked:
        for url in re.findall(r'href="(https?://[^"]+)"', item):
            assert f">{url}</a>" in item, item  # the address is the link's printed text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_equal_rounded_values_in_two_groups_are_explained(figures, lang: str) -> None:
    """Review: the 2024 PAPI table printed 43,48 for Lai Châu (group 2) and Hòa Bình (group 3) with no
    word why; the groups are cut on unrounded scores (Hòa Bình 43.4778, below the median 43.4796)."""
    said = {"vi": "(43,48: Lai Châu, Hòa Bình)", "en": "(43.48: Lai Chau, Hoa Binh)"}[lang]
    assert said in _page(figures, 2024, lang)
    assert "43,48: " not in _page(figures, 2023, "vi")  # no tie across groups there: nothing said
