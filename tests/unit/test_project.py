"""The project's front door: make targets, pinned requirements in step with conda, clean notebooks."""

from __future__ import annotations

import json
import re
import subprocess

from analysis import config, nbcheck

ROOT = config.ROOT


def _pins(lines: list[str]) -> dict[str, str]:
    pins = {}
    for line in lines:
        line = line.split("#", 1)[0].strip().lstrip("- ").strip()
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s]+)", line)
        if match:
            pins[match.group(1).lower()] = match.group(2)
    return pins


def test_environment_yml_pins_match_pip_requirements():
    pip = _pins((ROOT / "requirements.txt").read_text().splitlines())
    pip |= _pins((ROOT / "requirements-dev.txt").read_text().splitlines())
    conda = _pins((ROOT / "environment.yml").read_text().splitlines())
    assert pip, "no pins found in requirements"
    assert conda == pip, (
        f"only pip: {pip.keys() - conda.keys()}, only conda: {conda.keys() - pip.keys()}, "
        + (f"different: {[k for k in pip.keys() & conda.keys() if pip[k] != conda[k]]}")
    )


def test_make_help_is_the_default_and_lists_every_target():
    out = subprocess.run(["make", "-s"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for target in ("setup", "data", "reports", "test", "lint", "clean"):
        assert re.search(rf"^\s+{target}\s+\S", out, re.M), f"make help does not list {target}:\n{out}"


def test_readme_opens_with_the_two_commands():
    head = (ROOT / "README.md").read_text(encoding="utf-8")[:1500]
    assert "make reports" in head and "make test" in head


def test_nbcheck_flags_outputs_and_passes_clean_notebooks(tmp_path):
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "id": "c1",
                "source": "1",
                "metadata": {},
                "outputs": [],
                "execution_count": None,
            }
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (tmp_path / "ok.ipynb").write_text(nbcheck.as_jupyter_saves(json.dumps(nb)))
    assert nbcheck.main([str(tmp_path)]) == 0
    nb["cells"][0]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x"}]
    (tmp_path / "bad.ipynb").write_text(nbcheck.as_jupyter_saves(json.dumps(nb)))
    assert nbcheck.main([str(tmp_path)]) == 1


def test_committed_notebooks_carry_no_outputs():
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert notebooks, "the briefing template is missing"
    assert [p for nb in notebooks for p in nbcheck.problems(nb)] == []


def test_readme_is_for_the_first_hour_and_says_nothing_false():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) < 15_000, "depth goes into docs/"
    first_screen = "\n".join(text.splitlines()[:24])
    for step in ("make reports", "reports/index.html", "make test"):
        assert step in first_screen, step
    for task in ("make preview", "Add a figure", "new-section", "jupyter lab"):
        assert task in text, task
    assert "never reach" not in text  # an untagged markdown cell is published
    assert "data/raw/official" not in text  # not in the repository
    for link in re.findall(r"\]\(([^)#]+)\)", text):
        assert (ROOT / link).exists(), f"README links {link}, which does not exist"
