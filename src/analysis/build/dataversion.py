"""One data version per build: the clean table is read once, checked, and kept as a snapshot named by
its content hash that every kernel of the build reads; the CSVs, the overview and the index are cut
from the same bytes (the build's `df`). A `make data` running meanwhile replaces data/clean, never
what this build publishes.

The check runs before anything is built: a table from an older version (a column missing after a
`git pull` without `make data`), province codes that lost their leading zero, text in `value` or a
non-integer `year` would fail every briefing, or worse publish them wrong. A clean whose manifest says
it is incomplete (an input it could not read) stops the build unless the caller accepts it
(`--allow-incomplete`); its briefings then name the inputs that are missing.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.config import CLEAN_COLUMNS
from analysis.errors import AnalysisError, InputFileError, printable
from analysis.writing import atomic_write

if TYPE_CHECKING:
    import pandas as pd

SNAPSHOT_DIR = ".versions"  # <clean>/.versions/<version>/figures.parquet (+ manifest.json)
REQUIRED = tuple(CLEAN_COLUMNS[:9])  # what a briefing reads (analysis.briefing.core.COLUMNS)
_KEEP_SECONDS = 3600  # older snapshots than this, other than the build's own, are removed


def check_clean_table(df: pd.DataFrame, path: Path) -> None:
    """InputFileError (one line) when the table is not what a briefing reads: columns, code as
    zero-padded text, numeric value, integer year, a known regime."""
    import pandas as pd

    again = "run `make data` (analysis clean) again"
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise InputFileError(path, f"column(s) {', '.join(missing)} missing (an older clean table?): {again}")
    if df.empty:
        raise InputFileError(path, "the clean table has no rows: add figures to data/raw and run `make data`")
    codes = df["province_code"]
    bad = codes[~_two_digit_text(codes)]
    if len(bad):
        raise InputFileError(
            path, f"province_code {_shown(bad.iloc[0])} is not two-digit text ('01'): {again}"
        )
    if not pd.api.types.is_numeric_dtype(df["value"]) or pd.api.types.is_bool_dtype(df["value"]):
        text = next((v for v in df["value"] if not isinstance(v, int | float)), df["value"].iloc[0])
        raise InputFileError(
            path, f"value {_shown(text)} is not a number (column {df['value'].dtype}): {again}"
        )
    if not pd.api.types.is_integer_dtype(df["year"]):
        raise InputFileError(path, f"year is {df['year'].dtype}, not whole numbers: {again}")
    regimes = {str(r) for r in df["regime"].unique()} - {"63", "34"}
    if regimes:
        raise InputFileError(path, f"regime {sorted(regimes)[0]!r} is not '63' or '34': {again}")


def _two_digit_text(codes: pd.Series) -> pd.Series:
    """Which codes are two-digit text ('01'), vectorised on the column's own string kernels (a
    Python call per row cost 30-50 ms per build); a column that is not text is checked cell by cell."""
    import pandas as pd

    if pd.api.types.is_string_dtype(codes.dtype) and not pd.api.types.is_object_dtype(codes.dtype):
        return (codes.str.len().eq(2) & codes.str.isdigit()).fillna(False).astype(bool)
    return codes.map(lambda c: isinstance(c, str) and len(c) == 2 and c.isdigit()).astype(bool)


def _shown(value: object) -> str:
    """A cell as the error shows it: text quoted, numbers as written (40, not np.int64(40))."""
    return printable(repr(value) if isinstance(value, str) else str(value))


def version_of(data: bytes) -> str:
    """The table's version: the sha256 prefix manifest.json's `data_version` also gives."""
    return hashlib.sha256(data).hexdigest()[:12]


def snapshot(data: bytes, clean_dir: Path) -> Path:
    """The folder holding this build's copy of the clean table (and the manifest read with it),
    beside the table (`make data` replaces only the files at the top), written once per version;
    kernels get it as their `clean_dir`."""
    folder = Path(clean_dir) / SNAPSHOT_DIR / version_of(data)
    if not (folder / "figures.parquet").is_file():
        atomic_write(folder / "figures.parquet", data)
    manifest = _manifest(clean_dir)
    if manifest.get("data_version") == folder.name and not (folder / "manifest.json").is_file():
        atomic_write(folder / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return folder


def prune(keep: Path) -> None:
    """Remove the snapshots beside `keep` that are older than an hour (another build, writing into
    another folder, may still be reading a recent one)."""
    root = Path(keep).parent
    if not root.is_dir():
        return
    now = time.time()
    for folder in root.iterdir():
        if folder == keep or not folder.is_dir():
            continue
        try:
            if now - folder.stat().st_mtime < _KEEP_SECONDS:
                continue
            for f in folder.iterdir():
                f.unlink()
            folder.rmdir()
        except OSError:
            continue


def _manifest(clean_dir: Path) -> dict:
    try:
        manifest = json.loads((Path(clean_dir) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def incomplete_inputs(clean_dir: Path, data: bytes) -> list[str]:
    """The inputs the clean that wrote this table could not read ("file: reason"), from its manifest;
    empty when the manifest is balanced, absent, or belongs to another version of the table."""
    manifest = _manifest(clean_dir)
    if manifest.get("data_version") not in (None, version_of(data)):
        return []
    if (manifest.get("totals") or {}).get("balanced", True):
        return []
    missing = [f"{f.get('file', '?')}: {f['error']}" for f in manifest.get("inputs", []) if f.get("error")]
    return missing or ["the clean stage's counts do not balance (see data/clean/manifest.json)"]


def notice(missing: list[str]) -> str:
    """What a briefing built from an incomplete clean says at its top (plain text)."""
    if not missing:
        return ""
    shown = "; ".join(printable(m) for m in missing[:5]) + ("; …" if len(missing) > 5 else "")
    return (
        f"Incomplete data: {len(missing)} input file(s) could not be read when this table was cleaned, "
        f"and their figures are missing from this briefing ({shown})."
    )


def check_complete(clean_dir: Path, data: bytes, allow: bool) -> list[str]:
    """Stop the build when the clean was incomplete, unless `allow`; returns what is missing."""
    missing = incomplete_inputs(clean_dir, data)
    if missing and not allow:
        raise AnalysisError(
            f"the clean table is incomplete: {len(missing)} input(s) could not be read "
            f"({printable(missing[0])}{', …' if len(missing) > 1 else ''}); fix them and run `make data`, "
            "or build anyway with --allow-incomplete (each briefing then says what is missing)"
        )
    return missing


def add_notice(nb: Any, notice: str) -> None:
    """Put `notice` at the top of an executed briefing (every format shows it), if there is one."""
    if not notice:
        return
    import html

    import nbformat

    text = f'<p class="data-notice" role="alert"><strong>{html.escape(notice)}</strong></p>'
    out = nbformat.v4.new_output("display_data", data={"text/html": text, "text/plain": notice})
    nb.cells.insert(0, nbformat.v4.new_code_cell("", outputs=[out]))


def with_notice(jobs: Any, missing: list[str]) -> Any:
    """The jobs, each carrying the notice of an incomplete clean, its key changed with it (so that the
    briefings are rebuilt once the clean is complete); the jobs themselves when nothing is missing."""
    from dataclasses import replace

    said = notice(missing)
    if not said:
        return jobs
    return tuple(
        replace(j, notice=said, key=hashlib.sha256(f"{j.key}\n{said}".encode()).hexdigest()) for j in jobs
    )
