"""The rule book's choice between a change of rank a source states and one we compute (issue #16:
Lào Cai's PCI 2024, "up 3 places on 2023" in its source, "down 7 places since 2020" computed)."""

from __future__ import annotations

from analysis import rulebook

PUBLISHED_23 = rulebook.Rank(23, 63, rulebook.PUBLISHED)


def test_the_stated_change_wins_across_a_gap_or_where_nothing_is_computed() -> None:
    assert rulebook.prefer_stated(2024, PUBLISHED_23, 2020, 3)
    assert rulebook.prefer_stated(2024, PUBLISHED_23, None, 3)
    assert rulebook.prefer_stated(2024, rulebook.NO_RANK, None, -2)  # a score without a rank


def test_published_ranks_a_year_apart_stand_and_a_computed_rank_never_takes_it() -> None:
    assert not rulebook.prefer_stated(2024, PUBLISHED_23, 2023, 3)
    assert not rulebook.prefer_stated(2024, rulebook.Rank(23, 63, rulebook.COMPUTED), None, 3)
    assert not rulebook.prefer_stated(2024, PUBLISHED_23, 2020, None)


def test_a_stated_change_compares_with_the_year_before_and_pci_has_its_key() -> None:
    assert rulebook.stated_change_year(2024) == 2023
    assert rulebook.stated_change_key("pci") == "pci_rank_change"
    assert rulebook.stated_change_key("pci_entry_costs") is None  # a sub-index: not the PCI's rank
    assert rulebook.stated_change_key("idx766_total") == "idx766_rank_change"
