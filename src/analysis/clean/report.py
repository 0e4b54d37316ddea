"""The clean stage's accounts: manifest.json (per input: sha256, read = kept + rejected, what was not
imported, what could not be read) and the summary printed to the analyst."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

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


def _reason_kinds(rejects: pd.DataFrame) -> pd.Series:
    return (
        rejects["reason"]
        .astype(str)
        .str.replace(r"[\w.-]+:(?:row \d+|[^!\s]+!(?:row )?[A-Z]*\d+)", "<file:row>", regex=True)
        .str.replace(r"'[^']*'|\"[^\"]*\"", "'…'", regex=True)
        .str.replace(r"(?<![\w.])-?\d+(?:[.,]\d+)*(?![\w.])", "N", regex=True)
    )


def summary(manifest: dict, rejects: pd.DataFrame, out_dir: Path) -> str:
    """The lines `make data` prints: per input read/kept/rejected, frequent reasons, what was lost."""
    lines = [f"{'input':40} {'read':>6} {'kept':>6} {'rejected':>8}"]
    for f in manifest["inputs"]:
        name = Path(f["file"]).name
        lines.append(f"{name:40} {f['read']:>6} {f['kept']:>6} {f['rejected']:>8}")
        if "error" in f:
            lines.append(f"  UNREADABLE: {f['error']}")
    t = manifest["totals"]
    lines.append(f"{'total':40} {t['read']:>6} {t['kept']:>6} {t['rejected']:>8}")
    if len(rejects):
        lines.append("most frequent reasons for rejects:")
        lines += [f"  {n:>5}  {r[:100]}" for r, n in _reason_kinds(rejects).value_counts().head(5).items()]
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
