"""The clean stage: every raw row ends in the clean table or in the rejects, with its reason.

`run_clean(raw, out)` is the I/O edge (`make data`); the steps between are pure functions on
frames: parse each row's text (province for its year's regime, indicator, Vietnamese or
international number, unit), validate the lot with pandera (collecting every failure), then settle
duplicates (same province, year, indicator: equal values keep one, different values reject all,
each naming the others). The manifest records each input's sha256 and read = kept + rejected.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from analysis import indicators, numbers, provinces
from analysis.clean.sheets import find_sheets, read_provenance, read_sheet
from analysis.clean.validate import validate_figures
from analysis.config import CLEAN_COLUMNS
from analysis.errors import AnalysisError, InputFileError
from analysis.writing import atomic_write

if TYPE_CHECKING:
    from analysis.ingest.workbook import IngestResult

REJECT_COLUMNS = ["file", "row", "province", "year", "indicator", "value", "unit", "source", "reason"]
QUALIFIERS = {"exact", "over", "under", "approx"}
WORKBOOK_DIR = "official"  # data/raw/official/*.xls[x]: publishers' workbooks, imported by analysis.ingest


@dataclass
class Input:
    """One raw file: its text rows (or the error that made it unreadable) and its bookkeeping."""

    path: Path
    kind: str
    sha256: str
    rows: pd.DataFrame | None = None
    encoding: str = ""
    locale: str = ""
    provenance: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    pre_rejects: pd.DataFrame | None = None  # rows the reader refused before parsing (workbook leftovers)


@dataclass
class CleanResult:
    figures: pd.DataFrame
    rejects: pd.DataFrame
    manifest: dict

    @property
    def ok(self) -> bool:
        return bool(self.manifest["totals"]["balanced"])


# ---------------------------------------------------------------- reading (I/O)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _column_locale(values: pd.Series, stated: str | None, path: Path) -> str:
    """The number locale of a file's value column: stated in its sidecar, else inferred for the column."""
    if stated in ("vi", "intl"):
        return stated
    try:
        return numbers.infer_locale([v for v in values if v])
    except AnalysisError as exc:
        raise InputFileError(
            path,
            f"cannot tell how numbers are written in column 'value' ({exc}); "
            'state it in the sidecar: {"locale": "vi"} or {"locale": "intl"}',
        ) from None


def read_figure_sheet(path: Path) -> Input:
    item = Input(path=path, kind="figure sheet", sha256=_sha256(path))
    try:
        sheet = read_sheet(path)
        item.rows, item.encoding = sheet.rows, sheet.encoding
        item.provenance, item.warnings = sheet.provenance, sheet.warnings
        item.locale = _column_locale(sheet.rows["value"], sheet.provenance.get("locale"), path)
    except InputFileError as exc:
        item.error, item.rows = exc.reason, None
    return item


def workbook_input(path: Path, result: IngestResult) -> Input:
    """An imported workbook as clean-stage input: its values, and the leftovers the importer refused."""
    item = Input(path=path, kind="workbook", sha256=_sha256(path), locale="intl", encoding="xlsx")
    rows = result.rows.copy()
    rows["value"] = [repr(float(v)) for v in rows["value"]]
    rows["year"] = rows["year"].astype(str)
    rows["note"], rows["qualifier"] = "", ""
    cols = ["province", "year", "indicator", "value", "unit", "source", "note", "qualifier", "source_ref"]
    item.rows = rows[cols].astype(str)
    left = result.rejects
    item.pre_rejects = pd.DataFrame(
        {
            "file": path.name,
            "row": [
                f"{path.name}:{sh}!{r if str(r).startswith('row') else f'row {r}'}"
                for sh, r in zip(left["sheet"], left["row"], strict=True)
            ],
            "value": left["values"].astype(str),
            "reason": left["reason"],
        },
        columns=REJECT_COLUMNS,
    ).fillna("")
    item.provenance, item.warnings = read_provenance(path)
    item.warnings += list(result.warnings)
    return item


def read_workbook(path: Path) -> Input:
    """A publisher's workbook dropped into data/raw/official/, imported by its layout family."""
    from analysis.ingest.workbook import ingest_workbook

    try:
        return workbook_input(path, ingest_workbook(path))
    except InputFileError as exc:
        return Input(path=path, kind="workbook", sha256=_sha256(path), error=exc.reason)


def check_workbooks(
    results: list[tuple[Path, IngestResult]], max_year: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What `make data` would keep and reject from these imported workbooks (for `analysis ingest`)."""
    return clean_frames([workbook_input(path, result) for path, result in results], max_year)


def gather(raw_dir: Path) -> list[Input]:
    """Every raw input under raw_dir: figure sheets in figures/, workbooks in official/."""
    items = [read_figure_sheet(p) for p in find_sheets(raw_dir / "figures")]
    official = raw_dir / WORKBOOK_DIR
    if official.is_dir():
        items += [read_workbook(p) for p in sorted(official.glob("*.xls*"))]
    return items


# ---------------------------------------------------------------- parsing (pure)


def _decimals(text: str, locale: str) -> int:
    sep = "," if locale == "vi" else "."
    digits = text.strip().split(sep)
    return len(digits[-1].rstrip("% ")) if len(digits) == 2 and digits[-1][:1].isdigit() else 0


def parse_value(text: str, locale: str) -> tuple[float, str, int]:
    """(value, qualifier, decimals) of a value cell; raises NumberParseError naming the text."""
    try:
        return numbers.parse_number(text, locale), "exact", _decimals(text, locale)
    except AnalysisError:
        figure = numbers.parse_figure(text, locale)  # "trên 80%", "hơn 02 triệu": qualifier words allowed
        return figure.value, figure.qualifier, _decimals(text, locale)


def parse_row(row: dict, locale: str, max_year: int) -> dict:
    """One raw row → a parsed row; raises AnalysisError/ValueError with the reason to reject it."""
    year_text = row["year"].strip()
    try:
        year = int(float(year_text)) if year_text else None
    except ValueError:
        year = None
    if year is None or float(year_text) != year:
        raise ValueError(f"year {year_text!r} is not a whole year")
    if not 1990 <= year <= max_year:
        raise ValueError(f"year {year} is not plausible (1990–{max_year})")
    resolution = provinces.resolve(row["province"], year)
    if resolution.successor_of is not None:  # Hà Tây after 2008, Yên Bái from 2025 …
        raise ValueError(
            f"{row['province']!r} is not one of the {resolution.province.regime} provinces "
            f"of {year} ({resolution.note}): "
            "a figure for the former province cannot stand for its successor"
        )
    prov = resolution.province
    ind = indicators.lookup(row["indicator"])
    reading = indicators.check_unit(ind.key, row["unit"])
    if not row["value"].strip():
        raise ValueError("value is empty")
    value, qualifier, decimals = parse_value(row["value"], locale)
    value *= reading.factor
    if reading.factor != 1:
        decimals = max(0, decimals - round(math.log10(reading.factor)))
    stated = row.get("qualifier", "").strip().lower()
    if stated:
        if stated not in QUALIFIERS:
            raise ValueError(f"qualifier {stated!r} is not one of {sorted(QUALIFIERS)}")
        qualifier = stated
    if not row["source"].strip():
        raise ValueError("no source given: every figure needs the publication or URL it comes from")
    return {
        "province_code": prov.code,
        "province_name": prov.name,
        "regime": prov.regime,
        "year": year,
        "indicator": ind.key,
        "value": float(value),
        "unit": ind.unit,
        "qualifier": qualifier,
        "source": row["source"].strip(),
        "source_ref": row["source_ref"],
        "note": row.get("note", ""),
        "rank_of": reading.rank_of,
        "decimals": decimals,
    }


def _reject(row: dict, reason: str) -> dict:
    out = {c: row.get(c, "") for c in REJECT_COLUMNS if c not in ("file", "row", "reason")}
    return {"file": row["file"], "row": row["source_ref"], **out, "reason": reason}


def parse_rows(raw: pd.DataFrame, max_year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Parse every raw text row; rows that cannot be read go to the rejects with the reason."""
    kept, rejected = [], []
    for row in raw.to_dict("records"):
        try:
            parsed = parse_row(row, row["locale"], max_year)
        except (AnalysisError, ValueError) as exc:
            rejected.append(_reject(row, str(exc)))
            continue
        parsed["raw"] = row
        kept.append(parsed)
    return pd.DataFrame(kept), pd.DataFrame(rejected, columns=REJECT_COLUMNS)


# ---------------------------------------------------------------- duplicates (pure)


def _agree(a: float, b: float, decimals: int) -> bool:
    """Equal at the precision of the less precise of the two sources."""
    return abs(a - b) <= 0.5 * 10.0 ** (-decimals) + 1e-9 * max(abs(a), abs(b), 1.0)


def duplicate_rejections(df: pd.DataFrame) -> dict[int, str]:
    """Same (province, regime, year, indicator) twice: keep one if the values agree, else reject all.

    Values agree when equal at the precision of the less precise source (a workbook's 65.8153 and
    a web table's 65.82 are one figure). Returns {row index: reason} for every row to reject.
    """
    keys = ["province_code", "regime", "year", "indicator"]
    rejected: dict[int, str] = {}
    for _, group in df[df.duplicated(keys, keep=False)].groupby(keys, sort=False):
        decimals = int(group["decimals"].min())
        values = group["value"].tolist()
        if all(_agree(values[0], v, decimals) for v in values[1:]):
            best = group["decimals"].idxmax()  # keep the most precise row
            for idx in group.index.drop(best):
                rejected[idx] = f"duplicate of {group.at[best, 'source_ref']} (same value)"
            continue
        for idx in group.index:
            others = "; ".join(
                f"{group.at[o, 'source_ref']} = {group.at[o, 'value']:g}" for o in group.index.drop(idx)
            )
            rejected[idx] = f"conflicts with {others}: same province, year and indicator, different value"
    return rejected


# ---------------------------------------------------------------- the stage


def clean_frames(items: list[Input], max_year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All readable inputs → (clean figures, rejects). Pure: no file is read or written here."""
    frames = [
        item.rows.assign(file=item.path.name, locale=item.locale) for item in items if item.rows is not None
    ]
    refused = [item.pre_rejects for item in items if item.pre_rejects is not None and len(item.pre_rejects)]
    raw = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["locale"])
    parsed, rejects = parse_rows(raw, max_year)
    rejects = pd.concat([*refused, rejects], ignore_index=True) if refused else rejects
    if parsed.empty:
        return pd.DataFrame(columns=CLEAN_COLUMNS), rejects
    failures = validate_figures(parsed)
    parsed_ok = parsed.drop(index=list(failures))
    failures.update(duplicate_rejections(parsed_ok))
    more = pd.DataFrame(
        [_reject(parsed.at[i, "raw"], r) for i, r in failures.items()], columns=REJECT_COLUMNS
    )
    figures = parsed.drop(index=list(failures))[CLEAN_COLUMNS]
    figures = figures.sort_values(["regime", "year", "province_code", "indicator"], ignore_index=True)
    figures["year"] = figures["year"].astype("int64")
    return figures, pd.concat([rejects, more], ignore_index=True)


def build_manifest(items: list[Input], figures: pd.DataFrame, rejects: pd.DataFrame) -> dict:
    """Per input: sha256, encoding, provenance and read/kept/rejected; totals that must balance."""
    kept = figures["source_ref"].str.split(":").str[0].value_counts() if len(figures) else {}
    rej = rejects["file"].value_counts() if len(rejects) else {}
    files = []
    for item in items:
        name = item.path.name
        read = (0 if item.rows is None else len(item.rows)) + (
            0 if item.pre_rejects is None else len(item.pre_rejects)
        )
        entry = {
            "file": str(item.path),
            "kind": item.kind,
            "sha256": item.sha256,
            "encoding": item.encoding,
            "number_locale": item.locale,
            "read": read,
            "kept": int(kept.get(name, 0)),
            "rejected": int(rej.get(name, 0)),
            "provenance": item.provenance,
            "warnings": item.warnings,
        }
        if item.error:
            entry["error"] = item.error
        files.append(entry)
    totals = {k: sum(f[k] for f in files) for k in ("read", "kept", "rejected")}
    totals["balanced"] = totals["read"] == totals["kept"] + totals["rejected"] and all(
        f["read"] == f["kept"] + f["rejected"] for f in files
    )
    totals["unreadable_files"] = sum(1 for f in files if "error" in f)
    return {"built_at": datetime.now(UTC).isoformat(timespec="seconds"), "inputs": files, "totals": totals}


def _summary(manifest: dict, rejects: pd.DataFrame, out_dir: Path) -> str:
    lines = [f"{'input':40} {'read':>6} {'kept':>6} {'rejected':>8}"]
    for f in manifest["inputs"]:
        name = Path(f["file"]).name
        if "error" in f:
            lines.append(f"{name:40} UNREADABLE: {f['error']}")
            continue
        lines.append(f"{name:40} {f['read']:>6} {f['kept']:>6} {f['rejected']:>8}")
    t = manifest["totals"]
    lines.append(f"{'total':40} {t['read']:>6} {t['kept']:>6} {t['rejected']:>8}")
    if len(rejects):
        reasons = (
            rejects["reason"]
            .str.replace(r"[\w.-]+:(?:row \d+|[^!\s]+![A-Z]+\d+)", "<file:row>", regex=True)
            .str.replace(r"'[^']*'|\"[^\"]*\"", "'…'", regex=True)
            .str.replace(r"(?<![\w.])-?\d+(?:[.,]\d+)?(?![\w.])", "N", regex=True)
        )
        lines.append("most frequent reasons for rejects:")
        lines += [f"  {n:>5}  {r[:100]}" for r, n in reasons.value_counts().head(5).items()]
    for f in manifest["inputs"]:
        lines += [f"warning: {w}" for w in f["warnings"]]
    if not t["balanced"]:
        lines.append("ERROR: rows read != kept + rejected; see manifest.json")
    lines.append(f"wrote {out_dir}/figures.parquet, figures.csv, rejects.csv, manifest.json")
    return "\n".join(lines)


def run_clean(
    raw_dir: Path, out_dir: Path, *, max_year: int | None = None, quiet: bool = False
) -> CleanResult:
    """`make data`: read data/raw, write the clean table, the rejects and the manifest atomically."""
    max_year = max_year or datetime.now(UTC).year
    items = gather(Path(raw_dir))
    figures, rejects = clean_frames(items, max_year)
    manifest = build_manifest(items, figures, rejects)  # unreadable files: their entry's "error"
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    parquet = figures.to_parquet(index=False)
    manifest["data_version"] = hashlib.sha256(parquet).hexdigest()[:12]  # the briefings' index shows it
    atomic_write(out_dir / "figures.parquet", parquet)
    atomic_write(out_dir / "figures.csv", figures.to_csv(index=False))
    atomic_write(out_dir / "rejects.csv", rejects.to_csv(index=False).encode("utf-8"))
    atomic_write(out_dir / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    if not quiet:
        print(_summary(manifest, rejects, out_dir), file=sys.stderr)
    return CleanResult(figures, rejects, manifest)
