"""A published rank the index's publisher did not release (issue #16 review): VCCI published only its
top 30 of PCI 2023; Nghệ An's 44/63 is the province's own release. The rule book marks such a rank
(`released`), and only such a rank."""

from __future__ import annotations

from analysis import provinces, rulebook
from analysis.briefing import metrics
from analysis.briefing.core import read_figures


def test_a_rank_beyond_the_published_top_n_is_the_provinces_release() -> None:
    ranks = rulebook.ranks("pci", 2023, {}, {"40": 44, "01": 5})
    assert ranks["40"] == rulebook.Rank(44, 63, rulebook.PUBLISHED, released=rulebook.BY_PROVINCE)
    assert ranks["01"].released == ""  # inside the top 30: VCCI's own
    assert rulebook.ranks("pci", 2022, {}, {"40": 44})["40"].released == ""  # 2022: the full table
    assert not rulebook.released_by_province("pci", 2023, 30)
    assert rulebook.released_by_province("pci", 2024, 31)


def test_the_shipped_data_mark_nghe_an_2023_and_not_lao_cai_2024(shipped_clean_dir) -> None:
    df = read_figures(shipped_clean_dir)
    nghe_an = provinces.resolve("Nghệ An", 2023).province
    lao_cai = provinces.resolve("Lào Cai", 2024).province
    rank = metrics.rank_of(df, nghe_an.code, "63", 2023, "pci")
    assert (rank.rank, rank.of, rank.given, rank.released) == (44, 63, True, rulebook.BY_PROVINCE)
    assert metrics.rank_of(df, lao_cai.code, "63", 2024, "pci").released == ""  # 23rd: VCCI's list
