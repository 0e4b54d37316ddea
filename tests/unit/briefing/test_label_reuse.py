"""Label placement reusing what it measured (`placement.REUSE_GEOMETRY`: a fitting label's box kept as
measured, boxes compared as plain numbers, marker points read as plain arrays) places every label
where measuring afresh does, and the figure's SVG is the same."""

from __future__ import annotations

from analysis.briefing import draw, placement

XS = [2019 + i / 2 for i in range(9)]
YS = [40.0, 41.2, 42.0, 41.5, 41.0, 42.6, 43.5, 43.0, 42.8]


def _labelled_panel():
    """A crowded panel: nine point labels around a line, a dashed median and scatter dots (some
    find no place, others go further out), and a note too long for any of its places (it goes
    where it runs into least)."""
    fig = draw.figure(1.6, 2.2)
    draw.margins(fig, left=0.5, right=0.1, top=0.3, bottom=0.3)
    ax = fig.add_subplot()
    ax.plot(XS, YS, marker="o", markersize=4)
    ax.plot(XS, [y + 0.6 for y in YS], linestyle="--", marker="_", markersize=12)
    ax.scatter([x + 0.25 for x in XS], [y + 0.3 for y in YS], s=20)
    ax.set_xlim(2018.7, 2023.3)
    ax.set_ylim(39, 45)
    note = ax.text(2021, 44, "phương pháp đổi năm 2018: không so sánh với các năm trước", fontsize=8)
    places = [
        {"x": x, "y": y, "ha": "center", "va": "bottom"} for x, y in ((2021, 44.5), (2021, 39.2), (2020, 43))
    ]
    labels = [
        ax.annotate(f"{i + 30}/63", (x, y), xytext=(0, 4), textcoords="offset points", fontsize=9)
        for i, (x, y) in enumerate(zip(XS, YS, strict=True))
    ]
    return fig, labels, [(note, places)]


def test_declutter_places_labels_alike_with_boxes_reused_or_measured_afresh(monkeypatch):
    placed = {}
    for reuse in (True, False):
        monkeypatch.setattr(placement, "REUSE_GEOMETRY", reuse)
        with draw.style():
            fig, labels, required = _labelled_panel()
            kept = draw.declutter(fig, labels, required)
            note = required[0][0]
            placed[reuse] = (
                [(t.get_text(), t.xyann, t.get_ha(), t.get_va()) for t in kept],
                note.get_position(),
                draw.to_svg(fig),
            )
    assert placed[True] == placed[False]
    kept = placed[True][0]
    assert 0 < len(kept) < len(XS)  # some labels found no place
    assert any(abs(xy[1]) > 4 or xy[0] != 0 for _t, xy, *_ in kept)  # some went further out
