"""Workbooks are measured before a reader lays them out: a sheet reaching far to the right, a sheet of
blank styled cells, or parts that unpack beyond the limit end in one line naming the file, in both
the publishers' importer (`analysis ingest`) and the figure-sheet reader of `analysis clean`.

The files are generated here: a real small workbook whose worksheet XML is replaced by the hostile one.
"""

from __future__ import annotations

import resource
import zipfile
from pathlib import Path

import openpyxl
import pytest

from analysis.clean.grids import workbook_grids
from analysis.cli import main as cli_main
from analysis.errors import InputFileError
from analysis.ingest.readers import LIMITS, check_limits, column_name, read_sheets

HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
TAIL = "</sheetData></worksheet>"


def _workbook(path: Path, sheet_xml: bytes) -> Path:
    """A workbook openpyxl wrote, with sheet1.xml replaced by `sheet_xml` (compressed as Excel does)."""
    plain = path.with_suffix(".plain.xlsx")
    wb = openpyxl.Workbook()
    wb.active.append(["province", "year", "indicator", "value", "unit", "source"])
    wb.save(plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = sheet_xml if info.filename == "xl/worksheets/sheet1.xml" else src.read(info)
            dst.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    plain.unlink()
    return path


def _wide(path: Path, rows: int = 300) -> Path:
    """Each row a label in A and one number in XFD (column 16 384): ~150 kB of XML."""
    body = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>Tỉnh {r}</t></is></c>'
        f'<c r="XFD{r}"><v>{r}</v></c></row>'
        for r in range(1, rows + 1)
    )
    return _workbook(path, (HEAD + body + TAIL).encode())


def _blank_cells(path: Path, rows: int = 60_000, cols: int = 20) -> Path:
    """Blank cells that carry only a style (whole rows formatted), as some programs save them."""
    letters = [column_name(c) for c in range(1, cols + 1)]
    body = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{c}{r}" s="1"/>' for c in letters) + "</row>"
        for r in range(1, rows + 1)
    )
    return _workbook(path, (HEAD + body + TAIL).encode())


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_sheet_reaching_column_xfd_is_refused_with_one_line(tmp_path):
    path = _wide(tmp_path / "PCI_2024.xlsx")
    assert path.stat().st_size < 200_000
    for read in (read_sheets, workbook_grids):
        with pytest.raises(InputFileError) as err:
            read(path)
        message = str(err.value)
        assert "\n" not in message and "PCI_2024.xlsx" in message
        assert "XFD" in message and f"{LIMITS.columns:,}" in message


def test_a_sheet_of_blank_styled_cells_is_refused_before_it_is_laid_out(tmp_path):
    path = _blank_cells(tmp_path / "bang.xlsx")
    before = _peak_rss_mb()
    refused = r"bang\.xlsx: sheet1 spans [0-9,]+ rows x 20 columns .*limit 1,000,000"
    with pytest.raises(InputFileError, match=refused):
        workbook_grids(path)
    assert _peak_rss_mb() - before < 200  # measured, not laid out (openpyxl took about 1 GB)


def test_parts_that_unpack_beyond_the_limit_are_refused(tmp_path, monkeypatch):
    from analysis.ingest import readers

    path = _workbook(tmp_path / "nen.xlsx", (HEAD + "<!--" + " " * 3_000_000 + "-->" + TAIL).encode())
    assert path.stat().st_size < 50_000
    monkeypatch.setattr(readers, "LIMITS", readers.Limits(unzipped=2_000_000))
    with pytest.raises(InputFileError, match=r"nen\.xlsx: unpacks to more than 2 MB"):
        readers.check_limits(path, readers.LIMITS)


def test_a_table_within_the_limits_reads_as_before(tmp_path):
    path = tmp_path / "ok.xlsx"
    wb = openpyxl.Workbook()
    for r in range(70):
        wb.active.append([f"Tỉnh {r}", 2024, "pci", 60 + r / 10, "score", "VCCI"])
    wb.save(path)
    check_limits(path)
    sheets, _ = read_sheets(path)
    assert len(next(iter(sheets.values()))) == 70


def test_clean_names_the_refused_workbook_and_exits_non_zero(tmp_path, capsys):
    raw = tmp_path / "raw"
    (raw / "figures").mkdir(parents=True)
    _wide(raw / "figures" / "rong.xlsx")
    assert cli_main(["clean", "--raw", str(raw), "--out", str(tmp_path / "clean")]) == 2
    err = capsys.readouterr().err
    assert "rong.xlsx" in err and "XFD" in err and "Traceback" not in err
