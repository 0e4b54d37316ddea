"""Typed errors: each names the bad input so an analyst can find and fix it."""

from __future__ import annotations

import errno
import unicodedata
from collections.abc import Sequence

# Bidirectional overrides and isolates reorder what a terminal shows; escaped like control characters.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def printable(text: object, keep: str = "") -> str:
    """`text` safe to print on a terminal: control characters (ANSI escapes, newlines, NUL, C1) and
    bidi overrides written as `\\x1b`, `\\n`, `\\u202e`. Names from the file system or a workbook go
    through this before they reach the user; `keep` lists characters left as they are ("\\n")."""
    out = []
    for ch in str(text):
        if ch in keep or not (unicodedata.category(ch) == "Cc" or ch in _BIDI):
            out.append(ch)
        else:
            out.append(repr(ch)[1:-1] if ch not in _BIDI else f"\\u{ord(ch):04x}")
    return "".join(out)


class AnalysisError(Exception):
    """Base of every error the library raises on bad input or configuration."""


class UnknownProvinceError(AnalysisError, LookupError):
    """A province name that matches nothing in the registry."""

    def __init__(self, name: str, year: int | None = None, suggestions: Sequence[str] = ()):
        self.name, self.year, self.suggestions = name, year, list(suggestions)
        when = f" (year {year})" if year is not None else ""
        hint = f"; closest: {', '.join(self.suggestions)}" if self.suggestions else ""
        super().__init__(f"unknown province {name!r}{when}{hint}")


class NumberParseError(AnalysisError, ValueError):
    """Text that is not a number in the stated (or inferred) locale, or is ambiguous."""

    def __init__(self, text: str, reason: str):
        self.text, self.reason = text, reason
        super().__init__(f"cannot read {text!r} as a number: {reason}")


class UnknownIndicatorError(AnalysisError, LookupError):
    """An indicator key or name that is not in the catalogue."""

    def __init__(self, key: str, suggestions: Sequence[str] = ()):
        self.key, self.suggestions = key, list(suggestions)
        hint = f"; closest: {', '.join(self.suggestions)}" if self.suggestions else ""
        super().__init__(f"unknown indicator {key!r}{hint}")


class UnitMismatchError(AnalysisError, ValueError):
    """A unit that does not fit the indicator's catalogue unit."""

    def __init__(self, key: str, unit: str, expected: str):
        self.key, self.unit, self.expected = key, unit, expected
        super().__init__(f"indicator {key!r} is measured in {expected!r}, not {unit!r}")


class InputFileError(AnalysisError):
    """A raw file that cannot be read at all (empty, corrupt, undecodable)."""

    def __init__(self, path: object, reason: str):
        self.path, self.reason = str(path), reason
        super().__init__(f"{printable(self.path)}: {printable(reason)}")


class RowError(AnalysisError, ValueError):
    """One input row that cannot be kept: names the column and value (file and row when known)."""

    def __init__(self, column: str, value: object, reason: str, file: str = "", row: str = ""):
        self.column, self.value, self.reason, self.file, self.row = column, value, reason, file, row
        where = ", ".join(p for p in (file, row, f"column {column}" if column else "") if p)
        super().__init__(f"{where}: {reason}" if where else reason)


class UnreadableInputsError(AnalysisError):
    """The clean stage wrote what it could, but input files (or parts of them) could not be read."""

    def __init__(self, files: Sequence[tuple[str, str]]):
        self.files = list(files)
        lines = "\n".join(f"  {printable(name)}: {printable(reason)}" for name, reason in self.files)
        super().__init__(
            f"{len(self.files)} input file(s) could not be read (or only in part); the clean table "
            f"misses their figures until they are fixed:\n{lines}"
        )


class BriefingError(AnalysisError):
    """A briefing that failed to build; names the province, year, language and the failing step."""

    def __init__(
        self,
        message: str,
        *,
        province: str | None = None,
        year: int | None = None,
        lang: str | None = None,
        step: str | None = None,
        file: object = None,
        row: int | None = None,
    ):
        self.message, self.province, self.year, self.lang = message, province, year, lang
        self.step, self.file, self.row = step, (None if file is None else str(file)), row
        where = [
            f"{name} {value}"
            for name, value in (
                ("province", province),
                ("year", year),
                ("language", lang),
                ("step", step),
                ("file", self.file),
                ("row", row),
            )
            if value is not None and str(value) not in message
        ]
        super().__init__(message + (f" ({', '.join(where)})" if where else ""))


class UnknownLanguageError(AnalysisError, ValueError):
    """A briefing language other than the ones the labels file has."""

    def __init__(self, lang: str, known: Sequence[str]):
        self.lang, self.known = lang, list(known)
        super().__init__(f"unknown language {lang!r}: expected one of {', '.join(self.known)}")


class LabelsError(AnalysisError):
    """A missing or incomplete label in the bilingual labels file (names the file, row and key)."""

    def __init__(self, path: object, key: str, reason: str, row: int | None = None):
        self.path, self.key, self.reason, self.row = str(path), key, reason, row
        at = f", row {row}" if row is not None else ""
        super().__init__(f"{self.path}{at}: label {key!r} {reason}")


_OS_HINTS = {
    errno.ENOSPC: "the disk is full: free some space (a full TMPDIR: point TMPDIR at a folder with room)",
    errno.EDQUOT: "the disk quota is used up: free some space",
    errno.EROFS: "the file system is read-only: choose another folder",
    errno.EACCES: "no permission: choose a folder you can write to, or fix its permissions",
    errno.EPERM: "not permitted: choose a folder you can write to, or fix its permissions",
}


def os_error_line(exc: OSError) -> str:
    """One line for an OSError from the file system: the file, what went wrong and what to do."""
    where = exc.filename if exc.filename is not None else ""
    what = exc.strerror or type(exc).__name__
    hint = _OS_HINTS.get(exc.errno or 0, "")
    return printable(f"{where}: {what}" if where else what) + (f" ({hint})" if hint else "")
