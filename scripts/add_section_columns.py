"""One-off: add the briefing columns `section`, `order`, `precision` to the indicator catalogue.

Before this, which indicators a briefing shows in which section, in what order and with how many
decimals lived in Python (`briefing.metrics.HEADLINE_KEYS`, `ONLINE_KEYS`, `text._decimals`).
This script writes them into `src/analysis/data/indicators.csv` as data, keeping every other
column and row exactly as it is (other helpers add columns too). Re-running it only fills the
three columns again; a value already set is kept.

    env LANG=C.UTF-8 .venv/bin/python scripts/add_section_columns.py
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[1] / "src" / "analysis" / "data" / "indicators.csv"
NEW = ("section", "order", "precision")

HEADLINE = ("par_index", "sipas", "pci", "papi", "dti", "idx766_total")
SUBINDEX_FAMILIES = ("pci", "papi", "dti", "idx766")
ONLINE = (
    "dvc_online_provision_rate",
    "dvc_full_online_rate",
    "online_filing_rate",
    "online_payment_rate",
    "fee_procedures_on_national_portal_rate",
    "procedures_published_rate",
    "digitization_rate",
    "ontime_resolution_rate",
    "procedures_time_cut_rate",
    "procedures_time_cut_dossiers",
    "compliance_cost_saving",
    "public_services_count",
    "par_tasks_done_rate",
    "par_tasks_done",
    "par_tasks_total",
    "de_an_06_tasks_done",
    "de_an_06_tasks_total",
    "de_an_06_tasks_not_done",
    "citizen_id_issued_rate",
    "vneid_accounts_activated",
    "population_records_cleaned",
    "cashless_school_fee_rate",
    "social_benefit_via_account_rate",
    "pension_via_account_rate",
)


def _num(text: str) -> float | None:
    return float(text) if text.strip() else None


def precision(row: dict[str, str]) -> int:
    """Display decimals, the rule the briefing text applied in code before."""
    unit, top = row["unit"], _num(row.get("max", ""))
    if unit in {"count", "people", "rank", "vnd"}:
        return 0
    if top is not None and top <= 1:
        return 3
    return 2 if unit == "score" else 1


def section(row: dict[str, str]) -> tuple[str, int | None]:
    key, fam = row["key"], row["family"]
    if key in HEADLINE:
        return "headline", HEADLINE.index(key) + 1
    if key in ONLINE:
        return "online", ONLINE.index(key) + 1
    top = _num(row.get("max", ""))
    # PAPI's public-service sub-dimensions (max 3.34) are parts of a dimension, not dimensions
    if (
        fam in SUBINDEX_FAMILIES
        and row["unit"] == "score"
        and not (fam == "papi" and top is not None and top < 10)
    ):
        return "subindices", None
    return "", None


def main() -> None:
    text = CATALOGUE.read_text(encoding="utf-8")  # read right before writing: others edit it too
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = list(reader.fieldnames or [])
    rows = list(reader)
    fields += [c for c in NEW if c not in fields]
    sub_order: dict[str, int] = {}
    for row in rows:
        sec, order = section(row)
        if sec == "subindices":
            sub_order[row["family"]] = sub_order.get(row["family"], 0) + 1
            order = sub_order[row["family"]]
        if not row.get("section"):
            row["section"] = sec
            row["order"] = "" if order is None else str(order)
        if not row.get("precision"):
            row["precision"] = str(precision(row))
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows({f: r.get(f, "") or "" for f in fields} for r in rows)
    CATALOGUE.write_text(out.getvalue(), encoding="utf-8")


if __name__ == "__main__":
    main()
