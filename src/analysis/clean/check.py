"""`analysis ingest`: check publishers' workbooks anywhere on disk against what `make data` would keep.

It lives in the clean stage because it answers a clean-stage question (which rows would be kept or
rejected); the importers themselves (`analysis.ingest`) know nothing of the clean stage.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from analysis.clean.stage import check_workbooks
from analysis.errors import AnalysisError
from analysis.ingest.workbook import IngestResult, ingest_workbook, not_imported_frame
from analysis.writing import atomic_write, csv_safe


def print_not_imported(result: IngestResult) -> None:
    """The columns left out, as the ingest summary shows them: deliberate ones counted by reason,
    unexplained ones one per line (sheet, column, title), since those may be a lost figure."""
    reasons = Counter((n.reason, n.column == "") for n in result.not_imported if n.explained)
    for (reason, whole), n in sorted(reasons.items(), key=lambda kv: -kv[1]):
        print(f"    not imported: {n} {'sheet' if whole else 'column'}(s): {reason}", flush=True)
    for n in result.unexplained:
        title = f"{n.header!r}" if n.header else "(no title)"
        print(f"    NOT IMPORTED: {n.sheet}!{n.column} {title}: {n.reason}", flush=True)


def ingest_to_csv(paths: Sequence[Path | str], out_csv: Path | str | None = None) -> int:
    """`analysis ingest FILE... [--out OUT.csv]`: check workbooks anywhere on disk before adding them.

    Prints one line per workbook (and its warnings, and the columns its tables leave out); a file
    that cannot be read gives one error line naming it and the others are still imported. With
    `--out` it also writes what `make data` would make of them: OUT.csv has the clean table's
    columns, OUT.rejects.csv every value or leftover row that would be rejected, with the reason,
    and OUT.not_imported.csv each column left out; nothing is written when no workbook was read.
    Returns 0 if every file imported, 1 otherwise.
    """
    imported: list[tuple[Path, IngestResult]] = []
    failed = 0
    for n, raw in enumerate(paths, 1):
        path = Path(raw)
        prefix = f"[{n}/{len(paths)}] {path.name}"
        try:
            result = ingest_workbook(path)
        except AnalysisError as exc:
            print(f"{prefix}: error: {exc}", file=sys.stderr, flush=True)
            failed += 1
            continue
        counts = ", ".join(f"{y}: {p} provinces" for y, p in result.provinces.items())
        print(
            f"{prefix}: {result.publisher} {counts}; {len(result.rows)} values, "
            f"{len(result.rejects)} rejected rows, {len(result.warnings)} warnings",
            flush=True,
        )
        for w in result.warnings:
            print(f"    warning: {w}", flush=True)
        print_not_imported(result)
        imported.append((path, result))
    figures, rejects = check_workbooks(imported, max_year=datetime.now(UTC).year)
    if out_csv is None or not imported:
        why = "no workbook could be read" if not imported else "no --out given"
        print(f"{len(figures)} clean rows, {len(rejects)} rejected; {why}: no CSV written")
        return 1 if failed else 0
    out_csv = Path(out_csv)
    rejects_csv = out_csv.with_name(out_csv.stem + ".rejects.csv")
    left_out_csv = out_csv.with_name(out_csv.stem + ".not_imported.csv")
    left_out = not_imported_frame(r for _, r in imported)
    atomic_write(out_csv, figures.to_csv(index=False))
    atomic_write(rejects_csv, rejects.to_csv(index=False))
    atomic_write(left_out_csv, csv_safe(left_out).to_csv(index=False))
    print(
        f"wrote {len(figures)} clean rows from {len(imported)} workbook(s) to {out_csv}; "
        f"{len(rejects)} rejected to {rejects_csv.name}; {len(left_out)} column(s) not imported "
        f"({int((~left_out['explained'].astype(bool)).sum())} unexplained) to {left_out_csv.name}"
    )
    return 1 if failed else 0
