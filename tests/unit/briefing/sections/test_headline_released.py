"""Nghệ An's PCI 2023 rank, 44/63, is the province's own release (VCCI published only a top 30): the
summary's sentence and the headline table say so where they state it, in the 2023 briefing and in
the 2024 one that shows it as the latest earlier figure (issue #16 review). Lào Cai's 23/63 of 2024,
from VCCI's list, carries no such note."""

from __future__ import annotations

import pytest

from analysis import provinces
from analysis.briefing.core import compute, read_figures
from analysis.briefing.sections import headline

NOTE = {"vi": "theo công bố của tỉnh", "en": "as released by the province"}
REMARK = {"vi": "hạng do tỉnh công bố", "en": "rank released by the province"}  # the table's last column


@pytest.fixture(scope="module")
def figures(shipped_clean_dir):
    return read_figures(shipped_clean_dir)


@pytest.mark.parametrize("year", [2023, 2024])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_nghe_an_pci_2023_rank_says_the_province_released_it(figures, year, lang) -> None:
    b = compute(figures, provinces.resolve("Nghệ An", year).province, year, lang)
    (sentence,) = [s for s in b.results["title"] if s.startswith("PCI 2023")]
    assert "44/63" in sentence or "44 of 63" in sentence
    assert NOTE[lang] in sentence, sentence
    table = headline.html(b.results["headline"], b.ctx)
    row = table[table.index(">PCI") :].split("</tr>")[0]
    assert "44/63" in row and REMARK[lang] in row, row


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_rank_from_the_publishers_list_has_no_such_note(figures, lang) -> None:
    b = compute(figures, provinces.resolve("Lào Cai", 2024).province, 2024, lang)
    (sentence,) = [s for s in b.results["title"] if s.startswith("PCI 2024")]
    assert "23" in sentence and NOTE[lang] not in sentence
    assert REMARK[lang] not in headline.html(b.results["headline"], b.ctx)
