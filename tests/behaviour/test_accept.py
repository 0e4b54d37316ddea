"""`analysis accept` never loses an analyst's accepted figures: it adds to a sheet, a figure accepted
twice is one row, no empty sheet is written, and replacing or emptying a sheet takes --replace and
leaves a backup. The report text is our own, in the style of a provincial report."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from analysis import config
from analysis.cli import main as cli_main

REPORT = (
    "UBND tỉnh Hà Tĩnh, ngày 12/01/2025\n"
    "Năm 2024, tỷ lệ hồ sơ giải quyết đúng hạn của tỉnh Hà Tĩnh đạt 97,5%. "
    "Tỉnh đã công khai 100% thủ tục hành chính trên Cổng dịch vụ công.\n"
)
SHIPPED = config.FIGURES_DIR / "extracted_reports.csv"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _mark(candidates: Path, n: int) -> None:
    """The analyst marks the first n figures and names what they measure."""
    rows = _rows(candidates)
    keys = ("ontime_resolution_rate", "procedures_published_rate")
    for row, key in zip(rows[:n], keys, strict=False):
        row.update(accept="x", indicator=key, province="Hà Tĩnh", year="2024")
    with candidates.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _extract(tmp_path: Path) -> Path:
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    candidates = tmp_path / "reports.csv"  # the README's own name: its sheet is the shipped one
    assert cli_main(["extract", str(report), "--out", str(candidates)]) == 0
    return candidates


def test_readme_order_accept_before_marking_keeps_the_shipped_sheet(tmp_path, capsys):
    figures = tmp_path / "figures"
    figures.mkdir()
    shutil.copy(SHIPPED, figures / SHIPPED.name)
    shutil.copy(SHIPPED.with_suffix(".meta.json"), figures / "extracted_reports.meta.json")
    before = (figures / SHIPPED.name).read_bytes(), (figures / "extracted_reports.meta.json").read_bytes()
    candidates = _extract(tmp_path)
    assert cli_main(["accept", str(candidates), "--out-dir", str(figures)]) == 0
    assert "nothing accepted" in capsys.readouterr().err
    after = (figures / SHIPPED.name).read_bytes(), (figures / "extracted_reports.meta.json").read_bytes()
    assert after == before and len(_rows(figures / SHIPPED.name)) >= 13


def test_nothing_accepted_writes_no_empty_sheet(tmp_path, capsys):
    figures = tmp_path / "figures"
    assert cli_main(["accept", str(_extract(tmp_path)), "--out-dir", str(figures)]) == 0
    assert not (figures / "extracted_reports.csv").exists()


def test_accept_adds_to_the_sheet_and_a_figure_accepted_twice_is_one_row(tmp_path, capsys):
    figures = tmp_path / "figures"
    figures.mkdir()
    shutil.copy(SHIPPED, figures / SHIPPED.name)
    shipped = _rows(SHIPPED)
    candidates = _extract(tmp_path)
    _mark(candidates, 1)
    assert cli_main(["accept", str(candidates), "--out-dir", str(figures)]) == 0
    rows = _rows(figures / SHIPPED.name)
    # the shipped rows are kept as they were (a column the sheet gains reads empty in them)
    kept = [{k: r[k] for k in old} for r, old in zip(rows, shipped, strict=False)]
    assert kept == shipped and len(rows) == len(shipped) + 1
    _mark(candidates, 2)  # the first again, and one more
    assert cli_main(["accept", str(candidates), "--out-dir", str(figures)]) == 0
    rows = _rows(figures / SHIPPED.name)
    assert len(rows) == len(shipped) + 2
    assert [r["indicator"] for r in rows[len(shipped) :]] == [
        "ontime_resolution_rate",
        "procedures_published_rate",
    ]
    meta = (figures / "extracted_reports.meta.json").read_text(encoding="utf-8")
    assert "report.txt" in meta and "000_8afbc1230fca05e9.txt" in meta  # sources of old and new rows


def test_replace_and_empty_need_the_flag_and_keep_a_backup(tmp_path, capsys):
    figures = tmp_path / "figures"
    figures.mkdir()
    shutil.copy(SHIPPED, figures / SHIPPED.name)
    candidates = _extract(tmp_path)
    _mark(candidates, 1)
    assert cli_main(["accept", str(candidates), "--out-dir", str(figures), "--replace"]) == 0
    assert len(_rows(figures / SHIPPED.name)) == 1
    (backup,) = (figures / ".backup").glob("extracted_reports.*.csv")
    assert backup.read_bytes() == SHIPPED.read_bytes()
    _mark(candidates, 0)
    candidates.write_text(candidates.read_text(encoding="utf-8-sig").replace(",x\n", ",\n"), encoding="utf-8")
    assert cli_main(["accept", str(candidates), "--out-dir", str(figures), "--replace"]) == 0
    assert not (figures / SHIPPED.name).exists()  # emptied: the sheet goes, never an empty one
    assert len(list((figures / ".backup").glob("extracted_reports.*.csv"))) == 2
    from analysis.clean.sheets import find_sheets

    assert find_sheets(figures) == []  # backups are not read by the clean stage
