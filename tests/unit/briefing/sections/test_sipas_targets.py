"""SIPAS targets (issue #16, "Targets match"): a SIPAS satisfaction percentage meets only a target
the shipped sources state, a SIPAS rank meets none, and no unconfirmed 2025 target is shown."""

from __future__ import annotations

from types import SimpleNamespace

from analysis import rulebook
from analysis.briefing.sections.title import _target


def _figure(value: float | None, year: int) -> SimpleNamespace:
    return SimpleNamespace(key="sipas", value=value, year=year)


def test_a_sipas_percentage_meets_resolution_30cs_target_until_2020_only() -> None:
    old = _target(_figure(84.3, 2019))
    assert old is not None and (old.value, old.qualifier, old.deadline) == (80.0, "over", 2020)
    assert "30c/NQ-CP" in old.set_by_vi and old.source_url.startswith("https://")
    for year in range(2021, 2026):  # 30c expired; no source we hold states a later SIPAS target
        assert _target(_figure(88.8, year)) is None, year


def test_a_sipas_rank_alone_meets_no_target() -> None:
    assert _target(_figure(None, 2019)) is None  # "SIPAS 2022: hạng 14/63; mục tiêu 80,0 %" (issue #16)
    assert rulebook.target_for("sipas", "rank", 2019) is None


def test_every_sipas_target_is_a_share_of_respondents_with_its_source() -> None:
    sipas = [t for t in rulebook.targets() if t.indicator == "sipas"]
    assert sipas and all(t.unit == "percent" and t.denominator == "respondents" for t in sipas)
    assert all(t.source_url.startswith(("http://", "https://")) and t.decided for t in sipas)
    assert not [t for t in sipas if "76/NQ-CP" in t.set_by_en]  # the row kept from memory is gone
