"""A small, realistic clean-figures frame for the briefing tests (sections, labels, figures, golden texts).

Built from the province registry so codes and names are real; values are made up but shaped like
the real indices (PCI about 55-72 with ten 0-10 sub-indices and a published rank, PAPI about 40-48
with eight dimensions and no published rank). Nghệ An (code 40) is the province under test.
"""

from __future__ import annotations

import pandas as pd

from analysis import indicators, provinces

NGHE_AN = "40"
EVIL_SOURCE = "<script>alert(1)</script> báo cáo tỉnh"
PCI_SUBS = (
    "pci_entry_costs",
    "pci_land_access",
    "pci_transparency",
    "pci_time_costs",
    "pci_informal_charges",
    "pci_policy_bias",
    "pci_proactivity",
    "pci_business_support",
    "pci_labor_training",
    "pci_legal_institutions",
)
PAPI_DIMS = (
    "papi_participation",
    "papi_transparency",
    "papi_vertical_accountability",
    "papi_control_of_corruption",
    "papi_public_admin_procedures",
    "papi_public_service_delivery",
    "papi_environmental_governance",
    "papi_e_governance",
)
MERGED = "25"  # Phú Thọ of the 34: formed from Hòa Bình (17), Phú Thọ (25) and Vĩnh Phúc (26)


def _row(p: provinces.Province, year: int, key: str, value: float, unit: str, source: str) -> dict:
    return {
        "province_code": p.code,
        "province_name": p.name,
        "regime": p.regime,
        "year": year,
        "indicator": key,
        "value": float(value),
        "unit": unit,
        "qualifier": "exact",
        "source": source,
        "source_ref": f"fixture:{key}",
    }


# Every headline index (as the catalogue names them), for the recent years a new section is tested on.
RECENT_YEARS = (2022, 2023, 2024)
INDEX_SHAPES = {  # key: (low, step) of made-up values spread like the real ones, and its unit
    "par_index": (78.0, 0.25, "percent"),
    "sipas": (80.0, 0.22, "percent"),
    "pci": (60.0, 0.18, "score"),
    "papi": (40.0, 0.11, "score"),
    "dti": (0.55, 0.004, "score"),
    "idx766_total": (70.0, 0.3, "score"),
}


def recent_rows() -> pd.DataFrame:
    """2022-2024: every headline index for all 63 provinces (values only, ranks computed), except PCI
    from 2023, which, as VCCI published it, is a top-30 list; and 2025: SIPAS for the 34."""
    rows: list[dict] = []
    old = provinces.all_provinces("63")
    for year in RECENT_YEARS:
        for key, (low, step, unit) in INDEX_SHAPES.items():
            for i, p in enumerate(old):
                if key == "pci" and year >= 2023 and (i * 17) % 63 >= 30:
                    continue  # outside the published top 30
                value = low + ((i * 13 + year) % 63) * step
                rows.append(_row(p, year, key, round(value, 3), unit, f"{key} {year} (fixture)"))
    for k, p in enumerate(provinces.all_provinces("34")):
        rows.append(_row(p, 2025, "sipas", 80 + (k % 15) * 0.8, "percent", "SIPAS 2025 (Bộ Nội vụ)"))
    return pd.DataFrame(rows)


def figures_frame(with_2025: bool = False, recent: bool = False) -> pd.DataFrame:
    """63 provinces × PCI 2017-2018 and PAPI 2017-2018, a partial 2019, Nghệ An's online figures.

    `recent=True` adds every headline index (PAR Index, SIPAS, PCI, PAPI, DTI, Decision 766) for
    2022-2024 and SIPAS 2025 for the 34 (`recent_rows`): what a new section is tested on, so its
    test never passes on an empty frame. (The golden texts use the frame without them.)
    """
    rows: list[dict] = []
    old = provinces.all_provinces("63")
    for i, p in enumerate(old):
        for year in (2017, 2018):
            shift = 0.7 * (year - 2017) + (0.9 if (p.code == NGHE_AN and year == 2018) else 0.0)
            pci = 56.0 + ((i * 17) % 63) * 0.23 + shift
            rows.append(_row(p, year, "pci", round(pci, 2), "score", f"PCI {year} (VCCI)"))
            papi = 40.0 + ((i * 11) % 63) * 0.12 + (3.0 if year == 2018 else 0.0)
            rows.append(_row(p, year, "papi", round(papi, 2), "score", f"PAPI {year} (UNDP)"))
        for j, key in enumerate(PCI_SUBS):
            v = 4.0 + ((i * (j + 3)) % 50) * 0.09
            if p.code == NGHE_AN and key == "pci_business_support":
                v = 9.6  # far above everyone: the strongest sub-index by construction
            if p.code == NGHE_AN and key == "pci_informal_charges":
                v = 3.1  # far below everyone: the weakest
            rows.append(_row(p, 2018, key, round(v, 2), "score", "PCI 2018 (VCCI)"))
        for j, key in enumerate(PAPI_DIMS):
            v = 3.0 + ((i * (j + 5)) % 40) * 0.1
            rows.append(_row(p, 2018, key, round(v, 2), "score", "PAPI 2018 (UNDP)"))
        rows.append(_row(p, 2018, "population", 500_000 + i * 31_000, "people", "GSO 2018"))
    frame = pd.DataFrame(rows)
    # Published PCI ranks (1 = best), as the source gives them.
    for year in (2017, 2018):
        sel = (frame["indicator"] == "pci") & (frame["year"] == year)
        ranks = frame.loc[sel, "value"].rank(ascending=False, method="min").astype(int)
        extra = frame.loc[sel].assign(indicator="pci_rank", value=ranks.astype(float), unit="rank")
        frame = pd.concat([frame, extra], ignore_index=True)
    # A partial year: five provinces' PAR Index (a top list), Nghệ An not among them.
    partial = [p for p in old if p.code != NGHE_AN][:5]
    frame = pd.concat(
        [
            frame,
            pd.DataFrame(
                [_row(p, 2019, "par_index", 90 - k, "percent", "PAR 2019") for k, p in enumerate(partial)]
            ),
        ],
        ignore_index=True,
    )
    na = provinces.get(NGHE_AN, "63")
    online = [
        _row(na, 2018, "online_filing_rate", 45.5, "percent", EVIL_SOURCE),
        _row(na, 2018, "de_an_06_tasks_done", 20, "count", "Báo cáo Đề án 06"),
        _row(na, 2018, "de_an_06_tasks_total", 25, "count", "Báo cáo Đề án 06"),
    ]
    frame = pd.concat([frame, pd.DataFrame(online)], ignore_index=True)
    if recent:
        frame = pd.concat([frame, recent_rows()], ignore_index=True)
    elif with_2025:
        new = provinces.all_provinces("34")
        extra = [
            _row(p, 2025, "sipas", 80 + (k % 15) * 0.8, "percent", "SIPAS 2025 (Bộ Nội vụ)")
            for k, p in enumerate(new)
        ]
        frame = pd.concat([frame, pd.DataFrame(extra)], ignore_index=True)
    return _typed(frame)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for col in (
        "province_code",
        "province_name",
        "regime",
        "indicator",
        "unit",
        "qualifier",
        "source",
        "source_ref",
    ):
        frame[col] = frame[col].astype("str")
    frame["year"] = frame["year"].astype(int)
    frame["value"] = frame["value"].astype(float)
    return frame


def write_clean(tmp_dir, frame: pd.DataFrame):
    """Write the frame where `load_briefing(clean_dir=...)` reads it; returns the directory."""
    frame.to_parquet(tmp_dir / "figures.parquet", index=False)
    return tmp_dir


def with_online_2022(df: pd.DataFrame) -> pd.DataFrame:
    """The fixture plus Nghệ An's share of procedures offered online in 2022 (Resolution 76's target)."""
    own = df[(df["province_code"] == NGHE_AN) & (df["indicator"] == "online_filing_rate")]
    extra = own.assign(indicator="dvc_online_provision_rate", year=2022, value=91.0)
    filing = own.assign(year=2022, value=60.0)  # no target for 2022: its only one was decided in 2025
    return pd.concat([df, extra, filing], ignore_index=True)


def figure_row(
    p: provinces.Province, key: str, year: int, value: float, precision: int | None, source: str
) -> dict:
    """One clean-table row of the figure model for a province's indicator in a year (regime 63)."""
    return {
        "province_code": p.code,
        "province_name": p.name,
        "regime": "63",
        "year": year,
        "indicator": key,
        "value": value,
        "unit": indicators.get(key).unit,
        "qualifier": "exact",
        "source": source,
        "note": "",
        "precision": precision,
        "period": str(year),
        "period_kind": "year",
    }
