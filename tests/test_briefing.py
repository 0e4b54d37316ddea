"""The notebook's entry point and the notebook contract the build relies on."""

from __future__ import annotations

import ast
import json

import pytest

from analysis import config
from analysis.briefing.core import SECTIONS, load_briefing
from analysis.briefing.plots import SvgFigure
from analysis.errors import BriefingError
from briefing_fixtures import figures_frame, write_clean


@pytest.fixture(scope="module")
def clean_dir(tmp_path_factory):
    return write_clean(tmp_path_factory.mktemp("clean"), figures_frame(with_2025=True))


def test_load_briefing_sections_and_figure_budget(clean_dir):
    b = load_briefing("Nghệ An", 2018, "vi", clean_dir)
    assert (b.scope.code, b.scope.regime, b.year) == ("40", "63", 2018)
    shown = [obj for name in SECTIONS for obj in b.section(name)]
    figures = [o for o in shown if isinstance(o, SvgFigure)]
    assert 3 <= len(figures) <= 5
    bundles = [o._repr_mimebundle_() for o in figures]
    assert all(data["image/svg+xml"].lstrip().startswith("<?xml") for data, _ in bundles)
    alts = [meta["image/svg+xml"]["alt"] for _, meta in bundles]
    assert all(a.endswith(" — Nghệ An") and len(a) > len(" — Nghệ An") for a in alts), alts
    html = [o.data for o in shown if not isinstance(o, SvgFigure)]
    assert any("Nghệ An" in h for h in html)


def test_year_zero_is_the_default_year_and_old_names_map_to_successors(clean_dir):
    b = load_briefing("Nghệ An", 0, "en", clean_dir)
    assert b.year == 2025 and b.scope.regime == "34"
    merged = load_briefing("Vĩnh Phúc", 2025, "vi", clean_dir)  # a pre-2025 name, asked for 2025
    assert merged.scope.regime == "34" and len(merged.scope.predecessors) >= 2
    assert "Vĩnh Phúc" in {p.name for p in merged.scope.predecessors}


def test_errors_name_the_briefing(clean_dir):
    with pytest.raises(BriefingError, match="Atlantis"):
        load_briefing("Atlantis", 2018, "vi", clean_dir)
    with pytest.raises(BriefingError, match="'fr'"):
        load_briefing("Nghệ An", 2018, "fr", clean_dir)


def test_notebook_contract():
    nb = json.loads(config.TEMPLATE_NOTEBOOK.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    first = cells[0]
    assert "parameters" in first["metadata"]["tags"]
    params = {}
    for node in ast.parse("".join(first["source"])).body:
        assert isinstance(node, ast.Assign)
        params[node.targets[0].id] = ast.literal_eval(node.value)
    assert params == {"province": "Nghệ An", "year": 0, "lang": "vi", "clean_dir": ""}
    for cell in cells:
        assert not cell["outputs"] and cell["execution_count"] is None
        tree = ast.parse("".join(cell["source"]))
        # no data logic in cells: no definitions, loops or branches, only calls into analysis
        banned = (ast.FunctionDef, ast.ClassDef, ast.For, ast.While, ast.If, ast.Lambda)
        assert not any(isinstance(n, banned) for n in ast.walk(tree))


def test_an_old_name_asked_for_2025_is_explained_in_the_language(clean_dir):
    vi = load_briefing("Vĩnh Phúc", 2025, "vi", clean_dir)
    assert "Báo cáo được yêu cầu cho Vĩnh Phúc" in vi.html("notes")
    en = load_briefing("Vĩnh Phúc", 2025, "en", clean_dir)
    assert "asked for Vinh Phuc" in en.html("notes") and "Vĩnh" not in en.html("notes")
