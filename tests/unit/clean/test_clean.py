"""The clean stage: every raw row ends in the clean table or the rejects, with a reason."""

from __future__ import annotations

import json
import unicodedata

import pandas as pd
import pytest

from analysis import config
from analysis.clean.sheets import SOURCE_QUALITIES
from analysis.clean.stage import CLEAN_COLUMNS, run_clean

HEADER = "province,year,indicator,value,unit,source,note\n"


def write_sheet(raw, name: str, body: str, encoding: str = "utf-8", meta: dict | None = None):
    folder = raw / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes((HEADER + body).encode(encoding))
    if meta is not None:
        path.with_name(path.stem + ".meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return path


def clean(tmp_path, **kw):
    return run_clean(tmp_path / "raw", tmp_path / "clean", quiet=True, **kw)


def reasons_for(result, needle: str) -> list[str]:
    rej = result.rejects
    return rej.loc[
        rej["province"].str.contains(needle, regex=False) | rej["value"].astype(str).eq(needle), "reason"
    ].tolist()


def test_good_rows_are_kept_with_codes_units_and_refs(tmp_path):
    write_sheet(
        tmp_path / "raw",
        "sheet.csv",
        'Tp.HCM,2018,pci,"65,34",điểm,VCCI PCI 2018,\n'
        'Nghệ An,2024,online_filing_rate,"trên 80%",%,Báo cáo UBND tỉnh,\n'
        'Lào Cai,2025,Tỷ lệ hồ sơ thanh toán trực tuyến,"75,5",%,Báo cáo tỉnh Lào Cai,\n',
    )
    result = clean(tmp_path)
    fig = result.figures.set_index("indicator")
    assert len(fig) == 3 and result.rejects.empty
    assert fig.loc["pci", ["province_code", "regime", "value", "unit"]].tolist() == [
        "79",
        "63",
        65.34,
        "score",
    ]
    assert fig.loc["online_filing_rate", "qualifier"] == "over"
    assert fig.loc["online_filing_rate", "value"] == 80
    assert fig.loc["online_payment_rate", ["province_code", "regime"]].tolist() == ["15", "34"]
    assert fig.loc["pci", "source_ref"] == "sheet.csv:row 2"
    written = pd.read_parquet(tmp_path / "clean" / "figures.parquet")
    assert list(written.columns) == CLEAN_COLUMNS
    assert CLEAN_COLUMNS == [
        "province_code", "province_name", "regime", "year", "indicator", "value", "unit", "qualifier",
        "source", "source_ref", "note", "precision", "period", "period_kind", "scale",
    ]  # fmt: skip
    # an old sheet without qualifier/precision/period: exact, precision as written, the year
    assert fig.loc["pci", ["qualifier", "precision", "period", "period_kind"]].tolist() == [
        "exact", 2, "2018", "year",
    ]  # fmt: skip
    assert fig.loc["online_filing_rate", ["precision", "period"]].tolist() == [0, "2024"]
    assert (tmp_path / "clean" / "figures.csv").exists()


def test_bad_rows_are_rejected_each_with_its_reason(tmp_path):
    write_sheet(
        tmp_path / "raw",
        "bad.csv",
        "Tỉnh Không Có,2018,pci,60,điểm,src,\n"  # unknown province
        "Hà Nội,2018,pci,abc,điểm,src,\n"  # not a number
        "Hà Giang,2023,par_index,135,%,src,\n"  # percent over 100
        "Hà Nam,2018,pci_rank,70,rank /63,src,\n"  # rank beyond N
        "Yên Bái,2025,par_index,88,%,src,\n"  # old province after the merger
        "Bắc Ninh,2018,pci_score_x,60,điểm,src,\n"  # unknown indicator
        "Bắc Giang,2018,online_filing_rate,60,points (0-10),src,\n"  # unit mismatch
        "Cà Mau,2018,pci,61,điểm,,\n"  # no source
        "Cao Bằng,1890,pci,61,điểm,src,\n",  # implausible year
    )
    result = clean(tmp_path)
    assert result.figures.empty
    rej = result.rejects.set_index("province")["reason"]
    assert "unknown province" in rej["Tỉnh Không Có"]
    assert "abc" in rej["Hà Nội"]
    assert "percent outside 0–100" in rej["Hà Giang"]
    assert "rank" in rej["Hà Nam"]
    assert "not one of the 34 provinces of 2025" in rej["Yên Bái"] and "Lào Cai" in rej["Yên Bái"]
    assert "unknown indicator" in rej["Bắc Ninh"]
    assert "points (0-10)" in rej["Bắc Giang"]
    assert "no source" in rej["Cà Mau"]
    assert "1890" in rej["Cao Bằng"]
    assert result.manifest["totals"] == {
        "read": 9,
        "kept": 0,
        "rejected": 9,
        "balanced": True,
        "unreadable_files": 0,
    }


def test_conflicting_duplicates_are_both_rejected_naming_each_other(tmp_path):
    raw = tmp_path / "raw"
    write_sheet(raw, "a.csv", "Quảng Ninh,2020,papi,45.1,points (max 80),src A,\n")
    write_sheet(raw, "b.csv", "Quang Ninh,2020,papi,44.2,points (max 80),src B,\n")
    result = clean(tmp_path)
    assert result.figures.empty
    reasons = dict(zip(result.rejects["file"], result.rejects["reason"], strict=True))
    assert "b.csv:row 2" in reasons["a.csv"] and "conflicts" in reasons["a.csv"]
    assert "a.csv:row 2" in reasons["b.csv"]


def test_equal_duplicates_keep_the_more_precise_and_account_for_the_other(tmp_path):
    raw = tmp_path / "raw"
    write_sheet(raw, "web.csv", "Đà Nẵng,2015,pci,68.34,points (0-100),web,\n")
    write_sheet(raw, "book.csv", "Da Nang,2015,pci,68.3361,points (0-100),workbook,\n")
    result = clean(tmp_path)
    assert result.figures["value"].tolist() == [68.3361]
    assert result.rejects["reason"].str.contains("duplicate of book.csv:row 2").all()
    assert result.manifest["totals"]["balanced"]


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below


def to_cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: base letters precomposed, tone marks as combining characters."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
        out.append(base + "".join(c for c in parts if c in TONE_MARKS))
    return "".join(out).encode("cp1258")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1258"])
def test_every_encoding_analysts_use_reads_the_same(tmp_path, encoding):
    body = 'Thừa Thiên Huế,2018,pci,"63,6",điểm,Báo cáo Sở Nội vụ,Hoà nhập\n'
    folder = tmp_path / "raw" / "figures"
    folder.mkdir(parents=True)
    text = HEADER + body
    data = to_cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    if encoding == "utf-16-le":  # no BOM at all: found by the NUL-byte pattern
        assert not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    (folder / "enc.csv").write_bytes(data)
    result = clean(tmp_path)
    assert result.rejects.empty, result.rejects.to_dict("records")
    row = result.figures.iloc[0]
    assert (row["province_code"], row["regime"], row["value"]) == ("46", "63", 63.6)
    assert row["source"] == "Báo cáo Sở Nội vụ"  # diacritics intact, composed (NFC)
    assert row["note"] == unicodedata.normalize("NFC", "Hoà nhập")
    assert result.manifest["inputs"][0]["encoding"] == encoding


def test_unreadable_files_are_reported_and_the_rest_cleaned(tmp_path):
    raw = tmp_path / "raw"
    write_sheet(raw, "good.csv", 'Nghệ An,2018,pci,"64,5",điểm,src,\n')
    (raw / "figures" / "empty.csv").write_bytes(b"")
    (raw / "figures" / "broken.xlsx").write_bytes(b"PK\x03\x04 this is not a real workbook")
    (raw / "figures" / "nocols.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    result = clean(tmp_path)
    assert len(result.figures) == 1
    errors = {i["file"].rsplit("/", 1)[-1]: i["error"] for i in result.manifest["inputs"] if "error" in i}
    assert "empty" in errors["empty.csv"]
    assert "not a readable workbook" in errors["broken.xlsx"]
    assert "missing column" in errors["nocols.csv"]
    assert result.manifest["totals"]["unreadable_files"] == 3


def test_xlsx_figure_sheet_with_vietnamese_names(tmp_path):
    folder = tmp_path / "raw" / "figures"
    folder.mkdir(parents=True)
    pd.DataFrame(
        {
            "province": ["TT-Huế", "BRVT"],
            "year": [2019, 2019],
            "indicator": ["Chỉ số cải cách hành chính (PAR Index)", "par_index_rank"],
            "value": ["85,12", "7"],
            "unit": ["%", "rank /63"],
            "source": ["Bộ Nội vụ, PAR Index 2019", "Bộ Nội vụ, PAR Index 2019"],
        }
    ).to_excel(folder / "par.xlsx", index=False, engine="openpyxl")
    result = clean(tmp_path)
    assert result.rejects.empty, result.rejects.to_dict("records")
    assert sorted(result.figures["indicator"]) == ["par_index", "par_index_rank"]
    assert "par.xlsx:Sheet1!row 2" in result.figures["source_ref"].tolist()


def test_manifest_records_sha256_and_counts_that_add_up(tmp_path):
    path = write_sheet(
        tmp_path / "raw", "m.csv", 'Hà Nội,2018,pci,"65,4",điểm,src,\nXyz,2018,pci,1,điểm,src,\n'
    )
    result = clean(tmp_path)
    import hashlib

    entry = result.manifest["inputs"][0]
    assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (entry["read"], entry["kept"], entry["rejected"]) == (2, 1, 1)
    on_disk = json.loads((tmp_path / "clean" / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk["totals"]["balanced"] is True
    assert len(pd.read_csv(tmp_path / "clean" / "rejects.csv")) == 1


def test_shipped_default_dataset_cleans_and_balances(tmp_path):
    result = run_clean(config.RAW_DIR, tmp_path, quiet=True)
    totals = result.manifest["totals"]
    assert totals["balanced"] and totals["unreadable_files"] == 0
    assert result.unreadable == []
    rejects = result.rejects.assign(
        province=result.rejects["province"].str.replace("Quang Ninh", "Quảng Ninh")
    )
    # Quảng Ninh PAPI 2020: the press figure loses to the complete table, which it names
    qn = rejects[(rejects["province"] == "Quảng Ninh") & (rejects["year"] == "2020")]
    qn = qn[qn["reason"].str.contains("superseded by|conflicts with")]
    assert len(qn) and qn["reason"].str.contains(r"superseded by \S+\.csv:row \d+", regex=True).all()
    # Hải Phòng PAR Index 2023: press against press, equal quality, every side rejected
    hp = rejects[rejects["province"].str.contains("Ph") & (rejects["year"] == "2023")]
    assert hp["reason"].str.contains("conflicts with").sum() >= 2
    for item in result.manifest["inputs"]:
        assert item["provenance"], f"{item['file']} has no provenance sidecar"
        assert item["source_quality"] in SOURCE_QUALITIES
        assert not [w for w in item["warnings"] if "source_quality" in w], item["warnings"]


def test_manifest_data_version_is_the_one_the_briefings_index_shows(tmp_path):
    from analysis.build.build import data_version, read_figures_bytes

    write_sheet(tmp_path / "raw", "v.csv", 'Nghệ An,2018,pci,"64,5",điểm,src,\n')
    result = clean(tmp_path)
    assert result.manifest["data_version"] == data_version(read_figures_bytes(tmp_path / "clean"))
    write_sheet(tmp_path / "raw", "v.csv", 'Nghệ An,2018,pci,"64,6",điểm,src,\n')
    assert clean(tmp_path).manifest["data_version"] != result.manifest["data_version"]
