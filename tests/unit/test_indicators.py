"""The catalogue keeps every spec key, maps names and units, and refuses what it doesn't know."""

from __future__ import annotations

import csv

import pytest

from analysis import config, indicators
from analysis.errors import UnitMismatchError, UnknownIndicatorError

SPEC = config.SHARED_DIR / "spec" / "indicators.csv"


def test_every_spec_key_is_kept_with_its_unit():
    if not SPEC.exists():
        pytest.skip(f"{SPEC} not present (shared folder absent)")
    with SPEC.open(encoding="utf-8") as fh:
        spec = list(csv.DictReader(fh))
    cat = indicators.catalogue()
    for row in spec:
        assert row["key"] in cat, row["key"]
        assert cat[row["key"]].unit == row["unit"]
        assert cat[row["key"]].name_vi == row["name_vi"]


def test_units_are_known_and_names_bilingual():
    for ind in indicators.catalogue().values():
        assert ind.unit in indicators.UNITS, ind.key
        assert ind.name("vi") and ind.name("en"), ind.key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("pci", "pci"),
        ("PCI_Rank", "pci_rank"),
        ("Tỷ lệ hồ sơ nộp trực tuyến", "online_filing_rate"),
        ("ty le ho so nop truc tuyen", "online_filing_rate"),
        ("Share of applications filed online", "online_filing_rate"),
        ("Share of dossiers filed online", "online_filing_rate"),
        ("pci_law_order", "pci_legal_institutions"),
        ("papi_d8_e_governance", "papi_e_governance"),
    ],
)
def test_lookup_by_key_alias_or_name(text, key):
    assert indicators.lookup(text).key == key


def test_unknown_indicator_names_input_and_suggests():
    with pytest.raises(UnknownIndicatorError) as exc:
        indicators.lookup("pci_rnak")
    assert "pci_rnak" in str(exc.value)
    assert "pci_rank" in exc.value.suggestions


@pytest.mark.parametrize(
    ("key", "unit", "expected", "factor", "rank_of"),
    [
        ("pci", "points (0-100)", "score", 1, None),
        ("pci_rank", "rank /63", "rank", 1, 63),
        ("papi_rank", "rank (61 provinces assessed)", "rank", 1, 61),
        ("population", "thousand persons (2013 average)", "people", 1000, None),
        ("par_index", "%", "percent", 1, None),
        ("compliance_cost_saving", "tỷ đồng", "vnd", 1e9, None),
        ("online_filing_rate", "", "percent", 1, None),
    ],
)
def test_units_map_to_catalogue(key, unit, expected, factor, rank_of):
    reading = indicators.check_unit(key, unit)
    assert (reading.unit, reading.factor, reading.rank_of) == (expected, factor, rank_of)


def test_unit_mismatch_is_an_error():
    with pytest.raises(UnitMismatchError) as exc:
        indicators.check_unit("online_filing_rate", "points (0-10)")
    assert "online_filing_rate" in str(exc.value) and "points (0-10)" in str(exc.value)
