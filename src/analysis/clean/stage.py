"""The clean stage: every raw row ends in the clean table or in the rejects, with its reason.

`run_clean(raw, out)` is the I/O edge (`make data`); the steps between are pure functions on
frames: parse each row (`clean.rows`), validate the lot with pandera (`clean.validate`, collecting
every failure), then settle duplicates by declared source quality (`clean.duplicates`). The
manifest (`clean.report`) records each input's sha256 and read = kept + rejected; a file, or a
sheet of one, that could not be read is named there and in `CleanResult.unreadable`, and the run
is then not balanced.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from analysis import numbers
from analysis.clean.duplicates import duplicate_rejections
from analysis.clean.grids import Number
from analysis.clean.report import build_manifest, fingerprint, previous_rejects, summary
from analysis.clean.rows import parse_row
from analysis.clean.sheets import find_sheets, read_provenance, read_sheet, shown, source_quality
from analysis.clean.validate import validate_figures
from analysis.config import CLEAN_COLUMNS
from analysis.errors import AnalysisError, InputFileError, RowError, printable
from analysis.writing import atomic_write, csv_safe

if TYPE_CHECKING:
    from analysis.ingest.workbook import IngestResult

REJECT_COLUMNS = [
    "file",
    "row",
    "column",
    "province",
    "year",
    "indicator",
    "value",
    "unit",
    "qualifier",
    "precision",
    "period",
    "scale",
    "source",
    "reason",
]
# Figure-sheet columns a sheet may leave out; an input without them reads as "" (exact, precision as
# written, the period = the assessment year).
OPTIONAL_COLUMNS = ("note", "qualifier", "precision", "period", "scale")
WORKBOOK_DIR = "official"  # data/raw/official/*.xls[x]: publishers' workbooks, imported by analysis.ingest
LOCALES = ("vi", "intl")


@dataclass
class Input:
    """One raw file: its rows (or the errors that made it unreadable) and its bookkeeping."""

    path: Path
    kind: str
    sha256: str
    rows: pd.DataFrame | None = None
    encoding: str = ""
    locale: str = ""
    quality: str = "press"
    provenance: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # the file, or sheets of it, that could not be read
    pre_rejects: pd.DataFrame | None = None  # rows the reader refused before parsing
    not_imported: list[dict] = field(default_factory=list)  # columns the reader did not import

    @property
    def error(self) -> str:
        return "; ".join(self.errors)


@dataclass
class CleanResult:
    figures: pd.DataFrame
    rejects: pd.DataFrame
    manifest: dict

    @property
    def ok(self) -> bool:
        return bool(self.manifest["totals"]["balanced"])

    @property
    def unreadable(self) -> list[tuple[str, str]]:
        """(file, reason) of every input that could not be read, or only in part."""
        return [(f["file"], f["error"]) for f in self.manifest["inputs"] if "error" in f]


# ---------------------------------------------------------------- reading (I/O)


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


_STATE_IT = 'state it in the sidecar: {"locale": "vi"} or {"locale": "intl"}'


def column_locale(values: pd.Series, stated: object, path: Path) -> tuple[str, dict[int, str], list[str]]:
    """The number locale of a file's value column, stated in its sidecar or inferred for the column.

    Returns (locale, {row label: reason} for the values it leaves unreadable, warnings). A column
    whose text cannot be classified costs only the values that depend on it: the ambiguous ones
    (`1.234` alone), or every value with a separator when the column mixes `90,2` and `76.81`
    (which side is the typo is unknowable); values without separators read alike either way.
    """
    warnings: list[str] = []
    if stated in LOCALES:
        return str(stated), {}, warnings
    if stated not in (None, ""):
        warnings.append(f"{path.name}: sidecar locale {stated!r} is not 'vi' or 'intl': inferred instead")
    evidence = {i: numbers.locale_evidence(v) for i, v in values.items() if isinstance(v, str) and v}
    kinds = {k: [i for i, e in evidence.items() if e == k] for k in ("vi", "intl", "ambiguous")}
    vi, intl, ambiguous = kinds["vi"], kinds["intl"], kinds["ambiguous"]
    if vi and intl:
        reason = (
            f"column 'value' mixes Vietnamese ({values[vi[0]]!r}: {len(vi)} values) and international "
            f"({values[intl[0]]!r}: {len(intl)} values) number formats, so this value cannot be read "
            f"for certain; fix the odd values or {_STATE_IT}"
        )
        warnings.append(f"{path.name}: {reason.replace('this value', 'values with a separator')}")
        return "vi", dict.fromkeys(vi + intl + ambiguous, reason), warnings
    if vi or intl:
        return ("vi" if vi else "intl"), {}, warnings
    if ambiguous:
        warnings.append(
            f"{path.name}: {len(ambiguous)} value(s) in column 'value' such as {values[ambiguous[0]]!r} "
            f"could be thousands (vi) or a decimal (intl) and no value tells which; {_STATE_IT}"
        )
        bad = {
            i: f"{values[i]!r} could be thousands (vi) or a decimal (intl) and no value in column 'value' "
            f"tells which; {_STATE_IT}"
            for i in ambiguous
        }
        return "vi", bad, warnings
    return "vi", {}, warnings


def _pre_rejects(path: Path, rejects: list[dict]) -> pd.DataFrame:
    return (
        pd.DataFrame([{"file": path.name, **r} for r in rejects], columns=REJECT_COLUMNS)
        .astype(object)
        .fillna("")
    )


def read_figure_sheet(path: Path) -> Input:
    """A figure sheet as clean-stage input; an unreadable file becomes an Input carrying its error."""
    item = Input(path=path, kind="figure sheet", sha256=_sha256(path))
    try:
        sheet = read_sheet(path)
    except InputFileError as exc:
        item.errors.append(exc.reason)
        item.provenance, item.warnings = read_provenance(path)
        return item
    item.encoding, item.provenance, item.warnings = sheet.encoding, sheet.provenance, sheet.warnings
    item.errors, item.not_imported = sheet.errors, sheet.not_imported
    item.quality, notes = source_quality(sheet.provenance, path.name)
    item.warnings += notes
    rows = sheet.rows
    item.locale, unreadable, notes = column_locale(rows["value"], sheet.provenance.get("locale"), path)
    item.warnings += notes
    refused = [
        _reject({**rows.loc[i].to_dict(), "file": path.name}, why, "value") for i, why in unreadable.items()
    ]
    item.rows = rows.drop(index=list(unreadable))
    item.pre_rejects = _pre_rejects(path, sheet.rejects + refused)
    return item


def _plain(records: object) -> list[dict]:
    """IngestResult.not_imported (a frame or a list of records) as JSON-ready dicts."""
    if records is None:
        return []
    rows = records.to_dict("records") if isinstance(records, pd.DataFrame) else list(records)  # type: ignore[attr-defined]
    out = []
    for r in rows:
        d = asdict(r) if is_dataclass(r) and not isinstance(r, type) else dict(r)
        out.append({k: v if isinstance(v, int | float | bool) or v is None else str(v) for k, v in d.items()})
    return out


def workbook_input(path: Path, result: IngestResult) -> Input:
    """An imported workbook as clean-stage input: its values (numbers stay numbers), its leftovers."""
    item = Input(path=path, kind="workbook", sha256=_sha256(path), locale="intl", encoding="xlsx")
    rows = result.rows.copy()
    values = [Number(float(v)) for v in rows["value"]]
    rows["year"] = rows["year"].astype(str)
    for col in OPTIONAL_COLUMNS:
        rows[col] = ""
    cols = ["province", "year", "indicator", "unit", "source", *OPTIONAL_COLUMNS, "source_ref"]
    item.rows = rows[cols].astype(str)
    item.rows["value"] = pd.Series(values, index=item.rows.index, dtype=object)
    left = result.rejects
    item.pre_rejects = pd.DataFrame(
        {
            "file": path.name,
            "row": [
                f"{path.name}:{sh}!{r if str(r).startswith('row') else f'row {r}'}"
                for sh, r in zip(left["sheet"], left["row"], strict=True)
            ],
            "value": left["values"].astype(str),
            "reason": left["reason"],
        },
        columns=REJECT_COLUMNS,
    ).fillna("")
    item.provenance, item.warnings = read_provenance(path)
    item.warnings += list(result.warnings)
    item.not_imported = _plain(getattr(result, "not_imported", None))
    # A workbook in data/raw/official/ is by definition the publisher's own release.
    item.quality, notes = source_quality(item.provenance, path.name, default="publisher")
    item.warnings += notes
    return item


def read_workbook(path: Path) -> Input:
    """A publisher's workbook dropped into data/raw/official/, imported by its layout family."""
    from analysis.ingest.workbook import ingest_workbook

    try:
        return workbook_input(path, ingest_workbook(path))
    except InputFileError as exc:
        return Input(path=path, kind="workbook", sha256=_sha256(path), errors=[exc.reason])


def check_workbooks(
    results: list[tuple[Path, IngestResult]], max_year: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What `make data` would keep and reject from these imported workbooks (for `analysis ingest`)."""
    return clean_frames([workbook_input(path, result) for path, result in results], max_year)


def gather(raw_dir: Path) -> list[Input]:
    """Every raw input under raw_dir: figure sheets in figures/, workbooks in official/."""
    items = [read_figure_sheet(p) for p in find_sheets(raw_dir / "figures")]
    official = raw_dir / WORKBOOK_DIR
    if official.is_dir():
        items += [read_workbook(p) for p in sorted(official.glob("*.xls*"))]
    return items


# ---------------------------------------------------------------- parsing (pure)


def _reject(row: dict, reason: str, column: str = "") -> dict:
    out = {c: shown(row.get(c, "")) for c in REJECT_COLUMNS if c not in ("file", "row", "column", "reason")}
    return {"file": row["file"], "row": row["source_ref"], "column": column, **out, "reason": reason}


def reject_frame(
    raw: pd.DataFrame, positions: list[int], columns: list[str], reasons: list[str]
) -> pd.DataFrame:
    """Rejects for the raw rows at `positions` (built column-wise: no dict per row is kept alive)."""
    sub = raw.iloc[positions]

    def column(name: str) -> list:
        return [shown(v) for v in sub[name]] if name in sub else [""] * len(positions)

    out = {"file": column("file"), "row": column("source_ref"), "column": columns, "reason": reasons}
    for c in REJECT_COLUMNS:
        if c not in out:  # the raw row's own cells, as written
            out[c] = column(c)
    return pd.DataFrame(out, columns=REJECT_COLUMNS)


def parse_rows(raw: pd.DataFrame, max_year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Parse every raw row; rows that cannot be read go to the rejects with the column and reason.

    The parsed rows carry `raw_pos`, their position in `raw`, for rejects later on.
    """
    kept: list[dict] = []
    bad: tuple[list[int], list[str], list[str]] = ([], [], [])
    names = list(raw.columns)
    for pos, values in enumerate(zip(*(raw[c] for c in names), strict=True)):
        row = dict(zip(names, values, strict=True))
        try:
            parsed = parse_row(row, row["locale"], max_year)
        except RowError as exc:
            column, reason = exc.column, exc.reason
        except (AnalysisError, ValueError, ArithmeticError) as exc:
            column, reason = "", str(exc)
        else:
            parsed["quality"] = row.get("quality", "press")
            parsed["raw_pos"] = pos
            kept.append(parsed)
            continue
        bad[0].append(pos)
        bad[1].append(column)
        bad[2].append(reason)
    return pd.DataFrame(kept), reject_frame(raw, *bad)


# ---------------------------------------------------------------- the stage


def clean_frames(items: list[Input], max_year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All readable inputs → (clean figures, rejects). Pure: no file is read or written here."""
    frames = [
        item.rows.assign(file=item.path.name, locale=item.locale, quality=item.quality)
        for item in items
        if item.rows is not None and len(item.rows)
    ]
    refused = [item.pre_rejects for item in items if item.pre_rejects is not None and len(item.pre_rejects)]
    raw = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["locale"])
    for col in OPTIONAL_COLUMNS:
        raw[col] = raw[col].fillna("") if col in raw else ""
    parsed, rejects = parse_rows(raw, max_year)
    rejects = (
        pd.concat([*refused, rejects] if len(rejects) else refused, ignore_index=True) if refused else rejects
    )
    if parsed.empty:
        return pd.DataFrame(columns=CLEAN_COLUMNS), rejects
    failures = validate_figures(parsed)
    parsed_ok = parsed.drop(index=[i for i, _ in failures.items()])
    dup = duplicate_rejections(parsed_ok)
    pos = parsed["raw_pos"].to_dict()
    more = [
        reject_frame(
            raw,
            [pos[i] for i in failures],
            [c for c, _ in failures.values()],
            [r for _, r in failures.values()],
        ),
        reject_frame(raw, [pos[i] for i in dup], [""] * len(dup), list(dup.values())),
    ]
    figures = parsed.drop(index=[*failures, *dup])[CLEAN_COLUMNS]
    figures = figures.sort_values(["regime", "year", "province_code", "indicator"], ignore_index=True)
    figures["year"] = figures["year"].astype("int64")
    parts = [r for r in (rejects, *more) if len(r)]
    return figures, pd.concat(parts, ignore_index=True) if parts else rejects


def run_clean(
    raw_dir: Path, out_dir: Path, *, max_year: int | None = None, quiet: bool = False
) -> CleanResult:
    """`make data`: read data/raw, write the clean table, the rejects and the manifest atomically.

    Writes what it could even when inputs were unreadable; `CleanResult.unreadable` names them
    (the CLI then exits non-zero). The CSV outputs neutralise formula text; the Parquet keeps it.
    """
    max_year = max_year or datetime.now(UTC).year
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():  # a typo (data/raww) must not replace the clean table with an empty one
        raise InputFileError(raw_dir, "no such folder: nothing cleaned, the clean table is left as it was")
    before = previous_rejects(Path(out_dir))  # to print the rejects this clean adds in full
    inputs_seen = fingerprint(raw_dir)  # before reading: an edit during the clean cleans again
    items = gather(raw_dir)
    figures, rejects = clean_frames(items, max_year)
    manifest = build_manifest(items, figures, rejects)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    parquet = figures.to_parquet(index=False)
    manifest["data_version"] = hashlib.sha256(parquet).hexdigest()[:12]  # the briefings' index shows it
    manifest["fingerprint"] = inputs_seen  # `make data` skips the next clean when nothing changed
    atomic_write(out_dir / "figures.parquet", parquet)
    atomic_write(out_dir / "figures.csv", csv_safe(figures).to_csv(index=False))
    atomic_write(out_dir / "rejects.csv", csv_safe(rejects).to_csv(index=False).encode("utf-8"))
    atomic_write(out_dir / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    if not quiet:
        print(printable(summary(manifest, rejects, out_dir, before), keep="\n"), file=sys.stderr)
    return CleanResult(figures, rejects, manifest)
