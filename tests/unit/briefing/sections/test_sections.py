"""The section registry and the package's shape: every section declares the rows it reads (and the
rebuild key is their union), labels are complete in vi and en, no module over 450 lines, no import
circles, and the build's light entry never imports matplotlib."""

from __future__ import annotations

import ast
import csv
import subprocess
import sys

import pandas as pd
import pytest

from analysis import config, provinces
from analysis.briefing import labels, metrics, sections
from analysis.briefing.context import make_context
from analysis.briefing.core import compute
from analysis.briefing.inputs import briefing_inputs
from analysis.errors import BriefingError
from briefing_fixtures import MERGED, NGHE_AN, figures_frame
from import_graph import import_graph

SRC = config.PACKAGE_DIR
# (code, regime, year asked): a 63-province year, a year that falls back, a merged 2025 province,
# a province without online figures.
CASES = [(NGHE_AN, "63", 2018), (NGHE_AN, "63", 2019), (MERGED, "34", 2025), ("01", "63", 2017)]


@pytest.fixture(scope="module")
def df() -> pd.DataFrame:
    return figures_frame(with_2025=True)


def frames_equal(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    return a.reset_index(drop=True).equals(b.reset_index(drop=True))


def computed_on(df: pd.DataFrame, ctx, restrict: bool) -> dict[str, pd.DataFrame]:
    """Every section's table, each computed on its declared rows (restrict) or on the whole table."""
    results: dict[str, object] = {}
    for m in sections.compute_order():
        rows = sections.section_rows(m.NAME, df, ctx) if restrict else df
        results[m.NAME] = m.compute(rows, ctx, {n: results[n] for n in m.NEEDS})
    return {name: sections.get(name).table(res) for name, res in results.items()}


@pytest.mark.parametrize(("code", "regime", "year"), CASES)
def test_each_section_on_its_declared_rows_equals_on_the_whole_table(df, code, regime, year):
    ctx = make_context(df, provinces.get(code, regime), year, "en")
    narrow, whole = computed_on(df, ctx, True), computed_on(df, ctx, False)
    for name in sections.names():
        assert frames_equal(narrow[name], whole[name]), f"section {name!r} reads rows it does not declare"


def test_a_section_that_forgets_rows_is_caught(df, monkeypatch):
    """The comparison above fails when a section's rows miss what it reads (here: other provinces)."""
    from analysis.briefing.sections import headline

    own_only = lambda frame, ctx: frame[frame["province_code"] == ctx.scope.code]  # noqa: E731
    monkeypatch.setattr(headline, "rows", own_only)
    ctx = make_context(df, provinces.get(NGHE_AN, "63"), 2018, "vi")
    narrow, whole = computed_on(df, ctx, True), computed_on(df, ctx, False)
    assert not frames_equal(narrow["headline"], whole["headline"])


@pytest.mark.parametrize(("code", "regime", "year"), CASES)
def test_rebuild_key_is_the_union_of_the_sections_rows(df, code, regime, year):
    p = provinces.get(code, regime)
    ctx = make_context(df, p, year, "vi")
    key = briefing_inputs(df, code, regime, year)
    parts = [metrics.index_rows(df, code, regime)] + [m.rows(df, ctx) for m in sections.REGISTRY]
    union = pd.concat(parts).drop_duplicates()
    cols = list(df.columns)
    as_set = lambda f: set(map(tuple, f[cols].astype(str).to_numpy()))  # noqa: E731
    assert as_set(key) == as_set(union)
    assert len(key) < len(df)
    # and the briefing computed from the key alone says exactly what it says from everything
    full, part = compute(df, p, year, "vi"), compute(key, p, year, "vi")
    for name in sections.names():
        assert frames_equal(full.table(name), part.table(name)), name


def test_every_section_module_has_the_interface():
    for m in sections.REGISTRY:
        for attr in ("NAME", "NEEDS", "rows", "compute", "table", "render"):
            assert hasattr(m, attr), f"{m.__name__} lacks {attr}"
        assert set(m.NEEDS) <= set(sections.names())
    assert sections.names()[0] == "title" and len(set(sections.names())) == len(sections.names())
    with pytest.raises(BriefingError, match=r"'chart'.*headline") as err:
        sections.get("chart")
    assert err.value.step == "section"


def test_labels_file_is_complete_in_both_languages():
    with labels.LABELS_FILE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(r["key"] and r["vi"].strip() and r["en"].strip() for r in rows)
    assert len({r["key"] for r in rows}) == len(rows)
    # every label the code asks for exists: t("…") and t(f"short.…") calls in the briefing package
    asked = set()
    for path in (SRC / "briefing").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(node, "func", None) and getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name == "t" and node.args and isinstance(node.args[0], ast.Constant):
                asked.add(str(node.args[0].value))
    assert asked and asked <= set(labels.labels()), sorted(asked - set(labels.labels()))
    # the same placeholders in both languages
    for key, (vi, en) in labels.labels().items():
        names = lambda s: {p.split("}")[0] for p in s.split("{")[1:]}  # noqa: E731
        assert names(vi) <= names(en) | {"places"} and names(en) - {"places"} <= names(vi), key


def test_every_briefing_module_imports_alone_and_inputs_stays_light():
    mods = sorted(m for m in import_graph() if m.startswith("analysis.briefing"))
    code = (
        "import importlib, sys\n"
        f"for m in {mods!r}:\n"
        "    importlib.import_module(m)\n"
        "import analysis.briefing.inputs\n"
    )
    for m in mods:
        subprocess.run([sys.executable, "-c", f"import {m}"], check=True, capture_output=True)
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    light = subprocess.run(
        [sys.executable, "-c", "import sys, analysis.briefing.inputs; print('matplotlib' in sys.modules)"],
        check=True,
        capture_output=True,
        text=True,
    )
    assert light.stdout.strip() == "False"
