"""Chart labels that a reader can read (issue #16, the review of the Lào Cai, Nghệ An and Hòa Bình
pages of 2023–2025): no text box overlaps another text, no line crosses a text, every text lies
inside the figure, ranks carry the tables' kind mark, and a figure prints at its own size.

The real cases are rebuilt from the shipped clean data; `draw.clashes` is the check, so the first
tests show that it sees each kind of fault the reviewer found."""

from __future__ import annotations

from itertools import pairwise

import pandas as pd
import pytest

from analysis import provinces, rulebook
from analysis.briefing import draw
from analysis.briefing.core import compute, read_figures
from analysis.briefing.fmt import short_rank
from analysis.briefing.sections import distribution, ranking
from analysis.briefing.sections import trend as trend_section

PRINT_MAX_INCHES = 80 / 25.4  # print.css: a figure taller than 80 mm is shrunk to it
MIN_POINTS = 7  # the smallest label, on paper


def _panel(height: float = 2.0):
    """A small trend-like panel: a line, a dashed median just above it, y tick labels."""
    fig = draw.figure(height, 3.0)
    draw.margins(fig, left=0.5, right=0.1, top=0.3, bottom=0.3)
    ax = fig.add_subplot()
    ax.plot([2021, 2022, 2023], [40.0, 42.0, 41.0], marker="o", markersize=4)
    ax.plot([2021, 2022, 2023], [40.6, 42.6, 41.6], linestyle="--", marker="_", markersize=12)
    ax.set_xlim(2020.5, 2023.5)
    ax.set_xticks([2021, 2022, 2023])
    ax.set_ylim(38, 45)
    return fig, ax


def test_clashes_sees_a_label_on_the_median_on_a_tick_label_and_past_the_edge():
    with draw.style():
        fig, ax = _panel()
        assert draw.clashes(fig) == []
        # "41/63" on the median line (the old placement: 5 points above the point)
        ax.annotate("41/63", (2022, 42.0), xytext=(0, 5), textcoords="offset points", ha="center")
        found = draw.clashes(fig)
        assert any("'41/63' is crossed by a line" in c for c in found), found
    with draw.style():
        fig, ax = _panel()
        ax.text(2020.45, 40.0, "Lào Cai: 0,678 (hạng 34/63 tỉnh có số liệu)", ha="right")
        found = draw.clashes(fig)
        assert any(c.startswith("'Lào Cai") and "overlaps '40'" in c for c in found), found  # a y tick
        assert any("leaves the figure" in c for c in found), found  # cut at the left edge


def test_declutter_moves_labels_off_lines_and_keeps_the_method_note_clear():
    with draw.style():
        fig, ax = _panel(height=3.0)
        ax.set_ylim(30, 45)
        ax.axvline(2021.5, linestyle=":")
        note = ax.text(2021.5, 0.97, "đổi phương pháp 2018", transform=ax.get_xaxis_transform(), fontsize=7)
        places = [  # at the top it would cross the line from 2021 to 2022: it must go to the foot
            {"x": 2021.44, "y": y, "rotation": 90, "ha": "right", "va": va}
            for y, va in ((0.97, "top"), (0.03, "bottom"))
        ]
        labels = [  # each starts where the median line strikes it through
            ax.annotate(f"{r}/63", (x, y), xytext=(0, 4), textcoords="offset points", fontsize=7)
            for x, y, r in ((2023, 41.0, 53), (2022, 42.0, 41), (2021, 40.0, 62))
        ]
        assert any("crossed by a line" in c for c in draw.clashes(fig))
        kept = draw.declutter(fig, labels, [(note, places)])
        assert draw.clashes(fig) == []
        assert len(kept) == 3 and note.get_va() == "bottom"


@pytest.fixture(scope="module")
def shipped(shipped_clean_dir):
    return read_figures(shipped_clean_dir)


TREND_CASES = [  # the reviewer's trend charts
    ("Hòa Bình", 2023),
    ("Nghệ An", 2023),
    ("Lào Cai", 2024),
    ("Nghệ An", 2024),
    ("Hòa Bình", 2025),  # → Phú Thọ: three former provinces in each panel
    ("Hưng Yên", 2024),  # no place along the 2018 rule is free: the note stands by the title
]


def _briefing(df: pd.DataFrame, name: str, year: int, lang: str):
    return compute(df, provinces.resolve(name, year).province, year, lang)


def _rank_labels(fig) -> list[tuple[str, float, str]]:
    """(panel title, year, text) of every rank label drawn."""
    return [
        (ax.get_title(loc="left"), float(t.xy[0]), t.get_text())
        for ax in fig.axes
        for t in ax.texts
        if hasattr(t, "xy") and "/" in t.get_text()
    ]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize(("name", "year"), TREND_CASES)
def test_trend_labels_clear_everything_and_say_the_rank_kind(shipped, name, year, lang):
    from analysis.briefing.labels import index_name

    trend = _briefing(shipped, name, year, lang).result("trend")
    drawn, _single = trend_section.split_single(trend)
    with draw.style():
        fig = trend_section.trend_figure(drawn, lang)
        assert draw.clashes(fig) == [], (name, year, lang)
        assert fig.get_size_inches()[1] <= PRINT_MAX_INCHES  # printed at its own size
        labels = {(title, x): text for title, x, text in _rank_labels(fig)}
        assert labels
        for ax in fig.axes:
            assert all(t.get_fontsize() >= MIN_POINTS for t in ax.texts)
    if drawn["series"].nunique() > 1:
        return  # several series: each former province's last rank (the Phú Thọ test)
    for key, series in drawn.groupby("indicator"):
        ranked = series[series["rank"].notna()].sort_values("year")
        if ranked.empty:
            continue
        last = ranked.iloc[-1]  # the latest rank is never the one given up
        mark = "" if last["rank_kind"] == rulebook.PUBLISHED else "*"  # as the tables
        want = f"{int(last['rank'])}/{int(last['of'])}{mark}"
        assert labels.get((index_name(key, lang), float(last["year"]))) == want, (key, labels)


def test_phu_tho_2025_keeps_every_former_provinces_latest_rank(shipped):
    """The DTI "30/63*" and "20/63*" collided; PAPI "18/61*" and "16/61*" hid behind the lines."""
    trend = _briefing(shipped, "Phú Thọ", 2025, "vi").result("trend")
    drawn, _single = trend_section.split_single(trend)
    with draw.style():
        fig = trend_section.trend_figure(drawn, "vi")
        assert draw.clashes(fig) == []
        shown = {text for _title, _x, text in _rank_labels(fig)}
    assert {"30/63*", "20/63*", "18/61*", "16/61*"} <= shown, shown


RANKING_CASES = [  # the reviewer's ranking charts, and the rest of the three provinces' pages
    ("Lào Cai", 2024, "vi"),  # struck through by the median line
    ("Lào Cai", 2023, "en"),  # ran over the y tick labels
    ("Hòa Bình", 2024, "en"),  # cut off as "…provinces with da"; "Quang Binh" clipped
    ("Nghệ An", 2023, "vi"),
    ("Nghệ An", 2024, "en"),
    ("Hòa Bình", 2023, "vi"),  # its leader struck through the median's label
    ("Hòa Bình", 2023, "en"),
    ("Đồng Nai", 2024, "vi"),  # 63 upright names: their boxes overlapped, stacked accents touched
    ("Thừa Thiên Huế", 2024, "vi"),
    ("Hà Nội", 2024, "en"),
]


@pytest.mark.parametrize(("name", "year", "lang"), RANKING_CASES)
def test_ranking_label_clears_everything_and_says_the_rank_as_the_tables(shipped, name, year, lang):
    result = _briefing(shipped, name, year, lang).result("ranking")
    assert ranking.shown(result)
    with draw.style():
        fig = ranking.ranking_figure(
            result.table, result.key, result.year, lang, result.median, ranking.coverage(result, lang)
        )
        names = {t.get_text() for t in fig.axes[0].texts if t.get_rotation() == 90}
        tab = result.table  # named: the province, its regional peers, the first and the last
        want = set(tab.loc[tab["highlight"] | tab["peer"], "name"]) | {
            tab["name"].iloc[0],
            tab["name"].iloc[-1],
        }
        assert names == want and len(want) >= 4, (name, year, lang)
        assert draw.clashes(fig) == [], (name, year, lang)  # every name's box clear of every other
        assert fig.get_size_inches()[1] <= PRINT_MAX_INCHES
        assert min(t.get_fontsize() for t in draw.texts(fig)) >= MIN_POINTS
        if result.median is not None:  # the dashes stay off the median's label (its dot below "ị")
            ax = fig.axes[0]
            fig.canvas.draw()
            note = next(t for t in ax.texts if t.get_color() == draw.MEDIAN)  # the median's label
            box = note.get_window_extent()
            line_y = ax.transData.transform((0, result.median))[1]
            gap_points = min(abs(box.y0 - line_y), abs(line_y - box.y1)) * 72 / fig.dpi
            assert not (box.y0 <= line_y <= box.y1) and gap_points >= 1.5, (name, year, lang, gap_points)
    row = next(result.table[result.table["highlight"]].itertuples())
    said = short_rank(ranking.rank_of_row(row), lang)
    assert said.endswith("*") == (row.rank_kind != rulebook.PUBLISHED)
    label = [t.get_text() for t in fig.axes[0].texts if t.get_text().startswith(f"{row.name}:")]
    assert len(label) == 1 and label[0].endswith(f"({said})"), label


@pytest.mark.parametrize(
    ("name", "year"), [("Lào Cai", 2023), ("Nghệ An", 2024), ("Hòa Bình", 2024), ("Cà Mau", 2024)]
)
def test_distribution_label_clears_the_box_and_figures_print_at_their_size(shipped, name, year):
    result = _briefing(shipped, name, year, "vi").result("distribution")
    parts = distribution.figure_parts(result)
    assert parts and sum(len(p.keys) for p in parts) == len(result.keys)
    for part in parts:
        with draw.style():
            fig = distribution.distribution_figure(part, "vi", name)
            assert draw.clashes(fig) == [], (name, year)
            assert fig.get_size_inches()[1] <= PRINT_MAX_INCHES


@pytest.mark.parametrize(("name", "year", "lang"), [("Nghệ An", 2024, "vi"), ("Hòa Bình", 2023, "en")])
def test_subindex_values_clear_every_marker(shipped, name, year, lang, monkeypatch):
    """Issue #16 review: a value between the regional median and the national best was printed
    under the best's star ("5,32", "4.46"); it now goes past the markers beside the dot."""
    from analysis.briefing.sections import subindices

    figures = []
    real = draw.to_svg
    monkeypatch.setattr(draw, "to_svg", lambda fig: figures.append(fig) or real(fig))
    b = _briefing(shipped, name, year, lang)
    b.section("subindices")
    assert figures, "a sub-index chart is drawn"
    from matplotlib.colors import to_hex

    for fig in figures:
        r, ax = draw.renderer(fig), fig.axes[0]
        values = [t for t in ax.texts if t.get_text()[:1].isdigit()]
        assert values
        # the stars (national best) and diamonds (regional median): their centres, 3 pt around
        others = [
            c.get_offsets()
            for c in ax.collections
            if len(c.get_offsets())
            and to_hex(c.get_edgecolor()[0] if c.get_facecolor().size == 0 else c.get_facecolor()[0])
            in (to_hex(subindices.BEST), to_hex(draw.REGION))
        ]
        assert len(others) == 2
        points = ax.transData.transform([xy for group in others for xy in group])
        near = 3 * fig.dpi / 72
        hits = [
            t.get_text()
            for t in values
            for x, y in points
            if (b := draw.box(t, r)).x0 - near < x < b.x1 + near and b.y0 < y < b.y1
        ]
        assert hits == [], (name, year, lang)


def _leaders(fig) -> list[tuple[object, tuple, tuple]]:
    """(label, leader segment, its point) of every rank label that draws a leader line."""
    from analysis.briefing import leaders

    r = draw.renderer(fig)
    found = []
    for ax in fig.axes:
        for t in ax.texts:
            if hasattr(t, "xy") and (lead := leaders.leader(t, draw.box(t, r), r)) is not None:
                found.append((t, *lead))
    return found


def test_a_leader_running_along_the_line_to_the_next_point_is_seen():
    """The reviewer's Lào Cai 2024 PAPI "41/63*": its leader ran beside the line from its 2011 point
    to the 2012 one, and read as pointing at 2012; one straight up to its point does not."""
    from analysis.briefing import leaders

    with draw.style():
        fig, ax = _panel(height=3.0)
        ax.set_ylim(30, 50)
        ax.plot([2021.5, 2022.3], [34.0, 44.0], marker="o", markersize=4)  # steep: the leader runs beside it
        along = ax.annotate(
            "41/63*",
            (2021.5, 34.0),
            xytext=(-2, 24),
            textcoords="offset points",
            ha="left",
            fontsize=7,
            arrowprops={"arrowstyle": "-", "shrinkB": 3},
        )
        assert any("runs along a line from its point" in c for c in draw.clashes(fig)), draw.clashes(fig)
        along.xyann = (0, -24)  # straight down to its point, clear of every other marker and line
        along.set(ha="center", va="top")
        assert [c for c in draw.clashes(fig) if "leader" in c] == []
        ((_label, seg, point),) = _leaders(fig)
        assert leaders.faults(seg, point, draw.segments(fig), draw.markers(fig, dots=False), []) == []


@pytest.mark.parametrize(("name", "year"), TREND_CASES)
def test_every_leader_line_ends_at_its_own_point(shipped, name, year):
    """Each drawn leader ends next to its own point, nearer to it than to any other marker, and
    passes no other marker on its way (Lào Cai 2024: "41/63*" of 2011 seemed to point at 2012)."""
    import math

    trend = _briefing(shipped, name, year, "vi").result("trend")
    drawn, _single = trend_section.split_single(trend)
    with draw.style():
        fig = trend_section.trend_figure(drawn, "vi")
        marks = draw.markers(fig, dots=False)
        for label, seg, (px, py) in _leaders(fig):
            ex, ey = seg[2:]
            own = math.hypot(ex - px, ey - py)
            others = [
                math.hypot(ex - (m.x0 + m.x1) / 2, ey - (m.y0 + m.y1) / 2)
                for m in marks
                if math.hypot((m.x0 + m.x1) / 2 - px, (m.y0 + m.y1) / 2 - py) > 1
            ]
            assert own <= 3 * fig.dpi / 72 + 0.5 and own < min(others), label.get_text()
        assert not [c for c in draw.clashes(fig) if "leader" in c], (name, year)
        for ax in fig.axes:  # room made beside a latest point never shows a year after the data
            ticks = [float(t) for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
            assert ax.get_visible() is False or max(ticks) <= drawn["year"].max(), ticks


def test_swarm_dots_never_overlap_and_sit_as_near_the_axis_as_they_can():
    import numpy as np

    d = 2.8
    apart = np.array([0.0, 10.0, 20.0])  # far apart: all on the axis
    assert list(distribution.swarm_offsets(apart, d)) == [0.0, 0.0, 0.0]
    same = np.array([5.0, 5.0, 5.0])  # one value three times: the axis, then just above and below
    assert sorted(distribution.swarm_offsets(same, d)) == pytest.approx([-d, 0.0, d])
    rng = np.random.default_rng(7)
    x = np.concatenate([rng.normal(250, 60, 60), np.full(5, 250.0)])  # points across a chart
    y = distribution.swarm_offsets(x, d)
    gaps = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :]) + np.eye(len(x)) * 1e9
    assert gaps.min() >= d - 1e-6  # no two dots overlap
    five = distribution.swarm_offsets(np.full(5, 1.0), d)  # one value five times: a column, no gaps
    assert sorted(five) == pytest.approx([-2 * d, -d, 0.0, d, 2 * d])


def test_the_distribution_box_spans_every_province_and_shows_each_dot(shipped):
    result = _briefing(shipped, "Nghệ An", 2024, "vi").result("distribution")
    part = distribution.figure_parts(result)[0]
    with draw.style():
        fig = distribution.distribution_figure(part, "vi", "Nghệ An")
    for ax, key in zip(fig.axes, part.keys, strict=True):
        rows = part.table[part.table["indicator"] == key]
        others = rows.loc[~rows["highlight"], "value"].to_numpy(dtype=float)
        dots = [c.get_offsets() for c in ax.collections if len(c.get_offsets()) == len(others)]
        assert dots and sorted(dots[0][:, 0]) == pytest.approx(sorted(others))  # one dot per province
        ends = [x for line in ax.lines for x in line.get_xdata()]
        assert (min(ends), max(ends)) == pytest.approx((rows["value"].min(), rows["value"].max()))


def test_clashes_sees_a_leader_striking_through_a_text():
    """The reviewer's Hòa Bình 2023 DTI chart: the province label's leader ran through the median's
    label on its way down to the dot."""
    with draw.style():
        fig, ax = _panel(height=3.0)
        ax.set_ylim(30, 50)
        ax.text(2020.8, 43.0, "Trung vị: 0,685", fontsize=7)
        label = ax.annotate(
            "Hòa Bình: 0,615 (56/63*)",
            (2021.5, 37.0),
            xytext=(0, 60),
            textcoords="offset points",
            ha="center",
            fontsize=7,
            arrowprops={"arrowstyle": "-"},
        )
        found = draw.clashes(fig)
        assert any("'s leader crosses a text" in c for c in found), found
        label.xyann = (0, -30)  # below its point: the leader clears the median's label
        label.set(va="top")
        assert draw.clashes(fig) == []


def test_clashes_sees_a_label_touching_a_line_or_a_marker():
    """The reviewer's Phú Thọ 2025 DTI "50/63*" lay on the orange dashed line and Hòa Bình 2023's
    PCI "53/63*" touched the median's dash: a box less than `draw.AIR` from a line's path or a
    marker is a clash, not only one a line runs through."""
    with draw.style():
        fig, ax = _panel()
        ax.set_xlim(2020.5, 2024.0)  # room right of 2023
        ax.axhline(44.0, linewidth=0.8)
        on = ax.annotate("50/63*", (2021.5, 44.0), xytext=(0, 0.4), textcoords="offset points", va="bottom")
        # "53/63*" right of the median's dash at 2023 (12 pt wide: 6 pt each side), half a pixel off it
        by = ax.annotate("53/63*", (2023, 41.6), xytext=(6.4, 0), textcoords="offset points", va="center")
        found = draw.clashes(fig)
        assert any("'50/63*' is crossed by a line" in c for c in found), found
        assert any("'53/63*' touches a marker" in c for c in found), found
        on.xyann, by.xyann = (0, 3), (9, 0)  # 3 pt clear of each
        assert draw.clashes(fig) == []


@pytest.mark.parametrize(("name", "year"), TREND_CASES)
def test_a_trend_panel_names_its_latest_year(shipped, name, year):
    """The reviewer's Nghệ An 2023 PCI panel ran to 2023 with ticks at 2008 and 2016 only: each
    panel's last tick is its latest year, and no two tick labels touch."""
    from analysis.briefing.labels import index_name

    trend = _briefing(shipped, name, year, "vi").result("trend")
    drawn, _single = trend_section.split_single(trend)
    latest = {index_name(k, "vi"): int(p["year"].max()) for k, p in drawn.groupby("indicator")}
    with draw.style():
        fig = trend_section.trend_figure(drawn, "vi")
        r = draw.renderer(fig)
        for ax in (ax for ax in fig.axes if ax.get_visible()):
            lo, hi = ax.get_xlim()
            ticks = [t for t in ax.xaxis.get_majorticklabels() if lo <= t.get_position()[0] <= hi]
            years = [int(t.get_text()) for t in ticks]
            assert years[-1] == latest[ax.get_title(loc="left")], (
                name,
                year,
                ax.get_title(loc="left"),
                years,
            )
            boxes = [draw.box(t, r) for t in ticks]
            assert not any(draw.boxes_overlap(a, b) for a, b in pairwise(boxes)), years
