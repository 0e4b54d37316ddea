"""The light entry the build uses: which rows a briefing reads (its rebuild key) and the default year.

Importing this module must stay cheap (no matplotlib, no plotting): the build's parent process and
the index step call it before any briefing work.
"""

from __future__ import annotations

import pandas as pd

from analysis.briefing import metrics


def briefing_inputs(df: pd.DataFrame, province_code: str, regime: str, year: int) -> pd.DataFrame:
    """Exactly the rows a briefing for this province, regime and year reads (the build hashes them)."""
    return metrics.briefing_inputs(df, province_code, regime, year)


def default_year(df: pd.DataFrame) -> int:
    """The year `make reports` builds when none is asked for (a rule on the data, see metrics)."""
    return metrics.default_year(df)
