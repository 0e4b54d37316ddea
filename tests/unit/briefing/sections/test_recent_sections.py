"""The briefing of year Y (issue #10), section by section, on small frames written here: the year
never moves, a rank alone is a figure, an index without a Y figure shows its latest earlier one
labelled with its year and what was published for Y, PAPI shows its quartile group and computed
ranks, the PAPI section names the weakest dimensions' sub-dimensions, notes condense sources."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import provinces
from analysis import publications as pub
from analysis.briefing.context import make_context
from analysis.briefing.sections import headline, papi

NGHE_AN = provinces.resolve("Nghệ An", 2024).province
CODES = [p.code for p in provinces.all_provinces("63")][:8]
if NGHE_AN.code not in CODES:
    CODES[-1] = NGHE_AN.code
DIMS = ("papi_participation", "papi_transparency", "papi_e_governance")


def _row(code: str, year: int, key: str, value: float, regime: str = "63", source: str = "a sheet") -> dict:
    return {
        "province_code": code,
        "province_name": "",
        "regime": regime,
        "year": year,
        "indicator": key,
        "value": value,
        "unit": "score",
        "qualifier": "exact",
        "source": source,
    }


@pytest.fixture(scope="module")
def df() -> pd.DataFrame:
    rows = [
        _row(NGHE_AN.code, 2022, "par_index_rank", 16),  # a rank alone, as the press gives it
        _row(NGHE_AN.code, 2022, "pci", 66.6),
        _row(NGHE_AN.code, 2022, "pci_rank", 23),
        _row(NGHE_AN.code, 2024, "papi_rank", 5, source="a press article"),  # PAPI publishes no rank
    ]
    for i, code in enumerate(CODES):
        rows.append(_row(code, 2024, "papi", 40.0 + i))  # Nghệ An is last: the highest score
        for dim in DIMS:
            # Nghệ An is weakest on e-governance (lowest of all) and second-weakest on transparency
            low = code == NGHE_AN.code and dim in ("papi_e_governance", "papi_transparency")
            value = (1.0 if dim == "papi_e_governance" else 3.05) if low else 3.0 + i * 0.1  # 8/8, 7/8
            rows.append(_row(code, 2024, dim, value))
        rows.append(_row(code, 2024, "papi_internet_access", 0.5 if code == NGHE_AN.code else 1.0 + i))
        rows.append(_row(code, 2024, "papi_egov_portal_access", 0.9 + i * 0.01))
    return pd.DataFrame(rows)


def _headline(df: pd.DataFrame, year: int) -> headline.Headline:
    ctx = make_context(df, NGHE_AN, year, "en")
    assert ctx.year == year and not ctx.fell_back  # the briefing keeps its year
    return headline.compute(headline.rows(df, ctx), ctx)


def test_a_rank_alone_is_a_headline_figure(df):
    by_key = {f.key: f for f in _headline(df, 2022)}
    par = by_key["par_index"]
    assert par.value is None and par.rank.rank == 16 and par.rank.given and not par.earlier


def test_an_index_without_a_figure_shows_its_latest_earlier_one_and_what_was_published(df):
    result = _headline(df, 2024)
    pci = next(f for f in result if f.key == "pci")
    assert pci.earlier and pci.year == 2022 and pci.value == pytest.approx(66.6) and pci.rank.rank == 23
    published = pub.publication("pci", 2024)
    assert pci.top_n == published.top_n == 30
    expected = pub.NOT_IN_TOP_N if published.complete_held else pub.NOT_FOUND
    assert pci.status == expected
    text = headline.html(result, make_context(df, NGHE_AN, 2024, "en"))
    assert "PCI <small>(2022)</small>" in text and "only the top 30 were published" in text
    missing = {m.key for m in result.missing}
    assert "dti" in missing and "pci" not in missing and "papi" not in missing


def test_papi_rank_is_computed_and_its_group_shown(df):
    papi_fig = next(f for f in _headline(df, 2024) if f.key == "papi")
    assert not papi_fig.rank.given and papi_fig.rank.rank == 1 and papi_fig.rank.of == len(CODES)
    assert papi_fig.group is not None and papi_fig.group.group == 1


def test_papi_section_shows_the_weakest_dimensions_sub_dimensions(df):
    ctx = make_context(df, NGHE_AN, 2024, "vi")
    (detail,) = papi.compute(papi.rows(df, ctx), ctx)
    assert detail.year == 2024 and detail.group.group == 1
    weakest = [w.dimension.key for w in detail.weakest]
    assert weakest == ["papi_e_governance", "papi_transparency"]
    egov = detail.weakest[0]
    assert egov.subs[0].key == "papi_internet_access"  # its worst-ranked sub-dimension
    assert all(s.rank is not None for s in egov.subs)
    html = papi.html([detail], ctx)
    assert "*" in html and "PAPI 2024" in html


def test_papi_section_falls_back_to_the_latest_earlier_year_labelled(df):
    later = df.assign(year=df["year"].where(df["year"] != 2024, 2023))
    ctx = make_context(later, NGHE_AN, 2024, "en")
    (detail,) = papi.compute(papi.rows(later, ctx), ctx)
    assert detail.year == 2023


def test_a_2025_province_shows_each_former_provinces_latest_figure():
    new = provinces.resolve("Phú Thọ", 2025).province
    former = provinces.predecessors(new)
    assert len(former) > 1
    rows = [_row(p.code, 2024, "pci", 60.0 + i) for i, p in enumerate(former)]
    rows.append(_row(new.code, 2025, "sipas", 88.0, regime="34"))
    frame = pd.DataFrame(rows)
    ctx = make_context(frame, new, 2025, "vi")
    result = headline.compute(headline.rows(frame, ctx), ctx)
    pci = [f for f in result if f.key == "pci"]
    assert sorted(f.member for f in pci) == sorted(p.name for p in former)
    assert all(f.earlier and f.year == 2024 and f.regime == "63" for f in pci)
    sipas = next(f for f in result if f.key == "sipas")
    assert sipas.year == 2025 and not sipas.earlier
    text = headline.html(result, ctx)
    assert all(f"({p.name}, 2024)" in text for p in former)
