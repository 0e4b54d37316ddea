"""The take-away CSV carries the figure model: qualifier, precision and period as the source gave them."""

from __future__ import annotations

import csv
import io

import pandas as pd

from analysis import provinces
from analysis.national import takeaway


def _rows(with_model: bool) -> pd.DataFrame:
    na = provinces.get("40", "63")
    base = {"province_code": "40", "province_name": na.name, "regime": "63", "source": "report", "note": ""}
    rows = [
        {**base, "year": 2024, "indicator": "de_an_06_tasks_done", "value": 51.0, "unit": "count"},
        {**base, "year": 2024, "indicator": "vneid_accounts_activated", "value": 2e6, "unit": "count"},
        {**base, "year": 2024, "indicator": "online_payment_rate", "value": 75.0, "unit": "percent"},
    ]
    model = [("exact", 0, "2022-2024", "span"), ("over", 0, "2024", "year"), ("nearly", 0, "2024", "year")]
    for r, (q, p, per, kind) in zip(rows, model, strict=True):
        r["qualifier"] = q
        if with_model:
            r.update(precision=p, period=per, period_kind=kind)
    return pd.DataFrame(rows).astype({"year": "int64"})


def test_the_csv_says_what_the_source_said() -> None:
    data = takeaway.takeaway_csv(_rows(True), "40", "63", year=2024)
    got = {r["indicator"]: r for r in csv.DictReader(io.StringIO(data.decode("utf-8-sig")))}
    cols = takeaway.COLUMNS
    assert cols[cols.index("qualifier") : cols.index("qualifier") + 3] == ["qualifier", "precision", "period"]
    assert (got["de_an_06_tasks_done"]["period"], got["de_an_06_tasks_done"]["year"]) == ("2022-2024", "2024")
    assert got["vneid_accounts_activated"]["qualifier"] == "trên"  # words of the CSV's language
    assert got["online_payment_rate"]["qualifier"] == "gần"
    en = takeaway.takeaway_csv(_rows(True), "40", "63", "en", year=2024)
    got_en = {r["indicator"]: r for r in csv.DictReader(io.StringIO(en.decode("utf-8-sig")))}
    pay = got_en["online_payment_rate"]
    assert (pay["qualifier"], pay["unit"]) == ("nearly", "%")
    assert got["online_payment_rate"]["precision"] == "0"


def test_rows_without_the_model_columns_give_the_year_and_no_precision() -> None:
    f = takeaway.takeaway_frame(_rows(False), "40", "63", year=2024).set_index("indicator")
    assert f.loc["de_an_06_tasks_done", "period"] == "2024"
    assert f["precision"].isna().all()


def test_a_yearly_amount_says_per_year_in_the_csvs_language_as_the_briefing_does() -> None:
    """Nghệ An 2025 (issue #16 review): the briefing says "over VND 35.5 billion per year", the en CSV
    dropped "per year" and the vi CSV kept the note's English "per year (mỗi năm)". Both now carry the
    briefing's own label, in their language only."""
    from analysis.briefing.labels import t
    from analysis.briefing.sections import online

    na = provinces.get("40", "63")
    note = "extracted from 000_8afbc1230fca05e9.txt chars 4282-4294; per year (mỗi năm)"
    row = {
        "province_code": "40",
        "province_name": na.name,
        "regime": "63",
        "year": 2025,
        "indicator": "compliance_cost_saving",
        "value": 35.5e9,
        "unit": "vnd",
        "source": "report",
        "note": note,
        "qualifier": "over",
        "precision": 0,
        "period": "2025",
        "period_kind": "year",
    }
    frame = pd.DataFrame([row]).astype({"year": "int64"})
    for lang, other in (("vi", "per year"), ("en", "mỗi năm")):
        data = takeaway.takeaway_csv(frame, "40", "63", lang, year=2025)
        (got,) = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
        assert got["note"] == t("per_year", lang) and other not in got["note"], lang
        said = online.value_text(pd.Series({**row, "done_of": float("nan")}), lang)
        assert said.endswith(got["note"]), lang  # the page's words, not a second wording
