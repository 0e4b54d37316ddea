"""Copies cited as copies (issue #16 review, "Citations"): an article read on a site that republishes
other outlets' articles (`data/mirror_hosts.csv`) names the original's publisher, says where the copy
is, and gives the original's address where the register of sources holds it."""

from __future__ import annotations

import csv
import html as htmlmod
from pathlib import Path

import pandas as pd
import pytest

from analysis import config
from analysis.citations import REGISTER_COLUMNS, Citations, source_list

MIRROR = "https://www.vietnam.vn/ja/tinh-x-xep-thu-9-ve-pci"
ORIGINAL = "https://baotinhx.example.vn/tinh-x-xep-thu-9-ve-pci-post77.html"
TITLE = "Tỉnh X xếp thứ 9 về PCI"
DEMO = "https://demo1022.hasontech.vn/?p=42"


def _raw(tmp_path: Path, rows: list[dict]) -> Path:
    figures = tmp_path / "figures"
    figures.mkdir(parents=True)
    (figures / "press.meta.json").write_text(
        '{"publisher": "various", "url": "each row\'s source column", "source_quality": "press"}',
        encoding="utf-8",
    )
    (figures / "press.csv").write_text("province,year\n", encoding="utf-8")
    path = tmp_path / config.SOURCES_REGISTER
    path.parent.mkdir(parents=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=REGISTER_COLUMNS)
        writer.writeheader()
        writer.writerows([{c: r.get(c, "") for c in REGISTER_COLUMNS} for r in rows])
    return tmp_path


@pytest.fixture
def mirrored(tmp_path) -> Path:
    return _raw(
        tmp_path,
        [
            {
                "url": MIRROR,
                "site": "vietnam.vn",
                "publisher": "Báo Lào Cai",
                "title": TITLE,
                "title_lang": "vi",
                "published": "2025-05",
                "checked": "stored page",
                "original_url": ORIGINAL,
            },
            {
                "url": DEMO,
                "site": "demo1022.hasontech.vn",
                "publisher": "en.baodanang.vn",
                "checked": "stored",
            },
            {"url": "https://vietnam.vn/en/unknown-origin", "checked": "not found"},
        ],
    )


def test_an_article_on_a_republishing_site_cites_its_original_publisher_as_a_copy(mirrored) -> None:
    cit = Citations.load(mirrored).cite(MIRROR, "press.csv:row 2")
    assert cit.publisher == "Báo Lào Cai" and cit.url == MIRROR and cit.original_url == ORIGINAL
    assert cit.text("vi") == (
        f"Báo Lào Cai, “{TITLE}”, đăng 2025-05, bản sao trên vietnam.vn (bản gốc: {ORIGINAL})"
    )
    assert cit.text("en").endswith(f"published 2025-05, a copy on vietnam.vn (the original: {ORIGINAL})")
    assert cit.short("en") == "Lao Cai Newspaper, published 2025-05, a copy on vietnam.vn"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_source_list_links_the_copy_and_the_original_in_words_of_an_article(mirrored, lang) -> None:
    from analysis.briefing.sections.notes import source_items

    rows = pd.DataFrame(
        [{"source": MIRROR, "source_ref": "press.csv:row 2", "year": 2024, "indicator": "pci"}]
    )
    (line,) = source_list(rows, Citations.load(mirrored), lang)
    assert line.url == MIRROR and line.original_url == ORIGINAL
    html = source_items([line], lang)
    copy, original = (
        ("bản sao trên vietnam.vn", "bản gốc") if lang == "vi" else ("a copy on vietnam.vn", "the original")
    )
    assert copy in html and f'{original}: <a href="{ORIGINAL}">' in html
    assert "publisher's table" not in html and "bảng của nhà xuất bản" not in html  # an article, not a table


def test_a_copy_whose_original_address_is_unknown_still_says_it_is_a_copy(mirrored) -> None:
    demo = Citations.load(mirrored).cite(DEMO, "press.csv:row 3")
    assert demo.publisher == "en.baodanang.vn" and demo.original_url == ""
    assert demo.text("en") == "en.baodanang.vn, a copy on demo1022.hasontech.vn"
    unknown = Citations.load(mirrored).cite("https://vietnam.vn/en/unknown-origin", "press.csv:row 4")
    assert (
        unknown.text("en")
        == "vietnam.vn, a site republishing other outlets' articles, original not identified"
    )


def test_a_site_that_is_not_a_mirror_is_cited_as_the_publisher(mirrored) -> None:
    cit = Citations.load(mirrored).cite("https://baotinhx.example.vn/a.html", "press.csv:row 5")
    assert cit.publisher == "baotinhx.example.vn" and not cit.copy_host and "copy" not in cit.text("en")


def test_an_original_address_that_is_not_an_address_is_an_error(tmp_path) -> None:
    from analysis.errors import InputFileError

    raw = _raw(tmp_path, [{"url": MIRROR, "checked": "x", "original_url": "baolaocai.vn/post"}])
    with pytest.raises(InputFileError, match=r"row 2: original_url"):
        Citations.load(raw)


def test_the_shipped_register_cites_the_reviewers_copies_as_copies() -> None:
    """The reviewer's two cases: DTI 2024 ranks read on a demo web host (a copy crediting
    en.baodanang.vn), and a vietnam.vn/ja page copying a Báo Lào Cai article."""
    cites = Citations.load(config.RAW_DIR)
    dti = cites.cite("https://demo1022.hasontech.vn/?p=3843", "research_press.csv:row 190")
    assert dti.publisher == "en.baodanang.vn" and "a copy on demo1022.hasontech.vn" in dti.text("en")
    ja = "https://www.vietnam.vn/ja/cong-bo-chi-so-nang-luc-canh-tranh-cap-tinh-nam-2024-lao-cai-xep-thu-23"
    lao_cai = cites.cite(ja, "recent_press.csv:row 2")
    assert lao_cai.publisher == "Báo Lào Cai" and lao_cai.original_url.startswith("https://baolaocai.vn/")
    assert lao_cai.original_url in cites.articles  # the original is itself a row of the register


def test_every_shipped_page_on_a_republishing_site_is_cited_as_a_copy() -> None:
    cites = Citations.load(config.RAW_DIR)
    hosts = {
        r["host"] for r in csv.DictReader((config.PACKAGE_DATA / "mirror_hosts.csv").open(encoding="utf-8"))
    }
    on_mirrors = [u for u, r in cites.articles.items() if r["site"] in hosts]
    assert len(on_mirrors) >= 5
    for url in on_mirrors:
        cit = cites.cite(url, "research_press.csv:row 2")
        assert cit.copy_host and (
            "a copy on" in cit.text("en") or "original not identified" in cit.text("en")
        ), url


def _shipped_urls(host: str) -> set[str]:
    """Every per-row address on `host` in the shipped figure sheets."""
    urls: set[str] = set()
    for sheet in sorted(config.FIGURES_DIR.glob("*.csv")):
        frame = pd.read_csv(sheet, dtype=str, keep_default_na=False)
        if "source" in frame:
            urls |= {u for u in frame["source"] if host in u}
    return urls


def test_the_papi_report_on_a_flipbook_host_is_cited_as_a_copy_of_the_publishers_report() -> None:
    """The reviewer's case: Lào Cai, Nghệ An and Hòa Bình 2023 cited "CECODES, RTA & UNDP, PAPI 2023:
    Báo cáo PAPI 2023 (bản trực tuyến)" linking to fliphtml5.com as if the publisher had put it there.
    Every fliphtml5 address we cite names the publisher, links the copy, and gives the publisher's
    own site (papi.org.vn, the site ../shared/research names for PAPI) as the original."""
    cites = Citations.load(config.RAW_DIR)
    urls = _shipped_urls("fliphtml5.com")
    assert urls  # the check ran on the shipped rows
    for url in urls:
        cit = cites.cite(url, "research_publisher.csv:row 254", 2023)
        assert cit.publisher == "CECODES, RTA & UNDP" and cit.url == url, url
        assert cit.original_url == "https://papi.org.vn" and cit.is_copy, url


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_papi_copy_reaches_the_notes_with_both_addresses(lang) -> None:
    from analysis.briefing.sections.notes import source_items

    url = "https://fliphtml5.com/vfkvv/ipje/2023_PAPI_REPORT/103"
    rows = pd.DataFrame(
        [
            {
                "source": url,
                "source_ref": "research_publisher.csv:row 279",
                "year": 2023,
                "indicator": "papi_d6_public_service_delivery",
            }
        ]
    )
    (line,) = source_list(rows, Citations.load(config.RAW_DIR), lang)
    assert line.url == url and line.original_url == "https://papi.org.vn"
    html = source_items([line], lang)
    copy, original = ("bản sao trên", "bản gốc") if lang == "vi" else ("a copy on", "the original")
    assert f"{copy} fliphtml5.com" in htmlmod.unescape(html)
    assert f'{url}</a> ({original}: <a href="https://papi.org.vn">https://papi.org.vn</a>)' in html
