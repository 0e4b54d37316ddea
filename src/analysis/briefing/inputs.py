"""The light entry the build uses: which rows a briefing reads (its rebuild key) and the default year.

Importing this module must stay cheap (no matplotlib, no plotting): the build's parent process and
the index step call it before any briefing work. The rows are the union of what each section
declares (`analysis.briefing.sections`), the same rows `load_briefing` computes from.
"""

from __future__ import annotations

import pandas as pd

from analysis import provinces
from analysis.briefing import metrics


def briefing_inputs(df: pd.DataFrame, province_code: str, regime: str, year: int) -> pd.DataFrame:
    """Exactly the rows a briefing for this province, regime and year reads (the build hashes them),
    sorted so the hash does not depend on the clean table's row order."""
    from analysis.briefing.context import make_context
    from analysis.briefing.core import inputs

    p = provinces.get(province_code, regime)
    rows = inputs(df, make_context(df, p, int(year), "vi"), p)
    return rows.sort_values(
        ["regime", "year", "province_code", "indicator", "source"], kind="stable"
    ).reset_index(drop=True)


def default_year(df: pd.DataFrame) -> int:
    """The year `make reports` builds when none is asked for (a rule on the data, see metrics)."""
    return metrics.default_year(df)
