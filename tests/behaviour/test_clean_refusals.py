"""The clean stage and the command line refuse clearly: a missing --raw folder keeps the clean table,
a full disk or a read-only folder is one line without a traceback, names from the file system are
printed escaped, and a NUL byte between digits does not join them into another number."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from analysis.cli import main as cli_main
from analysis.errors import InputFileError, printable
from sheet_files import sidecar

HEADER = "province,year,indicator,value,unit,source,note\r\n"


def _sheet(folder: Path, name: str, body: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"\xef\xbb\xbf" + HEADER.encode() + body)
    sidecar(path)
    return path


def _clean(tmp_path: Path, *extra: str) -> int:
    return cli_main(["clean", "--raw", str(tmp_path / "raw"), "--out", str(tmp_path / "clean"), *extra])


def test_a_missing_raw_folder_refuses_and_keeps_the_clean_table(tmp_path, capsys):
    _sheet(tmp_path / "raw" / "figures", "pci.csv", "Nghệ An,2018,pci,64.5,điểm,VCCI,\r\n".encode())
    assert _clean(tmp_path) == 0
    table = (tmp_path / "clean" / "figures.parquet").read_bytes()
    capsys.readouterr()
    code = cli_main(["clean", "--raw", str(tmp_path / "raww"), "--out", str(tmp_path / "clean")])
    err = capsys.readouterr().err
    assert code == 2 and "raww: no such folder" in err and err.count("\n") == 1
    assert (tmp_path / "clean" / "figures.parquet").read_bytes() == table


@pytest.mark.parametrize(
    ("code", "words"),
    [(errno.ENOSPC, "disk is full"), (errno.EROFS, "read-only"), (errno.EACCES, "no permission")],
)
def test_a_full_disk_or_read_only_folder_is_one_line(tmp_path, capsys, monkeypatch, code, words):
    """Faked at the one write call (tests run as root here, where chmod does not stop a write)."""
    from analysis.clean import stage

    _sheet(tmp_path / "raw" / "figures", "pci.csv", "Nghệ An,2018,pci,64.5,điểm,VCCI,\r\n".encode())

    def refuse(path, data):
        raise OSError(code, __import__("os").strerror(code), str(path))

    monkeypatch.setattr(stage, "atomic_write", refuse)
    assert _clean(tmp_path) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 1
    assert "figures.parquet" in err and words in err


def test_file_names_are_printed_escaped(tmp_path, capsys):
    evil = "x\x1b[2J\x1b[31mred\nnext.csv"
    _sheet(tmp_path / "raw" / "figures", evil, b"\x00\x00\x00")
    (tmp_path / "raw" / "figures" / evil).write_bytes(b"")  # empty: an unreadable file, named
    assert _clean(tmp_path) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\\x1b[2J" in err
    assert "red\\nnext.csv" in err  # the name stays on its line
    assert str(InputFileError("a\u202egpj.exe", "x")).startswith("a\\u202egpj.exe")
    assert printable("Hà Nội\tx") == "Hà Nội\\tx"


def test_a_nul_between_digits_is_not_read_as_one_number(tmp_path, capsys):
    rows = "Nghệ An,2018,pci,4\x003.5,điểm,VCCI,\r\nHà Tĩnh,2018,pci,60.1,điểm,VCCI,\r\n\x00\x00"
    _sheet(tmp_path / "raw" / "figures", "nul.csv", rows.encode())
    _clean(tmp_path)
    import pandas as pd

    figures = pd.read_parquet(tmp_path / "clean" / "figures.parquet")
    assert 43.5 not in figures["value"].tolist()
    assert figures["province_name"].tolist() == ["Hà Tĩnh"]
    rejects = pd.read_csv(tmp_path / "clean" / "rejects.csv", dtype=str)
    assert rejects["province"].tolist() == ["Nghệ An"] and rejects["column"].tolist() == ["value"]
