"""Citations a reader of the printed page can follow (issue #16 review, "Citations"): each source's
address printed as text, a copy's and its original's both; GitHub copies of publishers' tables cited as
copies with the publisher's own site; DTI's publisher by edition; a report's date said for what it is
(a meeting's), a portal's home page said to be one, and a report without an address traced to our
stored copy of its text."""

from __future__ import annotations

import csv
import html as htmlmod
import json
import re

import pytest

from analysis import config
from analysis.briefing.sections.notes import source_items
from analysis.citations import Citations, SourceLine

GITHUB_COPY = "https://github.com/owner/repo/blob/0123abc/Data/PAPI/PAPI_2016.xlsx"


def visible(markup: str) -> str:
    """The text a printed page shows: tags out (a link's address is not printed), entities unescaped."""
    return " ".join(htmlmod.unescape(re.sub(r"<[^>]+>", "", markup)).split())


@pytest.fixture(scope="module")
def shipped() -> Citations:
    return Citations.load(config.RAW_DIR)


def test_a_source_lines_address_is_printed_not_only_linked() -> None:
    url = "https://baotinh.example.vn/tin-tuc/chinh-tri/tinh-x-tang-7-bac-chi-so-pci-2022-post267904.html"
    html = source_items([SourceLine("Báo Tỉnh X, PCI 2022: đăng 2023-04-11", url)], "vi")
    assert url in visible(html)  # on paper, not only in an href
    assert f'<small class="url"><a href="{url}">{url}</a></small>' in html  # small, grey, breakable


def test_a_copy_prints_both_its_own_address_and_the_originals() -> None:
    line = SourceLine(
        "CECODES, PAPI 2016: bảng dữ liệu, bản sao trên github.com",
        GITHUB_COPY,
        "https://papi.org.vn",
        copy_label="bản gốc",
    )
    shown = visible(source_items([line], "vi"))
    assert f"{GITHUB_COPY} (bản gốc: https://papi.org.vn)" in shown


def test_the_stylesheet_wraps_a_long_address_inside_the_column() -> None:
    css = (config.PACKAGE_DIR / "templates" / "briefing.css").read_text(encoding="utf-8")
    rule = re.search(r"ul\.cchc-sources small\.url\s*\{([^}]*)\}", css)
    assert rule and "overflow-wrap: anywhere" in rule.group(1)


def _github_publishers() -> list[dict[str, str]]:
    with (config.PACKAGE_DATA / "source_publishers.csv").open(encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if r["prefix"].startswith("https://github.com/")]


@pytest.mark.parametrize("row", _github_publishers(), ids=lambda r: r["prefix"].split("/")[3])
def test_a_github_copy_of_a_publishers_table_names_the_publishers_own_site(shipped, row) -> None:
    """mdtrinh's PCI and PAPI workbooks, the GSO population table, the PCI research panel: each a copy,
    the publisher's own site beside it, "a copy on github.com" wherever it is cited."""
    assert row["original_url"].startswith("https://") and "github.com" not in row["original_url"]
    cit = shipped.cite(row["prefix"] + "table.xlsx", "research_publisher.csv:row 2", 2017)
    assert cit.is_copy and cit.original_url == row["original_url"]
    assert "bản sao trên github.com" in cit.text("vi") and "a copy on github.com" in cit.short("en")
    assert cit.text("en").endswith(f"(the original: {row['original_url']})")


def _github_sidecars() -> list[str]:
    out = []
    for meta in sorted(config.FIGURES_DIR.glob("*.meta.json")):
        m = json.loads(meta.read_text(encoding="utf-8"))
        if "github.com" in str(m.get("url", "")) + str(m.get("copy_url", "")):
            out.append(meta.name.removesuffix(".meta.json"))
    return out


@pytest.mark.parametrize("stem", _github_sidecars())
def test_a_sheet_read_from_a_github_copy_is_cited_as_a_copy(shipped, stem) -> None:
    meta = json.loads((config.FIGURES_DIR / f"{stem}.meta.json").read_text(encoding="utf-8"))
    if meta.get("url") == "each row's source column":
        pytest.skip("its rows name their own addresses (the publishers' data file cites them)")
    year = int(next(iter(meta.get("rows_per_year") or {"2018": 0})))
    cit = shipped.cite(str(meta["publisher"]), f"{stem}.csv:row 2", year)
    assert cit.is_copy and "github.com" in cit.url and "github.com" not in cit.original_url
    assert "a copy on github.com" in cit.text("en") and "bản sao trên github.com" in cit.text("vi")


@pytest.mark.parametrize(
    ("year", "said", "not_said"),
    [
        (2022, "Bộ Thông tin và Truyền thông (DTI)", "Khoa học"),
        (2023, "Bộ Thông tin và Truyền thông (DTI)", "Khoa học"),
        (2024, "Bộ Khoa học và Công nghệ (DTI)", "Thông tin và Truyền thông"),
    ],
)
def test_each_dti_edition_names_its_own_publisher(shipped, year, said, not_said) -> None:
    """DTI 2022 and 2023: the Ministry of Information and Communications; DTI 2024 (published in 2025,
    after the MIC merged into MoST on 2025-03-01): the Ministry of Science and Technology."""
    cit = shipped.cite(f"https://dti.gov.vn/xep-hang-{year}", "dti_2022_2024.csv:row 2", year)
    assert cit.text("vi").startswith(said) and not_said not in cit.text("vi")


def test_the_lao_cai_report_says_its_date_is_the_meetings_and_its_address_the_portals_home(shipped) -> None:
    cit = shipped.cite("001_75324adcf4dba789.txt")
    vi, en = cit.text("vi"), cit.text("en")
    assert "ngày họp 2025-01-15" in vi and "meeting date 2025-01-15" in en
    assert "trang chủ cổng" in vi and "home page" in en
    assert "văn bản lưu số 001, đọc 2026-11" in vi  # the article's own address is not known: our copy
    import pandas as pd

    from analysis.citations import source_list

    rows = pd.DataFrame(
        [{"source": "001_75324adcf4dba789.txt", "year": 2024, "indicator": "online_dossier_rate"}]
    )
    (line,) = source_list(rows, shipped, "en")
    shown = visible(source_items([line], "en"))
    assert "meeting date 2025-01-15" in shown
    assert (
        "https://laocai.gov.vn (the address is the portal's home page; stored text no. 001, read 2026-11)"
        in shown
    )


@pytest.mark.parametrize(
    ("stem", "read"), [("002_43868a5d5d1e1d36", "2026-11"), ("003_016e6a5699ec1371", "2026-12")]
)
def test_a_report_without_an_address_is_traced_to_our_stored_copy(shipped, stem, read) -> None:
    """Nghệ An's 2024 online figures: the text names no site, date or address; the citation names the
    stored text (its number in data/raw/reports/) and when it was read, so a reviewer can ask for it."""
    cit = shipped.cite(f"{stem}.txt")
    number = stem.split("_")[0]
    assert cit.url == "" and f"văn bản lưu số {number}, đọc {read}" in cit.text("vi")
    assert f"stored text no. {number}, read {read}" in cit.text("en")
    import pandas as pd

    from analysis.citations import source_list

    rows = pd.DataFrame([{"source": f"{stem}.txt", "year": 2024, "indicator": "online_dossier_rate"}])
    (line,) = source_list(rows, shipped, "vi")
    assert f"văn bản lưu số {number}, đọc {read}" in visible(source_items([line], "vi"))


def test_a_line_gathering_one_sites_pages_prints_that_sites_address(shipped) -> None:
    """VCCI's province pages are cited under www.pcivietnam.vn and pcivietnam.vn: one site, so the
    comparison list's VCCI line prints its address (it printed none)."""
    import pandas as pd

    from analysis.citations import source_list

    rows = pd.DataFrame(
        [
            {
                "source": "https://www.pcivietnam.vn/ho-so-tinh/pci-2021-lao-cai",
                "year": 2021,
                "indicator": "pci",
            },
            {"source": "https://pcivietnam.vn/ho-so-tinh/pci-2023-nghe-an", "year": 2023, "indicator": "pci"},
        ]
    )
    (line,) = source_list(rows, shipped, "en", "press and portals ({n} sites: {sites})")
    assert line.url == "https://pcivietnam.vn/"
    assert "https://pcivietnam.vn/" in visible(source_items([line], "en"))


def test_an_untitled_article_still_names_its_publisher(shipped) -> None:
    """Review: Hòa Bình's two English-edition articles (PAPI 2023, PAR Index 2023) printed only their
    site's name; their stored copies carry no headline or date, but the site is Báo Hòa Bình's."""
    with (config.RAW_DIR / config.SOURCES_REGISTER).open(encoding="utf-8", newline="") as fh:
        urls = [r["url"] for r in csv.DictReader(fh) if r["site"] == "en.baohoabinh.com.vn"]
    assert len(urls) == 2
    for url in urls:
        cit = shipped.cite(url, "research_press.csv:row 2", 2023)
        assert cit.text("vi").startswith("Báo Hòa Bình")
        assert cit.text("en").startswith("Hoa Binh Newspaper")
