"""A worksheet as a plain grid of cells that remembers where each cell sits in the file.

Some publishers put provinces down the rows, others across the columns; the table code reads
both through `Grid.transposed()`, and `ref` always names the cell as Excel shows it.
"""

from __future__ import annotations

import math
import numbers
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.errors import InputFileError
from analysis.ingest.readers import read_sheets

Cell = str | float | None


def column_letters(j: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA'."""
    letters = ""
    j += 1
    while j:
        j, rem = divmod(j - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _cell(value: object) -> Cell:
    """Text stripped and NFC-normalised, numbers as float, everything empty as None."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        return None if math.isnan(number) else number
    text = unicodedata.normalize("NFC", str(value)).strip()
    return text or None


@dataclass(frozen=True)
class Grid:
    """One sheet's cells; `cells[i][j]` is row i, column j of this view (transposed or not)."""

    file: str
    sheet: str
    cells: tuple[tuple[Cell, ...], ...]
    is_transposed: bool = False
    reader: str = ""  # "" (calamine) or why the second reader read it (ingest.readers)

    @property
    def n_rows(self) -> int:
        return len(self.cells)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.cells), default=0)

    def at(self, i: int, j: int) -> Cell:
        row = self.cells[i] if 0 <= i < len(self.cells) else ()
        return row[j] if 0 <= j < len(row) else None

    def row(self, i: int) -> tuple[Cell, ...]:
        return self.cells[i]

    def transposed(self) -> Grid:
        width = self.n_cols
        cols = tuple(tuple(self.at(i, j) for i in range(self.n_rows)) for j in range(width))
        return Grid(self.file, self.sheet, cols, not self.is_transposed, self.reader)

    def ref(self, i: int, j: int) -> str:
        """`<file>:<sheet>!<cell>` of the cell at (i, j) of this view."""
        r, c = (j, i) if self.is_transposed else (i, j)
        return f"{self.file}:{self.sheet}!{column_letters(c)}{r + 1}"

    def row_ref(self, i: int) -> str:
        """Where row i of this view lies in the file: 'row 7' (or 'column G' when transposed)."""
        return f"column {column_letters(i)}" if self.is_transposed else f"row {i + 1}"


def read_grids(path: Path) -> list[Grid]:
    """Every worksheet of a workbook as a Grid; InputFileError if the file cannot be read as one.

    `Grid.reader` is empty when calamine read the file, else the note saying why openpyxl did.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError(path, "no such file")
    if path.stat().st_size == 0:
        raise InputFileError(path, "file is empty")
    if path.suffix.lower() not in {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}:
        raise InputFileError(path, f"not a workbook ({path.suffix or 'no extension'}): use .xlsx or .xls")
    sheets, reader = read_sheets(path)
    grids = []
    for name, records in sheets.items():
        rows = tuple(tuple(_cell(v) for v in rec) for rec in records)
        grids.append(Grid(path.name, name, rows, reader=reader))
    if not any(g.n_rows for g in grids):
        raise InputFileError(path, "workbook has no cells")
    return grids
