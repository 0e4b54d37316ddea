"""Fixtures shared by the briefing-content tests (figures in tests/briefing_fixtures.py)."""

from __future__ import annotations

import pytest

from analysis import provinces
from analysis.briefing.core import compute
from briefing_fixtures import NGHE_AN, figures_frame


@pytest.fixture(scope="module")
def df():
    return figures_frame(with_2025=True)


@pytest.fixture(scope="module")
def vi(df):
    return compute(df, provinces.get(NGHE_AN, "63"), 2018, "vi")


@pytest.fixture(scope="module")
def en(df):
    return compute(df, provinces.get(NGHE_AN, "63"), 2018, "en")


@pytest.fixture(scope="session")
def shipped_clean(tmp_path_factory):
    """The shipped raw data cleaned once per test session, fresh (data/clean may be stale or absent):
    (clean folder, run_clean's result). Every test that builds real briefings reads it."""
    from analysis import config
    from analysis.clean.stage import run_clean

    if not any(config.FIGURES_DIR.glob("*.*")):
        pytest.skip("no raw figure sheets to clean")
    out = tmp_path_factory.mktemp("shipped-clean")
    return out, run_clean(config.RAW_DIR, out, quiet=True)


@pytest.fixture(scope="session")
def shipped_clean_dir(shipped_clean):
    return shipped_clean[0]


@pytest.fixture(scope="session")
def shipped_briefings(shipped_clean_dir, tmp_path_factory):
    """Real briefings built once per session from the shipped data (briefing_pages.SELECTIONS): the
    end-to-end text checks of recent years and of the report figures read them."""
    from analysis import config
    from analysis.build.build import run_reports
    from analysis.build.jobs import BuildRequest
    from briefing_pages import SELECTIONS

    if not config.TEMPLATE_NOTEBOOK.exists():
        pytest.skip("no briefing notebook")
    out = tmp_path_factory.mktemp("reports")
    for names, years, langs in SELECTIONS:
        request = BuildRequest.from_cli(names, years, langs, 2, True, shipped_clean_dir, out, progress=False)
        assert run_reports(request) == 0
    return out
