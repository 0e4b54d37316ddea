"""Online public services and Project 06 (Đề án 06): the province's figures of the year shown
against the national targets, each with the decision that sets it; tasks as "done of assigned".

Rows: the province's own rows of the catalogue section `online` in the year shown. Targets come
from `data/targets.csv` (package data, not the clean table).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Mapping

import pandas as pd

from analysis import indicators, rulebook
from analysis.briefing import metrics
from analysis.briefing.context import Context
from analysis.briefing.fmt import (
    fmt_share,
    fmt_target,
    fmt_value,
    heading,
    html_table,
    scale_of,
    scale_word,
    written_digits,
)
from analysis.briefing.labels import esc, index_name, t
from analysis.numbers import format_number
from analysis.periods import is_per_year

NAME = "online"
# characters per line of a bar label: the longest names (what a source counts, said whole) take two lines
LABEL_WIDTH = 46
NEEDS: tuple[str, ...] = ()
# "Tasks done of assigned": (done key, assigned key, not-done key or None).
TASK_PAIRS: tuple[tuple[str, str, str | None], ...] = (
    ("par_tasks_done", "par_tasks_total", None),
    ("de_an_06_tasks_done", "de_an_06_tasks_total", "de_an_06_tasks_not_done"),
)
TARGET_COLUMNS = tuple(rulebook.targets()[0].row()) if rulebook.targets() else ()


def rows(df: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    s = ctx.scope
    return df[
        (df["province_code"] == s.code)
        & (df["regime"] == s.regime)
        & (df["year"] == ctx.year)
        & df["indicator"].isin(metrics.section_keys("online"))
    ]


def online(df: pd.DataFrame, ctx: Context, with_targets: bool = True) -> pd.DataFrame:
    """The figures with a derived "done of assigned" where both counts exist, and their targets.

    A figure's target is the rule book's (`rulebook.target_for`): same indicator, unit and
    denominator, decided by the figure's year and not expired then; else none.
    Columns: indicator, value, unit, qualifier, source, done_of (the assigned total for a done-count),
    target, target_qualifier, target_deadline, target_decided, target_by_vi/_en, set_by_vi/_en,
    source_url, target_note_vi/_en.
    """
    keys = metrics.section_keys("online")
    own = rows(df, ctx).dropna(subset=["value"]).drop_duplicates("indicator")
    order = {k: i for i, k in enumerate(keys)}
    out = own.assign(_o=own["indicator"].map(order)).sort_values("_o")
    model = [c for c in ("precision", "period", "period_kind", "note", "scale") if c in out]  # figure model
    out = out[["indicator", "value", "unit", "qualifier", "source", *model]].reset_index(drop=True)
    vals = dict(zip(out["indicator"], out["value"], strict=True))
    done_of = {}
    for done, total, not_done in TASK_PAIRS:
        assigned = vals.get(total)
        if assigned is None and not_done in vals and done in vals:
            assigned = vals[done] + vals[not_done]
        if done in vals and assigned:
            done_of[done] = assigned
            # the assigned total is now read as "done of assigned": no separate row repeating it
            out = out[~out["indicator"].isin([total, not_done])]
        elif not_done in vals and assigned:  # only the shortfall is given: "13/53", as plainly
            done_of[not_done] = assigned
            out = out[out["indicator"] != total]
    out = out.reset_index(drop=True)
    out["done_of"] = out["indicator"].map(done_of).astype("Float64")
    found = [
        rulebook.target_for(k, u, ctx.year) if with_targets else None
        for k, u in zip(out["indicator"], out["unit"], strict=True)
    ]
    for col in TARGET_COLUMNS:
        out[col] = [tg.row()[col] if tg is not None else pd.NA for tg in found]
    out["target"] = pd.to_numeric(out["target"], errors="coerce")
    return out


def compute(df: pd.DataFrame, ctx: Context, needs: Mapping[str, object] | None = None) -> pd.DataFrame:
    return online(df, ctx)


def target_text(r: object, lang: str) -> str:
    """A target as its decision states it, with its word and digits: "tối thiểu 80 % đến năm 2025" /
    "at least 80% by 2025" (never "80,0 %")."""
    goal = fmt_target(r.target, str(getattr(r, "target_qualifier", "exact")), r.indicator, lang)
    return f"{goal} {getattr(r, f'target_by_{lang}')}"


def table(result: pd.DataFrame) -> pd.DataFrame:
    return result


QUALIFIED = ("about", "nearly", "over", "under", "approx")


def period_text(r: object, lang: str) -> str:
    """A figure's period when it is not simply its year: "(giai đoạn 2022–2025)", "(as of 2024-01-22)"."""
    kind, period = str(getattr(r, "period_kind", "year") or "year"), str(getattr(r, "period", "") or "")
    if kind in ("year", "nan", "") or not period or period == "nan":
        return ""
    if kind == "as_of":
        y, m, d = period.split("-")
        return t("period_as_of", lang, date=f"{d}/{m}/{y}" if lang == "vi" else period)
    return t("period_of", lang, period=period.replace("-", "–") if kind == "span" else period)


def said_value(r: object, lang: str) -> str:
    """The figure as its source said it, the one rule for the table, the sentences and the bar labels:
    the qualifier word, the digits and the magnitude word the source wrote (the figure model's
    `precision` and `scale`): "trên 80 %", "98,55 %", "trên 3,1 triệu", never "80,0 %", "98,6 %" or
    "trên 3.100.000"."""
    precision = getattr(r, "precision", None)
    places = None if precision is None or pd.isna(precision) else int(precision)
    value = fmt_value(r.value, r.indicator, lang, precision=places, scale=getattr(r, "scale", None))
    return f"{t(r.qualifier, lang)} {value}" if r.qualifier in QUALIFIED else value


def value_text(r: object, lang: str) -> str:
    """An online-services value as its source gave it: qualifier word, the source's precision, the
    period when it is not the year, and "done of assigned" for tasks."""
    value = said_value(r, lang)
    if not pd.isna(r.done_of):
        value = t(
            "done_of",
            lang,
            done=format_number(float(r.value), lang, 0),
            total=format_number(float(r.done_of), lang, 0),
            share=fmt_share(float(r.value), float(r.done_of), lang),
        )
    if is_per_year(getattr(r, "note", "")):  # a yearly amount says so (figure model)
        value = f"{value} {t('per_year', lang)}"
    period = period_text(r, lang)
    return f"{value} {period}" if period else value


def sentences(result: pd.DataFrame, lang: str, limit: int = 3) -> list[str]:
    """The summary's first few online-services figures, those with a national target first."""
    out = []
    ordered = pd.concat([result[result["target"].notna()], result[result["target"].isna()]])
    for r in ordered.head(limit).itertuples(index=False):
        name = index_name(r.indicator, lang, short=False)
        if pd.isna(r.target):
            out.append(f"{name}: {value_text(r, lang)}.")
            continue
        said = t(
            "online_sentence_target", lang, name=name, value=value_text(r, lang), target=target_text(r, lang)
        )
        out.append(said + ".")
    return out


def cited(source: str, lang: str = "vi") -> str:
    """A figure's source as its citation (publisher, title, date from provenance), linked when known;
    a report text's figures cite the article, not our file name."""
    from analysis.briefing.sections.notes import citations

    cit = citations().cite(str(source))
    text = esc(cit.short(lang) or source)
    return f'<a href="{esc(cit.url)}">{text}</a>' if cit.url.startswith(("http://", "https://")) else text


def html(result: pd.DataFrame, ctx: Context) -> str:
    return heading(2, f"{t('online', ctx.lang)} {ctx.year}") + table_html(result, ctx)


def table_html(result: pd.DataFrame, ctx: Context) -> str:
    """The figures' table, or a line saying there are none."""
    lang = ctx.lang
    out: list[str] = []
    if result.empty:
        out.append(f'<p class="muted">{esc(t("no_online", lang, year=ctx.year))}</p>')
        return "".join(out)
    head = [
        (esc(t("indicator", lang)), False),
        (esc(t("value", lang)), True),
        (esc(t("target", lang)), True),
        (esc(t("set_by", lang)), False),
        (esc(t("source", lang)), False),
    ]
    body = []
    for r in result.itertuples(index=False):
        target = "—" if pd.isna(r.target) else target_text(r, lang)
        decision = getattr(r, f"set_by_{lang}")
        set_by = "" if pd.isna(decision) else str(decision)
        link = ""
        if not pd.isna(r.source_url) and str(r.source_url).startswith(("http://", "https://")):
            link = f' <a href="{esc(r.source_url)}">↗</a>'
        tnote = getattr(r, f"target_note_{lang}")
        note = "" if pd.isna(tnote) else f" <small>({esc(tnote)})</small>"
        body.append(
            [
                (esc(index_name(r.indicator, lang, short=False)), False),
                (esc(value_text(r, lang)), True),
                (esc(target), True),
                (esc(set_by) + link + note, False),
                (f"<small>{cited(r.source, lang)}</small>", False),
            ]
        )
    out.append(html_table(head, body, "cchc-online"))
    return "".join(out)


def render(result: pd.DataFrame, ctx: Context) -> list:
    """The heading, the bar figure if any percent figure, then the table (or a line saying there are
    no figures): the figure, which cannot break across pages, before the table, which breaks between
    rows, so a figure that does not fit after the table's last page never leaves that page half empty."""
    from analysis.briefing import draw

    svg = online_svg(result, ctx.lang, ctx.display_name)
    if svg is None:
        return [html(result, ctx)]
    title = f"{t('online', ctx.lang)} {ctx.year}"
    figure = draw.SvgFigure(svg, NAME, f"{title} — {ctx.display_name}")
    return [heading(2, title), figure, table_html(result, ctx)]


def _balanced(label: str, width: int = LABEL_WIDTH) -> str:
    """The label in as few lines as `width` allows, of even length (no lone last word)."""
    lines = len(textwrap.wrap(label, width)) or 1
    for w in range(-(-len(label) // lines), width + 1):
        if len(textwrap.wrap(label, w)) == lines:
            return textwrap.fill(label, w)
    return textwrap.fill(label, width)


def online_svg(online: pd.DataFrame, lang: str, province: str) -> str | None:
    """Percent figures (and tasks done of assigned) as bars, with national targets marked."""
    from matplotlib.lines import Line2D

    from analysis.briefing import draw

    bars = []
    for r in online.itertuples(index=False):
        ind = indicators.catalogue().get(r.indicator)
        if pd.notna(r.done_of) and r.done_of:
            label = f"{index_name(r.indicator, lang, short=False)} ({r.value:.0f}/{r.done_of:.0f})"
            share = 100 * float(r.value) / float(r.done_of)
            bars.append((label, share, None, fmt_share(float(r.value), float(r.done_of), lang)))
        elif ind is not None and ind.unit == "percent":
            bars.append(
                (index_name(r.indicator, lang, short=False), float(r.value), r.target, said_value(r, lang))
            )
    if len(bars) < 2:  # one bar is no chart: the table above already says it in words
        return None
    with draw.style():
        bars = bars[::-1]
        labels = [_balanced(n) for n, _, _, _ in bars]
        # a label of three lines or more takes more than one bar's room: its slot grows with it, so no
        # label runs into its neighbour's (Nghệ An 2024: the two "paid to accounts" shares)
        slots = [max(1.0, 0.5 * (label.count("\n") + 1)) for label in labels]
        y = [sum(slots[:i]) + slots[i] / 2 - 0.5 for i in range(len(slots))]
        fig = draw.figure(0.34 * sum(slots) + 0.75)
        ax = fig.add_subplot()
        vals = [v for _, v, _, _ in bars]
        ax.barh(y, [100] * len(bars), color="#eef1f4", height=0.6, zorder=0)
        ax.barh(y, vals, color=draw.HIGHLIGHT, height=0.6, zorder=1)
        for i, (_, v, target, said) in zip(y, bars, strict=True):
            ax.annotate(
                said,  # as the table says it: the source's word and digits
                (min(v, 100), i),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=7.5,
                color=draw.MEDIAN,
            )
            if target is not None and pd.notna(target):
                ax.plot([target, target], [i - 0.38, i + 0.38], color=draw.TARGET, linewidth=1.8, zorder=2)
        ax.set_yticks(y)
        ax.set_ylim(-0.6, sum(slots) - 0.4)
        ax.set_yticklabels(labels)
        draw.margins(
            fig, left=max(draw.text_width(n, 8) for n in labels) + 0.15, right=0.15, top=0.4, bottom=0.3
        )
        ax.set_xlim(0, 112)
        ax.set_xticks([0, 20, 40, 60, 80, 100])
        ax.xaxis.set_major_formatter(draw.fmt_axis("online_filing_rate", lang))
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        handles = [Line2D([], [], color=draw.HIGHLIGHT, linewidth=6, label=province)]
        if any(target is not None and pd.notna(target) for _, _, target, _ in bars):
            handles.append(Line2D([], [], color=draw.TARGET, linewidth=1.8, label=t("target", lang)))
        fig.legend(handles=handles, loc="upper center", ncols=2, frameon=False)
        return draw.to_svg(fig)


def check_said(
    result: pd.DataFrame, lang: str, said: Callable[[object, str], str] | None = None
) -> list[str]:
    """The audit's check of the online figures as printed (issue #16, reviewer's cases): each shows
    the digits its source wrote (not 98,6 for 98,55, not 80,0 for 80) and a change of rank its
    direction. Call: `for m in online.check_said(res["online"], lang): yield "figure_meaning", m`."""
    out = []
    sep = "," if lang == "vi" else "."
    say = said or value_text  # the printer checked (the table's, which the bar labels share)
    for r in result.itertuples(index=False):
        text = say(r, lang)
        if str(r.indicator).endswith("_rank_change"):
            words = (t("places_up", lang, n=""), t("places_down", lang, n=""), t("places_same", lang))
            if not any(w.split()[0] in text for w in words):
                out.append(f"{r.indicator}: {text!r} does not say the direction of the change")
            continue
        precision = getattr(r, "precision", None)
        if not pd.isna(r.done_of) or r.unit == "vnd" or precision is None or pd.isna(precision):
            continue
        digits = re.search(rf"\d{re.escape(sep)}(\d+)", text)
        shown = len(digits.group(1)) if digits else 0
        scale = scale_of(getattr(r, "scale", None))
        # a figure in its magnitude word shows the digits of the scaled number ("3,1 triệu": 1)
        wrote = written_digits(float(r.value) / 10**scale, 3) if scale else int(precision)
        if shown != wrote:
            out.append(f"{r.indicator}: {text!r} shows {shown} decimal(s), its source wrote {wrote}")
        word = scale_word(scale, lang)
        if word and word not in text:
            out.append(f"{r.indicator}: {text!r} drops its source's magnitude word {word!r}")
    return out
