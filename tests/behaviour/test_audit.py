"""`analysis audit` (issue #16): each rule catches its case from the issue, and the shipped
briefings of Lào Cai, Nghệ An and Hòa Bình (2023-2025, vi and en) pass every rule."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from analysis import rulebook
from analysis.briefing.core import read_figures
from analysis.briefing.labels import t
from analysis.briefing.sections.headline import Headline, IndexFigure
from analysis.cli import main
from analysis.national import audit, csvtext
from analysis.national import audit_truth as truth

PUB, COMP = rulebook.PUBLISHED, rulebook.COMPUTED


def fig(key, year, rank, prev_year=None, prev=None, value=60.0, prev_value=59.0, **kw) -> IndexFigure:
    return IndexFigure(key, year, value, rank, None, 0, prev_year, prev_value, prev, **kw)


def _res(figures=(), trend=None, online=None) -> dict:
    empty_trend = pd.DataFrame(columns=["indicator", "year", "rank", "of", "rank_kind"])

    class Ranking:
        key, table = None, pd.DataFrame()

    class Notes:
        sources, comparison_sources = (), ()

    return {
        "headline": Headline(list(figures)),
        "trend": empty_trend if trend is None else trend,
        "ranking": Ranking(),
        "subindices": [],
        "papi": [],
        "online": pd.DataFrame(columns=["indicator", "target"]) if online is None else online,
        "notes": Notes(),
        "_year": 2024,
        "_code": "10",
    }


def rules(found) -> list[str]:
    return [rule for rule, _ in found]


def test_a_partial_rank_shown_as_national_is_caught():
    # Hòa Bình, PAR Index 2023: "7/8*" computed among 8 provinces with data
    bad = _res([fig("par_index", 2023, rulebook.Rank(7, 8, COMP))])
    assert rules(audit.check_ranks(bad)) == ["rank_kind_base"]
    # PCI 2005 "18/63": the publisher ranked 42
    assert rules(audit.check_ranks(_res([fig("pci", 2005, rulebook.Rank(18, 63, PUB))]))) == [
        "rank_kind_base"
    ]
    assert not list(audit.check_ranks(_res([fig("pci", 2005, rulebook.Rank(18, 42, PUB))])))


def test_a_change_between_unlike_ranks_is_caught():
    class Unlike(IndexFigure):  # a section that computed its own change (what the code did before)
        @property
        def rank_change(self):
            return self.prev_rank.rank - self.rank.rank

    f = Unlike("pci", 2024, 68.56, rulebook.Rank(23, 63, PUB), None, 0, 2023, 67.4, rulebook.Rank(7, 8, COMP))
    assert "change_like" in rules(audit.check_ranks(_res([f])))
    papi = Unlike(
        "papi", 2024, 41.75, rulebook.Rank(48, 61, COMP), None, 0, 2023, 41.5, rulebook.Rank(36, 61, COMP)
    )
    assert "change_like" in rules(audit.check_ranks(_res([papi])))  # PAPI ranks nobody


def test_a_past_briefing_showing_the_future_is_caught():
    trend = pd.DataFrame(
        [{"indicator": "pci", "year": 2024, "rank": 23, "of": 63, "rank_kind": PUB}],
    )
    assert rules(audit.check_years(_res(trend=trend), 2023)) == ["year_true"]
    assert not list(audit.check_years(_res(trend=trend), 2024))


def test_lost_qualifiers_and_unmatched_targets_are_caught():
    online = pd.DataFrame(
        [
            {
                "indicator": "online_payment_rate",
                "value": 75.0,
                "unit": "percent",
                "qualifier": "nearly",
                "precision": 0,
                "period": "2024",
                "period_kind": "year",
                "done_of": float("nan"),
                "target": 80.0,
                "target_decided": "2021-07-15",
            }
        ]
    )
    found = rules(audit.check_online(_res(online=online), "vi"))
    assert "targets_match" in found  # dossiers paid online against a target for procedures
    assert "figure_meaning" not in found  # "gần 75 %" is printed with its word
    from analysis.briefing.sections import online as section

    assert section.value_text(next(online.itertuples(index=False)), "vi") == "gần 75 %"


def test_words_of_the_other_language_are_caught():
    vi = ["<li>Ministry of Information and Communications (DTI), DTI 2022–2024</li>"]
    assert rules(audit.check_language(vi, "vi")) == ["language"]
    en = ["<li>Cổng Thông tin điện tử tỉnh Lào Cai (laocai.gov.vn), 2025-01-15</li>"]
    assert rules(audit.check_language(en, "en")) == ["language"]
    marked = ['<li><span lang="vi">Cổng Thông tin điện tử tỉnh Lào Cai</span> (original in Vietnamese)</li>']
    assert not list(audit.check_language(marked, "en"))
    assert not list(
        audit.check_language(["<li>Bộ Thông tin và Truyền thông (DTI), DTI 2022–2024</li>"], "vi")
    )


def test_the_report_counts_violations_per_rule():
    text = audit.report([audit.Violation("year_true", "2023/vi/lao-cai", "trend point pci 2024")])
    assert "year_true (nothing dated after the briefing's year): 1 violation" in text
    assert "same_rank (overview, briefing and CSV give the same rank): 0 violations" in text


@pytest.fixture(scope="module")
def shipped(shipped_clean_dir):
    return read_figures(shipped_clean_dir)


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_the_issues_provinces_read_true(shipped, year):
    found = audit.audit_year(shipped, year, only=["lao-cai", "nghe-an", "hoa-binh", "phu-tho"])
    assert not found, audit.report(found)


def test_cli_exits_non_zero_on_a_violation(shipped_clean_dir, monkeypatch, capsys):
    assert (
        main(["audit", "--years", "2024", "--provinces", "lao-cai", "--clean", str(shipped_clean_dir)]) == 0
    )
    monkeypatch.setattr(audit, "check_years", lambda res, year: iter([("year_true", "planted")]))
    assert (
        main(
            [
                "audit",
                "--years",
                "2024",
                "--provinces",
                "lao-cai",
                "--jobs",
                "1",
                "--clean",
                str(shipped_clean_dir),
            ]
        )
        == 1
    )
    assert "year_true (nothing dated after the briefing's year): 2 violations" in capsys.readouterr().out


def test_a_yearly_amount_and_a_span_keep_their_words(shipped):
    """Nghệ An 2025: "35,5 tỷ đồng mỗi năm" lost "mỗi năm"; "51 nhiệm vụ" over 2022–2025 sat in a
    2025 table as if it were the year's (issue #16)."""
    from analysis import provinces
    from analysis.briefing.context import make_context
    from analysis.briefing.sections import online

    for lang, per_year, span in (
        ("vi", "mỗi năm", "(giai đoạn 2022–2025)"),
        ("en", "per year", "(for 2022–2025)"),
    ):
        ctx = make_context(shipped, provinces.get("40", "34"), 2025, lang)
        res = online.online(shipped, ctx)
        said = {r.indicator: online.value_text(r, lang) for r in res.itertuples(index=False)}
        assert said["compliance_cost_saving"].endswith(per_year), said
        assert ("35,5 tỷ" if lang == "vi" else "35.5 billion") in said["compliance_cost_saving"]  # not "36"
        assert said["de_an_06_tasks_done"].endswith(span), said
        assert not list(audit.check_online({"online": res, "_year": 2025}, lang))


def test_a_snapshot_is_never_the_years_index(shipped):
    """Bình Dương 2024: a weekly portal snapshot of Decision 766 (as of 2024-01-22) was shown as the
    year's index, "83,47 điểm, hạng 1/63" (issue #16)."""
    from analysis import provinces
    from analysis.briefing.core import compute

    b = compute(shipped, provinces.resolve("Bình Dương", 2024).province, 2024, "vi")
    assert not [f for f in b.result("headline") if f.key == "idx766_total"]
    assert "idx766_total" in {m.key for m in b.result("headline").missing}
    assert not any("83,47" in s for s in b.result("title"))


def test_a_bounded_rank_the_overview_leaves_blank_is_caught():
    # Hòa Bình, PAR Index 2023: the briefing said "33–62 (by score)", the overview showed nothing
    rank = rulebook.Rank(None, 63, "", 33, 62)  # bounded by the score: a score is held
    bounded = fig("par_index", 2023, rank, value=86.8, regime="63")
    res = _res([bounded]) | {"_code": "17"}
    cell = {"province_code": "17", "regime": "63", "year": 2023, "indicator": "par_index"}
    csv_rows = pd.DataFrame([cell | csvtext.rank_columns(rank, "vi")])  # the CSV says the bounds too

    def overview(low, high):
        row = {
            "code": "17",
            "rank": pd.NA,
            "rank_of": 63,
            "rank_kind": "",
            "rank_low": low,
            "rank_high": high,
        }
        return {(2023, "par_index"): pd.DataFrame([row])}

    assert rules(audit.check_same_rank(res, csv_rows, overview(pd.NA, pd.NA))) == ["same_rank"]
    assert not list(audit.check_same_rank(res, csv_rows, overview(33, 62)))


# ------------------------------------------------ the review of 2023–2025 (Lào Cai, Nghệ An, Hòa Bình)


def _ctx(shipped, name: str, year: int, lang: str = "vi"):
    from analysis import provinces
    from analysis.briefing.context import make_context

    return make_context(shipped, provinces.resolve(name, year).province, year, lang)


def test_a_2023_csv_with_2024_rows_is_caught(shipped):
    """Every 2023 take-away CSV was the 2024 one: Lào Cai 2023's had 45 rows dated 2024."""
    from analysis.national import takeaway

    csv24 = takeaway.takeaway_frame(shipped, "10", "63", year=2024)
    assert (csv24["year"] == 2024).any()
    assert "year_true" in rules(audit.check_years(_res() | {"_csv": csv24}, 2023))
    csv23 = takeaway.takeaway_frame(shipped, "10", "63", year=2023)
    assert not list(audit.check_years(_res() | {"_csv": csv23}, 2023))


def test_a_median_missing_provinces_is_caught(shipped):
    """PCI 2022's median was "65,17 (n=57)": six pcivietnam.vn scores dropped out; over all 63 it is 65,22."""
    from analysis import provinces

    hb = provinces.resolve("Hòa Bình", 2023).province
    f57 = fig("pci", 2022, rulebook.Rank(53, 63, PUB), value=62.81, regime="63")
    f57 = replace(f57, median=65.17, median_n=57)
    res = _res([f57]) | {"_code": hb.code, "_ctx": _ctx(shipped, "Hòa Bình", 2023)}
    assert rules(truth.check_medians(res, shipped, "vi")) == ["median"]
    assert not list(truth.check_medians(_res([replace(f57, median=65.22, median_n=63)]), shipped, "vi"))


def test_at_the_median_when_below_it_is_caught(shipped, monkeypatch):
    """Hòa Bình PAPI 2024, 43,4778 against the median 43,4796: "bằng trung vị cả nước (43,48)"."""
    from analysis.briefing.sections import title

    f = replace(fig("papi", 2024, rulebook.Rank(32, 61, COMP), value=43.4778, regime="63"), median=43.4796)
    f = replace(f, median_n=61)
    res = _res([f])
    n61 = shipped[(shipped["year"] == 2024) & (shipped["indicator"] == "papi")]
    assert not list(truth.check_medians(res, n61, "vi"))
    assert "thấp hơn một chút" in title.median_phrase(f, "vi")
    monkeypatch.setattr(title, "median_phrase", lambda f, lang: t("at_median", lang, m="43,48"))
    assert rules(truth.check_medians(res, n61, "vi")) == ["median"]


def test_a_change_skipping_held_years_is_caught(shipped):
    """Phú Thọ 2025: "PCI 2024 (Phú Thọ): 70,35 điểm, hạng 8/63, tăng 14 bậc so với 2020" although 2021
    (66,11, 20th) and 2022 (66,30, 24th) are held."""
    ctx = _ctx(shipped, "Phú Thọ", 2025)
    pt = next(m for m in ctx.scope.predecessors if m.name == "Phú Thọ")
    skip = fig("pci", 2024, rulebook.Rank(8, 63, PUB), 2020, rulebook.Rank(22, 63, PUB), 70.35, 64.52)
    skip = replace(skip, regime="63", member="Phú Thọ")
    res = _res([skip]) | {"_code": ctx.scope.code, "_ctx": ctx}
    assert set(rules(truth.check_previous(res, shipped))) == {"change_like"}
    ok = replace(skip, prev_year=2022, prev_value=66.30, prev_rank=rulebook.Rank(24, 63, PUB))
    assert not list(truth.check_previous(_res([ok]) | {"_ctx": ctx}, shipped)), pt


def test_former_provinces_of_a_province_that_kept_its_boundaries_are_caught(shipped):
    """Nghệ An 2025: "Latest figures of the former provinces:" right after "kept its boundaries"."""
    ctx = _ctx(shipped, "Nghệ An", 2025, "en")
    said = {"title": [t("merger_same_lead", "en", name="Nghe An"), t("former_figures", "en")]}
    assert rules(truth.check_merger(said, ctx, "en")) == ["merger"]
    lao_cai = _ctx(shipped, "Lào Cai", 2025, "en")
    assert not list(truth.check_merger(said, lao_cai, "en"))


def test_two_criteria_for_the_weakest_dimension_are_caught():
    """Lào Cai 2024: control of corruption "weakest" in the summary and table (−0,41), while the PAPI
    list led with public administrative procedures (57th, −0,38); Phú Thọ 2025 listed accountability,
    above its median, to improve."""
    from analysis.briefing.sections.papi import PapiDetail, Score, Weak

    class Sub:
        family, year, weakest = "papi", 2024, "papi_control_of_corruption"

    procedures = Score("papi_public_admin_procedures", 6.85, 7.23, 57, 61)
    corruption = Score("papi_control_of_corruption", 6.60, 7.01, 53, 61)
    accountability = Score("papi_vertical_accountability", 4.33, 4.31, 30, 61)

    def res(*dims):
        detail = PapiDetail("Lào Cai", "10", "63", 2024, corruption, None, tuple(Weak(d, ()) for d in dims))
        return _res() | {"papi": [detail], "subindices": [Sub()]}

    assert rules(truth.check_criterion(res(procedures, corruption))) == ["one_criterion"]
    assert rules(truth.check_criterion(res(corruption, accountability))) == ["one_criterion"]
    assert not list(truth.check_criterion(res(corruption, procedures)))


def test_a_figure_known_only_from_a_later_source_and_an_early_merger_note_are_caught(shipped):
    """Lào Cai 2023 cited its PCI 2023 rank to a May 2025 article (on PCI 2024); Hòa Bình 2023 said
    "Từ 01/7/2025, Hòa Bình thuộc Phú Thọ"."""
    from analysis.briefing import metrics

    ctx = _ctx(shipped, "Lào Cai", 2023)
    late = replace(fig("pci", 2023, rulebook.Rank(26, 63, PUB), value=67.38), regime="63")
    dates = metrics.source_dates(shipped)
    found = list(truth.check_sources(_res([late]), ctx, shipped, dates, 2023))
    assert found and set(rules(found)) == {"year_true"} and "2025-05" in found[0][1]
    assert not list(truth.check_sources(_res([late]), _ctx(shipped, "Lào Cai", 2024), shipped, dates, 2024))
    hb23, hb24 = _ctx(shipped, "Hòa Bình", 2023), _ctx(shipped, "Hòa Bình", 2024)
    assert hb23.successor_name == "" and hb24.successor_name == "Phú Thọ"
    told = replace(hb23, successor_name="Phú Thọ")
    assert rules(audit.check_years(_res() | {"_ctx": told}, 2023)) == ["year_true"]
