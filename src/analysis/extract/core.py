"""Figures from report texts, for an analyst to review (`analysis extract`, then `analysis accept`).

Rule-based on purpose: every number the extractor keeps or drops has a named reason (see `explain`),
so a reviewer can see why. What counts as a figure: a numeral that says how many, what share, how
much money, what score or what rank. What does not (never in the output):

- dates (`31/01/2024`, `ngày 22/12/2024`, `tháng 6/2024`, `2025-12-18`) and years (`năm 2024`,
  `2021 - 2025`): a bare four-digit 19xx/20xx is a year, because reports write counts of that size
  with a thousands dot (`2.024`);
- document numbers and names that contain numbers (`87/KH-UBND`, `57-NQ/TW`, `Nghị quyết số 18`,
  `Đề án 06`, a number right after a capitalised word as in `Tổ Công tác ... 30`);
- ordinals (`phiên họp thứ 9`), except ranks (`xếp thứ 5`, `đứng thứ 12/63`), which are figures;
- slogans: numbers inside a short quotation (`"5 rõ"`, `"3 tăng, 2 giảm, 2 không"`) or in a chain
  like `5-4-3-2-1`;
- durations (`02 năm`, `6 tháng`, `15 ngày`): how long something took is not an indicator value;
- the scope phrase `63 tỉnh` / `34 tỉnh` (it says "the whole country", it counts nothing);
- a bare integer followed by punctuation with nothing it counts (`... Chính phủ 30.`).

The `text` of a figure is the number with the marks that change its meaning (`%`, scale word,
currency, `/Y`, `/100 dân`) and never the qualifier word before it: "trên 80%" gives text `80%`,
qualifier `over`. `start`/`end` are offsets into the file's own text (`text == file[start:end]`).
Units: `%` → percent, currency → vnd, `/100 dân` → per_100, `điểm` or a decimal with no unit →
score, `xếp/đứng thứ N[/M]` → rank, anything else counts what follows it → count.

Around each figure: `indicator` from data/indicator_cues.csv (cue words in the figure's own clause,
cut at the neighbouring figures, and a unit that fits); `province` empty for national figures (a
national cue nearer than a local one, or a count of localities), else the province named nearest
in the sentence, else the report's province; `year` per `_year`.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from functools import cache
from pathlib import Path

from analysis import config
from analysis.errors import AnalysisError, InputFileError, NumberParseError
from analysis.numbers import QUALIFIER_WORDS, parse_figure, read_qualifier

CANDIDATE_COLUMNS = (
    "source",
    "start",
    "end",
    "text",
    "value",
    "unit",
    "qualifier",
    "denominator",
    "indicator",
    "province",
    "year",
    "sentence",
    "accept",
)
SHEET_COLUMNS = ("province", "year", "indicator", "value", "unit", "source", "note", "qualifier")
ACCEPT_WORDS = frozenset({"yes", "y", "x", "1", "true", "có", "co", "ok"})


@dataclass(frozen=True)
class Candidate:
    """One figure found in a text, with the context an analyst needs to accept or reject it."""

    source: str
    start: int
    end: int
    text: str
    value: float
    unit: str
    qualifier: str
    denominator: float | None
    indicator: str
    province: str
    year: int | None
    sentence: str


@dataclass(frozen=True)
class Skip:
    """A number the extractor did not take, and the rule that says why."""

    start: int
    end: int
    text: str
    rule: str


# ------------------------------------------------------------------ text with NFC offsets


def _nfc_with_map(raw: str) -> tuple[str, list[int]]:
    """NFC text plus, for each of its characters, the offset in `raw` (and len(raw) at the end).

    Some reports carry decomposed tone marks; the rules match NFC text and offsets go back to raw.
    """
    out: list[str] = []
    where: list[int] = []
    i = 0
    while i < len(raw):
        j = i + 1
        while j < len(raw) and unicodedata.combining(raw[j]):
            j += 1
        chunk = unicodedata.normalize("NFC", raw[i:j])
        out.append(chunk)
        where.extend([i] * len(chunk))
        i = j
    where.append(len(raw))
    return "".join(out), where


# ------------------------------------------------------------------ what is not a figure

_Y = r"(?:19|20)\d{2}"
_CAP = r"[A-ZĐÀ-ỸÂĂÊÔƠƯ]"
_DOC_HEADS = (
    "Nghị quyết|Quyết định|Nghị định|Thông tư|Chỉ thị|Kế hoạch|Công văn|Văn bản|Đề án|Dự án|Chương trình|"
    "Luật|Thông báo|Tờ trình|Báo cáo|Kết luận|Công điện|Hướng dẫn|Decision|Resolution|Decree|Circular|"
    "Directive|Plan|Project|Programme|Program"
)
# (rule name, pattern): every match is a span no figure may start in.
_NOT_FIGURES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("date", re.compile(r"(?<![\d/])\d{4}-\d{1,2}-\d{1,2}(?![\d])")),
    ("date", re.compile(r"(?<![\d.,/])\d{1,2}([/.\-])\d{1,2}\1\d{2,4}(?![\d/])")),
    ("date", re.compile(r"\bngày\s+\d{1,2}(?:\s*[/.\-]\s*\d{1,2}(?:\s*[/.\-]\s*\d{2,4})?)?", re.I)),
    ("date", re.compile(r"\b\d{1,2}\s+tháng\s+\d{1,2}\b", re.I)),
    ("date", re.compile(rf"\btháng\s+\d{{1,2}}(?:\s*[/.\-]\s*{_Y})?(?!\d)", re.I)),
    ("date", re.compile(rf"\bquý\s+(?:\d|[IV]+)\s*[/.\-]\s*{_Y}", re.I)),
    (
        "date",
        re.compile(r"\b(?:đến|từ|trước|sau|hết|đầu|cuối|hạn)\s+(?:ngày\s+)?\d{1,2}/\d{1,2}(?![\d/])", re.I),
    ),
    ("year", re.compile(rf"(?<![\d.,/\-])(?:{_Y})(?![\d]|[.,]\d)")),
    ("doc_number", re.compile(r"(?<![\w/])\d+(?:/\d{4})?(?:[/\-][A-ZĐ][A-Za-zĐđ]*)+")),
    ("doc_number", re.compile(rf"\b(?:{_DOC_HEADS})(?:\s+số)?\s*:?\s*\d+")),
    ("doc_number", re.compile(rf"\b(?:{_DOC_HEADS.lower()})\s+số\s*:?\s*\d+", re.I)),
    ("ordinal", re.compile(r"\b(?:thứ|lần thứ|khóa|khoá|kỳ|kì)\s+\d+", re.I)),
    ("slogan", re.compile(r"[“\"‘][^”\"’\n]{1,60}[”\"’]")),
    ("slogan", re.compile(r"(?<![\d.,])\d+(?:\s*[-–]\s*\d+){2,}")),
    ("duration", re.compile(r"(?<![\w.,/])\d+\s+(?:năm|tháng|tuần|ngày|giờ|phút|quý)\b(?!\s*[/\d])", re.I)),
    ("scope", re.compile(r"(?<![\d.,/])(?:63|34)\s+tỉnh\b", re.I)),
)
_RANK_WORDS = re.compile(r"(?:xếp|đứng|hạng|vị trí|top)\s*$", re.I)

# ------------------------------------------------------------------ what is a figure

_NUM = r"\d+(?:[.,]\d+)*"
_SCALE = r"nghìn|ngàn|triệu|tỷ|tỉ"
_CUR = r"đồng|VNĐ|VND|vnđ|vnd"
_FIGURE = re.compile(
    rf"""(?<![\w/.,\-])(?P<num>{_NUM})
    (?:\s*/\s*(?P<den>{_NUM})(?![\w/\-]))?
    (?P<unit>\s*%|\s+phần\s+trăm|\s+(?:{_SCALE})(?:\s+(?:{_CUR}))?(?!\w)|\s+(?:{_CUR})(?!\w)|\s+điểm(?!\w))?""",
    re.VERBOSE,
)
_PER_100 = re.compile(rf"(?<![\w/.,\-])(?P<num>{_NUM})(?:\s+[^\W\d_]+){{1,4}}\s*/\s*100\s+(?:người\s+)?dân\b")
_RANK = re.compile(
    r"\b(?:xếp\s+hạng|xếp\s+thứ|đứng\s+thứ|xếp|đứng|hạng|vị\s+trí)\s+(?:thứ\s+)?(?P<num>\d+)(?:\s*/\s*(?P<den>\d+))?(?![\w/])",
    re.I,
)
_QUALIFIER_TAIL = re.compile(
    r"(?:\b(?:" + "|".join(sorted(map(re.escape, QUALIFIER_WORDS), key=len, reverse=True)) + r")\s+)+$", re.I
)
_COPULA = re.compile(r"\b(?:là|đạt|bằng|còn|được|gồm|tổng)\s*$", re.I)
_SENTENCE_END = re.compile(r"[.!?…]+(?=\s|$)|\n")
_CLAUSE_END = re.compile(r"[.!?…;:()\n]")

# ------------------------------------------------------------------ province, year, indicator context

_NATIONAL = re.compile(
    r"cả nước|toàn quốc|\b(?:63|34) tỉnh|các bộ|bộ, ngành|bộ ngành|các tỉnh|các địa phương|"
    r"trung ương và địa phương",
    re.I,
)
_LOCAL = re.compile(r"(?<!các )(?<!cấp )(?<!những )(?<!nhiều )(?<!số )\btỉnh\b(?!,? thành| ủy| uỷ)", re.I)
_LOCALITY_NOUN = re.compile(r"\s*(?:địa phương|tỉnh|tỉnh, thành phố|tỉnh/thành phố|tỉnh, thành)\b", re.I)
_PROVINCE_LEADS = frozenset(
    {"Tại", "Tỉnh", "Thành", "TP", "TP.", "Tp.", "Ở", "Với", "Của", "Trong", "Và", "Cùng"}
)
_YEAR_MENTIONS = (
    re.compile(rf"(?<![\d.,/])(?:{_Y})\s*[-–—]\s*(?P<y>{_Y})(?!\d)"),
    re.compile(rf"\bnăm\s+(?P<y>{_Y})(?!\d)", re.I),
    re.compile(rf"\btháng\s+\d{{1,2}}\s*[/.\-]\s*(?P<y>{_Y})(?!\d)", re.I),
    re.compile(rf"\bquý\s+(?:\d|[IV]+)\s*[/.\-]\s*(?P<y>{_Y})(?!\d)", re.I),
    re.compile(rf"(?<![\d.,/\-])(?P<y>{_Y})(?![\d]|[.,]\d|\s*[-–—]\s*{_Y})"),  # "PCI 2023"
)
_DATELINE = (
    re.compile(rf"(?P<y>{_Y})-\d{{1,2}}-\d{{1,2}}"),
    re.compile(rf"\d{{1,2}}/\d{{1,2}}/(?P<y>{_Y})"),
)
_COMPARISON = re.compile(r"(?:so với(?:\s+cùng kỳ)?|cùng kỳ)(?:\s+năm)?\s*$", re.I)
_PROGRAMMES = {
    "de_an_06": re.compile(r"đề án 06", re.I),
    "par": re.compile(r"\bcchc\b|cải cách hành chính", re.I),
}
_SOURCE_LINE = re.compile(r"^\s*(?:Nguồn tin|Nguồn)\s*:\s*(?P<src>\S.*?)\s*$", re.M | re.I)


@dataclass(frozen=True)
class Cue:
    """One row of data/indicator_cues.csv: the words that identify an indicator around a figure."""

    indicator: str
    units: frozenset[str]
    all_of: tuple[tuple[str, ...], ...]
    none_of: tuple[str, ...]
    programme: str


@cache
def cues() -> tuple[Cue, ...]:
    """The cue table, in priority order (the first row that fits wins)."""
    path = config.PACKAGE_DATA / "indicator_cues.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return tuple(
        Cue(
            indicator=r["indicator"],
            units=frozenset(r["units"].split("|")),
            all_of=tuple(tuple(a.strip() for a in g.split("|")) for g in r["all_of"].split("&") if g.strip()),
            none_of=tuple(a.strip() for a in r["none_of"].split("|") if a.strip()),
            programme=r["programme"].strip(),
        )
        for r in rows
    )


# ------------------------------------------------------------------ provinces named in a text


@cache
def _province_pattern() -> re.Pattern[str] | None:
    """Every province name (both regimes) as one pattern; None when the registry is unavailable."""
    try:
        from analysis.provinces import all_provinces
    except ImportError:  # pragma: no cover - the registry ships with the package
        return None
    names: set[str] = set()
    for regime in ("63", "34"):
        for p in all_provinces(regime):
            names.add(re.sub(r"^(?:TP\.|Thành phố|Tỉnh)\s*", "", p.name))
    variants = sorted(names, key=len, reverse=True)
    alternatives = "|".join(_tone_variants(n) for n in variants)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def _tone_variants(name: str) -> str:
    """ "Thanh Hóa" also as "Thanh Hoá" (old and new tone placement are both in use)."""
    out = re.escape(name)
    for new, old in (
        ("óa", "oá"),
        ("òa", "oà"),
        ("ỏa", "oả"),
        ("õa", "oã"),
        ("ọa", "oạ"),
        ("úy", "uý"),
        ("ùy", "uỳ"),
    ):
        out = out.replace(new, f"(?:{new}|{old})").replace(old, f"(?:{new}|{old})") if new in name else out
    return out


def _canonical(name: str) -> str:
    try:
        from analysis.provinces import resolve

        return resolve(name).province.name
    except (ImportError, AnalysisError):
        return name


def _province_mentions(text: str) -> list[tuple[int, str]]:
    """(offset, canonical name) of provinces named in the text, skipping names inside person names
    ("Nguyễn Hòa Bình"): a capitalised word right before the name must be a locative like "Tại"."""
    pattern = _province_pattern()
    if pattern is None:
        return []
    found = []
    for m in pattern.finditer(text):
        before = text[max(0, m.start() - 30) : m.start()]
        prev = re.search(r"(\S+)\s*$", before)
        word = prev.group(1) if prev else ""
        if word[:1].isupper() and word not in _PROVINCE_LEADS and not re.search(r"[.:;!?]$", word):
            continue
        found.append((m.start(), _canonical(m.group(0))))
    return found


def report_province(text: str, mentions: list[tuple[int, str]] | None = None) -> str:
    """The province a report is about: the first one named in its first lines, else the most named."""
    mentions = _province_mentions(text) if mentions is None else mentions
    if not mentions:
        return ""
    head = [line for line in text.split("\n") if line.strip()][:3]
    head_end = text.find(head[-1]) + len(head[-1]) if head else 0
    early = [name for pos, name in mentions if pos < head_end]
    if early:
        return early[0]
    counts: dict[str, int] = {}
    for _, name in mentions:
        counts[name] = counts.get(name, 0) + 1
    return max(counts, key=lambda n: (counts[n], -next(p for p, m in mentions if m == n)))


# ------------------------------------------------------------------ the finder


@dataclass
class _Found:
    start: int
    end: int
    qualifier_text: str
    unit_hint: str  # "rank" for ranks, else ""
    skip: str = ""


def _spans(text: str) -> list[tuple[int, int, str]]:
    out = []
    for rule, pattern in _NOT_FIGURES:
        out.extend((m.start(), m.end(), rule) for m in pattern.finditer(text))
    return out


def _blocked(pos: int, spans: Sequence[tuple[int, int, str]]) -> str:
    for start, end, rule in spans:
        if start <= pos < end:
            return rule
    return ""


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    start = 0
    for m in _SENTENCE_END.finditer(text, 0, pos):
        start = m.end()
    m = _SENTENCE_END.search(text, pos)
    end = m.end() if m else len(text)
    return start, end


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in _CLAUSE_END.finditer(text, 0, start)), default=0)
    m = _CLAUSE_END.search(text, end)
    return left, m.start() if m else len(text)


def _is_sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(' \t“"‘(')
    return not before or before[-1] in ".!?…:;\n"


def _scan(text: str) -> tuple[list[_Found], list[Skip]]:
    """All figure spans (sorted) and all skipped numbers with their rule."""
    spans = _spans(text)
    found: list[_Found] = []
    skips: list[Skip] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in _RANK.finditer(text):
        a, b = m.start("num"), (m.end("den") if m.group("den") else m.end("num"))
        found.append(_Found(a, b, "", "rank"))
        taken.append((a, b))
    for m in _PER_100.finditer(text):
        if free(m.start(), m.end()) and not _blocked(m.start(), spans):
            found.append(_Found(m.start(), m.end(), "", ""))
            taken.append((m.start(), m.end()))
    for m in _FIGURE.finditer(text):
        a, b = m.start(), m.end()
        if not free(a, b):
            continue
        rule = _blocked(a, spans)
        if not rule and not m.group("unit") and not m.group("den"):
            rule = _bare_number_rule(text, a, b)
        if rule:
            skips.append(Skip(a, b, m.group(0), rule))
            continue
        found.append(_Found(a, b, "", ""))
        taken.append((a, b))
    for f in found:
        q = _QUALIFIER_TAIL.search(text, max(0, f.start - 40), f.start)
        f.qualifier_text = q.group(0) if q else ""
    found.sort(key=lambda f: f.start)
    return found, skips


def _bare_number_rule(text: str, start: int, end: int) -> str:
    """Rules for a number with no unit: it must not be glued to letters, be part of a name, or dangle."""
    after = text[end : end + 1]
    if after and (after.isalnum() or after == "_"):
        return "name"  # 5G, 4K: a number glued to letters names a thing
    prev = re.search(r"(\S+)\s+$", text[max(0, start - 40) : start])
    if (
        prev
        and prev.group(1)[:1].isupper()
        and not re.search(r"[,.;:)]$", prev.group(1))
        and not _is_sentence_start(text, start - len(prev.group(0)))
    ):
        return "name"  # "Chỉ thị 05", "Trường Tiểu học Hưng Dũng 2": right after a capitalised word
    if re.match(r"\s*(?:[.;:,)!?…]|$)", text[end:]) and not _COPULA.search(text, max(0, start - 20), start):
        return "nothing_counted"
    return ""


def explain(text: str) -> list[Skip]:
    """Numbers in `text` that are not taken as figures, each with the rule that dropped it."""
    norm, where = _nfc_with_map(text)
    _, skips = _scan(norm)
    return [Skip(where[s.start], where[s.end], text[where[s.start] : where[s.end]], s.rule) for s in skips]


def _programme(text: str, pos: int, sentence: tuple[int, int]) -> str:
    """The programme (Đề án 06 or CCHC) the text is speaking of at `pos`: named in the sentence
    (nearest), else the last one named before it."""
    best: tuple[int, str] | None = None
    for key, pattern in _PROGRAMMES.items():
        for m in pattern.finditer(text, sentence[0], sentence[1]):
            d = abs(m.start() - pos)
            if best is None or d < best[0]:
                best = (d, key)
    if best:
        return best[1]
    last: tuple[int, str] | None = None
    for key, pattern in _PROGRAMMES.items():
        for m in pattern.finditer(text, 0, sentence[0]):
            if last is None or m.start() > last[0]:
                last = (m.start(), key)
    return last[1] if last else ""


def _indicator(window: str, unit: str, programme: str) -> str:
    low = window.casefold()
    for cue in cues():
        if unit not in cue.units or (cue.programme and cue.programme != programme):
            continue
        if any(word in low for word in cue.none_of):
            continue
        if all(any(alt in low for alt in group) for group in cue.all_of):
            return cue.indicator
    return ""


def _year_mentions(text: str, blocked: Sequence[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """(offset, year) of each year the text speaks of; years inside full dates or documents do not count."""
    hard = [(s, e) for s, e, rule in blocked if rule in ("doc_number",)]
    dates = [(m.start(), m.end()) for p in _DATELINE for m in p.finditer(text)]
    out = []
    for pattern in _YEAR_MENTIONS:
        for m in pattern.finditer(text):
            y0 = m.start("y")
            if any(s <= y0 < e for s, e in hard + dates):
                continue
            if _COMPARISON.search(text, max(0, y0 - 25), y0):
                continue
            out.append((m.start(), int(m.group("y"))))
    return sorted(set(out))


def _year(text: str, pos: int, end: int, sentence: tuple[int, int], clause_end: int, mentions) -> int | None:
    """The year a figure speaks of: named before it in the sentence; else named right after it in
    the same clause ("100% ... năm 2025"); else the last year named before; else the dateline."""
    before = [y for p, y in mentions if sentence[0] <= p < pos]
    if before:
        return before[-1]
    after = [y for p, y in mentions if end <= p < min(clause_end, end + 40)]
    if after:
        return after[0]
    earlier = [y for p, y in mentions if p < sentence[0]]
    if earlier:
        return earlier[-1]
    for pattern in _DATELINE:
        m = pattern.search(text, 0, 400)
        if m:
            return int(m.group("y"))
    return None


def _province(text: str, f: _Found, sentence: tuple[int, int], mentions, home: str, unit: str) -> str:
    """The province of a figure: a figure about the country (national cue nearer than a local one,
    or a count of localities) gets ""; else the province named nearest in the sentence; else the
    report's own province."""
    if unit != "rank" and _LOCALITY_NOUN.match(text, f.end):
        return ""
    named = [(abs(p - f.start), name) for p, name in mentions if sentence[0] <= p < sentence[1]]
    local = [abs(m.start() - f.start) for m in _LOCAL.finditer(text, sentence[0], sentence[1])]
    local += [d for d, _ in named]
    national = (
        [] if unit == "rank" else [abs(m.start() - f.start) for m in _NATIONAL.finditer(text, *sentence)]
    )
    if national and (not local or min(national) < min(local)):
        return ""
    if named:
        return min(named)[1]
    return home


def find_figures(raw: str, source: str = "") -> list[Candidate]:
    """Every figure in one report text, in order, with indicator/province/year read from around it."""
    text, where = _nfc_with_map(raw)
    found, _ = _scan(text)
    spans = _spans(text)
    provinces = _province_mentions(text)
    home = report_province(text, provinces)
    years = _year_mentions(text, spans)
    out = []
    for i, f in enumerate(found):
        figure_text = text[f.start : f.end]
        try:
            fig = parse_figure(f.qualifier_text + figure_text)
        except NumberParseError:
            continue  # e.g. "4.0" in "công nghiệp 4.0": not a Vietnamese number
        unit = f.unit_hint or fig.unit or ("count" if float(fig.value).is_integer() else "score")
        if unit not in ("percent", "vnd", "per_100", "score", "rank"):
            unit = "count"  # a number followed by the thing it counts
        qualifier, _ = read_qualifier(f.qualifier_text + figure_text)
        sentence = _sentence_bounds(text, f.start)
        c_start, c_end = _clause_bounds(text, f.start, f.end)
        left = max(c_start, found[i - 1].end if i else 0)
        right = min(c_end, found[i + 1].start if i + 1 < len(found) else len(text))
        window = text[left : f.start] + " " + text[f.end : right]
        if unit == "rank":  # "Chỉ số PCI đạt 70 điểm, xếp thứ 3": the index is named once per sentence
            window = text[sentence[0] : sentence[1]]
        indicator = _indicator(window, unit, _programme(text, f.start, sentence))
        start, end = where[f.start], where[f.end]
        out.append(
            Candidate(
                source=source,
                start=start,
                end=end,
                text=raw[start:end],
                value=fig.value,
                unit=unit,
                qualifier=qualifier,
                denominator=fig.denominator,
                indicator=indicator,
                province=_province(text, f, sentence, provinces, home, unit),
                year=_year(text, f.start, f.end, sentence, c_end, years),
                sentence=" ".join(raw[where[sentence[0]] : where[sentence[1]]].split()),
            )
        )
    return out


# ------------------------------------------------------------------ files


def _plain(x: float | int | None) -> str:
    if x is None:
        return ""
    x = float(x)
    return str(int(x)) if x.is_integer() and abs(x) < 1e18 else repr(x)


def read_text(path: Path) -> str:
    """A report text as UTF-8 (a BOM is dropped); InputFileError when it is not UTF-8 text."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputFileError(path, f"cannot read: {exc.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(path, f"not UTF-8 text (byte {exc.start})") from None


def extract_files(files: Iterable[Path]) -> list[Candidate]:
    out: list[Candidate] = []
    for path in files:
        out.extend(find_figures(read_text(path), Path(path).name))
    return sorted(out, key=lambda c: (c.source, c.start))


def extract_to_csv(files: Sequence[Path], out: Path) -> int:
    """`analysis extract`: one CSV row per figure, `accept` left empty for the analyst."""
    rows = extract_files(files)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(CANDIDATE_COLUMNS)
        for c in rows:
            d = asdict(c)
            d.update(value=_plain(c.value), denominator=_plain(c.denominator), year=c.year or "", accept="")
            writer.writerow([d[k] for k in CANDIDATE_COLUMNS])
    print(f"{len(rows)} candidate figures from {len(files)} file(s) -> {out}", file=sys.stderr)
    return 0


# ------------------------------------------------------------------ review → figure sheet


def _read_rows(path: Path, required: Sequence[str]) -> list[dict[str, str]]:
    from analysis.clean.sheets import decode

    path = Path(path)
    try:
        text, _ = decode(path.read_bytes(), path)
    except OSError as exc:
        raise InputFileError(path, f"cannot read: {exc.strerror}") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in required if c not in header]
    if missing:
        raise InputFileError(path, f"missing column(s) {', '.join(missing)}")
    return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]


def is_accepted(mark: str) -> bool:
    return unicodedata.normalize("NFC", mark).strip().casefold() in ACCEPT_WORDS


def _key(row: dict[str, str], path: Path, n: int) -> tuple[str, int, int]:
    try:
        return row["source"], int(row["start"]), int(row["end"])
    except ValueError:
        raise InputFileError(
            path, f"row {n}: start/end {row['start']!r}/{row['end']!r} are not offsets"
        ) from None


def apply_decisions(rows: list[dict[str, str]], decisions: list[dict[str, str]], path: Path) -> list[str]:
    """Set `accept` from a decisions file (source, start, end, accept); warns of unmatched decisions."""
    by_key = {_key(r, path, i + 2): r for i, r in enumerate(rows)}
    warnings = []
    for i, d in enumerate(decisions):
        key = _key(d, path, i + 2)
        if key in by_key:
            by_key[key]["accept"] = d["accept"]
        else:
            warnings.append(f"decision for {key[0]} chars {key[1]}-{key[2]} matches no candidate")
    return warnings


def _source_label(source: str, candidates_path: Path) -> str:
    """The report's file name, plus the source line the text itself states ("Nguồn tin: ...")."""
    for folder in (candidates_path.parent, config.CORPUS_DIR, Path.cwd()):
        path = folder / source
        if path.is_file():
            try:
                m = _SOURCE_LINE.search(read_text(path))
            except InputFileError:
                break
            return f"{source} ({m.group('src')})" if m else source
    return source


@dataclass(frozen=True)
class AcceptResult:
    sheet: list[dict[str, str]]
    left_out: list[str]  # accepted rows not written, each with its reason


def accept_rows(rows: list[dict[str, str]], candidates_path: Path) -> AcceptResult:
    """Accepted candidates → figure-sheet rows; accepted rows lacking province/year/indicator, or whose
    unit is not the indicator's, are listed with the reason instead."""
    from analysis import indicators

    allowed = {c.indicator: c.units for c in cues()}
    sheet, left_out = [], []
    for row in rows:
        if not is_accepted(row.get("accept", "")):
            continue
        where = f"{row['source']} chars {row['start']}-{row['end']} ({row['text']!r})"
        missing = [c for c in ("province", "year", "indicator") if not row.get(c)]
        if missing:
            left_out.append(f"{where}: no {', '.join(missing)}")
            continue
        try:
            ind = indicators.get(row["indicator"])
        except AnalysisError as exc:
            left_out.append(f"{where}: {exc}")
            continue
        if row["unit"] != ind.unit and row["unit"] not in allowed.get(ind.key, ()):
            left_out.append(f"{where}: unit {row['unit']!r} does not fit {ind.key} ({ind.unit})")
            continue
        note = f"extracted from {row['source']} chars {row['start']}-{row['end']}"
        base = {
            "province": row["province"],
            "year": row["year"],
            "value": row["value"],
            "unit": ind.unit,
            "source": _source_label(row["source"], candidates_path),
            "qualifier": row.get("qualifier") or "exact",
        }
        sheet.append({**base, "indicator": ind.key, "note": note})
        total = ind.key.removesuffix("_done") + "_total"
        if ind.key.endswith("_done") and row.get("denominator") and total in indicators.catalogue():
            sheet.append(
                {
                    **base,
                    "indicator": total,
                    "value": row["denominator"],
                    "qualifier": "exact",
                    "note": note + " (X/Y: Y)",
                }
            )
    return AcceptResult(sheet, left_out)


def accept_to_sheet(candidates_csv: Path, out_dir: Path, decisions: Path | None = None) -> int:
    """`analysis accept`: write data/raw/figures/extracted_<stem>.csv (+ provenance sidecar) from the
    accepted rows; print what was accepted but could not be written. Non-zero only on error."""
    candidates_csv = Path(candidates_csv)
    rows = _read_rows(candidates_csv, CANDIDATE_COLUMNS)
    warnings: list[str] = []
    if decisions is not None:
        decided = _read_rows(Path(decisions), ("source", "start", "end", "accept"))
        warnings = apply_decisions(rows, decided, Path(decisions))
    result = accept_rows(rows, candidates_csv)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"extracted_{candidates_csv.stem}.csv"
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, SHEET_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(result.sheet)
    sources = sorted({r["source"] for r in rows if is_accepted(r.get("accept", ""))})
    meta = {
        "publisher": "provincial and government news portals (each row names its report)",
        "title": f"Figures extracted from report texts and accepted by an analyst ({', '.join(sources)})",
        "url": "each row's source column",
        "published": "per report",
        "accessed": date.today().isoformat(),
        "quality": "Rule-based extraction (analysis.extract), each figure reviewed and accepted by hand.",
        "locale": "intl",
    }
    out.with_name(out.stem + ".meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n")
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    for reason in result.left_out:
        print(f"accepted but not written: {reason}", file=sys.stderr)
    print(
        f"{len(result.sheet)} figure row(s) -> {out}; {len(result.left_out)} accepted row(s) not written",
        file=sys.stderr,
    )
    return 0


# ------------------------------------------------------------------ measuring against hand-read figures


@dataclass(frozen=True)
class Score:
    """Precision/recall of extracted figures against expected ones, matched on (start, end, value)."""

    expected: int
    found: int
    matched: int
    agree: dict[str, int]  # per attribute: matched figures whose attribute equals the expected one

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0


SCORED_FIELDS = ("unit", "qualifier", "denominator", "indicator", "province", "year")


def _as_text(value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, int | float):
        return _plain(value)
    try:
        return _plain(float(str(value)))
    except ValueError:
        return str(value)


def score(found: Sequence[Candidate], expected: Sequence[dict[str, str]]) -> Score:
    """Compare one text's candidates with the expected rows (columns of tests/data/extract_expected)."""
    want = {(int(r["start"]), int(r["end"]), float(r["value"])): r for r in expected}
    got = {(c.start, c.end, c.value): c for c in found}
    both = set(want) & set(got)
    agree = {
        name: sum(_as_text(getattr(got[k], name)) == _as_text(want[k][name]) for k in both)
        for name in SCORED_FIELDS
    }
    return Score(expected=len(want), found=len(got), matched=len(both), agree=agree)


__all__ = [
    "CANDIDATE_COLUMNS",
    "AcceptResult",
    "Candidate",
    "Skip",
    "accept_rows",
    "accept_to_sheet",
    "apply_decisions",
    "explain",
    "extract_files",
    "extract_to_csv",
    "find_figures",
    "is_accepted",
    "report_province",
    "score",
]
