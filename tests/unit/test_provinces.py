"""Province registry: both regimes, the merger map, name resolution, and cross-checks with the packages."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from analysis import config
from analysis.cli import main
from analysis.errors import AnalysisError, UnknownProvinceError
from analysis.provinces import (
    REGIONS,
    ProvinceNotYetError,
    Registry,
    all_provinces,
    get,
    predecessors,
    regime_for_year,
    resolve,
    successor,
)

RESEARCH_MERGER = config.SHARED_DIR / "research" / "merger_2025.csv"


# --- the done-when checks ----------------------------------------------------------------------------


def test_tp_hcm_2015_is_code_79_of_the_63():
    d = resolve("Tp.HCM", 2015).to_dict()
    assert (d["code"], d["regime"], d["successor_of"]) == ("79", "63", None)


def test_lao_cai_2025_is_the_new_lao_cai():
    r = resolve("Lào Cai", 2025)
    assert (r.province.code, r.province.regime, r.province.name) == ("15", "34", "Lào Cai")
    assert r.successor_of is None
    # the old Lào Cai had another code: the regime decides which one a name means
    assert resolve("Lào Cai", 2024).province.code == "10"


def test_yen_bai_2025_maps_to_new_lao_cai_and_says_so():
    d = resolve("Yên Bái", 2025).to_dict()
    assert (d["code"], d["name"], d["regime"]) == ("15", "Lào Cai", "34")
    assert d["successor_of"] == {"code": "15", "name": "Yên Bái", "regime": "63"}
    assert "Yên Bái" in d["note"] and "Lào Cai" in d["note"]


def test_codes_are_reused_with_other_meanings():
    assert get("15", "63").name == "Yên Bái" and get("15", "34").name == "Lào Cai"
    assert get("80", "63").name == "Long An" and get("80", "34").name == "Tây Ninh"
    assert get(1, "63") == get("1", 63) == get("01", "63")


# --- structure ---------------------------------------------------------------------------------------


def test_counts_and_unique_codes():
    for regime, n in (("63", 63), ("34", 34)):
        ps = all_provinces(regime)
        assert len(ps) == n
        assert len({p.code for p in ps}) == n
        assert all(re.fullmatch(r"\d\d", p.code) and p.regime == regime for p in ps)
        assert len({p.slug for p in ps}) == n
        assert {p.kind for p in ps} == {"tinh", "thanh_pho"}


def test_every_old_province_maps_to_exactly_one_new_one():
    new_codes = {p.code for p in all_provinces("34")}
    seen = Counter()
    for p34 in all_provinces("34"):
        preds = predecessors(p34)
        assert preds, p34
        assert all(p.regime == "63" for p in preds)
        for p in preds:
            seen[p.code] += 1
            assert successor(p) == p34
    assert seen == Counter({p.code: 1 for p in all_provinces("63")})
    assert {successor(p).code for p in all_provinces("63")} == new_codes


def test_regions():
    assert len(REGIONS) == 6
    assert all(len(names) == 2 and all(names) for names in REGIONS.values())
    sizes = Counter(p.region for p in all_provinces("63"))
    assert sizes == {
        "northern_midlands": 14,
        "red_river_delta": 11,
        "central_coast": 14,
        "central_highlands": 5,
        "southeast": 6,
        "mekong_delta": 13,
    }
    for p34 in all_provinces("34"):
        assert p34.region in {p.region for p in predecessors(p34)}


def test_regime_for_year():
    assert [regime_for_year(y) for y in (2005, 2024, 2025, 2030)] == ["63", "63", "34", "34"]


def test_bad_arguments_raise_typed_errors():
    with pytest.raises(AnalysisError, match="regime"):
        all_provinces("64")
    with pytest.raises(UnknownProvinceError, match="code 99"):
        get("99", "63")
    with pytest.raises(AnalysisError, match="not one of the 34"):
        predecessors(get("10", "63"))
    with pytest.raises(AnalysisError, match="year"):
        resolve("Hà Nội", "next year")  # type: ignore[arg-type]
    with pytest.raises(UnknownProvinceError):
        resolve("   ")


# --- resolution --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year", "code", "regime"),
    [
        ("TP.HCM", 2018, "79", "63"),
        ("TPHCM", 2018, "79", "63"),
        ("HCMC", 2018, "79", "63"),
        ("Ho Chi Minh City", 2018, "79", "63"),
        ("Thành phố Hồ Chí Minh", 2025, "79", "34"),
        ("BRVT", 2018, "77", "63"),
        ("BR-VT", 2018, "77", "63"),
        ("Ba Ria-Vung Tau", 2018, "77", "63"),
        ("TT-Huế", 2018, "46", "63"),
        ("TT.Huế", 2018, "46", "63"),
        ("Thừa Thiên - Huế", 2018, "46", "63"),
        ("Thua Thien-Hue", 2018, "46", "63"),
        ("Huế", 2018, "46", "63"),
        ("Huế", 2025, "46", "34"),
        ("tỉnh Khánh Hoà", 2018, "56", "63"),
        ("Thanh Hoá", 2018, "38", "63"),
        ("Hoà Bình", 2018, "17", "63"),
        ("Đăk Lăk", 2018, "66", "63"),
        ("Đắc Lắk", 2018, "66", "63"),
        ("Dak Nong", 2018, "67", "63"),
        ("Bắc Cạn", 2006, "06", "63"),
        ("Ha Noi", 2018, "01", "63"),
        ("Hanoi", 2025, "01", "34"),
        ("Da Nang", 2018, "48", "63"),
        ("Can Tho", 2018, "92", "63"),
        ("TP. Cần Thơ", 2025, "92", "34"),
        ("  quảng   NGÃI ", 2018, "51", "63"),
        ("Bà Rịa – Vũng Tàu", 2018, "77", "63"),
        ("Ðồng Nai", 2018, "75", "63"),  # U+00D0 eth instead of Đ
    ],
)
def test_spellings_real_files_use(text, year, code, regime):
    p = resolve(text, year).province
    assert (p.code, p.regime) == (code, regime)


@pytest.mark.parametrize("regime", ["63", "34"])
def test_every_province_resolves_from_generated_variants(regime):
    """NFD, case, prefixes, ASCII, extra spaces and dashes all lead back to the same province."""
    year = 2020 if regime == "63" else 2025
    for p in all_provinces(regime):
        ascii_name = unicodedata.normalize("NFD", p.name).replace("đ", "d").replace("Đ", "D")
        ascii_name = "".join(c for c in ascii_name if unicodedata.category(c) != "Mn")
        variants = [
            p.name,
            p.name.upper(),
            unicodedata.normalize("NFD", p.name),
            f"tỉnh {p.name}",
            f"Thành phố {p.name}",
            f" {p.name.replace(' ', '  ')} ",
            p.name.replace(" ", "-"),
            ascii_name,
            p.name_en,
            p.slug,
        ]
        for v in variants:
            assert resolve(v, year).province == p, (v, p)


# Every spelling-variant class a reader writes, in both regimes: (class, text, year, code, regime).
SPELLING_CLASSES = [
    ("c/k", "Đắc Lắc", 2018, "66", "63"),
    ("c/k", "Đắk Lắc", 2018, "66", "63"),
    ("c/k", "Đắc Lắk", 2020, "66", "63"),
    ("c/k", "Đăk Lăc", 2025, "66", "34"),
    ("c/k", "Daklak", 2025, "66", "34"),
    ("c/k", "Bắc Cạn", 2018, "06", "63"),
    ("c/k", "Bac Can", 2010, "06", "63"),
    ("c/k", "Đắc Nông", 2018, "67", "63"),
    ("c/k", "Con Tum", 2018, "62", "63"),
    ("c/k", "Kontum", 2018, "62", "63"),
    ("honorific", "Thủ đô Hà Nội", 2018, "01", "63"),
    ("honorific", "Thủ Đô Hà Nội", 2025, "01", "34"),
    ("administrative", "Tỉnh Nghệ An", 2018, "40", "63"),
    ("administrative", "tỉnh Nghệ An", 2025, "40", "34"),
    ("administrative", "TP. Cần Thơ", 2018, "92", "63"),
    ("administrative", "Tp Cần Thơ", 2025, "92", "34"),
    ("administrative", "T.P Hồ Chí Minh", 2018, "79", "63"),
    ("administrative", "Thành phố Hồ Chí Minh", 2018, "79", "63"),
    ("administrative", "THÀNH PHỐ HỒ CHÍ MINH", 2025, "79", "34"),
    ("committee", "UBND tỉnh Nghệ An", 2024, "40", "63"),
    ("committee", "UBND TP. Hải Phòng", 2025, "31", "34"),
    ("committee", "Ủy ban nhân dân tỉnh Lào Cai", 2025, "15", "34"),
    ("committee", "Uỷ ban nhân dân thành phố Đà Nẵng", 2018, "48", "63"),
    ("english", "Nghe An Province", 2018, "40", "63"),
    ("english", "Can Tho City", 2025, "92", "34"),
    ("c/k + prefix", "Tỉnh Đắc Lắc", 2018, "66", "63"),
    ("c/k + committee", "UBND tỉnh Bắc Cạn", 2018, "06", "63"),
]


@pytest.mark.parametrize(("kind", "text", "year", "code", "regime"), SPELLING_CLASSES)
def test_every_spelling_class_resolves(kind, text, year, code, regime):
    p = resolve(text, year).province
    assert (p.code, p.regime) == (code, regime), kind


def _swap_c_k(name: str) -> str:
    """Write every c as k and every k as c, except in ch/kh (other sounds)."""
    return re.sub(r"[cCkK](?![hH])", lambda m: {"c": "k", "k": "c", "C": "K", "K": "C"}[m.group()], name)


@pytest.mark.parametrize("regime", ["63", "34"])
def test_every_province_resolves_with_c_k_swapped_and_any_prefix(regime):
    year = 2020 if regime == "63" else 2025
    prefixes = ["Thủ đô ", "UBND tỉnh ", "Ủy ban nhân dân thành phố ", "TP. ", "Tỉnh "]
    for p in all_provinces(regime):
        for variant in [_swap_c_k(p.name), *(f"{pre}{p.name}" for pre in prefixes), f"{p.name_en} Province"]:
            assert resolve(variant, year).province == p, (variant, p)


def test_affixes_and_spelling_folds_are_data():
    with (config.PACKAGE_DATA / "province_affixes.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["position"] for r in rows} == {"prefix", "suffix"}
    assert {"thủ đô", "ubnd", "tỉnh"} <= {r["affix"].casefold() for r in rows}
    with (config.PACKAGE_DATA / "province_spelling_folds.csv").open(encoding="utf-8") as fh:
        folds = list(csv.DictReader(fh))
    assert all(re.compile(f["pattern"]) for f in folds)


def test_spelling_folds_never_join_two_provinces_of_a_regime():
    from analysis.provinces import normalise, spelling_key

    for regime in ("63", "34"):
        keys = [spelling_key(normalise(p.name)) for p in all_provinces(regime)]
        assert len(set(keys)) == len(keys)
    with pytest.raises(UnknownProvinceError):
        resolve("Khánh Cạn", 2018)  # folding is no licence for fuzzy matching


def test_year_none_prefers_the_63_then_the_34():
    assert resolve("Lào Cai").province == get("10", "63")
    assert resolve("Huế").province == get("46", "63")
    assert resolve("Bình Dương").province == get("74", "63")


def test_pre_2025_name_for_2025_returns_the_successor():
    r = resolve("Bà Rịa - Vũng Tàu", 2026)
    assert r.province == get("79", "34")
    assert r.successor_of == get("77", "63")
    assert "Bình Dương" in r.note  # names the other provinces it merged with
    renamed = resolve("Thừa Thiên Huế", 2025)
    assert renamed.province == get("46", "34") and renamed.successor_of == get("46", "63")


def test_name_kept_across_regimes_is_not_flagged_as_successor():
    r = resolve("Cao Bằng", 2025)
    assert r.province == get("04", "34") and r.successor_of is None and r.note is None


def test_ha_tay_resolves_to_ha_noi_and_says_it_was_a_separate_province():
    r = resolve("Hà Tây", 2006)
    assert r.province == get("01", "63")
    assert r.successor_of is not None and (r.successor_of.code, r.successor_of.name) == ("28", "Hà Tây")
    assert "2008" in r.note
    assert resolve("Ha Tay", 2025).province == get("01", "34")


def test_unknown_name_names_input_and_closest_matches():
    with pytest.raises(UnknownProvinceError) as err:
        resolve("Quang Ngia", 2018)
    assert "Quang Ngia" in str(err.value)
    assert "Quảng Ngãi" in err.value.suggestions
    with pytest.raises(UnknownProvinceError, match="Atlantis"):
        resolve("Atlantis", 2025)


def _rewrite(path: Path, change) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    fields = list(rows[0])
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(change(dict(r)) for r in rows)


def test_34_only_name_before_2025_says_it_did_not_exist(tmp_path):
    """No real new province has a name unknown among the 63, so give one a new name in a copy of the data."""
    for f in config.PACKAGE_DATA.glob("*.csv"):
        shutil.copy(f, tmp_path / f.name)

    def rename(row):
        if row.get("code") == "80":
            row |= {"name": "Tây Ninh Mới", "name_full": "Tỉnh Tây Ninh Mới", "name_en": "New Tay Ninh"}
            row["slug"] = "tay-ninh-moi"
        if row.get("new_code") == "80":
            row["new_name"] = "Tây Ninh Mới"
        return row

    _rewrite(tmp_path / "provinces_34.csv", rename)
    _rewrite(tmp_path / "merger_2025.csv", rename)
    reg = Registry.load(tmp_path)
    assert reg.resolve("Tây Ninh Mới", 2025).province.name == "Tây Ninh Mới"
    with pytest.raises(ProvinceNotYetError, match="did not exist in 2020") as err:
        reg.resolve("Tây Ninh Mới", 2020)
    assert isinstance(err.value, UnknownProvinceError)
    assert set(err.value.suggestions) == {"Long An", "Tây Ninh"}


def test_resolve_is_fast_for_many_rows():
    names = [p.name for p in all_provinces("63")] + ["TP.HCM", "TT-Huế", "BRVT", "Hoà Bình"]
    rows = [(names[i % len(names)], 2010 + i % 16) for i in range(30_000)]
    start = time.perf_counter()
    codes = {resolve(n, y).province.code for n, y in rows}
    assert time.perf_counter() - start < 2.0
    assert len(codes) > 60


# --- cross-checks with the packages and the research list -------------------------------------------


def _package_table(table: str) -> dict[str, dict[str, str]]:
    from vietnamadminunits.database import query

    sql = f"SELECT DISTINCT provinceCode, province, provinceShort, provinceKey FROM [{table}]"
    return {r["provinceCode"]: r for r in query(sql)}


# Our deliberate departures from the packages, documented in scripts/make_province_data.py.
RENAMED_63 = {"46": "Thừa Thiên Huế", "79": "TP. Hồ Chí Minh"}
RENAMED_34 = {"79": "TP. Hồ Chí Minh"}


def test_63_match_vietnamadminunits_legacy_table():
    pkg = _package_table("admin_units_legacy")
    ours = {p.code: p for p in all_provinces("63")}
    assert set(pkg) == set(ours)
    for code, p in ours.items():
        assert p.name == RENAMED_63.get(code, pkg[code]["provinceShort"]), code
        if code != "46":
            assert p.name_full == pkg[code]["province"], code
            assert p.kind == ("thanh_pho" if pkg[code]["province"].startswith("Thành phố") else "tinh")


def test_34_match_both_packages():
    import vietnam_provinces as vp

    pkg = _package_table("admin_units")
    ours = {p.code: p for p in all_provinces("34")}
    assert set(pkg) == set(ours)
    other = {f"{p.code.value:02d}": p for p in vp.Province.iter_all()}
    assert set(other) == set(ours)
    for code, p in ours.items():
        assert p.name == RENAMED_34.get(code, pkg[code]["provinceShort"]), code
        city = other[code].division_type == vp.VietNamDivisionType.THANH_PHO_TRUNG_UONG
        assert p.kind == ("thanh_pho" if city else "tinh"), code
        # vietnam-provinces writes "Thành phố X" for cities and a bare "X" for provinces
        assert (
            p.name_full == pkg[code]["province"] == (other[code].name if city else f"Tỉnh {other[code].name}")
        )


def test_merger_map_matches_vietnamadminunits_converter():
    import vietnamadminunits

    old_keys = {r["provinceKey"]: c for c, r in _package_table("admin_units_legacy").items()}
    new_keys = {r["provinceKey"]: c for c, r in _package_table("admin_units").items()}
    path = Path(vietnamadminunits.__file__).parent / "data" / "converter_2025.json"
    mapping = json.loads(path.read_text(encoding="utf-8"))["DICT_PROVINCE"]
    expected = {(old_keys[o], new_keys[n]) for n, olds in mapping.items() for o in olds}
    ours = {(p.code, successor(p).code) for p in all_provinces("63")}
    assert ours == expected


def test_merger_map_matches_research_list():
    if not RESEARCH_MERGER.exists():
        pytest.skip(f"research list not present at {RESEARCH_MERGER}")
    with RESEARCH_MERGER.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    checked = 0
    for row in rows:
        new = resolve(row["new_province_2025"], 2025).province
        assert new.regime == "34"
        if row["old_province"].startswith("("):
            continue
        old = resolve(row["old_province"], 2024).province
        assert successor(old) == new, row
        checked += 1
    assert checked >= 30


# --- every province name in the real PCI/PAPI workbooks ---------------------------------------------

_NOT_A_NAME = re.compile(
    r"^(tỉnh|tinh|tên tỉnh|province|xếp hạng|ranking|thứ tự|max|min|median|highest|lowest|pci_id|tentinh"
    r"|chỉ|các chỉ|tham chiếu|điểm|đối với|[†ψ])",
    re.IGNORECASE,
)


def _is_hanoi(value: str) -> bool:
    return re.sub(r"[\s.]", "", value.casefold()) in {"hànội", "hanoi", "tphànội", "thànhphốhànội"}


def _workbook_names(path: Path) -> set[str]:
    import pandas as pd

    found = set()
    for frame in pd.read_excel(path, sheet_name=None, engine="calamine", header=None).values():
        for col in frame.columns:
            cells = [v for v in frame[col] if isinstance(v, str) and v.strip()]
            if any(_is_hanoi(v) for v in cells):
                found |= {v for v in cells if len(v) <= 40 and not _NOT_A_NAME.match(v.strip())}
    return found


def test_every_name_in_the_official_workbooks_resolves():
    files = sorted(config.OFFICIAL_DIR.glob("*.xls*")) if config.OFFICIAL_DIR.exists() else []
    if not files:
        pytest.skip(f"official workbooks not present in {config.OFFICIAL_DIR}")
    failures = []
    for path in files:
        year = int(re.search(r"(\d{4})", path.name).group(1))
        names = _workbook_names(path)
        codes = set()
        for name in names:
            try:
                codes.add(resolve(name, year).province.code)
            except UnknownProvinceError as exc:
                failures.append(f"{path.name}: {exc}")
        # PCI 2005 covered 42 provinces, Hà Tây among them (now part of Hà Nội); later years all 63 or 64
        assert len(codes) >= 41, (path.name, len(codes))
    assert not failures, failures


# --- command line ------------------------------------------------------------------------------------


def test_cli_prints_one_json_line_per_name(capsys):
    assert main(["resolve", "Tp.HCM", "Yên Bái", "--year", "2025"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(d["code"], d["regime"]) for d in lines] == [("79", "34"), ("15", "34")]
    assert lines[1]["successor_of"]["name"] == "Yên Bái"


def test_cli_unknown_name_exits_2(capsys):
    assert main(["resolve", "Hà Nội", "Atlantis", "--year", "2018"]) == 2
    out = capsys.readouterr()
    assert json.loads(out.out)["code"] == "01"
    assert "Atlantis" in out.err


def test_cli_entry_point_subprocess():
    exe = Path(sys.executable).parent / "analysis"
    if not exe.exists():
        pytest.skip(f"console script not installed at {exe}")
    done = subprocess.run(
        [str(exe), "resolve", "Lào Cai", "--year", "2025"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    d = json.loads(done.stdout)
    assert (d["code"], d["regime"], d["name"]) == ("15", "34", "Lào Cai")
