"""Figure sheets as analysts write them, for the clean-stage tests: Excel CSV, sidecar, raw folder."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

COLUMNS = ["province", "year", "indicator", "value", "unit", "source", "note"]


def excel_csv(path: Path, rows: list[list[object]], header: list[str] = COLUMNS, *, above=()) -> Path:
    """Write rows as Excel's "CSV UTF-8 (Comma delimited)" does: BOM, CRLF, minimal quoting."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for line in above:
        writer.writerow(line)
    writer.writerow(header)
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))
    return path


def sidecar(path: Path, **fields: object) -> None:
    meta = {
        "publisher": "Sở Nội vụ",
        "title": "Báo cáo",
        "url": "https://example.org/r",
        "published": "2025-01-01",
        "accessed": "2026-11-30",
        "quality": "test sheet",
        **fields,
    }
    path.with_name(path.stem + ".meta.json").write_text(json.dumps(meta), encoding="utf-8")


def figures_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "raw" / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def load_script(name: str):
    """A script of scripts/ loaded as a module (scripts are not a package), for its tests."""
    import importlib.util

    from analysis import config

    spec = importlib.util.spec_from_file_location(name, config.ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
