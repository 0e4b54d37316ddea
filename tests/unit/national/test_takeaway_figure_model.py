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
