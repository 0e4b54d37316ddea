"""Lookups and section computations on a fixture frame: ranks, medians, changes, strongest/weakest,
the merger rule, and the rows a briefing reads."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import provinces, rulebook
from analysis.briefing import metrics
from analysis.briefing.context import make_context
from analysis.briefing.core import compute
from analysis.briefing.inputs import briefing_inputs
from analysis.briefing.scope import Scope, scope_for
from analysis.briefing.sections import headline, online, ranking, subindices
from analysis.briefing.sections import trend as trend_section
from analysis.errors import BriefingError
from briefing_fixtures import MERGED, NGHE_AN, PCI_SUBS, figures_frame, with_online_2022


@pytest.fixture(scope="module")
def df() -> pd.DataFrame:
    return figures_frame()


@pytest.fixture(scope="module")
def scope() -> Scope:
    return scope_for(provinces.get(NGHE_AN, "63"))


def ctx_for(df, year, code=NGHE_AN, regime="63", lang="vi"):
    return make_context(df, provinces.get(code, regime), year, lang)


def _slice(df, year, key):
    s = df[(df["year"] == year) & (df["indicator"] == key) & (df["regime"] == "63")]
    return s.set_index("province_code")["value"]


def test_given_rank_is_the_sources(df, scope):
    published = int(_slice(df, 2018, "pci_rank")[NGHE_AN])
    r = metrics.rank_of(df, NGHE_AN, "63", 2018, "pci")
    assert (r.rank, r.of, r.given) == (published, 63, True)


def test_computed_rank_counts_provinces_with_a_value(df):
    papi = _slice(df, 2018, "papi")
    expected = int((papi > papi[NGHE_AN]).sum()) + 1  # higher is better
    r = metrics.rank_of(df, NGHE_AN, "63", 2018, "papi")
    assert (r.rank, r.of, r.given) == (expected, len(papi), False)


def test_national_median_and_partial_coverage(df):
    med, n = metrics.national_median(df, "63", 2018, "pci")
    assert med == pytest.approx(_slice(df, 2018, "pci").median()) and n == 63
    # five provinces of 63 is a top list, not a country: no median
    assert metrics.national_median(df, "63", 2019, "par_index") == (None, 5)


def test_headline_change_since_previous_year(df, scope):
    figs = {f.key: f for f in headline.compute(df, ctx_for(df, 2018))}
    pci = figs["pci"]
    v17, v18 = _slice(df, 2017, "pci")[NGHE_AN], _slice(df, 2018, "pci")[NGHE_AN]
    r17, r18 = _slice(df, 2017, "pci_rank")[NGHE_AN], _slice(df, 2018, "pci_rank")[NGHE_AN]
    assert pci.prev_year == 2017
    assert pci.change == pytest.approx(v18 - v17)
    assert pci.rank_change == int(r17 - r18)
    assert pci.median == pytest.approx(_slice(df, 2018, "pci").median())


def test_papi_change_across_the_2018_method_break_is_refused(df, scope):
    papi = next(f for f in headline.compute(df, ctx_for(df, 2018)) if f.key == "papi")
    assert papi.prev_year == 2017 and not papi.comparable
    assert papi.change is None and papi.rank_change is None
    trend = trend_section.compute(df, ctx_for(df, 2018))
    flags = trend[trend["indicator"] == "papi"].set_index("year")["comparable"]
    assert not flags[2017] and flags[2018]


def test_strongest_and_weakest_subindex(df, scope):
    sub = subindices.subindices(df, ctx_for(df, 2018), "pci")
    gaps = {k: _slice(df, 2018, k)[NGHE_AN] - _slice(df, 2018, k).median() for k in PCI_SUBS}
    assert sub.strongest == max(gaps, key=gaps.get) == "pci_business_support"
    assert sub.weakest == min(gaps, key=gaps.get) == "pci_informal_charges"
    region = _slice(df, 2018, "pci_entry_costs")
    region = region[region.index.isin(scope.region_codes)]
    row = sub.table.set_index("indicator").loc["pci_entry_costs"]
    assert row["region_median"] == pytest.approx(region.median())
    assert len(sub.table) == 10


def test_default_year_needs_half_the_provinces(df):
    assert metrics.default_year(df) == 2018  # 2019 has only a five-province top list
    assert metrics.default_year(figures_frame(with_2025=True)) == 2025
    tiny = df[df["year"] == 2019]
    assert metrics.default_year(tiny) == 2019  # fallback: the latest year with any data


def test_effective_year_falls_back_to_latest_year_with_values(df, scope):
    assert metrics.effective_year(df, scope, 2019) == (2018, True)
    assert metrics.effective_year(df, scope, 2018) == (2018, False)


def test_ranking_highlights_the_province_best_first(df):
    table = ranking.ranking(df, "63", 2018, "pci", NGHE_AN)
    assert len(table) == 63 and table["highlight"].sum() == 1
    assert table["value"].is_monotonic_decreasing
    assert table.loc[table["highlight"], "name"].item() == "Nghệ An"


def test_ranking_uses_the_published_rank_of_a_partial_list(df):
    # Only three provinces published for 2018 (a top list), each with its rank of 63.
    codes = sorted(df["province_code"].unique())[:3]
    scores = df[(df["year"] == 2018) & df["province_code"].isin(codes) & (df["indicator"] == "pci")]
    published = pd.Series([40, 5, 20], index=codes)  # not the order of the scores: the source decides
    ranks = scores.assign(indicator="pci_rank", unit="rank", value=scores["province_code"].map(published))
    rows = pd.concat([scores, ranks], ignore_index=True)
    table = ranking.ranking(rows, "63", 2018, "pci", codes[0]).set_index("code")
    assert table["rank"].to_dict() == published.to_dict()
    assert set(table["rank_n"]) == {63}


def test_online_tasks_done_of_assigned_and_targets(df, scope):
    out = online.online(df, ctx_for(df, 2018)).set_index("indicator")
    # a 2018 share of dossiers filed online: the only target for it was decided in 09/2025
    assert pd.isna(out.loc["online_filing_rate", "target"])
    assert out.loc["de_an_06_tasks_done", "done_of"] == 25
    assert pd.isna(out.loc["online_filing_rate", "done_of"])
    d2 = with_online_2022(df)
    out = online.online(d2, ctx_for(d2, 2022)).set_index("indicator")
    # Resolution 76's 80 % counts procedures online at levels 3 and 4, not all procedures offered
    # online (Lào Cai 2024: "90,2 % (mục tiêu 80,0 %)"): no target for this figure
    assert pd.isna(out.loc["dvc_online_provision_rate", "target"])
    r76 = next(t for t in rulebook.targets() if t.indicator == "dvc_online_provision_rate")
    assert "procedures_online_level3_4" in rulebook.why_not(r76, "dvc_online_provision_rate", "percent", 2022)


def trend_of(df, p34):
    return trend_section.compute(df, make_context(df, p34, 2025, "vi"))


def test_merged_province_history_lists_predecessors_never_averages():
    df = figures_frame(with_2025=True)
    p34 = provinces.get(MERGED, "34")
    preds = provinces.predecessors(p34)
    assert len(preds) >= 2
    trend = trend_of(df, p34)
    old = trend[trend["regime"] == "63"]
    assert set(old["series"]) == {p.name for p in preds}
    # every pre-merger score shown is one province's own published value, never a mean of several
    for key in ("pci", "papi"):
        for year in (2017, 2018):
            shown = set(old[(old["indicator"] == key) & (old["year"] == year)]["value"].round(6))
            own = {round(_slice(df, year, key)[p.code], 6) for p in preds}
            assert shown == own
            avg = round(sum(own) / len(own), 6)
            assert avg not in shown or avg in own
    assert set(trend[trend["regime"] == "34"]["indicator"]) == {"sipas"}


def test_counts_may_be_summed_across_the_merger_scores_may_not():
    df = figures_frame(with_2025=True)
    scope = scope_for(provinces.get(MERGED, "34"))
    total = metrics.summed_counts(df, scope, "population")
    expected = sum(_slice(df, 2018, "population")[p.code] for p in scope.predecessors)
    assert total.set_index("year").loc[2018, "value"] == pytest.approx(expected)
    with pytest.raises(BriefingError, match="not a count"):
        metrics.summed_counts(df, scope, "pci")
    # a year where one predecessor lacks the count gives no total at all
    gap = df[~((df["indicator"] == "population") & (df["province_code"] == scope.predecessors[0].code))]
    assert metrics.summed_counts(gap, scope, "population").empty


def test_briefing_reads_only_its_inputs(df):
    p = provinces.get(NGHE_AN, "63")
    rows = briefing_inputs(df, NGHE_AN, "63", 2018)
    assert len(rows) < len(df)
    # the 2019 top list does not concern a 2018 Nghệ An briefing, so changing it must not rebuild it
    assert not ((rows["year"] == 2019) & (rows["indicator"] == "par_index")).any()
    full = compute(df, p, 2018, "vi")
    part = compute(rows, p, 2018, "vi")
    assert full.result("headline") == part.result("headline")
    assert full.summary() == part.summary()
    for name in ("trend", "ranking", "subindices", "online", "notes"):
        pd.testing.assert_frame_equal(full.table(name), part.table(name))


def test_inputs_change_when_a_compared_value_changes(df):
    before = briefing_inputs(df, NGHE_AN, "63", 2018)
    other = df.copy()
    sel = (other["indicator"] == "pci") & (other["year"] == 2017) & (other["province_code"] == "01")
    other.loc[sel, "value"] += 1.0
    after = briefing_inputs(other, NGHE_AN, "63", 2018)
    assert not before.equals(after)


def test_a_source_is_dated_by_its_citation_else_its_note():
    url = "https://press.example/pci-2024"
    rows = pd.DataFrame(
        {
            "source": [url, url, "https://other.example/a", "VCCI, PCI 2022"],
            "note": ["Báo X: PCI 2024 (2025-05); inferred", "named province", "", ""],
            "year": [2023, 2023, 2023, 2022],
            "period": ["2023", "2023", "2023", "2022"],
        }
    )
    register = {"https://other.example/a": "2025-02-07"}  # the date its citation prints
    dates = metrics.source_dates(rows, register=register)
    assert dates.tolist() == ["2025-05", "2025-05", "2025-02-07", ""]
    assert metrics.first_years(rows, register).tolist() == [2024, 2024, 2024, 2022]
