"""Figure-sheet files as grids of cells: CSV text in any encoding, or the sheets of a workbook.

A grid keeps what the file holds and nothing more: text cells as NFC text, number cells as numbers
(an xlsx number cell is never turned into text and re-read), and for each number cell whether its
format shows it as a percent (Excel stores 90.2 % as 0.902). A cell merged down several rows
counts on each of them. Workbooks are streamed with openpyxl in read-only mode (number formats; files
written by Excel, LibreOffice or Python alike; memory grows with the filled cells), old .xls with
calamine. Deciding which row is the header and what each column means is `analysis.clean.sheets`' job.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from analysis.errors import InputFileError

DELIMITERS = (",", ";", "\t")
# Python's csv module refuses fields over 131,072 characters with an exception; we read them and
# let the sheet reader reject the row (a cell that long is never a figure, a source or a note).
_FIELD_LIMIT = 2**31 - 1


@dataclass(frozen=True, slots=True)  # slots: a million-row sheet holds millions of them
class Number:
    """A spreadsheet number cell: its value, and whether the cell's format shows it as a percent."""

    value: float
    percent: bool = False

    def decimals(self) -> int:
        """Digits after the decimal point of the shortest text that gives this float back."""
        try:
            exponent = Decimal(repr(float(self.value))).normalize().as_tuple().exponent
        except InvalidOperation:
            return 0
        return max(0, -int(exponent)) if isinstance(exponent, int) else 0


@dataclass
class Grid:
    """One table of cells: rows of str | Number | None, with each row's reference for messages."""

    name: str  # "" for a CSV file, the sheet name for a workbook
    rows: list[list[object]]
    refs: list[str]  # "file.csv:row 7", "book.xlsx:Sheet1!row 7"
    notes: list[str] = field(default_factory=list)


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """Decode a text file's bytes; returns (text, encoding name).

    BOMs decide first; then strict UTF-8; then UTF-16 without BOM (every other byte NUL); then
    CP1258, the Vietnamese Windows code page, whose combining tone marks are composed to NFC.
    """
    if not data.strip():
        raise InputFileError(path, "file is empty")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise InputFileError(path, f"has a UTF-8 byte-order mark but does not decode: {exc}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputFileError(path, f"has a UTF-16 byte-order mark but does not decode: {exc}") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    nul_even, nul_odd = data[0::2].count(0), data[1::2].count(0)
    if len(data) >= 4 and max(nul_even, nul_odd) > len(data) // 4:
        codec = "utf-16-le" if nul_odd > nul_even else "utf-16-be"
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError as exc:
            raise InputFileError(path, f"looks like UTF-16 but does not decode: {exc}") from None
    try:
        return data.decode("cp1258"), "cp1258"
    except UnicodeDecodeError as exc:
        raise InputFileError(path, f"not UTF-8, UTF-16 or Windows-1258 text ({exc})") from None


def nfc(value: object) -> str:
    """A cell as trimmed NFC text ("" for empty)."""
    if value is None:
        return ""
    return unicodedata.normalize("NFC", str(value)).strip()


@contextmanager
def _wide_fields() -> Iterator[None]:
    old = csv.field_size_limit()
    csv.field_size_limit(_FIELD_LIMIT)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def csv_records(text: str, delimiter: str, path: Path) -> Iterator[tuple[int, list[str]]]:
    """(first line, fields) of each CSV record; a malformed file raises InputFileError with its line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    with _wide_fields():
        try:
            start = 1
            for fields in reader:
                yield start, [nfc(f) for f in fields]
                start = reader.line_num + 1
        except csv.Error as exc:
            raise InputFileError(path, f"line {reader.line_num}: not readable as CSV ({exc})") from None


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """The file's text (NFC) and the encoding it was read in.

    NUL padding at the end is dropped; a NUL inside the text becomes U+FFFD, so that `4<NUL>3.5` is
    rejected as unreadable rather than read as 43.5 (dropping it joined the digits around it)."""
    text, encoding = decode(data, path)
    return unicodedata.normalize("NFC", text.rstrip("\x00").replace("\x00", "\ufffd")), encoding


def csv_grid(path: Path, text: str, delimiter: str) -> Grid:
    """Every non-blank record of the CSV text, split on `delimiter`."""
    rows: list[list[object]] = []
    refs: list[str] = []
    for line, fields in csv_records(text, delimiter, path):
        if any(fields):
            rows.append(list(fields))
            refs.append(f"{path.name}:row {line}")
    return Grid(name="", rows=rows, refs=refs)


# --------------------------------------------------------------------------- workbooks

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container Office uses for encrypted files
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


@lru_cache(maxsize=1024)
def is_percent_format(number_format: str | None) -> bool:
    """True when Excel shows the cell times 100 with a % sign (`0.0%`), not for a literal `"%"`."""
    if not number_format:
        return False
    return "%" in _QUOTED.sub("", number_format)


def _cell(value: object, number_format: str | None) -> object:
    if value is None:
        return None
    if isinstance(value, bool):
        return nfc(value)
    if isinstance(value, int | float):
        return Number(float(value), is_percent_format(number_format))
    if hasattr(value, "isoformat"):  # a date cell: text, so a year column reads it as not a year
        return value.isoformat()
    return nfc(value)


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]+)([0-9]+):([A-Z]+)([0-9]+)"')


def _vertical_merges(path: Path, part: str) -> dict[int, list[tuple[int, int]]]:
    """top row -> (column, last row) of each cell merged down several rows in one column.

    A read-only (streaming) openpyxl sheet does not parse merges, so the part's XML is scanned for
    them (they follow the cells); merges across columns (a title over the table) are not needed."""
    from analysis.ingest.readers import column_number

    merges: dict[int, list[tuple[int, int]]] = {}
    tail = b""
    with zipfile.ZipFile(path) as book, book.open(part) as fh:
        while chunk := fh.read(1 << 20):
            data = tail + chunk
            for m in _MERGE.finditer(data):
                col, last_col = column_number(m.group(1)), column_number(m.group(3))
                top, bottom = int(m.group(2)), int(m.group(4))
                if col == last_col and bottom > top and (col, bottom) not in merges.get(top, []):
                    merges.setdefault(top, []).append((col, bottom))
            tail = data[-200:]
    return merges


def _sheet_rows(ws: object, merges: dict[int, list[tuple[int, int]]]) -> Iterator[tuple[int, list[object]]]:
    """(row number, cells) of every row with a value, streamed; a cell under a vertical merge
    carries the merged cell's value (a province or source merged over its rows means it on each)."""
    carry: dict[int, tuple[int, object]] = {}  # column -> (last row, value) of an open merge
    for r, row in enumerate(ws.iter_rows(min_row=1, min_col=1), start=1):  # type: ignore[attr-defined]
        cells: list[object] = []
        for cell in row:
            value = cell.value
            if isinstance(value, int | float) and not isinstance(value, bool):
                cells.append(Number(float(value), is_percent_format(cell.number_format)))
            else:
                cells.append(_cell(value, None))
        for col, (last, value) in list(carry.items()):
            if r > last:
                del carry[col]
            elif value is not None:
                cells.extend([None] * (col - len(cells)))
                if cells[col - 1] in (None, ""):
                    cells[col - 1] = value
        for col, last in merges.get(r, ()):
            if col <= len(cells):
                carry[col] = (last, cells[col - 1])
        if any(c not in (None, "") for c in cells):
            yield r, cells


def _openpyxl_grids(path: Path) -> list[Grid]:
    """Every sheet streamed (openpyxl read-only): memory grows with the filled cells, not the sheet's
    rectangle, and number formats still say which cells are percents."""
    import openpyxl

    with path.open("rb") as fh:
        magic = fh.read(8)
    if magic == OLE_MAGIC:
        raise InputFileError(
            path,
            "is encrypted (password-protected) or an old binary workbook named .xlsx: "
            "save it again as .xlsx without a password",
        )
    try:
        book = openpyxl.load_workbook(path, data_only=True, read_only=True)
    except Exception as exc:  # zip, XML and encryption errors come in many types
        raise InputFileError(path, f"not a readable workbook ({type(exc).__name__}: {exc})") from None
    grids = []
    try:
        for ws in book.worksheets:
            ws.reset_dimensions()  # the recorded size may be wrong (LibreOffice writes rows only)
            merges = _vertical_merges(path, ws._worksheet_path)  # the sheet's part in the zip
            rows, refs = [], []
            for r, cells in _sheet_rows(ws, merges):
                rows.append(cells)
                refs.append(f"{path.name}:{ws.title}!row {r}")
            grids.append(Grid(name=ws.title, rows=rows, refs=refs))
    finally:
        book.close()
    return grids


def _calamine_grids(path: Path) -> list[Grid]:
    """Old .xls workbooks: values only (calamine gives numbers as numbers but no number formats)."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        sheets = [
            (name, book.get_sheet_by_name(name).to_python(skip_empty_area=False)) for name in book.sheet_names
        ]
    except Exception as exc:  # calamine raises its own error types for corrupt files
        raise InputFileError(path, f"not a readable workbook ({type(exc).__name__}: {exc})") from None
    grids = []
    for name, data in sheets:
        rows, refs = [], []
        for r, row in enumerate(data, start=1):
            cells = [_cell(None if c == "" else c, None) for c in row]
            if any(c not in (None, "") for c in cells):
                rows.append(cells)
                refs.append(f"{path.name}:{name}!row {r}")
        grids.append(Grid(name=name, rows=rows, refs=refs, notes=["no number formats in .xls"]))
    return grids


def workbook_grids(path: Path) -> list[Grid]:
    """Every sheet of an .xlsx (openpyxl: number formats) or .xls (calamine) figure workbook."""
    from analysis.ingest.readers import check_limits

    check_limits(path, streamed=True)  # a sheet beyond the limits is refused before it is read
    if path.suffix.lower() == ".xls":
        return _calamine_grids(path)
    return _openpyxl_grids(path)
