"""Small workbooks for the ingest tests (a minimal .xlsx written with zipfile: no Excel writer is
installed) and the list of the real official workbooks in ../shared, when present."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from analysis import config
from analysis.ingest.grid import column_letters

OFFICIAL = config.OFFICIAL_DIR
WORKBOOKS = sorted(p.name for p in OFFICIAL.glob("*.xls*")) if OFFICIAL.is_dir() else []


# --- a minimal xlsx writer (inline strings, numbers) ------------------------------------------------


def _sheet_xml(rows: list[list[object]]) -> str:
    out = []
    for i, row in enumerate(rows, 1):
        cells = []
        for j, v in enumerate(row):
            ref = f"{column_letters(j)}{i}"
            if v is None or v == "":
                continue
            if isinstance(v, int | float):
                cells.append(f'<c r="{ref}"><v>{v}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>')
        out.append(f'<row r="{i}">{"".join(cells)}</row>')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{''.join(out)}</sheetData></worksheet>"
    )


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    names = list(sheets)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{k}.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                for k in range(1, len(names) + 1)
            )
            + "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            + "".join(
                f'<sheet name="{escape(n)}" sheetId="{k}" r:id="rId{k}"/>' for k, n in enumerate(names, 1)
            )
            + "</sheets></workbook>",
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}">'
            + "".join(
                f'<Relationship Id="rId{k}" Type="{rel}/worksheet" Target="worksheets/sheet{k}.xml"/>'
                for k in range(1, len(names) + 1)
            )
            + "</Relationships>",
        )
        for k, n in enumerate(names, 1):
            z.writestr(f"xl/worksheets/sheet{k}.xml", _sheet_xml(sheets[n]))
    return path


# Provinces of the 34-province regime, as a 2030 workbook would list them.
NEW_PROVINCES = [
    "Hà Nội",
    "TP. Hồ Chí Minh",
    "Đà Nẵng",
    "Tuyên Quang",
    "Lào Cai",
    "Cần Thơ",
    "Huế",
    "An Giang",
]


def pci_like(year: int, base: float, provinces: list[str] = NEW_PROVINCES) -> list[list[object]]:
    """A PCI summary in the 2006 style: English + Vietnamese header rows, then Min/Max and a stray copy."""
    head_en = ["No", "Province", "Entry Costs", "Land Access", "Transparency", f"Weighted PCI {year}", "Rank"]
    head_vi = ["STT", "Tỉnh, thành phố", "Gia nhập thị trường", "Tiếp cận đất đai", "Tính minh bạch",
               f"PCI {year} có trọng số", "Xếp hạng"]  # fmt: skip
    rows: list[list[object]] = [[f"Bảng xếp hạng PCI {year}"], head_en, head_vi]
    for k, name in enumerate(provinces):
        rows.append([k + 1, name, 7.0 - k / 10, 6.5 - k / 20, 5.0 + k / 10, base - k, k + 1])
    rows += [[], ["", "Min", 6.3, 6.15, 5.0, base - len(provinces) + 1, None], []]
    rows.append(["", provinces[2], 6.8, 6.4, 5.3, base - 2, 3])  # a profile of one province, one value off
    return rows
