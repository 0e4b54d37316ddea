"""The build does not execute the cells the published briefing drops (tagged `remove`): their output
would be thrown away. Deleting the tag publishes the cell, executed like any other."""

from __future__ import annotations

import nbformat

from analysis.build.build import BuildRequest
from analysis.build.jobs import read_figures
from analysis.build.plan import PlanData, plan
from analysis.build.worker import Builder
from build_helpers import notebook, write_figures

# The analyst's cell leaves a trace on disk when it runs, and shows a line of its own.
ANALYST = """\
from pathlib import Path
Path(clean_dir, "analyst-cell-ran").write_text(province)
display(HTML('<p class="analyst">numbers for the analyst</p>'))"""


def _template(path, tags: list[str]):
    notebook(path, ANALYST, 'display(HTML("<p class=\\"after\\">after the analyst</p>"))')
    nb = nbformat.read(str(path), as_version=4)
    nb.cells[2].metadata["tags"] = tags
    nbformat.write(nb, str(path))
    return path


def test_remove_tagged_cells_are_not_executed_and_untagged_they_are_published(tmp_path):
    clean, out = tmp_path / "clean", tmp_path / "out"
    write_figures(clean)
    template = _template(tmp_path / "t.ipynb", ["remove"])
    req = BuildRequest.from_cli("Nghệ An", "2018", "vi", 1, True, clean, out)
    job = plan(req, PlanData.read(req, read_figures(clean), lib_hash="fixed")).jobs[0]
    trace = clean.resolve() / "analyst-cell-ran"

    builder = Builder.open(template, formats=("html",))
    try:
        result = builder.build(job, out)
        assert result.ok, result.error
        page = result.files[".html"].decode("utf-8")
        assert "after the analyst" in page  # the cells after it ran
        assert "numbers for the analyst" not in page
        assert not trace.exists()  # not executed at all, not only hidden

        _template(template, [])  # the analyst publishes the cell by deleting its tag
        builder.reload_template(template)
        result = builder.build(job, out)
        assert result.ok, result.error
        page = result.files[".html"].decode("utf-8")
        assert "numbers for the analyst" in page and "after the analyst" in page
        assert trace.read_text(encoding="utf-8") == "Nghệ An"
    finally:
        builder.close()
