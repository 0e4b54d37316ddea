"""The audit's same-rank check reads the take-away CSV's rank back as the page says it (issue #16):
a rank bounded by score ("33–62") must reach the CSV as its bounds and kind, not as an empty rank
beside rank_of, and a CSV whose rank kind differs from the page's is flagged."""

from __future__ import annotations

import pandas as pd

from analysis import rulebook
from analysis.briefing.sections.headline import Headline, IndexFigure
from analysis.national import audit, csvtext

BOUNDED = rulebook.Rank(None, 63, "", 33, 62)
PUBLISHED = rulebook.Rank(15, 63, rulebook.PUBLISHED)


def _res(rank: rulebook.Rank, key: str = "par_index", value: float | None = 86.8) -> dict:
    figure = IndexFigure(key, 2023, value, rank, None, 0, regime="63")
    return {"headline": Headline([figure]), "_code": "17"}


def _csv(rank: rulebook.Rank, lang: str = "vi", indicator: str = "par_index") -> pd.DataFrame:
    row = {"province_code": "17", "regime": "63", "year": 2023, "indicator": indicator}
    return pd.DataFrame([row | csvtext.rank_columns(rank, lang)])


def _same_rank(res: dict, csv_rows: pd.DataFrame) -> list[str]:
    return [what for rule, what in audit.check_same_rank(res, csv_rows, {}) if rule == "same_rank"]


def test_a_csv_giving_the_pages_bounds_passes() -> None:
    assert _same_rank(_res(BOUNDED), _csv(BOUNDED)) == []
    assert _same_rank(_res(PUBLISHED), _csv(PUBLISHED)) == []


def test_a_bounded_rank_written_as_an_empty_rank_is_flagged() -> None:
    # what the CSV wrote before: no rank, rank_of 63, no kind, no bounds
    blank = pd.DataFrame(
        [
            {"province_code": "17", "regime": "63", "year": 2023, "indicator": "par_index"}
            | {"rank": None, "rank_of": 63, "rank_kind": ""}
        ]
    )
    assert _same_rank(_res(BOUNDED), blank)


def test_a_csv_whose_rank_kind_differs_from_the_pages_is_flagged() -> None:
    computed = rulebook.Rank(15, 63, rulebook.COMPUTED)
    assert _same_rank(_res(PUBLISHED), _csv(computed))  # same number, computed against published
    assert _same_rank(_res(computed), _csv(PUBLISHED))
    assert _same_rank(_res(BOUNDED), _csv(rulebook.Rank(None, 63, "", 33, 61)))  # other bounds


def test_the_kind_is_read_in_the_csvs_language() -> None:
    class Ctx:
        lang = "en"

    res = _res(PUBLISHED) | {"_ctx": Ctx()}
    assert _same_rank(res, _csv(PUBLISHED, "en")) == []
    assert _same_rank(res, _csv(PUBLISHED, "vi"))  # a Vietnamese word is no English kind


def test_a_rank_alone_is_checked_on_its_own_row() -> None:
    res = _res(PUBLISHED, value=None)  # PAR Index: the publisher's rank, no score
    assert _same_rank(res, _csv(PUBLISHED, indicator="par_index_rank")) == []
    assert _same_rank(res, _csv(rulebook.Rank(16, 63, rulebook.PUBLISHED), indicator="par_index_rank"))
