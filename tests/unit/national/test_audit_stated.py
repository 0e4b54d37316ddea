"""The audit's invariant for a change of rank a source states (issue #16, Lào Cai's PCI 2024): where
the data holds it, the headline says it instead of a change computed across a gap, and never beside
a computed rank or change."""

from __future__ import annotations

import dataclasses

import pandas as pd

from analysis import provinces
from analysis.briefing.context import make_context
from analysis.briefing.sections import headline
from analysis.national import audit_truth
from briefing_fixtures import figure_row

LAO_CAI = provinces.resolve("Lào Cai", 2024).province
ARTICLE = "Báo tỉnh: kết quả PCI 2024 của tỉnh (bản tin)"
ROWS = [
    figure_row(LAO_CAI, "pci", 2020, 65.25, 2, "VCCI, PCI 2020"),
    figure_row(LAO_CAI, "pci_rank", 2020, 16, 0, "VCCI, PCI 2020"),
    figure_row(LAO_CAI, "pci", 2024, 68.56, 2, ARTICLE),
    figure_row(LAO_CAI, "pci_rank", 2024, 23, 0, ARTICLE),
    figure_row(LAO_CAI, "pci_rank_change", 2024, 3, 0, ARTICLE),
]


def _found(change) -> list[tuple[str, str]]:
    df = pd.DataFrame(ROWS)
    ctx = make_context(df, LAO_CAI, 2024, "vi")
    pci = next(f for f in headline.compute(headline.rows(df, ctx), ctx) if f.key == "pci")
    return list(audit_truth.check_previous({"_ctx": ctx, "headline": [change(pci)]}, df))


def test_the_headline_as_computed_passes() -> None:
    assert _found(lambda f: f) == []


def test_a_computed_fall_since_2020_past_the_stated_rise_is_a_violation() -> None:
    found = _found(lambda f: dataclasses.replace(f, own_moved=None))  # the section ignoring the source's word
    assert [rule for rule, _ in found] == ["change_like"]
    assert "computed from 2020 past the stated change" in found[0][1]


def test_a_stated_change_other_than_the_datas_is_a_violation() -> None:
    found = _found(lambda f: dataclasses.replace(f, own_moved=5))
    assert any("stated change 5, the data states [3]" in what for _, what in found)
