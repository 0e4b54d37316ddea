"""Bounded resources in the build: workers capped by cores and available memory (with a message when
more were asked), a time limit for a briefing's cells (--timeout), and a cell's output cut before it
reaches the page or the PDF (a cell printing 5 MB made a 987-page PDF)."""

from __future__ import annotations

import contextlib
import re
import time
from pathlib import Path

import nbformat

from analysis.build import limits
from analysis.cli import main
from build_helpers import notebook, write_figures


def test_workers_are_capped_by_cores_and_memory_with_a_message(monkeypatch):
    monkeypatch.setattr(limits, "cores", lambda: 2)
    monkeypatch.setattr(limits, "available_memory", lambda: 16_000_000_000)
    assert limits.worker_cap(0) == (2, "")
    assert limits.worker_cap(1) == (1, "")
    n, message = limits.worker_cap(16)
    assert n == 2 and message.startswith("--jobs 16: using 2 worker(s) (2 core(s)")
    monkeypatch.setattr(limits, "available_memory", lambda: 700_000_000)
    n, message = limits.worker_cap(2)
    assert n == 1 and "0.7 GB memory available" in message


def _build(tmp_path: Path, template: Path, *extra: str) -> int:
    clean, out = tmp_path / "clean", tmp_path / "out"
    write_figures(clean)
    args = ["reports", "--provinces", "Nghệ An", "--years", "2018", "--force", *extra]
    return main([*args, "--clean", str(clean), "--out", str(out), "--notebook", str(template)])


def test_the_build_says_when_it_starts_fewer_workers_than_asked(tmp_path, capsys):
    assert _build(tmp_path, notebook(tmp_path / "t.ipynb"), "--jobs", "64") == 0
    assert f"--jobs 64: using {limits.cores()} worker(s)" in capsys.readouterr().err


def test_a_looping_cell_stops_at_the_time_limit(tmp_path, capsys):
    template = notebook(tmp_path / "t.ipynb", "import time\ntime.sleep(300)")
    t0 = time.monotonic()
    assert _build(tmp_path, template, "--timeout", "3") == 1
    assert time.monotonic() - t0 < 120
    err = capsys.readouterr().err
    assert "FAILED 2018/vi/nghe-an" in err and re.search(r"cell \d+ \('import time'\)", err)
    assert "Timeout" in err


def test_a_cell_printing_megabytes_publishes_only_its_first_lines(tmp_path, capsys):
    template = notebook(
        tmp_path / "t.ipynb", 'for i in range(100_000):\n    print(f"dòng {i:06d} " + "x" * 40)'
    )
    assert _build(tmp_path, template) == 0
    html = tmp_path / "out" / "2018" / "vi" / "nghe-an.html"
    page = html.read_text(encoding="utf-8")
    assert "dòng 000000" in page and "dòng 099999" not in page and "output cut" in page
    assert html.stat().st_size < 400_000
    pdf = (tmp_path / "out" / "2018" / "vi" / "nghe-an.pdf").read_bytes()
    try:
        import pypdfium2

        pages = len(pypdfium2.PdfDocument(pdf))
    except ImportError:  # the size says it too
        pages = len(pdf) // 50_000
    assert pages < 15


def test_outputs_within_the_limits_are_untouched():
    out = nbformat.v4.new_output("stream", name="stdout", text="ba dòng\n" * 3)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[out])])
    assert limits.cap_outputs(nb) == 0 and nb.cells[0].outputs[0].text == "ba dòng\n" * 3


def test_a_briefing_of_many_short_cells_stops_at_the_briefing_limit(tmp_path, capsys):
    # each cell stays well under --timeout; together they pass --briefing-timeout
    cells = [f"import time\ntime.sleep(1.5)  # part {k}" for k in range(8)]
    template = notebook(tmp_path / "t.ipynb", *cells)
    t0 = time.monotonic()
    assert _build(tmp_path, template, "--timeout", "5", "--briefing-timeout", "4") == 1
    assert time.monotonic() - t0 < 120
    err = capsys.readouterr().err
    assert "FAILED 2018/vi/nghe-an" in err and re.search(r"cell \d+ \('import time'\)", err)
    assert "BriefingTimeout: the briefing ran past its limit of 4 s (--briefing-timeout)" in err
    assert not (tmp_path / "out" / "2018" / "vi" / "nghe-an.html").exists()


def test_the_briefing_limit_and_its_default_are_in_the_help(capsys):
    with contextlib.suppress(SystemExit):
        main(["reports", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--briefing-timeout" in help_text and "seconds per briefing (default: 1800)" in help_text
