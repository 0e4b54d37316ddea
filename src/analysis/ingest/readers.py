"""Read a workbook's sheets as rows of cell values, whatever program wrote the file.

calamine (fast, reads .xls and .xlsx) is tried first. It refuses some valid files that Excel and
openpyxl open: LibreOffice, for one, records a sheet's size as a row range only
(`<dimension ref="1:49"/>`), which calamine rejects with "Range is missing the expected column
component". An .xlsx that calamine refuses is read again with openpyxl; an .xls has no second reader
(xlrd is not a dependency), so the error says to re-save it as .xlsx. A password-protected workbook
is an OLE compound file holding an `EncryptionInfo` stream instead of a zip: it is named as such
before any reader sees it, since neither reader can open it and their errors would not say why.

Before either reader, an .xlsx is measured in streaming mode (`check_limits`): its parts are
unpacked chunk by chunk, never more than `LIMITS.unzipped` bytes, and each worksheet's cells are
counted as the XML streams past. Both readers lay a sheet out as a rectangle from A1 to its last
cell, so a file of 145 kB with a cell in column XFD, or of 1 MB of blank styled cells, would take
gigabytes: it is refused with one line naming the file and the limit instead. A reader that
streams rows (`check_limits(..., streamed=True)`, the figure-sheet reader) is allowed a larger sheet
when it is mostly filled (`Limits.streamed_cells`, `Limits.dense`).
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from analysis.errors import InputFileError

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ENCRYPTION_STREAMS = {"EncryptionInfo", "EncryptedPackage"}
OPENPYXL_SUFFIXES = {".xlsx", ".xlsm"}
ENCRYPTED = (
    "the workbook is encrypted (password-protected): open it in Excel or LibreOffice, remove the "
    "password (File > Info > Protect Workbook > Encrypt with Password) and save it again"
)
_END = 0xFFFFFFFA  # sector numbers from here up are markers (end of chain, free, FAT, DIFAT)

Rows = list[tuple[object, ...]]


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# --- OLE compound files (legacy .xls, and encrypted .xlsx) ------------------------------------------


def _chain(fat: list[int], start: int) -> Iterator[int]:
    """Sector numbers of one chain of the file allocation table (stops on loops and bad numbers)."""
    seen: set[int] = set()
    sector = start
    while sector < _END and sector < len(fat) and sector not in seen:
        seen.add(sector)
        yield sector
        sector = fat[sector]


def ole_stream_names(data: bytes) -> set[str]:
    """Names of the directory entries of an OLE compound file; empty if `data` is not one.

    Only the directory is read (header, FAT, directory chain), never the streams, so a damaged
    file gives fewer names rather than an error.
    """
    if len(data) < 512 or not data.startswith(OLE_MAGIC):
        return set()
    shift = struct.unpack_from("<H", data, 30)[0]
    if not 7 <= shift <= 16:
        return set()
    size = 1 << shift
    first_dir = struct.unpack_from("<I", data, 48)[0]
    difat_start, n_difat = struct.unpack_from("<II", data, 68)

    def sector(n: int) -> bytes:
        return data[(n + 1) * size : (n + 2) * size]

    fat_sectors = [n for n in struct.unpack_from("<109I", data, 76) if n < _END]
    difat, hops = difat_start, 0
    while difat < _END and hops < max(n_difat, 1) and (block := sector(difat)):
        entries = struct.unpack_from(f"<{size // 4}I", block.ljust(size, b"\xff"))
        fat_sectors += [n for n in entries[:-1] if n < _END]
        difat, hops = entries[-1], hops + 1
    fat: list[int] = []
    for n in fat_sectors:
        block = sector(n)
        fat += struct.unpack_from(f"<{len(block) // 4}I", block)
    names: set[str] = set()
    for n in _chain(fat, first_dir):
        block = sector(n)
        for off in range(0, len(block) - 127, 128):
            length = struct.unpack_from("<H", block, off + 64)[0]
            if 2 <= length <= 64:
                names.add(block[off : off + length - 2].decode("utf-16-le", "replace"))
    return names


def check_not_encrypted(path: Path) -> None:
    """InputFileError naming a password-protected workbook (Excel's 'Encrypt with Password')."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
            if head != OLE_MAGIC:
                return
            data = head + fh.read()
    except OSError as exc:
        raise InputFileError(path, f"cannot read: {exc.strerror}") from None
    if ole_stream_names(data) & ENCRYPTION_STREAMS:
        raise InputFileError(path, ENCRYPTED)


# --- limits, measured before any reader builds a sheet -------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """What a workbook may hold. A publisher's province table is some 63 rows by 10-200 columns."""

    columns: int = 1_000  # the last column used (XFD is 16 384)
    cells: int = 1_000_000  # the rectangle from A1 to the last cell, per sheet
    # A reader that streams rows (the figure-sheet reader) holds only the cells that carry a value:
    # past `cells`, a sheet is read when most of its rectangle is filled (a legitimate million-row
    # table of a few columns), up to `streamed_cells`; a sheet mostly of blank styled cells is not.
    streamed_cells: int = 10_000_000
    dense: float = 0.5
    unzipped: int = 300_000_000  # bytes of all parts unpacked
    streamed_unzipped: int = 2_000_000_000  # the same for a streaming reader (the XML is never held)


LIMITS = Limits()
_CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]{1,3})([0-9]{1,7})\"")
_CELL_VALUE = re.compile(rb"<(?:\w+:)?(?:v|is)>")  # a cell's value (<v>) or inline text (<is>)
_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml")
_CHUNK = 1 << 20


def column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def check_limits(path: Path, limits: Limits | None = None, *, streamed: bool = False) -> None:
    """InputFileError when an .xlsx would unpack or lay out beyond `limits` (see the module doc).

    Streams each part (a chunk at a time; a lying size in the zip's directory does not matter) and
    reads only the cell references of the worksheets. A file that is not a zip is left to the readers.
    `streamed`: the reader keeps only filled cells, so a large dense sheet passes (`Limits`).
    """
    limits = limits or LIMITS
    cap = limits.streamed_unzipped if streamed else limits.unzipped
    try:
        if not zipfile.is_zipfile(path):
            return
        with zipfile.ZipFile(path) as book:
            unzipped = 0
            for info in book.infolist():
                sheet = bool(_SHEET_PART.fullmatch(info.filename))
                last_row = last_col = filled = 0
                tail = b""
                with book.open(info) as part:
                    while chunk := part.read(_CHUNK):
                        unzipped += len(chunk)
                        if unzipped > cap:
                            raise InputFileError(
                                path,
                                f"unpacks to more than {cap // 1_000_000} MB (limit): not read; "
                                "save the table alone in a new workbook or as CSV",
                            )
                        if not sheet:
                            continue
                        data = tail + chunk
                        cut = data.rfind(b"<")  # a cell tag cut by the chunk's end is read with the next
                        data, tail = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
                        for m in _CELL_REF.finditer(data):
                            last_col = max(last_col, column_number(m.group(1)))
                            last_row = max(last_row, int(m.group(2)))
                        filled += len(_CELL_VALUE.findall(data))
                        _check_extent(path, info.filename, last_row, last_col, limits, streamed)
                if sheet and tail:
                    filled += len(_CELL_VALUE.findall(tail))
                if streamed and last_row * last_col > limits.cells:
                    _check_density(path, info.filename, last_row, last_col, filled, limits)
    except (OSError, zipfile.BadZipFile, zlib.error, RuntimeError, ValueError, EOFError):
        return  # a damaged or encrypted file: the readers name what is wrong with it


def _check_extent(path: Path, part: str, rows: int, cols: int, limits: Limits, streamed: bool) -> None:
    sheet = part.rsplit("/", 1)[-1].removesuffix(".xml")
    if cols > limits.columns:
        raise InputFileError(
            path,
            f"{sheet} uses column {column_name(cols)} ({cols:,} columns; limit {limits.columns:,}): "
            "not read; delete the empty columns after the table and save again",
        )
    limit = limits.streamed_cells if streamed else limits.cells  # streamed: density checked at the end
    if rows * cols > limit:
        raise InputFileError(
            path,
            f"{sheet} spans {rows:,} rows x {cols:,} columns ({rows * cols:,} cells; "
            f"limit {limit:,}): not read; delete the empty rows and columns after the table, "
            "or save it as CSV",
        )


def _check_density(path: Path, part: str, rows: int, cols: int, filled: int, limits: Limits) -> None:
    """A streamed sheet larger than `limits.cells` must be mostly filled: blank styled cells are refused."""
    if filled >= limits.dense * rows * cols:
        return
    sheet = part.rsplit("/", 1)[-1].removesuffix(".xml")
    raise InputFileError(
        path,
        f"{sheet} spans {rows:,} rows x {cols:,} columns ({rows * cols:,} cells, {filled:,} with a value; "
        f"limit {limits.cells:,} for a sheet mostly blank): not read; delete the empty rows and columns "
        "after the table, or save it as CSV",
    )


def column_name(n: int) -> str:
    """1 -> A, 16384 -> XFD."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


# --- the two readers ---------------------------------------------------------------------------------


def _calamine(path: Path) -> dict[str, Rows]:
    import pandas as pd

    book = pd.read_excel(path, sheet_name=None, header=None, engine="calamine")
    return {str(name): list(frame.itertuples(index=False, name=None)) for name, frame in book.items()}


def _openpyxl(path: Path) -> dict[str, Rows]:
    """Every worksheet from A1, values as last computed by the writing program (no formulas)."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheets = {}
        for ws in book.worksheets:
            ws.reset_dimensions()  # ignore the recorded size: it is what the other reader stumbled on
            sheets[str(ws.title)] = [
                tuple(row) for row in ws.iter_rows(min_row=1, min_col=1, values_only=True)
            ]
        return sheets
    finally:
        book.close()


def read_sheets(path: Path) -> tuple[dict[str, Rows], str]:
    """Sheet name -> rows of cell values, and a note when the second reader had to read them.

    InputFileError names an encrypted file, and otherwise gives both readers' reasons.
    """
    check_not_encrypted(path)
    check_limits(path)
    try:
        return _calamine(path), ""
    except Exception as exc:  # calamine, zipfile and xml errors alike: try the second reader
        if type(exc).__name__ == "PasswordError":  # python_calamine's: e.g. an .xls saved with a password
            raise InputFileError(path, f"{ENCRYPTED} ({_reason(exc)})") from None
        first = _reason(exc)
    if path.suffix.lower() not in OPENPYXL_SUFFIXES:
        raise InputFileError(
            path,
            f"cannot be read as a workbook ({first}); {path.suffix or 'this'} files have no second reader "
            f"(only .xlsx/.xlsm do): re-save it as .xlsx in Excel or LibreOffice",
        )
    try:
        sheets = _openpyxl(path)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, XML and value errors on bad files
        raise InputFileError(
            path, f"cannot be read as a workbook (calamine: {first}; openpyxl: {_reason(exc)})"
        ) from None
    return sheets, f"read with openpyxl: calamine refused it ({first})"
