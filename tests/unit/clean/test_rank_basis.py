"""A rank row is the publisher's only when its source states it (reviewer's cases, issue #16)."""

from __future__ import annotations

from analysis.clean.stage import run_clean

HEADER = "province,year,indicator,value,unit,source,note\n"


def clean_sheet(tmp_path, body: str):
    folder = tmp_path / "raw" / "figures"
    folder.mkdir(parents=True)
    (folder / "sheet.csv").write_text(HEADER + body, encoding="utf-8")
    return run_clean(tmp_path / "raw", tmp_path / "clean", quiet=True, max_year=2026)


def test_ranks_computed_or_inferred_by_others_are_not_kept_as_published(tmp_path) -> None:
    result = clean_sheet(
        tmp_path,
        # a research panel's rank: the order of the scores (the rule book computes it, marked *)
        "Hòa Bình,2022,pci_rank,53,rank /63,https://example.org/panel,"
        '"panel of 63 scores; rank: the order of the published scores"\n'
        "Hòa Bình,2022,pci,60.1,points (0-100),https://example.org/panel,panel of 63 scores\n"
        # inferred from a later year's stated change
        "Lào Cai,2023,pci_rank,26,rank /63,https://example.org/a,"
        '"inferred: 2024 rank 23 ""up 3 places"" => 2023 rank 26"\n'
        # inferred from the order a list named provinces in
        "Vĩnh Phúc,2020,sipas_rank,6,rank /63,https://example.org/b,rank inferred from listing order\n"
        # stated by the source: kept (the year, not the rank, was inferred)
        "Tuyên Quang,2021,par_index_rank,34,rank /63,https://example.org/c,"
        '"xếp thứ 34/63; year 2021 inferred from the comparison with 2020"\n'
        "Lào Cai,2024,pci_rank,23,rank /63,https://example.org/a,Lào Cai xếp thứ 23\n",
    )
    kept = set(zip(result.figures["province_name"], result.figures["indicator"], strict=True))
    assert ("Tuyên Quang", "par_index_rank") in kept and ("Lào Cai", "pci_rank") in kept
    assert ("Hòa Bình", "pci") in kept and ("Hòa Bình", "pci_rank") not in kept
    assert not result.figures.query("province_name == 'Lào Cai' and year == 2023").shape[0]
    gone = result.rejects.set_index("province")["reason"]
    assert "computed from the scores" in gone["Hòa Bình"]
    assert "stated change" in gone["Lào Cai"]
    assert "list's order" in gone["Vĩnh Phúc"]
    assert len(result.rejects) == 3  # nothing lost: every raw row is kept or rejected
