"""Add the plausible-range columns `min_value,max_value` to src/analysis/data/indicators.csv.

`min`/`max` are an indicator's possible scale (a percent 0-100, a PCI sub-index 0-10); the
plausible range bounds what has no scale (counts, money, people, area) so a typing slip such as
a count of 10^28 is rejected by the clean stage instead of breaking a briefing. Bounds are
generous: the largest province figure we know of, with room (population of the largest
post-2025 province about 14 million, area about 24,000 km2). Blank means "only min/max apply".
Re-running keeps every other column and row as it is and only fills these two columns.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[1] / "src" / "analysis" / "data" / "indicators.csv"
NEW = ("min_value", "max_value")
PLAUSIBLE: dict[str, tuple[str, str]] = {
    "public_services_count": ("0", "10000"),
    "compliance_cost_saving": ("0", "10000000000000"),  # 10,000 tỷ đồng
    "par_tasks_total": ("0", "5000"),
    "par_tasks_done": ("0", "5000"),
    "de_an_06_tasks_total": ("0", "2000"),
    "de_an_06_tasks_done": ("0", "2000"),
    "de_an_06_tasks_not_done": ("0", "2000"),
    "vneid_accounts_activated": ("0", "25000000"),
    "mobile_subscriptions": ("0", "50000000"),
    "mobile_per_100": ("0", "400"),
    "population_records_cleaned": ("0", "50000000"),
    "population": ("50000", "25000000"),
    "area_km2": ("100", "40000"),
    "procedures_time_cut_dossiers": ("0", "100000000"),
    "par_proposals_resolved": ("0", "1000000"),
}


def main() -> None:
    with CATALOGUE.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    fields += [c for c in NEW if c not in fields]
    for row in rows:
        lo, hi = PLAUSIBLE.get(row["key"], (row.get("min_value") or "", row.get("max_value") or ""))
        row["min_value"], row["max_value"] = lo, hi
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    CATALOGUE.write_text(out.getvalue(), encoding="utf-8")


if __name__ == "__main__":
    main()
