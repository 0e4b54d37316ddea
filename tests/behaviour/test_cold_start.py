"""The one-briefing build's start and end: what runs while the kernel works, and a fast, complete exit.

Each test pins one of the changes that took a cold `analysis reports --provinces X --years Y
--force` under a quarter of the naive loop: figure rasters begun per cell, the kernel started from
the template's plain JSON, the CSV and overview cut ahead, and the console command's exit.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from analysis import provinces
from analysis.briefing import contract
from analysis.build import build, executors, inject, runner
from analysis.build.jobs import make_job
from analysis.build.worker import Builder
from analysis.errors import AnalysisError
from analysis.national import overview_files
from analysis.national.takeaway import takeaway_csv
from analysis.outputs import as_pdf, printcopy, svgraster
from analysis.outputs.as_csv import CsvFormat
from build_helpers import kernels, notebook, write_figures

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
    '<rect width="20" height="20" fill="#1f77b4"/></svg>'
)

needs_librsvg = pytest.mark.skipif(not svgraster.available(), reason="librsvg/cairo not on this machine")


def _figure_cell(svg: str = SVG, png: str | None = None) -> nbformat.NotebookNode:
    data = {"image/svg+xml": svg} | ({"image/png": png} if png else {})
    return nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output("display_data", data=data)])


# ---------------------------------------------------------------- rasters begun per cell


@needs_librsvg
def test_rasters_begun_per_cell_are_taken_by_the_print_copy_and_match_a_fresh_raster():
    cell = _figure_cell()
    inline = SVG.replace("<svg ", '<svg class="tilemap small" ').replace("#1f77b4", "#d62728")
    html = nbformat.v4.new_output("display_data", data={"text/html": f"<p>map</p>{inline}"})
    cell.outputs.append(html)
    nb = nbformat.v4.new_notebook(cells=[cell, _figure_cell(SVG.replace("40", "30"), png="iVBOR")])
    rasters = printcopy.Rasters()
    for c in nb.cells:
        rasters.cell_done(cell=c, cell_index=0, execute_reply={})
    assert sorted(rasters._jobs) == sorted([SVG, inline])  # the PNG-carrying output needs none
    begun = printcopy.print_variant(nb, rasters)
    assert rasters._jobs == {}  # every raster begun was taken
    fresh = printcopy.print_variant(nb)
    assert begun.cells[0].outputs[0].data == fresh.cells[0].outputs[0].data
    assert begun.cells[0].outputs[1].data == fresh.cells[0].outputs[1].data
    assert begun.cells[1].outputs[0].data == {"image/png": "iVBOR"}


@needs_librsvg
def test_a_briefing_that_fails_after_its_rasters_began_leaves_none_behind(tmp_path):
    class Failing(as_pdf.PdfFormat):
        begun = 0

        def render(self, briefing):
            self.begun = len(self.rasters._jobs)
            raise RuntimeError("export broke")

    class Kernel:  # draws one SVG figure in the last cell and tells the hook, as nbclient does
        on_cell_executed = None

        def run(self, nb):
            nb.cells[-1].outputs = _figure_cell().outputs
            for index, cell in enumerate(nb.cells):
                self.on_cell_executed(cell=cell, cell_index=index, execute_reply={})
            return nb

    template = nbformat.read(str(notebook(tmp_path / "t.ipynb")), as_version=4)
    pdf = Failing()
    builder = Builder(template, Kernel(), [pdf])
    res = provinces.resolve("Nghệ An", 2018)
    job = make_job(res.province, 2018, "vi", str(tmp_path))
    result = builder.build(job, tmp_path / "out")
    assert not result.ok and result.step == "pdf"
    assert pdf.begun == 1 and pdf.rasters._jobs == {}


@pytest.mark.slow
@needs_librsvg
def test_the_kernel_hands_each_finished_cell_to_the_rasters(tmp_path):
    show = f"from IPython.display import SVG, display\ndisplay(SVG({SVG!r}))"
    nb_path = notebook(tmp_path / "svg.ipynb", show, "x = 1")
    builder = Builder.open(nb_path)
    pdf = next(f for f in builder.formats if f.name == "pdf")
    seen: list[int] = []
    real = builder.kernel.on_cell_executed

    def record(cell, cell_index, **kw):
        seen.append(cell_index)
        real(cell=cell, cell_index=cell_index, **kw)

    builder.kernel.on_cell_executed = record
    try:
        clean = str(write_figures(tmp_path / "clean").parent)
        params = {
            "province": "Nghệ An",
            "province_code": "40",
            "year": 2018,
            "lang": "vi",
            "clean_dir": clean,
        }
        nb = inject.parameterize(builder.template, params)
        builder.kernel.run(nb)
    finally:
        builder.close()
    assert len(seen) == sum(c.cell_type == "code" for c in nb.cells)  # every code cell, in order
    assert seen == sorted(seen)
    assert list(pdf.rasters._jobs) == [SVG]  # begun while the last cells ran


# ---------------------------------------------------------------- the kernel starts from plain JSON


def test_the_warm_up_is_a_call_of_the_briefings_contract_that_binds_no_name(tmp_path):
    code = runner.call_code(contract.warm_up, "/data/it's here")
    assert (
        code == "__import__('analysis.briefing.contract', fromlist=['_']).warm_up(*(\"/data/it's here\",))\n"
    )
    namespace = {"kept": 1}
    exec(runner.call_code(contract.warm_up, str(tmp_path)), namespace)  # no clean table there: guarded
    assert set(namespace) == {"kept", "__builtins__"}  # nothing bound in the kernel's namespace
    assert "matplotlib.figure" in sys.modules and "analysis.briefing.core" in sys.modules  # the point
    clean = write_figures(tmp_path / "clean").parent
    exec(runner.call_code(contract.warm_up, str(clean)), {})
    from analysis.briefing import core

    assert core._read.cache_info().currsize >= 1  # the clean table is in the library's cache


@pytest.mark.slow
def test_a_template_nbformat_refuses_stops_the_kernel_it_started(tmp_path):
    bad = tmp_path / "bad.ipynb"
    bad.write_text('{"cells": [', encoding="utf-8")  # the kernel starts anyway (no warm-up); nbformat refuses
    before = set(kernels(os.getpid()))
    with pytest.raises(Exception, match=r"(?i)json"):
        Builder.open(bad)
    assert set(kernels(os.getpid())) == before  # the kernel it started was stopped


# ---------------------------------------------------------------- CSV and overview cut ahead


class _Kernel:
    def run(self, nb):
        return nb


def test_a_csv_rendered_while_the_kernel_runs_is_the_csv_of_the_briefing(tmp_path, monkeypatch):
    df = build.read_figures(write_figures(tmp_path / "clean").parent)
    res = provinces.resolve("Nghệ An", 2018)
    job = make_job(res.province, 2018, "vi", str(tmp_path / "clean"))
    template = nbformat.read(str(notebook(tmp_path / "t.ipynb")), as_version=4)
    csv = CsvFormat()
    builder = Builder(template, _Kernel(), [csv])
    ahead = builder.render_ahead(job, tmp_path / "out", table=lambda: df)
    expected = takeaway_csv(df, job.code, job.regime, job.lang, csv._citations, year=job.year)
    import analysis.national.takeaway as takeaway

    def must_not_run(*args, **kw):
        raise AssertionError("the CSV was cut again although rendered ahead")

    monkeypatch.setattr(takeaway, "takeaway_csv", must_not_run)
    result = builder.build(job, tmp_path / "out", table=lambda: df, ahead=ahead)
    assert result.ok and result.files == {".csv": expected}
    from analysis.build.progress import Progress
    from analysis.build.record import Recorder

    record = Recorder(tmp_path / "out", {}, {}, "scope", "v1", Progress(1, False), [("CSV", ".csv")])
    record.df, record.years = df, [2018]
    record.prepare(job)
    assert [t.key for t in record._overview[2018]] == ["pci"]  # the year's overview, cut ahead too


def test_a_csv_that_cannot_be_cut_ahead_fails_its_briefing_at_the_csv_step(tmp_path, monkeypatch):
    df = build.read_figures(write_figures(tmp_path / "clean").parent)
    res = provinces.resolve("Nghệ An", 2018)
    job = make_job(res.province, 2018, "vi", str(tmp_path / "clean"))
    template = nbformat.read(str(notebook(tmp_path / "t.ipynb")), as_version=4)

    def broken(*args, **kw):
        raise AnalysisError("cannot cut")

    import analysis.national.takeaway as takeaway

    monkeypatch.setattr(takeaway, "takeaway_csv", broken)
    builder = Builder(template, _Kernel(), [CsvFormat()])
    ahead = builder.render_ahead(job, tmp_path / "out", table=lambda: df)  # not raised here
    result = builder.build(job, tmp_path / "out", table=lambda: df, ahead=ahead)
    assert (result.ok, result.step, result.error) == (False, "csv", "AnalysisError: cannot cut")


def test_overview_tables_given_ahead_are_used_and_missing_years_computed(tmp_path):
    df = build.read_figures(write_figures(tmp_path / "clean").parent)
    computed = overview_files.write_overview(tmp_path / "a", df, [2018], {})
    assert any(p.suffix == ".csv" for p in computed)  # the PCI table of the fixture
    given = overview_files.write_overview(tmp_path / "b", df, [2018], {}, tables_by_year={2018: []})
    assert [p.suffix for p in given] == [".html"]  # no table given, none written: the given ones are used


# ---------------------------------------------------------------- the console command's exit


@pytest.mark.parametrize(
    ("args", "code", "stream", "text"),
    [
        (["resolve", "Nghệ An"], 0, "stdout", '"code": "40"'),
        (["resolve", "Atlantis"], 2, "stderr", "error: "),
    ],
)
def test_the_console_command_flushes_its_output_and_keeps_its_exit_code(args, code, stream, text):
    # stdout is a pipe, so block-buffered: without the flush before os._exit the line would be lost
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    proc = subprocess.run(
        [sys.executable, "-c", "from analysis.cli import run; run()", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
    )
    assert proc.returncode == code, proc.stderr
    assert text in getattr(proc, stream)
    assert "Traceback" not in proc.stderr


# ---------------------------------------------------------------- the reset runs while the build exports


def _leak_notebook() -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell('print("marker" in globals())\nmarker = 1')
    return nbformat.v4.new_notebook(cells=[cell])


def _printed(nb: nbformat.NotebookNode) -> str:
    return "".join(out.get("text", "") for out in nb.cells[0].outputs).strip()


@pytest.mark.slow
def test_the_reset_is_queued_after_a_run_and_a_failed_one_is_done_again_before_the_next(tmp_path):
    kernel = runner.WarmKernel(cwd=tmp_path)
    kernel.start()
    try:
        first = kernel.run(_leak_notebook())
        assert _printed(first) == "False" and kernel._warm_id is not None  # the reset is on its way
        second = kernel.run(_leak_notebook())
        assert _printed(second) == "False"  # the queued reset ran before the next notebook
        # A queued reset that fails (here: replaced by an error) is run again, in full, first.
        runner.run_sync(kernel._await_warm)()  # the real queued reset
        kernel._warm_id = kernel._kc.execute("marker = 1", silent=True)  # state the next reset must clear
        runner.run_sync(kernel._await_warm)()
        kernel._warm_id = kernel._kc.execute("raise ValueError('reset broke')", silent=True)
        third = kernel.run(_leak_notebook())
        assert _printed(third) == "False"
    finally:
        kernel.shutdown()


# ---------------------------------------------------------------- the PDF without garbage collection


def test_the_pdf_is_laid_out_without_garbage_collection_and_collection_comes_back(monkeypatch):
    import gc

    import weasyprint

    seen: list[bool] = []

    def write_pdf(self, **kw):
        seen.append(gc.isenabled())
        if len(seen) == 2:
            raise RuntimeError("layout broke")
        return b"%PDF-1.7"

    as_pdf.import_weasyprint()
    monkeypatch.setattr(weasyprint.HTML, "write_pdf", write_pdf)
    exporter = as_pdf.PdfWriter()
    assert exporter.pdf("<p>a</p>", "t", Path.cwd()) == b"%PDF-1.7"
    with pytest.raises(RuntimeError, match="layout broke"):
        exporter.pdf("<p>b</p>", "t", Path.cwd())
    assert seen == [False, False] and gc.isenabled()  # off during the layout, on again after, even on error


# ---------------------------------------------------------------- workers boot during planning


@pytest.mark.slow
def test_a_forced_build_starts_its_workers_before_it_plans_and_uses_them(tmp_path, monkeypatch):
    import multiprocessing

    clean, out = tmp_path / "clean", tmp_path / "out"
    write_figures(clean)
    real_plan, real_pool = build.plan, executors.PoolExecutor
    workers_when_planning: list[int] = []
    pools: list[object] = []

    def plan(*args, **kw):
        workers_when_planning.append(len(multiprocessing.active_children()))
        return real_plan(*args, **kw)

    def pool(*args, **kw):
        pools.append(real_pool(*args, **kw))
        return pools[-1]

    monkeypatch.setattr(build, "plan", plan)
    monkeypatch.setattr(executors, "PoolExecutor", pool)
    nb = notebook(tmp_path / "t.ipynb")
    req = build.BuildRequest.from_cli("Nghệ An,Lào Cai", "2018", "vi", 2, True, clean, out, notebook=nb)
    assert build.run_reports(req) == 0
    assert workers_when_planning == [2]  # both workers were booting while the keys were computed
    assert len(pools) == 1  # and the build ran on them, not on a second pool
    assert (out / "2018/vi/nghe-an.pdf").exists() and (out / "2018/vi/lao-cai.pdf").exists()


# ---------------------------------------------------------------- jsonschema's IRI grammars skipped


def test_a_build_process_loads_notebooks_without_compiling_the_iri_grammars():
    pytest.importorskip("rfc3987_syntax", reason="rfc3987_syntax not installed: nothing to skip")
    code = (
        "import sys\n"
        "from analysis.build import runner\n"
        "import nbformat\n"
        "nbformat.validate(nbformat.v4.new_notebook())\n"
        "print(sys.modules['rfc3987_syntax'] is None)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"


# ---------------------------------------------------------------- the kernel starts before pandas loads


def test_the_build_command_loads_no_pandas_before_its_kernel_starts():
    """The kernel is started from `build.run_reports`; everything the command imports up to there
    (the CLI, the engine, the registry, the data-version check) must leave pandas, nbformat and
    the formats' libraries for later, or their 0.3 s come before the kernel's start."""
    code = (
        "import sys\n"
        "import analysis.cli\n"
        "from analysis.build import build, choose, dataversion, speculative\n"
        "from analysis.outputs import registry\n"
        "registry.links()\n"
        "heavy = ('pandas', 'numpy', 'pyarrow', 'nbformat', 'weasyprint', 'docx', 'dask', 'pypdfium2')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
