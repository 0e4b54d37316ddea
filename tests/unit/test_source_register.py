"""The register of the press sheets' per-row sources (data/raw/sources/sources.csv): it covers every
address of those sheets and nothing else, records nothing it did not find, is never read as a figure
sheet, and its titles and dates reach the briefings' notes (issue #16, "Citations")."""

from __future__ import annotations

import csv
import html as htmlmod
import shutil

import pandas as pd
import pytest

from analysis import config
from analysis.citations import REGISTER_COLUMNS, read_register

# The sheets whose rows each name their own source address (their sidecars say so).
PER_ROW_SHEETS = (
    "research_press",
    "recent_press",
    "research_secondary",
    "recent_secondary",
    "recent_province",
)
REGISTER = config.RAW_DIR / config.SOURCES_REGISTER


def _sheet_urls() -> set[str]:
    urls: set[str] = set()
    for name in PER_ROW_SHEETS:
        frame = pd.read_csv(config.FIGURES_DIR / f"{name}.csv", dtype=str, keep_default_na=False)
        urls |= {u for u in frame["source"] if u.startswith(("http://", "https://"))}
    return urls


def _rows() -> list[dict]:
    with REGISTER.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_register_holds_every_address_of_the_sheets_and_no_other() -> None:
    rows = _rows()
    urls = [r["url"] for r in rows]
    assert len(urls) == len(set(urls)), "one row per address"
    assert set(urls) == _sheet_urls(), set(urls) ^ _sheet_urls()
    assert tuple(rows[0]) == REGISTER_COLUMNS


def test_each_row_says_how_it_was_checked_and_records_only_what_was_found() -> None:
    for r in _rows():
        assert r["checked"].strip(), r["url"]
        if not (r["title"] or r["published"] or r["publisher"]):  # nothing found: it says what was looked for
            assert r["checked"].startswith(("not found", "not an article", "stored page")), r["url"]
        if r["title"]:
            assert r["title_lang"] in ("vi", "en"), r["url"]
            assert r["title"] != r["url"].rstrip("/").rsplit("/", 1)[-1], r["url"]  # not the address slug
        # a date is a day, a month or a year, never more than the source gave
        assert (
            not r["published"] or pd.Series([r["published"]]).str.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?").item()
        ), r["url"]
    assert read_register(REGISTER)  # the loader accepts the shipped file


def test_the_clean_stage_never_reads_the_register_as_a_figure_sheet(tmp_path) -> None:
    """Figure sheets are every file in figures/; the register lives beside them, in sources/, so a
    clean of a raw folder holding both reads the sheet only and every raw row ends kept or rejected."""
    from analysis.clean.stage import gather, run_clean

    raw = tmp_path / "raw"
    (raw / "figures").mkdir(parents=True)
    for name in ("recent_press.csv", "recent_press.meta.json"):
        shutil.copy(config.FIGURES_DIR / name, raw / "figures" / name)
    (raw / config.SOURCES_REGISTER).parent.mkdir(parents=True)
    shutil.copy(REGISTER, raw / config.SOURCES_REGISTER)
    assert [item.path.name for item in gather(raw)] == ["recent_press.csv"]
    assert "sources.csv" not in {item.path.name for item in gather(config.RAW_DIR)}
    result = run_clean(raw, tmp_path / "clean", quiet=True)
    read = len(pd.read_csv(raw / "figures" / "recent_press.csv"))
    totals = result.manifest["totals"]
    assert totals["balanced"] and totals["read"] == read == totals["kept"] + totals["rejected"]
    assert [f["file"].split("/")[-1] for f in result.manifest["inputs"]] == ["recent_press.csv"]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_briefings_notes_cite_the_registers_titles_and_dates(shipped_clean_dir, lang) -> None:
    """Quảng Ninh 2020 and Hải Phòng 2023 cite press articles: each own source the register has a
    title or date for shows them, the other language's title marked, and the audit's language rule
    finds nothing in the notes."""
    from analysis import provinces
    from analysis.briefing import metrics
    from analysis.briefing.core import compute, read_figures
    from analysis.briefing.sections import notes
    from analysis.citations import published
    from analysis.national import audit

    register = read_register(REGISTER)
    df = read_figures(shipped_clean_dir)
    shown = 0
    for name, year in (("Quảng Ninh", 2020), ("Hải Phòng", 2023)):
        b = compute(df, provinces.resolve(name, year).province, year, lang)
        page = notes.html(b.results["notes"], b.ctx)
        text = htmlmod.unescape(page)
        used = metrics.cells(df, notes.used_cells(b.ctx, b.results))
        own = used[used.index.isin(metrics.own_rows(df, b.ctx.scope).index)]
        for url in set(own["source"]) & set(register):
            art = register[url]
            if art["title"]:
                assert f"“{art['title']}”" in text, (name, url)
                assert f'<cite lang="{art["title_lang"]}">' in page, (name, url)
                shown += 1
            if art["published"]:
                assert published(art["published"], lang) in text, (name, url)
        assert not list(audit.check_language([page], lang)), name
    assert shown >= 2  # the check ran on real titles


def test_a_sources_publication_date_after_the_year_is_not_a_later_figure() -> None:
    """A 2022 briefing cites a 2022 figure from an article published in 2023: the audit's year_true
    rule reads the figures' years the line cites, not the article's date; a 2023 figure is caught."""
    from types import SimpleNamespace

    from analysis.citations import SourceLine
    from analysis.national import audit

    def violations(years: str) -> list:
        line = SourceLine(
            f"Báo Nghệ An, PAR Index {years}: “Một bài báo”, đăng 2023", "https://a.example.vn/1", years=years
        )
        res = {
            "headline": [],
            "trend": pd.DataFrame({"indicator": [], "year": []}),
            "papi": [],
            "online": pd.DataFrame(),
            "notes": SimpleNamespace(sources=(line,), comparison_sources=()),
        }
        return list(audit.check_years(res, 2022))

    assert violations("2021–2022") == []
    assert [rule for rule, _ in violations("2022–2023")] == ["year_true"]


RESEARCH = config.SHARED_DIR / "research" / "figures_2021_2025.csv"


def _research_titles() -> dict[str, str]:
    """address → the title the research sheet records for it (its `source_title`), where it has one."""
    if not RESEARCH.is_file():
        pytest.skip(f"{RESEARCH} not present (shared folder absent)")
    with RESEARCH.open(encoding="utf-8", newline="") as fh:
        return {
            r["source_url"].strip(): r["source_title"].strip()
            for r in csv.DictReader(fh)
            if r["source_title"]
        }


def test_every_article_the_research_sheet_gives_a_title_has_it_in_the_register() -> None:
    """Lào Cai 2025 cited "Sở Nội vụ Yên Bái, PAR Index 2022: đăng 2023" without the title the research
    sheet records (issue #16 review): each article of the register the research names gets its title.
    A data file ("not an article") has a description there, not a title."""
    register = read_register(REGISTER)
    titled = {u: t for u, t in _research_titles().items() if u in register}
    assert titled  # the check ran
    for url in titled:
        if not register[url]["checked"].startswith("not an article"):
            assert register[url]["title"], url


def test_the_yen_bai_home_affairs_page_is_cited_with_its_recorded_title() -> None:
    from analysis.citations import Citations

    url = "https://sonoivu.yenbai.gov.vn:443/noidung/tintuc/Pages/chi-tiet-tin-tuc.aspx?ItemID=292&l=Tinhoatdong&lv=11"
    research = _research_titles()[url]
    cit = Citations.load(config.RAW_DIR).cite(url, "recent_press.csv:row 2")
    title = research.removeprefix(f"{cit.publisher}: ")  # the sheet writes "publisher: title"
    assert title != research and cit.title == title  # recorded as written there, "..." included
    assert cit.text("vi") == f"Sở Nội vụ Yên Bái, “{title}”, đăng 2023"
    assert cit.text("en").endswith(f", “{title}” (in Vietnamese), published 2023")
