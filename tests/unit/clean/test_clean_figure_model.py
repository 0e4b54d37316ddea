"""The figure model through the clean stage: qualifier, precision and period as the source gave them."""

from __future__ import annotations

import pandas as pd

from analysis.clean.stage import REJECT_COLUMNS, run_clean

HEADER = "province,year,indicator,value,unit,source,note,qualifier,precision,period\n"


def clean_sheet(tmp_path, body: str, header: str = HEADER):
    folder = tmp_path / "raw" / "figures"
    folder.mkdir(parents=True)
    (folder / "sheet.csv").write_text(header + body, encoding="utf-8")
    return run_clean(tmp_path / "raw", tmp_path / "clean", quiet=True, max_year=2026)


def test_qualifier_precision_and_period_are_kept_as_the_source_gave_them(tmp_path) -> None:
    result = clean_sheet(
        tmp_path,
        "Nghệ An,2025,de_an_06_tasks_done,51,,Báo cáo tỉnh,giai đoạn,,,2022-2025\n"
        'Lào Cai,2024,online_payment_rate,"gần 75%",%,Báo cáo tỉnh,,,,\n'
        'Lào Cai,2024,online_filing_rate,"khoảng 75%",%,Báo cáo tỉnh,,,,\n'
        'Nghệ An,2024,online_filing_rate,"trên 80%",%,Báo cáo tỉnh,,,,\n'
        "Hà Giang,2024,dvc_full_online_rate,10,%,EMC,,under,,\n"
        'Nghệ An,2023,idx766_total,"82,5",điểm,Cổng DVC,snapshot,,,2024-01-22\n'
        'Nghệ An,2023,sipas,"85,10",%,Báo cáo tỉnh,,,,2023-01/2023-06\n'
        'Nghệ An,2023,pci,"65,7",điểm,Báo cáo tỉnh,,,2,\n'
        "Nghệ An,2018,par_index,80,%,old sheet,,approx,,\n",
    )
    assert result.rejects.empty, result.rejects["reason"].tolist()
    fig = result.figures.set_index(["province_name", "year", "indicator"])
    cols = ["qualifier", "precision", "period", "period_kind"]

    def row(*key):
        return fig.loc[key, cols].tolist()

    assert row("Nghệ An", 2025, "de_an_06_tasks_done") == ["exact", 0, "2022-2025", "span"]
    assert row("Lào Cai", 2024, "online_payment_rate") == ["nearly", 0, "2024", "year"]
    assert row("Lào Cai", 2024, "online_filing_rate") == ["about", 0, "2024", "year"]
    assert row("Nghệ An", 2024, "online_filing_rate") == ["over", 0, "2024", "year"]
    assert row("Hà Giang", 2024, "dvc_full_online_rate") == ["under", 0, "2024", "year"]
    assert row("Nghệ An", 2023, "idx766_total") == ["exact", 1, "2024-01-22", "as_of"]
    assert row("Nghệ An", 2023, "sipas") == ["exact", 2, "2023-01/2023-06", "months"]
    assert row("Nghệ An", 2023, "pci") == ["exact", 2, "2023", "year"]  # stated: 65,70 not 65,7
    assert row("Nghệ An", 2018, "par_index") == ["about", 0, "2018", "year"]  # an old sheet's "approx"
    # the table is written with the columns and dtypes the schema promises
    written = pd.read_parquet(tmp_path / "clean" / "figures.parquet")
    assert written["precision"].dtype == "int64" and set(written["period_kind"]) >= {"span", "as_of"}


def test_a_period_that_misses_the_filing_year_or_cannot_be_read_is_rejected(tmp_path) -> None:
    result = clean_sheet(
        tmp_path,
        "Nghệ An,2024,de_an_06_tasks_done,51,,Báo cáo tỉnh,,,,2022-2023\n"
        "Nghệ An,2024,de_an_06_tasks_total,53,,Báo cáo tỉnh,,,,cả năm\n"
        "Nghệ An,2024,par_tasks_done,40,,Báo cáo tỉnh,,roughly,,\n"
        "Nghệ An,2024,par_tasks_total,40,,Báo cáo tỉnh,,,-1,\n",
    )
    assert result.figures.empty
    rej = result.rejects.set_index("indicator")
    assert list(result.rejects.columns) == REJECT_COLUMNS
    assert rej.loc["de_an_06_tasks_done", "column"] == "period"
    assert "does not contain the year 2024" in rej.loc["de_an_06_tasks_done", "reason"]
    assert rej.loc["de_an_06_tasks_done", "period"] == "2022-2023"
    assert rej.loc["de_an_06_tasks_total", "column"] == "period"
    assert "not a period" in rej.loc["de_an_06_tasks_total", "reason"]
    assert rej.loc["par_tasks_done", "column"] == "qualifier"
    assert rej.loc["par_tasks_done", "qualifier"] == "roughly"
    assert rej.loc["par_tasks_total", "column"] == "precision"


def test_an_old_sheet_without_the_columns_still_loads(tmp_path) -> None:
    result = clean_sheet(
        tmp_path,
        'Nghệ An,2024,online_filing_rate,"90,25",%,Báo cáo tỉnh\n',
        header="province,year,indicator,value,unit,source\n",
    )
    r = result.figures.iloc[0]
    assert (r["qualifier"], r["precision"], r["period"], r["period_kind"]) == ("exact", 2, "2024", "year")


def test_a_scale_word_never_adds_decimals(tmp_path) -> None:
    result = clean_sheet(
        tmp_path,
        'Nghệ An,2024,population_records_cleaned,"trên 4,57 triệu",,Báo cáo tỉnh,,,,\n'
        'Nghệ An,2025,compliance_cost_saving,"35,5",tỷ đồng,Báo cáo tỉnh,mỗi năm,over,,\n'
        'Nghệ An,2024,smartphone_share,"81,6",%,Báo cáo tỉnh,,,,\n',
    )
    assert result.rejects.empty, result.rejects["reason"].tolist()
    fig = result.figures.set_index("indicator")
    assert fig.loc["population_records_cleaned", ["value", "precision"]].tolist() == [4_570_000, 0]
    assert fig.loc["compliance_cost_saving", ["value", "precision"]].tolist() == [35_500_000_000, 0]
    assert fig.loc["smartphone_share", "precision"] == 1
