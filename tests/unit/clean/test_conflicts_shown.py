"""A value two sources of equal standing give differently is never hidden (reviewer's case: Hải Phòng,
PAR Index 2023, 91,87 vs 91,81): the overview's "—" and the briefing's notes name both values and
their sources."""

from __future__ import annotations

from analysis import config, provinces
from analysis.briefing.context import make_context
from analysis.briefing.sections import notes
from analysis.clean import conflicts
from analysis.clean.stage import run_clean
from analysis.national import overview

HEADER = "province,year,indicator,value,unit,source,note\n"
BODY = (
    "Hải Phòng,2023,par_index,91.87,%,https://nhadautu.vn/a.html,top-3\n"
    "Hai Phong,2023,par_index,91.87,%,https://en.baochinhphu.vn/b.htm,top-5\n"
    "Hai Phong,2023,par_index,91.81,%,https://en.doanhnghiephoinhap.vn/c.html,a second figure\n"
    "Hải Phòng,2023,par_index_rank,2,rank /63,https://nhadautu.vn/a.html,top-3\n"
    "Quảng Ninh,2023,par_index,92.1,%,https://nhadautu.vn/a.html,top-3\n"
    "Quảng Ninh,2023,par_index_rank,1,rank /63,https://nhadautu.vn/a.html,top-3\n"
)


def test_a_source_conflict_is_shown_with_both_values_and_sources(tmp_path, monkeypatch) -> None:
    folder = tmp_path / "raw" / "figures"
    folder.mkdir(parents=True)
    (folder / "sheet.csv").write_text(HEADER + BODY, encoding="utf-8")
    result = run_clean(tmp_path / "raw", tmp_path / "clean", quiet=True, max_year=2026)
    monkeypatch.setattr(config, "CLEAN_DIR", tmp_path / "clean")
    hp = provinces.resolve("Hải Phòng", 2023).province
    (found,) = conflicts.load()
    assert (found.code, found.year, found.indicator) == (hp.code, 2023, "par_index")
    assert found.values == (
        (91.87, ("nhadautu.vn", "en.baochinhphu.vn")),
        (91.81, ("en.doanhnghiephoinhap.vn",)),
    )

    table = overview.index_table(result.figures, 2023, "par_index")
    view = overview._view(table, "vi", set())
    row = next(r for r in view["rows"] if r["name"] == "Hải Phòng")
    assert row["value"] == "—" and row["rank"] == "2"
    said = " ".join(view["notes"])
    assert (
        "Hải Phòng: các nguồn công bố giá trị khác nhau: 91,87 % (nhadautu.vn, en.baochinhphu.vn); 91,81 %"
        in said
    )
    assert "en.doanhnghiephoinhap.vn" in " ".join(overview._view(table, "en", set())["notes"])

    for lang, words in (
        ("vi", "91,81 % (en.doanhnghiephoinhap.vn)"),
        ("en", "91.81% (en.doanhnghiephoinhap.vn)"),
    ):
        ctx = make_context(result.figures, hp, 2023, lang)
        (line,) = notes.unsettled_notes(ctx)
        assert words in line and ("91,87" if lang == "vi" else "91.87") in line
    other = make_context(result.figures, provinces.resolve("Quảng Ninh", 2023).province, 2023, "vi")
    assert notes.unsettled_notes(other) == []
