"""The build under ordinary faults: killed, interrupted, run twice at once, bad arguments, empty data,
text that looks like HTML, and the parameters the notebook receives (resolve once)."""

from __future__ import annotations

import json
import os
import signal
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import pytest

from analysis.build import procs
from analysis.build.build import BuildRequest
from analysis.build.jobs import read_figures
from analysis.build.plan import PlanData, plan
from analysis.build.runner import CellFailure
from analysis.build.worker import Builder
from analysis.cli import main
from analysis.errors import AnalysisError
from analysis.outputs.format import Format
from build_helpers import alive, cli, descendants, kernels, notebook, wait_for, write_figures

SLEEP_FOR = "import time\nif province in {names!r}:\n    time.sleep(120)"


def cache_entries(out: Path) -> set[str]:
    try:
        return set(json.loads((out / ".build-cache.json").read_text(encoding="utf-8"))["entries"])
    except (OSError, ValueError, KeyError):
        return set()


def temp_folders(pid: int) -> list[Path]:
    return list(Path(tempfile.gettempdir()).glob(f"{procs.TEMP_PREFIX}{pid}-*"))


# ---------------------------------------------------------------- arguments and data


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--years", "-5"], "-5 is before 2004"),
        (["--years", "1900"], "1900 is before 2004"),
        (["--years", "2017"], "2017 is outside the data's years (2018–2018)"),
        (["--years", "2018,20x8"], "'20x8' is not a year"),
        (["--provinces", ",,,"], "names no province"),
        (["--provinces", "Atlantis", "--years", "2018"], "unknown province 'Atlantis'"),
        (["--lang", "fr"], "not supported"),
    ],
)
def test_bad_arguments_are_one_clear_line_and_build_nothing(tmp_path, capsys, args, message):
    write_figures(tmp_path / "clean")
    code = main(["reports", *args, "--clean", str(tmp_path / "clean"), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: ") and message in err and "Traceback" not in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").glob("*/*/*"))


def test_missing_or_empty_clean_table_says_to_run_make_data(tmp_path, capsys):
    clean, out = tmp_path / "clean", tmp_path / "out"
    clean.mkdir()
    assert main(["reports", "--clean", str(clean), "--out", str(out)]) == 2
    assert "run `make data`" in capsys.readouterr().err
    write_figures(clean, values={})  # the table's columns, no row
    assert main(["reports", "--clean", str(clean), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "no rows" in err and "make data" in err and "Traceback" not in err
    (clean / "figures.parquet").write_bytes(b"not parquet")
    assert main(["reports", "--clean", str(clean), "--out", str(out)]) == 2
    assert "make data" in capsys.readouterr().err


# ---------------------------------------------------------------- resolve once


class _RecordingKernel:
    def __init__(self):
        self.sources: list[str] = []

    def run(self, nb):
        self.sources = [c.source for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
        return nb


class _Page(Format):
    name, suffix, label = "html", ".html", "HTML"

    def render(self, briefing):
        return b"<p>ok</p>"


def test_build_passes_the_resolved_province_to_the_notebook(tmp_path):
    clean = tmp_path / "clean"
    from analysis import provinces

    phu_tho = provinces.resolve("Phú Thọ", 2025).province
    write_figures(clean, values={phu_tho.code: 70.0}, year=2025)
    req = BuildRequest.from_cli("Vĩnh Phúc", "2025", "vi", 1, True, clean, tmp_path / "out")
    job = plan(req, PlanData.read(req, read_figures(clean), lib_hash="fixed")).jobs[0]
    assert (job.code, job.regime, job.slug) == (phu_tho.code, "34", phu_tho.slug)
    assert job.parameters() == {
        "province": "Vĩnh Phúc",
        "province_code": phu_tho.code,
        "regime": "34",
        "year": 2025,
        "lang": "vi",
        "clean_dir": str(clean.resolve()),
    }
    kernel = _RecordingKernel()
    template = nbformat.read(str(notebook(tmp_path / "t.ipynb")), as_version=4)
    result = Builder(template, kernel, [_Page()]).build(job, tmp_path / "out")
    assert result.ok, result.error
    injected = next(src for src in kernel.sources if "province_code" in src)
    namespace: dict = {}
    exec(injected, namespace)  # what the notebook's variables are after papermill's injected cell
    assert {k: namespace[k] for k in job.parameters()} == job.parameters()


def test_cell_failure_is_an_analysis_error_naming_the_briefing():
    exc = CellFailure(6, "if x:", "ValueError", "boom").for_briefing("Lào Cai", 2018, "en")
    assert isinstance(exc, AnalysisError)
    assert (exc.province, exc.year, exc.lang, exc.cell) == ("Lào Cai", 2018, "en", 6)
    assert str(exc) == "cell 7 ('if x:'): ValueError: boom"  # as Jupyter counts: from 1
    tagged = CellFailure(6, "display(x)", "KeyError", "'pci'", tag="section-headline")
    assert str(tagged) == "cell 7 [section-headline] ('display(x)'): KeyError: 'pci'"


# ---------------------------------------------------------------- the HTML safety check, end to end


CITATION = """\
import html
from IPython.display import HTML, display
url = "https://example.org/data?src=https://cdn.example.org/chart.png"
display(HTML(f'<p>Nguồn: {html.escape(url)} — src=https://x.example.org &lt;script&gt;</p>'
             f'<a href="{html.escape(url)}">{html.escape(url)}</a>'))
if province == "Lào Cai" and "{bad}" == "yes":
    display(HTML('<img src="https://tracker.example.org/p.gif">'))
"""


@pytest.mark.slow
def test_escaped_citation_passes_a_real_outside_load_fails_only_its_briefing(tmp_path, capsys):
    clean, out = tmp_path / "clean", tmp_path / "out"
    write_figures(clean)
    good = notebook(tmp_path / "good.ipynb", CITATION.replace("{bad}", "no"))
    req = BuildRequest.from_cli("Nghệ An,Lào Cai", "2018", "vi", 1, True, clean, out, notebook=good)
    from analysis.build.build import run_reports

    assert run_reports(req) == 0
    page = (out / "2018/vi/nghe-an.html").read_text(encoding="utf-8")
    assert "src=https://cdn.example.org/chart.png" in page.replace("&amp;", "&")
    nghe_an_pdf = (out / "2018/vi/nghe-an.pdf").stat().st_mtime_ns

    bad = notebook(tmp_path / "bad.ipynb", CITATION.replace("{bad}", "yes"))
    assert (
        run_reports(BuildRequest.from_cli("Nghệ An,Lào Cai", "2018", "vi", 1, True, clean, out, notebook=bad))
        == 1
    )
    err = capsys.readouterr().err
    assert "FAILED 2018/vi/lao-cai at html" in err and "tracker.example.org" in err
    assert "FAILED 2018/vi/nghe-an" not in err
    assert (out / "2018/vi/nghe-an.pdf").stat().st_mtime_ns != nghe_an_pdf  # rebuilt, kept
    assert (out / "2018/vi/nghe-an.html").exists() and not (out / "2018/vi/lao-cai.html").exists()
    assert cache_entries(out) == {"2018/vi/nghe-an"}


# ---------------------------------------------------------------- processes


@pytest.mark.slow
@pytest.mark.parametrize(
    ("names", "jobs", "expected_kernels"),
    [("Nghệ An,Lào Cai", "2", 2), ("Nghệ An", "0", 1)],
    ids=["pool", "in-process"],
)
def test_sigkill_of_the_build_ends_its_workers_and_kernels(tmp_path, names, jobs, expected_kernels):
    clean, out = tmp_path / "clean", tmp_path / "out"
    write_figures(clean)
    nb = notebook(tmp_path / "slow.ipynb", SLEEP_FOR.format(names=["Nghệ An", "Lào Cai"]))
    args = ["--provinces", names, "--years", "2018", "--jobs", jobs, "--force"]
    proc = cli("reports", *args, "--clean", str(clean), "--out", str(out), "--notebook", str(nb))
    try:
        wait_for(lambda: len(kernels(proc.pid)) >= expected_kernels, timeout=120)
        time.sleep(1.0)  # the kernels are running the sleeping cell
        children = descendants(proc.pid)
        workers = [p for p in children if p not in kernels(proc.pid)]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        wait_for(lambda: not [p for p in children if alive(p)], timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    for pid in workers:  # each worker removed its own temporary folder on the way out
        assert temp_folders(pid) == []
    procs.sweep_stale_temp()  # the build's own folder (it was killed outright) goes at the next build
    assert temp_folders(proc.pid) == []
    assert not list(out.glob("*/*/*.part"))


@pytest.mark.slow
def test_sigint_with_one_worker_keeps_finished_briefings_in_cache_and_index(tmp_path):
    clean, out = tmp_path / "clean", tmp_path / "out"
    write_figures(clean)
    nb = notebook(tmp_path / "slow.ipynb", SLEEP_FOR.format(names=["Nghệ An"]))  # Lào Cai comes first
    args = ["--provinces", "Nghệ An,Lào Cai", "--years", "2018", "--jobs", "1"]
    proc = cli("reports", *args, "--clean", str(clean), "--out", str(out), "--notebook", str(nb))
    try:
        wait_for(lambda: "2018/vi/lao-cai" in cache_entries(out), timeout=120)
        time.sleep(1.0)
        children = descendants(proc.pid)
        os.kill(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert cache_entries(out) == {"2018/vi/lao-cai"}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "2018/vi/lao-cai.html" in index and "2018/vi/nghe-an.html" not in index
    assert (out / "2018/vi/lao-cai.pdf").exists()
    assert not [p for p in children if alive(p)]
    assert temp_folders(proc.pid) == []


@pytest.mark.slow
def test_two_builds_into_one_folder_run_one_after_the_other_and_keep_both(tmp_path):
    clean, out = tmp_path / "clean", tmp_path / "out"
    write_figures(clean)
    nb = notebook(tmp_path / "nb.ipynb", 'import time\nif province == "Nghệ An":\n    time.sleep(10)')
    common = [
        "--years",
        "2018",
        "--jobs",
        "1",
        "--clean",
        str(clean),
        "--out",
        str(out),
        "--notebook",
        str(nb),
    ]
    first = cli("reports", "--provinces", "Nghệ An", *common)
    wait_for(lambda: (out / procs.LOCK_NAME).exists() and (out / procs.LOCK_NAME).read_text().strip())
    second = cli("reports", "--provinces", "Lào Cai", *common)
    (_, err1), (_, err2) = first.communicate(timeout=240), second.communicate(timeout=240)
    assert (first.returncode, second.returncode) == (0, 0), err1 + err2
    assert "waiting: another build is writing into" in err2
    assert cache_entries(out) == {"2018/vi/nghe-an", "2018/vi/lao-cai"}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "2018/vi/nghe-an.html" in index and "2018/vi/lao-cai.html" in index


def test_build_lock_is_exclusive_and_released(tmp_path):
    with procs.BuildLock(tmp_path):
        with pytest.raises(procs.BuildBusyError, match="another build is writing here"):
            procs.BuildLock(tmp_path, wait=False).acquire()
        said: list[str] = []
        waiter = procs.BuildLock(tmp_path, say=said.append)
        thread = threading.Thread(target=waiter.acquire)
        thread.start()
        time.sleep(0.3)
        assert thread.is_alive() and "waiting" in said[0]
    thread.join(timeout=5)
    assert not thread.is_alive()
    waiter.release()
    with procs.BuildLock(tmp_path, wait=False):
        pass


def test_private_temp_is_removed_and_environment_restored(tmp_path):
    before = os.environ.get("TMPDIR")
    with procs.private_temp() as path:
        assert os.environ["TMPDIR"] == str(path) and os.environ["JUPYTER_RUNTIME_DIR"] == str(path)
        (path / "x").write_text("x")
        assert tempfile.gettempdir() == str(path)
    assert not path.exists() and os.environ.get("TMPDIR") == before


@pytest.mark.slow
def test_one_forced_briefing_runs_its_notebook_while_planning_and_leaves_no_kernel(tmp_path, monkeypatch):
    from analysis.build import build, speculative

    clean, out = tmp_path / "clean", tmp_path / "out"
    write_figures(clean)
    started: list[speculative.EarlyRun] = []
    real = speculative.speculate

    def spy(request):
        run = real(request)
        started.append(run)
        return run

    monkeypatch.setattr(speculative, "speculate", spy)
    nb = notebook(tmp_path / "nb.ipynb")
    req = BuildRequest.from_cli("nghe an", "2018", "vi", 0, True, clean, out, notebook=nb, progress=False)
    assert build.run_reports(req) == 0
    assert started and started[0] is not None and not started[0].thread.is_alive()
    assert '<p class="value">60.0</p>' in (out / "2018/vi/nghe-an.html").read_text(encoding="utf-8")
    assert cache_entries(out) == {"2018/vi/nghe-an"} and (out / "2018/vi/nghe-an.pdf").exists()
    assert kernels(os.getpid()) == []
    # Not forced: no early run (the briefing may be unchanged); it is, so nothing is built.
    started.clear()
    assert (
        build.run_reports(BuildRequest.from_cli("Nghệ An", "2018", "vi", 0, False, clean, out, notebook=nb))
        == 0
    )
    assert started == []


@pytest.mark.slow
def test_a_pool_build_leaves_no_temporary_files(tmp_path, monkeypatch):
    from analysis.build.build import run_reports

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))  # the workers and kernels inherit it
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    clean, out = tmp_path / "clean", tmp_path / "out"
    write_figures(clean)
    nb = notebook(tmp_path / "nb.ipynb")
    req = BuildRequest.from_cli(
        "Nghệ An,Lào Cai", "2018", "vi", 2, True, clean, out, notebook=nb, progress=False
    )
    assert run_reports(req) == 0
    assert cache_entries(out) == {"2018/vi/nghe-an", "2018/vi/lao-cai"}
    assert sorted(p.name for p in scratch.iterdir()) == []  # no weasyprint-*, no worker folder
    assert kernels(os.getpid()) == []
