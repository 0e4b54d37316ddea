"""The build's parameter injection (build.inject) is papermill's: the same cell, in the same place,
with the same metadata, so a notebook behaves under the build as under papermill."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

from analysis.build.inject import INJECTED_TAG, parameterize

sys.modules.setdefault("rfc3987_syntax", None)  # as in every build process (build.runner)
TEMPLATE = Path(__file__).resolve().parents[3] / "notebooks" / "briefing.ipynb"


def _papermill(nb: nbformat.NotebookNode, parameters: dict) -> nbformat.NotebookNode:
    import copy

    from papermill.parameterize import parameterize_notebook

    nb = copy.deepcopy(nb)
    for cell in nb.cells:  # papermill's loader does this before its parameterize
        cell.metadata.setdefault("tags", [])
    nb.metadata.setdefault("papermill", {})
    return parameterize_notebook(nb, parameters, kernel_name="python3", language="python")


def _view(nb: nbformat.NotebookNode) -> list[tuple]:
    return [(c.cell_type, c.source, sorted(c.metadata.get("tags", []))) for c in nb.cells]


PARAMETERS = [
    dict(province="Nghệ An", province_code="40", regime="63", year=2024, lang="vi", clean_dir="/d"),
    dict(province='Bà Rịa - "Vũng Tàu"\\', province_code="", regime="34", year=2025, lang="en",
         clean_dir="/a folder/with spaces"),
]  # fmt: skip


@pytest.mark.parametrize("parameters", PARAMETERS)
def test_the_injected_cell_and_metadata_are_papermills(parameters):
    template = nbformat.read(TEMPLATE, as_version=4)
    ours, theirs = parameterize(template, parameters), _papermill(template, parameters)
    for cell in theirs.cells:  # the build's other step, the same for both
        if any(t.startswith("lang-") and t != f"lang-{parameters['lang']}" for t in cell.metadata.tags):
            cell.metadata.tags.append("remove")
    assert _view(ours) == _view(theirs)
    assert ours.metadata.papermill["parameters"] == theirs.metadata.papermill["parameters"] == parameters


def test_a_second_injection_replaces_the_first_and_a_notebook_without_parameters_gets_it_first():
    template = nbformat.read(TEMPLATE, as_version=4)
    twice = parameterize(parameterize(template, PARAMETERS[0]), PARAMETERS[1])
    injected = [c for c in twice.cells if INJECTED_TAG in c.metadata.tags]
    assert len(injected) == 1 and '"/a folder/with spaces"' in injected[0].source
    bare = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    assert _view(parameterize(bare, PARAMETERS[0])) == _view(_papermill(bare, PARAMETERS[0]))
