"""One data version per build: every briefing, CSV, overview and index entry of a build come from the
clean table as the build read it, even when `make data` replaces the table meanwhile; a table of the
wrong shape stops the build before anything runs (nothing published is deleted); an incomplete clean
stops it unless asked to go on, and then every briefing says what is missing."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.build.dataversion import version_of
from analysis.cli import main
from build_helpers import notebook, write_figures

# The first briefing built (Lào Cai, code 10: the build goes by slug) plays `make data` in another
# terminal: it replaces the clean table with new values for both provinces.
REPLACE_TABLE = """\
import sys
sys.path.insert(0, {helpers!r})
from build_helpers import write_figures
if province_code == "10":
    write_figures(Path({clean!r}), {{"40": 99.0, "10": 11.0}})"""


def _reports(clean: Path, out: Path, template: Path, *extra: str) -> int:
    args = ["reports", "--provinces", "Nghệ An,Lào Cai", "--years", "2018", "--jobs", "1"]
    return main([*args, "--clean", str(clean), "--out", str(out), "--notebook", str(template), *extra])


def _value(out: Path, slug: str) -> str:
    page = (out / "2018" / "vi" / f"{slug}.html").read_text(encoding="utf-8")
    return page.split('<p class="value">', 1)[1].split("<", 1)[0]


def test_a_clean_replacing_the_table_during_a_build_still_publishes_one_version(tmp_path, capsys):
    clean, out = tmp_path / "clean", tmp_path / "out"
    first = write_figures(clean).read_bytes()
    helpers = str(Path(__file__).parents[1])
    template = notebook(tmp_path / "t.ipynb", REPLACE_TABLE.format(helpers=helpers, clean=str(clean)))
    assert _reports(clean, out, template) == 0
    assert (clean / "figures.parquet").read_bytes() != first  # the table was replaced mid-build
    assert _value(out, "lao-cai") == "55.0" and _value(out, "nghe-an") == "60.0"  # both the old version
    index = (out / "index.html").read_text(encoding="utf-8")
    assert version_of(first) in index
    csv = (out / "2018" / "vi" / "nghe-an.csv").read_text(encoding="utf-8-sig")
    assert "60" in csv and "99" not in csv
    capsys.readouterr()
    # The next build sees the new table: nothing is "unchanged" that changed.
    plain = notebook(tmp_path / "plain.ipynb")
    assert _reports(clean, out, plain) == 0
    assert _value(out, "nghe-an") == "99.0" and _value(out, "lao-cai") == "11.0"
    assert version_of((clean / "figures.parquet").read_bytes()) in (out / "index.html").read_text("utf-8")


def _broken(frame: pd.DataFrame, how: str) -> pd.DataFrame:
    if how == "codes":  # a spreadsheet round trip turned "01" into 1
        return frame.assign(province_code=frame["province_code"].astype(int))
    if how == "value":
        return frame.assign(value=frame["value"].astype(str).str.replace(".", ",", regex=False))
    return frame.drop(columns=["indicator"])  # an older clean table


@pytest.mark.parametrize(
    ("how", "message"),
    [
        ("codes", "province_code 40 is not two-digit text"),
        ("value", "value '60,0' is not a number"),
        ("column", "column(s) indicator missing"),
    ],
)
def test_a_clean_table_of_the_wrong_shape_stops_the_build_and_deletes_nothing(tmp_path, capsys, how, message):
    clean, out = tmp_path / "clean", tmp_path / "out"
    write_figures(clean)
    template = notebook(tmp_path / "t.ipynb")
    assert _reports(clean, out, template) == 0
    published = {
        p: p.read_bytes() for p in out.rglob("*") if p.is_file() and p.suffix in (".html", ".pdf", ".csv")
    }
    assert len(published) >= 6
    _broken(pd.read_parquet(clean / "figures.parquet"), how).to_parquet(clean / "figures.parquet")
    capsys.readouterr()
    assert _reports(clean, out, template, "--force") == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert {p: p.read_bytes() for p in published} == published


def _incomplete(clean: Path) -> None:
    data = (clean / "figures.parquet").read_bytes()
    manifest = {
        "data_version": version_of(data),
        "inputs": [{"file": "PAPI_2018.xlsx", "error": "cannot be read as a workbook"}],
        "totals": {"balanced": False, "unreadable_files": 1},
    }
    (clean / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_an_incomplete_clean_stops_the_build_unless_asked_and_then_each_briefing_says_so(tmp_path, capsys):
    clean, out = tmp_path / "clean", tmp_path / "out"
    write_figures(clean)
    _incomplete(clean)
    template = notebook(tmp_path / "t.ipynb")
    assert _reports(clean, out, template) == 2
    err = capsys.readouterr().err
    assert "incomplete" in err and "PAPI_2018.xlsx" in err and "--allow-incomplete" in err
    assert not list(out.glob("2018/vi/*.html"))
    assert _reports(clean, out, template, "--allow-incomplete") == 0
    for slug in ("nghe-an", "lao-cai"):
        page = (out / "2018" / "vi" / f"{slug}.html").read_text(encoding="utf-8")
        assert "Incomplete data" in page and "PAPI_2018.xlsx" in page
