"""A take-away CSV's published rank names a source that holds it (issue #16 review): Nghệ An's PCI
2021 and 2022 rows cited the research panel's GitHub copy, which holds scores only, beside ranks
"công bố" stated by Báo Nghệ An."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import provinces
from analysis.citations import Citations
from analysis.national import csvtext, takeaway

PANEL = "https://github.com/example/panel/blob/abc/Dataset.dta"
ARTICLE = "https://baotinh.example.vn/pci-tang-7-bac.html"


def _row(code: str, year: int, key: str, value: float, source: str, ref: str) -> dict:
    return {
        "province_code": code,
        "province_name": provinces.get(code, "63").name,
        "regime": "63",
        "year": year,
        "indicator": key,
        "value": float(value),
        "unit": "rank" if key.endswith("_rank") else "score",
        "qualifier": "exact",
        "source": source,
        "source_ref": ref,
        "note": "",
    }


def test_a_rank_stated_elsewhere_than_its_score_names_its_own_source(tmp_path) -> None:
    (tmp_path / "figures").mkdir()
    for sheet in ("panel", "press"):
        (tmp_path / "figures" / f"{sheet}.csv").write_text("province,year\n", encoding="utf-8")
    (tmp_path / "figures" / "panel.meta.json").write_text(
        '{"publisher": "VCCI", "title": "PCI scores (a copy in a research panel)", "url": "' + PANEL + '"}',
        encoding="utf-8",
    )
    (tmp_path / "figures" / "press.meta.json").write_text(
        '{"publisher": "various", "url": "each row\'s source column", "source_quality": "press"}',
        encoding="utf-8",
    )
    cites = Citations.load(tmp_path)
    rows = pd.DataFrame(
        [
            _row("40", 2021, "pci", 64.74, PANEL, "panel.csv:row 2"),
            _row("40", 2021, "pci_rank", 30, ARTICLE, "press.csv:row 3"),
            _row("40", 2018, "pci", 64.1, PANEL, "panel.csv:row 4"),
            _row("40", 2018, "pci_rank", 19, PANEL, "panel.csv:row 5"),  # score and rank of one source
        ]
    ).astype({"year": "int64"})
    for lang in ("vi", "en"):
        f = takeaway.takeaway_frame(rows, "40", "63", lang, cites, year=2023).set_index("year")
        assert csvtext.kind_of(f.loc[2021, "rank_kind"], lang) == "published" and f.loc[2021, "rank"] == 30
        assert f.loc[2021, "url"] == PANEL  # the score's source, which holds no rank …
        assert f.loc[2021, "rank_url"] == ARTICLE and f.loc[2021, "rank_citation"] == "baotinh.example.vn"
        assert f.loc[2018, "rank"] == 19 and f.loc[2018, "rank_url"] == f.loc[2018, "rank_citation"] == ""


@pytest.mark.parametrize(("name", "year"), [("Nghệ An", 2023), ("Nghệ An", 2024), ("Lào Cai", 2024)])
def test_every_published_rank_of_a_shipped_csv_cites_a_source_stating_it(
    shipped_clean_dir, name, year
) -> None:
    from analysis.briefing.core import read_figures

    df = read_figures(shipped_clean_dir)
    code = provinces.resolve(name, year).province.code
    f = takeaway.takeaway_frame(df, code, "63", "vi", Citations.load(), year=year)
    published = f[f["rank_kind"].map(lambda w: csvtext.kind_of(w, "vi")) == "published"]
    assert len(published)
    for r in published.itertuples(index=False):  # a research panel's copy holds scores, never ranks
        assert "tnguyentranphuoc" not in (r.rank_url or r.url), (r.indicator, r.year)
    if name == "Nghệ An":
        pci = published[published["indicator"] == "pci"].set_index("year")
        cited = pci.loc[[2021, 2022], "rank_citation"]
        assert cited.str.startswith("Báo Nghệ An").all()
