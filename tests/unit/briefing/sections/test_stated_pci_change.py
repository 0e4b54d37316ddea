"""Issue #16 review: Lào Cai's PCI 2024 read "giảm 7 bậc so với 2020" (its published 2020 and 2024
ranks, the 2023 one not held) while the article we cite for PCI 2024 states a rise of 3 places on
2023. Where a source states the change on the previous year, the briefing says that, marked as the
source's word, instead of a computed change across the gap."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import provinces
from analysis.briefing.context import make_context
from analysis.briefing.sections import headline, title
from briefing_fixtures import figure_row

LAO_CAI = provinces.resolve("Lào Cai", 2024).province
ARTICLE = "Báo tỉnh: kết quả PCI 2024 của tỉnh (bản tin)"


def _rows(stated: bool = True) -> list[dict]:
    rows = [
        figure_row(LAO_CAI, "pci", 2020, 65.25, 2, "VCCI, PCI 2020"),
        figure_row(LAO_CAI, "pci_rank", 2020, 16, 0, "VCCI, PCI 2020"),
        figure_row(LAO_CAI, "pci", 2023, 67.38, 2, ARTICLE),
        figure_row(LAO_CAI, "pci", 2024, 68.56, 2, ARTICLE),
        figure_row(LAO_CAI, "pci_rank", 2024, 23, 0, ARTICLE),
    ]
    return rows + ([figure_row(LAO_CAI, "pci_rank_change", 2024, 3, 0, ARTICLE)] if stated else [])


def _pci(rows: list[dict], lang: str, year: int = 2024) -> tuple[headline.IndexFigure, str, str]:
    df = pd.DataFrame(rows)
    ctx = make_context(df, LAO_CAI, year, lang)
    result = headline.compute(headline.rows(df, ctx), ctx)
    fig = next(f for f in result if f.key == "pci")
    row = next(r for r in headline.html(result, ctx).split("<tr>") if "PCI" in r)
    return fig, title.headline_sentence(fig, lang), row


@pytest.mark.parametrize(
    ("lang", "said", "cell"),
    [
        (
            "vi",
            "hạng 23/63, tăng 3 bậc so với 2023 (theo nguồn).",
            "+1,18, tăng 3 bậc theo nguồn (so với 2023)",
        ),
        (
            "en",
            "rank 23 of 63, up 3 places on 2023 (as the source states).",
            "+1.18, up 3 places per the source (since 2023)",
        ),
    ],
)
def test_the_sources_change_on_2023_is_said_not_a_fall_since_2020(lang: str, said: str, cell: str) -> None:
    fig, sentence, row = _pci(_rows(), lang)
    assert sentence.endswith(said), sentence
    assert cell in row, row
    assert "2020" not in sentence and "2020" not in row
    assert fig.stated == 3 and fig.rank_change is None  # never both: the computed change is not kept
    frame = headline.table(headline.Headline([fig]))
    assert frame["stated_rank_change"].iloc[0] == 3 and pd.isna(frame["rank_change"].iloc[0])


def test_without_a_stated_change_the_published_ranks_are_compared() -> None:
    fig, sentence, _ = _pci(_rows(stated=False), "vi")
    assert fig.stated is None and fig.rank_change == -7
    assert "giảm 7 bậc so với 2020" in sentence and "theo nguồn" not in sentence


def test_a_stated_change_is_not_set_beside_a_computed_rank() -> None:
    """Every province scored that year: the rank is ours (computed, *), the stated change is the
    publisher's rank's, so it is not said beside it."""
    others = [
        figure_row(p, "pci", 2024, 50.0 + i / 10, 2, "panel")
        for i, p in enumerate(provinces.all_provinces("63"))
        if p.code != LAO_CAI.code
    ]
    rows = [r for r in _rows() if r["indicator"] != "pci_rank" or r["year"] != 2024] + others
    fig, sentence, _ = _pci(rows, "vi")
    assert fig.rank.kind == "computed"
    assert fig.stated is None and "theo nguồn" not in sentence


def test_a_2025_briefing_says_the_former_provinces_stated_change_too() -> None:
    """Lào Cai 2025 (the new province) leads with its former provinces' latest figures: Lào Cai's
    PCI 2024 there read "down 7 places since 2020" as well."""
    new = provinces.resolve("Lào Cai", 2025).province
    df = pd.DataFrame(_rows())
    ctx = make_context(df, new, 2025, "vi")
    result = headline.compute(headline.rows(df, ctx), ctx)
    fig = next(f for f in result if f.key == "pci")
    assert fig.earlier and fig.year == 2024
    said = title.headline_sentence(fig, "vi")
    assert "tăng 3 bậc so với 2023 (theo nguồn)" in said and "2020" not in said
