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
from datetime import UTC, date, datetime
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
    "scale",
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


# Columns of a decisions file that, when filled, correct what the extractor proposed (the analyst's
# review: "this 98,55 % is the benefit-by-account share", "51 tasks cover 2022-2025").
CORRECTABLE = ("indicator", "province", "year", "qualifier", "precision", "period", "note")


def apply_decisions(rows: list[dict[str, str]], decisions: list[dict[str, str]], path: Path) -> list[str]:
    """Set `accept` (and any filled CORRECTABLE cell) from a decisions file (source, start, end, accept);
    warns of unmatched decisions."""
    by_key = {_key(r, path, i + 2): r for i, r in enumerate(rows)}
    warnings = []
    for i, d in enumerate(decisions):
        key = _key(d, path, i + 2)
        if key in by_key:
            by_key[key]["accept"] = d["accept"]
            by_key[key].update({c: d[c] for c in CORRECTABLE if d.get(c, "").strip()})
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


def _scale(text: str) -> str:
    """The scale word of a candidate's text ("02 triệu" → "triệu"), "" when written in full digits."""
    from analysis import numbers

    try:
        return numbers.scale_word(numbers.scale_exponent(numbers.parse_figure(text).scale))
    except (AnalysisError, ValueError):
        return ""


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
        if row.get("note", "").strip():  # the analyst's word on the figure ("per year")
            note += f"; {row['note'].strip()}"
        base = {
            "province": row["province"],
            "year": row["year"],
            "value": row["value"],
            "unit": ind.unit,
            "source": _source_label(row["source"], candidates_path),
            "qualifier": row.get("qualifier") or "exact",
            "precision": row.get("precision", ""),
            "period": row.get("period", ""),
            "scale": _scale(row.get("text", "")),  # "3,1 triệu": the source's word, kept
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
                    "scale": "",
                    "note": note + " (X/Y: Y)",
                }
            )
    return AcceptResult(sheet, left_out)


def _sheet_rows(path: Path) -> tuple[list[str], list[dict[str, str]]] | None:
    """The header and rows of an existing sheet (None if there is none)."""
    if not path.is_file():
        return None
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = [{k: v or "" for k, v in row.items() if k is not None} for row in reader]
        return list(reader.fieldnames or SHEET_COLUMNS), rows


def _figure_key(row: dict[str, str]) -> tuple[str, str]:
    """One accepted figure: its place in its report (the note) and the indicator it was accepted as."""
    return row.get("note", ""), row.get("indicator", "")


def merge_sheet(
    old: list[dict[str, str]], new: list[dict[str, str]]
) -> tuple[list[dict[str, str]], int, int]:
    """The sheet's rows plus the figures not in it yet: (rows, added, kept as they were).

    A figure accepted again is one row; one accepted again with other values keeps the sheet's row
    (the analyst's earlier decision is not overwritten without --replace) and is counted."""
    have = {_figure_key(r): r for r in old}
    rows, added, differing = list(old), 0, 0
    for row in new:
        key = _figure_key(row)
        if key not in have:
            have[key] = row
            rows.append(row)
            added += 1
        elif any(have[key].get(c, "") != row.get(c, "") for c in SHEET_COLUMNS):
            differing += 1
    return rows, added, differing


def _backup(path: Path) -> Path:
    """Copy a sheet (and its sidecar) into <folder>/.backup/ (the clean stage does not read it)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    folder = path.parent / ".backup"
    target = folder / f"{path.stem}.{stamp}{path.suffix}"
    atomic_write(target, path.read_bytes())
    sidecar = path.with_name(path.stem + ".meta.json")
    if sidecar.is_file():
        atomic_write(folder / f"{path.stem}.{stamp}.meta.json", sidecar.read_bytes())
    return target


def _read_when(sources: list[str], reports_dir: Path) -> str:
    """When the texts were read: the latest `accessed` of their own sidecars (reports/<stem>.meta.json).
    The sheet's `accessed` feeds the data's cut-off, so it is the reading's date, not the day the
    analyst accepted the figures (that is `accepted`); today only when no text's sidecar says."""
    dates = []
    for name in sources:
        try:
            meta = json.loads((reports_dir / f"{Path(name).stem}.meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        dates.append(str(meta.get("accessed", "")))
    return max((d for d in dates if d[:4].isdigit()), default=date.today().isoformat())


def _meta(rows: list[dict[str, str]], reports_dir: Path) -> dict[str, str]:
    sources = sorted(
        {m.group(1) for r in rows if (m := re.match(r"extracted from (.+?) chars ", r.get("note", "")))}
    )
    return {
        "publisher": "provincial and government news portals (each row names its report)",
        "title": f"Figures extracted from report texts and accepted by an analyst ({', '.join(sources)})",
        "url": "each row's source column",
        "published": "per report",
        "accessed": _read_when(sources, reports_dir),
        "accepted": date.today().isoformat(),
        "quality": "Rule-based extraction (analysis.extract), each figure reviewed and accepted by hand.",
        # A province's own report is a single-province mention: the lowest rank in duplicate settling.
        "source_quality": "press",
        "locale": "intl",
    }


def accept_to_sheet(
    candidates_csv: Path, out_dir: Path, decisions: Path | None = None, *, replace: bool = False
) -> int:
    """`analysis accept`: add the accepted rows to data/raw/figures/extracted_<stem>.csv (+ provenance
    sidecar); print what was accepted but could not be written. Non-zero only on error.

    Analyst data is never lost by this command: the sheet only grows (a figure accepted twice is one
    row), no empty sheet is written, and `replace=True` (--replace), the only way to replace or empty
    an existing sheet, first copies it into <out_dir>/.backup/."""
    candidates_csv = Path(candidates_csv)
    # candidates written before the figure model have no precision/period: those read as empty
    rows = _read_rows(candidates_csv, [c for c in CANDIDATE_COLUMNS if c not in ("precision", "period")])
    warnings: list[str] = []
    if decisions is not None:
        decided = _read_rows(Path(decisions), ("source", "start", "end", "accept"))
        warnings = apply_decisions(rows, decided, Path(decisions))
    result = accept_rows(rows, candidates_csv)
    out_dir = Path(out_dir)
    out = out_dir / f"extracted_{candidates_csv.stem}.csv"
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    for reason in result.left_out:
        print(f"accepted but not written: {reason}", file=sys.stderr)
    existing = _sheet_rows(out)
    header, old = existing if existing else (list(SHEET_COLUMNS), [])
    if replace:
        merged, added, differing = result.sheet, len(result.sheet), 0
    else:
        merged, added, differing = merge_sheet(old, result.sheet)
    note = f"; {len(result.left_out)} accepted row(s) not written"
    if differing:
        print(
            f"{differing} figure(s) already in {out.name} with other values: the sheet's rows are kept "
            "(--replace writes the new ones instead, keeping a backup)",
            file=sys.stderr,
        )
    if not result.sheet and not (replace and existing is not None):
        kept = f"{out} unchanged ({len(old)} rows)" if existing is not None else "no sheet written"
        print(
            f"nothing accepted in {candidates_csv.name} (mark the accept column first): {kept}{note}",
            file=sys.stderr,
        )
        return 0
    if not merged:  # --replace with nothing accepted: the sheet goes (never an empty one), its backup stays
        backup = _backup(out)
        out.unlink()
        out.with_name(out.stem + ".meta.json").unlink(missing_ok=True)
        print(f"nothing accepted: {out} removed (--replace), backup in {backup}", file=sys.stderr)
        return 0
    if existing is not None and not replace and not added:
        print(f"0 new figure row(s): {out} unchanged ({len(old)} rows){note}", file=sys.stderr)
        return 0
    if existing is not None and replace:
        print(f"{out.name} replaced (--replace); the old sheet is in {_backup(out)}", file=sys.stderr)
        header = list(SHEET_COLUMNS)
    out_dir.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    columns = header + [c for c in SHEET_COLUMNS if c not in header]
    writer = csv.DictWriter(buf, columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(merged)
    atomic_write(out, buf.getvalue())  # a sheet `make data` reads is never seen half-written
    sidecar = json.dumps(_meta(merged, out_dir.parent / "reports"), ensure_ascii=False, indent=2) + "\n"
    atomic_write(out.with_name(out.stem + ".meta.json"), sidecar)
    print(f"{added} figure row(s) added -> {out} ({len(merged)} rows){note}", file=sys.stderr)
    return 0
