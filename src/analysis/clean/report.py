"""The clean stage's accounts: manifest.json (per input: sha256, read = kept + rejected, what was not
imported, what could not be read), whether data/clean is up to date, and the summary printed to the
analyst (short: reasons grouped by what tells them apart, new rejects in full)."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from analysis import config

if TYPE_CHECKING:
    from analysis.clean.stage import Input


def build_manifest(items: list[Input], figures: pd.DataFrame, rejects: pd.DataFrame) -> dict:
    """Per input: sha256, encoding, provenance and read/kept/rejected; totals that must balance.

    A run is never `balanced` when a file, or a sheet of one, could not be read: its rows were
    never counted, so read = kept + rejected would hide them.
    """
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
            "source_quality": item.quality,
            "read": read,
            "kept": int(kept.get(name, 0)),
            "rejected": int(rej.get(name, 0)),
            "provenance": item.provenance,
            "warnings": item.warnings,
            "not_imported": item.not_imported,
        }
        if item.errors:
            entry["error"] = "; ".join(item.errors)
        files.append(entry)
    totals = {k: sum(f[k] for f in files) for k in ("read", "kept", "rejected")}
    counted = totals["read"] == totals["kept"] + totals["rejected"] and all(
        f["read"] == f["kept"] + f["rejected"] for f in files
    )
    totals["unreadable_files"] = sum(1 for f in files if "error" in f)
    totals["balanced"] = counted and totals["unreadable_files"] == 0
    not_imported = [{"file": Path(f["file"]).name, **n} for f in files for n in f["not_imported"]]
    return {
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "inputs": files,
        "not_imported": not_imported,
        "totals": totals,
    }


# What the clean stage's result depends on besides data/raw: the code and data files of these parts
# of the package (not the briefings, builds or templates, whose edits do not change the clean table).
_CLEAN_CODE = ("clean", "ingest", "data")
OUTPUTS = ("figures.parquet", "figures.csv", "rejects.csv", "manifest.json")
NEW_SHOWN = 30  # new rejects printed in full; the rest are counted (rejects.csv has them all)


def _digest(paths: list[Path], root: Path) -> str:
    h = hashlib.sha256()
    for path in paths:
        h.update(
            path.relative_to(root).as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest()
        )
    return h.hexdigest()


def fingerprint(raw_dir: Path, package: Path = config.PACKAGE_DIR) -> dict[str, str]:
    """Hashes of everything a clean reads: every file under raw_dir (sheets, workbooks, sidecars) and
    the clean-stage code; equal fingerprints give an equal clean table."""
    raw_dir = Path(raw_dir)
    raw = sorted(p for p in raw_dir.rglob("*") if p.is_file() and not p.name.startswith((".", "~$")))
    code = sorted(
        p
        for p in package.rglob("*")
        if p.is_file()
        and p.suffix in {".py", ".csv", ".json"}
        and "__pycache__" not in p.parts
        and (p.parent == package or p.relative_to(package).parts[0] in _CLEAN_CODE)
    )
    return {"raw": _digest(raw, raw_dir), "code": _digest(code, package)}


def up_to_date(raw_dir: Path, out_dir: Path) -> dict | None:
    """The last manifest when data/clean was made from exactly these inputs and code and is complete
    (every output present, every input read); None when a clean is needed."""
    out_dir = Path(out_dir)
    try:
        manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not all((out_dir / name).is_file() for name in OUTPUTS):
        return None
    if not manifest.get("totals", {}).get("balanced") or manifest.get("fingerprint") != fingerprint(raw_dir):
        return None
    return manifest


def previous_rejects(out_dir: Path) -> pd.DataFrame | None:
    """The rejects of the last clean (read before they are overwritten), to tell which are new."""
    try:
        return pd.read_csv(Path(out_dir) / "rejects.csv", dtype=str, keep_default_na=False)
    except (OSError, ValueError):
        return None


_ROW_REF = re.compile(r"([\w.-]+\.\w+):(?:row \d+|[^!\s]+!(?:row )?[A-Z]*\d+)")
_AT_VALUE = re.compile(r" = -?\d[\d.,]*")


def reason_kind(reason: str) -> str:
    """A reject's reason without what is particular to its row (the row it points at, that row's
    value), so that rows rejected for the same reason group together and the reason still reads."""
    return _AT_VALUE.sub("", _ROW_REF.sub(r"\1", str(reason)))


def _new(rejects: pd.DataFrame, before: pd.DataFrame | None) -> pd.DataFrame:
    if before is None or rejects.empty:
        return rejects.iloc[0:0]
    key = ["file", "row", "column", "reason"]
    seen = set(map(tuple, before.reindex(columns=key).fillna("").astype(str).to_numpy()))
    mine = rejects.reindex(columns=key).fillna("").astype(str)
    return rejects[[tuple(r) not in seen for r in mine.to_numpy()]]


def reject_lines(rejects: pd.DataFrame, limit: int = NEW_SHOWN) -> list[str]:
    """Rejects in full, one line each: where (file, row, column), the value as written, why."""
    lines = []
    for r in rejects.head(limit).itertuples(index=False):
        where = str(r.row or r.file) + (f", column {r.column}" if r.column else "")
        shown = getattr(r, str(r.column), r.value) if str(r.column) in rejects.columns else r.value
        value = f" {str(shown)!r}" if str(shown) else ""
        lines.append(f"  {where}{value}: {r.reason}")
    if len(rejects) > limit:
        lines.append(f"  … and {len(rejects) - limit} more (all in rejects.csv)")
    return lines


def _reasons(rejects: pd.DataFrame, top: int = 8) -> list[str]:
    """Rejects other than duplicates, counted by file and reason kind."""
    if rejects.empty:
        return []
    kinds = rejects.assign(kind=rejects["reason"].map(reason_kind)).groupby(["file", "kind"]).size()
    kinds = kinds.sort_values(ascending=False)
    lines = ["rejected, by reason:"]
    lines += [f"  {n:>5}  {file}: {kind[:240]}" for (file, kind), n in kinds.head(top).items()]
    if len(kinds) > top:
        lines.append(
            f"  ({len(kinds) - top} more kinds of reason, {int(kinds.iloc[top:].sum())} rows: rejects.csv)"
        )
    return lines


def summary(manifest: dict, rejects: pd.DataFrame, out_dir: Path, before: pd.DataFrame | None = None) -> str:
    """The lines `make data` prints: per input read/kept/rejected, reasons, new rejects, what was lost.

    `before` is the last clean's rejects: rows rejected now and not then are printed in full (an
    analyst's edit shows its own rejects); without it (a first clean) only the counts are shown.
    """
    lines = [f"{'input':40} {'read':>6} {'kept':>6} {'rejected':>8}"]
    for f in manifest["inputs"]:
        name = Path(f["file"]).name
        lines.append(f"{name:40} {f['read']:>6} {f['kept']:>6} {f['rejected']:>8}")
        if "error" in f:
            lines.append(f"  UNREADABLE: {f['error']}")
    t = manifest["totals"]
    lines.append(f"{'total':40} {t['read']:>6} {t['kept']:>6} {t['rejected']:>8}")
    if len(rejects):
        dup = rejects["reason"].astype(str).str.startswith("duplicate of ")
        if dup.any():
            lines.append(
                f"expected: {int(dup.sum())} duplicates, the same figure (same province, year, indicator "
                "and value) in more than one sheet; one copy is kept, from the best source, and each "
                "other copy is a reject naming the row kept"
            )
        lines += _reasons(rejects[~dup])
        new = _new(rejects, before)
        if len(new):
            lines.append(f"new since the last clean: {len(new)} rejected row(s)")
            lines += reject_lines(new)
    explained: dict[str, int] = {}
    for n in manifest["not_imported"]:
        if n.get("explained") is True:  # a column the importer knows to leave out (a tier, a duplicate)
            explained[n["file"]] = explained.get(n["file"], 0) + 1
            continue
        where = f"{n['file']}" + (f":{n['sheet']}" if n.get("sheet") else "")
        what = f"column {n.get('column', '')} {str(n.get('header', ''))!r}"
        lines.append(f"not imported: {where} {what}: {n.get('reason', '')}")
    lines += [
        f"not imported: {name}: {k} column(s) left out on purpose (reasons in manifest.json)"
        for name, k in explained.items()
    ]
    for f in manifest["inputs"]:
        lines += [f"warning: {w}" for w in f["warnings"]]
    if t["unreadable_files"]:
        lines.append(f"ERROR: {t['unreadable_files']} input file(s) could not be read (or only in part)")
    elif not t["balanced"]:
        lines.append("ERROR: rows read != kept + rejected; see manifest.json")
    lines.append(f"wrote {out_dir}/figures.parquet, figures.csv, rejects.csv, manifest.json")
    return "\n".join(lines)
