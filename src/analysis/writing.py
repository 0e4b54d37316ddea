"""Atomic file writes: a reader never sees a half-written output that looks valid."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas loads only for csv_safe: a build imports this module before its kernel starts
    import pandas as pd


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write to a temporary file beside `path`, then rename it over `path` in one step.

    Readers (a reviewer's browser, the next build) see the old file or the new one, never half.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; outputs are for others to read
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# Text a spreadsheet would run as a formula when a reviewer opens the CSV (CSV/formula injection).
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
# A signed number written as text ("-5", "+12,5%") is no formula: a spreadsheet reads it as a number.
_PLAIN_NUMBER = re.compile(r"[+-]\d[\d.,]*%?")


def neutralise_formula(value: object) -> object:
    """Prefix formula-looking text with an apostrophe so Excel shows it as text; other values unchanged.

    Only CSV outputs use this: the Parquet keeps the true text. Numbers stay numbers (a negative
    number is a number, not a formula, also when written as text: "-5" stays), so only `str` values
    are touched.
    """
    if isinstance(value, str) and value.startswith(FORMULA_LEADS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` whose text cells cannot run as formulas in a spreadsheet."""
    import pandas as pd

    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise_formula)
    return out
