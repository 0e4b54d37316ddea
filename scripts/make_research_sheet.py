"""Write data/raw/figures/research.csv from the team's research sheet (shared/research/figures.csv).

Run once when the research sheet changes: `.venv/bin/python scripts/make_research_sheet.py`.
Rows are copied as the sources wrote them (province spelling, indicator key, unit text) so the
clean stage does the mapping and the validation; only rows that are not province figures at all
are left out here, each kind counted with its reason in the sidecar research.meta.json.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT.parent / "shared" / "research" / "figures.csv"
OUT = ROOT / "data" / "raw" / "figures" / "research.csv"

# (pattern on the indicator or province, why the row is not a province figure)
LEAVE_OUT = [
    (
        "indicator",
        r"_(top\d+|bottom\d+)$",
        "a membership flag (1 = in a top/bottom list), not a measured value",
    ),
    ("indicator", r"^region$", "a text value (the GSO region); regions come from the province registry"),
    (
        "indicator",
        r"(_mean|_national|_min_province|_change|_group_a_count)$",
        "a national or regional aggregate",
    ),
    ("indicator", r"^population_rank$", "a rank of population, not an indicator of the catalogue"),
    (
        "indicator",
        r"^dti_34",
        "DTI 2024 recomputed for the 34 post-merger provinces: no assessment year of its own",
    ),
    ("province", r"^(cả nước|region:)", "a national or regional row, not a province"),
]
SUFFIX = re.compile(r"\s*\((pre-merger)\)\s*$", re.IGNORECASE)


def leave_out_reason(row: dict[str, str]) -> str | None:
    for column, pattern, why in LEAVE_OUT:
        if re.search(pattern, row[column].strip().casefold()):
            return why
    return None


def main() -> int:
    if not SRC.exists():
        print(f"error: {SRC} not found (the shared folder must sit beside the repo)", file=sys.stderr)
        return 2
    with SRC.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    kept, left_out = [], Counter()
    for row in rows:
        why = leave_out_reason(row)
        if why:
            left_out[why] += 1
            continue
        kept.append(
            {
                "province": SUFFIX.sub("", row["province"]),  # "(pre-merger)" only restates the year's regime
                "year": row["year"],
                "indicator": row["indicator"],
                "value": row["value"],
                "unit": row["unit"],
                "source": row["source_url"],
                "note": row["note"],
            }
        )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(kept[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)
    meta = {
        "publisher": "various (each row names its source URL)",
        "title": "Province figures gathered by the cchc-briefings research pass (PCI, PAPI, PAR Index, "
        "SIPAS, DTI, Decision 766 index, population)",
        "url": "each row's source column",
        "published": "2017–2025 (per source)",
        "accessed": "2026-11",
        "quality": "Copied from public web tables, press and infographics. Some ranks are inferred from "
        "listing order (see note). Two conflicting pairs are kept on purpose (Quảng Ninh PAPI 2020, "
        "Hải Phòng PAR Index 2023): the clean stage rejects both sides of each.",
        "locale": "intl",
        "rows_in_research_sheet": len(rows),
        "rows_written": len(kept),
        "left_out": dict(left_out),
    }
    OUT.with_name("research.meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n")
    print(
        f"wrote {OUT.relative_to(ROOT)}: {len(kept)} rows; "
        f"left out {sum(left_out.values())}: {dict(left_out)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
