"""Data to take away: a briefing's own figures as CSV (value, unit, rank, source, citation)."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from analysis import provinces
from analysis.citations import Citations
from analysis.national import csvtext, takeaway

P63 = provinces.all_provinces("63")


def kind(row: pd.Series, lang: str = "vi") -> str:
    """The rule book's kind of a CSV row's rank, read back from its word."""
    return csvtext.kind_of(row["rank_kind"], lang)


def _row(
    code: str, regime: str, year: int, key: str, value: float, source: str = "Sở Nội vụ, báo cáo năm"
) -> dict:
    unit = {"pci": "score", "pci_rank": "rank", "pci_land_access": "score", "papi": "score"}.get(
        key, "percent"
    )
    return {
        "province_code": code,
        "province_name": provinces.get(code, regime).name,
        "regime": regime,
        "year": year,
        "indicator": key,
        "value": float(value),
        "unit": unit,
        "qualifier": "exact",
        "source": source,
        "source_ref": "sheet.csv:row 2",
        "note": "",
    }


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    """What a briefing of Lào Cai (34) reads: its predecessors Lào Cai (10) and Yên Bái (15) of the 63,
    every province's PCI and land-access score in 2018, and one province's own 2025 figure."""
    out = []
    for i, p in enumerate(P63):
        out.append(_row(p.code, "63", 2018, "pci", 55 + i * 0.2, "VCCI, PCI 2018"))
        out.append(_row(p.code, "63", 2018, "pci_rank", 63 - i, "VCCI, PCI 2018"))
        out.append(_row(p.code, "63", 2018, "pci_land_access", 5 + (i % 7) * 0.3, "VCCI, PCI 2018"))
        out.append(_row(p.code, "63", 2018, "papi", 40 + i * 0.1, "CECODES, PAPI 2018"))
    out.append(_row("10", "63", 2018, "papi_rank", 1, "https://press.example/papi"))  # PAPI has no ranks
    out.append(_row("10", "63", 2017, "pci", 61.0, "VCCI, PCI 2017"))  # a year with only its own row
    out.append(_row("10", "63", 2017, "pci_land_access", 6.0, "VCCI, PCI 2017"))
    out.append(_row("15", "63", 2021, "pci_rank", 12, "https://press.example/article"))  # rank, no score
    out.append(_row("15", "34", 2025, "online_filing_rate", 71.5, '=HYPERLINK("http://x.invalid")'))
    out.append(_row("01", "34", 2025, "online_filing_rate", 80.0))  # another province's figure
    return pd.DataFrame(out).astype({"year": "int64"})


def _read(data: bytes) -> list[dict[str, str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_only_the_province_and_its_predecessors_rows(rows):
    f = takeaway.takeaway_frame(rows, "15", "34", year=2025)
    assert set(zip(f["province_code"], f["regime"], strict=True)) == {
        ("15", "34"),
        ("10", "63"),
        ("15", "63"),
    }
    assert list(f.columns) == takeaway.COLUMNS
    assert f.iloc[0]["regime"] == "34", "the province's own regime first, then its predecessors"
    assert set(f["province"]) == {"Lào Cai", "Yên Bái"}


def test_a_published_rank_sits_beside_its_score_and_a_lone_rank_is_kept(rows):
    f = takeaway.takeaway_frame(rows, "15", "34", year=2025)
    pci = f[(f["indicator"] == "pci") & (f["province_code"] == "10") & (f["year"] == 2018)].iloc[0]
    expected = 63 - [p.code for p in P63].index("10")
    assert (pci["rank"], pci["rank_of"], kind(pci)) == (expected, 63, "published")
    assert pci["rank_kind"] == "công bố"  # a word of the CSV's language
    assert not ((f["indicator"] == "pci_rank") & (f["year"] == 2018)).any()
    lone = f[(f["indicator"] == "pci_rank") & (f["year"] == 2021)]
    assert len(lone) == 1 and lone.iloc[0]["rank"] == 12 and kind(lone.iloc[0]) == "published"


def test_computed_ranks_only_where_the_rows_hold_the_country(rows):
    f = takeaway.takeaway_frame(rows, "10", "63", year=2018)
    land18 = f[
        (f["indicator"] == "pci_land_access") & (f["year"] == 2018) & (f["province_code"] == "10")
    ].iloc[0]
    assert kind(land18) == "computed" and land18["rank_of"] == 63
    values = rows[(rows["indicator"] == "pci_land_access") & (rows["year"] == 2018)]
    better = (values["value"] > values[values["province_code"] == "10"]["value"].iloc[0]).sum()
    assert land18["rank"] == better + 1
    # 2017: the rows hold only Lào Cai's own figure, so no rank (not "1 of 1"), and never PCI's rank
    f17 = takeaway.takeaway_frame(rows, "10", "63", year=2017)
    land17 = f17[(f17["indicator"] == "pci_land_access") & (f17["year"] == 2017)].iloc[0]
    assert pd.isna(land17["rank"]) and land17["rank_kind"] == ""


def test_csv_neutralises_formula_text_and_cites(rows):
    cites = Citations(
        sheets={
            "sheet.csv": {
                "publisher": "VCCI",
                "title": "PCI",
                "url": "https://pci.example/",
                "published": "2019",
            }
        },
        reports={},
    )
    read = _read(takeaway.takeaway_csv(rows, "15", "34", "en", cites, year=2025))
    own = [r for r in read if r["indicator"] == "online_filing_rate"]
    assert own[0]["source"].startswith("'=") and own[0]["indicator_name"] == "Share of dossiers filed online"
    pci = next(r for r in read if r["indicator"] == "pci" and r["year"] == "2018")
    assert pci["citation"].startswith("VCCI") and pci["url"] == "https://pci.example/"
    assert {r["province"] for r in read} == {"Lao Cai", "Yen Bai"}


def test_without_citations_the_column_is_empty_not_invented(rows):
    read = _read(takeaway.takeaway_csv(rows, "10", "63", year=2018))
    assert read and all(r["citation"] == "" for r in read)
    assert {r["province_code"] for r in read} == {"10"}


def test_a_press_rank_of_papi_is_not_taken_for_the_publishers(rows):
    f = takeaway.takeaway_frame(rows, "10", "63", year=2018)
    papi = f[f["indicator"] == "papi"].iloc[0]
    values = rows[(rows["indicator"] == "papi") & (rows["year"] == 2018)]
    better = (values["value"] > values[values["province_code"] == "10"]["value"].iloc[0]).sum()
    assert kind(papi) == "computed" and papi["rank"] == better + 1 != 1


def test_the_csv_keeps_each_figures_qualifier_precision_and_period(shipped_clean_dir):
    """Issue #16: "51 nhiệm vụ" over 2022–2025 and "trên 35,5 tỷ đồng" keep what the source said."""
    from analysis.briefing.core import read_figures

    df = read_figures(shipped_clean_dir)
    f = takeaway.takeaway_frame(df, "40", "34", "vi", year=2025).set_index("indicator")
    assert f.loc["de_an_06_tasks_done", "period"] == "2022-2025"
    assert f.loc["compliance_cost_saving", "qualifier"] == "trên"  # in the CSV's language, not our key
    clean = df[(df["province_code"] == "40") & (df["indicator"] == "compliance_cost_saving")]
    assert f.loc["compliance_cost_saving", "precision"] == clean["precision"].item()  # as the source wrote it


def test_a_2023_csv_holds_nothing_after_2023(shipped_clean_dir):
    """Each 2023 CSV was byte for byte the 2024 one (Lào Cai 2023: 45 rows dated 2024, e.g. PCI 2024
    68,56, 23rd); and the format renders each job with the job's year."""
    from pathlib import Path

    from analysis.briefing.core import read_figures
    from analysis.outputs.as_csv import CsvFormat
    from analysis.outputs.format import Briefing

    df = read_figures(shipped_clean_dir)
    f23 = takeaway.takeaway_frame(df, "10", "63", year=2023)
    assert len(f23) and f23["year"].max() == 2023
    assert not ((f23["indicator"] == "pci") & (f23["year"] == 2023)).any()  # known only from a 2025 article
    fmt = CsvFormat()

    def render(year: int) -> bytes:
        b = Briefing(None, "t", "vi", "10", "63", year, str(shipped_clean_dir), Path("."), table=lambda: df)
        return fmt.render(b)

    b23, b24 = render(2023), render(2024)
    assert b23 != b24 and "68.56" in b24.decode("utf-8-sig") and "68.56" not in b23.decode("utf-8-sig")


def test_a_bounded_rank_reaches_the_csv_as_its_bounds_and_kind():
    """Hòa Bình, PAR Index 2023 (issue #16): the page says "33–62 (by score)"; the CSV had an empty
    rank beside rank_of 63. Published neighbours bound a province without a rank: its bounds go out."""
    out = []
    for i, p in enumerate(P63[:-1]):  # not every province's score: no rank is computed
        out.append(_row(p.code, "63", 2023, "par_index", 95 - i * 0.2))
        if p.code != "17" and i % 2 == 0:  # every other province's published rank: Hòa Bình has none
            out.append(_row(p.code, "63", 2023, "par_index_rank", i + 1))
    frame = pd.DataFrame(out).astype({"year": "int64"})
    i = [p.code for p in P63].index("17")  # even: its neighbours' ranks i - 1 and i + 3 bound it
    for lang, word in (("vi", "giới hạn theo điểm"), ("en", "bounded by score")):
        f = takeaway.takeaway_frame(frame, "17", "63", lang, year=2023)
        assert "par_index_rank" not in set(f["indicator"])
        row = f[f["indicator"] == "par_index"].iloc[0]
        assert pd.isna(row["rank"]) and row["rank_kind"] == word and kind(row, lang) == csvtext.BOUNDED
        assert (row["rank_low"], row["rank_high"], row["rank_of"]) == (i, i + 2, 63)  # ranks 9 and 13 around
        read = _read(takeaway.takeaway_csv(frame, "17", "63", lang, year=2023))
        said = next(r for r in read if r["indicator"] == "par_index")
        assert (said["rank"], said["rank_low"], said["rank_high"]) == ("", str(i), str(i + 2))
