"""What a briefing says: labels in Vietnamese and English, numbers in the reader's format, HTML
sections and the generated summary.

Everything that comes from data (province names, sources, notes) passes through `esc` before it is
put into HTML, so a source string such as `<script>` is shown as text, never run.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from analysis import indicators
from analysis.briefing.metrics import IndexFigure, Rank, SubindexResult
from analysis.numbers import format_number, format_percent

if TYPE_CHECKING:
    from analysis.briefing.core import Briefing

LANGS = ("vi", "en")

# Short names of the headline indices, as readers know them.
SHORT = {
    "par_index": ("PAR Index", "PAR Index"),
    "sipas": ("SIPAS", "SIPAS"),
    "pci": ("PCI", "PCI"),
    "papi": ("PAPI", "PAPI"),
    "dti": ("DTI", "DTI"),
    "idx766_total": ("Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766)", "Service index (Decision 766)"),
}

LABELS: dict[str, tuple[str, str]] = {
    "title": (
        "Báo cáo tóm tắt CCHC và chính quyền số",
        "Briefing on administrative reform and digital government",
    ),
    "year": ("Năm", "Year"),
    "summary": ("Tóm tắt", "Summary"),
    "headline": ("Các chỉ số chính", "Headline indices"),
    "index": ("Chỉ số", "Index"),
    "value": ("Giá trị", "Value"),
    "rank": ("Thứ hạng", "Rank"),
    "change": ("Thay đổi", "Change"),
    "national_median": ("Trung vị cả nước", "National median"),
    "region_median": ("Trung vị vùng", "Regional median"),
    "region": ("Vùng", "Region"),
    "subindices": ("Chỉ số thành phần", "Sub-indices"),
    "trend": ("Diễn biến qua các năm", "Trend over the years"),
    "ranking": ("Xếp hạng các tỉnh, thành phố", "Ranking of all provinces"),
    "online": ("Dịch vụ công trực tuyến và Đề án 06", "Online public services and Project 06"),
    "notes": ("Ghi chú về số liệu", "Data notes"),
    "indicator": ("Chỉ tiêu", "Indicator"),
    "target": ("Mục tiêu quốc gia", "National target"),
    "set_by": ("Văn bản", "Set by"),
    "source": ("Nguồn", "Source"),
    "sources": ("Nguồn số liệu của tỉnh", "Sources of the province's figures"),
    "comparison_sources": (
        "Nguồn số liệu so sánh (các tỉnh khác: thứ hạng, trung vị)",
        "Sources of the comparisons (other provinces: ranks, medians)",
    ),
    "gap": ("Chênh lệch với trung vị", "Gap to median"),
    "strongest": ("mạnh nhất", "strongest"),
    "weakest": ("yếu nhất", "weakest"),
    "province": ("Tỉnh/thành phố", "Province"),
    "points": ("điểm", "points"),
    "up_places": ("tăng {n} bậc so với {year}", "up {n} {places} since {year}"),
    "down_places": ("giảm {n} bậc so với {year}", "down {n} {places} since {year}"),
    "same_place": ("giữ nguyên thứ hạng so với {year}", "same rank as in {year}"),
    "up_short": ("tăng {n} bậc", "up {n} {places}"),
    "down_short": ("giảm {n} bậc", "down {n} {places}"),
    "same_short": ("giữ nguyên thứ hạng", "same rank"),
    "rank_of": ("hạng {r}/{n}", "rank {r} of {n}"),
    "rank_of_computed": ("hạng {r}/{n} tỉnh có số liệu", "rank {r} of {n} provinces with data"),
    "above_median": ("cao hơn trung vị cả nước ({m})", "above the national median ({m})"),
    "below_median": ("thấp hơn trung vị cả nước ({m})", "below the national median ({m})"),
    "at_median": ("bằng trung vị cả nước ({m})", "at the national median ({m})"),
    "vs_year": ("so với {year}", "since {year}"),
    "fallback": (
        "Năm {asked} chưa có số liệu chỉ số nào của {name}; "
        "báo cáo trình bày năm gần nhất có số liệu ({year}).",
        "No index values for {name} in {asked}; this briefing shows the latest year with data ({year}).",
    ),
    "no_data": (
        "Chưa có số liệu chỉ số nào của {name}.",
        "There are no index values for {name} yet.",
    ),
    "no_data_merged": (
        "Năm {year} chưa có số liệu chỉ số nào của {name}; "
        "số liệu trước năm 2025 ở phần Diễn biến qua các năm.",
        "No index values for {name} in {year} yet; figures before 2025 are in the trend section.",
    ),
    "asked_old_name": (
        "Báo cáo được yêu cầu cho {old}; từ 01/7/2025 {old} thuộc {name}, nên năm {year} trình bày {name}.",
        "The briefing was asked for {old}; from 1 July 2025 {old} is part of {name}, so {year} shows {name}.",
    ),
    "over": ("trên", "over"),
    "under": ("dưới", "under"),
    "approx": ("khoảng", "about"),
    "papi_break": (
        "PAPI thay đổi phương pháp từ năm 2018: điểm tổng hợp từ 2018 không so sánh được với các năm trước "
        "(không tính thay đổi qua mốc này).",
        "PAPI changed its method in 2018: aggregate scores from 2018 on are not comparable with earlier "
        "years "
        "(no change is computed across that break).",
    ),
    "not_comparable": (
        "không so sánh được (PAPI đổi phương pháp 2018)",
        "not comparable (PAPI method change 2018)",
    ),
    "computed_ranks": (
        "(*) Thứ hạng của {keys} được tính trong số các tỉnh có số liệu năm đó (nguồn không công bố "
        "thứ hạng).",
        "(*) Ranks of {keys} are computed among the provinces with data that year "
        "(the source gives no rank).",
    ),
    "medians": (
        "Trung vị tính trên các tỉnh có số liệu trong năm, và chỉ khi ít nhất một nửa số tỉnh có số liệu "
        "(n = số tỉnh).",
        "Medians are over the provinces with data that year, and only shown when at least half the provinces "
        "have data (n = number of provinces).",
    ),
    "merger_34": (
        "{name} được thành lập khi sắp xếp đơn vị hành chính năm 2025 (hiệu lực 01/7/2025) từ: {parts}. "
        "Số liệu trước 2025 được trình bày riêng cho từng tỉnh cũ; điểm số và thứ hạng không được cộng "
        "hay lấy trung bình thành một chuỗi giả định. Chỉ các số đếm (ví dụ dân số) được cộng khi đủ số "
        "liệu của tất cả các tỉnh cũ.",
        "{name} was formed in the 2025 reorganisation (effective 1 July 2025) from: {parts}. Figures "
        "before 2025 are shown for each former province separately; scores and ranks are never summed or "
        "averaged into an invented history. Only counts (e.g. population) are summed, and only when every "
        "former province has a value.",
    ),
    "merger_same": (
        "{name} giữ nguyên địa giới khi sắp xếp năm 2025; số liệu trước và sau 2025 là của cùng một tỉnh.",
        "{name} kept its boundaries in the 2025 reorganisation; figures before and after 2025 are the same "
        "province's.",
    ),
    "merger_63": (
        "Báo cáo theo 63 tỉnh, thành phố trước khi sắp xếp năm 2025.",
        "This briefing uses the 63 provinces in place before the 2025 reorganisation.",
    ),
    "merger_successor": (
        "Từ 01/7/2025, {name} thuộc {successor}.",
        "From 1 July 2025, {name} is part of {successor}.",
    ),
    "conflicts": (
        "Có hai giá trị khác nhau cho: {keys}; báo cáo dùng giá trị của nguồn đứng trước.",
        "Two different values exist for: {keys}; the briefing uses the first source's value.",
    ),
    "missing_note": ("Chưa có số liệu năm {year}: {keys}.", "No {year} value for: {keys}."),
    "no_online": (
        "Chưa có số liệu dịch vụ công trực tuyến hoặc Đề án 06 của năm {year}.",
        "No online public service or Project 06 figures for {year}.",
    ),
    "done_of": ("{done}/{total} nhiệm vụ ({share})", "{done} of {total} tasks ({share})"),
    "history_of": ("Số liệu của các tỉnh cũ: {names}", "Former provinces' figures: {names}"),
    "strongest_weakest": (
        "{family} {year}: mạnh nhất {best} ({bv}, {bg} so với trung vị cả nước), "
        "yếu nhất {worst} ({wv}, {wg}).",
        "{family} {year}: strongest {best} ({bv}, {bg} against the national median), "
        "weakest {worst} ({wv}, {wg}).",
    ),
    "online_sentence": (
        "{name}: {value} (mục tiêu {target} {period})",
        "{name}: {value} (target {target} {period})",
    ),
    "target_phrase": ("mục tiêu {target} {period} ({set_by})", "target {target} {period} ({set_by})"),
}


def t(key: str, lang: str, **fmt: object) -> str:
    """The label in the briefing's language, with {placeholders} filled (values are not escaped)."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: expected one of {', '.join(LANGS)}")
    text = LABELS[key][0 if lang == "vi" else 1]
    return text.format(**fmt) if fmt else text


def esc(value: object) -> str:
    """HTML-escape any text that came from data, so it always shows as text."""
    return html.escape("" if value is None else str(value), quote=True)


def index_name(key: str, lang: str, short: bool = True) -> str:
    """A headline index's short name (PCI, PAPI…) or any indicator's catalogue name."""
    if short and key in SHORT:
        return SHORT[key][0 if lang == "vi" else 1]
    ind = indicators.catalogue().get(key)
    return ind.name(lang) if ind else key


def _decimals(key: str) -> int:
    ind = indicators.catalogue().get(key)
    if ind is None:
        return 1
    if ind.unit in {"count", "people", "rank", "vnd"}:
        return 0
    if ind.max is not None and ind.max <= 1:
        return 3
    if ind.unit == "score" and ind.max is not None and ind.max <= 10:
        return 2
    return 2 if ind.unit == "score" else 1


def fmt_value(value: float | None, key: str, lang: str, with_unit: bool = True) -> str:
    """A value formatted for the reader: 90,2 % / 90.2%, 65,40 điểm / 65.40 points, 1.234 / 1,234."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    value = float(value)
    ind = indicators.catalogue().get(key)
    unit = ind.unit if ind else ""
    if unit == "percent":
        return format_percent(value, lang, 1)
    if unit == "vnd" and abs(value) >= 1e6:
        big = abs(value) >= 1e9
        amount = format_number(value / (1e9 if big else 1e6), lang, 1)
        if lang == "vi":
            return f"{amount} {'tỷ' if big else 'triệu'} đồng"
        return f"VND {amount} {'billion' if big else 'million'}"
    text = format_number(value, lang, _decimals(key))
    if with_unit and unit == "score" and not (ind.max is not None and ind.max <= 1):
        return f"{text} {t('points', lang)}"
    return text


def fmt_delta(delta: float | None, key: str, lang: str) -> str:
    """A signed change (+1,25 / −0,40), in the indicator's own precision; percent changes in points."""
    if delta is None or (isinstance(delta, float) and math.isnan(delta)):
        return "—"
    ind = indicators.catalogue().get(key)
    decimals = 1 if ind is not None and ind.unit == "percent" else _decimals(key)
    delta = float(delta)
    if round(abs(delta), decimals) == 0:
        return "±0"
    text = format_number(abs(delta), lang, decimals)
    return ("+" if delta > 0 else "−") + text


def fmt_rank(rank: Rank, lang: str) -> str:
    if rank.rank is None:
        return "—"
    return t("rank_of" if rank.given else "rank_of_computed", lang, r=rank.rank, n=rank.of)


def short_rank(rank: Rank) -> str:
    """A rank as 19/63 when published, 4/61* when computed among the provinces with data."""
    if rank.rank is None:
        return "—"
    return f"{rank.rank}/{rank.of}" + ("" if rank.given else "*")


def rank_move(fig: IndexFigure, lang: str, with_year: bool = True) -> str:
    """The rank change in words (tăng 3 bậc so với 2017 / up 3 places since 2017); empty when none."""
    if not fig.comparable:
        return t("not_comparable", lang)
    moved = fig.rank_change
    if moved is None or fig.prev_year is None:
        return ""
    places = "place" if abs(moved) == 1 else "places"
    keys = (
        ("up_places", "down_places", "same_place") if with_year else ("up_short", "down_short", "same_short")
    )
    if moved > 0:
        return t(keys[0], lang, n=moved, year=fig.prev_year, places=places)
    if moved < 0:
        return t(keys[1], lang, n=-moved, year=fig.prev_year, places=places)
    return t(keys[2], lang, year=fig.prev_year)


def median_phrase(fig: IndexFigure, lang: str) -> str:
    if fig.median is None or fig.value is None:
        return ""
    m = fmt_value(fig.median, fig.key, lang, with_unit=False)
    if math.isclose(fig.value, fig.median, abs_tol=1e-9):
        return t("at_median", lang, m=m)
    return t("above_median" if fig.value > fig.median else "below_median", lang, m=m)


def join_names(names: Sequence[str], lang: str) -> str:
    """ "A, B và C" / "A, B and C"."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    word = " và " if lang == "vi" else " and "
    return ", ".join(names[:-1]) + word + names[-1]


# ---------------------------------------------------------------- HTML pieces


def _table(head: Iterable[tuple[str, bool]], rows: Iterable[Iterable[tuple[str, bool]]], cls: str) -> str:
    """A small HTML table from already-escaped cells; (text, numeric) pairs right-align numbers."""

    def cell(tag: str, text: str, num: bool) -> str:
        return f'<{tag} class="num">{text}</{tag}>' if num else f"<{tag}>{text}</{tag}>"

    h = "".join(cell("th", x, n) for x, n in head)
    body = "".join("<tr>" + "".join(cell("td", x, n) for x, n in r) + "</tr>" for r in rows)
    return f'<table class="{cls}"><thead><tr>{h}</tr></thead><tbody>{body}</tbody></table>'


def title_html(b: Briefing) -> str:
    lang = b.lang
    region = f" · {esc(b.region_name)}" if b.region_name else ""
    return (
        f'<h1 class="cchc-title">{esc(b.display_name)} — {esc(t("title", lang))} {b.year}</h1>'
        f'<p class="muted">{esc(t("year", lang))}: {b.year}{region}</p>'
    )


def summary_html(b: Briefing) -> str:
    items = "".join(f"<li>{esc(s)}</li>" for s in summary_sentences(b))
    return f'<h2>{esc(t("summary", b.lang))}</h2><ul class="cchc-summary">{items}</ul>'


def headline_html(b: Briefing) -> str:
    lang = b.lang
    out = [f"<h2>{esc(t('headline', lang))} {b.year}</h2>"]
    if b.fell_back:
        said = t("fallback", lang, asked=b.year_asked, name=b.display_name, year=b.year)
        out.append(f'<p class="note">{esc(said)}</p>')
    if not b.headline:
        return ""  # the summary already says there is nothing for this year
    head = [
        (esc(t("index", lang)), False),
        (esc(t("value", lang)), True),
        (esc(t("rank", lang)), True),
        (esc(t("change", lang)), False),
        (esc(t("national_median", lang)), True),
    ]
    rows = []
    for f in b.headline:
        change = ""
        if f.prev_year is not None:
            if f.comparable:
                delta = fmt_delta(f.change, f.key, lang)
                move = rank_move(f, lang, with_year=False)
                change = delta + (f", {move}" if move else "") + f" ({t('vs_year', lang, year=f.prev_year)})"
            else:
                change = t("not_comparable", lang)
        median = "—"
        if f.median is not None:
            median = (
                f"{esc(fmt_value(f.median, f.key, lang, with_unit=False))} <small>(n={f.median_n})</small>"
            )
        rows.append(
            [
                (esc(index_name(f.key, lang)), False),
                (esc(fmt_value(f.value, f.key, lang, with_unit=False)), True),
                (esc(short_rank(f.rank)), True),
                (esc(change), False),
                (median, True),
            ]
        )
    out.append(_table(head, rows, "cchc-headline"))
    return "".join(out)


def subindex_html(sub: SubindexResult, lang: str) -> str:
    """Sub-index table: value, national and regional median, gap, rank among provinces."""
    head = [
        (esc(t("indicator", lang)), False),
        (esc(t("value", lang)), True),
        (esc(t("national_median", lang)), True),
        (esc(t("region_median", lang)), True),
        (esc(t("gap", lang)), True),
        (esc(t("rank", lang)), True),
    ]
    rows = []
    for r in sub.table.itertuples(index=False):
        name = esc(index_name(r.indicator, lang, short=False))
        if r.indicator == sub.strongest:
            name = f"<strong>{name}</strong> <small>({esc(t('strongest', lang))})</small>"
        elif r.indicator == sub.weakest:
            name = f"<strong>{name}</strong> <small>({esc(t('weakest', lang))})</small>"
        rows.append(
            [
                (name, False),
                (esc(fmt_value(r.value, r.indicator, lang, with_unit=False)), True),
                (esc(fmt_value(r.national_median, r.indicator, lang, with_unit=False)), True),
                (esc(fmt_value(r.region_median, r.indicator, lang, with_unit=False)), True),
                (esc(fmt_delta(r.gap, r.indicator, lang)), True),
                (f"{r.rank}/{r.of}", True),
            ]
        )
    title = f"<h3>{esc(index_name(sub.family, lang))} {sub.year}</h3>"
    return title + _table(head, rows, "cchc-subindex")


def online_html(b: Briefing) -> str:
    lang = b.lang
    out = [f"<h2>{esc(t('online', lang))} {b.year}</h2>"]
    df = b.online
    if df.empty:
        out.append(f'<p class="muted">{esc(t("no_online", lang, year=b.year))}</p>')
        return "".join(out)
    head = [
        (esc(t("indicator", lang)), False),
        (esc(t("value", lang)), True),
        (esc(t("target", lang)), True),
        (esc(t("set_by", lang)), False),
        (esc(t("source", lang)), False),
    ]
    rows = []
    for r in df.itertuples(index=False):
        value = online_value(r, lang)
        by = getattr(r, f"target_by_{lang}")
        target = "—" if pd.isna(r.target) else f"{fmt_value(r.target, r.indicator, lang)} {by}"
        set_by = "" if pd.isna(r.set_by) else str(r.set_by)
        link = ""
        if not pd.isna(r.source_url) and str(r.source_url).startswith(("http://", "https://")):
            link = f' <a href="{esc(r.source_url)}">↗</a>'
        tnote = getattr(r, f"target_note_{lang}")
        note = "" if pd.isna(tnote) else f" <small>({esc(tnote)})</small>"
        rows.append(
            [
                (esc(index_name(r.indicator, lang, short=False)), False),
                (esc(value), True),
                (esc(target), True),
                (esc(set_by) + link + note, False),
                (f"<small>{esc(r.source)}</small>", False),
            ]
        )
    out.append(_table(head, rows, "cchc-online"))
    return "".join(out)


def notes_html(b: Briefing) -> str:
    lang = b.lang
    n = b.notes
    items = []
    if n.missing:
        items.append(
            t("missing_note", lang, year=b.year, keys=", ".join(index_name(k, lang) for k in n.missing))
        )
    if n.computed_ranks:
        items.append(t("computed_ranks", lang, keys=", ".join(index_name(k, lang) for k in n.computed_ranks)))
    items.append(t("medians", lang))
    if n.papi_break:
        items.append(t("papi_break", lang))
    if n.conflicts:
        items.append(
            t("conflicts", lang, keys=", ".join(index_name(k, lang, short=False) for k in n.conflicts))
        )
    items.append(merger_note(b))
    if b.resolution_note:
        items.append(b.resolution_note)
    lis = "".join(f"<li>{esc(s)}</li>" for s in items if s)
    out = f'<h2>{esc(t("notes", lang))}</h2><ul class="cchc-notes">{lis}</ul>'
    if n.sources:
        out += f"<h3>{esc(t('sources', lang))}</h3>" + source_list(n.sources)
    if n.comparison_sources:
        out += f"<h3>{esc(t('comparison_sources', lang))}</h3>" + source_list(n.comparison_sources)
    return out


def source_list(sources: Iterable[str]) -> str:
    """Sources as a list; web addresses become links (escaped like any other data)."""
    items = []
    for s in sources:
        if s.startswith(("http://", "https://")):
            items.append(f'<li><a href="{esc(s)}">{esc(s)}</a></li>')
        else:
            items.append(f"<li>{esc(s)}</li>")
    return f'<ul class="cchc-sources">{"".join(items)}</ul>'


def no_data(b: Briefing) -> str:
    if b.scope.merged and not b.trend.empty:
        return t("no_data_merged", b.lang, name=b.display_name, year=b.year)
    return t("no_data", b.lang, name=b.display_name)


def merger_note(b: Briefing) -> str:
    lang, s = b.lang, b.scope
    if s.regime == "63":
        note = t("merger_63", lang)
        if b.successor_name and b.successor_name != s.name:
            note += " " + t("merger_successor", lang, name=b.display_name, successor=b.successor_name)
        return note
    parts = [p.name for p in s.predecessors]
    if len(parts) <= 1:
        return t("merger_same", lang, name=b.display_name)
    return t("merger_34", lang, name=b.display_name, parts=join_names(parts, lang))


# ---------------------------------------------------------------- generated summary


def headline_sentence(f: IndexFigure, lang: str, target: dict | None = None) -> str:
    """ "PCI 2018: 65,40 điểm, hạng 12/63, tăng 3 bậc so với 2017; cao hơn trung vị cả nước (63,80)."""
    parts = [fmt_value(f.value, f.key, lang)]
    if f.rank.rank is not None:
        parts.append(fmt_rank(f.rank, lang))
    move = rank_move(f, lang)
    if move:
        parts.append(move)
    text = f"{index_name(f.key, lang)} {f.year}: " + ", ".join(parts)
    med = median_phrase(f, lang)
    text += f"; {med}" if med else ""
    if target:
        goal = fmt_value(float(target["target_value"]), f.key, lang)
        text += (
            f"; {t('target_phrase', lang, target=goal, period=target[f'by_{lang}'], set_by=target['set_by'])}"
        )
    return text + "."


def subindex_sentence(sub: SubindexResult, lang: str) -> str:
    tab = sub.table.set_index("indicator")
    best, worst = tab.loc[sub.strongest], tab.loc[sub.weakest]
    return t(
        "strongest_weakest",
        lang,
        family=index_name(sub.family, lang),
        year=sub.year,
        best=index_name(sub.strongest, lang, short=False),
        bv=fmt_value(best["value"], sub.strongest, lang, with_unit=False),
        bg=fmt_delta(best["gap"], sub.strongest, lang),
        worst=index_name(sub.weakest, lang, short=False),
        wv=fmt_value(worst["value"], sub.weakest, lang, with_unit=False),
        wg=fmt_delta(worst["gap"], sub.weakest, lang),
    )


def online_value(r: object, lang: str) -> str:
    """An online-services value as read aloud: qualifier, value, and "done of assigned" for tasks."""
    value = fmt_value(r.value, r.indicator, lang)
    if r.qualifier in ("over", "under", "approx"):
        value = f"{t(r.qualifier, lang)} {value}"
    if not pd.isna(r.done_of):
        share = format_percent(100 * float(r.value) / float(r.done_of), lang, 1)
        value = t(
            "done_of",
            lang,
            done=format_number(float(r.value), lang, 0),
            total=format_number(float(r.done_of), lang, 0),
            share=share,
        )
    return value


def online_sentences(df: pd.DataFrame, lang: str, limit: int = 3) -> list[str]:
    """The first few online-services figures, those with a national target first."""
    out = []
    ordered = pd.concat([df[df["target"].notna()], df[df["target"].isna()]])
    for r in ordered.head(limit).itertuples(index=False):
        name = index_name(r.indicator, lang, short=False)
        if pd.isna(r.target):
            out.append(f"{name}: {online_value(r, lang)}.")
            continue
        out.append(
            t(
                "online_sentence",
                lang,
                name=name,
                value=online_value(r, lang),
                target=fmt_value(r.target, r.indicator, lang),
                period=getattr(r, f"target_by_{lang}"),
            )
            + "."
        )
    return out


def summary_sentences(b: Briefing) -> list[str]:
    """A few plain sentences from the numbers: what stands out, nothing generic."""
    lang = b.lang
    out = []
    if b.fell_back:
        out.append(t("fallback", lang, asked=b.year_asked, name=b.display_name, year=b.year))
    if not b.headline:
        out.append(no_data(b))
    out += [headline_sentence(f, lang, b.targets.get(f.key)) for f in b.headline]
    out += [subindex_sentence(s, lang) for s in b.subindices]
    out += online_sentences(b.online, lang)
    if b.scope.merged and len(b.scope.predecessors) > 1:
        names = join_names([p.name for p in b.scope.predecessors], lang)
        out.append(t("history_of", lang, names=names) + ".")
    return out


def summary(b: Briefing) -> str:
    """The summary as one paragraph of plain text."""
    return " ".join(summary_sentences(b))
