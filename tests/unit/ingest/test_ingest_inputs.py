"""Workbooks as they really come: written by LibreOffice, encrypted, damaged, with columns we do not know.

Every fixture is a file written here: openpyxl writes the workbook, then the sheet XML inside the zip is
edited the way another program writes it. The official-workbook test reads ../shared and skips without it.
"""

from __future__ import annotations

import datetime
import re
import struct
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis import config
from analysis.clean.check import ingest_to_csv
from analysis.errors import InputFileError
from analysis.ingest.names import match_header, skip_rules
from analysis.ingest.readers import OLE_MAGIC, ole_stream_names
from analysis.ingest.workbook import ingest_workbook, not_imported_frame
from workbooks import NEW_PROVINCES, WORKBOOKS, pci_like, write_xlsx

# --- writers ------------------------------------------------------------------------------------------


def openpyxl_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append([None if v == "" else v for v in row])
    book.save(path)
    return path


def as_libreoffice_writes_it(src: Path, dst: Path) -> Path:
    """The same workbook with each sheet's size recorded as a row range only (`<dimension ref="1:12"/>`)
    and LibreOffice's column block up to its last column (AMJ = 1025), as LibreOffice Calc saves xlsx."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text = data.decode("utf-8")
                last_row = max(int(r) for r in re.findall(r'<row r="(\d+)"', text))
                text, n = re.subn(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="1:{last_row}"/>', text)
                assert n == 1, "openpyxl wrote no <dimension>: the fixture would test nothing"
                cols = '<cols><col min="1" max="1025" width="11.5" style="0" customWidth="false"/></cols>'
                text = re.sub(r"<cols>.*?</cols>", "", text).replace("<sheetData", cols + "<sheetData", 1)
                data = text.encode("utf-8")
            zout.writestr(item, data)
    return dst


def ole_file(path: Path, streams: list[str]) -> Path:
    """A minimal OLE compound file (512-byte sectors: header, one FAT sector, one directory sector) whose
    directory names `streams`; Excel's password-protected xlsx is such a file with EncryptionInfo and
    EncryptedPackage streams."""
    free, end, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    header = bytearray(512)
    header[0:8] = OLE_MAGIC
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 4096, end, 0, end, 0)
    struct.pack_into("<109I", header, 76, 0, *([free] * 108))
    fat = struct.pack("<128I", fat_sector, end, *([free] * 126))

    def entry(name: str, kind: int, child: int = free, right: int = free) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        out = bytearray(128)
        out[: len(raw)] = raw
        struct.pack_into("<HBBIII", out, 64, len(raw), kind, 1, free, right, child)
        struct.pack_into("<IQ", out, 116, end, 0)
        return bytes(out)

    names = ["Root Entry", *streams]
    entries = [entry("Root Entry", 5, child=1)]
    entries += [entry(n, 2, right=k + 2 if k + 2 < len(names) else free) for k, n in enumerate(streams)]
    directory = b"".join(entries).ljust(512, b"\0")
    path.write_bytes(bytes(header) + fat + directory)
    return path


def _pci(res) -> pd.Series:
    return res.rows[res.rows["indicator"] == "pci"].set_index("province")["value"]


# --- any valid workbook, whatever wrote it -------------------------------------------------------------


def with_sheet_xml(src: Path, dst: Path, edit) -> Path:
    """A copy of the workbook with each sheet's XML passed through `edit`."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = edit(data.decode("utf-8")).encode("utf-8")
            zout.writestr(item, data)
    return dst


@pytest.mark.parametrize(
    ("variant", "edit", "refusal"),
    [
        # a writer that records the columns only (dims "A:F", as some R writers allow)
        (
            "columns_only",
            lambda x: re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A:F"/>', x),
            "row",
        ),
    ],
)
def test_other_writers_dimension_styles_are_read_too(tmp_path, variant, edit, refusal):
    original = openpyxl_xlsx(tmp_path / "PCI_2030.xlsx", {"Tổng hợp": pci_like(2030, 70.0)})
    other = with_sheet_xml(original, tmp_path / f"PCI_2030_{variant}.xlsx", edit)
    with pytest.raises(Exception, match=refusal):
        pd.read_excel(other, sheet_name=None, header=None, engine="calamine")
    assert _pci(ingest_workbook(other)).to_dict() == _pci(ingest_workbook(original)).to_dict()


def test_libreoffice_saved_workbook_is_read_by_the_second_reader(tmp_path):
    rows = pci_like(2030, 70.0)
    original = openpyxl_xlsx(tmp_path / "PCI_2030.xlsx", {"Tổng hợp": rows})
    relo = as_libreoffice_writes_it(original, tmp_path / "PCI_2030_lo.xlsx")
    with pytest.raises(Exception, match="column component"):  # the fast reader refuses this valid file
        pd.read_excel(relo, sheet_name=None, header=None, engine="calamine")
    first, second = ingest_workbook(original), ingest_workbook(relo)
    assert second.years == [2030]
    assert (
        _pci(second).to_dict() == _pci(first).to_dict() == {p: 70.0 - k for k, p in enumerate(NEW_PROVINCES)}
    )
    assert list(second.rows["source_ref"].str.split("!").str[1]) == list(
        first.rows["source_ref"].str.split("!").str[1]
    )  # same cells named
    assert any("openpyxl" in w and "column component" in w for w in second.warnings)
    assert not any("openpyxl" in w for w in first.warnings)


def test_encrypted_workbook_is_named_as_encrypted(tmp_path):
    path = ole_file(tmp_path / "PCI_2030.xlsx", ["EncryptionInfo", "EncryptedPackage"])
    assert {"EncryptionInfo", "EncryptedPackage"} <= ole_stream_names(path.read_bytes())
    with pytest.raises(InputFileError, match="encrypted") as err:
        ingest_workbook(path)
    assert err.value.path == str(path)


def test_old_binary_file_that_calamine_refuses_says_there_is_no_second_reader(tmp_path):
    path = ole_file(tmp_path / "PCI_2004.xls", ["Workbook"])
    assert ole_stream_names(path.read_bytes()) == {"Root Entry", "Workbook"}
    with pytest.raises(InputFileError, match="no second reader") as err:
        ingest_workbook(path)
    assert "encrypted" not in str(err.value) and "PCI_2004.xls" in str(err.value)


def test_damaged_workbooks_give_typed_errors_never_a_traceback(tmp_path):
    good = openpyxl_xlsx(tmp_path / "good.xlsx", {"Tổng hợp": pci_like(2030, 70.0)}).read_bytes()
    variants = {
        "truncated.xlsx": good[: len(good) // 2],
        "ole_garbage.xlsx": OLE_MAGIC + bytes(range(256)) * 4,
        "zip_without_workbook.xlsx": _zip({"hello.txt": b"xin chao"}),
        "garbage.xls": bytes(range(256)) * 4,
    }
    for name, data in variants.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(InputFileError) as err:
            ingest_workbook(path)
        assert name in str(err.value)


def test_workbooks_damaged_anywhere_give_a_result_or_a_typed_error(tmp_path):
    """Flip a run of bytes at many places of a valid workbook: each copy imports or names its file."""
    good = openpyxl_xlsx(tmp_path / "good.xlsx", {"Tổng hợp": pci_like(2030, 70.0)}).read_bytes()
    outcomes = set()
    for start in range(0, len(good), max(1, len(good) // 40)):
        path = tmp_path / f"damaged_{start}.xlsx"
        path.write_bytes(
            good[:start] + bytes(b ^ 0x5A for b in good[start : start + 64]) + good[start + 64 :]
        )
        try:
            ingest_workbook(path)
            outcomes.add("read")
        except InputFileError as exc:
            assert path.name in str(exc)
            outcomes.add("error")
    assert "error" in outcomes  # the damage was real somewhere


def _zip(files: dict[str, bytes]) -> bytes:
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_a_bad_cell_or_a_huge_cell_costs_that_cell_only(tmp_path):
    rows = pci_like(2030, 70.0)
    rows[4][5] = "bảy mươi"  # the second province's PCI (sheet row 5), written in words
    rows[5].append("x" * 140_000)  # a note past the table, longer than a spreadsheet cell may be
    res = ingest_workbook(write_xlsx(tmp_path / "bad_cells.xlsx", {"Tổng hợp": rows}))
    pci = _pci(res)
    assert NEW_PROVINCES[1] not in pci.index and len(pci) == len(NEW_PROVINCES) - 1
    bad = res.rejects[res.rejects["values"] == "bảy mươi"]
    assert list(bad["row"]) == ["F5"] and list(bad["sheet"]) == ["Tổng hợp"]
    assert "bad_cells.xlsx" in set(bad["file"])
    other = res.rows[(res.rows["province"] == NEW_PROVINCES[1]) & (res.rows["indicator"] != "pci")]
    assert len(other) == 4  # the province's other columns are kept


def test_odd_cells_written_by_a_spreadsheet_are_rejected_one_by_one(tmp_path):
    """Text that Python would read as a number ("inf", "1e309"), booleans, dates and a cell longer
    than a spreadsheet allows: each is rejected naming its cell; every other value is imported."""
    rows = pci_like(2030, 70.0)
    odd = ["inf", "-inf", "1e309", True, datetime.datetime(2024, 1, 2)]
    for k, value in enumerate(odd):
        rows[3 + k][5] = value  # the PCI column (F) of the first five provinces, sheet rows 4-8
    rows[8][2] = "ghi chú " * 20_000  # 160,000 characters in the entry-costs column (C9)
    res = ingest_workbook(openpyxl_xlsx(tmp_path / "odd.xlsx", {"Tổng hợp": rows}))
    rejected = res.rejects.set_index("row")
    assert {"F4", "F5", "F6", "F7", "F8", "C9"} <= set(rejected.index)
    assert all("cannot read" in rejected.loc[c, "reason"] for c in ("F4", "F5", "F6", "F7", "F8", "C9"))
    # the readers keep a spreadsheet cell's 32,767 characters at most; the reject quotes 200 of them
    assert len(rejected.loc["C9", "values"]) < 300 and "characters)" in rejected.loc["C9", "values"]
    assert len(rejected.loc["C9", "reason"]) < 300
    pci = _pci(res)
    assert sorted(pci.index) == sorted(NEW_PROVINCES[5:])  # the three provinces with plain numbers
    entry = res.rows[res.rows["indicator"] == "pci_entry_costs"].set_index("province")["value"]
    assert NEW_PROVINCES[5] not in entry.index and len(entry) == len(NEW_PROVINCES) - 1


# --- no column lost silently ----------------------------------------------------------------------------


def test_unknown_column_is_listed_as_not_imported(tmp_path, capsys):
    rows = pci_like(2025, 70.0)
    rows[1].insert(5, "E-government")  # a column this importer has never seen
    rows[2].insert(5, "Chính quyền điện tử")
    for r in rows[3:]:
        if len(r) > 5:
            r.insert(5, 3.25)
    path = write_xlsx(tmp_path / "PCI_2025.xlsx", {"Tổng hợp": rows})
    res = ingest_workbook(path)
    assert set(res.rows["indicator"]) == {
        "pci",
        "pci_rank",
        "pci_entry_costs",
        "pci_land_access",
        "pci_transparency",
    }
    (lost,) = res.unexplained
    assert (lost.sheet, lost.column, lost.header) == ("Tổng hợp", "F", "E-government / Chính quyền điện tử")
    assert "subindex_names.csv" in lost.reason
    row_numbers = [n for n in res.not_imported if n.column == "A"]
    assert row_numbers and row_numbers[0].explained and row_numbers[0].reason == "row number"

    out = tmp_path / "out.csv"
    assert ingest_to_csv([path], out) == 0
    printed = capsys.readouterr().out
    assert "NOT IMPORTED: Tổng hợp!F 'E-government / Chính quyền điện tử'" in printed
    listed = pd.read_csv(out.with_name("out.not_imported.csv"))
    assert list(listed.columns) == ["file", "sheet", "column", "header", "reason", "explained"]
    assert listed.loc[~listed["explained"], "column"].tolist() == ["F"]


def test_untitled_number_column_is_listed_not_dropped(tmp_path):
    rows = [["Tỉnh", "PCI 2030", "Xếp hạng", ""]]
    rows += [[p, 70.0 - k, k + 1, 0.5 + k] for k, p in enumerate(NEW_PROVINCES)]
    res = ingest_workbook(write_xlsx(tmp_path / "PCI_2030.xlsx", {"Tong hop": rows}))
    (lost,) = res.unexplained
    assert (lost.column, lost.header, lost.reason) == ("D", "", "no title")


def test_weighted_composite_is_the_published_pci_and_the_unweighted_is_listed(tmp_path):
    rows = [
        ["Tỉnh, thành phố", "Chỉ số PCI 2030 (chưa có trọng số)", "Chỉ số PCI 2030 (có trọng số)", "Xếp hạng"]
    ]
    rows += [[p, 60.0 - k, 70.0 - k, k + 1] for k, p in enumerate(NEW_PROVINCES)]
    res = ingest_workbook(write_xlsx(tmp_path / "PCI_2030.xlsx", {"Tổng hợp": rows}))
    assert _pci(res).max() == 70.0 and res.years == [2030]
    (unweighted,) = [n for n in res.not_imported if n.column == "B"]
    assert unweighted.explained and "not the published score" in unweighted.reason


@pytest.mark.parametrize(
    ("title", "publisher", "key"),
    [
        ("The Weighted PCI Score in 2030", "PCI", "pci"),
        ("PCI 2030 (weighted)", "PCI", "pci"),
        ("Điểm PCI có trọng số 2030", "PCI", "pci"),
        ("PCI 2030 (unweighted)", "PCI", "-"),  # a weighting remark is never dropped to match "PCI"
        ("Un-weighted PCI 2030", "PCI", "-"),
        ("Chỉ số PAPI 2030 (không có trọng số)", "PAPI", "papi"),
        ("Unweighted PAPI score 2030", "PAPI", "papi"),
        ("Chỉ số PAPI 2030 (có trọng số)", "PAPI", "-"),
        ("PAPI 2030 (weighted)", "PAPI", "-"),
        ("PAPI 2030 (trọng số mới)", "PAPI", None),  # a weighting we do not know: listed, not guessed
    ],
)
def test_composite_variants(title, publisher, key):
    assert match_header(title, publisher) == key


def test_skip_rules_all_have_reasons():
    rules = skip_rules()
    assert rules and all(r.reason and r.publisher in {"*", "PCI", "PAPI"} for r in rules)


def test_every_official_workbook_column_is_imported_or_explained():
    if not WORKBOOKS:
        pytest.skip(f"no official workbooks in {config.OFFICIAL_DIR} (../shared absent)")
    results = [ingest_workbook(config.OFFICIAL_DIR / name) for name in WORKBOOKS]
    frame = not_imported_frame(results)
    unexplained = frame[~frame["explained"]]
    assert unexplained.empty, unexplained.to_string()
    # the deliberate skips include the composites that are not the published score
    assert frame["reason"].str.contains("unweighted composite: not the published score").any()
    assert (frame["column"] == "").any()  # detail sheets are listed whole
