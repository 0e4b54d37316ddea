"""Publishing a briefing as one set, and telling a briefing's own failure from the machine's.

A briefing's files (HTML, PDF, its take-away CSV, any new format) are written as temporary files
beside their places first and renamed over the published ones only once all of them are written: a
full disk, a read-only folder or a dead worker leaves the previous set whole, never half of a new one.

A failure is the briefing's OWN when its notebook raised (a cell, with its number), its page was
refused by the publishing check or its PDF could not be laid out: then its old files go (nobody reads
an out-of-date briefing as current). Anything else is ENVIRONMENTAL (the worker or kernel died, the
disk is full or read-only, permission denied): it says nothing about the briefing, so its published
files stay and the build reports the cause once.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from analysis.errors import InputFileError, os_error_line

OWN, ENV = "own", "env"
_ENV_ERRNOS = frozenset({errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT, errno.EIO})
_ENV_NAMES = frozenset({"DeadKernelError", "BrokenProcessPool", "MemoryError"})

Staged = list[tuple[str, str]]  # (temporary file, published path)


def kind_of(exc: BaseException) -> str:
    """OWN or ENV for an exception a briefing's build raised (see the module doc)."""
    if isinstance(exc, OSError):
        return ENV
    if type(exc).__name__ in _ENV_NAMES or getattr(exc, "ename", "") in _ENV_NAMES:
        return ENV
    return OWN


def os_error(exc: OSError, out_dir: Path | str) -> str:
    """One line for a write that failed, naming the output folder rather than each file, so that one
    full disk is one message however many briefings it stopped."""
    return os_error_line(OSError(exc.errno, exc.strerror or str(exc), str(out_dir)))


def stage(files: Mapping[Path, bytes | str]) -> Staged:
    """Write each file to a temporary name beside its place (fsynced); nothing published yet.
    On any error the temporary files written so far are removed and the error raised."""
    staged: Staged = []
    try:
        for path, data in files.items():
            path = Path(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            payload = data.encode("utf-8") if isinstance(data, str) else data
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
            staged.append((tmp, str(path)))
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
    except BaseException:
        discard(staged)
        raise
    return staged


def commit(staged: Iterable[tuple[str, str]]) -> None:
    """Rename every staged file over its published path (renames in one folder do not fail for
    space; if one does, the rest are discarded and the error raised)."""
    staged = list(staged)
    try:
        for tmp, path in staged:
            os.replace(tmp, path)
    except BaseException:
        discard(staged)
        raise


def discard(staged: Iterable[tuple[str, str]]) -> None:
    for tmp, _ in staged:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def publish(files: Mapping[Path, bytes | str]) -> None:
    """Stage then commit: the files replace the published ones together."""
    commit(stage(files))


_CONFLICT = re.compile(r"^(?:<{7}|>{7})(?: |$)|^={7}$", re.M)


def check_template(path: Path) -> None:
    """InputFileError (one line) for a template no briefing can run: not JSON, no cells, or a merge
    conflict left in it. Checked once, before any briefing, so that such a fault fails the build
    instead of every briefing (which would take their published files with them)."""
    try:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InputFileError(path, "not a notebook (not UTF-8 text)") from None
    except ValueError as exc:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        why = "a merge conflict is left in it" if _CONFLICT.search(text) else f"not valid JSON ({exc})"
        raise InputFileError(
            path, f"not a valid notebook: {why}; fix it (git status) and build again"
        ) from None
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list):
        raise InputFileError(path, "not a valid notebook: no list of cells")
    for n, cell in enumerate(cells):
        source = cell.get("source", "") if isinstance(cell, dict) else ""
        text = source if isinstance(source, str) else "".join(str(x) for x in source)
        if _CONFLICT.search(text):
            raise InputFileError(
                path, f"cell {n} holds a merge conflict (<<<<<<< … >>>>>>>): resolve it and build again"
            )
