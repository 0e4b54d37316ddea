"""The source's magnitude word through the clean stage (issue #16 review): "hơn 02 triệu tài khoản"
is a count the source gave in millions, and the clean table keeps that (`scale` 6) beside the value in
units, so a briefing can print "trên 2 triệu" instead of digits the source never gave. A count the
source wrote in full ("gần 50.000 lượt hồ sơ") keeps no scale."""

from __future__ import annotations

from analysis.clean.stage import run_clean

HEADER = "province,year,indicator,value,unit,source,note,qualifier,precision,period,scale\n"


def clean_sheet(tmp_path, body: str):
    folder = tmp_path / "raw" / "figures"
    folder.mkdir(parents=True)
    (folder / "sheet.csv").write_text(HEADER + body, encoding="utf-8")
    return run_clean(tmp_path / "raw", tmp_path / "clean", quiet=True, max_year=2026)


def test_the_scale_word_of_the_value_or_of_its_column_is_kept(tmp_path) -> None:
    result = clean_sheet(
        tmp_path,
        'Nghệ An,2024,vneid_accounts_activated,"hơn 02 triệu",,Báo cáo tỉnh,,,,,\n'
        "Nghệ An,2024,mobile_subscriptions,3100000,,Báo cáo tỉnh,,over,0,,triệu\n"
        'Nghệ An,2024,population_records_cleaned,"trên 4,57 triệu",,Báo cáo tỉnh,,,,,triệu\n'
        'Lào Cai,2024,procedures_time_cut_dossiers,"gần 50.000",,Báo cáo tỉnh,,,,,\n'
        'Lào Cai,2024,compliance_cost_saving,"hơn 51 tỷ đồng",,Báo cáo tỉnh,,,,,\n',
    )
    assert result.rejects.empty, result.rejects["reason"].tolist()
    fig = result.figures.set_index("indicator")
    assert fig.loc["vneid_accounts_activated", ["value", "qualifier", "scale"]].tolist() == [2e6, "over", 6]
    assert fig.loc["mobile_subscriptions", ["value", "scale"]].tolist() == [3.1e6, 6]
    assert fig.loc["population_records_cleaned", ["value", "scale"]].tolist() == [4.57e6, 6]
    assert fig.loc["procedures_time_cut_dossiers", ["value", "scale"]].tolist() == [5e4, 0]
    assert fig.loc["compliance_cost_saving", ["value", "scale"]].tolist() == [51e9, 9]


def test_a_scale_that_contradicts_the_value_is_rejected_with_its_reason(tmp_path) -> None:
    result = clean_sheet(
        tmp_path,
        'Nghệ An,2024,vneid_accounts_activated,"2 triệu",,Báo cáo tỉnh,,,,,nghìn\n'
        "Nghệ An,2024,mobile_subscriptions,3.1,,Báo cáo tỉnh,,over,,,triệu\n"
        "Nghệ An,2024,population_records_cleaned,4570000,,Báo cáo tỉnh,,over,,,vạn\n",
    )
    assert result.figures.empty
    reasons = dict(zip(result.rejects["indicator"], result.rejects["reason"], strict=True))
    assert set(result.rejects["column"]) == {"scale"}
    assert "scale column says" in reasons["vneid_accounts_activated"]
    assert "3100000" in reasons["mobile_subscriptions"]  # write it in units
    assert "'vạn'" in reasons["population_records_cleaned"]
    assert result.rejects.set_index("indicator").loc["population_records_cleaned", "scale"] == "vạn"  # kept


def test_the_shipped_sheet_keeps_the_scale_of_the_counts_the_reports_wrote_in_millions(
    shipped_clean_dir,
) -> None:
    import pandas as pd

    fig = pd.read_parquet(shipped_clean_dir / "figures.parquet")
    nghe_an = fig[(fig["province_name"] == "Nghệ An") & (fig["year"] == 2024)].set_index("indicator")
    for key in ("vneid_accounts_activated", "mobile_subscriptions", "population_records_cleaned"):
        assert nghe_an.loc[key, "scale"] == 6, key  # "hơn 02 triệu", "trên 3,1 triệu", "trên 4,57 triệu"
    assert nghe_an.loc["public_services_count", "scale"] == 0  # "1.923": full digits
    lao_cai = fig[(fig["province_name"] == "Lào Cai") & (fig["year"] == 2024)].set_index("indicator")
    assert lao_cai.loc["procedures_time_cut_dossiers", "scale"] == 0  # "gần 50.000": full digits
