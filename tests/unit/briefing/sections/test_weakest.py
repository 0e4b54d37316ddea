"""Strongest and weakest: one criterion (the rule book's gap to the national median) for the summary,
the sub-index table and the PAPI list "where to act" (review of issue #16's briefings).

Lào Cai 2024 marked control of corruption weakest (−0,41 from the median, 53rd of 61) in its summary
and sub-index table, while its PAPI list led with public administrative procedures (−0,38, 57th);
Phú Thọ 2025 listed vertical accountability (4,33, above the median 4,31) "to improve"."""

from __future__ import annotations

import pandas as pd

from analysis import provinces, rulebook
from analysis.briefing.context import make_context
from analysis.briefing.sections import papi, subindices

P63 = provinces.all_provinces("63")
LAO_CAI = provinces.resolve("Lào Cai", 2024).province
CORRUPTION, PROCEDURES, ACCOUNTABILITY = (
    "papi_control_of_corruption",
    "papi_public_admin_procedures",
    "papi_vertical_accountability",
)


def _row(code: str, key: str, value: float) -> dict:
    return {
        "province_code": code,
        "province_name": "",
        "regime": "63",
        "year": 2024,
        "indicator": key,
        "value": value,
        "unit": "score",
        "qualifier": "exact",
        "source": "a sheet",
    }


def _frame(corruption: float = 6.60) -> pd.DataFrame:
    """61 provinces. Lào Cai: corruption control 0,41 under its median but ranked above the bottom
    few (wide spread), procedures 0,38 under a tight median and near the bottom, accountability a
    little above the median though many provinces sit just above it."""
    rows = []
    codes = [p.code for p in P63 if p.code != LAO_CAI.code][:60]
    for i, code in enumerate(codes):
        rows.append(_row(code, "papi", 40 + i * 0.1))
        rows.append(_row(code, CORRUPTION, 5.0 + i * 0.07))  # median 7.03: wide
        rows.append(_row(code, PROCEDURES, 7.0 + i * 0.008))  # median 7.236: tight
        rows.append(_row(code, ACCOUNTABILITY, 4.001 + i * 0.011))  # median 4.331
    rows += [
        _row(LAO_CAI.code, "papi", 41.0),
        _row(LAO_CAI.code, CORRUPTION, corruption),
        _row(LAO_CAI.code, PROCEDURES, 6.85),
        _row(LAO_CAI.code, ACCOUNTABILITY, 4.335),
    ]
    return pd.DataFrame(rows)


def test_the_papi_list_and_the_sub_index_table_name_the_same_weakest_dimension():
    df = _frame()
    ctx = make_context(df, LAO_CAI, 2024, "vi")
    (detail,) = papi.compute(papi.rows(df, ctx), ctx)
    (sub,) = subindices.compute(subindices.rows(df, ctx), ctx)
    listed = [w.dimension.key for w in detail.weakest]
    ranks = {w.dimension.key: w.dimension.rank for w in detail.weakest}
    assert ranks[PROCEDURES] > ranks[CORRUPTION]  # procedures ranks lower, yet its gap is smaller
    assert sub.weakest == CORRUPTION == listed[0]
    assert listed == [CORRUPTION, PROCEDURES]


def test_a_dimension_above_the_median_is_never_listed_to_improve():
    # only procedures is below its median; accountability, a little above it, ranks next-worst
    df = _frame(corruption=7.9)
    ctx = make_context(df, LAO_CAI, 2024, "en")
    (detail,) = papi.compute(papi.rows(df, ctx), ctx)
    acc = next(
        r
        for r in subindices.compute(subindices.rows(df, ctx), ctx)[0].table.itertuples()
        if r.indicator == ACCOUNTABILITY
    )
    assert acc.value > acc.national_median
    assert ACCOUNTABILITY not in [w.dimension.key for w in detail.weakest]
    assert all(w.dimension.value < w.dimension.median for w in detail.weakest)


def test_the_criterion_is_the_gap_unrounded():
    assert rulebook.weakest_first({"a": -0.41, "b": -0.38, "c": 0.02}) == ["a", "b"]
    assert rulebook.strongest_first({"a": -0.41, "b": 0.0004, "c": 0.02}) == ["c", "b"]
    assert rulebook.gap(3.0, 4.0, higher_is_better=False) == 1.0
