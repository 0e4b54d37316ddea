"""Build orchestration: incremental keys, atomic writes, failure reporting, index page, HTML safety."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest

from analysis import writing
from analysis.build import build, jobs
from analysis.build import plan as planning
from analysis.build.build import BuildRequest, Job, Result
from analysis.build.record import Recorder
from analysis.build.worker import Builder
from analysis.errors import AnalysisError, UnknownProvinceError
from analysis.national.index import write_index
from analysis.outputs import printcopy, safety
from analysis.outputs.format import Format

DATA = Path(__file__).parents[1] / "data"
MINI = DATA / "mini.ipynb"
FAILING = DATA / "failing.ipynb"


def figures(codes=("40", "10"), value=60.0) -> pd.DataFrame:
    rows = [
        {
            "province_code": code,
            "province_name": name,
            "regime": "63",
            "year": 2018,
            "indicator": "pci",
            "value": value if code == "40" else 55.0,
            "unit": "points",
            "qualifier": "exact",
            "source": "test",
            "source_ref": "fixture",
        }
        for code, name in zip(codes, ("Nghệ An", "Lào Cai"), strict=False)
    ]
    return pd.DataFrame(rows)


def own_rows(df: pd.DataFrame, code: str, regime: str, year: int) -> pd.DataFrame:
    return df[(df["province_code"] == code) & (df["regime"] == regime) & (df["year"] <= year)]


def request(tmp_path: Path, notebook: Path = MINI, langs: str = "vi", **kw) -> BuildRequest:
    return BuildRequest.from_cli(
        provinces="Nghệ An,lao cai",
        years="2018",
        langs=langs,
        jobs=kw.pop("jobs", 1),
        force=kw.pop("force", False),
        clean_dir=tmp_path / "clean",
        out_dir=tmp_path / "out",
        notebook=notebook,
        progress=False,
        **kw,
    )


@pytest.fixture(autouse=True)
def fixed_library(request, monkeypatch):
    """Other work may edit src/analysis while these run; the library's own key is tested on its own."""
    if "library" not in request.node.name:
        monkeypatch.setattr(planning, "library_hash", lambda: "fixed")
        monkeypatch.setattr(build, "library_hash", lambda: "fixed")


def plan_of(req: BuildRequest, df: pd.DataFrame, rows_read=None, **data) -> planning.Plan:
    given = {"rows_read": rows_read} if rows_read is not None else {}
    return planning.plan(req, planning.PlanData.read(req, df, **data), **given)


def keys(req: BuildRequest, df: pd.DataFrame) -> dict[str, str]:
    return {job.rel: job.key for job in plan_of(req, df, own_rows).jobs}


# ---------------------------------------------------------------- request parsing


def test_from_cli_parses_lists_and_rejects_bad_values(tmp_path):
    req = request(tmp_path, langs="VI, en,vi")
    assert req.provinces == ("Nghệ An", "lao cai")
    assert req.years == (2018,)
    assert req.langs == ("vi", "en")
    with pytest.raises(AnalysisError, match="fr"):
        request(tmp_path, langs="vi,fr")
    with pytest.raises(AnalysisError, match="20x8"):
        BuildRequest.from_cli("", "20x8", "vi", 0, False, tmp_path, tmp_path)


def test_unknown_province_is_a_clear_error(tmp_path):
    req = BuildRequest.from_cli("Atlantis", "2018", "vi", 1, False, tmp_path, tmp_path)
    with pytest.raises(UnknownProvinceError, match="Atlantis"):
        build.select(req, figures())


def test_cli_exits_2_on_unknown_province(tmp_path, capsys):
    from analysis.cli import main

    (tmp_path / "clean").mkdir()
    figures().to_parquet(tmp_path / "clean" / "figures.parquet")
    argv = ["reports", "--provinces", "Atlantis", "--years", "2018"]
    code = main([*argv, "--clean", str(tmp_path / "clean"), "--out", str(tmp_path / "out")])
    assert code == 2
    assert "Atlantis" in capsys.readouterr().err


# ---------------------------------------------------------------- incremental keys


def test_keys_are_stable_when_nothing_changes(tmp_path):
    df = figures()
    assert keys(request(tmp_path), df) == keys(request(tmp_path), df.copy())


def test_key_changes_with_the_briefings_own_data_only(tmp_path):
    before = keys(request(tmp_path), figures(value=60.0))
    after = keys(request(tmp_path), figures(value=61.5))
    assert before["2018/vi/nghe-an"] != after["2018/vi/nghe-an"]  # Nghệ An's figure changed
    assert before["2018/vi/lao-cai"] == after["2018/vi/lao-cai"]  # Lào Cai's rows did not


def test_real_inputs_rebuild_a_briefing_whose_ranking_shows_the_changed_figure(tmp_path):
    # Lào Cai's briefing ranks every province and shows the median: Nghệ An's new score changes it.
    before = {j.rel: j.key for j in plan_of(request(tmp_path), figures(value=60.0)).jobs}
    after = {j.rel: j.key for j in plan_of(request(tmp_path), figures(value=61.5)).jobs}
    assert before["2018/vi/lao-cai"] != after["2018/vi/lao-cai"]
    assert before["2018/vi/nghe-an"] != after["2018/vi/nghe-an"]


def test_key_changes_with_template_notebook(tmp_path):
    df = figures()
    copy = tmp_path / "briefing.ipynb"
    copy.write_bytes(MINI.read_bytes())
    before = keys(request(tmp_path, notebook=copy), df)
    copy.write_bytes(MINI.read_bytes().replace(b"Fixture briefing", b"Fixture  briefing"))
    after = keys(request(tmp_path, notebook=copy), df)
    assert all(before[k] != after[k] for k in before)


def test_key_changes_with_language(tmp_path):
    both = keys(request(tmp_path, langs="vi,en"), figures())
    assert both["2018/vi/nghe-an"] != both["2018/en/nghe-an"]
    assert keys(request(tmp_path, langs="vi"), figures())["2018/vi/nghe-an"] == both["2018/vi/nghe-an"]


def test_key_changes_with_library_source(tmp_path, monkeypatch):
    monkeypatch.setattr(planning, "library_hash", lambda: "one version of src/analysis")
    before = keys(request(tmp_path), figures())
    monkeypatch.setattr(planning, "library_hash", lambda: "another version of src/analysis")
    assert keys(request(tmp_path), figures())["2018/vi/nghe-an"] != before["2018/vi/nghe-an"]


def test_library_hash_follows_source_files(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "a.py").write_text("x = 1\n")
    first = planning.library_hash(pkg)
    (pkg / "a.py").write_text("x = 2\n")
    assert planning.library_hash(pkg) != first


# ---------------------------------------------------------------- atomic writes


def test_atomic_write_keeps_old_file_when_replace_fails(tmp_path, monkeypatch):
    target = tmp_path / "b.html"
    target.write_text("old good briefing")

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        writing.atomic_write(target, "new half briefing")
    assert target.read_text() == "old good briefing"
    assert [p.name for p in tmp_path.iterdir()] == ["b.html"]  # no temp file left behind


class _Kernel:
    def run(self, nb):
        return nb


class _Page(Format):
    name, suffix, label = "html", ".html", "HTML"

    def render(self, briefing):
        return b"<html><body>ok</body></html>"


class _FailingPdf(Format):
    name, suffix, label = "pdf", ".pdf", "PDF"

    def render(self, briefing):
        raise RuntimeError("layout exploded")


class _Progress:
    def update(self, result):
        self.last = result


def test_a_format_that_fails_fails_its_briefing_and_leaves_no_file_of_it(tmp_path, monkeypatch):
    import nbformat

    builder = Builder(nbformat.read(MINI, as_version=4), _Kernel(), [_Page(), _FailingPdf()])
    job = Job("Nghệ An", "40", "nghe-an", "63", 2018, "vi", "k", str(tmp_path))
    result = builder.build(job, str(tmp_path / "out"))
    assert not result.ok and result.step == "pdf" and "layout exploded" in result.error
    assert result.files == {}  # the page rendered before the failure is not handed on
    out = tmp_path / "out"
    (out / "2018/vi").mkdir(parents=True)
    (out / "2018/vi/nghe-an.html").write_text("last week's page")  # its previous files go too
    record = Recorder(out, {"2018/vi/nghe-an": {"key": "old"}}, {}, "", "v", _Progress(), [("H", ".html")])
    record(result)
    assert [p.name for p in out.rglob("*") if p.is_file() and p.suffix == ".html"] == ["index.html"]
    assert record.cache == {} and record.failures == [result]


# ---------------------------------------------------------------- HTML safety and index page


@pytest.mark.parametrize(
    "html",
    [
        "<p>x</p><SCRIPT>alert(1)</SCRIPT>",
        '<img src="https://cdn.example.org/a.png">',
        "<link rel=stylesheet href=//cdn.example.org/a.css>",
        "<style>@import 'http://example.org/a.css';</style>",
        "<div style=\"background: url('https://example.org/x.png')\"></div>",
    ],
)
def test_unsafe_html_is_detected(html):
    assert safety.unsafe_html(html) is not None


def test_embedded_and_relative_resources_and_citation_links_are_fine():
    page = (
        '<img src="data:image/png;base64,iVBOR"><a href="2018/vi/nghe-an.pdf">PDF</a><p>&lt;script&gt;</p>'
        '<a href="https://example.org/report">source</a>'
    )
    assert safety.unsafe_html(page) is None


def test_index_lists_built_briefings_with_relative_links_and_escapes(tmp_path):
    out = tmp_path / "reports"
    evil = '<script>alert("x")</script> & Tỉnh'
    cache = {}
    for rel, name, slug in [("2018/vi/evil", evil, "evil"), ("2018/vi/nghe-an", "Nghệ An", "nghe-an")]:
        for ext in ("html", "pdf"):
            (out / f"{rel}.{ext}").parent.mkdir(parents=True, exist_ok=True)
            (out / f"{rel}.{ext}").write_text("x")
        cache[rel] = {"name": name, "slug": slug, "year": 2018, "lang": "vi", "key": "k"}
    cache["2017/vi/gone"] = {
        "name": "Missing Province",
        "slug": "gone",
        "year": 2017,
        "lang": "vi",
        "key": "k",
    }
    failure = Result(
        Job("<b>Lào Cai</b>", "10", "lao-cai", "63", 2018, "en", "k", ""), False, "execute", "x<y"
    )
    page = write_index(out, cache, "abc123def456", [failure]).read_text(encoding="utf-8")
    assert 'href="2018/vi/nghe-an.html"' in page and 'href="2018/vi/nghe-an.pdf"' in page
    assert "Nghệ An" in page and "abc123def456" in page
    assert "<script" not in page and "&lt;script&gt;" in page and "&amp; Tỉnh" in page
    assert "&lt;b&gt;Lào Cai&lt;/b&gt;" in page and "x&lt;y" in page
    assert "Missing Province" not in page  # listed only when its files exist


def test_summary_table_names_every_failure():
    job = Job("Lào Cai", "10", "lao-cai", "63", 2018, "en", "k", "")
    table = build.summary_table([Result(job, False, "execute", "cell 6 ('x'): ValueError: boom")])
    header, _, row = table.splitlines()
    assert header.split() == ["province", "year", "lang", "step", "error"]
    assert all(part in row for part in ("Lào Cai", "2018", "en", "execute", "cell 6", "ValueError: boom"))


# ---------------------------------------------------------------- a real (small) build with kernels


def test_build_incremental_then_failure_keeps_others(tmp_path, capsys):
    (tmp_path / "clean").mkdir()
    figures().to_parquet(tmp_path / "clean" / "figures.parquet")
    out = tmp_path / "out"

    assert build.run_reports(request(tmp_path)) == 0
    built = {p.relative_to(out).as_posix() for p in out.glob("*/*/*.*")}
    # Each briefing in every format, and the year's national overview.
    every = ("html", "pdf", "csv", "docx")
    assert built == {f"2018/vi/{s}.{e}" for s in ("nghe-an", "lao-cai") for e in every} | {
        "2018/vi/overview.html"
    }
    html = (out / "2018/vi/nghe-an.html").read_text(encoding="utf-8")
    assert "Nghệ An (2018)" in html and "1 234,5" in html and "<script" not in html.lower()
    assert 'href="../../index.html"' in html and 'href="overview.html"' in html  # the way back
    assert "stderr only" not in html  # warnings are not part of a briefing
    for slug in ("nghe-an", "lao-cai"):  # same warm kernel, yet no variable leaks into the next briefing
        assert '<p class="leak">False</p>' in (out / f"2018/vi/{slug}.html").read_text(encoding="utf-8")
    mtime = (out / "2018/vi/nghe-an.pdf").stat().st_mtime_ns
    capsys.readouterr()

    # No change: nothing is rebuilt.
    assert build.run_reports(request(tmp_path)) == 0
    assert "2 unchanged, 0 to build" in capsys.readouterr().err
    assert (out / "2018/vi/nghe-an.pdf").stat().st_mtime_ns == mtime

    # A briefing missing the file of any one format (here its take-away CSV) is not fresh.
    (out / "2018/vi/lao-cai.csv").unlink()
    assert build.run_reports(request(tmp_path)) == 0
    assert "1 unchanged, 1 to build" in capsys.readouterr().err
    assert (out / "2018/vi/lao-cai.csv").exists()
    assert (out / "2018/vi/nghe-an.pdf").stat().st_mtime_ns == mtime

    # A notebook that fails for Lào Cai: reported with cell and error, Nghệ An still built, exit 1.
    assert build.run_reports(request(tmp_path, notebook=FAILING)) == 1
    err = capsys.readouterr().err
    assert "2 to build" in err
    assert "cell 7 (" in err and 'if province == "Lào Cai":' in err  # counted from 1, as Jupyter shows
    assert "ValueError: no data for Lào Cai" in err
    assert (out / "2018/vi/nghe-an.pdf").stat().st_mtime_ns != mtime
    assert not any((out / f"2018/vi/lao-cai.{e}").exists() for e in ("html", "pdf", "csv", "docx"))
    cache = json.loads((out / ".build-cache.json").read_text(encoding="utf-8"))["entries"]
    assert set(cache) == {"2018/vi/nghe-an"}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "2018/vi/nghe-an.html" in index and "2018/vi/lao-cai.html" not in index
    assert not list(out.rglob("*.tmp"))
    # The failed briefing's executed notebook is kept, listed in the summary, with the traceback.
    kept = out / ".failed/2018/vi/lao-cai.ipynb"
    assert str(kept) in err and "executed notebooks kept" in err
    cells = json.loads(kept.read_text(encoding="utf-8"))["cells"]
    assert any(o.get("ename") == "ValueError" for c in cells for o in c.get("outputs", []))
    assert not (out / ".failed/2018/vi/nghe-an.ipynb").exists()
    assert build.run_reports(request(tmp_path)) == 0  # fixed: built, and its failure notebook goes
    assert not kept.exists()


SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
    '<rect width="20" height="20" fill="red"/></svg>'
)


def test_print_variant_gives_the_pdf_png_figures_and_keeps_svg_on_screen():
    import nbformat

    from analysis.outputs import svgraster

    both = nbformat.v4.new_output("display_data", data={"image/svg+xml": SVG, "image/png": "iVBOR"})
    svg_only = nbformat.v4.new_output("display_data", data={"image/svg+xml": SVG})
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[both, svg_only])])
    variant = printcopy.print_variant(nb)
    outs = variant.cells[0].outputs
    assert outs[0].data == {"image/png": "iVBOR"}  # the notebook's own PNG wins
    if svgraster.available():
        assert list(outs[1].data) == ["image/png"] and outs[1].metadata["image/png"]["width"] == 40
    assert sorted(nb.cells[0].outputs[0].data) == ["image/png", "image/svg+xml"]  # the screen copy keeps SVG
    assert printcopy.print_variant(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x")])) is None


def test_svg_rasterises_at_twice_its_size():
    import io

    from analysis.outputs import svgraster

    if not svgraster.available():
        pytest.skip("librsvg/cairo not on this machine")
    png, width, height = svgraster.svg_to_png(SVG.encode(), scale=2.0)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and (width, height) == (40, 20)
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGB")
    assert img.size == (80, 40)
    assert img.getpixel((5, 5)) == (255, 0, 0) and img.getpixel((75, 35)) == (255, 255, 255)
    with pytest.raises(ValueError):
        svgraster.svg_to_png(b"not an svg")


def test_input_hash_memo_is_used_only_for_the_same_figures_and_library(tmp_path):
    df = figures()
    memo: dict[str, str] = {}
    first_plan = plan_of(request(tmp_path), df, own_rows, memo=memo)
    first, memo = {j.rel: j.key for j in first_plan.jobs}, first_plan.memo
    assert set(memo) == {"40/63/2018", "10/63/2018"}

    def must_not_run(*args):
        raise AssertionError("briefing_inputs called although memoised")

    again = {j.rel: j.key for j in plan_of(request(tmp_path), df, must_not_run, memo=dict(memo)).jobs}
    assert again == first
    jobs.save_cache(tmp_path, {}, memo, scope="figures-v1+lib-v1")
    assert jobs.load_memo(tmp_path, "figures-v1+lib-v1") == memo
    assert jobs.load_memo(tmp_path, "figures-v2+lib-v1") == {}  # new figures file: hash again


def test_print_variant_rasterises_an_inline_svg_in_html_inside_the_same_svg_element():
    import nbformat

    from analysis.outputs import svgraster

    labelled = SVG.replace("<svg ", '<svg class="tilemap small" aria-label="Bản đồ" ')
    html = f"<p>Map</p>{labelled}<p>end</p>"
    out = nbformat.v4.new_output("display_data", data={"text/html": html})
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[out])])
    variant = printcopy.print_variant(nb)
    if not svgraster.available():
        assert variant is None
        pytest.skip("librsvg/cairo not on this machine")
    printed = variant.cells[0].outputs[0].data["text/html"]
    assert printed.startswith(f"<p>Map</p>{labelled[: labelled.index('>') + 1]}")  # the same element
    assert printed.endswith("</svg><p>end</p>") and "<rect" not in printed  # one image, no shapes
    assert (
        '<image x="0" y="0" width="40" height="20"' in printed and 'href="data:image/png;base64,' in printed
    )
    assert safety.unsafe_html(printed) is None
    assert nb.cells[0].outputs[0].data["text/html"] == html  # the screen page keeps the vector map
