"""`make preview` as an analyst uses it: open the served page, edit a raw sheet, break a cell.

The preview cleans `data/raw` when it changed (printing the edited file's rejects in full), serves
the briefing with a reload script that only the server adds, and shows an error page naming the
failed cell and its traceback instead of the last good page.
"""

from __future__ import annotations

import json
import os
import signal
import urllib.request
from pathlib import Path

import pytest

from analysis.build.preview_server import PreviewServer, error_page, traceback_of, with_reload
from build_helpers import cli, lines, next_line, notebook
from sheet_files import excel_csv, sidecar


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def sheet(raw: Path, rows: list[list[str]]) -> Path:
    path = excel_csv(raw / "figures" / "pci.csv", rows)
    sidecar(path, source_quality="publisher")
    return path


def test_server_adds_reload_only_to_what_it_serves_and_shows_errors(tmp_path):
    page = tmp_path / "2024/vi/nghe-an.html"
    page.parent.mkdir(parents=True)
    page.write_text("<html><body><p>briefing</p></body></html>", encoding="utf-8")
    server = PreviewServer(tmp_path).start()
    try:
        server.show("2024/vi/nghe-an.html")
        served = get(server.url)  # `/` leads to the briefing
        assert "<p>briefing</p>" in served and "/__version" in served
        assert "<script" not in page.read_text(encoding="utf-8")
        assert get(server.url + "__version") == "1"
        server.show(
            "2024/vi/nghe-an.html", error_page("Nghệ An 2024", "cell 7 [section-x]: ValueError: boom")
        )
        failed = get(server.url + "2024/vi/nghe-an.html")
        assert "Preview failed" in failed and "cell 7 [section-x]" in failed and "briefing</p>" not in failed
        assert get(server.url + "__version") == "2"
        with pytest.raises(urllib.error.HTTPError):
            get(server.url + "../../etc/passwd")
    finally:
        server.close()
    assert with_reload("<p>x</p>", 3).startswith("<p>x</p><script>")


def test_traceback_comes_from_the_kept_notebook(tmp_path):
    nb = tmp_path / "failed.ipynb"
    out = {
        "output_type": "error",
        "ename": "KeyError",
        "evalue": "'x'",
        "traceback": ["\x1b[31mKeyError\x1b[0m: 'x'"],
    }
    nb.write_text(json.dumps({"cells": [{"cell_type": "code", "outputs": [out]}]}), encoding="utf-8")
    assert traceback_of(nb) == "KeyError: 'x'"
    assert traceback_of(None) == "" and traceback_of(tmp_path / "missing.ipynb") == ""


@pytest.mark.slow
def test_preview_cleans_a_raw_edit_serves_it_and_shows_a_failed_cell(tmp_path):
    raw, clean, out = tmp_path / "raw", tmp_path / "clean", tmp_path / "out"
    sheet(raw, [["Nghệ An", "2018", "pci", "60", "score", "PCI 2018", ""]])
    nb = notebook(tmp_path / "nb.ipynb")
    args = ["--province", "Nghệ An", "--year", "2018", "--interval", "0.2", "--raw", str(raw)]
    proc = cli("preview", *args, "--clean", str(clean), "--out", str(out), "--notebook", str(nb))
    try:
        said = lines(proc.stdout)
        next_line(said, "cleaned ")  # a clean checkout: no `make data` needed first
        html = Path(next_line(said, "built ").split()[1])
        url = next_line(said, "serving ").split()[1]
        next_line(said, "watching ")  # edits from here on are seen
        page = get(url)
        assert '<p class="value">60.0</p>' in page and "/__version" in page
        assert "<script" not in html.read_text(encoding="utf-8")  # the file stays script-free

        # The analyst edits the raw sheet: a new value and a typo.
        sheet(
            raw,
            [
                ["Nghệ An", "2018", "pci", "61,5", "score", "PCI 2018", ""],
                ["Nghệ Am", "2018", "pci", "5", "score", "x", ""],
            ],
        )
        next_line(said, "cleaned ")
        assert "1 rejected row(s):" in next_line(said, "pci.csv: ")
        assert "unknown province 'Nghệ Am'" in next_line(said, "  ")
        next_line(said, "rebuilt (")
        assert '<p class="value">61.5</p>' in get(url)

        # A cell that fails: an error page with the cell as Jupyter counts it and the traceback.
        notebook(nb, 'raise ValueError("broken on purpose")')
        failed = next_line(said, "FAILED at execute: cell 3 ")
        assert "ValueError: broken on purpose" in failed
        page = get(url)
        assert "Preview failed" in page and "cell 3" in page and "Traceback" in page
        assert "61.5" not in page  # not the last good page
        assert "Preview failed" in html.read_text(encoding="utf-8")  # nor on disk
        os.kill(proc.pid, signal.SIGINT)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0


def test_preview_names_the_province_a_merged_name_became(tmp_path):
    from analysis.build.jobs import BuildRequest
    from analysis.build.preview import Preview
    from build_helpers import write_figures

    clean = tmp_path / "clean"
    write_figures(clean, {"15": 60.0}, year=2025)  # Lào Cai of the 34
    nb = notebook(tmp_path / "nb.ipynb")
    req = BuildRequest.from_cli("Yên Bái", "2025", "vi", 1, True, clean, tmp_path / "out", notebook=nb)
    preview = Preview(req)
    assert preview.job().slug == "lao-cai"
    assert preview.note == "Yên Bái → Lào Cai, 34 provinces from 2025-07-01"
