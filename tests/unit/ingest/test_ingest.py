"""Official PCI/PAPI workbooks import with every province, the right year and the workbook's own figures.

Real-workbook tests read ../shared/data/official and skip when it is absent; the layout tests build
small workbooks here (a minimal .xlsx written with zipfile: no Excel writer is installed).
"""

from __future__ import annotations

import csv
import os
import time
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from analysis import config, indicators
from analysis.clean.check import ingest_to_csv
from analysis.clean.stage import run_clean
from analysis.config import CLEAN_COLUMNS
from analysis.errors import InputFileError
from analysis.ingest.grid import column_letters
from analysis.ingest.workbook import agree, ingest_workbook, merge_results
from analysis.provinces import all_provinces, resolve
from workbooks import NEW_PROVINCES, OFFICIAL, WORKBOOKS, pci_like, write_xlsx

# --- real workbooks ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def official():
    if not WORKBOOKS:
        pytest.skip(f"official workbooks absent ({OFFICIAL}); the layout tests below still run")
    started = time.perf_counter()
    results = {name: ingest_workbook(OFFICIAL / name) for name in WORKBOOKS}
    return results, time.perf_counter() - started


def expected_provinces(publisher: str, year: int) -> int:
    """How many provinces each edition covered (from the publishers' reports and the workbooks)."""
    if publisher == "PCI" and year == 2005:
        return 42  # the first PCI covered 42 provinces
    if publisher == "PCI" and year <= 2008:
        return 64  # Hà Tây was still a province when these surveys ran (merged into Hà Nội in Aug 2008)
    if publisher == "PAPI" and year == 2014:
        return 61  # PAPI_2011-2016.xlsx has no scores for Bắc Giang and Đồng Tháp in 2014 (aggregate 0)
    return 63


def _own_code(name: str, year: int) -> str:
    """Code of the province a name denotes that year, keeping a dissolved province (Hà Tây) apart."""
    res = resolve(name, year)
    return (res.successor_of or res.province).code


def test_every_official_workbook_imports_with_every_province(official):
    results, seconds = official
    assert seconds < 20, f"importing the official workbooks took {seconds:.1f} s"
    codes_63 = {p.code for p in all_provinces("63")}
    years_seen = set()
    for name, res in results.items():
        assert res.publisher == ("PCI" if name.startswith("PCI") else "PAPI")
        assert len(res.rows), name
        for year, group in res.rows.groupby("year"):
            years_seen.add((res.publisher, int(year)))
            codes = {_own_code(p, int(year)) for p in group["province"]}
            assert len(codes) == expected_provinces(res.publisher, int(year)), (name, year)
            if int(year) >= 2009 and expected_provinces(res.publisher, int(year)) == 63:
                assert codes == codes_63, (name, year)
        assert set(res.rows["unit"]) <= {"score", "rank"}
        for key, unit in zip(res.rows["indicator"], res.rows["unit"], strict=True):
            assert indicators.get(key).unit == unit
    assert {("PAPI", y) for y in range(2011, 2019)} <= years_seen
    pci_files = {int(n[4:8]) for n in results if n.startswith("PCI_")}
    assert {("PCI", y) for y in pci_files} <= years_seen


def test_year_comes_from_the_workbook_not_a_stale_copy(official):
    results, _ = official
    if "PCI_2015.xlsx" not in results:
        pytest.skip("PCI_2015.xlsx absent")
    res = results["PCI_2015.xlsx"]
    assert res.years == [2015]
    assert any("Summary" in w and "2013" in w for w in res.warnings)
    assert not res.rows["source_ref"].str.contains(":Summary!").any()


# Composite column of each workbook's main sheet, as its header reads (picked by hand from the files).
COMPOSITE = {
    "PCI_2005.xls": ("Xếp hạng theo chỉ số PCI", "PCI có trọng số (Điểm tối đa =100)", "pci"),
    "PCI_2006.xls": ("PCI Tóm tắt", "Chí số PCI 2006 (đã có trọng số)", "pci"),
    "PCI_2007.xls": ("Tóm tắt các chỉ số PCI ", "Chỉ số PCI 2007 đã có trọng số", "pci"),
    "PCI_2008.xls": ("Tổng hợp", "Có trọng số", "pci"),
    "PCI_2009.xls": ("Tong Hop", "PCI 2009  có trọng số", "pci"),
    "PCI_2010.xls": ("Tong hop", "PCI 2010", "pci"),
    "PCI_2011.xls": ("Tong hop", "PCI 2011", "pci"),
    "PCI_2012.xlsx": ("Tong hop", "PCI 2012", "pci"),
    "PCI_2013.xlsx": ("Summary_VN", "PCI 2013", "pci"),
    "PCI_2015.xlsx": ("Summary_VN", "PCI 2015", "pci"),
    "PCI_2017.xlsx": ("Summary", "The Weighted PCI Score in 2017", "pci"),
    "PCI_2018.xlsx": ("Summary", "The Weighted PCI Score in 2018", "pci"),
    "PAPI_2011-2016.xlsx": ("2013_PAPI", "Un-weighted2015PAPI", "papi"),
    "PAPI_2017_eng.xlsx": ("2017- PAPI ALL Dimensions ", "1: Participation at Local Levels",
                           "papi_participation"),
    "PAPI_2017_vie.xlsx": ("2017PAPI- Bảng tổng hợp kết quả", "1: Tham gia của người dân ở cấp cơ sở",
                           "papi_participation"),
    "PAPI_2018_eng.xlsx": ("2018PAPI-ALLDimentions", "8: E-Governance", "papi_e_governance"),
}  # fmt: skip
DA_NANG = {"đà nẵng", "da nang"}


PAIRS = {"PCI_2008.xls", "PCI_2010.xls", "PCI_2011.xls", "PCI_2012.xlsx", "PCI_2013.xlsx", "PCI_2015.xlsx"}


def _squash(cell: object) -> str:
    return " ".join(unicodedata.normalize("NFC", str(cell)).split()).casefold()


def _da_nang_by_scan(path: Path, sheet: str, header: str) -> float:
    """The value under `header` on Đà Nẵng's row: the name sits left of the column (just left of it
    in the (province, score) pair layouts)."""
    frame = pd.read_excel(path, sheet_name=sheet, header=None, engine="calamine")
    cells = frame.to_numpy(dtype=object)
    hits = [(i, j) for i in range(min(6, len(cells))) for j in range(cells.shape[1])
            if isinstance(cells[i, j], str) and _squash(cells[i, j]) == _squash(header)]  # fmt: skip
    assert hits, f"{header!r} not in {sheet}"
    top, col = hits[0]
    for i in range(top + 1, len(cells)):
        left = [cells[i, col - 1]] if path.name in PAIRS else list(cells[i, :col])
        if any(isinstance(c, str) and _squash(c) in DA_NANG for c in left):
            return float(cells[i, col])
    raise AssertionError(f"no Đà Nẵng row in {sheet}")


@pytest.mark.parametrize("name", sorted(COMPOSITE))
def test_composite_matches_the_cell_in_the_workbook(official, name):
    results, _ = official
    if name not in results:
        pytest.skip(f"{name} absent")
    sheet, header, key = COMPOSITE[name]
    expected = _da_nang_by_scan(OFFICIAL / name, sheet, header)
    rows = results[name].rows
    year = 2013 if name.startswith("PAPI_2011") else results[name].years[0]
    mine = rows[(rows["indicator"] == key) & (rows["year"] == year)]
    mine = mine[[resolve(p, year).province.code == "48" for p in mine["province"]]]
    assert len(mine) == 1
    assert mine["value"].iloc[0] == pytest.approx(expected)


def test_papi_2018_transposed_full_workbook(official):
    """Provinces across the top: the aggregate row read by hand equals what the importer yields."""
    results, _ = official
    if "PAPI_2018_FULL_vie.xlsx" not in results:
        pytest.skip("PAPI_2018_FULL_vie.xlsx absent")
    frame = pd.read_excel(OFFICIAL / "PAPI_2018_FULL_vie.xlsx", sheet_name=0, header=None, engine="calamine")
    aggregate = frame[frame[0].astype(str).str.startswith("Chỉ số PAPI 2018")].iloc[0]
    by_hand = {frame.iloc[0, j]: aggregate[j] for j in range(2, frame.shape[1])}
    numeric = {p: float(v) for p, v in by_hand.items() if isinstance(v, float | int)}
    rows = results["PAPI_2018_FULL_vie.xlsx"].rows
    papi = rows[rows["indicator"] == "papi"].set_index("province")["value"]
    assert len(papi) == len(numeric) == 61  # Quảng Ninh and Đồng Tháp: "KCDL" (no data)
    for province, value in numeric.items():
        assert papi[province] == pytest.approx(value)
    # top scorer of PAPI 2018 in the publisher's own workbook (CECODES, VFF-CRT & UNDP, PAPI 2018)
    assert papi.idxmax() == max(numeric, key=numeric.get)
    rejects = results["PAPI_2018_FULL_vie.xlsx"].rejects
    assert rejects["values"].eq("KCDL").sum() >= 6


# Rank 1 of each PCI edition as VCCI published it (PCI reports, pcivietnam.vn).
PCI_TOP = {2005: "74", 2006: "74", 2007: "74", 2008: "48", 2009: "48", 2010: "48",
           2011: "10", 2012: "87", 2013: "48", 2015: "48", 2017: "22", 2018: "22"}  # fmt: skip
# 74 Bình Dương, 48 Đà Nẵng, 10 Lào Cai, 87 Đồng Tháp, 22 Quảng Ninh


@pytest.mark.parametrize("year", sorted(PCI_TOP))
def test_pci_rank_one_matches_the_published_ranking(official, year):
    results, _ = official
    name = next((n for n in results if n.startswith(f"PCI_{year}")), None)
    if name is None:
        pytest.skip(f"PCI {year} absent")
    rows = results[name].rows
    pci = rows[rows["indicator"] == "pci"]
    top = pci.loc[pci["value"].idxmax(), "province"]
    assert resolve(top, year).province.code == PCI_TOP[year]
    ranks = rows[(rows["indicator"] == "pci_rank") & (rows["value"] == 1)]
    expected = [] if year in (2006, 2008) else [PCI_TOP[year]]  # 2006 and 2008 have no rank column
    assert [resolve(p, year).province.code for p in ranks["province"]] == expected


def test_summary_rows_and_leftovers_are_rejected_not_imported(official):
    results, _ = official
    if "PCI_2017.xlsx" not in results:
        pytest.skip("PCI_2017.xlsx absent")
    res = results["PCI_2017.xlsx"]
    reasons = " ".join(res.rejects["reason"])
    assert "'Min'" in reasons and "'Median'" in reasons and "'Max'" in reasons
    assert "Ha Noi repeats" in reasons  # the copy of Hà Nội's row under the table
    assert len(res.rows[(res.rows["indicator"] == "pci")]) == 63


# --- layouts built here ----------------------------------------------------------------------------------


def test_new_year_of_a_known_layout_imports_without_code_change(tmp_path):
    path = write_xlsx(tmp_path / "bang_xep_hang.xlsx", {"Tổng hợp": pci_like(2030, 70.0)})
    res = ingest_workbook(path)
    assert res.publisher == "PCI" and res.years == [2030]
    pci = res.rows[res.rows["indicator"] == "pci"].set_index("province")
    assert list(pci.index) == NEW_PROVINCES
    assert pci.loc["Tuyên Quang", "value"] == 67.0
    assert pci.loc["Tuyên Quang", "source_ref"] == "bang_xep_hang.xlsx:Tổng hợp!F7"
    assert pci.loc["Tuyên Quang", "source"] == "VCCI, Provincial Competitiveness Index 2030"
    assert set(res.rows["indicator"]) == {
        "pci",
        "pci_rank",
        "pci_entry_costs",
        "pci_land_access",
        "pci_transparency",
    }
    reasons = list(res.rejects["reason"])
    assert any("summary row 'Min'" in r for r in reasons)
    assert any("Đà Nẵng conflicts with" in r for r in reasons)  # the profile row below differs
    assert not res.rows["value"].isna().any()


def test_pairs_layout_reads_each_pair_on_its_own(tmp_path):
    """PCI 2010-2015: every (province, score) pair sorted by its own score."""
    names = NEW_PROVINCES[:4]
    rows: list[list[object]] = [
        ["Thứ tự", "Tỉnh", "Gia nhập thị trường", "", "Tính minh bạch", "", "PCI 2031"]
    ]
    order_b = names[::-1]
    for k in range(4):
        rows.append([k + 1, names[k], 9.0 - k, order_b[k], 8.0 - k, names[k], 60.0 - k])
    res = ingest_workbook(write_xlsx(tmp_path / "pairs.xlsx", {"Tong hop": rows}))
    values = res.rows.set_index(["province", "indicator"])["value"]
    assert values[(names[0], "pci_entry_costs")] == 9.0
    assert values[(names[0], "pci_transparency")] == 5.0  # last of the reversed pair
    assert values[(names[3], "pci_transparency")] == 8.0
    assert res.years == [2031]


def test_sheet_repeating_another_year_is_skipped_with_a_warning(tmp_path):
    path = write_xlsx(
        tmp_path / "PCI_2030.xlsx",
        {"Summary_VN": pci_like(2030, 70.0), "Summary": pci_like(2029, 50.0)},
    )
    res = ingest_workbook(path)
    assert res.years == [2030]
    assert any("Summary" in w and "2029" in w and "skipped" in w for w in res.warnings)
    assert set(res.rows["year"]) == {2030}
    assert res.rows.loc[res.rows["indicator"] == "pci", "value"].max() == 70.0


def test_provinces_across_the_top_are_read_transposed(tmp_path):
    names = NEW_PROVINCES[:5]
    rows = [
        ["Tên tỉnh/thành phố", "Thang điểm", *names],
        ["Chỉ số PAPI 2031 (không có trọng số)", "10-80 điểm", 44.0, 45.5, "KCDL", 43.0, 41.25],
        ["Chỉ số nội dung 1: Tham gia của người dân ở cấp cơ sở", "1-10 điểm", 5.1, 5.2, 5.3, 5.4, 5.5],
        ["1.1: Tri thức công dân", "0.25-2.5 điểm", 1.1, 1.2, 1.3, 1.4, 1.5],
        [],
        ["Ghi chú: KCDL = Không có dữ liệu"],
    ]
    res = ingest_workbook(write_xlsx(tmp_path / "papi_full.xlsx", {"ProvincialIndicators": rows}))
    assert res.publisher == "PAPI" and res.years == [2031]
    papi = res.rows[res.rows["indicator"] == "papi"].set_index("province")
    assert papi.loc[names[1], "value"] == 45.5
    assert papi.loc[names[1], "source_ref"] == "papi_full.xlsx:ProvincialIndicators!D2"
    assert names[2] not in papi.index
    assert res.rejects["values"].eq("KCDL").sum() == 1
    assert set(res.rows["indicator"]) == {"papi", "papi_participation"}


def test_text_numbers_are_read_in_the_columns_locale(tmp_path):
    rows = pci_like(2032, 70.0)
    for r in rows[3:7]:
        r[5] = f"{r[5]:.2f}".replace(".", ",")  # Vietnamese decimal comma written as text
    res = ingest_workbook(write_xlsx(tmp_path / "text.xlsx", {"Tổng hợp": rows}))
    pci = res.rows[res.rows["indicator"] == "pci"].set_index("province")["value"]
    assert pci["Hà Nội"] == 70.0 and pci["Đà Nẵng"] == 68.0


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.xlsx", b"", "empty"),
        ("corrupt.xlsx", bytes(range(256)) * 8, "cannot be read"),
        ("notes.txt", "Tỉnh, PCI\nHà Nội, 60\n".encode(), "not a workbook"),
    ],
)
def test_unreadable_files_raise_input_file_error(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputFileError, match=reason) as err:
        ingest_workbook(path)
    assert name in str(err.value)


def test_workbook_without_a_known_table_is_an_unknown_layout(tmp_path):
    path = write_xlsx(tmp_path / "budget.xlsx", {"Sheet1": [["Năm", "Chi"], [2024, 1.5], [2025, 2.5]]})
    with pytest.raises(InputFileError, match="unknown layout"):
        ingest_workbook(path)


def test_ingest_to_csv_keeps_going_past_a_bad_file(tmp_path, capsys):
    # 2025: the year's regime is the 34 provinces these fixture tables name
    good = write_xlsx(tmp_path / "good.xlsx", {"Tổng hợp": pci_like(2025, 70.0)})
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(os.urandom(512))
    out = tmp_path / "out" / "rows.csv"
    assert ingest_to_csv([bad, good], out) == 1
    captured = capsys.readouterr()
    assert "bad.xlsx" in captured.err and captured.err.count("\n") == 1
    assert "good.xlsx" in captured.out
    # what `make data` would keep: the clean table's columns, provinces resolved for the year
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(written.columns) == CLEAN_COLUMNS
    assert len(written) == 5 * len(NEW_PROVINCES)
    assert set(written["province_code"]) == {resolve(n, 2025).province.code for n in NEW_PROVINCES}
    assert set(written["regime"]) == {"34"}
    rejects = pd.read_csv(tmp_path / "out" / "rows.rejects.csv", dtype=str)
    assert rejects["reason"].str.contains("Min").any()  # the workbook's summary row, with its reason
    assert ingest_to_csv([good], out) == 0


def test_a_workbook_in_raw_official_is_cleaned_with_its_leftovers_in_the_rejects(tmp_path):
    official = tmp_path / "raw" / "official"
    official.mkdir(parents=True)
    write_xlsx(official / "pci_2025.xlsx", {"Tổng hợp": pci_like(2025, 70.0)})
    result = run_clean(tmp_path / "raw", tmp_path / "clean", quiet=True)
    figures = result.figures
    assert len(figures[figures["indicator"] == "pci"]) == len(NEW_PROVINCES)
    assert result.rejects["reason"].str.contains("Min").sum() == 1
    entry = result.manifest["inputs"][0]
    assert entry["kind"] == "workbook" and entry["read"] == entry["kept"] + entry["rejected"]
    assert entry["rejected"] == len(result.rejects) >= 2  # the Min row and the stray profile copy
    assert result.manifest["totals"]["balanced"]


def test_merge_keeps_one_row_when_workbooks_agree_and_both_when_they_differ(tmp_path):
    a = ingest_workbook(write_xlsx(tmp_path / "a_2030.xlsx", {"Tổng hợp": pci_like(2030, 70.0)}))
    b = ingest_workbook(write_xlsx(tmp_path / "b_2030.xlsx", {"Tổng hợp": pci_like(2030, 70.0)}))
    rows = pci_like(2030, 70.0)
    rows[3][5] = 71.5  # Hà Nội's composite differs in the third copy
    c = ingest_workbook(write_xlsx(tmp_path / "c_2030.xlsx", {"Tổng hợp": rows}))
    merged = merge_results([a, b])
    assert len(merged) == len(a.rows)
    note = merged.loc[(merged["province"] == "Hà Nội") & (merged["indicator"] == "pci"), "note"].item()
    assert "a_2030.xlsx" in note and "b_2030.xlsx" in note
    both = merge_results([a, c])
    hn = both[(both["province"] == "Hà Nội") & (both["indicator"] == "pci")]
    assert sorted(hn["value"]) == [70.0, 71.5]
    assert list(both.columns) == ["province", "year", "indicator", "value", "unit", "source", "note"]


def test_rounding_agreement():
    assert agree(55.89, 55.890123)
    assert agree(55.89, 55.9)  # 55.9 may be 55.89 rounded
    assert not agree(55.89, 55.8)
    assert not agree(55.89, 55.95)
    assert not agree(7.0, 7.5)


def test_alias_table_uses_catalogue_keys_only():
    path = config.PACKAGE_DATA / "subindex_names.csv"
    with path.open(encoding="utf-8") as fh:
        keys = {row["indicator"] for row in csv.DictReader(fh) if row["indicator"]}
    for key in keys:
        indicators.get(key)  # raises UnknownIndicatorError for a key the catalogue lacks


@pytest.mark.parametrize(("j", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")])
def test_column_letters_name_cells_as_excel_does(j, letters):
    assert column_letters(j) == letters
