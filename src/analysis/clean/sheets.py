"""Read the figure sheets analysts keep by hand (CSV or XLSX), whatever encoding they were saved in.

Real sheets arrive as UTF-8, UTF-8 with BOM, UTF-16 (Excel's "Unicode text") and Windows-1258,
the Vietnamese code page that stores tone marks as combining characters. Every cell is read as
text and normalised to NFC, so "Hòa" typed on any machine compares equal; numbers are parsed
later, per column, by the clean stage.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.errors import InputFileError

REQUIRED = ("province", "year", "indicator", "value", "unit", "source")
OPTIONAL = ("note", "qualifier")
SHEET_SUFFIXES = (".csv", ".xlsx", ".xls")
PROVENANCE_FIELDS = ("publisher", "title", "url", "published", "accessed", "quality")


@dataclass
class Sheet:
    """The rows of one figure sheet as text, with where each came from."""

    path: Path
    encoding: str
    rows: pd.DataFrame  # REQUIRED + OPTIONAL columns as strings, plus `source_ref`
    provenance: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """Decode a text file's bytes; returns (text, encoding name).

    BOMs decide first; then strict UTF-8; then UTF-16 without BOM (every other byte NUL); then
    CP1258, the Vietnamese Windows code page, whose combining tone marks are composed to NFC.
    """
    if not data.strip():
        raise InputFileError(path, "file is empty")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
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


def _nfc(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return unicodedata.normalize("NFC", str(value)).strip()


def _frame(records: list[dict[str, str]], path: Path, refs: list[str]) -> pd.DataFrame:
    if not records:
        raise InputFileError(path, "has a header but no rows")
    header = {_nfc(k).lower() for k in records[0]}
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputFileError(path, f"missing column(s) {', '.join(missing)}; a figure sheet needs {REQUIRED}")
    rows = pd.DataFrame(
        [{_nfc(k).lower(): _nfc(v) for k, v in rec.items() if k is not None} for rec in records], dtype="str"
    )
    for col in OPTIONAL:
        if col not in rows:
            rows[col] = ""
    rows = rows[list(REQUIRED + OPTIONAL)].fillna("")
    rows["source_ref"] = refs
    return rows


def _read_csv(path: Path, data: bytes) -> tuple[pd.DataFrame, str]:
    text, encoding = decode(data, path)
    text = unicodedata.normalize("NFC", text)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    records: list[dict[str, str]] = []
    refs: list[str] = []
    for rec in reader:
        if not any(_nfc(v) for v in rec.values() if isinstance(v, str)):
            continue  # blank line: nothing to keep or lose
        records.append(rec)
        refs.append(f"{path.name}:row {reader.line_num}")
    return _frame(records, path, refs), encoding


def _read_excel(path: Path) -> tuple[pd.DataFrame, str]:
    try:
        book = pd.read_excel(path, sheet_name=None, dtype="str", engine="calamine", header=0)
    except Exception as exc:  # calamine raises its own error types for corrupt files
        raise InputFileError(path, f"not a readable workbook ({type(exc).__name__}: {exc})") from None
    frames = []
    for sheet_name, df in book.items():
        df = df.dropna(how="all")
        if df.empty:
            continue
        refs = [f"{path.name}:{sheet_name}!row {i + 2}" for i in df.index]
        frames.append(_frame(df.to_dict("records"), path, refs))
    if not frames:
        raise InputFileError(path, "workbook has no rows")
    return pd.concat(frames, ignore_index=True), "xlsx"


def read_provenance(path: Path) -> tuple[dict, list[str]]:
    """The sidecar `<sheet>.meta.json` (publisher, title, url, dates, quality); warnings if incomplete."""
    meta_path = path.with_name(path.stem + ".meta.json")
    if not meta_path.exists():
        return {}, [f"{path.name}: no provenance sidecar {meta_path.name}"]
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return {}, [f"{meta_path.name}: unreadable provenance ({exc})"]
    missing = [f for f in PROVENANCE_FIELDS if not str(meta.get(f, "")).strip()]
    warnings = [f"{meta_path.name}: provenance lacks {', '.join(missing)}"] if missing else []
    return meta, warnings


def read_sheet(path: Path) -> Sheet:
    """Read one figure sheet; raises InputFileError naming the file when it cannot be read at all."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xls"):
        rows, encoding = _read_excel(path)
    else:
        rows, encoding = _read_csv(path, path.read_bytes())
    provenance, warnings = read_provenance(path)
    return Sheet(path=path, encoding=encoding, rows=rows, provenance=provenance, warnings=warnings)


def find_sheets(folder: Path) -> list[Path]:
    """Figure sheets in a folder, in a stable order."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in SHEET_SUFFIXES and p.is_file())
