"""Write the recent-years figure sheets from the research pass (shared/research/figures_more.csv and
shared/research/papi_subdimensions/), one sheet per source quality, each with its provenance sidecar.

Run when the research files change: `.venv/bin/python scripts/make_more_sheets.py`. Deterministic:
rows keep the research order, values keep the source's text, sidecars carry no timestamp of the run.

Sheets written to data/raw/figures/ (the clean stage maps province spellings, keys and units):

- pci_2014_2020.csv: VCCI's own tables (workbooks 2014, 2016, 2019; ranking table 2020); publisher
- papi_2011_2024.csv: PAPI aggregate and dimensions, a public panel of PAPI's scores; secondary_complete
- papi_subdimensions_2011_2024.csv: PAPI's 29 sub-dimensions, same panel; secondary_complete
- dti_2022_2024.csv: the ministry's 63-province DTI ranking, from a scraped copy; secondary_complete

`source_quality` ranks sources for the clean stage's duplicate settling (publisher >
secondary_complete > press); `quality` stays the free-text description.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESEARCH = ROOT.parent / "shared" / "research"
MORE = RESEARCH / "figures_more.csv"
SUBDIM_DIR = RESEARCH / "papi_subdimensions"
SUBDIM_MAP = ROOT / "src" / "analysis" / "data" / "papi_subdimensions.csv"
OUT_DIR = ROOT / "data" / "raw" / "figures"
COLUMNS = ["province", "year", "indicator", "value", "unit", "source", "note"]
ACCESSED = "2026-12"  # when the research pass read these sources

PAPI_PANEL = "https://github.com/hnks-gh/ml-mcdm/tree/035ed0137ea6768bf25920e0f5184a403f369fd5/data/csv"

# stem → (which figures_more rows go there, sidecar); rows are matched on their source URL
SHEETS: dict[str, dict] = {
    "pci_2014_2020": {
        "match": r"^https?://(www\.)?pcivietnam\.vn/",
        "meta": {
            "publisher": "VCCI",
            "title": "Provincial Competitiveness Index 2014, 2016, 2019 (the publisher's data workbooks: "
            "score, rank, ten sub-indices) and 2020 (the publisher's ranking table: score and rank)",
            "url": "https://pcivietnam.vn/",
            "published": "one edition per year (PCI 2014, 2016, 2019, 2020)",
            "accessed": ACCESSED,
            "quality": "The publisher's own tables, all 63 provinces; the workbooks read cell by cell, "
            "the 2020 ranking table copied from pcivietnam.vn.",
            "source_quality": "publisher",
        },
    },
    "papi_2011_2024": {
        "match": r"^https?://github\.com/hnks-gh/ml-mcdm/",
        "meta": {
            "publisher": "CECODES, RTA & UNDP (PAPI)",
            "title": "PAPI aggregate and dimension scores 2011-2024, from a public panel of PAPI's "
            "published sub-dimension scores",
            "url": PAPI_PANEL,
            "publisher_site": "https://papi.org.vn",
            "published": "one PAPI report a year (2011-2024 editions)",
            "accessed": ACCESSED,
            "quality": "Complete tables from a secondary source: dimensions are sums of the published "
            "sub-dimension scores; they match the publisher's workbooks 2011-2018 to 1e-4 and 2019 to "
            "1e-9, and 2020-2024 totals match press reports. The aggregate is the sum of 6 dimensions "
            "(2011-2017) or 8 (from 2018). No result for provinces PAPI did not survey or publish "
            "(2014 Bắc Giang, Đồng Tháp; 2018 Quảng Ninh, Đồng Tháp partly; 2021 Quảng Ninh, Bắc Giang, "
            "Bắc Ninh; 2022 Bắc Giang, Bắc Ninh partly; 2023 Quảng Ninh, Bình Dương; 2024 Vĩnh Phúc, "
            "Tiền Giang). PAPI publishes no ranks, only quartile groups.",
            "source_quality": "secondary_complete",
        },
    },
    "dti_2022_2024": {
        "match": r"^https?://dti\.gov\.vn/",
        "meta": {
            # DTI 2024 was announced (2025-10-21) by the Ministry of Science and Technology, which the
            # Ministry of Information and Communications had merged into on 2025-03-01 (press of that day)
            "publisher": "Ministry of Information and Communications / Ministry of Science and "
            "Technology (DTI)",
            # each edition's own publisher, which a citation names (a 2023 briefing names no MoST)
            "publisher_by_year": {
                "2022": "Ministry of Information and Communications (DTI)",
                "2023": "Ministry of Information and Communications (DTI)",
                "2024": "Ministry of Science and Technology (DTI)",
            },
            "publisher_by_year_basis": "DTI 2022 and 2023 were published by the Ministry of Information "
            "and Communications; the Ministry of Science and Technology took DTI over when the two "
            "ministries merged on 2025-03-01, and published DTI 2024 in 2025",
            "title": "Provincial Digital Transformation Index (DTI) 2022-2024, total scores of the 63 "
            "provinces (a copy of the ministry's table, without its ranks)",
            "url": "https://dti.gov.vn/",
            # the figures were read from this copy of the ministry's pages: cited as a copy, with both
            "copy_url": "https://github.com/PhamQuyNam/PMNM_HaUI.DNK_2025",
            "published": "one edition per year (DTI 2022, 2023, 2024)",
            "accessed": ACCESSED,
            "quality": "The ministry's 63-province ranking as published, from a scraped copy "
            "(GitHub PhamQuyNam/PMNM_HaUI.DNK_2025, Tapdulieu/bang_1.csv); annual means match the "
            "officially reported averages 2023 (0.6783) and 2024 (0.6961). Total score only: the copy's "
            "pillar columns are mislabelled (left out) and it carries no rank. "
            "DTI 2024 recomputed for the 34 new provinces is a different series and is not here.",
            "source_quality": "secondary_complete",
        },
    },
}

SUBDIM_META = {
    "publisher": "CECODES, RTA & UNDP (PAPI)",
    "title": "PAPI sub-dimension scores 2011-2024 (29 sub-dimensions, 63 provinces), from a public panel "
    "of PAPI's published scores",
    "url": PAPI_PANEL,
    "publisher_site": "https://papi.org.vn",
    "published": "one PAPI report a year (2011-2024 editions)",
    "accessed": ACCESSED,
    "quality": "Complete tables from a secondary source (the panel papi_2011.csv … papi_2024.csv, provinces "
    "coded P01-P63); a dimension's sub-dimension scores add up to its dimension. The set changes over "
    "the years: land-use transparency, environmental and e-governance sub-dimensions start in 2018 "
    "(e-responsiveness in 2019) and construction permits end in 2020. An empty cell is no figure.",
    "source_quality": "secondary_complete",
}


def _write(stem: str, rows: list[dict[str, str]], meta: dict) -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with (OUT_DIR / f"{stem}.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    years = Counter(r["year"] for r in rows)
    meta = {
        **meta,
        "locale": "intl",
        "rows_written": len(rows),
        "rows_per_year": dict(sorted(years.items())),
        "indicators": sorted({r["indicator"] for r in rows}),
    }
    (OUT_DIR / f"{stem}.meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n")
    print(f"wrote data/raw/figures/{stem}.csv: {len(rows)} rows ({meta['source_quality']})")


def split_more(rows: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    """figures_more rows → sheet stem → rows; raises on a row no sheet takes (nothing dropped silently)."""
    out: dict[str, list[dict[str, str]]] = {stem: [] for stem in SHEETS}
    for n, row in enumerate(rows, start=2):
        stem = next((s for s, spec in SHEETS.items() if re.search(spec["match"], row["source_url"])), None)
        if stem is None:
            raise SystemExit(f"error: figures_more.csv row {n}: no sheet takes source {row['source_url']!r}")
        out[stem].append(
            {
                "province": row["province"],
                "year": row["year"],
                "indicator": row["indicator"],
                "value": row["value"],
                "unit": row["unit"],
                "source": row["source_url"],
                "note": row["note"],
            }
        )
    return out


def subdimension_rows() -> list[dict[str, str]]:
    """The panel's wide year files → one figure per row; keys from data/papi_subdimensions.csv."""
    with SUBDIM_MAP.open(encoding="utf-8", newline="") as fh:
        keys = {r["code"]: r["key"] for r in csv.DictReader(fh)}
    with (SUBDIM_DIR / "codebook_provinces.csv").open(encoding="utf-8", newline="") as fh:
        names = {r["Variable_Code"]: r["Variable_Name"] for r in csv.DictReader(fh)}
    rows = []
    for path in sorted(SUBDIM_DIR.glob("papi_[0-9][0-9][0-9][0-9].csv")):
        year = path.stem.split("_")[1]
        with path.open(encoding="utf-8", newline="") as fh:
            for rec in csv.DictReader(fh):
                for code, value in rec.items():
                    if code == "Province" or not (value or "").strip():
                        continue
                    rows.append(
                        {
                            "province": names[rec["Province"]],
                            "year": year,
                            "indicator": keys[code],
                            "value": value.strip(),
                            "unit": "points",
                            "source": PAPI_PANEL,
                            "note": f"PAPI sub-dimension {code}; panel file papi_{year}.csv",
                        }
                    )
    return rows


def main() -> int:
    if not MORE.exists() or not SUBDIM_DIR.is_dir():
        print(f"error: {RESEARCH} lacks figures_more.csv or papi_subdimensions/", file=sys.stderr)
        return 2
    with MORE.open(encoding="utf-8", newline="") as fh:
        more = list(csv.DictReader(fh))
    for stem, rows in split_more(more).items():
        _write(stem, rows, SHEETS[stem]["meta"])
    _write("papi_subdimensions_2011_2024", subdimension_rows(), SUBDIM_META)
    return 0


if __name__ == "__main__":
    sys.exit(main())
