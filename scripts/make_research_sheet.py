"""Write data/raw/figures/research_*.csv from the team's research sheet (shared/research/figures.csv).

Run once when the research sheet changes: `.venv/bin/python scripts/make_research_sheet.py`.
Rows are copied as the sources wrote them (province spelling, indicator key, unit text) so the
clean stage does the mapping and the validation; only rows that are not province figures at all
are left out here, each kind counted with its reason in the sidecars.

The research sheet mixes source qualities, and the clean stage settles conflicting figures by the
quality its sidecar declares, so the rows are split into one sheet per quality (the row's note or
source tells): research_publisher.csv (copies of the publishers' own tables: the PCI/PAPI workbooks,
pcivietnam.vn's 2021 table, the PAPI 2023 report's table), research_secondary.csv (population and
area tables of the statistics office, reposted) and research_press.csv (press articles and single
provinces' announcements).
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
OUT_DIR = ROOT / "data" / "raw" / "figures"

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


# sheet stem → (source_quality, what the sheet holds); the order is the order rows are classified in
QUALITIES = {
    "research_publisher": (
        "publisher",
        "Copies of the publishers' own tables: PCI 2017-2018 and PAPI 2017-2018 workbooks (rounded), "
        "VCCI's PCI 2021 table on pcivietnam.vn (partial: ranks 1-21 and sub-indices), PAPI 2023 report "
        "table 3.6 (excerpt rows).",
    ),
    "research_secondary": (
        "secondary_complete",
        "Population and area tables of the General Statistics Office as reposted (a GSO 2020 table, "
        "yearbook tables on blogs, a Wikipedia table); some are excerpts (see each row's note).",
    ),
    "research_press": (
        "press",
        "Press articles, provincial portals and infographics: top lists, named provinces, single "
        "provinces' announcements (PCI, PAPI, PAR Index, SIPAS, DTI, Decision 766 index 2018-2024). Some "
        "ranks are inferred from listing order (see note). Two conflicting pairs are kept on purpose "
        "(Quảng Ninh PAPI 2020, Hải Phòng PAR Index 2023): the clean stage must surface them.",
    ),
}


_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_AS_OF = re.compile(r"\bas of (\d{4})-(\d{2})-(\d{2})\b", re.I)
_PUBLISHED = re.compile(r"snapshot published (\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4})", re.I)


def period_of(note: str) -> str:
    """The as-of date of a portal snapshot, from the row's note ("weekly snapshot as of 2024-01-22",
    "portal snapshot published 19 Aug 2024 (2024 year-to-date)"); "" for a figure of the whole year."""
    if m := _AS_OF.search(note):
        return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    if (m := _PUBLISHED.search(note)) and m.group(2).casefold() in _MONTHS:
        return f"{m.group(3)}-{_MONTHS[m.group(2).casefold()]:02d}-{int(m.group(1)):02d}"
    return ""


def quality_sheet(row: dict[str, str]) -> str:
    """The research sheet a kept row goes to, by what its note or source says it is."""
    note, source = row["note"].strip().casefold(), row["source"].strip().casefold()
    if note.startswith("official ") or re.match(r"https?://(www\.)?(pcivietnam\.vn|fliphtml5\.com)/", source):
        return "research_publisher"
    if row["indicator"].strip() in ("population", "area_km2"):
        return "research_secondary"
    return "research_press"


HAND = "added by hand"  # a note with these words marks a row kept by hand in the written sheet


def hand_rows(path: Path) -> list[dict[str, str]]:
    """The rows of an already written sheet that were added by hand (their note says so): a new
    run keeps them, so rewriting the sheet never drops a figure an analyst recorded."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return [row for row in csv.DictReader(fh) if HAND in row.get("note", "")]


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
                "period": period_of(row["note"]),  # a snapshot's date: not the year's value
            }
        )
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    sheets: dict[str, list[dict[str, str]]] = {stem: [] for stem in QUALITIES}
    for row in kept:
        sheets[quality_sheet(row)].append(row)
    by_hand = {stem: hand_rows(OUT_DIR / f"{stem}.csv") for stem in sheets}
    for stem, extra in by_hand.items():
        sheets[stem] += [row for row in extra if row not in sheets[stem]]
    for stem, rows_out in sheets.items():
        with (OUT_DIR / f"{stem}.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(kept[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows_out)
        source_quality, holds = QUALITIES[stem]
        meta = {
            "publisher": "various (each row names its source URL)",
            "title": "Province figures gathered by the cchc-briefings research pass "
            f"({stem.split('_')[1]} sources)",
            "url": "each row's source column",
            "published": "2017–2025 (per source)",
            "accessed": "2026-11",
            "quality": holds,
            "source_quality": source_quality,
            "locale": "intl",
            "rows_written": len(rows_out),
        }
        if stem == "research_press":  # rows left out of the research sheet are counted once, here
            meta |= {"rows_in_research_sheet": len(rows), "left_out": dict(left_out)}
        old_meta = OUT_DIR / f"{stem}.meta.json"
        if by_hand[stem] and old_meta.exists():  # what the hand rows are, as recorded with them
            recorded = json.loads(old_meta.read_text(encoding="utf-8"))
            meta["rows_added_by_hand"] = recorded.get("rows_added_by_hand", {})
        (OUT_DIR / f"{stem}.meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n")
    print(
        f"wrote {', '.join(f'{s}.csv ({len(r)})' for s, r in sheets.items())}; "
        f"left out {sum(left_out.values())}: {dict(left_out)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
