"""Read the figure sheets analysts keep by hand (CSV or XLSX), whatever encoding they were saved in.

The header row is found, not assumed: a merged title row above it, a notes sheet beside it and
columns in any order are fine. Each header cell maps to a figure-sheet column (the names and
their Vietnamese forms are `data/sheet_columns.csv`); a header cell that maps to nothing is
reported as not imported, never dropped without a word. A bad row costs that row only: it is
returned as a reject with the column and value that made it bad (a field too many, a cell far too
long); a sheet that cannot be read at all is named with the reason.
"""

from __future__ import annotations

import csv
import difflib
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter

from analysis.clean.grids import DELIMITERS, Grid, Number, csv_grid, decode, decode_text, nfc, workbook_grids
from analysis.config import PACKAGE_DATA
from analysis.errors import InputFileError

__all__ = ["OPTIONAL", "REQUIRED", "Sheet", "decode", "find_sheets", "read_provenance", "read_sheet"]

REQUIRED = ("province", "year", "indicator", "value", "unit", "source")
OPTIONAL = ("note", "qualifier", "precision", "period", "scale")
COLUMNS = REQUIRED + OPTIONAL
SHEET_SUFFIXES = (".csv", ".xlsx", ".xls")
PROVENANCE_FIELDS = ("publisher", "title", "url", "published", "accessed", "quality")
# Highest first: the publisher's own table; a complete table from a secondary source, or a province's
# own release of its result (equal standing: when they disagree both are rejected); the press.
SOURCE_QUALITIES = ("publisher", "secondary_complete", "province_release", "press")
HEADER_SEARCH_ROWS = 30  # a header below this many rows of titles is not a figure sheet
MAX_CELL_CHARS = 10_000  # longer than any source, note or figure; a pasted document, not a cell
SHOWN_CHARS = 200  # how much of an over-long cell the rejects show


@dataclass
class Sheet:
    """The rows of one figure sheet, with where each came from and what was not read."""

    path: Path
    encoding: str
    rows: pd.DataFrame  # COLUMNS (value: text, or a grids.Number for a number cell) and `source_ref`
    provenance: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    rejects: list[dict] = field(default_factory=list)  # rows refused while reading
    not_imported: list[dict] = field(default_factory=list)  # header cells that map to no column
    errors: list[str] = field(default_factory=list)  # parts of the file lost (a sheet lacking a column)


@cache
def header_names() -> dict[str, str]:
    """Header text (casefolded) → figure-sheet column."""
    with (PACKAGE_DATA / "sheet_columns.csv").open(encoding="utf-8", newline="") as fh:
        return {nfc(r["header"]).casefold(): r["column"] for r in csv.DictReader(fh)}


def _letter(j: int) -> str:
    return get_column_letter(j + 1)


def shown(value: object) -> str:
    """A cell as the rejects show it: over-long text cut, with its length."""
    text = str(value.value) if isinstance(value, Number) else nfc(value)
    if len(text) > SHOWN_CHARS:
        return f"{text[:SHOWN_CHARS]}… ({len(text):,} characters)"
    return text


def _text(cell: object) -> str:
    """A non-value cell as text: a number cell 2019.0 is the text "2019"."""
    if isinstance(cell, Number):
        v = cell.value
        return str(int(v)) if v == int(v) and abs(v) < 1e15 else repr(v)
    return nfc(cell)


@dataclass
class Header:
    """Where the header row is and what each of its cells means."""

    row: int
    columns: dict[int, str]  # cell position → figure-sheet column
    width: int
    unmapped: dict[int, str]  # cell position → header text that maps to nothing
    duplicate: str = ""


def find_header(grid: Grid) -> Header | None:
    """The first row (of the first HEADER_SEARCH_ROWS) where three cells or more name known columns."""
    names = header_names()
    for i, row in enumerate(grid.rows[:HEADER_SEARCH_ROWS]):
        texts = [_text(c).casefold() for c in row]
        known = [j for j, t in enumerate(texts) if t in names]
        if len({names[texts[j]] for j in known}) < 3:
            continue
        columns: dict[int, str] = {}
        duplicate = ""
        for j in known:
            col = names[texts[j]]
            first = next((k for k, c in columns.items() if c == col), None)
            if first is not None and not duplicate:
                duplicate = (
                    f"header names column {col!r} twice (cells {_letter(first)} and {_letter(j)}): "
                    "which one holds the figures? rename or delete one"
                )
            columns.setdefault(j, col)
        width = max((j + 1 for j, t in enumerate(texts) if t), default=0)
        unmapped = {j: _text(row[j]) for j, t in enumerate(texts) if t and j not in columns}
        return Header(row=i, columns=columns, width=width, unmapped=unmapped, duplicate=duplicate)
    return None


def _not_imported(header: Header, where: str) -> list[dict]:
    out = []
    for j, text in header.unmapped.items():
        close = difflib.get_close_matches(text.casefold(), list(header_names()), n=1, cutoff=0.75)
        hint = f" (did you mean {header_names()[close[0]]!r}?)" if close else ""
        out.append(
            {
                "sheet": where,
                "column": _letter(j),
                "header": text,
                "reason": f"not a figure-sheet column{hint}; its values are not imported",
            }
        )
    return out


def _reject(record: dict, ref: str, column: str, value: object, reason: str) -> dict:
    out = {
        c: shown(record.get(c, ""))
        for c in ("province", "year", "indicator", "unit", "qualifier", "precision", "period", "source")
    }
    return {"row": ref, "column": column, **out, "value": shown(value), "reason": reason}


def row_problem(
    cells: list[object], header: Header, named: set[int], csv_text: bool = True
) -> tuple[int, object, str] | None:
    """(cell position, cell, reason) of the first thing that makes a row unreadable, or None."""
    run_on = [(j, c) for j, c in enumerate(cells) if isinstance(c, str) and "\n" in c]
    if run_on and len(cells) < header.width:
        j, c = run_on[0]
        lines = c.count("\n") + 1
        reason = (
            f"a quote opened in this field is never closed: the field runs over {lines} lines "
            "and swallows the rows below it; close the quote"
        )
        return j, c, reason
    extra = [(j, c) for j, c in enumerate(cells) if j >= header.width and _text(c)]
    if extra:
        j, c = extra[0]
        if not csv_text:
            return j, c, f"value in column {_letter(j)}, right of the table's last titled column"
        n = max(k for k, _ in extra) + 1
        reason = (
            f"row has {n} fields but the header {header.width}: a comma inside an unquoted field? "
            "(the fields after it would be shifted; quote the field or remove the comma)"
        )
        return j, c, reason
    stray = [(j, c) for j, c in enumerate(cells[: header.width]) if j not in named and _text(c)]
    if stray:
        j, c = stray[0]
        return j, c, f"value in column {_letter(j)}, which has no header"
    long = [(j, c) for j, c in enumerate(cells) if isinstance(c, str) and len(c) > MAX_CELL_CHARS]
    if long:
        j, c = long[0]
        return j, c, f"cell is {len(c):,} characters long (a cell holds at most {MAX_CELL_CHARS:,})"
    return None


def table_rows(grid: Grid, header: Header) -> tuple[list[dict], list[dict]]:
    """The data rows under `header` as records, and the rows refused with their reason."""
    records, rejects = [], []
    named = {j for j, t in enumerate(grid.rows[header.row]) if _text(t)}
    for cells, ref in zip(grid.rows[header.row + 1 :], grid.refs[header.row + 1 :], strict=True):
        record = {col: cells[j] if j < len(cells) else None for j, col in header.columns.items()}
        problem = row_problem(cells, header, named, csv_text=not grid.name)
        if problem is not None:
            j, cell, reason = problem
            rejects.append(_reject(record, ref, header.columns.get(j, _letter(j)), cell, reason))
            continue
        value = record.get("value")
        row = {col: _text(record.get(col)) for col in COLUMNS if col != "value"}
        row["value"] = value if isinstance(value, Number) else nfc(value)
        row["source_ref"] = ref
        records.append(row)
    return records, rejects


def _grid_table(grid: Grid, where: str) -> tuple[list[dict], list[dict], list[dict]]:
    """(records, rejects, not imported) of one grid; InputFileError when it has no usable header."""
    header = find_header(grid)
    if header is None:
        raise InputFileError(
            where,
            f"missing column(s) {', '.join(REQUIRED)}: no row among the first {HEADER_SEARCH_ROWS} "
            "names the figure-sheet columns",
        )
    if header.duplicate:
        raise InputFileError(where, header.duplicate)
    missing = [c for c in REQUIRED if c not in header.columns.values()]
    not_imported = _not_imported(header, grid.name)
    if missing:
        hint = "; ".join(f"{n['header']!r} {n['reason'].split(';')[0]}" for n in not_imported)
        raise InputFileError(
            where, f"missing column(s) {', '.join(missing)}" + (f" (header has {hint})" if hint else "")
        )
    records, rejects = table_rows(grid, header)
    return records, rejects, not_imported


def _frame(records: list[dict]) -> pd.DataFrame:
    cols = [*COLUMNS, "source_ref"]
    rows = pd.DataFrame(records, columns=cols)
    for col in cols:
        if col != "value":
            rows[col] = rows[col].astype(str)
    rows["value"] = rows["value"].astype(object)
    return rows


def _read_csv(path: Path, data: bytes) -> Sheet:
    text, encoding = decode_text(path, data)
    head = text[:65536]
    delimiter = next(
        (d for d in DELIMITERS if find_header(csv_grid(path, head, d)) is not None), DELIMITERS[0]
    )
    grid = csv_grid(path, text, delimiter)
    records, rejects, not_imported = _grid_table(grid, str(path))
    if not records and not rejects:
        raise InputFileError(path, "has a header but no rows")
    return Sheet(path, encoding, _frame(records), rejects=rejects, not_imported=not_imported)


def _read_workbook(path: Path) -> Sheet:
    records: list[dict] = []
    sheet = Sheet(path, "xlsx" if path.suffix.lower() != ".xls" else "xls", _frame([]))
    tables = 0
    for grid in workbook_grids(path):
        if not grid.rows:
            continue
        where = f"{path.name}:{grid.name}"
        if find_header(grid) is None:
            sheet.warnings.append(
                f"{where}: no figure-sheet header (province, year, indicator, value, unit, source) in "
                f"its first {HEADER_SEARCH_ROWS} rows: read as a notes sheet, "
                f"its {len(grid.rows)} rows not imported"
            )
            continue
        tables += 1
        try:
            rows, rejects, not_imported = _grid_table(grid, where)
        except InputFileError as exc:
            sheet.errors.append(f"sheet {grid.name!r}: {exc.reason}")
            continue
        records += rows
        sheet.rejects += rejects
        sheet.not_imported += not_imported
    if not tables:
        raise InputFileError(
            path, f"missing column(s) {', '.join(REQUIRED)}: no sheet has a figure-sheet header"
        )
    if not records and not sheet.rejects and not sheet.errors:
        raise InputFileError(path, "workbook has no rows")
    sheet.rows = _frame(records)
    return sheet


def read_provenance(path: Path) -> tuple[dict, list[str]]:
    """The sidecar `<sheet>.meta.json` (publisher, title, url, dates, quality); warnings if incomplete."""
    meta_path = path.with_name(path.stem + ".meta.json")
    if not meta_path.exists():
        return {}, [f"{path.name}: no provenance sidecar {meta_path.name}"]
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return {}, [f"{meta_path.name}: unreadable provenance ({exc})"]
    if not isinstance(meta, dict):
        return {}, [
            f"{meta_path.name}: provenance must be a JSON object, not a {type(meta).__name__}: ignored"
        ]
    missing = [f for f in PROVENANCE_FIELDS if not str(meta.get(f, "")).strip()]
    warnings = [f"{meta_path.name}: provenance lacks {', '.join(missing)}"] if missing else []
    return meta, warnings


def source_quality(meta: dict, name: str, default: str = "press") -> tuple[str, list[str]]:
    """The sheet's declared source quality, or `default` with a warning saying so."""
    stated = str(meta.get("source_quality", "")).strip()
    if stated in SOURCE_QUALITIES:
        return stated, []
    if not stated:
        return default, [f"{name}: no source_quality in its sidecar: counted as {default!r}"]
    return default, [
        f"{name}: source_quality {stated!r} is not one of {', '.join(SOURCE_QUALITIES)}: "
        f"counted as {default!r}"
    ]


def read_sheet(path: Path) -> Sheet:
    """Read one figure sheet; raises InputFileError naming the file when it cannot be read at all."""
    path = Path(path)
    try:
        if path.suffix.lower() in (".xlsx", ".xls"):
            sheet = _read_workbook(path)
        else:
            sheet = _read_csv(path, path.read_bytes())
    except OSError as exc:
        raise InputFileError(path, f"cannot read: {exc.strerror or exc}") from None
    sheet.provenance, warnings = read_provenance(path)
    sheet.warnings = warnings + sheet.warnings
    return sheet


def find_sheets(folder: Path) -> list[Path]:
    """Figure sheets in a folder, in a stable order."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in SHEET_SUFFIXES and p.is_file())
