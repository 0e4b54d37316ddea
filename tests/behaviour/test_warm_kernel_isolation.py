"""A warm kernel is as clean as a cold one: a briefing that changes the clean table the library
caches (in place or by replacing a column) changes nothing in the next briefing on that kernel."""

from __future__ import annotations

from pathlib import Path

from analysis.briefing import core
from analysis.cli import main
from build_helpers import notebook, write_figures

# Reads the table through the library's cache, shows its own value, then spoils the frame it got.
MUTATE = """\
from analysis.briefing.core import read_figures
df = read_figures(clean_dir)
mine = df[df["province_code"] == province_code]["value"].iloc[0]
display(HTML(f'<p class="cached">{mine}</p>'))
df.iloc[:, df.columns.get_loc("value")] = 1000.0
df["province_code"] = "99"
df.drop(df.index, inplace=True)"""


def test_a_briefing_that_mutates_the_cached_table_does_not_change_the_next(tmp_path):
    clean, out = tmp_path / "clean", tmp_path / "out"
    write_figures(clean)
    template = notebook(tmp_path / "t.ipynb", MUTATE)
    args = ["reports", "--provinces", "Lào Cai,Nghệ An", "--years", "2018", "--jobs", "1"]
    assert main([*args, "--clean", str(clean), "--out", str(out), "--notebook", str(template)]) == 0
    shown = {
        slug: (out / "2018" / "vi" / f"{slug}.html")
        .read_text(encoding="utf-8")
        .split('class="cached">')[1][:4]
        for slug in ("lao-cai", "nghe-an")
    }
    assert shown == {"lao-cai": "55.0", "nghe-an": "60.0"}  # Nghệ An ran second, on the same kernel


def test_each_read_is_its_own_frame(tmp_path):
    write_figures(tmp_path)
    first = core.read_figures(tmp_path)
    first["value"] = 1000.0
    first.loc[first.index[0], "indicator"] = "changed"
    again = core.read_figures(tmp_path)
    assert sorted(again["value"]) == [55.0, 60.0] and "changed" not in set(again["indicator"])
    assert again is not first and Path(tmp_path, "figures.parquet").is_file()
