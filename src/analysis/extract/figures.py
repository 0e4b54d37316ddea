"""Figures with their context: indicator, province and year read from around each number, and the
`analysis extract` command that writes them as candidates.csv for review.

Each figure's context comes from positions found once per text (sentence and clause ends, year,
programme and province mentions) and looked up by bisection, so the cost grows with the text, not
with its square.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.errors import InputFileError, NumberParseError
from analysis.extract.labels import TextLabels, near_window
from analysis.extract.rules import (
    _CLAUSE_END,
    _SENTENCE_END,
    _Y,
    Runs,
    _Found,
    _nfc_with_map,
    _province_mentions,
    _scan,
    _span_runs,
    _spans,
    cues,
    report_province,
)
from analysis.numbers import parse_figure, read_qualifier, stored_precision
from analysis.writing import atomic_write, csv_safe

CANDIDATE_COLUMNS = (
    "source",
    "start",
    "end",
    "text",
    "value",
    "unit",
    "qualifier",
    "precision",
    "denominator",
    "indicator",
    "province",
    "year",
    "period",
    "sentence",
    "accept",
)


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
    sentence: str  # shared by every figure of the sentence: one string object, never one copy each
    precision: int = 0  # digits after the separator as written
    period: str = ""  # analysis.periods form; "" when no year is known
    sentence_at: int = -1  # offset of the sentence in the file: figures with the same one share it
    excerpt: str = ""  # the figure's own neighbourhood in the sentence (at most 2 x EXCERPT_SIDE chars)


# A sentence longer than this (a table a PDF converter flattened into one line) is written in full
# once, at its first figure; its other figures show only their neighbourhood, so candidates.csv grows
# with the text, not with figures x sentence length.
LONG_SENTENCE = 600
EXCERPT_SIDE = 160


# ------------------------------------------------------------------ province, year, indicator context

_NATIONAL = re.compile(
    r"cả nước|toàn quốc|(?<![/\d])(?<!trên )\b(?:63|34) tỉnh|các bộ|bộ, ngành|bộ ngành|các tỉnh|"
    r"các địa phương|trung ương và địa phương",
    re.I,
)
_LOCAL = re.compile(r"(?<!các )(?<!cấp )(?<!những )(?<!nhiều )(?<!số )\btỉnh\b(?!,? thành| ủy| uỷ)", re.I)
_LOCALITY_NOUN = re.compile(r"\s*(?:địa phương|tỉnh|tỉnh, thành phố|tỉnh/thành phố|tỉnh, thành)\b", re.I)
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
# "tăng 21%", "giảm 3 bậc": the figure is a change on an earlier value, not the level itself.
_CHANGE_BEFORE = re.compile(
    r"(?<!cắt )(?<!rút )\b(?P<dir>tăng|giảm|tụt|mất|vượt lên|thêm)"
    r"(?:\s+(?:thêm|được|lên|xuống|đi))?\s+(?:(?:gần|hơn|trên|khoảng)\s+)?$",
    re.I,
)
_COMPARISON = re.compile(r"(?:so với(?:\s+cùng kỳ)?|cùng kỳ)(?:\s+năm)?\s*$", re.I)
_PROGRAMMES = {
    "de_an_06": re.compile(r"đề án 06", re.I),
    "par": re.compile(r"\bcchc\b|cải cách hành chính", re.I),
}


class _Context:
    """Positions found once per text (sentence and clause ends, programme, year and province
    mentions), so that each figure's context is looked up by bisection, not by rescanning the text
    before it: the cost of a text grows with its length, not its square."""

    def __init__(self, text: str, runs: Runs):
        self.text = text
        ends = [(m.start(), m.end()) for m in _SENTENCE_END.finditer(text)]
        self.sentence_starts = [a for a, _ in ends]
        self.sentence_ends = [b for _, b in ends]
        self.clause_marks = [m.start() for m in _CLAUSE_END.finditer(text)]
        programmes = sorted(
            (m.start(), k, m.end(), key)
            for k, (key, pattern) in enumerate(_PROGRAMMES.items())
            for m in pattern.finditer(text)
        )
        self.programmes = programmes
        self.programme_starts = [p[0] for p in programmes]
        self.provinces = _province_mentions(text)
        self.province_starts = [p for p, _ in self.provinces]
        self.years = _year_mentions(text, _spans(text, runs))
        self.year_starts = [p for p, _ in self.years]
        self.dateline = next(
            (int(m.group("y")) for pattern in _DATELINE if (m := pattern.search(text, 0, 400))), None
        )
        self._cues: dict[tuple[int, int], tuple[list[int], list[int]]] = {}

    def sentence(self, pos: int) -> tuple[int, int]:
        """Bounds of the sentence a figure starting at `pos` sits in (as scanning from 0 would find)."""
        text = self.text
        k = bisect_right(self.sentence_ends, pos) - 1
        start = self.sentence_ends[k] if k >= 0 else 0
        if pos and text[pos - 1] in ".!?…":
            start = pos  # punctuation right before the figure ends a sentence at the text's cut
        n = bisect_left(self.sentence_starts, pos)
        end = self.sentence_ends[n] if n < len(self.sentence_ends) else len(self.text)
        return start, end

    def clause(self, start: int, end: int) -> tuple[int, int]:
        k = bisect_left(self.clause_marks, start) - 1
        n = bisect_left(self.clause_marks, end)
        left = self.clause_marks[k] + 1 if k >= 0 else 0
        return left, self.clause_marks[n] if n < len(self.clause_marks) else len(self.text)

    def programme(self, pos: int, sentence: tuple[int, int]) -> str:
        """The programme (Đề án 06 or CCHC) the text is speaking of at `pos`: named in the sentence
        (nearest; on a tie the first in _PROGRAMMES), else the last one named before it."""
        lo = bisect_left(self.programme_starts, sentence[0])
        hi = bisect_left(self.programme_starts, sentence[1])
        inside = [(abs(a - pos), k, a, key) for a, k, b, key in self.programmes[lo:hi] if b <= sentence[1]]
        if inside:
            return min(inside)[3]
        if lo == 0:
            return ""
        last = self.programme_starts[lo - 1]
        first_at_last = bisect_left(self.programme_starts, last)
        return self.programmes[first_at_last][3]

    def year(self, pos: int, end: int, sentence: tuple[int, int], clause_end: int) -> int | None:
        """The year a figure speaks of: named before it in the sentence; else named right after it in
        the same clause ("100% ... năm 2025"); else the last year named before; else the dateline."""
        lo = bisect_left(self.year_starts, sentence[0])
        hi = bisect_left(self.year_starts, pos)
        if hi > lo:
            return self.years[hi - 1][1]
        n = bisect_left(self.year_starts, end)
        if n < len(self.years) and self.years[n][0] < min(clause_end, end + 40):
            return self.years[n][1]
        if lo:
            return self.years[lo - 1][1]
        return self.dateline

    def province(self, f: _Found, sentence: tuple[int, int], home: str, unit: str) -> str:
        """The province of a figure: a figure about the country (national cue nearer than a local one,
        or a count of localities) gets ""; else the province named nearest in the sentence; else the
        report's own province."""
        text = self.text
        if unit != "rank" and _LOCALITY_NOUN.match(text, f.end):
            return ""
        starts = self.province_starts
        lo = bisect_left(starts, sentence[0])
        hi = bisect_left(starts, sentence[1])
        d_named = _nearest(starts, f.start, lo, hi)
        if sentence not in self._cues:
            self._cues[sentence] = (
                [m.start() for m in _LOCAL.finditer(text, *sentence)],
                [m.start() for m in _NATIONAL.finditer(text, *sentence)],
            )
        local_at, national_at = self._cues[sentence]
        d_local = min((d for d in (_nearest(local_at, f.start), d_named) if d is not None), default=None)
        d_national = None if unit == "rank" else _nearest(national_at, f.start)
        if d_national is not None and (d_local is None or d_national < d_local):
            return ""
        if d_named is not None:  # the nearest named province (on a tie, the first name in order)
            return min(
                name
                for at in (f.start - d_named, f.start + d_named)
                for _, name in self.provinces[
                    bisect_left(starts, at, lo, hi) : bisect_right(starts, at, lo, hi)
                ]
            )
        return home


def _labelled(text: str, f: _Found, left: int, right: int, window: str, unit: str, programme: str) -> str:
    """The cue table's key for a figure: read first in the words between the commas around it,
    then in its whole clause (see analysis.extract.labels)."""
    if unit != "rank":
        near = _indicator(near_window(text, left, f.start, f.end, right), unit, programme)
        if near:
            return near
    return _indicator(window, unit, programme)


def _nearest(starts: Sequence[int], pos: int, lo: int = 0, hi: int | None = None) -> int | None:
    """The smallest |start - pos| over sorted starts[lo:hi] (by bisection: a long sentence with many
    mentions costs each figure log n, not n), or None when there are none."""
    hi = len(starts) if hi is None else hi
    i = bisect_left(starts, pos, lo, hi)
    gaps = ([pos - starts[i - 1]] if i > lo else []) + ([starts[i] - pos] if i < hi else [])
    return min(gaps) if gaps else None


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


def _covered(intervals: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """The union of intervals as sorted, disjoint (starts, ends), for a bisection test of a position."""
    starts: list[int] = []
    ends: list[int] = []
    for a, b in sorted(intervals):
        if starts and a <= ends[-1]:
            ends[-1] = max(ends[-1], b)
        else:
            starts.append(a)
            ends.append(b)
    return starts, ends


def _year_mentions(text: str, blocked: Sequence[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """(offset, year) of each year the text speaks of; years inside full dates or documents do not count."""
    hard = [(s, e) for s, e, rule in blocked if rule in ("doc_number",)]
    dates = [(m.start(), m.end()) for p in _DATELINE for m in p.finditer(text)]
    starts, ends = _covered(hard + dates)
    out = []
    for pattern in _YEAR_MENTIONS:
        for m in pattern.finditer(text):
            y0 = m.start("y")
            k = bisect_right(starts, y0) - 1
            if k >= 0 and y0 < ends[k]:
                continue
            if _COMPARISON.search(text, max(0, y0 - 25), y0):
                continue
            out.append((m.start(), int(m.group("y"))))
    return sorted(set(out))


def find_figures(raw: str, source: str = "") -> list[Candidate]:
    """Every figure in one report text, in order, with indicator/province/year read from around it."""
    text, where = _nfc_with_map(raw)
    runs = _span_runs(text)
    found, _ = _scan(text, runs)
    ctx = _Context(text, runs)
    home = report_province(text, ctx.provinces)
    lab = TextLabels(text, ctx.years, ctx.provinces, _indicator)
    sentences: dict[tuple[int, int], str] = {}  # one string per sentence, shared by its figures
    rank_indicators: dict[tuple[tuple[int, int], str], str] = {}
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
        sentence = ctx.sentence(f.start)
        c_start, c_end = ctx.clause(f.start, f.end)
        left = max(c_start, found[i - 1].end if i else 0)
        right = min(c_end, found[i + 1].start if i + 1 < len(found) else len(text))
        window = text[left : f.start] + " " + text[f.end : right]
        programme = ctx.programme(f.start, sentence)
        if unit == "rank":  # "Chỉ số PCI đạt 70 điểm, xếp thứ 3": the index is named once per sentence
            key = (sentence, programme)  # the same window for every rank of the sentence: read once
            if key not in rank_indicators:
                rank_indicators[key] = _indicator(text[sentence[0] : sentence[1]], unit, programme)
            indicator = rank_indicators[key]
        else:
            indicator = _labelled(text, f, left, right, window, unit, programme)
        previous = out[-1] if out and out[-1].start >= where[sentence[0]] else None  # same sentence
        since = found[i - 1].end if i else 0
        indicator = lab.indicator(indicator, unit, (f.start, f.end), (left, right), sentence, previous, since)
        if not indicator and unit == "percent":
            indicator = lab.carried(text, (left, f.start, f.end, right), out)
        value = fig.value
        change = _CHANGE_BEFORE.search(text, max(0, f.start - 30), f.start)
        if change and not indicator.endswith("_change"):
            indicator = ""  # "hồ sơ trực tuyến tăng 21%": a change on last year, not the share
        elif change and change.group("dir").casefold() in ("giảm", "tụt", "mất"):
            value = -value  # "giảm 21 bậc": places lost
        start, end = where[f.start], where[f.end]
        year = ctx.year(f.start, f.end, sentence, c_end)
        year, period = lab.year_and_period(year, (f.start, f.end), sentence, c_end, ctx.year_starts)
        province = ctx.province(f, sentence, home, unit)
        if province:  # "Đà Nẵng với 58,9% và Nam Định với 53%": the name just before is the figure's
            province = lab.province_before(max(sentence[0], since), f.start) or province
        s_start, s_end = where[sentence[0]], where[sentence[1]]
        if sentence not in sentences:
            sentences[sentence] = " ".join(raw[s_start:s_end].split())
        shown = sentences[sentence]
        excerpt = shown
        if len(shown) > LONG_SENTENCE:
            lo, hi = max(s_start, start - EXCERPT_SIDE), min(s_end, end + EXCERPT_SIDE)
            excerpt = " ".join(raw[lo:hi].split())
            excerpt = ("… " if lo > s_start else "") + excerpt + (" …" if hi < s_end else "")
        out.append(
            Candidate(
                source=source,
                start=start,
                end=end,
                text=raw[start:end],
                value=value,
                unit=unit,
                qualifier=qualifier,
                denominator=fig.denominator,
                indicator=indicator,
                province=province,
                year=year,
                sentence=shown,
                precision=0 if unit == "rank" else stored_precision(fig.precision, fig.scale),
                period=period.text if period is not None else ("" if year is None else str(year)),
                sentence_at=s_start,
                excerpt=excerpt,
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


def _sentences_once(rows: Sequence[Candidate]) -> list[str]:
    """The `sentence` cell of each row: a long sentence in full at its first figure only, its other
    figures with their excerpt (so the file stays linear in the text); short ones in full each time."""
    seen: set[tuple[str, int]] = set()
    out = []
    for c in rows:
        key = (c.source, c.sentence_at)
        if len(c.sentence) <= LONG_SENTENCE or c.sentence_at < 0 or key not in seen:
            out.append(c.sentence)
        else:
            out.append(c.excerpt or c.sentence)
        seen.add(key)
    return out


def candidates_frame(rows: Sequence[Candidate]) -> pd.DataFrame:
    """Candidates as candidates.csv has them: numbers written plainly, `accept` left empty."""
    plain = {"value": _plain, "denominator": _plain, "year": lambda y: str(y or ""), "precision": str}
    columns = {
        k: [plain.get(k, str)(getattr(c, k)) for c in rows]
        for k in CANDIDATE_COLUMNS
        if k not in ("accept", "sentence")
    }
    columns["sentence"] = _sentences_once(rows)
    return pd.DataFrame(
        {**columns, "accept": [""] * len(rows)}, columns=list(CANDIDATE_COLUMNS), dtype=object
    )


def extract_to_csv(files: Sequence[Path], out: Path) -> int:
    """`analysis extract`: one CSV row per figure, `accept` left empty for the analyst.

    Reviewers open the file in a spreadsheet, so text that would run as a formula (a sentence
    starting with "=", "+", "-", "@") gets a leading apostrophe (writing.csv_safe); `analysis
    accept` takes it off again.
    """
    rows = extract_files(files)
    text = csv_safe(candidates_frame(rows)).to_csv(index=False, lineterminator="\n")
    atomic_write(Path(out), text.encode("utf-8-sig"))
    print(f"{len(rows)} candidate figures from {len(files)} file(s) -> {out}", file=sys.stderr)
    return 0
