"""`make data` as an analyst meets it twice a day: nothing re-cleaned when nothing changed, and a
short summary in which an edit's own rejects stand out in full."""

from __future__ import annotations

import json
import subprocess

import pytest

from analysis import config
from analysis.cli import main
from sheet_files import excel_csv, figures_dir, sidecar

ROW = ["Nghệ An", "2024", "par_index", "88,5", "%", "BC 12", ""]


def _clean(tmp_path, capsys, *extra: str) -> tuple[int, str]:
    code = main(["clean", "--raw", str(tmp_path / "raw"), "--out", str(tmp_path / "clean"), *extra])
    return code, capsys.readouterr().err


def test_a_second_clean_with_no_change_does_not_clean_again(tmp_path, capsys):
    sheet = excel_csv(figures_dir(tmp_path) / "mine.csv", [ROW])
    sidecar(sheet)
    code, err = _clean(tmp_path, capsys)
    assert code == 0 and "wrote" in err
    manifest = tmp_path / "clean" / "manifest.json"
    stamp = manifest.stat().st_mtime_ns
    code, err = _clean(tmp_path, capsys)
    assert code == 0 and "is up to date" in err and "wrote" not in err
    assert manifest.stat().st_mtime_ns == stamp
    sidecar(sheet, title="Báo cáo sửa")  # a provenance edit is a change too
    _, err = _clean(tmp_path, capsys)
    assert "wrote" in err
    code, err = _clean(tmp_path, capsys, "--force")
    assert code == 0 and "wrote" in err
    assert json.loads(manifest.read_text(encoding="utf-8"))["fingerprint"]["raw"]


def test_make_reports_cleans_through_the_skipping_clean():
    out = subprocess.run(["make", "-n", "reports"], cwd=config.ROOT, capture_output=True, text=True).stdout
    assert "analysis clean" in out and "--force" not in out
    forced = subprocess.run(
        ["make", "-n", "data", "FORCE=1"], cwd=config.ROOT, capture_output=True, text=True
    )
    assert "analysis clean --force" in forced.stdout


def test_an_edit_shows_its_own_new_rejects_in_full(tmp_path, capsys):
    folder = figures_dir(tmp_path)
    excel_csv(folder / "mine.csv", [ROW, ["Hà Tĩnh", "2024", "par_index", "80", "%", "BC 3", ""]])
    _clean(tmp_path, capsys)
    rows = [
        ROW,
        ["Hà Tĩnh", "2024", "par_index", "80", "%", "BC 3", ""],
        ["Nghệ Am", "2024", "sipas", "7x", "%", "BC", ""],
    ]
    excel_csv(folder / "mine.csv", rows)
    _, err = _clean(tmp_path, capsys)
    assert "new since the last clean: 1 rejected row(s)" in err
    new = err.split("new since the last clean", 1)[1]
    assert "mine.csv" in new and "'Nghệ Am'" in new and "unknown province" in new


def test_reasons_keep_what_tells_them_apart_and_duplicates_are_explained_once(tmp_path, capsys):
    folder = figures_dir(tmp_path)
    a = excel_csv(folder / "a.csv", [ROW, ["Hà Tĩnh", "2024", "par_index", "80", "%", "BC 3", ""]])
    b = excel_csv(folder / "b.csv", [ROW, ["Atlantis", "2024", "par_index", "80", "%", "BC 3", ""]])
    sidecar(a, source_quality="publisher")
    sidecar(b, source_quality="press")
    _, err = _clean(tmp_path, capsys)
    assert "expected: 1 duplicates" in err and "naming the row kept" in err
    assert "b.csv: " in err and "'Atlantis'" in err
    for placeholder in ("<file:row>", "'…'", "the N and the N"):
        assert placeholder not in err
    assert len(err.splitlines()) < 15


def test_no_summary_line_is_a_placeholder_for_the_shipped_data(tmp_path, capsys):
    code = main(["clean", "--raw", str(config.RAW_DIR), "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 0
    assert "<file:row>" not in err and "'…'" not in err and " the N " not in err
    assert "expected:" in err and "duplicates" in err
    assert len(err.splitlines()) <= 30, err


def test_a_briefing_renders_without_a_warning(tmp_path):
    """What the analyst sees in Jupyter: no library deprecation warning under any section."""
    import warnings

    from analysis.briefing import load_briefing, sections
    from briefing_fixtures import figures_frame, write_clean

    clean = write_clean(tmp_path, figures_frame())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        b = load_briefing("Nghệ An", 2018, "en", clean)
        for name in sections.names():
            b.section(name)


@pytest.mark.slow
def test_make_data_twice_cleans_once():
    """`make reports` twice with no change: its `data` step cleans at most once (the shipped data)."""

    def make_data() -> str:
        run = subprocess.run(["make", "data"], cwd=config.ROOT, capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stderr
        return run.stdout + run.stderr

    make_data()
    manifest = config.CLEAN_DIR / "manifest.json"
    stamp = manifest.stat().st_mtime_ns
    second = make_data()
    assert "is up to date" in second and "wrote" not in second
    assert manifest.stat().st_mtime_ns == stamp
