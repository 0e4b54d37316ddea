"""`analysis new-section NAME` on a copy of the package: the scaffold's own test passes as written,
on the fixture's recent years, and the notebook, labels and registry stay valid."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import nbformat
import pytest

from analysis import config, nbcheck
from analysis.briefing.scaffold import new_section
from analysis.errors import AnalysisError

HERE = config.ROOT / "tests"


@pytest.fixture
def copy(tmp_path):
    """A checkout-shaped copy: src/analysis, notebooks/briefing.ipynb, the fixture module, a Makefile."""
    shutil.copytree(
        config.PACKAGE_DIR, tmp_path / "src" / "analysis", ignore=shutil.ignore_patterns("__pycache__")
    )
    (tmp_path / "notebooks").mkdir()
    shutil.copy(config.TEMPLATE_NOTEBOOK, tmp_path / "notebooks" / "briefing.ipynb")
    (tmp_path / "tests").mkdir()
    shutil.copy(HERE / "briefing_fixtures.py", tmp_path / "tests" / "briefing_fixtures.py")
    (tmp_path / "tests" / "unit").mkdir()
    shutil.copy(config.ROOT / "pyproject.toml", tmp_path / "pyproject.toml")  # pytest's pythonpath
    (tmp_path / "Makefile").write_text("", encoding="utf-8")
    return tmp_path


@pytest.mark.slow
def test_a_scaffolded_section_works_in_all_five_places(copy):
    written = new_section(
        "budget",
        key="dti",
        after="online",
        package=copy / "src" / "analysis",
        notebook=copy / "notebooks" / "briefing.ipynb",
        tests=copy / "tests" / "unit" / "briefing" / "sections",
    )
    assert [p.name for p in written] == [
        "budget.py",
        "__init__.py",
        "labels.csv",
        "briefing.ipynb",
        "test_section_budget.py",
    ]
    nb = nbformat.read(copy / "notebooks" / "briefing.ipynb", as_version=4)
    tags = [c.metadata.get("tags", []) for c in nb.cells]
    assert tags.index(["hide-input", "section-budget"]) == tags.index(["hide-input", "section-online"]) + 2
    assert nbcheck.problems(copy / "notebooks" / "briefing.ipynb") == []  # still as Jupyter saves it
    env = {**os.environ, "PYTHONPATH": str(copy / "src"), "CCHC_ROOT": str(copy)}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"tests/unit/briefing/sections/{written[-1].name}",
        ],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "3 passed" in run.stdout
    ruff = config.ROOT / ".venv" / "bin" / "ruff"
    if ruff.exists():  # what the analyst commits passes `make lint` as scaffolded
        files = [str(p) for p in written if p.suffix == ".py"]
        cfg = ["--config", str(config.ROOT / "pyproject.toml")]
        lint = subprocess.run([str(ruff), "check", *cfg, *files], capture_output=True, text=True)
        assert lint.returncode == 0, lint.stdout
        fmt = subprocess.run([str(ruff), "format", "--check", *cfg, *files], capture_output=True, text=True)
        assert fmt.returncode == 0, fmt.stdout + fmt.stderr
    check = "from analysis.briefing import sections; print(sections.names())"
    names = subprocess.run([sys.executable, "-c", check], env=env, capture_output=True, text=True).stdout
    assert "'online', 'budget', 'notes'" in names


def test_new_section_refuses_a_taken_or_bad_name_before_writing(copy):
    args = {
        "package": copy / "src" / "analysis",
        "notebook": copy / "notebooks" / "briefing.ipynb",
        "tests": copy / "tests" / "unit",
    }
    before = (copy / "src" / "analysis" / "data" / "labels.csv").read_bytes()
    for name, says in (("headline", "exists already"), ("Bad-Name", "lower-case"), ("fine", "not a section")):
        with pytest.raises(AnalysisError, match=says):
            new_section(name, after="nowhere" if name == "fine" else "online", **args)
    assert (copy / "src" / "analysis" / "data" / "labels.csv").read_bytes() == before
    assert not (copy / "src" / "analysis" / "briefing" / "sections" / "fine.py").exists()
