"""Rules that tell a figure from other numbers in report text (no context, no files).

What counts as a figure, what does not (dates, years, document numbers, ordinals, slogans, durations,
the "63 tỉnh" scope phrase, dangling numbers), each with the rule name `explain` reports; the
indicator cue table; the provinces named in a text. See analysis.extract.figures for how a figure gets
its indicator, province and year, and analysis.extract.core for the overview.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache

from analysis import config
from analysis.errors import AnalysisError
from analysis.numbers import QUALIFIER_WORDS


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
    if unicodedata.is_normalized("NFC", raw):
        return raw, list(range(len(raw) + 1))  # the usual case: offsets are the text's own
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
    ("ordinal", re.compile(r"\b(?:thứ|lần thứ|khóa|khoá|kỳ|kì|lớp|tầng|phòng)\s+\d+", re.I)),
    ("time", re.compile(r"(?<![\d.,/:])(?:[01]?\d|2[0-3])\s*(?::|h|giờ)\s*[0-5]\d(?!\d)", re.I)),
    # "Sáng 17-4", "(17-4)": a day and month with a dash, no year; not a range of figures ("3-5%")
    (
        "date",
        re.compile(
            r"(?<![\d.,/\-])(?:0?[1-9]|[12]\d|3[01])-(?:0?[1-9]|1[0-2])(?![\d/\-]|\s*(?:%|phần trăm))"
        ),
    ),
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
_PROVINCE_LEADS = frozenset(
    {"Tại", "Tỉnh", "Thành", "TP", "TP.", "Tp.", "Ở", "Với", "Của", "Trong", "Và", "Cùng"}
)
_SENTENCE_END = re.compile(r"[.!?…]+(?=\s|$)|\n")
_CLAUSE_END = re.compile(r"[.!?…;:()\n]")


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
        if word[:1].isupper() and word not in _PROVINCE_LEADS and not re.search(r"[.,:;!?]$", word):
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


Runs = list[tuple[list[int], list[int], str]]


def _span_runs(text: str) -> Runs:
    """Per not-a-figure pattern, in order: the sorted starts and ends of its matches, and its rule."""
    runs = []
    for rule, pattern in _NOT_FIGURES:
        matches = [(m.start(), m.end()) for m in pattern.finditer(text)]
        runs.append(([a for a, _ in matches], [b for _, b in matches], rule))
    return runs


def _spans(text: str, runs: Runs | None = None) -> list[tuple[int, int, str]]:
    """Every not-a-figure span (start, end, rule), pattern by pattern."""
    runs = _span_runs(text) if runs is None else runs
    return [(a, b, rule) for starts, ends, rule in runs for a, b in zip(starts, ends, strict=True)]


def _blocked(pos: int, runs: Runs) -> str:
    """The rule of the first pattern (in _NOT_FIGURES order) with a span covering `pos`, or "".

    A pattern's matches never overlap, so one bisection per pattern finds the only candidate.
    """
    for starts, ends, rule in runs:
        k = bisect_right(starts, pos) - 1
        if k >= 0 and pos < ends[k]:
            return rule
    return ""


def _is_sentence_start(text: str, pos: int) -> bool:
    """Nothing but blanks, quotes or an opening bracket between `pos` and the previous sentence's end."""
    i = pos
    while i > 0 and text[i - 1] in ' \t“"‘(':
        i -= 1
    return i == 0 or text[i - 1] in ".!?…:;\n"


def _overlaps(a: int, b: int, starts: list[int], ends: list[int]) -> bool:
    """Whether [a, b) overlaps one of the sorted, disjoint intervals (starts[k], ends[k])."""
    k = bisect_left(starts, b) - 1  # the last interval starting before b has the largest end
    return k >= 0 and ends[k] > a


def _scan(text: str, runs: Runs | None = None) -> tuple[list[_Found], list[Skip]]:
    """All figure spans (sorted) and all skipped numbers with their rule.

    Ranks are taken first, then "N ... /100 dân", then every other number; each pattern's matches
    never overlap one another, so each later pattern is checked only against the earlier ones' spans.
    """
    runs = _span_runs(text) if runs is None else runs
    found: list[_Found] = []
    skips: list[Skip] = []
    for m in _RANK.finditer(text):
        a, b = m.start("num"), (m.end("den") if m.group("den") else m.end("num"))
        found.append(_Found(a, b, "", "rank"))
    starts, ends = [f.start for f in found], [f.end for f in found]
    for m in _PER_100.finditer(text):
        if not _overlaps(m.start(), m.end(), starts, ends) and not _blocked(m.start(), runs):
            found.append(_Found(m.start(), m.end(), "", ""))
    taken = sorted((f.start, f.end) for f in found)
    starts, ends = [s for s, _ in taken], [e for _, e in taken]
    for m in _FIGURE.finditer(text):
        a, b = m.start(), m.end()
        if _overlaps(a, b, starts, ends):
            continue
        rule = _blocked(a, runs)
        if not rule and not m.group("unit") and not m.group("den"):
            rule = _bare_number_rule(text, a, b)
        if rule:
            skips.append(Skip(a, b, m.group(0), rule))
            continue
        found.append(_Found(a, b, "", ""))
    for f in found:
        q = _QUALIFIER_TAIL.search(text, max(0, f.start - 40), f.start)
        f.qualifier_text = q.group(0) if q else ""
    found.sort(key=lambda f: f.start)
    return found, skips


_DANGLING = re.compile(r"\s*(?:[.;:,)!?…]|$)")


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
    if _DANGLING.match(text, end) and not _COPULA.search(text, max(0, start - 20), start):
        return "nothing_counted"
    return ""


def explain(text: str) -> list[Skip]:
    """Numbers in `text` that are not taken as figures, each with the rule that dropped it."""
    norm, where = _nfc_with_map(text)
    _, skips = _scan(norm)
    return [Skip(where[s.start], where[s.end], text[where[s.start] : where[s.end]], s.rule) for s in skips]
