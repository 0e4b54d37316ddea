"""The recent figures (shared/research/figures_2021_2025.csv) shipped as figure sheets: every row kept
or rejected with a reason, each sheet with its source quality, a province's release cited as such."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from analysis import config
from analysis.citations import Citations
from sheet_files import load_script

SHEETS = ("recent_publisher", "recent_secondary", "recent_province", "recent_press")
RESEARCH = config.SHARED_DIR / "research" / "figures_2021_2025.csv"


def _rows(path):
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _script():
    return load_script("make_recent_sheets")


@pytest.mark.skipif(not RESEARCH.exists(), reason="../shared/research is not on this machine")
def test_every_research_row_is_in_a_sheet_as_written() -> None:
    research = _rows(RESEARCH)
    shipped = {name: _rows(config.FIGURES_DIR / f"{name}.csv") for name in SHEETS}
    assert sum(len(r) for r in shipped.values()) == len(research)
    script = _script()
    written = [
        (r["province"], r["year"], r["indicator"], r["value"], r["unit"], r["source"], r["qualifier"])
        for name in SHEETS
        for r in shipped[name]
    ]
    expected = [
        (r["province"], r["year"], r["indicator"], r["value"], r["unit"], r["source_url"], r["qualifier"])
        for r in research
    ]
    assert sorted(written) == sorted(expected)  # the digits as the source wrote them ("90.10", "64.00")
    for name, rows in shipped.items():
        assert all(
            script.sheet_of({**r, "source_url": r["source"], "source_title": r["note"]}) == name
            for r in rows
            if name != "recent_secondary"
        )


def test_every_recent_row_is_kept_or_rejected_with_a_reason(shipped_clean) -> None:
    _, result = shipped_clean
    inputs = {Path(i["file"]).name: i for i in result.manifest["inputs"]}
    qualities = {}
    for name in SHEETS:
        item = inputs[f"{name}.csv"]
        assert item["read"] == item["kept"] + item["rejected"] > 0
        qualities[name] = item["source_quality"]
        mine = result.rejects[result.rejects["file"] == f"{name}.csv"]
        assert mine["reason"].str.len().gt(0).all()
    assert qualities == {
        "recent_publisher": "publisher",
        "recent_secondary": "secondary_complete",
        "recent_province": "province_release",
        "recent_press": "press",
    }
    # a profile page's blank (outside the published top 30) is rejected saying so
    blank = result.rejects[
        (result.rejects["file"] == "recent_publisher.csv") & (result.rejects["value"] == "")
    ]
    assert blank["reason"].str.contains("value is empty .*top 30", regex=True).all() and len(blank)


def test_nghe_an_2023_as_the_province_announced_it(shipped_clean) -> None:
    _, result = shipped_clean
    f = result.figures
    na = f[(f["province_name"] == "Nghệ An") & (f["year"] == 2023)].set_index("indicator")
    assert na.loc["pci", "value"] == pytest.approx(65.72) and na.loc["pci", "precision"] == 2
    assert na.loc["pci_rank", "value"] == 44 and na.loc["pci", "source_ref"].startswith("recent_province.csv")
    assert na.loc["par_index_rank", "value"] == 15 and na.loc["sipas_rank", "value"] == 12
    cit = Citations.load().cite(na.loc["pci", "source"], na.loc["pci", "source_ref"])
    assert (
        "Nghệ An" in cit.publisher and "release" in cit.publisher and cit.source_quality == "province_release"
    )
    assert "VCCI" not in cit.publisher.split("(")[0]  # the province's release, not VCCI's table
    # the 2024 share of dossiers processed fully online: "below 10 %" stays "under"
    hn = f[(f["province_name"] == "Hà Nội") & (f["indicator"] == "online_full_process_dossier_rate")]
    assert hn[["value", "qualifier", "year"]].values.tolist() == [[10.0, "under", 2024]]
