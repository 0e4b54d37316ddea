"""Review → figure sheet: `analysis accept` turns the candidates an analyst marked into
data/raw/figures/extracted_<stem>.csv with a provenance sidecar, and lists what it could not write."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from analysis import config
from analysis.errors import AnalysisError, InputFileError
from analysis.extract.figures import CANDIDATE_COLUMNS, read_text
from analysis.extract.rules import cues
from analysis.writing import FORMULA_LEADS, atomic_write

SHEET_COLUMNS = (
    "province",
    "year",
    "indicator",
    "value",
    "unit",
    "source",
    "note",
    "qualifier",
    "precision",
    "period",
)
ACCEPT_WORDS = frozenset({"yes", "y", "x", "1", "true", "có", "co", "ok"})
_SOURCE_LINE = re.compile(r"^\s*(?:Nguồn tin|Nguồn)\s*:\s*(?P<src>\S.*?)\s*$", re.M | re.I)


def _read_rows(path: Path, required: Sequence[str]) -> list[dict[str, str]]:
    from analysis.clean.sheets import decode

    path = Path(path)
    try:
        text, _ = decode(path.read_bytes(), path)
    except OSError as exc:
        raise InputFileError(path, f"cannot read: {exc.strerror}") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in required if c not in header]
    if missing:
        raise InputFileError(path, f"missing column(s) {', '.join(missing)}")
    return [{(k or "").strip(): _as_extracted(v or "").strip() for k, v in row.items()} for row in reader]


def _as_extracted(value: str) -> str:
    """The text as extracted: candidates.csv writes formula-looking text with a leading apostrophe."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_LEADS) else value


def is_accepted(mark: str) -> bool:
    return unicodedata.normalize("NFC", mark).strip().casefold() in ACCEPT_WORDS


def _key(row: dict[str, str], path: Path, n: int) -> tuple[str, int, int]:
    try:
        return row["source"], int(row["start"]), int(row["end"])
    except ValueError:
        raise InputFileError(
            path, f"row {n}: start/end {row['start']!r}/{row['end']!r} are not offsets"
        ) from None


def apply_decisions(rows: list[dict[str, str]], decisions: list[dict[str, str]], path: Path) -> list[str]:
    """Set `accept` from a decisions file (source, start, end, accept); warns of unmatched decisions."""
    by_key = {_key(r, path, i + 2): r for i, r in enumerate(rows)}
    warnings = []
    for i, d in enumerate(decisions):
        key = _key(d, path, i + 2)
        if key in by_key:
            by_key[key]["accept"] = d["accept"]
        else:
            warnings.append(f"decision for {key[0]} chars {key[1]}-{key[2]} matches no candidate")
    return warnings


def _source_label(source: str, candidates_path: Path) -> str:
    """The report's file name, plus the source line the text itself states ("Nguồn tin: ...")."""
    for folder in (candidates_path.parent, config.CORPUS_DIR, Path.cwd()):
        path = folder / source
        if path.is_file():
            try:
                m = _SOURCE_LINE.search(read_text(path))
            except InputFileError:
                break
            return f"{source} ({m.group('src')})" if m else source
    return source


@dataclass(frozen=True)
class AcceptResult:
    sheet: list[dict[str, str]]
    left_out: list[str]  # accepted rows not written, each with its reason


def accept_rows(rows: list[dict[str, str]], candidates_path: Path) -> AcceptResult:
    """Accepted candidates → figure-sheet rows; accepted rows lacking province/year/indicator, or whose
    unit is not the indicator's, are listed with the reason instead."""
    from analysis import indicators

    allowed = {c.indicator: c.units for c in cues()}
    sheet, left_out = [], []
    for row in rows:
        if not is_accepted(row.get("accept", "")):
            continue
        where = f"{row['source']} chars {row['start']}-{row['end']} ({row['text']!r})"
        missing = [c for c in ("province", "year", "indicator") if not row.get(c)]
        if missing:
            left_out.append(f"{where}: no {', '.join(missing)}")
            continue
        try:
            ind = indicators.get(row["indicator"])
        except AnalysisError as exc:
            left_out.append(f"{where}: {exc}")
            continue
        if row["unit"] != ind.unit and row["unit"] not in allowed.get(ind.key, ()):
            left_out.append(f"{where}: unit {row['unit']!r} does not fit {ind.key} ({ind.unit})")
            continue
        note = f"extracted from {row['source']} chars {row['start']}-{row['end']}"
        base = {
            "province": row["province"],
            "year": row["year"],
            "value": row["value"],
            "unit": ind.unit,
            "source": _source_label(row["source"], candidates_path),
            "qualifier": row.get("qualifier") or "exact",
            "precision": row.get("precision", ""),
            "period": row.get("period", ""),
        }
        sheet.append({**base, "indicator": ind.key, "note": note})
        total = ind.key.removesuffix("_done") + "_total"
        if ind.key.endswith("_done") and row.get("denominator") and total in indicators.catalogue():
            sheet.append(
                {
                    **base,
                    "indicator": total,
                    "value": row["denominator"],
                    "qualifier": "exact",
                    "precision": "0",
                    "note": note + " (X/Y: Y)",
                }
            )
    return AcceptResult(sheet, left_out)


def accept_to_sheet(candidates_csv: Path, out_dir: Path, decisions: Path | None = None) -> int:
    """`analysis accept`: write data/raw/figures/extracted_<stem>.csv (+ provenance sidecar) from the
    accepted rows; print what was accepted but could not be written. Non-zero only on error."""
    candidates_csv = Path(candidates_csv)
    # candidates written before the figure model have no precision/period: those read as empty
    rows = _read_rows(candidates_csv, [c for c in CANDIDATE_COLUMNS if c not in ("precision", "period")])
    warnings: list[str] = []
    if decisions is not None:
        decided = _read_rows(Path(decisions), ("source", "start", "end", "accept"))
        warnings = apply_decisions(rows, decided, Path(decisions))
    result = accept_rows(rows, candidates_csv)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"extracted_{candidates_csv.stem}.csv"
    buf = io.StringIO()
    writer = csv.DictWriter(buf, SHEET_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(result.sheet)
    atomic_write(out, buf.getvalue())  # a sheet `make data` reads is never seen half-written
    sources = sorted({r["source"] for r in rows if is_accepted(r.get("accept", ""))})
    meta = {
        "publisher": "provincial and government news portals (each row names its report)",
        "title": f"Figures extracted from report texts and accepted by an analyst ({', '.join(sources)})",
        "url": "each row's source column",
        "published": "per report",
        "accessed": date.today().isoformat(),
        "quality": "Rule-based extraction (analysis.extract), each figure reviewed and accepted by hand.",
        # A province's own report is a single-province mention: the lowest rank in duplicate settling.
        "source_quality": "press",
        "locale": "intl",
    }
    atomic_write(
        out.with_name(out.stem + ".meta.json"), json.dumps(meta, ensure_ascii=False, indent=2) + "\n"
    )
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    for reason in result.left_out:
        print(f"accepted but not written: {reason}", file=sys.stderr)
    print(
        f"{len(result.sheet)} figure row(s) -> {out}; {len(result.left_out)} accepted row(s) not written",
        file=sys.stderr,
    )
    return 0
