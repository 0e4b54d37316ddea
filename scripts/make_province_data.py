"""Generate the province registry files in src/analysis/data/ from the maintained packages. Run once.

Where the data comes from (and why it is generated, not typed):
- `vietnamadminunits` 1.0.4 (SQLite tables `admin_units_legacy` = the 63 provinces before 2025-07-01,
  `admin_units` = the 34 after, and `data/converter_2025.json` DICT_PROVINCE = which old provinces form
  each new one): GSO two-digit codes, full and short Vietnamese names, the merger map.
- `vietnam-provinces` 2025.10.1 (`vietnam_provinces.Province.iter_all()`): the 34 provinces only, with their
  division type (tỉnh / thành phố trung ương); used for `kind` of the 34 and to cross-check codes and names.
- Our own choices, kept in this file so they are visible and reviewable:
  * REGION_63: the six GSO socio-economic regions of the 63 provinces (the grouping used by the regional
    master plans approved in 2024: 14 + 11 + 14 + 5 + 6 + 13 provinces).
  * the 34 new provinces take the region of the old province whose name they keep (Gia Lai -> Tây Nguyên,
    Tây Ninh -> Đông Nam Bộ); no official 34-province regional list was in the packages.
  * OVERRIDES_63: code 46 is "Thừa Thiên Huế" (a tỉnh) in the 63 regime. The package gives its status of
    2025-01-01 ("Thành phố Huế"), but every assessment year of the 63 regime (up to 2024) knew it as
    Thừa Thiên Huế; the 34 regime keeps the package's "Huế" (thành phố).
  * display names: the short name without "Tỉnh"/"Thành phố", except "TP. Hồ Chí Minh" (a bare
    "Hồ Chí Minh" reads as the person); English names are the ASCII names with the spellings the PCI/PAPI
    English workbooks use (Ho Chi Minh City, Thua Thien-Hue, Ba Ria-Vung Tau).

Usage: .venv/bin/python scripts/make_province_data.py   (rewrites the three CSV files; aliases are hand-kept)
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from pathlib import Path

import vietnam_provinces
import vietnamadminunits
from vietnamadminunits.database import query

OUT = Path(__file__).resolve().parents[1] / "src" / "analysis" / "data"

REGIONS = {
    "northern_midlands": ["02", "04", "06", "08", "10", "11", "12", "14", "15", "17", "19", "20", "24", "25"],
    "red_river_delta": ["01", "22", "26", "27", "30", "31", "33", "34", "35", "36", "37"],
    "central_coast": ["38", "40", "42", "44", "45", "46", "48", "49", "51", "52", "54", "56", "58", "60"],
    "central_highlands": ["62", "64", "66", "67", "68"],
    "southeast": ["70", "72", "74", "75", "77", "79"],
    "mekong_delta": ["80", "82", "83", "84", "86", "87", "89", "91", "92", "93", "94", "95", "96"],
}
REGION_63 = {code: key for key, codes in REGIONS.items() for code in codes}

OVERRIDES_63 = {"46": {"name": "Thừa Thiên Huế", "name_full": "Tỉnh Thừa Thiên Huế", "kind": "tinh"}}
NAME_OVERRIDES = {"79": "TP. Hồ Chí Minh"}
NAME_EN_OVERRIDES = {
    ("63", "46"): "Thua Thien-Hue",
    ("63", "77"): "Ba Ria-Vung Tau",
    ("63", "79"): "Ho Chi Minh City",
    ("34", "79"): "Ho Chi Minh City",
}
FIELDS = ["code", "name", "name_full", "name_en", "slug", "kind", "region"]


def ascii_fold(text: str) -> str:
    """Vietnamese text without diacritics (đ -> d), for English names and slugs."""
    text = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFC", "".join(c for c in text if unicodedata.category(c) != "Mn"))


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(text).lower()).strip("-")


def package_rows(table: str) -> list[dict[str, str]]:
    columns = "provinceCode, province, provinceShort, provinceKey"
    sql = f"SELECT DISTINCT {columns} FROM [{table}] ORDER BY provinceCode"
    return query(sql)


def build_63() -> tuple[list[dict[str, str]], dict[str, str]]:
    rows, key_to_code = [], {}
    for r in package_rows("admin_units_legacy"):
        code = r["provinceCode"]
        key_to_code[r["provinceKey"]] = code
        row = {
            "code": code,
            "name": NAME_OVERRIDES.get(code, r["provinceShort"]),
            "name_full": r["province"],
            "kind": "thanh_pho" if r["province"].startswith("Thành phố") else "tinh",
            "region": REGION_63[code],
        }
        row |= OVERRIDES_63.get(code, {})
        short = OVERRIDES_63.get(code, {}).get("name", r["provinceShort"])
        row["name_en"] = NAME_EN_OVERRIDES.get(("63", code), ascii_fold(short))
        row["slug"] = slugify(short)
        rows.append(row)
    assert len(rows) == 63 and len({r["code"] for r in rows}) == 63
    return rows, key_to_code


def build_34() -> tuple[list[dict[str, str]], dict[str, str]]:
    kinds = {f"{p.code.value:02d}": p.division_type for p in vietnam_provinces.Province.iter_all()}
    rows, key_to_code = [], {}
    for r in package_rows("admin_units"):
        code = r["provinceCode"]
        key_to_code[r["provinceKey"]] = code
        is_city = kinds[code] == vietnam_provinces.VietNamDivisionType.THANH_PHO_TRUNG_UONG
        assert is_city == r["province"].startswith("Thành phố"), code
        rows.append(
            {
                "code": code,
                "name": NAME_OVERRIDES.get(code, r["provinceShort"]),
                "name_full": r["province"],
                "name_en": NAME_EN_OVERRIDES.get(("34", code), ascii_fold(r["provinceShort"])),
                "slug": slugify(r["provinceShort"]),
                "kind": "thanh_pho" if is_city else "tinh",
            }
        )
    assert len(rows) == 34 and set(kinds) == {r["code"] for r in rows}
    return rows, key_to_code


def build_merger(
    old_keys: dict[str, str], new_keys: dict[str, str], old: list[dict[str, str]], new: list[dict[str, str]]
) -> list[dict[str, str]]:
    converter = Path(vietnamadminunits.__file__).parent / "data" / "converter_2025.json"
    mapping = json.loads(converter.read_text(encoding="utf-8"))["DICT_PROVINCE"]
    old_by_code, new_by_code = {r["code"]: r for r in old}, {r["code"]: r for r in new}
    merger = []
    for new_key, old_list in mapping.items():
        new_code = new_keys[new_key]
        for old_key in old_list:
            old_code = old_keys[old_key]
            merger.append(
                {
                    "old_code": old_code,
                    "old_name": old_by_code[old_code]["name"],
                    "new_code": new_code,
                    "new_name": new_by_code[new_code]["name"],
                }
            )
    merger.sort(key=lambda m: (m["new_code"], m["old_code"]))
    assert sorted(m["old_code"] for m in merger) == sorted(old_by_code), "every old province maps once"
    return merger


def assign_regions(
    new: list[dict[str, str]], old: list[dict[str, str]], merger: list[dict[str, str]]
) -> None:
    """A new province takes the region of the predecessor whose name it keeps (else whose code it keeps)."""
    old_by_code = {r["code"]: r for r in old}
    for row in new:
        preds = [old_by_code[m["old_code"]] for m in merger if m["new_code"] == row["code"]]
        namesake = [p for p in preds if p["slug"] == row["slug"]] or [
            p for p in preds if p["code"] == row["code"]
        ]
        assert len(namesake) == 1, row
        row["region"] = namesake[0]["region"]


def write(name: str, rows: list[dict[str, str]], fields: list[str]) -> None:
    with (OUT / name).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: r[k] for k in fields} for r in rows)
    print(f"wrote {OUT / name} ({len(rows)} rows)")


def main() -> None:
    old, old_keys = build_63()
    new, new_keys = build_34()
    merger = build_merger(old_keys, new_keys, old, new)
    assign_regions(new, old, merger)
    write("provinces_63.csv", old, FIELDS)
    write("provinces_34.csv", new, FIELDS)
    write("merger_2025.csv", merger, ["old_code", "old_name", "new_code", "new_name"])


if __name__ == "__main__":
    main()
