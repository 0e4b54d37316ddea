"""The online section says each figure as its source did (reviewer's cases, Lào Cai and Nghệ An 2024):
the source's digits and word in the table, the sentences and the bar labels; a computed share without
invented decimals; a target only against the figure it measures, printed as its decision wrote it; a
change of rank with its direction; English names that keep the denominator."""

from __future__ import annotations

import csv
import types

import pandas as pd
import pytest

from analysis import indicators, provinces
from analysis.briefing.context import make_context
from analysis.briefing.sections import online
from analysis.config import PACKAGE_DATA

LAO_CAI = provinces.resolve("Lào Cai", 2024).province


def _row(key: str, value: float, precision: int, qualifier: str = "exact") -> dict:
    return {
        "province_code": LAO_CAI.code,
        "province_name": LAO_CAI.name,
        "regime": "63",
        "year": 2024,
        "indicator": key,
        "value": value,
        "unit": indicators.get(key).unit,
        "qualifier": qualifier,
        "source": "a provincial report",
        "note": "",
        "precision": precision,
        "period": "2024",
        "period_kind": "year",
    }


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        [
            _row("dvc_online_provision_rate", 90.2, 1),  # "90,2% tổng số TTHC": of all procedures
            _row("online_filing_rate", 80, 0, "over"),  # "trên 80%"
            _row("online_payment_rate", 75, 0, "nearly"),  # "gần 75%"
            _row("dvc_full_online_rate", 100, 0),  # "100%"
            _row("ontime_resolution_rate", 98.55, 2),  # "98,55%"
            _row("par_tasks_done", 40, 0),
            _row("par_tasks_total", 40, 0),
            _row("idx766_rank_change", 18, 0),  # "tăng 18 bậc"
        ]
    )


def _said(frame: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, dict[str, str]]:
    res = online.online(frame, make_context(frame, LAO_CAI, 2024, lang))
    return res, {r.indicator: online.value_text(r, lang) for r in res.itertuples(index=False)}


def test_figures_keep_their_digits_and_words_in_table_and_chart(frame) -> None:
    res, vi = _said(frame, "vi")
    assert vi["online_filing_rate"] == "trên 80 %" and vi["online_payment_rate"] == "gần 75 %"
    assert vi["dvc_full_online_rate"] == "100 %" and vi["ontime_resolution_rate"] == "98,55 %"
    assert vi["dvc_online_provision_rate"] == "90,2 %"
    assert vi["par_tasks_done"] == "40/40 nhiệm vụ (100 %)"
    svg = online.online_svg(res, "vi", LAO_CAI.name)
    for label in ("trên 80 %", "gần 75 %", "98,55 %", "100 %"):
        assert f"<!-- {label} -->" in svg, label
    assert "80,0" not in svg and "98,6" not in svg and "100,0" not in svg
    _, en = _said(frame, "en")
    assert en["ontime_resolution_rate"] == "98.55%" and en["online_filing_rate"] == "over 80%"


def test_a_change_of_rank_keeps_its_direction(frame) -> None:
    _, vi = _said(frame, "vi")
    _, en = _said(frame, "en")
    assert vi["idx766_rank_change"] == "tăng 18 bậc" and en["idx766_rank_change"] == "up 18 places"
    down = frame.assign(value=frame["value"].where(frame["indicator"] != "idx766_rank_change", -3))
    assert _said(down, "vi")[1]["idx766_rank_change"] == "giảm 3 bậc"


def test_a_target_of_procedures_online_at_levels_3_and_4_is_not_shown_against_all_procedures(frame) -> None:
    res, _ = _said(frame, "vi")
    shown = res.set_index("indicator")["target"]
    assert pd.isna(shown["dvc_online_provision_rate"])  # Resolution 76 counts levels 3–4 only
    assert pd.isna(shown["online_payment_rate"])  # a share of dossiers, the target counts procedures
    assert not any("mục tiêu" in s for s in online.sentences(res, "vi"))


def test_a_target_prints_as_its_decision_wrote_it() -> None:
    r = types.SimpleNamespace(
        target=80.0,
        indicator="dvc_online_provision_rate",
        target_qualifier="at_least",
        target_by_vi="đến năm 2025",
        target_by_en="by 2025",
    )
    assert online.target_text(r, "vi") == "tối thiểu 80 % đến năm 2025"
    assert online.target_text(r, "en") == "at least 80% by 2025"


def test_english_names_of_rates_name_what_they_count() -> None:
    words = {
        "dossiers": (("hồ sơ",), "dossiers"),
        "procedures": (("TTHC", "dịch vụ công"), "procedures"),  # a public service is a procedure offered
        "procedures_with_fees": (("TTHC có nghĩa vụ tài chính",), "procedures with fees"),
        "respondents": (("hài lòng",), "satisfaction"),
    }
    with (PACKAGE_DATA / "indicator_denominators.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["indicator"] for r in rows} >= {
        "online_payment_rate",
        "ontime_resolution_rate",
        "digitization_rate",
    }
    for r in rows:
        ind = indicators.get(r["indicator"])
        vi, en = words[r["denominator"]]
        assert any(w.lower() in ind.name_vi.lower() for w in vi) and en in ind.name_en.lower(), (
            ind.key,
            ind.name_vi,
            ind.name_en,
        )
    assert indicators.get("online_payment_rate").name_en == "Share of dossiers paid online"


def test_the_audit_check_catches_invented_digits_and_a_lost_direction(frame) -> None:
    res, _ = _said(frame, "vi")
    assert online.check_said(res, "vi") == [] and online.check_said(_said(frame, "en")[0], "en") == []
    # the bar labels as they were printed before: one decimal always, no direction for a rank change
    from analysis.numbers import format_number, format_percent

    def before(r, lang):
        if str(r.indicator).endswith("_rank_change"):
            return format_number(float(r.value), lang, 0)
        return format_percent(float(r.value), lang, 1) if r.unit == "percent" else online.value_text(r, lang)

    found = online.check_said(res, "vi", before)
    for bad in ("98,6 %", "80,0 %", "100,0 %", "'18'"):
        assert any(bad in m for m in found), (bad, found)
