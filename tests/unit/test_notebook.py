"""The template notebook as Jupyter and git see it: visible typed parameters, saved in nbformat's
order (a Jupyter save changes only what was edited), outputs stripped on commit by nbstripout,
commentary per language, a scratch folder outside the lint."""

from __future__ import annotations

import copy
import difflib
import json
import os
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from analysis import config, nbcheck
from analysis.build.inject import parameterize
from analysis.outputs.as_html import prune

ROOT = config.ROOT
TEMPLATE = config.TEMPLATE_NOTEBOOK


def test_a_jupyter_save_of_the_template_changes_nothing():
    """Jupyter saves with nbformat.write: the committed file is already what it writes."""
    text = TEMPLATE.read_text(encoding="utf-8")
    nb = nbformat.read(TEMPLATE, as_version=4)
    saved = ROOT / "notebooks" / ".save-test.ipynb"
    try:
        nbformat.write(nb, saved)
        assert saved.read_bytes() == TEMPLATE.read_bytes()
    finally:
        saved.unlink(missing_ok=True)
    # An edit of one cell changes only that cell's lines.
    nb.cells[-1].source += "\n# one more line"
    edited = nbformat.writes(nb) + "\n"
    diff = difflib.unified_diff(text.splitlines(), edited.splitlines(), lineterm="", n=0)
    changed = [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert len(changed) == 3, changed  # the last line gains ",\n" (-1 +1) and the new line (+1)


def test_nbcheck_refuses_a_notebook_in_another_key_order_and_fixes_it(tmp_path):
    nb = nbformat.read(TEMPLATE, as_version=4)
    raw = json.loads(nbformat.writes(nb))
    raw["cells"] = [dict(reversed(list(c.items()))) for c in raw["cells"]]  # cell_type last: not nbformat's
    path = tmp_path / "b.ipynb"
    path.write_text(json.dumps(raw, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert any("not saved as Jupyter saves it" in p for p in nbcheck.problems(path))
    assert nbcheck.main(["--fix", str(tmp_path)]) == 0
    assert nbcheck.problems(path) == []


def test_parameters_cell_is_visible_and_typed_for_papermill():
    nb = nbformat.read(TEMPLATE, as_version=4)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    assert not params.metadata.get("jupyter", {}).get("source_hidden")
    assert not params.metadata.get("collapsed")
    from papermill.inspection import _infer_parameters

    inferred = {p.name: p.inferred_type_name for p in _infer_parameters(nb)}
    assert inferred == {
        "province": "str",
        "province_code": "str",
        "regime": "str",
        "year": "int",
        "lang": "str",
        "clean_dir": "str",
    }


def _notebook_with_outputs(path: Path) -> None:
    out = nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=3)
    cell = nbformat.v4.new_code_cell("1 + 1", id="kept-id", execution_count=3, outputs=[out])
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_make_setup_installs_a_filter_that_strips_outputs_on_commit(tmp_path):
    """The `git config` lines `make setup` runs, run in a fresh repository with this checkout's files."""
    dry = subprocess.run(["make", "-n", "setup"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "ipykernel install --user --name cchc-briefings" in dry
    lines = [line.strip(" \\&") for line in dry.splitlines() if line.strip().startswith("git config")]
    assert len(lines) == 3, dry
    repo = tmp_path / "repo"
    (repo / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / ".gitattributes", repo / ".gitattributes")
    shutil.copy(ROOT / "scripts" / "nbstripout-filter", repo / "scripts" / "nbstripout-filter")
    if not (ROOT / ".venv" / "bin" / "nbstripout").exists():
        pytest.skip("nbstripout is not installed in .venv (make setup)")
    os.symlink(ROOT / ".venv", repo / ".venv")
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True, env=env)
    for line in lines:
        subprocess.run(line, shell=True, cwd=repo, check=True, env=env)
    (repo / "notebooks").mkdir()
    _notebook_with_outputs(repo / "notebooks" / "n.ipynb")
    subprocess.run(["git", "add", "n.ipynb"], cwd=repo / "notebooks", check=True, env=env)  # from a subfolder
    staged = subprocess.run(
        ["git", "show", ":notebooks/n.ipynb"], cwd=repo, check=True, env=env, capture_output=True, text=True
    ).stdout
    cell = json.loads(staged)["cells"][0]
    assert cell["outputs"] == [] and cell["execution_count"] is None and cell["id"] == "kept-id"
    # The template itself goes through the filter unchanged.
    shutil.copy(TEMPLATE, repo / "notebooks" / "briefing.ipynb")
    subprocess.run(["git", "add", "notebooks/briefing.ipynb"], cwd=repo, check=True, env=env)
    same = subprocess.run(
        ["git", "show", ":notebooks/briefing.ipynb"], cwd=repo, env=env, capture_output=True
    )
    assert same.stdout == TEMPLATE.read_bytes()


def test_committed_notebooks_are_checked_and_explore_is_not(tmp_path):
    assert nbcheck.checked(ROOT / "notebooks") == [TEMPLATE]
    (tmp_path / "explore").mkdir()
    _notebook_with_outputs(tmp_path / "explore" / "scratch.ipynb")
    assert nbcheck.main([str(tmp_path)]) == 0
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "notebooks/explore/scratch.ipynb"], cwd=ROOT, capture_output=True
    )
    assert ignored.returncode == 0
    assert (ROOT / "notebooks" / "explore" / "README.md").exists()


def _commentary_notebook() -> nbformat.NotebookNode:
    nb = copy.deepcopy(nbformat.read(TEMPLATE, as_version=4))
    nb.cells += [
        nbformat.v4.new_markdown_cell("Nhận xét của chuyên viên.", metadata={"tags": ["lang-vi"]}),
        nbformat.v4.new_markdown_cell("The analyst's comment.", metadata={"tags": ["lang-en"]}),
        nbformat.v4.new_markdown_cell("Nguồn / Source: VCCI."),
    ]
    return nb


@pytest.mark.parametrize(
    ("lang", "kept", "dropped"), [("vi", "Nhận xét", "The analyst"), ("en", "The analyst", "Nhận xét")]
)
def test_commentary_cells_reach_only_their_language(lang, kept, dropped):
    nb = parameterize(_commentary_notebook(), {"province": "Nghệ An", "year": 2018, "lang": lang})
    shown = [c.source for c in prune(nb).cells if c.cell_type == "markdown"]
    assert any(kept in s for s in shown) and not any(dropped in s for s in shown)
    assert any("Nguồn / Source" in s for s in shown)  # an untagged markdown cell is published in both
