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
from analysis.errors import InputFileError, UnknownIndicatorError

REPORT_FILE = re.compile(r"(?P<stem>[\w.-]+)\.txt\b")
PER_ROW = "each row's source column"  # what a many-source sheet's sidecar says in place of a URL
REGISTER_COLUMNS = ("url", "site", "publisher", "title", "title_lang", "published", "checked", "original_url")
OPTIONAL_COLUMNS = ("original_url",)  # a register without it has no copy with a known original


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

    def title_text(self, lang: str = "en") -> str:
        """The title as the reader sees it: an article's own title quoted as written (marked when in
        the other language); a descriptive title of ours in the reader's language."""
        return quoted(self.title, self.title_lang, lang) if self.title_lang else localise(self.title, lang)

    def date_text(self, lang: str = "en") -> str:
        """An article's date reads as its publication date ("published 2024-08"); a sheet's as given."""
        return published(self.date, lang) if self.article else localise(self.date, lang)

    def copy_text(self, lang: str = "en") -> str:
        """ "a copy on vietnam.vn" for an article read on a republishing site; "" otherwise."""
        if not self.copy_host:
            return ""
        key = "copy_on" if self.publisher != self.copy_host else "copy_on_unnamed"
        return _words()[key][lang].format(host=self.copy_host)

    def text(self, lang: str = "en") -> str:
        """One line: publisher, title, date, in the reader's language (the address is given separately);
        an article's copy says so, with the original's address where the register holds it."""
        parts = (
            localise(self.publisher, lang),
            self.title_text(lang),
            self.date_text(lang),
            self.copy_text(lang),
        )
        out = ", ".join(p for p in parts if p)
        if self.copy_host and self.original_url:
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
        """What the original's address is, beside the copy's: an article's original ("bản gốc"), or ""
        for a copy of a publisher's table (the notes' own words say that)."""
        return _words()["original"][lang] if self.copy_host and self.is_copy else ""


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


def _site(url: str) -> str:
    host = urlparse(url).hostname or ""
    return host.removeprefix("www.").removeprefix("m.").removeprefix("lite.")


def _is_url(text: str) -> bool:
    return text.strip().lower().startswith(("http://", "https://"))


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError):
        return {}


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
            publisher = str(sheet.get("publisher", ""))
            if _is_url(source):
                title, url = str(sheet.get("title", "")), source
            else:  # the row names its publication ("VCCI, Provincial Competitiveness Index 2013")
                title = source.removeprefix(publisher).lstrip(" ,") or str(sheet.get("title", ""))
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


def read_register(path: Path) -> dict[str, dict]:
    """The register of per-row sources (address → publisher, title, title_lang, published, checked);
    {} when the raw folder has none. A register that cannot be read is an error naming the file."""
    if not path.is_file():
        return {}
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            need = [c for c in REGISTER_COLUMNS if c not in OPTIONAL_COLUMNS]
            missing = [c for c in need if c not in (reader.fieldnames or ())]
            if missing:
                raise InputFileError(path, f"the register lacks the column(s) {', '.join(missing)}")
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputFileError(path, f"cannot read the register of sources: {exc}") from exc
    out: dict[str, dict] = {}
    for n, row in enumerate(rows, start=2):
        url = (row.get("url") or "").strip()
        if not _is_url(url):
            raise InputFileError(path, f"row {n}: {url!r} is not an address")
        if bool((row.get("title") or "").strip()) != bool((row.get("title_lang") or "").strip()):
            raise InputFileError(path, f"row {n}: a title needs its language (title_lang), and only a title")
        original = (row.get("original_url") or "").strip()
        if original and not _is_url(original):
            raise InputFileError(path, f"row {n}: original_url {original!r} is not an address")
        out[url] = {k: (v or "").strip() for k, v in row.items() if k}
    return out


@cache
def _known_sources() -> tuple[dict[str, str], ...]:
    """Addresses of publishers' tables that many-source sheets cite row by row (data file), longest first;
    a copy elsewhere names the publisher's own site (`original_url`), the notes then give both addresses."""
    with (config.PACKAGE_DATA / "source_publishers.csv").open(encoding="utf-8", newline="") as fh:
        return tuple(sorted(csv.DictReader(fh), key=lambda r: -len(r["prefix"])))


@cache
def _mirror_hosts() -> frozenset[str]:
    """Sites that republish other outlets' articles (data file): a page there is cited as a copy."""
    with (config.PACKAGE_DATA / "mirror_hosts.csv").open(encoding="utf-8", newline="") as fh:
        return frozenset(r["host"].strip().removeprefix("www.") for r in csv.DictReader(fh))


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
    sites = {(urlparse(u).scheme, urlparse(u).hostname) for u in urls}
    if len(sites) == 1:
        scheme, host = sites.pop()
        return f"{scheme}://{host}/"
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
    copy_label: str = ""  # what `original_url` is when the line cites an article's copy ("the original")


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
        lines.append(
            SourceLine(text, url, original, g.get("quote", ""), g.get("title_lang", ""), cited, label_of)
        )
    return lines
