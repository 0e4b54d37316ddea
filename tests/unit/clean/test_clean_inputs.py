"""Inputs as analysts and publishers really produce them (issue 8): nothing lost silently, nothing
wrong kept, no traceback. CSVs are written the way Excel exports them ("CSV UTF-8": BOM, CRLF,
quotes only where needed); workbooks are written by openpyxl with number cells and formats."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.clean.stage import run_clean
from analysis.cli import main as cli_main
from sheet_files import COLUMNS, excel_csv, figures_dir, sidecar


def clean(tmp_path: Path):
    return run_clean(tmp_path / "raw", tmp_path / "clean", quiet=True, max_year=2026)


def reject_of(result, needle: str) -> dict:
    rej = result.rejects
    hits = rej[rej["province"].str.contains(needle, regex=False)]
    assert len(hits) == 1, rej.to_dict("records")
    return hits.iloc[0].to_dict()


# --------------------------------------------------------------------------- figure sheets


def test_workbook_with_title_row_notes_sheet_and_missing_column_sheet(tmp_path):
    path = figures_dir(tmp_path) / "book.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Số liệu"
    ws.append(["Bảng số liệu CCHC năm 2024 (Sở Nội vụ tỉnh Nghệ An)"])
    ws.merge_cells("A1:G1")
    ws.append(COLUMNS)
    ws.append(["Nghệ An", 2024, "par_index", 88.5, "%", "Báo cáo 12/BC-UBND", ""])
    ws.append(["Hà Tĩnh", 2024, "par_index", 87.25, "%", "Báo cáo 12/BC-UBND", ""])
    notes = wb.create_sheet("Ghi chú")
    notes.append(["Số liệu do Sở Nội vụ tổng hợp; xem báo cáo gốc."])
    partial = wb.create_sheet("PCI")
    partial.append(["province", "year", "indicator", "value", "unit"])  # no source column
    partial.append(["Nghệ An", 2024, "pci", 66.1, "điểm"])
    wb.save(path)
    sidecar(path, source_quality="press")
    result = clean(tmp_path)
    assert sorted(result.figures["value"]) == [87.25, 88.5]  # the title row did not hide the table
    assert "book.xlsx:Số liệu!row 3" in result.figures["source_ref"].tolist()
    entry = result.manifest["inputs"][0]
    assert any("Ghi chú" in w and "notes sheet" in w for w in entry["warnings"])
    assert "sheet 'PCI'" in entry["error"] and "missing column(s) source" in entry["error"]
    assert result.manifest["totals"]["balanced"] is False  # a sheet was lost: never "balanced"
    assert result.unreadable == [(str(path), entry["error"])]


def test_clean_cli_writes_what_it_can_and_exits_non_zero_naming_each_file(tmp_path, capsys):
    folder = figures_dir(tmp_path)
    excel_csv(folder / "good.csv", [["Nghệ An", "2024", "par_index", "88,5", "%", "BC 12", ""]])
    excel_csv(folder / "nosource.csv", [["Hà Tĩnh", "2024", "par_index", "80", "%"]], COLUMNS[:5])
    (folder / "empty.csv").write_bytes(b"")
    code = cli_main(["clean", "--raw", str(tmp_path / "raw"), "--out", str(tmp_path / "clean")])
    err = capsys.readouterr().err
    assert code == 2
    assert "nosource.csv: missing column(s) source" in err and "empty.csv: file is empty" in err
    assert "Traceback" not in err
    written = pd.read_parquet(tmp_path / "clean" / "figures.parquet")
    assert written["value"].tolist() == [88.5]  # what could be read is written
    manifest = json.loads((tmp_path / "clean" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["totals"]["balanced"] is False and manifest["totals"]["unreadable_files"] == 2


def test_header_naming_value_twice_is_an_error_for_that_file(tmp_path):
    folder = figures_dir(tmp_path)
    header = ["province", "year", "indicator", "value", "unit", "source", "value"]
    excel_csv(folder / "twice.csv", [["Nghệ An", "2024", "par_index", "88", "%", "BC", "89"]], header)
    excel_csv(folder / "ok.csv", [["Hà Tĩnh", "2024", "par_index", "80", "%", "BC", ""]])
    result = clean(tmp_path)
    errors = {Path(f): r for f, r in result.unreadable}
    assert "'value' twice" in errors[folder / "twice.csv"] and "D and G" in errors[folder / "twice.csv"]
    assert result.figures["value"].tolist() == [80.0]  # the other file is kept, the ambiguous one not


def test_a_comma_too_many_rejects_the_row_instead_of_shifting_it(tmp_path):
    path = figures_dir(tmp_path) / "shift.csv"
    excel_csv(path, [["Hà Tĩnh", "2024", "par_index", "80", "%", "BC 7", "ok"]])
    with path.open("ab") as fh:  # typed by hand after the export: "Sở Nội vụ, tỉnh" not quoted
        fh.write("Nghệ An,2024,par_index,88,%,Sở Nội vụ, tỉnh Nghệ An,ghi chú\r\n".encode())
    result = clean(tmp_path)
    assert result.figures["province_name"].tolist() == ["Hà Tĩnh"]
    rej = reject_of(result, "Nghệ An")
    assert rej["row"] == "shift.csv:row 3" and rej["column"] == "H" and rej["value"] == "ghi chú"
    assert "8 fields but the header 7" in rej["reason"]
    assert result.manifest["totals"]["balanced"]


def test_optional_column_typo_is_reported_not_dropped(tmp_path):
    folder = figures_dir(tmp_path)
    header = ["province", "year", "indicator", "value", "unit", "source", "notes"]
    excel_csv(
        folder / "typo.csv", [["Nghệ An", "2024", "par_index", "88", "%", "BC", "rank inferred"]], header
    )
    result = clean(tmp_path)
    assert len(result.figures) == 1  # the figures are fine ...
    (lost,) = result.manifest["not_imported"]  # ... but the notes column is named, with a hint
    assert (lost["file"], lost["column"], lost["header"]) == ("typo.csv", "G", "notes")
    assert "did you mean 'note'" in lost["reason"]
    assert result.manifest["inputs"][0]["not_imported"] == [{k: v for k, v in lost.items() if k != "file"}]
    from analysis.clean.report import summary

    assert "not imported: typo.csv column G 'notes'" in summary(result.manifest, result.rejects, tmp_path)


def test_required_column_typo_names_the_column_and_the_near_miss(tmp_path):
    folder = figures_dir(tmp_path)
    header = ["province", "year", "indicator", "value", "unit", "sourse"]
    excel_csv(folder / "sourse.csv", [["Nghệ An", "2024", "par_index", "88", "%", "BC"]], header)
    ((_, reason),) = clean(tmp_path).unreadable
    assert "missing column(s) source" in reason and "'sourse'" in reason and "did you mean 'source'" in reason


def test_a_number_column_that_cannot_be_classified_costs_only_the_values_it_leaves_unreadable(tmp_path):
    folder = figures_dir(tmp_path)
    rows = [
        ["Nghệ An", "2024", "population", "3.419", "nghìn người", "GSO", ""],  # 3419 or 3.419?
        ["Hà Tĩnh", "2024", "population", "1.302", "nghìn người", "GSO", ""],
        ["Hà Nội", "2024", "population", "8587", "nghìn người", "GSO", ""],  # reads alike either way
    ]
    excel_csv(folder / "ambiguous.csv", rows)
    result = clean(tmp_path)
    assert result.figures["value"].tolist() == [8_587_000]
    rej = reject_of(result, "Nghệ An")
    assert (rej["row"], rej["column"], rej["value"]) == ("ambiguous.csv:row 2", "value", "3.419")
    assert "could be thousands (vi) or a decimal (intl)" in rej["reason"] and '"locale"' in rej["reason"]
    assert result.ok  # every row accounted for; the warning says how to fix the column
    assert any("2 value(s)" in w for w in result.manifest["inputs"][0]["warnings"])


def test_a_column_mixing_both_number_formats_refuses_every_value_with_a_separator(tmp_path):
    rows = [
        ["Nghệ An", "2024", "online_filing_rate", "90,2", "%", "BC", ""],
        ["Hà Tĩnh", "2024", "online_filing_rate", "76.81", "%", "BC", ""],
        ["Hà Nội", "2024", "online_filing_rate", "trên 80%", "%", "BC", ""],
    ]
    excel_csv(figures_dir(tmp_path) / "mixed.csv", rows)
    result = clean(tmp_path)
    assert result.figures["value"].tolist() == [80.0]
    assert sorted(result.rejects["province"]) == ["Hà Tĩnh", "Nghệ An"]
    assert result.rejects["reason"].str.contains("mixes Vietnamese ('90,2'", regex=False).all()


def test_a_stated_locale_decides(tmp_path):
    path = excel_csv(
        figures_dir(tmp_path) / "stated.csv",
        [["Nghệ An", "2024", "population", "3.419", "nghìn người", "GSO", ""]],
    )
    sidecar(path, locale="vi", source_quality="publisher")
    assert clean(tmp_path).figures["value"].tolist() == [3_419_000]


# --------------------------------------------------------------------------- values


def test_xlsx_number_cells_keep_their_numbers_and_percent_cells_their_percent(tmp_path):
    path = figures_dir(tmp_path) / "cells.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(COLUMNS)
    ws.append(["Nghệ An", 2018, "dti", 1.234 / 10, "", "MIC", ""])  # 0.1234: a number, no text round trip
    ws.append(["Hà Tĩnh", 2018, "population", 1.234, "triệu người", "GSO", ""])
    ws.append(["Hà Nội", 2024, "online_filing_rate", 0.902, "%", "Báo cáo", ""])
    ws["D4"].number_format = "0.0%"
    ws.append(["Đà Nẵng", 2024, "online_payment_rate", 0.5, "", "Báo cáo", ""])
    ws["D5"].number_format = "0%"
    ws.append(["Huế", 2018, "pci", 0.65, "điểm", "VCCI", ""])  # a percent-formatted score: says both
    ws["D6"].number_format = "0.00%"
    ws.append(
        ["Cần Thơ", 2018, "pci", 65.4, 'points "%"', "VCCI", ""]
    )  # a literal % in a format is no percent
    ws["D7"].number_format = '0.0"%"'
    wb.save(path)
    result = clean(tmp_path)
    fig = result.figures.set_index("province_name")
    assert fig.at["Nghệ An", "value"] == 0.1234
    assert fig.at["Hà Tĩnh", "value"] == 1_234_000
    assert fig.at["Hà Nội", "value"] == 90.2 and fig.at["Hà Nội", "unit"] == "percent"
    assert fig.at["Đà Nẵng", "value"] == 50.0
    assert fig.at["Cần Thơ", "value"] == 65.4
    rej = reject_of(result, "Huế")
    assert "percent-formatted cell" in rej["reason"] and "'điểm' (score)" in rej["reason"]
    assert rej["column"] == "value"


@pytest.mark.parametrize(
    ("indicator", "value", "unit", "expected"),
    [
        ("online_filing_rate", "12,5%", "%", 12.5),
        ("online_filing_rate", "12,5%", "", 12.5),
        ("population", "2 triệu", "người", 2_000_000),
        ("population", "2 triệu", "triệu người", 2_000_000),  # one scale, written twice: applied once
        ("population", "2 triệu người", "", 2_000_000),
        ("compliance_cost_saving", "35,5 tỷ đồng", "tỷ đồng", 35_500_000_000),
        ("population", "2", "triệu người", 2_000_000),
    ],
)
def test_a_unit_in_the_value_that_agrees_is_applied_once(tmp_path, indicator, value, unit, expected):
    excel_csv(figures_dir(tmp_path) / "u.csv", [["Nghệ An", "2024", indicator, value, unit, "BC", ""]])
    result = clean(tmp_path)
    assert result.rejects.empty, result.rejects.to_dict("records")
    assert result.figures["value"].tolist() == [pytest.approx(expected)]


@pytest.mark.parametrize(
    ("indicator", "value", "unit", "says"),
    [
        ("pci", "12,5%", "điểm", ["'12,5%'", "percent", "'điểm' (score)"]),
        ("pci", "64,5%", "", ["'64,5%'", "percent", "pci is measured in score"]),
        ("population", "2 triệu", "nghìn người", ["'2 triệu'", "×1,000,000", "'nghìn người'", "×1,000"]),
        ("online_filing_rate", "80 tỷ đồng", "%", ["'80 tỷ đồng'", "vnd", "'%' (percent)"]),
        ("par_tasks_done_rate", "40/40", "%", ["'40/40'", "fraction", "par_tasks_total"]),
    ],
)
def test_a_unit_in_the_value_that_disagrees_rejects_the_row_naming_both(
    tmp_path, indicator, value, unit, says
):
    excel_csv(figures_dir(tmp_path) / "u.csv", [["Nghệ An", "2024", indicator, value, unit, "BC", ""]])
    result = clean(tmp_path)
    assert result.figures.empty
    rej = reject_of(result, "Nghệ An")
    assert rej["column"] == "value"
    for text in says:
        assert text in rej["reason"], rej["reason"]


@pytest.mark.parametrize(
    ("year", "rank", "unit", "kept"),
    [
        ("2018", "63", "rank /63", True),
        ("2018", "64", "rank /63", False),
        ("2018", "64", "", False),
        ("2007", "64", "", True),  # Hà Tây still a province: PCI 2006–2008 ranked 64
        ("2025", "34", "", True),
        ("2025", "35", "", False),
        ("2025", "40", "rank /63", False),  # a stated N larger than the year's provinces does not widen it
        ("2024", "31", "rank /30", False),  # a top-30 list: the stated N narrows it
        ("2018", "7.5", "", False),
    ],
)
def test_ranks_fit_the_provinces_of_that_year(tmp_path, year, rank, unit, kept):
    excel_csv(figures_dir(tmp_path) / "r.csv", [["Nghệ An", year, "pci_rank", rank, unit, "VCCI", ""]])
    result = clean(tmp_path)
    assert (len(result.figures) == 1) is kept, result.rejects.to_dict("records")
    if not kept:
        reason = reject_of(result, "Nghệ An")["reason"]
        assert f"rank {rank}" in reason and ("within 1–" in reason)


def test_values_outside_the_plausible_range_are_rejected(tmp_path):
    rows = [
        [
            "Nghệ An",
            "2024",
            "vneid_accounts_activated",
            "10000000000000000000000000000",
            "tài khoản",
            "BC",
            "",
        ],
        ["Hà Tĩnh", "2024", "population", "1300000", "người", "GSO", ""],
        ["Hà Nội", "2024", "mobile_per_100", "9000", "/100 dân", "MIC", ""],
    ]
    excel_csv(figures_dir(tmp_path) / "p.csv", rows)
    result = clean(tmp_path)
    assert result.figures["province_name"].tolist() == ["Hà Tĩnh"]
    reason = reject_of(result, "Nghệ An")["reason"]
    assert "plausible range 0–25,000,000" in reason and "1e+28" in reason
    assert "plausible range 0–400" in reject_of(result, "Hà Nội")["reason"]


# --------------------------------------------------------------------------- no traceback


@pytest.mark.parametrize("year", ["inf", "-inf", "nan", "1e309", "2019.5", "20 19", "2019-01-01", "MMXIX"])
def test_odd_years_are_rejected_with_the_column(tmp_path, year):
    excel_csv(figures_dir(tmp_path) / "y.csv", [["Nghệ An", year, "pci", "64", "điểm", "VCCI", ""]])
    rej = reject_of(clean(tmp_path), "Nghệ An")
    assert rej["column"] == "year" and "year" in rej["reason"]


def test_sidecar_that_is_a_json_list_is_a_warning_and_the_rows_still_read(tmp_path):
    path = excel_csv(
        figures_dir(tmp_path) / "s.csv", [["Nghệ An", "2018", "pci", "64.5", "điểm", "VCCI", ""]]
    )
    path.with_name("s.meta.json").write_text('[{"publisher": "VCCI"}]', encoding="utf-8")
    result = clean(tmp_path)
    assert len(result.figures) == 1
    warnings = result.manifest["inputs"][0]["warnings"]
    assert any("must be a JSON object, not a list" in w for w in warnings)
    assert any("counted as 'press'" in w for w in warnings)


def test_a_cell_over_the_csv_field_limit_costs_its_row_only(tmp_path):
    huge = "x" * 200_000  # Python's csv module refuses fields over 131,072 characters
    rows = [
        ["Nghệ An", "2018", "pci", "64.5", "điểm", "VCCI", huge],
        ["Hà Tĩnh", "2018", "pci", "60.1", "điểm", "VCCI", ""],
    ]
    excel_csv(figures_dir(tmp_path) / "big.csv", rows)
    result = clean(tmp_path)
    assert result.figures["province_name"].tolist() == ["Hà Tĩnh"]
    rej = reject_of(result, "Nghệ An")
    assert rej["column"] == "note" and "200,000 characters" in rej["reason"]
    assert len(rej["value"]) < 300  # the rejects show a cut, not the whole cell


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("nul.csv", b"province,year\x00,indicator\n\x00\x00"),
        ("header_only.csv", ",".join(COLUMNS).encode()),
        ("open_quote.csv", (",".join(COLUMNS) + '\nNghệ An,2018,pci,"64.5,điểm,VCCI,\n').encode()),
        (
            "encrypted.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        ),  # an OLE (encrypted) container
        ("fake.xls", b"not a workbook at all"),
        ("binary.csv", bytes(range(256)) * 4),
    ],
)
def test_broken_files_are_named_without_a_traceback(tmp_path, capsys, name, data):
    (figures_dir(tmp_path) / name).write_bytes(data)
    code = cli_main(["clean", "--raw", str(tmp_path / "raw"), "--out", str(tmp_path / "clean")])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    manifest = json.loads((tmp_path / "clean" / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["inputs"][0]
    if "error" in entry:
        assert code == 2 and name in err
    else:  # read, with every row either kept or rejected
        assert entry["read"] == entry["kept"] + entry["rejected"]


def test_odd_xlsx_cells_are_rejected_not_crashing(tmp_path):
    import datetime as dt

    path = figures_dir(tmp_path) / "odd.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(COLUMNS)
    ws.append(["Nghệ An", 2018, "pci", True, "điểm", "VCCI", ""])
    ws.append(["Hà Tĩnh", dt.datetime(2018, 1, 1), "pci", 60.1, "điểm", "VCCI", ""])
    ws.append([1234, 2018, "pci", 60.1, "điểm", "VCCI", ""])
    ws.append(["Hà Nội", 2018, "pci", 61.2, "điểm", "VCCI", ""])
    wb.save(path)
    result = clean(tmp_path)
    assert result.figures["province_name"].tolist() == ["Hà Nội"]
    assert sorted(result.rejects["column"]) == ["province", "value", "year"]


# --------------------------------------------------------------------------- CSV outputs


def test_csv_outputs_neutralise_formulas_and_the_parquet_keeps_the_text(tmp_path):
    rows = [
        ["Nghệ An", "2018", "pci", "64.5", "điểm", '=HYPERLINK("http://x.example","VCCI")', "+1 check"],
        ["@SUM(A1)", "2018", "pci", "60", "điểm", "-cmd|' /C calc'!A0", ""],
    ]
    excel_csv(figures_dir(tmp_path) / "f.csv", rows)
    result = clean(tmp_path)
    out = tmp_path / "clean"
    parquet = pd.read_parquet(out / "figures.parquet")
    assert parquet.at[0, "source"].startswith("=HYPERLINK") and parquet.at[0, "note"] == "+1 check"
    figures_csv = pd.read_csv(out / "figures.csv", dtype=str, keep_default_na=False)
    assert figures_csv.at[0, "source"] == "'" + parquet.at[0, "source"]
    assert figures_csv.at[0, "note"] == "'+1 check"
    assert figures_csv.at[0, "value"] == "64.5"  # numbers stay numbers
    rejects_csv = pd.read_csv(out / "rejects.csv", dtype=str, keep_default_na=False)
    assert rejects_csv.at[0, "province"] == "'@SUM(A1)" and rejects_csv.at[0, "source"].startswith("'-cmd")
    assert result.rejects.at[0, "province"] == "@SUM(A1)"  # in memory, the true text


# --------------------------------------------------------------------------- cost


def test_conflict_reasons_are_bounded_whatever_the_group_size(tmp_path):
    rows = [["Nghệ An", "2018", "pci", f"{60 + i / 10:.1f}", "điểm", f"src {i}", ""] for i in range(40)]
    excel_csv(figures_dir(tmp_path) / "c.csv", rows)
    result = clean(tmp_path)
    assert result.figures.empty and len(result.rejects) == 40
    lengths = result.rejects["reason"].str.len()
    assert lengths.max() < 300
    assert result.rejects["reason"].str.contains(r"; \+36 more", regex=True).all()


# --------------------------------------------------------------------------- source quality


def _two_sources(tmp_path, a_quality, b_quality, a_value="45.1", b_value="44.2"):
    folder = figures_dir(tmp_path)
    a = excel_csv(folder / "a.csv", [["Quảng Ninh", "2020", "papi", a_value, "points (max 80)", "src A", ""]])
    b = excel_csv(folder / "b.csv", [["Quang Ninh", "2020", "papi", b_value, "points (max 80)", "src B", ""]])
    for path, quality in ((a, a_quality), (b, b_quality)):
        if quality is None:
            sidecar(path)
        else:
            sidecar(path, source_quality=quality)
    return clean(tmp_path)


@pytest.mark.parametrize(
    ("a_quality", "b_quality", "winner"),
    [
        ("publisher", "press", "a.csv"),
        ("press", "publisher", "b.csv"),
        ("secondary_complete", "press", "a.csv"),
        ("publisher", "secondary_complete", "a.csv"),
        ("secondary_complete", None, "a.csv"),  # no source_quality counts as press
    ],
)
def test_higher_source_quality_wins_and_the_loser_names_the_winner(tmp_path, a_quality, b_quality, winner):
    result = _two_sources(tmp_path, a_quality, b_quality)
    assert result.figures["source_ref"].tolist() == [f"{winner}:row 2"]
    (loser,) = result.rejects.to_dict("records")
    assert loser["file"] != winner
    assert f"superseded by {winner}:row 2" in loser["reason"] and "outranks" in loser["reason"]


@pytest.mark.parametrize("quality", ["publisher", "press", None])
def test_equal_quality_still_rejects_both(tmp_path, quality):
    result = _two_sources(tmp_path, quality, quality)
    assert result.figures.empty
    reasons = dict(zip(result.rejects["file"], result.rejects["reason"], strict=True))
    assert (
        "conflicts with b.csv:row 2" in reasons["a.csv"] and "conflicts with a.csv:row 2" in reasons["b.csv"]
    )


def test_missing_source_quality_is_reported_in_manifest_and_warnings(tmp_path):
    result = _two_sources(tmp_path, None, "publisher")
    inputs = {Path(i["file"]).name: i for i in result.manifest["inputs"]}
    assert inputs["a.csv"]["source_quality"] == "press" and inputs["b.csv"]["source_quality"] == "publisher"
    assert any("no source_quality" in w for w in inputs["a.csv"]["warnings"])
    assert not any("source_quality" in w for w in inputs["b.csv"]["warnings"])


def test_same_value_keeps_the_higher_quality_even_when_less_precise(tmp_path):
    result = _two_sources(tmp_path, "publisher", "press", a_value="65.82", b_value="65.8153")
    assert result.figures["value"].tolist() == [65.82]
    assert "duplicate of a.csv:row 2" in result.rejects.at[0, "reason"]


# --------------------------------------------------------------------------- workbooks' columns


def test_columns_a_workbook_importer_did_not_import_reach_the_manifest(tmp_path):
    from types import SimpleNamespace

    from analysis.clean.report import build_manifest, summary
    from analysis.clean.stage import clean_frames, workbook_input
    from analysis.ingest.tables import NotImported

    path = tmp_path / "PCI_2019.xlsx"
    path.write_bytes(b"stand-in")
    unknown = NotImported("PCI_2019.xlsx", "Sheet1", "M", "PCI chưa trọng số", "no data file knows it", False)
    tier = NotImported("PCI_2019.xlsx", "Sheet1", "N", "Nhóm xếp hạng", "the tier: not a figure", True)
    result = SimpleNamespace(
        rows=pd.DataFrame(
            {
                "province": ["Nghệ An"],
                "year": [2019],
                "indicator": ["pci"],
                "value": [1.234],
                "unit": ["score"],
                "source": ["VCCI, PCI 2019"],
                "source_ref": ["PCI_2019.xlsx:Sheet1!C5"],
            }
        ),
        rejects=pd.DataFrame(columns=["sheet", "row", "values", "reason"]),
        warnings=[],
        not_imported=[unknown, tier],
    )
    item = workbook_input(path, result)
    figures, rejects = clean_frames([item], 2026)
    assert figures["value"].tolist() == [1.234]  # a number stays that number
    manifest = build_manifest([item], figures, rejects)
    assert [(n["file"], n["column"], n["header"], n["explained"]) for n in manifest["not_imported"]] == [
        ("PCI_2019.xlsx", "M", "PCI chưa trọng số", False),
        ("PCI_2019.xlsx", "N", "Nhóm xếp hạng", True),
    ]
    json.dumps(manifest)  # JSON-ready
    assert manifest["inputs"][0]["source_quality"] == "publisher"
    text = summary(manifest, rejects, tmp_path)
    assert "not imported: PCI_2019.xlsx:Sheet1 column M 'PCI chưa trọng số'" in text
    assert "PCI_2019.xlsx: 1 column(s) left out on purpose" in text


def test_an_unclosed_quote_is_named_and_a_quoted_multiline_note_is_fine(tmp_path):
    folder = figures_dir(tmp_path)
    excel_csv(folder / "ml.csv", [["Nghệ An", "2018", "pci", "64.5", "điểm", "VCCI", "dòng 1\ndòng 2"]])
    text = ",".join(COLUMNS) + '\r\nHà Tĩnh,2018,pci,"60.1,điểm,VCCI,\r\nHà Nội,2018,pci,61,điểm,VCCI,\r\n'
    (folder / "open.csv").write_text(text, encoding="utf-8")
    result = clean(tmp_path)
    assert result.figures["province_name"].tolist() == ["Nghệ An"]
    assert result.figures.at[0, "note"] == "dòng 1\ndòng 2"
    rej = reject_of(result, "Hà Tĩnh")
    assert rej["row"] == "open.csv:row 2" and "never closed" in rej["reason"] and "2 lines" in rej["reason"]


def test_an_encrypted_workbook_is_named_as_such(tmp_path):
    path = figures_dir(tmp_path) / "locked.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    ((_, reason),) = clean(tmp_path).unreadable
    assert "encrypted" in reason


def test_semicolon_csv_as_excel_writes_it_in_a_comma_decimal_locale(tmp_path):
    text = ";".join(COLUMNS) + '\r\nNghệ An;2024;online_filing_rate;90,2;%;"Báo cáo 87/BC-UBND; tỉnh";\r\n'
    (figures_dir(tmp_path) / "semi.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = clean(tmp_path)
    assert result.figures[["value", "source"]].values.tolist() == [[90.2, "Báo cáo 87/BC-UBND; tỉnh"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd", "'+cmd"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=x", "'\t=x"),
        ("\r=x", "'\r=x"),
        ("-5", "-5"),  # a signed number is read as a number, never run
        ("+12,5%", "+12,5%"),
        ("-0.75", "-0.75"),
        ("-5\n=HYPERLINK(1)", "'-5\n=HYPERLINK(1)"),
        ("Nghệ An", "Nghệ An"),
        (-5.0, -5.0),
    ],
)
def test_neutralise_formula(text, expected):
    from analysis.writing import neutralise_formula

    assert neutralise_formula(text) == expected


def test_a_csv_title_row_above_the_header_is_skipped(tmp_path):
    title = [["Bảng tổng hợp chỉ số CCHC năm 2024", "", "", "", "", "", ""], ["", "", "", "", "", "", ""]]
    rows = [["Nghệ An", "2024", "par_index_rank", "16", "rank /63", "Bộ Nội vụ", ""]]
    excel_csv(figures_dir(tmp_path) / "titled.csv", rows, above=title)
    result = clean(tmp_path)
    assert result.figures["value"].tolist() == [16.0]
    assert result.figures["source_ref"].tolist() == ["titled.csv:row 4"]  # the line an editor shows


def test_a_workbook_saved_by_libreoffice_reads_like_the_original(tmp_path):
    """LibreOffice records a sheet's size as a row range only (<dimension ref="1:3"/>)."""
    import re
    import zipfile

    plain = tmp_path / "plain.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(COLUMNS)
    wb.active.append(["Nghệ An", 2024, "par_index", 88.51, "%", "Bộ Nội vụ", ""])
    wb.save(plain)
    path = figures_dir(tmp_path) / "libre.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                data, n = re.subn(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="1:2"/>', data)
                assert n == 1
            dst.writestr(info, data)
    result = clean(tmp_path)
    assert result.figures["value"].tolist() == [88.51] and result.ok


# --------------------------------------------------------------------------- any input at all

_cells = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["Nghệ An", "TP.HCM", "2018", "2025", "inf", "nan", "pci", "pci_rank", "%", "điểm", "-1e999"]
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(_cells, min_size=0, max_size=9), min_size=1, max_size=6))
def test_any_csv_text_is_kept_or_rejected_never_a_traceback(tmp_path, rows):
    folder = figures_dir(tmp_path / "fuzz")
    for old in folder.iterdir():
        old.unlink()
    excel_csv(folder / "fuzz.csv", [[*r] for r in rows])
    result = run_clean(tmp_path / "fuzz" / "raw", tmp_path / "fuzz" / "clean", quiet=True, max_year=2026)
    entry = result.manifest["inputs"][0]
    assert "error" in entry or entry["read"] == entry["kept"] + entry["rejected"]


@settings(max_examples=60, deadline=None)
@given(
    value=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**30), 10**30)),
    year=st.one_of(st.integers(-5, 10**6), st.floats(allow_nan=True, allow_infinity=True)),
    percent=st.booleans(),
)
def test_any_number_cell_is_kept_or_rejected_never_a_traceback(value, year, percent):
    from analysis.clean.grids import Number
    from analysis.clean.stage import Input, clean_frames

    rows = pd.DataFrame(
        {
            "province": ["Nghệ An"],
            "year": [str(year)],
            "indicator": ["online_filing_rate"],
            "unit": ["%"],
            "source": ["BC"],
            "note": [""],
            "qualifier": [""],
            "source_ref": ["x.xlsx:Sheet1!row 2"],
        }
    )
    rows["value"] = pd.Series([Number(float(value), percent)], dtype=object)
    item = Input(path=Path("x.xlsx"), kind="figure sheet", sha256="", rows=rows, locale="vi")
    figures, rejects = clean_frames([item], 2026)
    assert len(figures) + len(rejects) == 1


def test_a_publisher_xls_dropped_among_figure_sheets_is_named_not_crashing(tmp_path):
    """The .xls route (calamine) on a real old workbook: not a figure sheet, so named with the reason."""
    import shutil

    from analysis import config

    source = config.OFFICIAL_DIR / "PCI_2005.xls"
    if not source.exists():
        pytest.skip(f"{source} not available (../shared is optional)")
    shutil.copy(source, figures_dir(tmp_path) / "PCI_2005.xls")
    excel_csv(figures_dir(tmp_path) / "ok.csv", [["Nghệ An", "2018", "pci", "64.5", "điểm", "VCCI", ""]])
    result = clean(tmp_path)
    assert len(result.figures) == 1
    ((name, reason),) = result.unreadable
    assert name.endswith("PCI_2005.xls") and "no sheet has a figure-sheet header" in reason


def test_workbook_table_away_from_a1_with_a_province_merged_down(tmp_path):
    path = figures_dir(tmp_path) / "merged.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    for j, name in enumerate(COLUMNS, start=2):  # the table starts at B3: row 1-2 and column A empty
        ws.cell(3, j, name)
    for r, (indicator, value) in enumerate([("par_index", 88.5), ("sipas", 84.1)], start=4):
        for j, v in enumerate([None, 2024, indicator, value, "%", "Bộ Nội vụ", ""], start=2):
            ws.cell(r, j, v)
    ws.cell(4, 2, "Nghệ An")
    ws.merge_cells("B4:B5")  # one province cell for its two rows, as analysts lay it out
    ws.cell(6, 9, "stray")  # a value under no header, column I
    ws.cell(6, 2, "Hà Tĩnh")
    wb.save(path)
    result = clean(tmp_path)
    fig = result.figures
    assert fig[["province_name", "indicator", "value"]].values.tolist() == [
        ["Nghệ An", "par_index", 88.5],
        ["Nghệ An", "sipas", 84.1],
    ]
    assert sorted(fig["source_ref"]) == ["merged.xlsx:Sheet!row 4", "merged.xlsx:Sheet!row 5"]
    rej = reject_of(result, "Hà Tĩnh")
    assert rej["column"] == "I" and rej["row"] == "merged.xlsx:Sheet!row 6"
    assert "right of the table's last titled column" in rej["reason"]
