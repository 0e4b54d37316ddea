"""The notebook's entry point and the notebook contract the build relies on."""

from __future__ import annotations

import ast
import json

import pytest

from analysis import config, provinces
from analysis.briefing import sections
from analysis.briefing.core import load_briefing
from analysis.briefing.display import SvgFigure
from analysis.errors import BriefingError
from briefing_fixtures import figures_frame, write_clean


@pytest.fixture(scope="module")
def clean_dir(tmp_path_factory):
    return write_clean(tmp_path_factory.mktemp("clean"), figures_frame(with_2025=True))


def test_load_briefing_sections_and_figure_budget(clean_dir):
    b = load_briefing("Nghệ An", 2018, "vi", clean_dir)
    assert (b.scope.code, b.scope.regime, b.year) == ("40", "63", 2018)
    shown = [obj for name in sections.names() for obj in b.section(name)]
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
    with pytest.raises(BriefingError, match="Atlantis") as err:
        load_briefing("Atlantis", 2018, "vi", clean_dir)
    assert (err.value.province, err.value.year, err.value.lang, err.value.step) == (
        "Atlantis",
        2018,
        "vi",
        "resolve",
    )
    with pytest.raises(BriefingError, match="'fr'") as err:
        load_briefing("Nghệ An", 2018, "fr", clean_dir)
    assert err.value.lang == "fr"
    with pytest.raises(BriefingError, match="no clean figures") as err:
        load_briefing("Nghệ An", 2018, "vi", clean_dir / "nowhere")
    assert err.value.step == "read"


def test_notebook_contract():
    nb = json.loads(config.TEMPLATE_NOTEBOOK.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "cchc-briefings"  # registered by `make setup`
    cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    first = cells[0]
    assert "parameters" in first["metadata"]["tags"]
    params = {}
    for node in ast.parse("".join(first["source"])).body:
        assert isinstance(node, ast.AnnAssign)  # typed, so `papermill --help-notebook` shows types
        params[node.target.id] = ast.literal_eval(node.value)
    assert params == {
        "province": "Nghệ An",
        "province_code": "",
        "regime": "",
        "year": 0,
        "lang": "vi",
        "clean_dir": "",
    }
    shown = [c for c in cells if any(t.startswith("section-") for t in c["metadata"].get("tags", []))]
    assert [c["source"][0] for c in shown] == [f'display(*b.section("{n}"))' for n in sections.names()]
    for cell in nb["cells"]:
        assert cell["cell_type"] == "code" or "remove" in cell["metadata"]["tags"]  # prose is for the editor
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


def test_resolve_once_code_and_regime_are_used_as_given(clean_dir):
    # the build resolved "Vĩnh Phúc" for 2025 once and passes code and regime with the name asked
    p = provinces.resolve("Vĩnh Phúc", 2025).province
    built = load_briefing("Vĩnh Phúc", 2025, "vi", clean_dir, province_code=p.code, regime=p.regime)
    direct = load_briefing("Vĩnh Phúc", 2025, "vi", clean_dir)
    assert (built.scope.code, built.scope.regime) == (p.code, p.regime) == ("25", "34")
    assert "Báo cáo được yêu cầu cho Vĩnh Phúc" in built.html("notes")
    assert built.html("notes") == direct.html("notes")
    # the province's own name gives no successor note
    own = load_briefing("Phú Thọ", 2025, "vi", clean_dir, province_code="25", regime="34")
    assert "Báo cáo được yêu cầu" not in own.html("notes")


def test_resolve_once_does_not_re_resolve(clean_dir, monkeypatch):
    def refuse(name, year=None):
        raise AssertionError(f"resolved {name!r} again")

    monkeypatch.setattr(provinces, "resolve", refuse)
    b = load_briefing("Nghệ An", 2018, "en", clean_dir, province_code="40", regime="63")
    assert (b.scope.code, b.scope.regime, b.year) == ("40", "63", 2018)
    assert "Nghe An" in b.html("title")


def test_successor_note_on_the_build_path(clean_dir, tmp_path):
    """`make reports PROVINCES="Vĩnh Phúc" YEARS=2025`: the build plans Phú Thọ's briefing and the
    notebook, given the job's parameters, still says it was asked for Vĩnh Phúc (issue #9)."""
    from analysis.build.jobs import BuildRequest, read_figures
    from analysis.build.plan import PlanData, plan

    req = BuildRequest.from_cli("Vĩnh Phúc", "2025", "vi,en", 1, True, clean_dir, tmp_path / "out")
    df = read_figures(clean_dir)
    jobs = plan(req, PlanData.read(req, df, lib_hash="fixed")).jobs
    assert {(j.code, j.regime, j.lang) for j in jobs} == {("25", "34", "vi"), ("25", "34", "en")}
    for job in jobs:
        b = load_briefing(**job.parameters())
        assert (b.scope.code, b.scope.regime, b.year) == ("25", "34", 2025)
        said = {"vi": "Báo cáo được yêu cầu cho Vĩnh Phúc", "en": "asked for Vinh Phuc"}[job.lang]
        assert said in b.html("notes")


def test_editor_cells_run_on_a_briefing(clean_dir):
    """The analyst-only and worked-example cells (never published, so the build's checks never see
    their output) run on a real briefing: the tables show and the seaborn example draws an SVG."""
    nb = json.loads(config.TEMPLATE_NOTEBOOK.read_text(encoding="utf-8"))
    editor = [
        c
        for c in nb["cells"]
        if c["cell_type"] == "code" and {"analyst-only", "worked-example"} & set(c["metadata"]["tags"])
    ]
    assert len(editor) >= 2 and all("remove" in c["metadata"]["tags"] for c in editor)
    shown: list = []
    space = {"b": load_briefing("Nghệ An", 2018, "en", clean_dir), "lang": "en"}
    space["display"] = lambda *objs: shown.extend(objs)
    for cell in editor:
        exec("".join(cell["source"]), space)
    tables = next(o for o in shown if hasattr(o, "data") and "b.table(" in o.data)
    assert all(f"b.table({n!r})" in tables.data for n in sections.names())
    example = next(o for o in shown if isinstance(o, SvgFigure))
    assert example.svg.lstrip().startswith("<?xml") and "Business support services" in example.svg


@pytest.fixture(scope="module")
def shipped_df(shipped_clean_dir):
    from analysis.briefing.core import read_figures

    return read_figures(shipped_clean_dir)


def test_a_2024_briefing_of_a_merging_province_says_so_first(shipped_df):
    """Lào Cai, Phú Thọ and Khánh Hòa 2024 never said they absorb neighbours on 2025-07-01 (issue #16)."""
    from analysis.briefing.core import compute

    for name in ("Lào Cai", "Phú Thọ", "Khánh Hòa"):
        p = provinces.resolve(name, 2024).province
        first = compute(shipped_df, p, 2024, "vi").result("title")[0]
        assert first.startswith("Từ 01/7/2025, ") and "hợp nhất thành" in first, first


def test_a_2025_briefing_leads_with_the_new_province_then_the_former_ones(shipped_df):
    """Lào Cai 2025 opened with "PAR Index 2022 (Yên Bái): hạng 14/63" (issue #16)."""
    from analysis.briefing.core import compute

    said = compute(shipped_df, provinces.resolve("Lào Cai", 2025).province, 2025, "en").result("title")
    assert said[0] == "Lao Cai is a new province from 1 July 2025, formed from Lao Cai and Yen Bai."
    assert said[1].startswith("Not yet published for Lao Cai for 2025: ")
    former = said.index("Latest figures of the former provinces:")
    assert former == 2 and any("(Yen Bai)" in s for s in said[former:])


def test_each_briefing_shows_its_build_date_and_data_cut_off(shipped_df, monkeypatch):
    from analysis.briefing.core import compute

    monkeypatch.setenv("CCHC_BUILD_DATE", "2026-02-03")
    b = compute(shipped_df, provinces.resolve("Nghệ An", 2024).province, 2024, "vi")
    assert "Lập ngày 2026-02-03 · số liệu thu thập đến 20" in b.html("title")
