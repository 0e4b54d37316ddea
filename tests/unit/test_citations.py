"""Citations from provenance: sheet sidecars, report sidecars, per-row URLs, the condensed source list."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis import config
from analysis.citations import Citations, source_list, year_ranges


def _write(path: Path, meta: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


@pytest.fixture
def raw(tmp_path) -> Path:
    figures = tmp_path / "figures"
    _write(
        figures / "pci_tables.meta.json",
        {
            "publisher": "VCCI",
            "title": "Provincial Competitiveness Index tables",
            "url": "https://pci.example.vn/",
            "published": "2021-05-10",
            "source_quality": "publisher",
        },
    )
    (figures / "pci_tables.csv").write_text("province,year\n", encoding="utf-8")
    _write(
        figures / "press.meta.json",
        {
            "publisher": "various",
            "title": "press",
            "url": "each row's source column",
            "source_quality": "press",
        },
    )
    (figures / "press.csv").write_text("province,year\n", encoding="utf-8")
    _write(figures / "reports.meta.json", {"publisher": "portals", "url": "each row's source column"})
    (figures / "reports.csv").write_text("province,year\n", encoding="utf-8")
    _write(
        tmp_path / "reports" / "007_abc.meta.json",
        {
            "file": "007_abc.txt",
            "publisher": "Provincial portal of Hà Tĩnh",
            "title": "Hà Tĩnh reviews its reform year (news report)",
            "date": "2025-01-20",
            "url": "https://hatinh.example.vn/news/1",
            "source_quality": "press",
        },
    )
    return tmp_path


def test_a_sheet_row_cites_its_sidecar(raw) -> None:
    cit = Citations.load(raw).cite("VCCI, PCI 2019 data workbook", "pci_tables.csv:row 7")
    assert (cit.publisher, cit.title, cit.date, cit.url) == (
        "VCCI",
        "PCI 2019 data workbook",  # the row's own text names the publication more precisely
        "2021-05-10",
        "https://pci.example.vn/",
    )
    assert cit.source_quality == "publisher"


def test_a_press_row_cites_its_own_address_and_site(raw) -> None:
    url = "https://www.baotinh.example.vn/article-12.html"
    cit = Citations.load(raw).cite(url, "press.csv:row 3")
    assert cit.url == url and cit.publisher == "baotinh.example.vn" and cit.source_quality == "press"


def test_a_line_gathering_many_press_sites_names_each_site(raw) -> None:
    """Issue #16 review: "press and portals (8 sites)" named no site, so a reader could not look any
    figure up. The gathered line names every site it stands for."""
    rows = pd.DataFrame(
        [
            {"source": url, "source_ref": f"press.csv:row {n}", "year": 2023, "indicator": "pci"}
            for n, url in enumerate(
                ("https://baotinh.example.vn/a-1.html", "https://www.cong.example.gov.vn/b"), 2
            )
        ]
    )
    (line,) = source_list(rows, Citations.load(raw), "en", "press and portals ({n} sites: {sites})")
    assert line.text.startswith("press and portals (2 sites: baotinh.example.vn, cong.example.gov.vn)")


def test_a_report_figure_cites_the_report_not_the_file_name(raw) -> None:
    cit = Citations.load(raw).cite("007_abc.txt (hatinh.example.vn)", "reports.csv:row 2")
    assert cit.publisher == "Provincial portal of Hà Tĩnh"
    assert cit.date == "2025-01-20" and cit.url == "https://hatinh.example.vn/news/1"
    assert "007_abc" not in cit.text()


def test_year_ranges() -> None:
    assert year_ranges([2009, 2005, 2006, 2007, 2011, 2012]) == "2005–2007, 2009, 2011–2012"
    assert year_ranges([2024]) == "2024"


def test_source_list_condenses_by_publisher_and_index(raw) -> None:
    rows = pd.DataFrame(
        [
            {"source": "x", "source_ref": "pci_tables.csv:row 2", "year": y, "indicator": ind}
            for y in range(2005, 2019)
            for ind in ("pci", "pci_rank")
        ]
        + [
            {
                "source": "007_abc.txt",
                "source_ref": "reports.csv:row 2",
                "year": 2024,
                "indicator": "par_tasks_done",
            }
        ]
    )
    lines = source_list(rows, Citations.load(raw), lang="en")
    texts = [line.text for line in lines]
    assert "VCCI, PCI 2005–2018: Provincial Competitiveness Index tables, 2021-05-10" in texts
    assert len(lines) == 2
    report = next(line for line in lines if "Hà Tĩnh" in line.text)
    assert "2025-01-20" in report.text and report.url == "https://hatinh.example.vn/news/1"


def test_shipped_report_figures_cite_their_reports() -> None:
    cites = Citations.load(config.RAW_DIR)
    figures = pd.read_csv(config.FIGURES_DIR / "extracted_reports.csv", dtype=str)
    assert len(figures)
    for n, row in enumerate(figures.itertuples(index=False), start=2):
        cit = cites.cite(row.source, f"extracted_reports.csv:row {n}")
        assert cit.publisher and ".txt" not in cit.text(), row.source


def test_without_source_ref_the_source_names_its_sidecar(raw) -> None:
    cites = Citations.load(raw)
    by_publisher = cites.cite("VCCI, Provincial Competitiveness Index 2013")
    assert by_publisher.title == "Provincial Competitiveness Index 2013"
    assert by_publisher.url == "https://pci.example.vn/" and by_publisher.source_quality == "publisher"
    by_address = cites.cite("https://pci.example.vn/ranking?year=2020")
    assert by_address.publisher == "VCCI" and by_address.url.endswith("year=2020")
    unknown = cites.cite("https://news.example.org/a.html")
    assert unknown.publisher == "news.example.org"


def test_a_copy_of_a_publishers_table_cites_the_publisher(raw) -> None:
    cites = Citations.load(raw)
    cit = cites.cite("https://www.pcivietnam.vn/bang-chi-so-cac-tinh-thanh-viet-nam", "press.csv:row 9")
    assert cit.publisher == "VCCI" and cit.url.startswith("https://www.pcivietnam.vn/")
    other = cites.cite("https://www.baotinh.example.vn/a.html", "press.csv:row 4")
    assert other.publisher == "baotinh.example.vn"


def test_citations_speak_the_briefings_language(raw) -> None:
    """Vietnamese briefings cited "Ministry of Information and Communications", English ones
    "Cổng Thông tin điện tử tỉnh …" (issue #16): names come from data/citation_names.csv."""
    from analysis.citations import localise

    assert localise("Ministry of Information and Communications (DTI)", "vi").startswith("Bộ Thông tin")
    portal = "Cổng Thông tin điện tử tỉnh Lào Cai (laocai.gov.vn)"
    assert localise(portal, "en") == "Lao Cai provincial web portal (laocai.gov.vn)"
    assert localise(portal, "vi") == portal
    assert localise("a name we have in one language only", "vi") == "a name we have in one language only"


def test_a_copy_of_a_publishers_table_names_both_addresses(raw) -> None:
    _write(
        raw / "figures" / "papi_copy.meta.json",
        {
            "publisher": "CECODES, RTA & UNDP",
            "title": "PAPI scores (a copy)",
            "url": "https://github.com/someone/papi-copy",
            "publisher_site": "https://papi.org.vn",
            "source_quality": "publisher",
        },
    )
    (raw / "figures" / "papi_copy.csv").write_text("province,year\n", encoding="utf-8")
    cites = Citations.load(raw)
    rows = pd.DataFrame(
        [
            {
                "source": "CECODES, RTA & UNDP, PAPI 2020",
                "source_ref": "papi_copy.csv:row 2",
                "year": 2020,
                "indicator": "papi",
            }
        ]
    )
    (line,) = source_list(rows, cites, "en")
    assert line.url == "https://github.com/someone/papi-copy" and line.original_url == "https://papi.org.vn"
    from analysis.briefing.sections.notes import source_items

    html = source_items([line], "en")
    assert "a copy on github.com" in html  # the line says where the copy is …
    # … and prints both addresses: the copy's, then the publisher's own (the original)
    said = 'https://github.com/someone/papi-copy</a> (the original: <a href="https://papi.org.vn">'
    assert said in html


def test_figures_read_from_a_copy_of_the_publishers_pages_cite_the_copy_and_the_pages(raw) -> None:
    """Issue #16: the DTI scores were read from a scraped copy of the ministry's ranking pages, and the
    briefings cited only dti.gov.vn. A sheet with a copy address cites the copy, the row's own page
    as the original; rows of several years name the publisher's site once."""
    _write(
        raw / "figures" / "dti_copy.meta.json",
        {
            "publisher": "Ministry of Information and Communications (DTI)",
            "title": "DTI total scores (a copy of the ministry's table, without its ranks)",
            "url": "https://dti.gov.vn/",
            "copy_url": "https://github.com/someone/dti-copy",
            "source_quality": "secondary_complete",
        },
    )
    (raw / "figures" / "dti_copy.csv").write_text("province,year\n", encoding="utf-8")
    cites = Citations.load(raw)
    one = cites.cite("https://dti.gov.vn/xep-hang-2023", "dti_copy.csv:row 2")
    assert one.url == "https://github.com/someone/dti-copy"
    assert one.original_url == "https://dti.gov.vn/xep-hang-2023" and one.is_copy
    rows = pd.DataFrame(
        [
            {"source": f"https://dti.gov.vn/xep-hang-{y}", "source_ref": f"dti_copy.csv:row {y - 2020}",
             "year": y, "indicator": "dti"}
            for y in (2022, 2023, 2024)
        ]
    )  # fmt: skip
    (line,) = source_list(rows, cites, "en")
    assert line.url == "https://github.com/someone/dti-copy" and line.original_url == "https://dti.gov.vn/"


def test_the_cut_off_is_the_latest_read_of_any_sidecar(raw) -> None:
    _write(raw / "figures" / "late.meta.json", {"publisher": "X", "accessed": "2026-12"})
    (raw / "figures" / "late.csv").write_text("province,year\n", encoding="utf-8")
    assert Citations.load(raw).cutoff() == "2026-12"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_briefings_notes_give_each_cited_sheets_title_and_date(shipped_clean_dir, lang) -> None:
    """Sheet sources showed publisher, index, years and address only (issue #16): each line now
    gives the sheet's title and date from its sidecar, in the briefing's language."""
    import html as htmlmod

    from analysis.briefing import metrics
    from analysis.briefing.core import compute, read_figures
    from analysis.briefing.sections import notes
    from analysis.citations import localise

    df = read_figures(shipped_clean_dir)
    for name in ("Nghệ An", "Lào Cai"):
        b = compute(df, provinces_get(name), 2024, lang)
        page = htmlmod.unescape(notes.html(b.results["notes"], b.ctx))
        used = metrics.cells(df, notes.used_cells(b.ctx, b.results))
        cites = notes.citations()
        metas = [cites._sheet_of(str(s), "") for s in used["source"].unique()]
        cited = [m for m in metas if str(m.get("url", "")).startswith("http")]
        assert cited, name
        for meta in cited:
            assert localise(meta["title"], lang) in page, (name, lang, meta["title"])
            assert localise(meta["published"], lang) in page, (name, lang, meta["published"])
        if lang == "vi":
            assert "one edition per year" not in page and "provincial scores" not in page


def provinces_get(name: str):
    from analysis import provinces

    return provinces.resolve(name, 2024).province


def test_a_past_briefings_sources_name_no_later_year(shipped_clean_dir) -> None:
    """A sheet's title or date spanning later editions ("DTI 2022-2024") must not put a later year
    into a 2023 briefing's notes (the rule book's year_true)."""
    from analysis import provinces
    from analysis.briefing.core import compute, read_figures

    df = read_figures(shipped_clean_dir)
    for lang in ("vi", "en"):
        n = compute(df, provinces.resolve("Hòa Bình", 2023).province, 2023, lang).results["notes"]
        for line in (*n.sources, *n.comparison_sources):
            assert "2024" not in line.text and "2025" not in line.text, line.text


# ---------------------------------------------------------------- the register of per-row sources

REGISTER_COLUMNS = ("url", "site", "publisher", "title", "title_lang", "published", "checked")
VI_ARTICLE = "https://www.baotinh.example.vn/article-12.html"
EN_ARTICLE = "https://en.tinh.example.vn/reform-index-a-3.html"
VI_TITLE = "Tỉnh vào Top 10 chỉ số cải cách hành chính năm 2023"  # "Top" as headlines write it
EN_TITLE = "Province climbs five places in the reform index"


def _register(raw: Path, rows: list[dict]) -> None:
    import csv

    path = raw / config.SOURCES_REGISTER
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=REGISTER_COLUMNS)
        writer.writeheader()
        writer.writerows([{c: r.get(c, "") for c in REGISTER_COLUMNS} for r in rows])


@pytest.fixture
def registered(raw) -> Path:
    _register(
        raw,
        [
            {
                "url": VI_ARTICLE,
                "publisher": "Báo Nghệ An",
                "title": VI_TITLE,
                "title_lang": "vi",
                "published": "2024-04-18",
                "checked": "stored page",
            },
            {"url": EN_ARTICLE, "title": EN_TITLE, "title_lang": "en", "published": "2024-05"},
            {"url": "https://baotinh.example.vn/undated.html", "checked": "not found: no stored copy"},
        ],
    )
    return raw


def test_a_press_row_in_the_register_cites_publisher_title_and_date(registered) -> None:
    """Press rows cited "baonghean.vn, PAPI 2022" with no title or date (issue #16): the register
    gives the article's own title (kept as written, marked in the other language) and its date."""
    cites = Citations.load(registered)
    vi_article = cites.cite(VI_ARTICLE, "press.csv:row 3")
    assert vi_article.url == VI_ARTICLE and vi_article.source_quality == "press"
    assert vi_article.text("vi") == f"Báo Nghệ An, “{VI_TITLE}”, đăng 2024-04-18"
    assert vi_article.text("en") == f"Nghe An Newspaper, “{VI_TITLE}” (in Vietnamese), published 2024-04-18"
    en_article = cites.cite(EN_ARTICLE, "press.csv:row 4")
    assert en_article.text("vi") == f"en.tinh.example.vn, “{EN_TITLE}” (tiếng Anh), đăng 2024-05"
    assert en_article.text("en") == f"en.tinh.example.vn, “{EN_TITLE}”, published 2024-05"
    assert en_article.short("vi") == "en.tinh.example.vn, đăng 2024-05"


def test_a_press_row_the_register_has_nothing_for_keeps_site_and_address(registered) -> None:
    cites = Citations.load(registered)
    for url in ("https://baotinh.example.vn/undated.html", "https://other.example.vn/b.html"):
        cit = cites.cite(url, "press.csv:row 5")
        assert (cit.publisher, cit.title, cit.date, cit.url) == (url.split("/")[2], "", "", url)
        assert cit.text("vi") == cit.text("en") == url.split("/")[2]  # nothing invented


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_source_list_shows_the_title_marked_and_the_audit_passes_it(registered, lang) -> None:
    """An English title in a Vietnamese briefing (and a Vietnamese one in an English briefing) is a
    <cite> in its own language, marked in words; the audit's language rule skips it, and only it."""
    from analysis.briefing.sections.notes import source_items
    from analysis.national import audit

    rows = pd.DataFrame(
        [
            {"source": VI_ARTICLE, "source_ref": "press.csv:row 3", "year": 2023, "indicator": "par_index"},
            {"source": EN_ARTICLE, "source_ref": "press.csv:row 4", "year": 2023, "indicator": "sipas"},
        ]
    )
    lines = source_list(rows, Citations.load(registered), lang)
    assert {line.url for line in lines} == {VI_ARTICLE, EN_ARTICLE}
    html = source_items(lines, lang)
    other, mark = (EN_TITLE, "(tiếng Anh)") if lang == "vi" else (VI_TITLE, "(in Vietnamese)")
    own = VI_TITLE if lang == "vi" else EN_TITLE
    other_lang = "en" if lang == "vi" else "vi"
    assert f'<cite lang="{other_lang}">“{other}”</cite> {mark}' in html
    assert f'<cite lang="{lang}">“{own}”</cite>,' in html  # a title in the reader's language: no mark
    assert ("đăng 2024-04-18" if lang == "vi" else "published 2024-04-18") in html
    assert not list(audit.check_language([html], lang))
    # the same words unmarked are caught: the rule skips the marked title, not the language
    assert list(audit.check_language([html.replace(f' lang="{other_lang}"', "")], lang))


def test_a_register_that_cannot_be_read_is_an_error_naming_it(raw) -> None:
    from analysis.errors import InputFileError

    _register(raw, [{"url": VI_ARTICLE, "title": VI_TITLE}])  # a title without its language
    with pytest.raises(InputFileError, match=r"sources\.csv.*title_lang"):
        Citations.load(raw)
    (raw / config.SOURCES_REGISTER).write_text("url,title\nhttps://a.example.vn/x,X\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="lacks the column"):
        Citations.load(raw)
