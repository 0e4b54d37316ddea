"""`analysis preview`: one briefing, rebuilt on a warm kernel when its data, notebook or library change."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from analysis.build.jobs import BuildRequest
from analysis.build.preview import Preview, changed, snapshot
from analysis.errors import AnalysisError
from build_helpers import (
    alive,
    cli,
    descendants,
    kernels,
    lines,
    next_line,
    notebook,
    wait_for,
    write_figures,
)


@pytest.mark.slow
def test_preview_rebuilds_when_the_data_changes_and_stops_on_ctrl_c(tmp_path):
    clean, out = tmp_path / "clean", tmp_path / "out"
    write_figures(clean, {"40": 60.0, "10": 55.0})
    nb = notebook(tmp_path / "nb.ipynb")
    args = ["--province", "nghe an", "--year", "2018", "--interval", "0.2"]
    proc = cli("preview", *args, "--clean", str(clean), "--out", str(out), "--notebook", str(nb))
    try:
        out_lines = lines(proc.stdout)
        first = next_line(out_lines, "built ")
        html = Path(first.split()[1])
        assert html == out / ".preview/2018/vi/nghe-an.html"
        assert '<p class="value">60.0</p>' in html.read_text(encoding="utf-8")
        next_line(out_lines, "watching ")
        kernel = kernels(proc.pid)
        assert len(kernel) == 1

        write_figures(clean, {"40": 61.5, "10": 55.0})  # an analyst re-runs `make data`
        rebuilt = next_line(out_lines, "rebuilt (data changed)")
        assert str(html) in rebuilt
        assert '<p class="value">61.5</p>' in html.read_text(encoding="utf-8")
        assert kernels(proc.pid) == kernel  # the same warm kernel did it

        children = descendants(proc.pid)
        os.kill(proc.pid, signal.SIGINT)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert "preview stopped" in proc.stderr.read()
    wait_for(lambda: not [p for p in children if alive(p)], timeout=15)
    assert not (out / ".build-cache.json").exists()  # the build's own cache and index are untouched


def test_preview_is_for_one_briefing(tmp_path):
    req = BuildRequest.from_cli("Nghệ An,Lào Cai", "2018", "vi", 1, True, tmp_path, tmp_path)
    with pytest.raises(AnalysisError, match="one province"):
        Preview(req)


def test_changes_are_seen_in_files_added_edited_and_removed(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "a.py").write_text("x = 1\n")
    (lib / "__pycache__").mkdir()
    before = snapshot([lib])
    (lib / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"cache")  # not a change
    assert changed(before, snapshot([lib])) == set()
    (lib / "a.py").write_text("x = 22\n")
    (lib / "b.py").write_text("")
    after = snapshot([lib])
    assert changed(before, after) == {str(lib / "a.py"), str(lib / "b.py")}
    (lib / "b.py").unlink()
    assert changed(after, snapshot([lib])) == {str(lib / "b.py")}


@pytest.mark.slow
def test_library_change_restarts_the_kernel_notebook_change_rereads_the_template(tmp_path):
    clean, out = tmp_path / "clean", tmp_path / "out"
    write_figures(clean)
    lib = tmp_path / "lib"
    lib.mkdir()
    nb = notebook(tmp_path / "nb.ipynb")
    req = BuildRequest.from_cli("Nghệ An", "2018", "vi", 1, True, clean, out, notebook=nb)
    preview = Preview(req, library=lib)
    try:
        _, ok, message = preview.build()
        assert ok, message
        first_pid = preview.builder.kernel.pid
        notebook(nb, 'display(HTML("<p>added cell</p>"))')
        preview.apply({"notebook"})
        _, ok, message = preview.build()
        assert ok, message
        assert preview.builder.kernel.pid == first_pid
        html = out / ".preview/2018/vi/nghe-an.html"
        assert "added cell" in html.read_text(encoding="utf-8")
        preview.apply({"library"})
        _, ok, message = preview.build()
        assert ok, message
        assert preview.builder.kernel.pid != first_pid and not alive(first_pid)
    finally:
        preview.close()
