"""Recent years first-class: what was published (status, PAPI quartile groups), the shipped sheets'
sidecars, and what the shipped data gives (default year, PAPI 2017 aggregate, settled conflicts)."""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path

import pandas as pd
import pytest

from analysis import config, indicators, provinces
from analysis import publications as pub
from analysis.briefing import metrics
from analysis.briefing.inputs import default_year

FIGURES = config.FIGURES_DIR
QUALITIES = {"publisher", "secondary_complete", "province_release", "press"}


def _frame(rows: list[tuple[str, int, str, float]], regime: str = "63") -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"province_code": c, "regime": regime, "year": y, "indicator": i, "value": v, "source": "s"}
            for c, y, i, v in rows
        ]
    )


# ---------------------------------------------------------------- publications.csv and status()


def test_publications_record_what_each_publisher_released() -> None:
    recs = pub.publications()
    families = {ind.family for ind in indicators.catalogue().values()}
    for (index, year), p in recs.items():
        assert index in families, f"{index} {year}: not an index family of the catalogue"
        assert p.released in pub.RELEASES
        assert (p.top_n is not None) == (p.released == "top_n"), f"{index} {year}: top_n only for top_n"
        assert p.source.strip(), f"{index} {year}: no source"
    for year in (2023, 2024):
        assert recs[("pci", year)].released == "top_n" and recs[("pci", year)].top_n == 30
    assert recs[("pci", 2020)].released == "full" and recs[("pci", 2020)].complete_held
    papi = [p for (i, _), p in recs.items() if i == "papi"]
    assert papi and all(not p.ranks_published and p.grouping == "quartiles" for p in papi)


def test_status_value_for_a_score_or_a_rank_alone() -> None:
    df = _frame([("40", 2022, "par_index_rank", 16.0), ("40", 2024, "pci", 65.0)])
    assert pub.status(df, "par_index", 2022, "40") == pub.VALUE  # a rank without a score is a figure
    assert pub.status(df, "pci", 2024, "40") == pub.VALUE
    assert pub.status(df, "pci", 2024, "41") != pub.VALUE


def test_not_in_top_n_only_where_the_complete_top_n_is_held(monkeypatch) -> None:
    df = _frame([("01", 2024, "pci_rank", 1.0)])
    held = pub.Publication("pci", 2024, "top_n", 30, True, True, "", "VCCI", "")
    monkeypatch.setitem(pub.publications(), ("pci", 2024), held)
    assert pub.status(df, "pci", 2024, "40") == pub.NOT_IN_TOP_N
    partial = pub.Publication("pci", 2024, "top_n", 30, False, True, "", "VCCI", "")
    monkeypatch.setitem(pub.publications(), ("pci", 2024), partial)
    assert pub.status(df, "pci", 2024, "40") == pub.NOT_FOUND
    full = pub.Publication("pci", 2024, "full", None, True, True, "", "VCCI", "")
    monkeypatch.setitem(pub.publications(), ("pci", 2024), full)
    assert pub.status(df, "pci", 2024, "40") == pub.NOT_FOUND  # a full table we hold lacks it: not "top N"


def test_status_reads_the_years_regime() -> None:
    df = _frame([("40", 2025, "pci", 60.0)], regime="34")
    assert pub.status(df, "pci", 2025, "40") == pub.VALUE
    assert pub.status(df, "pci", 2025, "40", regime="63") == pub.NOT_FOUND


def test_quartile_groups_follow_the_percentiles_of_the_years_scores() -> None:
    codes = [f"{n:02d}" for n in range(1, 9)]
    df = _frame([(c, 2024, "papi", float(i + 1)) for i, c in enumerate(codes)])  # scores 1..8
    groups = {c: metrics.quartile_group(df, "63", 2024, c).group for c in codes}
    # percentiles of 1..8 (linear): 25th 2.75, 50th 4.5, 75th 6.25
    assert groups == {"01": 4, "02": 4, "03": 3, "04": 3, "05": 2, "06": 2, "07": 1, "08": 1}
    g = metrics.quartile_group(df, "63", 2024, "08")
    assert g.computed and g.of == 8 and g.label("en") != g.label("vi")
    assert metrics.quartile_group(df, "63", 2024, "99") is None
    assert metrics.quartile_group(df, "63", 2023, "08") is None


def test_computed_rank_shares_ties_and_follows_direction() -> None:
    df = _frame([("01", 2024, "papi", 40.0), ("02", 2024, "papi", 45.0), ("03", 2024, "papi", 45.0)])

    def rank(code: str) -> tuple:
        r = metrics.rank_of(df, code, "63", 2024, "papi")
        return (r.rank, r.of, r.kind)

    assert rank("02") == (1, 3, "computed")  # PAPI's record: we hold every score it published
    assert rank("03") == (1, 3, "computed")
    assert rank("01") == (3, 3, "computed")
    assert rank("04") == (None, None, "")


# ---------------------------------------------------------------- shipped sheets and sidecars


def _sheets() -> list[Path]:
    return sorted(p for p in FIGURES.iterdir() if p.suffix in (".csv", ".xlsx"))


def test_every_shipped_sheet_has_a_sidecar_with_a_source_quality() -> None:
    for sheet in _sheets():
        meta_path = sheet.with_name(sheet.stem + ".meta.json")
        assert meta_path.exists(), f"{sheet.name}: no sidecar"
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        assert meta.get("source_quality") in QUALITIES, f"{meta_path.name}: source_quality"
        for field in ("publisher", "title", "url", "published", "accessed", "quality"):
            assert str(meta.get(field, "")).strip(), f"{meta_path.name}: {field}"


def test_every_report_behind_an_extracted_figure_has_its_own_sidecar() -> None:
    with (FIGURES / "extracted_reports.csv").open(encoding="utf-8") as fh:
        texts = {r["source"].split()[0] for r in csv.DictReader(fh)}
    assert texts
    for text in texts:
        meta = json.loads((config.RAW_DIR / "reports" / f"{Path(text).stem}.meta.json").read_text("utf-8"))
        assert meta["file"] == text and meta["publisher"] and meta["title"]
        assert "date" in meta and "url" in meta and meta["source_quality"] in QUALITIES


def test_sub_dimension_keys_are_in_the_catalogue_under_their_dimension() -> None:
    with (config.PACKAGE_DATA / "papi_subdimensions.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 29
    for r in rows:
        assert indicators.get(r["key"]).family == "papi"
        assert indicators.get(r["dimension_key"]).family == "papi"


RESEARCH = config.SHARED_DIR / "research"


@pytest.mark.skipif(not (RESEARCH / "figures_more.csv").exists(), reason="shared research files absent")
def test_make_more_sheets_writes_the_committed_sheets(tmp_path, monkeypatch) -> None:
    spec = importlib.util.spec_from_file_location(
        "make_more", config.ROOT / "scripts" / "make_more_sheets.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "OUT_DIR", tmp_path)
    assert module.main() == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert len(written) == 8
    for name in written:
        assert (tmp_path / name).read_bytes() == (FIGURES / name).read_bytes(), f"{name} differs"


# ---------------------------------------------------------------- what the shipped data gives


@pytest.fixture(scope="module")
def shipped(shipped_clean):
    return shipped_clean[1]


def test_shipped_data_balances_and_defaults_to_2024(shipped) -> None:
    assert shipped.manifest["totals"]["balanced"]
    assert default_year(shipped.figures) == 2024


def test_papi_2017_has_its_aggregate(shipped) -> None:
    f = shipped.figures
    assert f[(f["indicator"] == "papi") & (f["year"] == 2017)]["province_code"].nunique() == 63


def test_publication_status_on_the_shipped_data(shipped) -> None:
    f = shipped.figures
    nghe_an = provinces.resolve("Nghệ An", 2024).province.code
    lao_cai = provinces.resolve("Lào Cai", 2024).province.code
    assert pub.status(f, "papi", 2024, nghe_an) == pub.VALUE
    assert pub.status(f, "dti", 2024, nghe_an) == pub.VALUE
    assert pub.status(f, "pci", 2024, lao_cai) == pub.VALUE
    assert pub.status(f, "pci", 2024, nghe_an) == pub.NOT_FOUND  # we do not hold the complete top 30
    assert pub.status(f, "par_index", 2022, nghe_an) == pub.VALUE
    assert metrics.quartile_group(f, "63", 2024, nghe_an) is not None


def _kept(f: pd.DataFrame, name: str, year: int, indicator: str) -> pd.Series:
    code = provinces.resolve(name, year).province.code
    return f[(f["province_code"] == code) & (f["year"] == year) & (f["indicator"] == indicator)]["value"]


def test_conflicts_are_settled_by_quality_or_rejected(shipped) -> None:
    f, rejects = shipped.figures, shipped.rejects
    # the panel (secondary, complete) against two press values: the panel's value stands
    assert _kept(f, "Quảng Ninh", 2020, "papi").round(4).tolist() == [48.8114]
    # the publisher's workbook against the panel's 4-decimal copy: the workbook's value stands
    assert _kept(f, "Phú Yên", 2011, "papi").round(6).tolist() == [32.930252]
    # two press sources of equal quality disagree: neither is kept
    assert _kept(f, "Hải Phòng", 2023, "par_index").empty
    assert (rejects["file"] == "research_press.csv").any()
