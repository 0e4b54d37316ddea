"""Issue #16 review: every briefing's summary said "PCI 2022: 68,20 điểm, hạng 11/63 tỉnh có số liệu"
while its headline table printed "11/63*". A computed rank carries the table's "*" in the summary
too, explained by the same "(*)" line of the data notes; a published rank carries none."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import provinces
from analysis.briefing.core import compute
from briefing_fixtures import figure_row

YEAR = 2022
NGHE_AN = provinces.resolve("Nghệ An", YEAR).province


def _scores() -> list[dict]:
    """PCI 2022 scores of all 63 provinces, no published rank: Nghệ An's rank is computed (11th)."""
    others = [p for p in provinces.all_provinces("63") if p.code != NGHE_AN.code]
    src = "VCCI, PCI 2022"
    rows = [figure_row(p, "pci", YEAR, 75.0 - i / 10, 2, src) for i, p in enumerate(others[:10])]
    rows += [figure_row(p, "pci", YEAR, 60.0 - i / 10, 2, src) for i, p in enumerate(others[10:])]
    return [*rows, figure_row(NGHE_AN, "pci", YEAR, 68.2, 2, "VCCI, PCI 2022")]


@pytest.mark.parametrize(("lang", "said"), [("vi", "hạng 11/63* tỉnh có số liệu"), ("en", "rank 11/63* of")])
def test_a_computed_rank_is_marked_in_the_summary_as_in_the_table(lang: str, said: str) -> None:
    built = compute(pd.DataFrame(_scores()), NGHE_AN, YEAR, lang)
    summary = built.html("title")
    assert said in summary
    assert "11/63*" in built.html("headline")  # the table's mark, the same
    assert "(*)" in built.html("notes")  # and the footnote both rely on


def test_a_published_rank_has_no_mark_in_the_summary() -> None:
    rows = [*_scores(), figure_row(NGHE_AN, "pci_rank", YEAR, 11, 0, "VCCI, PCI 2022")]
    summary = compute(pd.DataFrame(rows), NGHE_AN, YEAR, "vi").html("title")
    assert "hạng 11/63" in summary and "11/63*" not in summary
