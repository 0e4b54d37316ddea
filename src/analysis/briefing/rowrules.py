"""Per-row readings of the year rules: which rows are snapshots, each row's source date and the
first briefing year that may show it (the rule book's year-true rule, `rulebook.yeartrue`).

Pure functions over the tidy frame of `data/clean/figures.parquet`; `analysis.briefing.metrics`
re-exports them and cuts a briefing's rows by them (`metrics.year_true`).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from analysis import rulebook

# Speed switch: each distinct note and source is read once (a table has 14k notes and 105 sources in
# 40k rows), a note's date looked for only in a note with parentheses, snapshots read only the notes
# of rows without a period kind, `first_years` compares each distinct period and year once. On the
# 40k-row clean table (CPU, after imports): first_years (with source_dates) 0.038 s -> 0.015 s.
# False: every row read.
DISTINCT_ONCE = True


def snapshots(rows: pd.DataFrame) -> pd.Series:
    """Rows that are a snapshot of a running index: period as of a date (the clean stage's
    `period_kind`); only a row without one (a frame from before the figure model) is read by its note
    saying "snapshot". A note naming a web page's snapshot (pcivietnam.vn's profile pages) is no
    index snapshot: the period says what the figure describes."""
    snap = pd.Series(False, index=rows.index)
    kind = (
        rows["period_kind"].fillna("").astype(str)
        if "period_kind" in rows
        else pd.Series("", index=rows.index)
    )
    snap |= kind == "as_of"
    if "note" in rows and DISTINCT_ONCE:  # read only the notes of rows without a period kind
        legacy = (kind == "").to_numpy()
        if legacy.any():
            notes = rows["note"].iloc[np.flatnonzero(legacy)].fillna("").astype(str)
            mask = snap.to_numpy(copy=True)
            mask[legacy] |= notes.str.contains("snapshot", case=False, regex=False).to_numpy(dtype=bool)
            snap = pd.Series(mask, index=rows.index)
    elif "note" in rows:
        legacy = kind == ""
        snap |= legacy & rows["note"].fillna("").astype(str).str.contains("snapshot", case=False, regex=False)
    return snap


@cache
def register_dates() -> dict[str, str]:
    """Address → publication date, from the register of sources the citations print
    (`data/raw/sources/sources.csv`); {} without one. Read once per process."""
    from analysis import config
    from analysis.citations import read_register

    register = read_register(config.RAW_DIR / config.SOURCES_REGISTER)
    return {url: str(row.get("published", "")) for url, row in register.items() if row.get("published")}


def source_dates(df: pd.DataFrame, register: dict[str, str] | None = None) -> pd.Series:
    """Each row's source date ('' when undated): the date the citation prints (the register of
    sources, `register_dates`), else the date its note gives after the article's title, else the
    latest date another row citing the same address gives (one article, one date)."""
    if "note" not in df or "source" not in df:
        return pd.Series("", index=df.index, dtype=object)
    register = register_dates() if register is None else register
    sources = df["source"].fillna("").astype(str)
    own = _each_distinct(df["note"].fillna("").astype(str), _note_date)
    by_source = own[own != ""].groupby(sources[own != ""]).max().to_dict()
    shared = _each_distinct(sources, lambda s: register.get(s) or by_source.get(s, "") if s else "")
    cited = _each_distinct(sources, lambda s: register.get(s, "") if s else "")
    return cited.where(cited != "", own.where(own != "", shared))


def _note_date(note: str) -> str:
    """`rulebook.note_date`, which finds a date only in parentheses: a note without one has none
    (53 of the clean table's 14k notes have one; the regular expression costs 8 ms over them all)."""
    return rulebook.note_date(note) if not DISTINCT_ONCE or ")" in note else ""


def _each_distinct(col: pd.Series, func) -> pd.Series:
    """`col.map(func)`, calling `func` once per distinct value (a table has 14k notes in 40k rows)."""
    if not DISTINCT_ONCE or not len(col):
        return col.map(func)
    ids, uniq = pd.factorize(col, use_na_sentinel=False)
    done = pd.Series(uniq).map(func)
    return pd.Series(done.array.take(ids), index=col.index, name=col.name, dtype=done.dtype)


def first_years(df: pd.DataFrame, register: dict[str, str] | None = None) -> pd.Series:
    """The first briefing year that may show each row (the rule book's year-true rule)."""
    years = df["year"].astype(int)
    periods = df["period"].fillna("").astype(str) if "period" in df else pd.Series("", index=df.index)
    dates = source_dates(df, register)
    out = years.copy()
    if DISTINCT_ONCE:  # the same rows, without writing every year as text
        odd = dates.to_numpy() != ""
        pids, pu = pd.factorize(periods)  # a few distinct periods and years: compare those
        yids, yu = pd.factorize(years)
        other = np.asarray([[p != "" and p != str(y) for y in yu.tolist()] for p in pu.tolist()], dtype=bool)
        odd |= other[pids, yids] if len(other) else odd
        rows = zip(years[odd], periods[odd], dates[odd], strict=True)
        found = [rulebook.first_year(int(y), p, d) for y, p, d in rows]
        out.iloc[np.flatnonzero(odd)] = np.asarray(found, dtype=out.dtype)
        return out
    odd = (periods != years.astype(str)) & (periods != "") | (dates != "")  # the rest: their own year
    for i, y, p, d in zip(df.index[odd], years[odd], periods[odd], dates[odd], strict=True):
        out.at[i] = rulebook.first_year(int(y), p, d)
    return out
