"""Turn the publishers' PCI and PAPI workbooks into figure sheets that ship with the repo.

The workbooks themselves may not be committed (../shared/data/official/README.md), so this script
imports every one present with analysis.ingest.workbook and writes, per publisher,
data/raw/figures/official_<pci|papi>.csv (province, year, indicator, value, unit, source, note) and a
provenance sidecar official_<pci|papi>.meta.json naming each input file and its SHA-256.
Where two workbooks give the same figure (PAPI 2017 in English and Vietnamese) one row is kept and
its note names every file that agrees; figures that disagree are all kept for the clean stage.

Usage: .venv/bin/python scripts/make_official_sheets.py [--official DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from analysis import config
from analysis.errors import AnalysisError
from analysis.ingest.workbook import SOURCES, IngestResult, ingest_workbook, merge_results

ACCESSED = "2026-11-23"
ORIGIN = "https://github.com/mdtrinh/vietnamdata/tree/master/data-raw"
SITES = {"PCI": "https://pcivietnam.vn", "PAPI": "https://papi.org.vn"}
QUALITY = {
    "PCI": (
        "The publisher's own workbooks as they circulate (collected in mdtrinh/vietnamdata, data-raw/), "
        "read cell by cell at full precision by analysis.ingest; every row's note names its cell. PCI "
        "2005 covers 42 provinces and 2006-2008 include Hà Tây (64). Sub-indices were renamed over the "
        "years and are mapped by concept (src/analysis/data/subindex_names.csv): 'Chính sách phát triển "
        "khu vực KTTN' (2005-2008) is business support, 'Law & order' (2017-) is legal institutions; SOE "
        "bias (2005-2008), implementation of central policies (2005), the unweighted PCI and the tier "
        "column are not imported. PCI 2006 and 2008 publish no rank column. PCI_2015.xlsx carries a copy "
        "of the 2013 English summary: that sheet is skipped. Summary rows (Min/Median/Max) and stray "
        "copies of a province's row under the tables are rejected."
    ),
    "PAPI": (
        "The publisher's own workbooks as they circulate (collected in mdtrinh/vietnamdata, data-raw/), "
        "read cell by cell at full precision by analysis.ingest; every row's note names its cell. The "
        "aggregate 'papi' is PAPI's unweighted sum of dimensions (six to 2017, eight from 2018); the 2017"
        " workbooks give dimensions and sub-dimensions only. PAPI_2011-2016.xlsx heads every sheet's "
        "aggregate 'Un-weighted2015PAPI': the sheet name gives the year and the figures differ per sheet."
        " 2014: no scores for Bắc Giang and Đồng Tháp (the workbook's aggregate 0 is rejected as no "
        "data). 2018: transparency, control of corruption and the aggregate are 'KCDL' (no data) for "
        "Quảng Ninh and Đồng Tháp."
    ),
}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _value_text(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def write_sheet(publisher: str, results: list[IngestResult], out_dir: Path) -> Path:
    """Write official_<publisher>.csv and its .meta.json; returns the CSV path."""
    merged = merge_results(results)
    merged["value"] = [_value_text(v) for v in merged["value"]]
    merged["year"] = merged["year"].astype(int)
    stem = f"official_{publisher.lower()}"
    csv_path = out_dir / f"{stem}.csv"
    merged.to_csv(csv_path, index=False, encoding="utf-8")
    org, title = SOURCES[publisher]
    years = sorted({y for r in results for y in r.years})
    meta = {
        "publisher": org,
        "title": f"{title}, provincial scores {years[0]}-{years[-1]} (publisher's workbooks)",
        "url": ORIGIN,
        "publisher_site": SITES[publisher],
        "published": f"one edition per year, {years[0]}-{years[-1]} (each workbook names its edition)",
        "accessed": ACCESSED,
        "quality": QUALITY[publisher],
        "source_quality": "publisher",  # the clean stage's precedence: publisher > secondary_complete > press
        "locale": "intl",
        "inputs": [
            {
                "file": r.path.name,
                "sha256": _sha256(r.path),
                "rows": len(r.rows),
                "years": r.years,
                "provinces": {str(y): n for y, n in r.provinces.items()},
                "rejected_rows": len(r.rejects),
                "warnings": r.warnings,
            }
            for r in results
        ],
        "rows_written": len(merged),
    }
    meta_path = out_dir / f"{stem}.meta.json"
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return csv_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--official", default=str(config.OFFICIAL_DIR), help="folder of the workbooks")
    parser.add_argument("--out", default=str(config.FIGURES_DIR), help="folder for the figure sheets")
    args = parser.parse_args(argv)
    official, out_dir = Path(args.official), Path(args.out)
    paths = sorted(official.glob("*.xls*"))
    if not paths:
        print(f"no workbooks in {official}", file=sys.stderr)
        return 1
    by_publisher: dict[str, list[IngestResult]] = {}
    failed = 0
    for path in paths:
        try:
            result = ingest_workbook(path)
        except AnalysisError as exc:
            print(f"{path.name}: error: {exc}", file=sys.stderr)
            failed += 1
            continue
        print(f"{path.name}: {result.publisher} {result.years}: {len(result.rows)} values")
        by_publisher.setdefault(result.publisher, []).append(result)
    out_dir.mkdir(parents=True, exist_ok=True)
    for publisher, results in sorted(by_publisher.items()):
        csv_path = write_sheet(publisher, results, out_dir)
        print(f"wrote {csv_path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
