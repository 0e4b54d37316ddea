"""Citations from provenance: a clean row's `source` and `source_ref` → publisher, title, date, address.

Every figure sheet has a sidecar (`data/raw/figures/<sheet>.meta.json`); a figure extracted from a
report text also has the text's own sidecar (`data/raw/reports/<text stem>.meta.json`: the source
site, publisher, date, a title), so a briefing cites the article, not our internal file name. Rows
whose sheet gathers many sources (the research sheets) cite the row's own URL, its site as the
publisher, with the article's own title and date where the register of those addresses
(`data/raw/sources/sources.csv`, kept by hand from stored copies of the pages) records them: the
title stays as written, in quotes, marked when its language is not the reader's. A page on a site
that republishes other outlets' articles (`data/mirror_hosts.csv`: vietnam.vn, …) is cited as a copy:
the original's publisher (the register's), "a copy on <site>", and the original's address where the
register holds it (its `original_url`), never as if the copying site had published it. `source_list`
condenses a briefing's citations into one line per publisher and index ("VCCI, PCI 2005–2020"),
the notes section's source list.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from analysis import config
from analysis.citation_register import REGISTER_COLUMNS, read_register  # noqa: F401 (their home for callers)
from analysis.citation_register import is_url as _is_url
from analysis.citation_register import known_sources as _known_sources
from analysis.citation_register import mirror_hosts as _mirror_hosts
from analysis.citation_register import site as _site
from analysis.errors import UnknownIndicatorError

REPORT_FILE = re.compile(r"(?P<stem>[\w.-]+)\.txt\b")
PER_ROW = "each row's source column"  # what a many-source sheet's sidecar says in place of a URL


@dataclass(frozen=True)
class Citation:
    """Where a figure was published, as far as its provenance tells."""

    publisher: str
    title: str = ""
    date: str = ""  # ISO date, a year, or "" when the source states none
    url: str = ""  # "" when the address is unknown
    source_quality: str = ""

    original_url: str = ""  # the publisher's own site, when `url` is a copy of its table elsewhere
    sheet_title: str = ""  # the title of the sheet the row comes from (a per-row title varies by year)
    title_lang: str = ""  # the language of an article's own title (from the register); "" otherwise
    article: bool = False  # title and date are the article's own (the register's), not a sheet's
    copy_host: str = ""  # the site republishing another outlet's article (`url` is its copy there)
    date_kind: str = ""  # what `date` is when not the publication's ("meeting": the event it reports)
    url_kind: str = ""  # what `url` is when not the page's own ("home_page": the site's home page)
    stored: str = ""  # the id of our stored copy of a report text ("003"), for a reviewer to ask for
    accessed: str = ""  # when that copy was read

    def title_text(self, lang: str = "en") -> str:
        """The title as the reader sees it: an article's own title quoted as written (marked when in
        the other language); a descriptive title of ours in the reader's language."""
        return quoted(self.title, self.title_lang, lang) if self.title_lang else localise(self.title, lang)

    def date_text(self, lang: str = "en") -> str:
        """An article's date reads as its publication date ("published 2024-08"); a date that is not
        the publication's says what it is ("meeting date 2025-01-15"); a sheet's as given."""
        if self.date and self.date_kind:
            return _words()[f"date_{self.date_kind}"][lang].format(date=self.date)
        return published(self.date, lang) if self.article else localise(self.date, lang)

    def copy_text(self, lang: str = "en") -> str:
        """ "a copy on vietnam.vn" for an article read on a republishing site, "a copy on github.com"
        for a publisher's table read elsewhere; "" otherwise."""
        if self.copy_host:
            key = "copy_on" if self.publisher != self.copy_host else "copy_on_unnamed"
            return _words()[key][lang].format(host=self.copy_host)
        return _words()["copy_on"][lang].format(host=_site(self.url)) if self.is_copy else ""

    def url_note(self, lang: str = "en") -> str:
        """ "portal home page" when the address is only the site's home page; "" otherwise."""
        return _words()[self.url_kind][lang] if self.url and self.url_kind else ""

    def stored_text(self, lang: str = "en") -> str:
        """ "stored text no. 003, read 2026-12" for a report whose own address we do not hold; "" else."""
        if not self.stored or (self.url and not self.url_kind):
            return ""
        said = _words()["stored_text"][lang].format(id=self.stored)
        return f"{said}, {_words()['read_on'][lang].format(date=self.accessed)}" if self.accessed else said

    def text(self, lang: str = "en") -> str:
        """One line: publisher, title, date, in the reader's language (the address is given separately);
        a copy says so, with the original's address; an address that is only a home page says so; a
        report without its own address names our stored copy of it."""
        parts = (
            localise(self.publisher, lang),
            self.title_text(lang),
            self.date_text(lang),
            self.copy_text(lang),
            self.url_note(lang),
            self.stored_text(lang),
        )
        out = ", ".join(p for p in parts if p)
        if self.is_copy:
            out += f" ({_words()['original'][lang]}: {self.original_url})"
        return out

    def short(self, lang: str = "en") -> str:
        """Publisher and date only, for a table cell (the notes give the full citation); a copy says so."""
        parts = (localise(self.publisher, lang), self.date_text(lang), self.copy_text(lang))
        return ", ".join(p for p in parts if p)

    @property
    def is_copy(self) -> bool:
        return bool(self.original_url) and _site(self.original_url) != _site(self.url)

    def copy_label(self, lang: str = "en") -> str:
        """What the original's address is, beside the copy's ("bản gốc" / "the original"); "" if no copy."""
        return _words()["original"][lang] if self.is_copy else ""


@cache
def _names() -> dict[str, dict[str, str]]:
    """Publishers' and titles' names in each language (data/citation_names.csv: text, vi, en)."""
    with (config.PACKAGE_DATA / "citation_names.csv").open(encoding="utf-8", newline="") as fh:
        return {r["text"]: {"vi": r["vi"], "en": r["en"]} for r in csv.DictReader(fh)}


def localise(text: str, lang: str) -> str:
    """A publisher's or title's name in the reader's language; as written when we have no other."""
    return _names().get(text, {}).get(lang) or text


@cache
def _words() -> dict[str, dict[str, str]]:
    """The citation's own words in each language (data/citation_words.csv: key, vi, en)."""
    with (config.PACKAGE_DATA / "citation_words.csv").open(encoding="utf-8", newline="") as fh:
        return {r["key"]: {"vi": r["vi"], "en": r["en"]} for r in csv.DictReader(fh)}


def word(key: str, lang: str) -> str:
    """One of the citation's own words (data/citation_words.csv) in the reader's language."""
    return _words()[key][lang]


def quoted(title: str, title_lang: str, lang: str) -> str:
    """An article's title as written, in quotes; "(in Vietnamese)" / "(tiếng Anh)" after it when its
    language is not the reader's (a language without a name in the data file shows its code)."""
    if not title:
        return ""
    if title_lang == lang:
        return f"“{title}”"
    name = _words().get(f"in_lang_{title_lang}", {}).get(lang) or title_lang
    return f"“{title}” ({name})"


def published(date: str, lang: str) -> str:
    """An article's publication date, said as one ("đăng 2024-08"), so it never reads as a figure's year."""
    return _words()["published"][lang].format(date=date) if date else ""


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError):
        return {}


def _publisher_of(sheet: dict, year: int | None) -> str:
    """The sheet's publisher, or the year's where the publisher changed over the years (a sidecar's
    `publisher_by_year`: DTI 2022-2023 by the Ministry of Information and Communications, DTI 2024 by
    the Ministry of Science and Technology, which took it over in 2025)."""
    by_year = sheet.get("publisher_by_year") or {}
    return str(by_year.get(str(int(year)), "") if year is not None else "") or str(sheet.get("publisher", ""))


class Citations:
    """The sidecars of one raw folder, read once; `cite` answers per clean row."""

    def __init__(
        self, sheets: dict[str, dict], reports: dict[str, dict], articles: dict[str, dict] | None = None
    ):
        self.sheets = sheets  # sheet file name → its sidecar
        self.reports = reports  # report text stem → its sidecar
        self.articles = articles or {}  # a per-row source's address → its register row

    @classmethod
    def load(cls, raw_dir: Path | None = None) -> Citations:
        """Read every sheet sidecar (figures/, official/) and report sidecar (reports/) under raw_dir."""
        raw = Path(raw_dir or config.RAW_DIR)
        sheets: dict[str, dict] = {}
        for folder in (raw / "figures", raw / "official"):
            for meta in sorted(folder.glob("*.meta.json")) if folder.is_dir() else []:
                stem = meta.name.removesuffix(".meta.json")
                for sheet in folder.glob(f"{stem}.*"):
                    if sheet.name != meta.name:
                        sheets[sheet.name] = _read_json(meta)
        reports = {}
        if (raw / "reports").is_dir():
            for meta in sorted((raw / "reports").glob("*.meta.json")):
                reports[meta.name.removesuffix(".meta.json")] = _read_json(meta)
        return cls(sheets, reports, read_register(raw / config.SOURCES_REGISTER))

    def cutoff(self) -> str:
        """The data's cut-off: the latest date a sidecar says its source was read ("" if none says)."""
        dates = [str(m.get("accessed", "")) for m in [*self.sheets.values(), *self.reports.values()]]
        return max((d for d in dates if d[:4].isdigit()), default="")

    def _sheet_of(self, source: str, source_ref: str, year: int | None = None) -> dict:
        """The sidecar of the row's sheet: by its source_ref, else by the sidecar its source names.

        A briefing may hold only `source` (not `source_ref`): a sheet's own address (a URL prefix)
        or its publisher (the text's start) then tells which sidecar it is, among those holding the
        row's year (a sidecar's `rows_per_year`, when it gives one).
        """
        sheet = self.sheets.get(str(source_ref or "").split(":", 1)[0])
        if sheet is not None:
            return sheet
        best: tuple[int, dict] = (0, {})
        for meta in self.sheets.values():
            held = meta.get("rows_per_year") or {}
            if year is not None and held and str(int(year)) not in held:
                continue
            url, publisher = str(meta.get("url", "")), str(meta.get("publisher", ""))
            for key in (url if _is_url(url) else "", publisher):
                if key and source.startswith(key) and len(key) > best[0]:
                    best = (len(key), meta)
        return best[1]

    def cite(self, source: str, source_ref: str = "", year: int | None = None) -> Citation:
        """The citation of one clean row (its `source`, and its `source_ref` and `year` when at hand)."""
        source = str(source or "").strip()
        match = REPORT_FILE.search(source)
        if match and match.group("stem") in self.reports:
            rep = self.reports[match.group("stem")]
            return Citation(
                publisher=rep.get("publisher", ""),
                title=rep.get("title", ""),
                date=rep.get("date", ""),
                url=rep.get("url", ""),
                source_quality=rep.get("source_quality", "press"),
                date_kind=str(rep.get("date_kind", "")),
                url_kind=str(rep.get("url_kind", "")),
                stored=str(rep.get("file") or match.group("stem")).split("_", 1)[0],
                accessed=str(rep.get("accessed", "")),
            )
        sheet = self._sheet_of(source, source_ref, year)
        quality = str(sheet.get("source_quality", ""))
        if _is_url(source) and (not sheet or sheet.get("url") == PER_ROW):
            known = next((k for k in _known_sources() if source.startswith(k["prefix"])), None)
            if known is not None:  # a publisher's table, or a copy of it (then the publisher's own site)
                original = (known.get("original_url") or "").strip()
                return Citation(
                    known["publisher"],
                    known["title"],
                    url=source,
                    source_quality=quality,
                    original_url=original,
                )
            art = self.articles.get(source, {})  # what the register found of the article; never guessed
            mirror = _site(source) if _site(source) in _mirror_hosts() else ""
            return Citation(
                publisher=art.get("publisher") or _site(source),
                title=art.get("title", ""),
                date=art.get("published", ""),
                url=source,
                source_quality=quality or "press",
                original_url=art.get("original_url", "") if mirror else "",
                title_lang=art.get("title_lang", "") if art.get("title") else "",
                article=bool(art.get("title") or art.get("published")),
                copy_host=mirror,
            )
        if sheet:
            publisher = _publisher_of(sheet, year)
            if _is_url(source):
                title, url = str(sheet.get("title", "")), source
            else:  # the row names its publication ("VCCI, Provincial Competitiveness Index 2013")
                named = str(sheet.get("publisher", ""))
                title = source.removeprefix(named).lstrip(" ,") or str(sheet.get("title", ""))
                url = str(sheet.get("url", ""))
            original = str(sheet.get("publisher_site", ""))
            if sheet.get("copy_url"):  # the figures were read from a copy of the publisher's pages
                page = source if _is_url(source) else str(sheet.get("url", ""))
                url, original = str(sheet["copy_url"]), page
            return Citation(
                publisher=publisher,
                title=title,
                date=str(sheet.get("published", "")),
                url="" if url == PER_ROW else url,
                source_quality=quality,
                original_url=original,
                sheet_title=str(sheet.get("title", "")),
            )
        return Citation(publisher=source, url=source if _is_url(source) else "")


@cache
def _family_names() -> dict[str, dict[str, str]]:
    with (config.PACKAGE_DATA / "families.csv").open(encoding="utf-8", newline="") as fh:
        return {r["family"]: {"en": r["short_en"], "vi": r["short_vi"]} for r in csv.DictReader(fh)}


def year_ranges(years: list[int]) -> str:
    """[2005, 2006, 2007, 2009] → "2005–2007, 2009"."""
    out: list[str] = []
    ys = sorted(set(int(y) for y in years))
    start = prev = ys[0] if ys else None
    for y in [*ys[1:], None]:
        if y is not None and y == prev + 1:
            prev = y
            continue
        out.append(f"{start}" if start == prev else f"{start}–{prev}")
        start = prev = y
    return ", ".join(out)


def _common_address(urls: list[str]) -> str:
    """One address for a line: the URL when there is one, the site's root when all share a site."""
    if len(urls) == 1:
        return urls[0]
    if len({_site(u) for u in urls}) == 1:  # www.pcivietnam.vn and pcivietnam.vn are one site
        first = urlparse(urls[0])
        return f"{first.scheme}://{first.hostname}/"
    return ""


@dataclass(frozen=True)
class SourceLine:
    """One condensed line of a briefing's source list."""

    text: str  # "VCCI, PCI 2005–2020: <title>, <date>"
    url: str  # the address to link ("" when unknown, or when the line gathers several)
    original_url: str = ""  # the publisher's own site when `url` is a copy of its table
    title: str = ""  # an article's quoted title as it stands in `text` (to mark its language)
    title_lang: str = ""  # that title's language ("" when the line has no article title)
    years: str = ""  # the figures' years the line cites ("2021–2022"), not its sources' dates
    copy_label: str = ""  # what `original_url` is beside the copy's address ("the original")
    url_note: str = ""  # what `url` is when not the page's own ("portal home page")
    stored: str = ""  # our stored copy of a report text without its own address ("stored text no. 003, …")
    press: bool = False  # a line gathering press sites (their articles' addresses are in the take-away CSV)


def source_list(
    rows: pd.DataFrame, citations: Citations, lang: str = "vi", press_label: str = ""
) -> list[SourceLine]:
    """Condense the citations of these clean rows: one line per publisher, index family and source
    (a sheet's title), each naming its title and date in the reader's language.

    With `press_label` ("press and portals ({n} sites)"), press citations are gathered further: one line per
    index family under that label, with the number of sites (for the comparison sources, where
    other provinces' figures come from dozens of articles).

    Rows need `source`, `year` and `indicator` (`source_ref` when at hand). Report figures keep one
    line per report (title and date tell them apart).
    """
    from analysis import indicators

    families = _family_names()
    groups: dict[tuple[str, str, str, str], dict] = defaultdict(lambda: {"years": set(), "urls": set()})
    frame = rows if "source_ref" in rows else rows.assign(source_ref="")
    for row in frame[["source", "source_ref", "year", "indicator"]].itertuples(index=False):
        cit = citations.cite(row.source, row.source_ref, int(row.year))
        try:
            family = indicators.get(row.indicator).family
        except UnknownIndicatorError:  # an indicator the catalogue lost: cite it under its own key
            family = str(row.indicator)
        label = families.get(family, {}).get(lang, family)
        report = localise(cit.title, lang) if REPORT_FILE.search(str(row.source)) else ""
        publisher = localise(cit.publisher, lang)
        if press_label and not report and cit.source_quality == "press":
            publisher = press_label
        if report:
            title = ""
        elif cit.title_lang:  # an article's own title, quoted as written
            title = cit.title_text(lang)
        else:
            title = localise(cit.sheet_title or cit.title, lang)
        copy = cit.copy_text(lang)
        if press_label and publisher == press_label:
            title = ""  # many sites under one label: each article's title is the site's, not the line's
            copy = ""  # … and a copy is said beside its site's name
        g = groups[(publisher, "" if report else label, report, title, copy)]
        site = localise(cit.publisher, lang)
        g.setdefault("sites", set()).add(f"{site} ({cit.copy_text(lang)})" if cit.copy_host else site)
        g["years"].add(int(row.year))
        g["urls"].add(cit.url)
        g.setdefault("originals", set()).add(cit.original_url if cit.is_copy else "")
        g["copy_label"] = g.get("copy_label") or cit.copy_label(lang)
        g.setdefault("notes", set()).add(cit.url_note(lang))
        g.setdefault("stored", set()).add(cit.stored_text(lang))
        g["copy"] = copy
        g["date"] = cit.date_text(lang)
        g["title"] = title
        g["quote"] = f"“{cit.title}”" if title and cit.title_lang else ""  # to mark its language
        g["title_lang"] = cit.title_lang if g["quote"] else ""
    lines = []
    for (publisher, label, report, *_), g in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        url = _common_address(sorted(u for u in g["urls"] if u))
        if report:
            text = ", ".join(p for p in (publisher, report, g.get("date", "")) if p)
        elif press_label and publisher == press_label:
            sites = ", ".join(sorted(g["sites"]))  # the reader can find them (names already localised)
            label_n = publisher.format(n=len(g["sites"]), sites=sites)
            text = f"{label_n}, {label} {year_ranges(sorted(g['years']))}"
        else:
            text = f"{publisher}, {label} {year_ranges(sorted(g['years']))}"
            about = ", ".join(p for p in (g["title"], g.get("date", ""), g["copy"]) if p)
            text += f": {about}" if about else ""
        originals = sorted(o for o in g["originals"] if o)
        original = _common_address(originals) if originals and url else ""  # one page, or their site
        cited = "" if report else year_ranges(sorted(g["years"]))
        label_of = g["copy_label"] if original else ""
        note = next(iter(g["notes"])) if len(g["notes"]) == 1 and url else ""  # one page's, not a root's
        stored = "; ".join(sorted(x for x in g["stored"] if x))
        quote, lang_of = g.get("quote", ""), g.get("title_lang", "")
        press = bool(press_label) and publisher == press_label
        lines.append(SourceLine(text, url, original, quote, lang_of, cited, label_of, note, stored, press))
    return lines
