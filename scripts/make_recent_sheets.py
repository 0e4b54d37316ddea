"""Write data/raw/figures/recent_*.csv from the research sheet of recent years
(shared/research/figures_2021_2025.csv).

Run when that sheet changes: `.venv/bin/python scripts/make_recent_sheets.py`. Deterministic.
Every row is copied as its source wrote it (province spelling, indicator key, unit text, the value's
digits, the qualifier), with the source's title and date in the note; the clean stage maps,
validates and settles them. No row is left out here: a row that repeats a figure already held, or
disagrees with one, is rejected by the clean stage with the reason (rejects.csv), so every row of
the research sheet is kept or rejected with a reason (tests/unit/test_recent_sheets.py checks it).

The rows are split by source quality, because the clean stage settles disagreeing figures by the
quality a sheet's sidecar declares:

- recent_publisher.csv: VCCI's own province profile pages on pcivietnam.vn (PCI and sub-indices);
- recent_secondary.csv: PCI 2021 and 2022 for all 63 provinces from a public research panel that
  matches VCCI's tables 2016-2020 (ranks are the order of the scores);
- recent_province.csv: a province's own release of its result (Nghệ An's PCI 2023, outside VCCI's
  published top 30: VCCI sent it to the province, the province announced it), cited as such;
- recent_press.csv: press articles and portals (PAR Index, SIPAS, PCI ranks, the 2024 share of
  dossiers processed fully online from the EMC system).
"""

from __future__ import annotations

import csv
import io
import json
import sys

from analysis import config

SRC = config.SHARED_DIR / "research" / "figures_2021_2025.csv"
OUT_DIR = config.FIGURES_DIR
COLUMNS = ("province", "year", "indicator", "value", "unit", "source", "note", "qualifier")
ACCESSED = "2026-12"

# A province's own announcement of its result (the source URL and the indicators it gives).
PROVINCE_RELEASES = {
    "https://baonghean.vn/nghe-an-to-chuc-hoi-thao-tim-giai-phap-cai-thien-pci-10277937.html": (
        "pci",
        "pci_rank",
    ),
}

SHEETS: dict[str, dict[str, str]] = {
    "recent_publisher": {
        "publisher": "VCCI",
        "title": "Provincial Competitiveness Index: province profile pages (pcivietnam.vn), 2021-2024",
        "url": "each row's source column",
        "published": "2021-2025 (per page; snapshots 2023-2025)",
        "quality": "The publisher's own province pages (PCI score, rank and ten sub-indices per year).",
        "source_quality": "publisher",
    },
    "recent_secondary": {
        "publisher": "VCCI, via a public research panel (github.com/tnguyentranphuoc-commits)",
        "title": "Provincial Competitiveness Index 2021 and 2022, all 63 provinces (panel variable pci)",
        "url": "each row's source column",
        "published": "2025-12-27 (panel commit 7ed8cec)",
        "quality": (
            "A complete copy of VCCI's scores: the panel matches VCCI's own tables 2016-2020 for every "
            "province (max abs diff 0.01); ranks are the order of the scores and agree with 27 ranks "
            "published in the press; one tie in 2022 (Hà Nam and Gia Lai at 64.00, both 45th)."
        ),
        "source_quality": "secondary_complete",
    },
    "recent_province": {
        "publisher": (
            "UBND tỉnh Nghệ An (the province's own release of its VCCI result), reported by Báo Nghệ An"
        ),
        "title": (
            "Nghệ An's PCI 2023 as the province announced it (65,72 points, 44th of 63; outside the "
            "top 30 that VCCI publishes): a workshop on improving the PCI"
        ),
        "url": "https://baonghean.vn/nghe-an-to-chuc-hoi-thao-tim-giai-phap-cai-thien-pci-10277937.html",
        "published": "2024-08",
        "quality": (
            "The province's release, not VCCI's table: VCCI publishes the top 30 only from 2023 and sends "
            "every province its own result; the province published it."
        ),
        "source_quality": "province_release",
    },
    "recent_press": {
        "publisher": "various (each row names its source URL; title and date in the note)",
        "title": "Recent province figures from the press and provincial portals, 2019-2024",
        "url": "each row's source column",
        "published": "2020-2025 (per source)",
        "quality": (
            "Press articles and portals: single provinces' PAR Index and SIPAS (several ranks inferred "
            "from 'up/down N places', the note says so), PCI ranks, the 2024 share of dossiers processed "
            "fully online (EMC system; 'below 10 %' rows carry 10 with qualifier under)."
        ),
        "source_quality": "press",
    },
}


def sheet_of(row: dict[str, str]) -> str:
    url = row["source_url"].strip()
    if row["indicator"] in PROVINCE_RELEASES.get(url, ()):
        return "recent_province"
    if url.startswith(("https://pcivietnam.vn/", "https://www.pcivietnam.vn/")):
        return "recent_publisher"
    if row["source_title"].startswith("Dataset.dta"):
        return "recent_secondary"
    return "recent_press"


def note_of(row: dict[str, str]) -> str:
    cited = f"{row['source_title'].strip()} ({row['source_date'].strip()})"
    return f"{cited}; {row['note'].strip()}" if row["note"].strip() else cited


def main() -> int:
    if not SRC.exists():
        print(f"missing {SRC}: the shared research folder is needed to regenerate", file=sys.stderr)
        return 1
    with SRC.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    split: dict[str, list[dict[str, str]]] = {name: [] for name in SHEETS}
    for row in rows:
        split[sheet_of(row)].append(
            {
                "province": row["province"].strip(),
                "year": row["year"].strip(),
                "indicator": row["indicator"].strip(),
                "value": row["value"].strip(),  # the digits as written: the clean stage counts precision
                "unit": row["unit"].strip(),
                "source": row["source_url"].strip(),
                "note": note_of(row),
                "qualifier": row["qualifier"].strip() or "exact",
            }
        )
    for name, out in split.items():
        buf = io.StringIO()
        writer = csv.DictWriter(buf, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(out)
        (OUT_DIR / f"{name}.csv").write_text(buf.getvalue(), encoding="utf-8")
        meta = {
            **SHEETS[name],
            "accessed": ACCESSED,
            "locale": "intl",
            "derived_from": "shared/research/figures_2021_2025.csv by scripts/make_recent_sheets.py",
            "rows_written": len(out),
            "rows_in_research_sheet": len(rows),
        }
        (OUT_DIR / f"{name}.meta.json").write_text(
            json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        print(f"{name}.csv: {len(out)} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
