"""DTI 2024 ranks read on a demo host's copy of an en.baodanang.vn article (issue #16 review): they are
the ministry's 63-province ranking (its release of 2025-10-21 also ranked the 34 new provinces, a
different series the sheet leaves out), so they stand as published ranks out of 63, cited as a copy."""

from __future__ import annotations

import pandas as pd

from analysis import config, rulebook
from analysis.citations import Citations

DEMO = "https://demo1022.hasontech.vn/?p=3843"


def test_the_copied_ranks_are_the_order_of_the_ministrys_63_scores() -> None:
    press = pd.read_csv(config.FIGURES_DIR / "research_press.csv", dtype=str, keep_default_na=False)
    ranks = press[(press["source"] == DEMO) & (press["indicator"] == "dti_rank")]
    assert len(ranks) == 3 and set(ranks["unit"]) == {"rank /63"}
    scores = pd.read_csv(config.FIGURES_DIR / "dti_2022_2024.csv", dtype=str, keep_default_na=False)
    y24 = scores[scores["year"] == "2024"].assign(v=lambda f: f["value"].astype(float))
    assert len(y24) == 63
    order = y24.sort_values("v", ascending=False)["province"].tolist()
    names = {"Ho Chi Minh City": "TP. Hồ Chí Minh", "Da Nang": "TP. Đà Nẵng", "Quang Nam": "Quảng Nam"}
    for r in ranks.itertuples(index=False):
        assert order.index(names[r.province]) + 1 == int(r.value), r.province
    assert rulebook.base("dti", 2024) in (None, 63)


def test_the_demo_hosts_page_is_cited_as_a_copy_not_as_a_publisher() -> None:
    cit = Citations.load(config.RAW_DIR).cite(DEMO, "research_press.csv:row 190")
    assert cit.publisher != "demo1022.hasontech.vn" and cit.copy_host == "demo1022.hasontech.vn"
    assert cit.text("vi") == "en.baodanang.vn, bản sao trên demo1022.hasontech.vn"
