"""The trend and ranking sections print each value with the digits its source wrote (the row's
`precision`, never more than the catalogue shows) and a difference at the coarser of its two values'
digits: "88,8 %", not "88,80 %" (issue #16)."""

from __future__ import annotations

import pandas as pd

from analysis import provinces
from analysis.briefing.context import make_context
from analysis.briefing.sections import ranking, trend
from briefing_fixtures import figure_row

NGHE_AN = provinces.resolve("Nghệ An", 2024).province
HA_TINH = provinces.resolve("Hà Tĩnh", 2024).province


def _row(p: provinces.Province, key: str, year: int, value: float, precision: int | None) -> dict:
    return figure_row(p, key, year, value, precision, "a made-up table")


FRAME = pd.DataFrame(
    [
        _row(NGHE_AN, "par_index", 2024, 88.8, 1),  # "88,8%"
        _row(HA_TINH, "par_index", 2024, 86.25, 2),  # "86,25%"
        _row(NGHE_AN, "papi", 2024, 43.0699, 4),  # a data set's four digits: PAPI shows two
    ]
)


def _ctx(lang: str = "vi"):
    return make_context(FRAME, NGHE_AN, 2024, lang)


def test_trend_sentence_keeps_the_written_digits() -> None:
    res = trend.compute(FRAME, _ctx())
    par = res[res["indicator"] == "par_index"].iloc[0]
    assert par["precision"] == 1
    said = trend.single_sentence(par, "vi")
    assert "88,8 %" in said and "88,80" not in said
    papi = trend.single_sentence(res[res["indicator"] == "papi"].iloc[0], "vi")
    assert "43,07" in papi and "43,0699" not in papi  # capped at the catalogue's digits


def test_ranking_table_label_and_gap_keep_the_written_digits() -> None:
    ctx = _ctx()
    res = ranking.compute(FRAME, ctx)
    assert res.key == "par_index"
    peers = ranking.peers_html(res, ctx)
    assert "88,8 %" in peers and "88,80" not in peers
    assert "86,25 %" in peers
    assert "−2,5" in peers or "−2,6" in peers  # 86,25 − 88,8 at one digit, the coarser
    assert "−2,55" not in peers
    row = next(res.table[res.table["highlight"]].itertuples())
    label = ranking.highlight_label(row, res.key, "vi")
    assert "88,8 %" in label and "88,80" not in label


def test_ranking_without_precision_keeps_the_catalogue() -> None:
    frame = FRAME.drop(columns=["precision"])
    ctx = make_context(frame, NGHE_AN, 2024, "vi")
    res = ranking.compute(frame, ctx)
    row = next(res.table[res.table["highlight"]].itertuples())
    assert "88,80 %" in ranking.highlight_label(row, res.key, "vi")


def _country(key: str, own: float, own_digits: int) -> list[dict]:
    """Every province's made-up value of `key` in 2024 (two digits), Nghệ An's with `own_digits`."""
    out = []
    for i, p in enumerate(provinces.all_provinces("63")):
        value, digits = (own, own_digits) if p.code == NGHE_AN.code else (round(5 + i * 0.07, 2), 2)
        out.append(_row(p, key, 2024, value, digits))
    return out


def test_subindices_papi_and_distribution_keep_the_written_digits() -> None:
    from analysis.briefing.sections import distribution, papi, subindices

    frame = pd.DataFrame(
        _country("pci_entry_costs", 6.5, 1)  # "6,5": the catalogue shows two digits
        + _country("pci_land_access", 7.25, 2)
        + _country("pci", 65.5, 1)
        + _country("papi", 43.0699, 4)  # four digits from a data set: PAPI's two shown
        + _country("papi_participation", 5.1, 1)
    )
    ctx = make_context(frame, NGHE_AN, 2024, "vi")
    sub = next(s for s in subindices.compute(frame, ctx) if s.family == "pci")
    html = subindices.family_html(sub, "vi")
    entry = next(r for r in html.split("<tr>") if "Chi phí gia nhập" in r)
    assert '<td class="num">6,5</td>' in entry and "6,50" not in entry
    assert "7,25" in html
    detail = papi.html(papi.compute(frame, ctx), ctx)
    assert "43,07" in detail and "43,0699" not in detail
    dim = next(r for r in detail.split("<tr>") if "Tham gia" in r)
    assert "5,1</td>" in dim and "5,10" not in dim
    dist = distribution.compute(frame, ctx).table
    own = dist[(dist["indicator"] == "pci") & dist["highlight"]].iloc[0]
    assert own["precision"] == 1
