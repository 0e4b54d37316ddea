"""Numbers and small HTML pieces in the reader's format: 90,2 % / 90.2%, ranks as 19/63.

Display decimals come from the catalogue's `precision` column, not from code.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from analysis import indicators, rulebook
from analysis.briefing.labels import esc, t
from analysis.briefing.metrics import Rank
from analysis.numbers import format_number, format_percent


def decimals(key: str) -> int:
    """The indicator's display precision (catalogue column `precision`; 1 for an unknown key)."""
    ind = indicators.catalogue().get(key)
    return 1 if ind is None or ind.precision is None else ind.precision


def is_nan(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def scale_of(scale: object) -> int:
    """A row's `scale` cell (the source's magnitude word as a power of ten) as an int, 0 for none."""
    return 0 if scale is None or pd.isna(scale) else int(scale)


def scale_word(scale: object, lang: str) -> str:
    """The magnitude word alone ("triệu" / "million"), as the CSV's `scale` column says it; "" for none."""
    n = scale_of(scale)
    return t(f"scale_{n}", lang, amount="").strip() if n else ""


def fmt_scaled(value: float, scale: int, lang: str) -> str:
    """A count in its source's magnitude word, with exactly the digits the source wrote: 3 100 000
    written "3,1 triệu" prints "3,1 triệu" / "3.1 million" (never "3.100.000", digits the source
    never gave; docs/figure-model.md, `scale`)."""
    scaled = value / 10**scale
    said = t(f"scale_{scale}", lang, amount=format_number(scaled, lang, written_digits(scaled, 3)))
    return said.replace(" ", "\u00a0")  # a narrow table column never parts "3,1" from "triệu"


def fmt_value(
    value: float | None,
    key: str,
    lang: str,
    with_unit: bool = True,
    precision: int | None = None,
    scale: object = None,
) -> str:
    """A value formatted for the reader: 90,2 % / 90.2%, 65,40 điểm / 65.40 points, 1.234 / 1,234.

    `precision`: the digits the source wrote (the figure model's column), else the catalogue's;
    `scale`: the magnitude word the source wrote (the row's `scale`: "3,1 triệu" stays so)."""
    if is_nan(value):
        return "—"
    value = float(value)
    ind = indicators.catalogue().get(key)
    unit = ind.unit if ind else ""
    scale = scale_of(scale)
    if key.endswith("_rank_change"):  # places gained or lost: the direction in words, never a bare 18
        return fmt_places(value, lang)
    if unit == "percent":
        return format_percent(value, lang, decimals(key) if precision is None else precision)
    if unit == "vnd" and abs(value) >= 1e6:
        big = scale == 9 if scale in (6, 9) else abs(value) >= 1e9  # the source's word, else the size
        scaled = value / (1e9 if big else 1e6)
        # precision counts the stored VND's decimals (a scale word adds none: docs/figure-model.md);
        # the scaled amount shows exactly the digits the stored value has (35 500 000 000 → 35,5 tỷ)
        places = (
            1
            if precision is None
            else next(d for d in range(4) if abs(round(scaled, d) - scaled) < 1e-9 or d == 3)
        )
        amount = format_number(scaled, lang, places)
        return t("vnd_billion" if big else "vnd_million", lang, amount=amount)
    if scale:
        return fmt_scaled(value, scale, lang)
    text = format_number(value, lang, decimals(key) if precision is None else precision)
    if with_unit and unit == "score" and not (ind.max is not None and ind.max <= 1):
        return f"{text} {t('points', lang)}"
    return text


def fmt_places(places: float, lang: str) -> str:
    """A change of rank as the source says it: "tăng 18 bậc" / "up 18 places", "giảm 3 bậc", "giữ nguyên"."""
    n = round(float(places))
    if n == 0:
        return t("places_same", lang)
    return t("places_up" if n > 0 else "places_down", lang, n=abs(n))


def written_digits(value: float, most: int = 6) -> int:
    """The fewest decimals that write `value` exactly (a target of 80 is "80", not "80,0")."""
    return next((d for d in range(most + 1) if abs(round(float(value), d) - float(value)) < 1e-9), most)


TARGET_WORDS = ("over", "under", "approx", "about", "at_least")


def fmt_target(value: float, qualifier: str, key: str, lang: str) -> str:
    """A target as its decision wrote it, word and digits: "tối thiểu 80 %" / "at least 80%", "trên
    90 %" (never "80,0 %"): one rule for the online table, the sentences and the summary."""
    goal = fmt_value(value, key, lang, precision=written_digits(value))
    return f"{t(qualifier, lang)} {goal}" if qualifier in TARGET_WORDS else goal


def fmt_share(part: float, whole: float, lang: str) -> str:
    """A share we compute from two counts (40 of 40 tasks): "100 %" when whole, else one decimal
    ("96,2 %"); a computed share never claims more digits than that."""
    share = 100 * float(part) / float(whole)
    return format_percent(share, lang, 0 if written_digits(share, 1) == 0 else 1)


def places_of(precision: object) -> int | None:
    """A row's `precision` cell as digits, None when the source's digits are not recorded."""
    return None if precision is None or pd.isna(precision) else int(precision)


def shown_precision(precision: object, key: str) -> int | None:
    """The digits an index value prints: those its source wrote (the row's `precision`), never more
    than the catalogue shows (a workbook's float cell counts 14 "written" digits: 43,07, not
    43,069900000000004); None when the row does not say (the catalogue's then)."""
    places = places_of(precision)
    return None if places is None else min(places, decimals(key))


def coarser(*precisions: object, fallback: int | None = None) -> int | None:
    """The precision a difference of values may show: the coarser of theirs (88,8 − 87,35 → 1 digit);
    a value without one counts as `fallback` (the catalogue's); None when none is recorded."""
    given = [places_of(x) for x in precisions]
    if all(p is None for p in given):
        return None
    known = [p if p is not None else fallback for p in given]
    return min(p for p in known if p is not None)


def fmt_delta(delta: float | None, key: str, lang: str, precision: int | None = None) -> str:
    """A signed change (+1,25 / −0,40), in the indicator's own precision; percent changes in points.

    `precision`: the coarser of the two values' written digits (`coarser`), else the catalogue's."""
    if is_nan(delta):
        return "—"
    ind = indicators.catalogue().get(key)
    places = 1 if ind is not None and ind.unit == "percent" else decimals(key)
    places = places if precision is None else int(precision)
    delta = float(delta)
    # ±0 only for no change: a change that vanishes at the indicator's precision gets the digits
    # that show it (−0,002), never "±0" (the rule book compares unrounded values)
    most = max(places, decimals(key)) + 3
    while round(abs(delta), places) == 0 and places < most:
        places += 1
    if round(abs(delta), places) == 0:
        return "±0"
    return ("+" if delta > 0 else "−") + format_number(abs(delta), lang, places)


def fmt_rank(rank: Rank, lang: str) -> str:
    """A rank in words, with its kind and base (the rule book's Rank): hạng 19/63, rank 4/61* of
    provinces with data (marked as the headline table marks it), between rank 30 and 31 (by score);
    "—" for none."""
    if rank.rank is None:
        return t("rank_between", lang, low=rank.low, high=rank.high) if rank.bounded else "—"
    if rank.of is None:
        return t("rank_published_nobase", lang, r=rank.rank)
    label = "rank_of" if rank.given else "rank_of_computed"
    said = t(label, lang, r=rank.rank, n=rank.of, mark=rank_mark(rank.given))
    note = released_note(rank, lang)
    return f"{said} ({note})" if note else said


def released_note(rank: Rank, lang: str, remark: bool = False) -> str:
    """Who released a published rank, where not the index's publisher: "theo công bố của tỉnh" / "as
    released by the province" (the rule book's `released`: Nghệ An's PCI 2023, 44/63, outside the
    top 30 VCCI publishes); "" otherwise. One rule for the summary, the headline table, the
    overview's mark and the CSV's rank kind. As a `remark` away from the rank (the headline table's
    last column, whose row names the year): "hạng do tỉnh công bố" / "rank released by the province"
    (short: a longer remark moves the print's page breaks)."""
    if getattr(rank, "released", "") != rulebook.BY_PROVINCE:
        return ""
    return t("rank_by_province_remark" if remark else "rank_by_province", lang)


RELEASED_MARK = "†"  # the overview's mark of a rank the province released, explained under its table


def rank_mark(given: object) -> str:
    """The mark of a computed rank ("*", explained by the data notes' "(*)" line), "" for a published
    one (`given`): one rule for the headline table, the summary's sentences and the overview."""
    return "" if given else "*"


def short_rank(rank: Rank, lang: str = "vi") -> str:
    """A rank as 19/63 when published, 4/61* when computed over the complete set, 30–31 (by score)
    when only published neighbours bound it."""
    if rank.rank is None:
        return t("rank_between_short", lang, low=rank.low, high=rank.high) if rank.bounded else "—"
    if rank.of is None:
        return str(rank.rank)
    return f"{rank.rank}/{rank.of}{rank_mark(rank.given)}"


def overview_rank(
    rank: object, given: object, low: object, high: object, lang: str, released: object = ""
) -> str:
    """The overview's rank cell: 19 (published), 4* (computed), 44† (released by the province, not
    in the publisher's list: `released_note`), 33–62 (by score) as the briefing says it when
    published neighbours bound a province without a rank, "" for none."""
    if not pd.isna(rank):
        by = RELEASED_MARK if released == rulebook.BY_PROVINCE else ""
        return f"{int(rank)}{rank_mark(given)}{by}"
    if pd.isna(low) or pd.isna(high):
        return ""
    return t("rank_between_short", lang, low=int(low), high=int(high))


def fmt_read_to(until: int | str, lang: str) -> str:
    """Up to when sources were read, as the rule book's `read_to` gives it: "hết năm 2024" / "the end
    of 2024" for a year, the cut-off date as the page's stamp prints it otherwise."""
    return t("read_to_year_end", lang, year=until) if isinstance(until, int) else str(until)


def fmt_unheld(series: dict[str, str], lang: str) -> str:
    """A series published but not held (a row of `rulebook.unheld_series`), said as the briefings' notes
    and the overview say it: "DTI 2024 for the 34 new provinces was published by … (date; source: …)"."""
    from urllib.parse import urlsplit

    from analysis import provinces
    from analysis.briefing.labels import index_name

    said = dict(publisher=series[f"publisher_{lang}"], source=series[f"source_{lang}"])
    said |= dict(date=series["published"], site=urlsplit(series["url"]).netloc)
    said |= dict(n=len(provinces.all_provinces(series["regime"])))
    return t("unheld_series", lang, index=index_name(series["index"], lang), year=series["year"], **said)


def html_table(head: Iterable[tuple[str, bool]], rows: Iterable[Iterable[tuple[str, bool]]], cls: str) -> str:
    """A small HTML table from already-escaped cells; (text, numeric) pairs right-align numbers."""

    def cell(tag: str, text: str, num: bool) -> str:
        return f'<{tag} class="num">{text}</{tag}>' if num else f"<{tag}>{text}</{tag}>"

    h = "".join(cell("th", x, n) for x, n in head)
    body = "".join("<tr>" + "".join(cell("td", x, n) for x, n in r) + "</tr>" for r in rows)
    return f'<table class="{cls}"><thead><tr>{h}</tr></thead><tbody>{body}</tbody></table>'


def heading(level: int, text: str) -> str:
    """An escaped section heading."""
    return f"<h{level}>{esc(text)}</h{level}>"


def fmt_conflict(values: Iterable[tuple[float, Iterable[str]]], key: str, lang: str) -> str:
    """Differing values of one figure with their sources, each as written:
    "91,87 % (nhadautu.vn, en.baochinhphu.vn); 91,81 % (en.doanhnghiephoinhap.vn)"."""
    return "; ".join(
        f"{fmt_value(v, key, lang, with_unit=False, precision=written_digits(v))} ({', '.join(srcs)})"
        for v, srcs in values
    )
