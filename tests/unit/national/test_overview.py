"""The national overview: tables per index and year, the CSVs, and pages that open offline."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pytest

from analysis import provinces
from analysis.national import overview, overview_files

P63 = provinces.all_provinces("63")
P34 = provinces.all_provinces("34")


def _rows(
    regime: str, year: int, key: str, values: dict[str, float], source: str = "test sheet"
) -> list[dict]:
    names = {p.code: p.name for p in provinces.all_provinces(regime)}
    return [
        {
            "province_code": code,
            "province_name": names[code],
            "regime": regime,
            "year": year,
            "indicator": key,
            "value": float(v),
            "unit": "rank" if key.endswith("_rank") else "score",
            "qualifier": "exact",
            "source": source,
            "source_ref": "test.csv:row 1",
            "note": "",
        }
        for code, v in values.items()
    ]


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    """A small country of our own: PCI 2017–2018 for all 63 (ranks published in 2018), PAPI 2016 and
    2018 for 61 (no ranks, as PAPI publishes none), PAR Index 2018 for four, PCI 2025 for the 34."""
    pci18 = {p.code: 50 + (i * 5 % 63) * 0.3 for i, p in enumerate(P63)}
    order = sorted(pci18, key=lambda c: -pci18[c])
    pci17 = {c: v - (0.5 if i % 2 else -0.25) for i, (c, v) in enumerate(pci18.items())}
    papi = {p.code: 30 + (i * 11 % 61) * 0.2 for i, p in enumerate(P63[:61])}
    rows = (
        _rows("63", 2018, "pci", pci18)
        + _rows("63", 2018, "pci_rank", {c: i + 1 for i, c in enumerate(order)})
        + _rows("63", 2017, "pci", pci17)
        + _rows("63", 2018, "papi", papi)
        + _rows("63", 2016, "papi", {c: v - 1 for c, v in papi.items()})
        + _rows("63", 2018, "papi_rank", {"04": 1})  # a press "rank" PAPI itself never published
        + _rows("63", 2018, "par_index", {"01": 84.0, "22": 89.6, "48": 83.7, "87": 83.6})
        + _rows("63", 2017, "par_index", {"01": 82.5})
        + _rows("63", 2018, "par_index_rank", {"01": 2, "22": 1, "48": 3, "87": 4})
        + _rows("34", 2025, "pci", {p.code: 60 + i * 0.1 for i, p in enumerate(P34)})
        + _rows("63", 2024, "pci", {p.code: 55.0 for p in P63})
    )
    df = pd.DataFrame(rows)
    return df.astype({"year": "int64"})


def test_pci_table_is_every_province_ordered_by_rank_with_change(frame):
    t = overview.index_table(frame, 2018, "pci")
    assert len(t.rows) == 63 and t.n == 63 and t.grouped
    assert list(t.rows["rank"]) == list(range(1, 64))
    assert t.rows["rank_given"].all() and (t.rows["rank_of"] == 63).all()
    assert list(t.rows["value"]) == sorted(t.rows["value"], reverse=True)
    assert t.prev_year == 2017 and t.comparable
    row = t.rows.iloc[5]
    v17 = frame[(frame.year == 2017) & (frame.indicator == "pci") & (frame.province_code == row["code"])]
    assert row["change"] == pytest.approx(row["value"] - v17["value"].iloc[0])
    assert set(t.rows["group"]) == {1, 2, 3, 4}
    assert t.rows["group"].is_monotonic_increasing  # a better rank is never in a worse group


def test_papi_table_groups_with_computed_ranks_and_no_change_across_the_method_break(frame):
    t = overview.index_table(frame, 2018, "papi")
    assert overview.group_only(t)
    assert t.n == 61 and len(t.rows) == 63
    ranked = t.rows[t.rows["value"].notna()]
    assert not ranked["rank_given"].any()  # PAPI publishes no ranks: ours are computed
    assert (ranked["rank_of"] == 61).all()
    assert (ranked["rank"] == ranked["value"].rank(ascending=False, method="min")).all()
    assert t.prev_year == 2016 and not t.comparable
    assert t.rows["change"].isna().all()
    missing = t.rows[t.rows["value"].isna()]
    assert list(missing.index) == [61, 62], "provinces without a value come last"
    assert missing["group"].isna().all() and missing["rank"].isna().all()


def test_a_top_n_list_keeps_the_publishers_rank_of_63_and_gets_no_groups(frame):
    t = overview.index_table(frame, 2018, "par_index")
    assert t.n == 4 and not t.grouped
    top = t.rows.iloc[:4]
    assert list(top["code"]) == ["22", "01", "48", "87"]
    assert (top["rank_of"] == 63).all() and top["rank_given"].all()


def test_after_the_merger_the_34_are_listed_and_no_change_is_taken_from_the_63(frame):
    t = overview.index_table(frame, 2025, "pci")
    assert len(t.rows) == 34 and t.regime == "34"
    assert t.prev_year is None and t.rows["change"].isna().all()
    assert not t.rows["rank_given"].any()


def test_csv_has_both_names_ranks_said_plainly_and_formula_text_neutralised(frame):
    t = overview.index_table(frame, 2018, "pci")
    rows = t.rows.copy()
    rows.loc[0, "name"] = '=HYPERLINK("http://example.invalid")'  # a hostile name, as a bad sheet could carry
    hostile = overview.IndexTable(t.key, t.year, t.regime, rows, t.prev_year, t.comparable)
    data = overview.table_csv(hostile)
    assert data.startswith("\ufeff".encode())
    read = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(read) == 63
    assert read[0]["province"].startswith("'=")
    assert read[0]["rank"] == "1" and read[0]["rank_kind"] == "published" and read[0]["rank_of"] == "63"
    assert {r["province_en"] for r in read} >= {"Ha Noi", "Ho Chi Minh City"}
    assert read[1]["previous_year"] == "2017" and read[1]["change"] != ""


class _Page(HTMLParser):
    """Collects what a browser would load or follow from the page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.loads: list[str] = []
        self.links: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        a = dict(attrs)
        for name in ("src", "srcset", "data", "poster"):
            if name in a:
                self.loads.append(a[name])
        if tag == "link":
            self.loads.append(a.get("href", ""))
        elif "href" in a:
            self.links.append(a["href"])

    def handle_data(self, data):
        self.text.append(data)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture
def built(tmp_path, frame):
    """An output folder as the build leaves it: three briefings in vi (HTML + PDF), one in en."""
    cache = {}
    for lang, slug in [("vi", "ha-noi"), ("vi", "nghe-an"), ("vi", "quang-ninh"), ("en", "nghe-an")]:
        rel = f"2018/{lang}/{slug}"
        for ext in (".html", ".pdf"):
            (tmp_path / f"{rel}{ext}").parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / f"{rel}{ext}").write_text("x", encoding="utf-8")
        cache[rel] = {"year": 2018, "lang": lang, "slug": slug}
    cache["2018/en/ha-noi"] = {"year": 2018, "lang": "en", "slug": "ha-noi"}  # in the cache, not on disk
    (tmp_path / "index.html").write_text("index", encoding="utf-8")
    written = overview_files.write_overview(tmp_path, frame, [2018], cache, data_version="abc123")
    return tmp_path, written


def test_write_overview_writes_pages_per_language_and_a_csv_per_index(built):
    out, written = built
    names = sorted(p.relative_to(out).as_posix() for p in written)
    assert names == [
        "2018/en/overview.html",
        "2018/overview-papi.csv",
        "2018/overview-par_index.csv",
        "2018/overview-pci.csv",
        "2018/vi/overview.html",
    ]
    assert not list(out.rglob("*.part")), "atomic writes leave no temporary file"
    assert [d["href"] for d in overview_files.overview_links(out)] == [
        "2018/vi/overview.html",
        "2018/en/overview.html",
    ]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_overview_page_has_no_script_loads_nothing_and_every_link_exists(built, lang):
    out, _ = built
    path = out / "2018" / lang / "overview.html"
    page = _parse(path)
    assert "script" not in page.tags and page.loads == []
    assert "svg" in page.tags, "the map is inline SVG"
    for href in page.links:
        parts = urlsplit(href)
        assert not parts.scheme and not parts.netloc, f"outside link {href}"
        if parts.path:
            assert (path.parent / parts.path).resolve().exists(), href
    # briefings that exist are linked, from the table and from the map; one not on disk is not
    assert "nghe-an.html" in page.links or "../vi/nghe-an.html" in page.links
    assert not any(h.endswith("en/ha-noi.html") for h in page.links)


def test_overview_text_is_in_the_pages_language(built):
    out, _ = built
    vi = " ".join(_parse(out / "2018" / "vi" / "overview.html").text)
    en = " ".join(_parse(out / "2018" / "en" / "overview.html").text)
    assert "Toàn cảnh cả nước 2018" in vi and "Chỉ số năng lực cạnh tranh cấp tỉnh (PCI)" in vi
    assert "Thay đổi so với 2017" in vi and "Quảng Ninh" in vi
    assert "National overview 2018" in en and "Change since 2017" in en and "Quang Ninh" in en
    assert "PAPI publishes no ranks" in en
    assert "Only 4 of 63 provinces have a score or a rank in 2018" in en


def test_year_without_briefings_still_gets_a_vietnamese_overview(tmp_path, frame):
    written = overview_files.write_overview(tmp_path, frame, [2025], {})
    assert (tmp_path / "2025" / "vi" / "overview.html") in written
    text = (tmp_path / "2025" / "vi" / "overview.html").read_text(encoding="utf-8")
    assert text.count("data-code=") == 34  # the 34-province map, no tile linked
    assert '<a class="tile' not in text


def test_equal_scores_keep_the_publishers_order_and_share_changes_are_in_points(frame):
    scores = {p.code: 40.0 + i * 0.1 for i, p in enumerate(P63)}
    scores["02"] = scores["04"] = 70.35  # equal as published (rounded); VCCI ranked Hà Giang above Cao Bằng
    order = ["02", "04", *sorted((c for c in scores if c not in ("02", "04")), key=lambda c: -scores[c])]
    tie = pd.DataFrame(
        _rows("63", 2018, "pci", scores)
        + _rows("63", 2018, "pci_rank", {c: i + 1 for i, c in enumerate(order)})
    )
    t = overview.index_table(tie, 2018, "pci")
    assert list(t.rows["code"][:3]) == order[:3]
    par = overview.index_table(frame, 2018, "par_index")
    hanoi = par.rows[par.rows["code"] == "01"].iloc[0]
    assert overview.fmt(hanoi["change"], "par_index", "vi", signed=True) == "+1,50 điểm %"
    assert overview.fmt(-1.5, "par_index", "en", signed=True) == "−1.50 pp"


def test_cli_overview_writes_beside_built_briefings_and_names_a_missing_table(tmp_path, frame, capsys):
    from analysis import cli

    clean, out = tmp_path / "clean", tmp_path / "reports"
    clean.mkdir()
    frame.to_parquet(clean / "figures.parquet")
    (out / "2018" / "vi").mkdir(parents=True)
    (out / "2018" / "vi" / "nghe-an.html").write_text("x", encoding="utf-8")
    entries = {"2018/vi/nghe-an": {"year": 2018, "lang": "vi", "slug": "nghe-an"}}
    (out / ".build-cache.json").write_text(json.dumps({"version": 1, "entries": entries}), encoding="utf-8")
    assert cli.main(["overview", "--clean", str(clean), "--out", str(out)]) == 0
    page = (out / "2018" / "vi" / "overview.html").read_text(encoding="utf-8")
    assert 'href="nghe-an.html"' in page
    assert cli.main(["overview", "--clean", str(tmp_path / "none"), "--out", str(out)]) == 2
    assert "figures.parquet: missing" in capsys.readouterr().err


def test_a_top_n_table_has_no_column_of_dashes_for_groups(built):
    out, _ = built
    page = (out / "2018" / "en" / "overview.html").read_text(encoding="utf-8")
    par = page.split('id="i-par_index"')[1].split("</section>")[0]
    pci = page.split('id="i-pci"')[1].split("</section>")[0]
    assert "<th>Group</th>" not in par and "<th>Group</th>" in pci


def test_rank_only_provinces_are_listed_in_rank_order_not_as_no_data(frame):
    """PAR Index 2024 (issue #16): Hà Nội (3), Bà Rịa - Vũng Tàu (2), Cao Bằng (63) were "no data"."""
    extra = pd.DataFrame(_rows("63", 2018, "par_index_rank", {"04": 63, "77": 5}))
    t = overview.index_table(pd.concat([frame, extra], ignore_index=True), 2018, "par_index")
    ranked = t.rows[t.rows["rank"].notna()]
    assert list(ranked["rank"]) == [1, 2, 3, 4, 5, 63]
    only = ranked[ranked["value"].isna()]
    assert set(only["code"]) == {"04", "77"} and (only["rank_kind"] == "published").all()
    view = overview._view(t, "vi", set())
    assert [r["value"] for r in view["rows"] if r["rank"] in ("5", "63")] == ["—", "—"]
    assert not {m["name"] for m in view["missing"]} & {"Cao Bằng", "Bà Rịa - Vũng Tàu"}


def test_a_year_without_index_data_says_so_draws_its_provinces_and_points_back(tmp_path, frame):
    """The 2025 overview was blank (issue #16): now it says so, draws the 34 and links 2024."""
    df = frame[frame["year"] != 2025]
    overview_files.write_overview(tmp_path, df, [2025], {})
    text = (tmp_path / "2025" / "vi" / "overview.html").read_text(encoding="utf-8")
    assert "Năm 2025: chưa tìm thấy trong dữ liệu chỉ số nào được công bố cho 34 tỉnh" in text
    assert text.count("data-code=") == 34
    assert 'href="../../2024/vi/overview.html"' in text
    assert "Lập ngày:" in text


def test_every_overview_cites_its_sources_and_build_date(built):
    out, _ = built
    text = (out / "2018" / "en" / "overview.html").read_text(encoding="utf-8")
    assert "<h2>Sources</h2>" in text and "test sheet, PCI 2017–2018" in text
    assert "Built on:" in text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_bounded_rank_reads_the_same_in_the_overview_and_the_briefing(shipped_clean_dir, lang):
    """Hòa Bình, PAR Index 2023 (issue #16): the briefing said "33–62 (by score)", the overview left
    the rank blank. Both now show the rule book's bound, and the overview places it by it."""
    from analysis.briefing.core import compute, read_figures
    from analysis.briefing.fmt import short_rank

    df = read_figures(shipped_clean_dir)
    hoa_binh = provinces.resolve("Hòa Bình", 2023).province
    figure = next(f for f in compute(df, hoa_binh, 2023, lang).result("headline") if f.key == "par_index")
    assert figure.rank.bounded
    said = short_rank(figure.rank, lang)
    table = overview.index_table(df, 2023, "par_index")
    row = next(
        r
        for r in overview._view(table, lang, set())["rows"]
        if r["name"] in (hoa_binh.name, hoa_binh.name_en)
    )
    assert row["rank"] == said and said.startswith(f"{figure.rank.low}–{figure.rank.high}")
    ranked = table.rows[table.rows["rank"].notna()]
    above = ranked[ranked["rank"] < figure.rank.low]
    position = table.rows.index[table.rows["code"] == hoa_binh.code][0]
    assert position > above.index.max() and position < ranked[ranked["rank"] > figure.rank.high].index.min()
    # and its CSV gives the same bounds, not an empty rank (the review of issue 16)
    from analysis.national.overview_csv import table_frame

    got = table_frame(table).set_index("province_code").loc[hoa_binh.code]
    assert (got["rank_low"], got["rank_high"], got["rank_kind"]) == (
        figure.rank.low,
        figure.rank.high,
        "bounded",
    )


def test_a_change_smaller_than_the_shown_precision_is_not_signed_zero():
    """Issue #16 review: DTI changes of −0.0005 and +0.0001 printed "0,000" and "+0,000"."""
    for lang in ("vi", "en"):
        for tiny in (-0.0004, 0.0001):
            text = overview.fmt(tiny, "dti", lang, signed=True)
            assert "0,000" not in text and "0.000" not in text and text.startswith(("không đổi", "unchanged"))
        assert overview.fmt(0.0123, "dti", lang, signed=True).startswith("+0")


def test_pages_rendered_ahead_are_the_pages_written_and_used_only_while_still_true(tmp_path, frame):
    """The one-briefing build renders the overview while its notebook runs (`pages_ahead`), as it
    will read once the briefing is on disk; `write_overview` uses such a page only where its inputs
    came true, else renders again."""
    tables = overview.overview_tables(frame, 2018)
    ahead = overview_files.pages_ahead(tmp_path, frame, 2018, tables, ["2018/vi/nghe-an"], "v1")
    assert len(ahead) == 1  # Vietnamese only: the one briefing is Vietnamese

    def write(cache: dict, pages: dict) -> str:
        overview_files.write_overview(tmp_path, frame, [2018], cache, "v1", {2018: tables}, ahead=pages)
        return overview_files.overview_path(tmp_path, 2018, "vi").read_text(encoding="utf-8")

    page = tmp_path / "2018" / "vi" / "nghe-an.html"
    page.parent.mkdir(parents=True)
    page.write_text("x", encoding="utf-8")
    cache = {"2018/vi/nghe-an": {}}
    assert write(cache, {}) == next(iter(ahead.values()))  # the same page, rendered ahead or at the end
    marked = {key: "<!-- ahead -->" for key in ahead}
    assert write(cache, marked) == "<!-- ahead -->"  # and the page rendered ahead is the one written
    page.unlink()  # the briefing failed: its link must not appear, so the page is rendered again
    assert write(cache, marked) != "<!-- ahead -->"


def test_a_value_prints_with_the_digits_its_source_wrote_and_a_change_at_the_coarser():
    """Issue #16: the overview follows the briefings' rule (fmt.shown_precision, fmt.coarser): a PAR
    Index of 84,0 written with one decimal is not "84,00", and its change from a two-decimal 82,55
    shows one decimal; a row whose source did not say keeps the catalogue's digits."""
    now = pd.DataFrame(_rows("63", 2018, "par_index", {"01": 84.0, "22": 89.61}))
    now["precision"] = [1, pd.NA]
    before = pd.DataFrame(_rows("63", 2017, "par_index", {"01": 82.55}))
    before["precision"] = [2]
    df = pd.concat([now, before], ignore_index=True).astype({"year": "int64"})
    table = overview.index_table(df, 2018, "par_index")
    rows = {r.code: r for r in table.rows.itertuples()}
    shown = overview.fmt(rows["01"].value, "par_index", "vi", places=rows["01"].places)
    assert shown == overview.fmt(84.0, "par_index", "vi", places=1) and not shown.startswith("84,00")
    change = overview.fmt(rows["01"].change, "par_index", "vi", signed=True, places=rows["01"].change_places)
    assert change.startswith("+1,5") and "+1,45" not in change
    assert overview.fmt(rows["22"].value, "par_index", "vi", places=rows["22"].places) == overview.fmt(
        89.61, "par_index", "vi"
    )


def test_map_notes_give_whole_ranks_of_whole_bases(tmp_path, frame):
    """Issue #16 review: the PAPI map's notes read "rank 29 of 61.0 (computed)"."""
    overview_files.write_overview(tmp_path, frame, [2018], {})
    page = overview_files.overview_path(tmp_path, 2018, "vi").read_text(encoding="utf-8")
    import re

    bases = re.findall(r"hạng \d+/(\d+(?:[.,]\d+)?)", page)
    assert bases and all(b.isdigit() for b in bases), sorted(set(bases))


def test_the_computed_rank_note_says_up_to_when_published_ranks_are_shown(tmp_path):
    """Issue #16 review: the 2023 DTI note said every published rank held is shown without `*`,
    while ranks from an article of 2025 (past the rule book's year-true horizon) were computed."""
    from analysis import rulebook

    scores = {p.code: 0.5 + i / 200 for i, p in enumerate(P63)}
    df = pd.DataFrame(_rows("63", 2023, "dti", scores)).astype({"year": "int64"})
    assert rulebook.publisher_ranks("dti", 2023), "DTI publishes ranks (data/publications.csv)"
    overview_files.write_overview(tmp_path, df, [2023], {})
    page = overview_files.overview_path(tmp_path, 2023, "vi").read_text(encoding="utf-8")
    assert f"từ nguồn đăng đến hết năm {2023 + rulebook.HORIZON}" in page
