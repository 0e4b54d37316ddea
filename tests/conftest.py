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
