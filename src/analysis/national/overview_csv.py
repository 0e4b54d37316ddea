"""The overview's tables as a reviewer downloads them: `reports/<year>/overview-<index>.csv`."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pandas as pd

from analysis import indicators
from analysis.national.csvtext import BOUNDED
from analysis.writing import csv_safe

if TYPE_CHECKING:
    from analysis.national.overview import IndexTable


def csv_name(table: IndexTable) -> str:
    return f"overview-{table.key}.csv"


def table_frame(table: IndexTable) -> pd.DataFrame:
    """The table as a reviewer downloads it: one row per province, both names, ranks said plainly."""
    ind = indicators.get(table.key)
    r = table.rows
    bounded = r["rank"].isna() & r["rank_low"].notna()  # no rank: published neighbours bound it
    kind = r["rank_kind"].where(r["rank"].notna(), "").mask(bounded, BOUNDED)
    return pd.DataFrame(
        {
            "year": table.year,
            "index": table.key,
            "index_name": ind.name_en,
            "province_code": r["code"],
            "province": r["name"],
            "province_en": r["name_en"],
            "value": r["value"],
            "unit": ind.unit,
            "rank": r["rank"],
            "rank_low": r["rank_low"].where(bounded).astype("Int64"),
            "rank_high": r["rank_high"].where(bounded).astype("Int64"),
            "rank_of": r["rank_of"].where(r["rank"].notna() | bounded).astype("Int64"),
            "rank_kind": kind,
            # who released a published rank, where not the publisher: "province" (the page's 44†)
            "rank_released_by": r["rank_released"].fillna(""),
            "quartile_group": r["group"],
            "previous_year": table.prev_year if table.comparable else pd.NA,
            "previous_value": r["prev_value"] if table.comparable else pd.NA,
            # the previous value's source is dated past that year's horizon: that year's page lacks it
            "previous_value_late": r["prev_late"],
            "change": r["change"],
            "regime": table.regime,
        }
    )


def table_csv(table: IndexTable) -> bytes:
    """UTF-8 CSV (with BOM, so a spreadsheet reads the Vietnamese names right), formula text neutralised.

    Numbers are rounded to 6 decimals: enough for every index, and no float noise (0.30000000000000004)."""
    frame = table_frame(table)
    for col in ("value", "previous_value", "change"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").round(6)
    buf = io.StringIO()
    csv_safe(frame).to_csv(buf, index=False)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
