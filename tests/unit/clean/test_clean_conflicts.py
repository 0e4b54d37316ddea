"""Conflicts stay loud: a province's own release and a table that disagree are both rejected, each
naming the other, unless the source quality settles it (the publisher's own table outranks both)."""

from __future__ import annotations

import json

from analysis.clean.stage import run_clean

HEADER = "province,year,indicator,value,unit,source,note\n"


def sheet(raw, name: str, quality: str, body: str) -> None:
    folder = raw / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.csv").write_text(HEADER + body, encoding="utf-8")
    meta = {
        "publisher": name,
        "title": name,
        "url": "https://example.org/" + name,
        "published": "2024",
        "accessed": "2026-12",
        "quality": name,
        "source_quality": quality,
        "locale": "intl",
    }
    (folder / f"{name}.meta.json").write_text(json.dumps(meta), encoding="utf-8")


def clean(tmp_path):
    return run_clean(tmp_path / "raw", tmp_path / "clean", quiet=True, max_year=2026)


def test_a_province_release_and_a_copied_table_that_disagree_are_both_rejected(tmp_path) -> None:
    raw = tmp_path / "raw"
    sheet(raw, "province", "province_release", "Nghệ An,2023,pci,65.72,điểm,UBND tỉnh,\n")
    sheet(raw, "panel", "secondary_complete", "Nghệ An,2023,pci,64.10,điểm,panel,\n")
    result = clean(tmp_path)
    assert result.figures.empty
    why = dict(zip(result.rejects["file"], result.rejects["reason"], strict=True))
    assert "conflicts with panel.csv:row 2 = 64.1" in why["province.csv"]
    assert "conflicts with province.csv:row 2 = 65.72" in why["panel.csv"]
    assert "neither settles it" in why["panel.csv"]


def test_the_publishers_own_table_settles_a_province_release(tmp_path) -> None:
    raw = tmp_path / "raw"
    sheet(raw, "province", "province_release", "Nghệ An,2023,pci,65.72,điểm,UBND tỉnh,\n")
    sheet(raw, "vcci", "publisher", "Nghệ An,2023,pci,65.27,điểm,VCCI,\n")
    result = clean(tmp_path)
    assert result.figures["value"].tolist() == [65.27]
    (reason,) = result.rejects["reason"]
    assert "superseded by vcci.csv:row 2 = 65.27" in reason and "'province_release'" in reason


def test_a_province_release_outranks_the_press_and_equal_values_are_one_figure(tmp_path) -> None:
    raw = tmp_path / "raw"
    sheet(
        raw,
        "province",
        "province_release",
        "Nghệ An,2023,pci,65.72,điểm,UBND tỉnh,\nNghệ An,2023,pci_rank,44,rank /63,UBND tỉnh,\n",
    )
    sheet(
        raw,
        "press",
        "press",
        "Nghệ An,2023,pci,65.7,điểm,a paper,\nNghệ An,2023,pci_rank,45,rank /63,a paper,\n",
    )
    result = clean(tmp_path)
    kept = dict(zip(result.figures["indicator"], result.figures["source_ref"], strict=True))
    assert kept == {"pci": "province.csv:row 2", "pci_rank": "province.csv:row 3"}
    why = dict(zip(result.rejects["indicator"], result.rejects["reason"], strict=True))
    assert why["pci"].startswith("duplicate of province.csv:row 2 (same value")  # 65,7 is 65,72 at 1 digit
    assert why["pci_rank"].startswith("superseded by province.csv:row 3 = 44")
