"""Settle figures given twice (same province, regime, year, indicator): the declared order decides.

Every sheet declares a source quality in its sidecar (publisher's own table > a complete table from
a secondary source, or a province's own release of its result, of equal standing > press). Among
the rows of the highest standing present, equal values keep one (the most precise) and different
values reject them all, each naming the others, as equal sources cannot be told apart (a province's
announcement and a copied table that disagree are both suspect). Rows of lower standing are
rejected naming the winner. Reasons name at most a few other rows ("+N more"), so their length
does not grow with the group.
"""

from __future__ import annotations

import pandas as pd

KEYS = ["province_code", "regime", "year", "indicator"]
QUALITY_ORDER = ("publisher", "secondary_complete", "province_release", "press")
# Standing of each quality (lower wins); qualities of one standing do not settle a disagreement.
STANDING = {"publisher": 0, "secondary_complete": 1, "province_release": 1, "press": 2}
MAX_NAMED = 3


def agree(a: float, b: float, decimals: int) -> bool:
    """Equal at the precision of the less precise of the two sources."""
    return abs(a - b) <= 0.5 * 10.0 ** (-decimals) + 1e-9 * max(abs(a), abs(b), 1.0)


def _named(rows: list[int], ref: dict, value: dict) -> str:
    shown = "; ".join(f"{ref[o]} = {value[o]:g}" for o in rows[:MAX_NAMED])
    return shown + (f"; +{len(rows) - MAX_NAMED} more" if len(rows) > MAX_NAMED else "")


def _groups(df: pd.DataFrame) -> list[list[int]]:
    dup = df[df.duplicated(KEYS, keep=False)]
    groups: dict[tuple, list[int]] = {}
    for idx, key in zip(dup.index, zip(*(dup[c] for c in KEYS), strict=True), strict=True):
        groups.setdefault(key, []).append(idx)
    return list(groups.values())


def duplicate_rejections(df: pd.DataFrame) -> dict[int, str]:
    """{row index: reason} for every row a duplicate settlement rejects.

    Values agree when equal at the precision of the less precise source (a workbook's 65.8153 and
    a web table's 65.82 are one figure). `df` may carry `quality` (missing: "press").
    """
    if df.empty:
        return {}
    quality = df["quality"] if "quality" in df else pd.Series("press", index=df.index)
    ref, value = df["source_ref"].to_dict(), df["value"].to_dict()
    decimals, qual = df["decimals"].astype(int).to_dict(), quality.to_dict()
    rank = STANDING
    rejected: dict[int, str] = {}
    for group in _groups(df):
        best = min(rank.get(qual[i], len(rank)) for i in group)
        top = [i for i in group if rank.get(qual[i], len(rank)) == best]
        top_set = set(top)
        lower = [i for i in group if i not in top_set]
        low_dec = min(decimals[i] for i in top)
        if all(agree(value[top[0]], value[i], low_dec) for i in top[1:]):
            winner = max(top, key=lambda i: decimals[i])  # the most precise; first on ties
            for i in top:
                if i != winner:
                    rejected[i] = f"duplicate of {ref[winner]} (same value)"
            for i in lower:
                w = f"{ref[winner]} = {value[winner]:g}"
                if agree(value[winner], value[i], min(decimals[i], decimals[winner])):
                    rejected[i] = f"duplicate of {ref[winner]} (same value, from a {qual[winner]!r} source)"
                else:
                    rejected[i] = (
                        f"superseded by {w}: same province, year and indicator, different value; "
                        f"its source quality {qual[winner]!r} outranks this row's {qual[i]!r}"
                    )
            continue
        kinds = " and ".join(repr(q) for q in sorted({qual[i] for i in top}))
        for i in top:
            others = [o for o in top if o != i]
            rejected[i] = (
                f"conflicts with {_named(others, ref, value)}: same province, year and indicator, "
                f"different value (sources of equal standing {kinds}: neither settles it)"
            )
        for i in lower:
            rejected[i] = (
                "conflicts with higher-quality rows that disagree among themselves "
                f"({_named(top, ref, value)}): same province, year and indicator"
            )
    return rejected
