"""What a newcomer types, read one way everywhere: make variables, CLI options, years, old names.

Each test drives the tool as a new analyst would (`make -n ...`, `analysis ...`, `load_briefing` in
Jupyter) and checks what they get: the selection they meant, or one line saying why not.
"""

from __future__ import annotations

import os
import re
import subprocess

import pandas as pd
import pytest

from analysis import config, provinces, selection
from analysis.briefing import load_briefing
from analysis.cli import build_parser, main
from analysis.errors import AnalysisError, BriefingError
from briefing_fixtures import figures_frame, write_clean
from build_helpers import write_figures

ROOT = config.ROOT


def make_n(*args: str, env_lang: str | None = "C.UTF-8", **env: str) -> subprocess.CompletedProcess:
    """`make -n ARGS` as typed in a shell whose LANG is `env_lang` (the shell's locale)."""
    environ = {k: v for k, v in os.environ.items() if k not in ("LANG", "PROVINCES", "YEARS", "MAKEFLAGS")}
    if env_lang is not None:
        environ["LANG"] = env_lang
    environ.update(env)
    return subprocess.run(["make", "-n", *args], cwd=ROOT, env=environ, capture_output=True, text=True)


def build_args(out: str) -> str:
    """The `analysis reports|preview` command line in make's dry run, joined."""
    lines = out.splitlines()
    i = next(i for i, line in enumerate(lines) if re.search(r"analysis (reports|preview)", line))
    return " ".join(line.strip(" \\") for line in lines[i : i + 3])


# ---------------------------------------------------------------- make variables


@pytest.mark.parametrize("target", ["reports", "preview"])
@pytest.mark.parametrize(("prov", "year"), [("PROVINCE", "YEAR"), ("PROVINCES", "YEARS")])
def test_singular_and_plural_variables_select_the_same_briefing(target, prov, year):
    run = make_n(target, f"{prov}=Nghệ An", f"{year}=2018", "LANG=en")
    assert run.returncode == 0, run.stderr
    args = build_args(run.stdout)
    assert '"Nghệ An"' in args and '"2018"' in args and '--lang "en"' in args, args


def test_a_misspelt_variable_stops_with_the_closest_one():
    run = make_n("reports", "PROVINVES=Nghệ An")
    assert run.returncode != 0
    assert "unknown variable PROVINVES" in run.stderr and "did you mean PROVINCES?" in run.stderr


def test_the_shell_locale_in_lang_never_selects_the_language():
    run = make_n("reports", env_lang="en_US.UTF-8")
    assert run.returncode == 0, run.stderr
    assert "--lang" not in build_args(run.stdout)


def test_lang_en_from_the_environment_is_explained_not_ignored():
    run = make_n("reports", env_lang="en", PROVINCES="Nghệ An")
    assert run.returncode != 0 and "analysis reports" not in run.stdout
    assert "make reports LANG=en" in run.stderr and "BRIEF_LANG=en" in run.stderr


@pytest.mark.parametrize("how", ["env", "argv"])
def test_brief_lang_works_from_the_environment_and_the_command_line(how):
    run = make_n("reports", "BRIEF_LANG=vi,en") if how == "argv" else make_n("reports", BRIEF_LANG="vi,en")
    assert run.returncode == 0, run.stderr
    assert '--lang "vi,en"' in build_args(run.stdout)


# ---------------------------------------------------------------- the command line


def test_preview_and_reports_accept_both_spellings_and_say_did_you_mean(capsys):
    parser = build_parser()
    for cmd in ("reports", "preview"):
        for opts in (["--province", "A", "--year", "2024"], ["--provinces", "A", "--years", "2024"]):
            args = parser.parse_args([cmd, *opts, "--langs", "en"])
            assert (args.provinces, args.years, args.lang) == ("A", "2024", "en")
    with pytest.raises(SystemExit):
        parser.parse_args(["reports", "--provices", "A"])
    assert "did you mean --provinces?" in capsys.readouterr().err


def test_every_subcommand_has_help_for_every_argument_and_an_example():
    parser = build_parser()
    subs = next(a for a in parser._actions if a.choices and isinstance(a.choices, dict)).choices
    for name, sub in subs.items():
        for action in sub._actions:
            if action.dest != "help":
                assert action.help, f"analysis {name}: {action.dest} has no help"
        text = sub.format_help()
        assert f"example:\n  analysis {name}" in text, text
    assert "(default: vi)" in subs["reports"].format_help()


def test_ingest_needs_no_out_and_writes_nothing_when_nothing_was_read(tmp_path, capsys):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"not a workbook")
    assert main(["ingest", str(bad)]) == 1
    assert main(["ingest", str(bad), "--out", str(tmp_path / "check.csv")]) == 1
    assert "no CSV written" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.xlsx"]


# ---------------------------------------------------------------- years


def test_year_ranges_lists_and_all():
    have = [2017, 2018, 2019, 2020, 2021]
    assert selection.parse_years("2019-2021") == (2019, 2020, 2021)
    assert selection.parse_years("2017, 2019–2020,2017") == (2017, 2019, 2020)
    assert selection.parse_years("all", have) == tuple(have)
    assert selection.parse_years("") == ()
    with pytest.raises(AnalysisError, match="backwards"):
        selection.parse_years("2021-2019")
    with pytest.raises(AnalysisError, match="needs the clean table"):
        selection.parse_years("all")
    with pytest.raises(AnalysisError, match="outside the data's years"):
        selection.parse_years("2016-2018", have)
    with pytest.raises(AnalysisError, match="is not a year"):
        selection.parse_years("20x9")


@pytest.mark.parametrize(
    ("year", "says"), [(1999, "before 2004"), (selection.last_year() + 5, "in the future")]
)
def test_a_year_no_province_can_have_is_refused_by_the_one_validator(year, says):
    with pytest.raises(AnalysisError, match=says):
        provinces.validate("Nghệ An", year)
    assert main(["resolve", "Nghệ An", "--year", str(year)]) == 2


@pytest.mark.parametrize("year", [1999, 2031, 2016])
def test_load_briefing_refuses_a_year_outside_the_data(tmp_path, year):
    clean = write_clean(tmp_path, figures_frame())
    with pytest.raises(BriefingError, match=rf"{year}"):
        load_briefing("Nghệ An", year, "vi", clean)


def test_reports_all_years_reads_the_data_years(tmp_path, monkeypatch):
    from analysis import cli

    clean = write_clean(tmp_path, figures_frame())
    args = build_parser().parse_args(["reports", "--years", "all", "--clean", str(clean)])
    assert cli.selection(args)["years"] == "2017,2018,2019"


# ---------------------------------------------------------------- old names


def test_ha_tay_2007_is_refused_with_the_merger_date(tmp_path, capsys):
    with pytest.raises(AnalysisError) as err:
        provinces.validate("Hà Tây", 2007)
    assert "2008-08-01" in str(err.value) and "Hà Nội" in str(err.value)
    clean = tmp_path / "clean"
    write_figures(clean, year=2007)
    args = ["--provinces", "Hà Tây", "--years", "2007", "--clean", str(clean), "--out", str(tmp_path / "out")]
    assert main(["reports", *args]) == 2
    assert "no Hà Tây briefing for 2007" in capsys.readouterr().err
    assert not list((tmp_path / "out").glob("2007/*/*"))


def test_a_merged_name_is_answered_with_one_line(capsys):
    res = provinces.validate("Yên Bái", 2025)
    assert res.province.name == "Lào Cai"
    assert provinces.explain(res) == "Yên Bái → Lào Cai, 34 provinces from 2025-07-01"
    assert provinces.explain(provinces.validate("Hà Tây", 2010)) == "Hà Tây → Hà Nội, merged on 2008-08-01"
    assert provinces.explain(provinces.validate("Lào Cai", 2020)) is None
    main(["resolve", "Yên Bái", "--year", "2025"])
    assert "Yên Bái → Lào Cai, 34 provinces from 2025-07-01" in capsys.readouterr().err


def test_ha_tay_in_jupyter_gives_ha_noi_with_the_true_date(tmp_path):
    clean = write_clean(tmp_path, figures_frame())
    en = load_briefing("Hà Tây", 2018, "en", clean)
    assert en.scope.code == "01" and en.scope.regime == "63"
    assert "from 1 August 2008" in en.ctx.resolution_note and "2025" not in en.ctx.resolution_note
    vi = load_briefing("Hà Tây", 2018, "vi", clean)
    assert "từ 01/8/2008" in vi.ctx.resolution_note
    frame = figures_frame()
    older = frame[frame["year"] == 2017].assign(year=2007)  # data reaching back to 2007
    write_clean(tmp_path, pd.concat([frame, older], ignore_index=True))
    with pytest.raises(BriefingError, match="no Hà Tây briefing for 2007"):
        load_briefing("Hà Tây", 2007, "vi", tmp_path)


def test_the_build_names_the_province_a_merged_name_became():
    from analysis.build.jobs import BuildRequest, select

    df = figures_frame(with_2025=True)
    request = BuildRequest.from_cli("Yên Bái, Nghệ An", "2025", "vi", 0, False, "clean", "out")
    notes = [s.note for s in select(request, df)]
    assert "Yên Bái → Lào Cai, 34 provinces from 2025-07-01" in notes
    assert sorted(notes) == ["", "Yên Bái → Lào Cai, 34 provinces from 2025-07-01"]  # Nghệ An: its own name
