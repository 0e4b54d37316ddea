"""How the lookups `metrics` keeps per frame are built: each cell's values (the first row in source
order wins) with the digits their sources wrote, and the row positions of each cell and province.

Pure functions of a frame. `metrics` memoises what they return per frame and hands them each
column as numbers (`factorize`, once per frame; a year cut takes its frame's at the rows kept).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import pairwise

import numpy as np
import pandas as pd

from analysis.briefing.rowrules import snapshots

# Speed switch: the lookups are built by grouping the frame's columns, factorized once per frame,
# with numpy instead of a Python loop over every row. On the 40k-row clean table (CPU, after
# imports): the table with its digits 0.06 s -> 0.021 s, the positions 0.025 s -> 0.003 s; for the
# 2018 cut 0.033 -> 0.012 s and 0.014 -> 0.002 s. False: the row loops (the tests' reference).
FAST = True

Cell = tuple[str, int, str]  # (regime, year, indicator)
Codes = Callable[[str], tuple[np.ndarray, list]]  # a column of the frame as `factorize` gives it
Table = dict[Cell, dict[str, float]]
Digits = dict[Cell, dict[str, int]]


def table(df: pd.DataFrame, indices: set[str], codes: Codes) -> tuple[Table, Digits]:
    """(regime, year, indicator) → {province code: value}, and → {province code: the digits its
    source wrote} where it says. Rows are read by province, then source (a missing one last), in the
    frame's order between equals; the first of a cell and province is its value. A row without a
    value, or a snapshot of one of `indices` (the headline indices and their ranks), is skipped."""
    return _table_fast(df, indices, codes) if FAST else _table_loop(df, indices)


def _table_loop(df: pd.DataFrame, indices: set[str]) -> tuple[Table, Digits]:
    rows = df.dropna(subset=["value"])
    snap = snapshots(rows)
    if snap.any():  # a snapshot (as of a date) is never the year's index (issue #16)
        rows = rows[~(snap & rows["indicator"].isin(indices))]
    rows = rows.sort_values(["province_code", "source"], kind="stable")
    out: Table = {}
    digits: Digits = {}
    written = rows["precision"].tolist() if "precision" in rows else [None] * len(rows)
    for code, regime, year, key, value, places in zip(
        rows["province_code"].tolist(),
        rows["regime"].tolist(),
        rows["year"].tolist(),
        rows["indicator"].tolist(),
        rows["value"].tolist(),
        written,
        strict=True,
    ):
        cell, code = (str(regime), int(year), str(key)), str(code)
        if code in out.setdefault(cell, {}):
            continue  # the first row in source order is the value shown, and its precision
        out[cell][code] = float(value)
        if places is not None and not pd.isna(places):
            digits.setdefault(cell, {})[code] = int(places)
    return out, digits


def _table_fast(df: pd.DataFrame, indices: set[str], codes: Codes) -> tuple[Table, Digits]:
    keep = df["value"].notna().to_numpy().copy()
    snap = snapshots(df).to_numpy()
    if snap.any():
        keep &= ~(snap & df["indicator"].isin(indices).to_numpy())
    pos = np.flatnonzero(keep)
    if not len(pos):
        return {}, {}
    code_ids, code_names = codes("province_code")
    pos = pos[np.lexsort((codes("source")[0][pos], code_ids[pos]))]  # the loop's row order
    cell_keys, cell = group_ids([codes(c) for c in ("regime", "year", "indicator")], pos)
    keys = [(str(r), int(y), str(k)) for r, y, k in cell_keys]
    pair = cell * max(len(code_names), 1) + code_ids[pos]
    first = np.sort(np.unique(pair, return_index=True)[1])  # each (cell, province)'s first row
    grouped = first[np.argsort(cell[first], kind="stable")]  # by cell, each in the loop's order
    names = np.asarray([str(c) for c in code_names], dtype=object)[code_ids[pos[grouped]]]
    vals = df["value"].to_numpy(dtype=float)[pos[grouped]].tolist()
    out = {
        keys[g]: dict(zip(names[a:b].tolist(), vals[a:b], strict=True)) for g, a, b in _runs(cell[grouped])
    }
    if "precision" not in df:
        return out, {}
    places = df["precision"].to_numpy(dtype=float, na_value=np.nan)[pos[grouped]]
    said = np.flatnonzero(~np.isnan(places))  # the loop meets a cell's first written digits first
    runs = sorted(_runs(cell[grouped][said]), key=lambda run: grouped[said[run[1]]])
    found = places[said].astype(int).tolist()
    digits = {keys[g]: dict(zip(names[said[a:b]].tolist(), found[a:b], strict=True)) for g, a, b in runs}
    return out, digits


def _runs(ids: np.ndarray) -> list[tuple[int, int, int]]:
    """(id, start, end) of each run of equal ids."""
    bounds = [0, *(np.flatnonzero(np.diff(ids)) + 1).tolist(), len(ids)]
    return [(int(ids[a]), a, b) for a, b in pairwise(bounds) if b > a]


def positions(
    df: pd.DataFrame, codes: Codes
) -> tuple[dict[Cell, np.ndarray], dict[tuple[str, str], np.ndarray]]:
    """The ascending row positions of each (regime, year, indicator) and each (province, regime)."""
    if FAST:
        cell_keys, cell = group_ids([codes(c) for c in ("regime", "year", "indicator")])
        who_keys, who = group_ids([codes("province_code"), codes("regime")])
        return (
            _split(((str(r), int(y), str(k)) for r, y, k in cell_keys), cell),
            _split(((str(c), str(r)) for c, r in who_keys), who),
        )
    keys = [df["regime"].astype(str).tolist(), df["year"].astype(int).tolist(), df["indicator"].tolist()]
    by_cell: dict[Cell, list[int]] = {}
    by_province: dict[tuple[str, str], list[int]] = {}
    for pos, (regime, year, key, code) in enumerate(zip(*keys, df["province_code"].tolist(), strict=True)):
        by_cell.setdefault((regime, year, str(key)), []).append(pos)
        by_province.setdefault((str(code), regime), []).append(pos)
    return {k: np.asarray(v) for k, v in by_cell.items()}, {k: np.asarray(v) for k, v in by_province.items()}


def factorize(col: pd.Series) -> tuple[np.ndarray, list]:
    """A column as numbers into its sorted distinct values (a missing value last)."""
    ids, uniq = pd.factorize(col, sort=True)
    uniq = uniq.tolist()
    if len(ids) and ids.min() < 0:
        uniq.append(col.iloc[int(np.argmin(ids))])
        ids = np.where(ids < 0, len(uniq) - 1, ids)
    return ids, uniq


def group_ids(cols: list[tuple[np.ndarray, list]], pos: np.ndarray | None = None) -> tuple[list, np.ndarray]:
    """The distinct keys of the columns (`factorize`) taken together at rows `pos` (default: all), in
    order of first appearance, and each row's key number (an index into them)."""
    combined = np.zeros(len(cols[0][0]) if pos is None else len(pos), dtype=np.int64)
    for ids, uniq in cols:
        combined = combined * max(len(uniq), 1) + (ids if pos is None else ids[pos])
    ids, seen = pd.factorize(combined)
    keys = []
    for value in np.asarray(seen).tolist():
        parts = []
        for _ids, uniq in reversed(cols):
            value, i = divmod(value, max(len(uniq), 1))
            parts.append(uniq[i])
        keys.append(tuple(reversed(parts)))
    return keys, ids


def _split(keys: Iterable, ids: np.ndarray) -> dict:
    """{key: the ascending positions of the rows with that key number}."""
    if not len(ids):
        return {}
    order = np.argsort(ids, kind="stable")
    return dict(zip(keys, np.split(order, np.flatnonzero(np.diff(ids[order])) + 1), strict=True))
