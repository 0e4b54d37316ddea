"""`analysis new-section NAME`: scaffold a briefing section in the five places one touches.

Writes a working section module (one index's value against the national median, with a bar of
every province), its words in `data/labels.csv` (vi and en), its place in `sections.REGISTRY`,
two notebook cells (a `remove`-tagged note and `display(*b.section(NAME))`) and a test on the
fixture frame's recent years. The analyst then edits `rows`, `compute` and `render`
(docs/sections.md). Nothing is overwritten: an existing name stops it before any file is written.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from analysis import config
from analysis.errors import AnalysisError

TESTS = config.ROOT / "tests" / "unit" / "briefing" / "sections"  # unit tests mirror src/analysis

MODULE = '''"""{doc}

Rows: every province's `{key}` in the briefing's year (the median and the bars need them all).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from analysis.briefing import metrics
from analysis.briefing.context import Context
from analysis.briefing.fmt import fmt_value, heading
from analysis.briefing.labels import esc, t

NAME = "{name}"
NEEDS: tuple[str, ...] = ()
KEY = "{key}"


@dataclass(frozen=True)
class Result:
    year: int
    code: str
    value: float | None  # the province's
    median: float | None  # the national median, over `n` provinces with a value
    n: int
    values: dict[str, float] = field(default_factory=dict)  # province code -> value


def rows(df: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    return metrics.cells(df, {{(ctx.scope.regime, ctx.year, KEY)}})


def compute(df: pd.DataFrame, ctx: Context, needs: Mapping[str, object] | None = None) -> Result:
    values = dict(metrics.cell_values(df, ctx.scope.regime, ctx.year, KEY))
    median, n = metrics.national_median(df, ctx.scope.regime, ctx.year, KEY)
    return Result(ctx.year, ctx.scope.code, values.get(ctx.scope.code), median, n, values)


def table(result: Result) -> pd.DataFrame:
    return pd.DataFrame({{"code": list(result.values), "value": list(result.values.values())}})


def render(result: Result, ctx: Context) -> list:
    lang = ctx.lang
    title = t("{name}.title", lang)
    out: list = [heading(2, title)]
    if result.value is None:
        return [*out, f"<p>{{esc(t('{name}.none', lang, year=result.year))}}</p>"]
    value, median = fmt_value(result.value, KEY, lang), fmt_value(result.median, KEY, lang)
    line = t("{name}.value", lang, year=result.year, value=value, median=median, n=result.n)
    out.append(f"<p>{{esc(line)}}</p>")
    from analysis.briefing import draw  # here: choosing rows never loads matplotlib

    ordered = sorted(result.values.items(), key=lambda kv: kv[1])
    with draw.style():
        fig = draw.figure(1.6)
        draw.margins(fig, left=0.6, right=0.2, top=0.15, bottom=0.2)
        ax = fig.add_subplot()
        colours = [draw.HIGHLIGHT if code == result.code else draw.OTHERS for code, _ in ordered]
        ax.bar(range(len(ordered)), [v for _, v in ordered], color=colours, width=0.8)
        if result.median is not None:
            ax.axhline(result.median, color=draw.MEDIAN, linestyle="--", linewidth=0.8)
        ax.set_xticks([])
        svg = draw.to_svg(fig)
    out.append(draw.SvgFigure(svg, NAME, f"{{title}} — {{ctx.display_name}}"))
    return out
'''

TEST = '''"""Section `{name}` on the fixture frame's recent years (scaffolded by `analysis new-section`)."""

from __future__ import annotations

import pytest

from analysis.briefing import load_briefing
from briefing_fixtures import NGHE_AN, figures_frame, write_clean


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    return write_clean(tmp_path_factory.mktemp("{name}"), figures_frame(recent=True))


def test_{name}_has_numbers_for_a_recent_year(clean):
    b = load_briefing("Nghệ An", 2024, "vi", clean)
    result = b.result("{name}")
    assert len(b.table("{name}")) == 63  # every province has `{key}` in 2024: not an empty frame
    assert result.value == b.table("{name}").set_index("code")["value"][NGHE_AN]
    assert result.median is not None and result.n == 63


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_{name}_is_shown_in_both_languages(clean, lang):
    b = load_briefing("Nghệ An", 2024, lang, clean)
    assert b.html("{name}") and b.figures("{name}")
'''


def _check_name(name: str, sections_dir: Path) -> str:
    if not re.fullmatch(r"[a-z][a-z0-9_]{1,30}", name):
        raise AnalysisError(f"section name {name!r}: use lower-case letters, digits and _ (e.g. budget)")
    from analysis.briefing import sections

    if name in sections.names() or (sections_dir / f"{name}.py").exists():
        raise AnalysisError(f"section {name!r} exists already (src/analysis/briefing/sections/{name}.py)")
    return name


def _labels_rows(name: str, key: str) -> list[list[str]]:
    from analysis.briefing.labels import index_name

    vi, en = index_name(key, "vi", short=False), index_name(key, "en", short=False)
    return [
        [f"{name}.title", f"{vi} so với trung vị cả nước", f"{en} against the national median"],
        [
            f"{name}.value",
            "{year}: {value}; trung vị cả nước {median} ({n} tỉnh, thành phố có số liệu).",
            "{year}: {value}; national median {median} ({n} provinces with data).",
        ],
        [f"{name}.none", "Không có số liệu năm {year}.", "No figure for {year}."],
    ]


def _registry(text: str, name: str, after: str) -> str:
    """sections/__init__.py with the module imported (sorted) and placed after `after` in REGISTRY."""
    imports = re.search(r"from analysis\.briefing\.sections import \(\n((?:    \w+,\n)+)\)", text)
    registry = re.search(r"REGISTRY: tuple\[ModuleType, \.\.\.\] = \(\n((?:    \w+,\n)+)\)", text)
    if imports is None or registry is None:
        raise AnalysisError("sections/__init__.py: the import list or REGISTRY is not where expected")
    names = sorted([*re.findall(r"(\w+),", imports[1]), name])
    order = re.findall(r"(\w+),", registry[1])
    if after not in order:
        raise AnalysisError(f"--after {after!r}: not a section ({', '.join(order)})")
    order.insert(order.index(after) + 1, name)
    text = text.replace(imports[1], "".join(f"    {n},\n" for n in names))
    return text.replace(registry[1], "".join(f"    {n},\n" for n in order))


def _notebook(path: Path, name: str, after: str, title: str, key: str) -> None:
    import nbformat

    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    at = next(i for i, c in enumerate(nb.cells) if f"section-{after}" in c.metadata.get("tags", [])) + 1
    note = nbformat.v4.new_markdown_cell(
        f"## Section `{name}`: {title}\n\nScaffolded by `analysis new-section`: every province's `{key}` "
        f"in the briefing's year, the province against the national median. Code: "
        f'`analysis/briefing/sections/{name}.py`. Its numbers: `b.table("{name}")`.',
        id=f"about-{name}",
        metadata={"tags": ["remove"]},
    )
    code = nbformat.v4.new_code_cell(
        f'display(*b.section("{name}"))', id=name, metadata={"tags": ["hide-input", f"section-{name}"]}
    )
    nb.cells[at:at] = [note, code]
    nbformat.write(nb, path)


def new_section(
    name: str,
    key: str = "dti",
    after: str = "online",
    package: Path = config.PACKAGE_DIR,
    notebook: Path = config.TEMPLATE_NOTEBOOK,
    tests: Path = TESTS,
) -> list[Path]:
    """Scaffold section `name` showing indicator `key`, placed after section `after`; the files written."""
    from analysis import indicators

    sections_dir, labels = package / "briefing" / "sections", package / "data" / "labels.csv"
    name = _check_name(name, sections_dir)
    if key not in indicators.catalogue():
        raise AnalysisError(f"--key {key!r}: not a key of src/analysis/data/indicators.csv")
    init = sections_dir / "__init__.py"
    registry = _registry(init.read_text(encoding="utf-8"), name, after)  # checks before any write
    rows = _labels_rows(name, key)
    import textwrap

    doc = f"Section `{name}`: {rows[0][2]} (scaffolded by `analysis new-section`; edit what it shows)."
    module = MODULE.format(name=name, key=key, doc=textwrap.fill(doc, width=100))
    (sections_dir / f"{name}.py").write_text(module, encoding="utf-8")
    init.write_text(registry, encoding="utf-8")
    text = labels.read_text(encoding="utf-8")
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    labels.write_text(text + ("" if text.endswith("\n") else "\n") + buf.getvalue(), encoding="utf-8")
    _notebook(notebook, name, after, rows[0][2], key)
    tests.mkdir(parents=True, exist_ok=True)
    test = tests / f"test_section_{name}.py"
    test.write_text(TEST.format(name=name, key=key), encoding="utf-8")
    return [sections_dir / f"{name}.py", init, labels, notebook, test]
