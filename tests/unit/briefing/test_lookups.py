"""The per-frame lookups built without row loops (`lookups`: `metrics._table` with its digits,
`metrics._positions`, the year cut's; `rowrules.snapshots`, `source_dates`, `first_years`) against
plain row-by-row readings of their rules, on a small frame with conflicts, snapshots, missing
values and both regimes, and both ways on the shipped table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import rulebook
from analysis.briefing import lookups, metrics, rowrules

PRESS = "https://press.example/par-2024"


def _frame() -> pd.DataFrame:
    """Rows in a shuffled source order: a conflict whose later row has the earlier source, a tie of
    sources (the frame's order decides), an as-of snapshot of a headline index and of a count, a
    legacy snapshot told only by its note, missing values and sources, both regimes."""
    rows = [  # code, regime, year, indicator, value, source, note, period, period_kind
        ("40", "63", 2023, "pci", 65.1, "z-vcci.csv", "", "2023", "year"),
        ("40", "63", 2023, "pci", 64.0, "a-press.csv", "", "2023", "year"),  # earlier source: wins
        ("08", "63", 2023, "pci", 61.2, "vcci.csv", "", "2023", "year"),
        ("08", "63", 2023, "pci", 60.0, "vcci.csv", "", "2023", "year"),  # same source: first row wins
        ("08", "63", 2023, "pci_rank", np.nan, "vcci.csv", "", "2023", "year"),  # no value
        ("40", "63", 2024, "par_index", 88.8, PRESS, "Báo Y: PAR 2024 (2025-03); inferred", "", ""),
        ("40", "63", 2024, "par_index", 90.1, PRESS, "snapshot of the running index", "", ""),  # legacy
        ("40", "63", 2024, "population", 3_400_000.0, "gso.csv", "", "2024-06", "as_of"),  # kept: no index
        ("08", "63", 2024, "pci", 62.0, "web.html", "", "2024-09", "as_of"),  # snapshot of an index: out
        ("40", "63", 2022, "papi", 42.5, np.nan, "", "2022", "year"),  # no source: sorted last
        ("40", "63", 2022, "papi", 41.0, "undp.csv", "", "2022", "year"),
        ("15", "34", 2025, "sipas", 80.5, "bnv.csv", "", "2025", "year"),
        ("15", "34", 2025, "sipas", 81.0, "bnv-2.csv", "", "2025", "year"),
        ("08", "34", 2025, "sipas", np.nan, "bnv.csv", "", "2025", "year"),
        ("15", "34", 2024, "dti", 0.61, "mic.csv", "", "2023-2024", "year"),  # period ends 2024
        ("08", "63", 2021, "pci", 59.0, PRESS, "", "2021", "year"),  # dated by another row's note
    ]
    cols = [
        "province_code",
        "regime",
        "year",
        "indicator",
        "value",
        "source",
        "note",
        "period",
        "period_kind",
    ]
    df = pd.DataFrame(rows, columns=cols)
    df["year"] = df["year"].astype(int)
    # the digits each source wrote; Đà Nẵng's (08) PCI 2023 does not say: that cell's digits come
    # after those of the cells the table lists after it
    df["precision"] = [1, 1, np.nan, 1, np.nan, 1, 1, 0, 1, 1, 1, 1, 1, np.nan, 2, 0]
    return df


def _snapshot(note, kind) -> bool:
    kind = "" if pd.isna(kind) else str(kind)
    return kind == "as_of" or (kind == "" and "snapshot" in ("" if pd.isna(note) else str(note)).lower())


def _table_by_rows(df: pd.DataFrame) -> tuple[dict, dict]:
    """Every row with a value that is no snapshot of an index, by province then source (a missing
    source last), in frame order between equals; the first of a cell and province is its value,
    and its digits when it says."""
    heads = metrics.with_ranks(metrics.headline_keys())
    rows = [
        (r.province_code, (1, "") if pd.isna(r.source) else (0, r.source), i, r)
        for i, r in enumerate(df.itertuples(index=False))
        if not pd.isna(r.value) and not (_snapshot(r.note, r.period_kind) and r.indicator in heads)
    ]
    table: dict = {}
    digits: dict = {}
    for *_, r in sorted(rows, key=lambda t: t[:3]):
        cell = (r.regime, int(r.year), r.indicator)
        if r.province_code not in table.setdefault(cell, {}):
            table[cell][r.province_code] = float(r.value)
            if not pd.isna(r.precision):
                digits.setdefault(cell, {})[r.province_code] = int(r.precision)
    return table, digits


def _positions_by_rows(df: pd.DataFrame) -> tuple[dict, dict]:
    by_cell: dict = {}
    by_province: dict = {}
    for i, r in enumerate(df.itertuples(index=False)):
        by_cell.setdefault((r.regime, int(r.year), r.indicator), []).append(i)
        by_province.setdefault((r.province_code, r.regime), []).append(i)
    return by_cell, by_province


def _dates_by_rows(df: pd.DataFrame, register: dict) -> list[str]:
    own = [rulebook.note_date(n) for n in df["note"]]
    latest: dict = {}
    for s, d in zip(df["source"], own, strict=True):
        if d and not pd.isna(s):
            latest[s] = max(latest.get(s, ""), d)
    out = []
    for s, d in zip(df["source"], own, strict=True):
        s = "" if pd.isna(s) else s
        out.append(register.get(s, "") or d or register.get(s) or latest.get(s, "") if s else d)
    return out


def _fresh(df: pd.DataFrame) -> pd.DataFrame:
    metrics._MEMO.pop(id(df), None)
    return df


@pytest.fixture(params=[True, False], ids=["fast", "loops"])
def both_ways(request, monkeypatch):
    """Both ways of building the lookups: each must give the rows' own readings."""
    monkeypatch.setattr(lookups, "FAST", request.param)
    monkeypatch.setattr(rowrules, "DISTINCT_ONCE", request.param)
    return request.param


def _same_table(df: pd.DataFrame, want: tuple[dict, dict]) -> None:
    """The frame's table and digits are `want`'s, in its orders (ranks keep ties in that order)."""
    got = (metrics._table(df), metrics._frame(df).digits)
    for mine, theirs in zip(got, want, strict=True):
        assert list(mine) == list(theirs)
        for cell, values in theirs.items():
            assert list(mine[cell].items()) == list(values.items()), cell


def test_table_keeps_the_first_row_in_source_order_and_leaves_index_snapshots_out(both_ways):
    df = _fresh(_frame())
    _same_table(df, _table_by_rows(df))
    table = metrics._table(df)
    assert list(metrics._frame(df).digits)[:2] == [("63", 2021, "pci"), ("34", 2025, "sipas")]
    assert metrics.cell_precisions(df, "63", 2023, "pci") == {"40": 1}  # 08's row did not say
    assert table[("63", 2023, "pci")] == {"08": 61.2, "40": 64.0}
    assert table[("63", 2024, "par_index")] == {"40": 88.8}  # the legacy snapshot left out
    assert ("63", 2024, "pci") not in table and table[("63", 2024, "population")]
    assert table[("63", 2022, "papi")] == {"40": 41.0}  # a row without a source comes last


def test_positions_by_cell_and_province_are_the_rows_in_frame_order(both_ways):
    df = _fresh(_frame())
    memo = metrics._positions(df)
    by_cell, by_province = _positions_by_rows(df)
    assert list(memo.by_cell) == list(by_cell) and list(memo.by_province) == list(by_province)
    for got, want in ((memo.by_cell, by_cell), (memo.by_province, by_province)):
        for key, rows in want.items():
            assert got[key].tolist() == rows and got[key].dtype == np.int64, key
    assert metrics.province_rows(df, "15", "34").equals(df.iloc[[11, 12, 14]])


def test_source_dates_first_years_and_snapshots_read_row_by_row(both_ways):
    df = _frame()
    register = {"gso.csv": "2024-07-01"}
    dates = metrics.source_dates(df, register)
    assert dates.tolist() == _dates_by_rows(df, register)
    assert dates.iloc[15] == "2025-03"  # the press row's date reaches its other row
    want = [
        rulebook.first_year(int(y), str(p), d)
        for y, p, d in zip(df["year"], df["period"], dates, strict=True)
    ]
    got = metrics.first_years(df, register)
    assert got.tolist() == want and got.dtype == np.int64 and got.index.equals(df.index)
    assert got.iloc[15] == rulebook.first_year(2021, "2021", "2025-03") and got.iloc[14] == 2024
    snaps = metrics.snapshots(df)
    assert snaps.tolist() == [_snapshot(n, k) for n, k in zip(df["note"], df["period_kind"], strict=True)]
    assert snaps.index.equals(df.index) and snaps.dtype == bool
    shuffled = df.set_index(pd.Index([5, 5, 1, 0, 9, 9, 2, 3, 4, 7, 8, 6, 10, 11, 12, 13]))
    assert metrics.snapshots(shuffled).tolist() == snaps.tolist()  # repeated labels: by position


def test_a_year_cut_has_the_lookups_of_its_own_rows(both_ways):
    df = _fresh(_frame())
    metrics._table(df), metrics._positions(df)  # the frame's lookups first, as the warm-up builds them
    cut = metrics.year_true(df, 2023)
    shown = metrics.first_years(df).to_numpy() <= 2023
    assert cut.equals(df[shown]) and len(cut) < len(df)
    _same_table(cut, _table_by_rows(df[shown]))
    by_cell, by_province = _positions_by_rows(df[shown])
    memo = metrics._positions(cut)
    assert {k: v.tolist() for k, v in memo.by_cell.items()} == by_cell
    assert {k: v.tolist() for k, v in memo.by_province.items()} == by_province


def test_an_empty_frame_has_empty_lookups(both_ways):
    df = _fresh(_frame().iloc[0:0])
    assert metrics._table(df) == {} and metrics._positions(df).by_cell == {}
    assert metrics.first_years(df).tolist() == [] and metrics.source_dates(df).tolist() == []


def test_the_shipped_table_gives_the_same_lookups_both_ways(shipped_clean_dir, monkeypatch):
    """The real table's 14k notes, 105 sources and conflicts: the fast lookups equal the row loops,
    for the table and for a year cut."""
    from analysis.briefing.core import read_figures

    df = read_figures(shipped_clean_dir)
    built = {}
    for fast in (False, True):
        monkeypatch.setattr(lookups, "FAST", fast)
        monkeypatch.setattr(rowrules, "DISTINCT_ONCE", fast)
        frame = _fresh(df.copy())
        found = []
        for f in (frame, metrics.year_true(frame, 2020)):  # the cut after its frame's lookups
            found.append(
                (
                    list(metrics._table(f).items()),
                    list(metrics._frame(f).digits.items()),
                    [(k, v.tolist()) for k, v in metrics._positions(f).by_cell.items()],
                )
            )
        cut = metrics.year_true(frame, 2020)
        built[fast] = [
            *found,
            metrics.source_dates(frame),
            metrics.first_years(frame),
            metrics.snapshots(frame),
            cut.index,
        ]
    assert built[True][:2] == built[False][:2] and built[True][0][1]  # digits there to compare
    for got, want in zip(built[True][2:], built[False][2:], strict=True):
        assert got.equals(want) and got.dtype == want.dtype
    assert (built[True][2] != "").sum() > 10  # dated rows were there to find
