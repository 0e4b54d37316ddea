"""Labels read from around a figure, beyond the cue table: which index a rank or score belongs to,
the province named just before it, the period its sentence states.

Kept apart from `figures` (which finds the context) so that each rule reads in one place:

- an index (PAR Index, SIPAS, PCI, PAPI, DTI, the Decision 766 service index; names and
  abbreviations in data/index_names.csv) is named once and its figures follow: "Chỉ số PCI ... Tỉnh
  đạt 66,9 điểm, xếp thứ 22/63". A rank belongs to the index named nearest before it in its
  sentence ("PAR Index xếp thứ 21/63; SIPAS xếp thứ 30/63": the second is SIPAS's), else after it,
  else the last one named before; a score with no cue, to the index so found;
- the cue words nearest the figure decide first: the clause part between the commas around it
  ("làm sạch gần 3,6 triệu dữ liệu dân cư"), then the whole clause;
- "Đà Nẵng với 58,9% và Nam Định với 53%": a province named between the previous figure and this
  one is this figure's;
- the period a sentence states: "giai đoạn 2022-2025" (a span), "6 tháng đầu năm 2023" (months),
  "quý I/2024" (a quarter), "tính đến ngày 21/6/2023" (as of a date), else the figure's year.
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from analysis import config, periods

_Y = r"(?:19|20)\d{2}"
MAX_BACK = 1500  # a rank or score looks this far back for the index it belongs to
MAX_BACK_PERCENT = 300  # a percent, only this far (it is more often some other share)


@dataclass(frozen=True)
class IndexName:
    family: str
    value_key: str
    rank_key: str
    value_units: frozenset[str]


@cache
def _index_table() -> tuple[tuple[IndexName, ...], re.Pattern[str]]:
    with (config.PACKAGE_DATA / "index_names.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    names = tuple(
        IndexName(r["family"], r["value_key"], r["rank_key"], frozenset(r["value_units"].split("|")))
        for r in rows
    )
    groups = "|".join(
        f"(?P<g{i}>" + "|".join(re.escape(n.strip()) for n in r["names"].split("|")) + ")"
        for i, r in enumerate(rows)
    )
    return names, re.compile(rf"(?<!\w)(?:{groups})(?!\w)", re.I)


def index_mentions(text: str) -> list[tuple[int, IndexName]]:
    """(offset, index) of every index named in the text, in order."""
    names, pattern = _index_table()
    out = []
    for m in pattern.finditer(text):
        group = next(k for k, v in m.groupdict().items() if v is not None)
        out.append((m.start(), names[int(group[1:])]))
    return out


def index_for(
    mentions: list[tuple[int, IndexName]],
    starts: list[int],
    pos: int,
    sentence: tuple[int, int],
    unit: str,
    topic: IndexName | None = None,
) -> str:
    """The key of the index a rank or score at `pos` belongs to, or "" when none is named near it.

    Beyond its sentence, the index the headline names (`topic`) comes before the last one named:
    an article about SIPAS that mentions the PAR Index in passing still speaks of SIPAS."""
    lo = bisect_left(starts, sentence[0])
    at = bisect_left(starts, pos)
    hi = bisect_left(starts, sentence[1])

    def key(name: IndexName) -> str:
        if unit == "rank":
            return name.rank_key
        return name.value_key if unit in name.value_units else ""

    if at > lo:  # named before it in the sentence: the nearest
        return key(mentions[at - 1][1])
    if hi > at:  # named after it in the sentence ("xếp thứ 9 về PAR Index")
        return key(mentions[at][1])
    if at:
        limit = MAX_BACK_PERCENT if unit == "percent" else MAX_BACK
        where, name = mentions[at - 1]
        if pos - where <= limit:
            return key(topic or name)
    return ""


def rank_after(
    previous: str, mentions: list[tuple[int, IndexName]], starts: list[int], since: int, pos: int
) -> str:
    """ "đạt 0,7105 và xếp hạng 11", "đạt 66,9 điểm, đứng thứ 22": a rank right after a score of the
    same sentence, with no index named between them, is that score's rank ("" otherwise)."""
    if not previous or bisect_left(starts, pos) > bisect_left(starts, since):
        return ""
    from analysis.indicators import catalogue

    names, _ = _index_table()
    sibling = next((n.rank_key for n in names if n.value_key == previous), f"{previous}_rank")
    return sibling if sibling in catalogue() else ""


_SEGMENT_END = re.compile(r"[,;:.!?…()\n]|\s(?:và|còn|trong đó|trong khi)\s")


def near_window(text: str, left: int, start: int, end: int, right: int) -> str:
    """The words around a figure up to the nearest comma (or "và") on each side, within its clause."""
    before = text[left:start]
    cut = list(_SEGMENT_END.finditer(before))
    if cut:
        before = before[cut[-1].end() :]
    after = text[end:right]
    m = _SEGMENT_END.search(after)
    if m:
        after = after[: m.start()]
    return before + " " + after


def province_before(provinces: list[tuple[int, str]], starts: list[int], since: int, pos: int) -> str:
    """The province named between `since` (the previous figure's end) and `pos`, nearest to it; ""."""
    lo = bisect_left(starts, since)
    at = bisect_left(starts, pos)
    return provinces[at - 1][1] if at > lo else ""


# A header line giving the date or time of publication, not a headline ("date 2025-03 …", "Cập nhật
# 09:45, 08/01/2025", "Thứ Sáu, 20/12/2024 - 22:32").
DATE_LINE = re.compile(
    r"^\s*(?:date\b|cập nhật|\(cập nhật|thứ (?:hai|ba|tư|năm|sáu|bảy)|chủ nhật)|\d{1,2}:\d{2}", re.I
)
COMPARED_IN = re.compile(rf"so với (?:cùng kỳ )?năm (?P<y>{_Y})\s*\((?:[^()]*?)$", re.I)


def plan_share(previous: str, window: str) -> str:
    """The completion rate of the tasks counted just before, when the share is "of the plan"."""
    from analysis.indicators import catalogue

    key = f"{previous}_rate"
    return (
        key if previous.endswith("_done") and "kế hoạch" in window.casefold() and key in catalogue() else ""
    )


_CARRY = re.compile(r"tỷ lệ này|tỷ lệ (?:dưới|trên|khoảng|gần|hơn)|\bcó tỷ lệ", re.I)
CARRY_BACK = 600  # how far back the share a figure continues may have been named


def carried(
    text: str, around: tuple[int, int, int, int], earlier: Sequence, topic: str, lists_province: bool
) -> str:
    """The share a percent figure continues, when its words point back ("tỷ lệ này", "có tỷ lệ dưới
    10%") or it lists another province ("Đà Nẵng với 58,9%"): the share the headline names, else
    the last percent figure's. `around` is (clause left, figure start, figure end, clause right)."""
    left, start, end, right = around
    near = near_window(text, left, start, end, right)
    if not (_CARRY.search(near) or _CARRY.search(text[left:start]) or lists_province):
        return ""
    if topic:
        return topic
    for c in reversed(earlier):
        if start - c.start > CARRY_BACK:
            break
        if c.unit == "percent" and c.indicator:
            return c.indicator
    return ""


# ------------------------------------------------------------------ periods a sentence states

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_PERIODS = (
    (
        "span",
        re.compile(
            rf"(?:giai đoạn|thời kỳ|từ năm)\s+(?P<a>{_Y})\s*(?:[-–—]|đến(?: năm)?)\s*(?P<b>{_Y})", re.I
        ),
    ),
    ("half", re.compile(rf"(?P<which>6|sáu) tháng (?P<part>đầu|cuối) năm\s*(?P<y>{_Y})", re.I)),
    ("months", re.compile(rf"(?P<n>\d{{1,2}}) tháng (?:đầu )?năm\s*(?P<y>{_Y})", re.I)),
    ("quarter", re.compile(rf"quý\s+(?P<q>[1-4]|IV|I{{1,3}})\s*(?:/|năm|-)\s*(?P<y>{_Y})", re.I)),
    (
        "as_of",
        re.compile(
            rf"(?:tính )?(?:đến|tới) (?:hết )?ngày\s+(?P<d>\d{{1,2}})\s*[/.-]\s*(?P<m>\d{{1,2}})"
            rf"\s*[/.-]\s*(?P<y>{_Y})",
            re.I,
        ),
    ),
)


def _period_of(kind: str, m: re.Match[str]) -> periods.Period | None:
    try:
        if kind == "span":
            return periods.span(int(m["a"]), int(m["b"]))
        if kind == "half":
            y = int(m["y"])
            return periods.months(y, 1, 6) if m["part"].casefold() == "đầu" else periods.months(y, 7, 12)
        if kind == "months":
            return periods.months(int(m["y"]), 1, int(m["n"]))
        if kind == "quarter":
            q = m["q"].casefold()
            return periods.quarter(int(m["y"]), _ROMAN.get(q) or int(q))
        return periods.as_of(date(int(m["y"]), int(m["m"]), int(m["d"])))
    except (ValueError, periods.PeriodError):
        return None


def period_mentions(text: str) -> list[tuple[int, int, periods.Period]]:
    """(start, end, period) of every period phrase in the text, in order of start."""
    out = []
    for kind, pattern in _PERIODS:
        for m in pattern.finditer(text):
            p = _period_of(kind, m)
            if p is not None:
                out.append((m.start(), m.end(), p))
    return sorted(out, key=lambda t: (t[0], -t[1]))


def period_for(
    found: list[tuple[int, int, periods.Period]],
    starts: list[int],
    pos: int,
    sentence: tuple[int, int],
    clause_end: int,
) -> periods.Period | None:
    """The period stated before the figure in its sentence (the nearest), else after it in its
    clause ("51 nhiệm vụ trong giai đoạn 2022 – 2025"), or None."""
    lo = bisect_left(starts, sentence[0])
    at = bisect_left(starts, pos)
    if at > lo:
        return found[at - 1][2]
    if at < len(found) and found[at][0] < clause_end:
        return found[at][2]
    return None


# ------------------------------------------------------------------ one text's labelling state


class TextLabels:
    """What one text says once (the indices and periods it names, its headline's share, index and
    year) and the rules above applied to each of its figures, in order."""

    def __init__(
        self,
        text: str,
        years: list[tuple[int, int]],
        provinces: list[tuple[int, str]],
        cue: Callable[[str, str, str], str],
    ):
        self.text = text
        self.indices = index_mentions(text)
        self.index_starts = [p for p, _ in self.indices]
        self.periods = period_mentions(text)
        self.period_starts = [p for p, _, _ in self.periods]
        self.provinces = provinces
        self.province_starts = [p for p, _ in provinces]
        lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
        head = [(a, b) for a, b in lines if text[a:b].strip() and not DATE_LINE.search(text[a:b])][:2]

        def in_head(p: int) -> bool:
            return any(a <= p < b for a, b in head)

        self.topic = cue(" ".join(text[a:b] for a, b in head), "percent", "")  # the headline's share
        self.topic_index = next((name for p, name in self.indices if in_head(p)), None)
        self.head_year = next((y for p, y in years if in_head(p)), None)

    def indicator(
        self,
        cued: str,
        unit: str,
        span: tuple[int, int],
        clause: tuple[int, int],
        sentence: tuple[int, int],
        previous: Any | None,
        since: int,
    ) -> str:
        """The key for a figure the cue table gave `cued`: the index a rank or uncued score belongs
        to, a rank right after its score, the plan share after a count of tasks done."""
        start, end = span
        key = cued
        if unit in ("rank", "score", "percent") and (unit == "rank" or not key):
            key = index_for(self.indices, self.index_starts, start, sentence, unit, self.topic_index) or key
        if unit == "rank" and previous is not None:
            key = rank_after(previous.indicator, self.indices, self.index_starts, since, start) or key
        if not key and unit == "percent" and previous is not None:
            window = self.text[clause[0] : start] + " " + self.text[end : clause[1]]
            key = plan_share(previous.indicator, window)  # "hoàn thành 62 nhiệm vụ, đạt 95,4% kế hoạch"
        return key

    def carried(self, text: str, around: tuple[int, int, int, int], earlier: Sequence) -> str:
        left, start, _, _ = around
        lists = bool(self.province_before(left, start))
        return carried(text, around, earlier, self.topic, lists)

    def year_and_period(
        self,
        year: int | None,
        span: tuple[int, int],
        sentence: tuple[int, int],
        clause_end: int,
        year_starts: list[int],
    ) -> tuple[int | None, periods.Period | None]:
        """The figure's year and the period its sentence states: a year named in the sentence (or
        the one compared with, in brackets right after "so với năm 2021 ("), else the headline's; a
        stated period sets the year to its last."""
        start, end = span
        compared = COMPARED_IN.search(self.text, max(0, start - 40), start)
        if compared:  # "So với năm 2021 (xếp thứ 35)": the figure of the year compared with
            year = int(compared.group("y"))
        named_here = compared is not None or bisect_left(year_starts, sentence[0]) < bisect_left(
            year_starts, min(clause_end, end + 40)
        )
        if not named_here and self.head_year is not None:
            year = self.head_year  # not the last year named, often a comparison
        period = period_for(self.periods, self.period_starts, start, sentence, clause_end)
        if period is not None:
            year = period.end.year
        return year, period

    def province_before(self, since: int, pos: int) -> str:
        return province_before(self.provinces, self.province_starts, since, pos)
