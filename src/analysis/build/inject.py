"""A notebook made ready for one briefing: its parameters injected as papermill injects them, and
the cells written for another language removed. Pure functions of the template and parameters."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nbformat import NotebookNode

INJECTED_TAG = "injected-parameters"


def parameterize(nb: NotebookNode, parameters: dict[str, Any]) -> NotebookNode:
    """The parameters injected as papermill injects them, so notebooks behave as under papermill: a
    cell tagged `injected-parameters` after the cell tagged `parameters` (replacing an earlier
    injected one), the values in the notebook's metadata (tests/unit/build: compared with
    papermill's own). Written here because importing papermill cost each build process 0.2 s for
    this one step. Values are strings and numbers (briefing.contract.parameters)."""
    import nbformat

    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])
    literal = {name: _literal(v) for name, v in parameters.items()}
    lines = [f"{name} = {text}" for name, text in literal.items()]
    injected = nbformat.v4.new_code_cell("# Parameters\n" + "\n".join(lines) + "\n")
    injected.metadata["tags"] = [INJECTED_TAG]

    def first(tag: str) -> int:
        return next((i for i, cell in enumerate(nb.cells) if tag in cell.metadata["tags"]), -1)

    if (at := first(INJECTED_TAG)) >= 0:
        nb.cells[at] = injected
    else:
        nb.cells.insert(first("parameters") + 1, injected)  # first in a notebook without one
    nb.metadata.setdefault("papermill", {})["parameters"] = dict(parameters)
    return other_languages_removed(nb, str(parameters.get("lang", "")))


def _literal(value: Any) -> str:
    """A value as Python source, written as papermill writes it (strings in ASCII escapes, between
    double quotes), so the injected cell reads the same under both."""
    if isinstance(value, str):
        return '"' + value.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
    return repr(value)


def other_languages_removed(nb: NotebookNode, lang: str) -> NotebookNode:
    """Cells tagged for another language (`lang-en` in a Vietnamese briefing) get the `remove` tag,
    so the build neither runs nor publishes them: commentary is written once per language."""
    for cell in nb.cells:
        tags = cell.metadata.setdefault("tags", [])
        if any(t.startswith("lang-") and t != f"lang-{lang}" for t in tags) and "remove" not in tags:
            tags.append("remove")
    return nb
