"""Labels that fit: where a chart's labels may stand, and the check that none collides.

A label is placed where its box touches no other text (titles, axis names, tick labels, the
legend, other labels), crosses no drawn line (data lines, medians, stems, the method-change
rule), covers no marker and stays inside its axes. Boxes come from one layout pass of an Agg
renderer (no drawing); `clashes` runs the same geometry as a check, for the tests. Split from
`draw` (the shared look) because placing and checking labels is a job of its own; `draw`
re-exports the names the charts use.
"""

from __future__ import annotations

from itertools import pairwise

from matplotlib.figure import Figure

from analysis.briefing import leaders


def boxes_overlap(a, b, pad: float = 1.0) -> bool:
    """Whether two display-space bounding boxes overlap (with `pad` pixels of air)."""
    return not (a.x1 + pad <= b.x0 or b.x1 + pad <= a.x0 or a.y1 + pad <= b.y0 or b.y1 + pad <= a.y0)


TOL, AIR = 1.0, 2.0  # pixels (100 dpi): a box may touch another by TOL; it keeps AIR off lines, markers

# Speed switch: a label's box found fitting is kept as measured (not measured again), boxes to avoid
# are compared as plain numbers, marker points read as a plain array against the axes' box frozen
# once. `declutter` over An Giang 2018's three charts: 0.052 s -> 0.047 s CPU (most of the rest is
# measuring the 63 names of the ranking); placements are the same. False: measure as before.
REUSE_GEOMETRY = True


def renderer(fig: Figure, layout: bool = True):
    """A renderer for measuring text; with `layout`, after one layout pass with drawing disabled
    (the legend and the axis names find their place only when drawn; no pixels are made)."""
    if not hasattr(fig.canvas, "get_renderer"):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(fig)
    if layout:
        fig.draw_without_rendering()
    return fig.canvas.get_renderer()


def texts(fig: Figure) -> list:
    """Every text drawn: labels, annotations, titles, axis names, tick labels in view, legends."""
    out = list(fig.texts)
    for leg in fig.legends:
        out += list(leg.get_texts())
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        out += [*ax.texts, ax.title, ax._left_title, ax._right_title]
        out += [ax.xaxis.label, ax.yaxis.label]
        for axis, i, lim in ((ax.xaxis, 0, ax.get_xlim()), (ax.yaxis, 1, ax.get_ylim())):
            lo, hi = min(lim), max(lim)
            out += [t for t in axis.get_majorticklabels() if lo <= t.get_position()[i] <= hi]
        if ax.get_legend() is not None:
            out += list(ax.get_legend().get_texts())
    return [t for t in out if t.get_visible() and t.get_text().strip()]


def box(text, renderer):
    """A text's own box: an annotation's without its leader line (which runs to its point)."""
    from matplotlib.text import Annotation, Text

    if isinstance(text, Annotation):
        text.update_positions(renderer)  # else placed only when drawn
    return Text.get_window_extent(text, renderer)


def segments(fig: Figure) -> list[tuple[float, float, float, float]]:
    """Every drawn line of every axes as display-space segments, clipped to its axes: plotted
    lines (a NaN is a gap), horizontal and vertical rules, line collections (stems) and the
    outlines of shapes."""
    from matplotlib.collections import LineCollection

    out = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        paths = []
        for line in ax.lines:
            if line.get_visible() and line.get_linestyle() not in ("None", "none", "", " "):
                paths.append(line.get_transform().transform(line.get_xydata()))
        for coll in ax.collections:
            if isinstance(coll, LineCollection) and coll.get_visible():
                paths += [coll.get_transform().transform(seg) for seg in coll.get_segments()]
        for patch in ax.patches:  # outlined shapes (a box plot's box): their edges are lines
            if patch.get_visible() and patch.get_linewidth() > 0 and patch.get_edgecolor()[3] > 0:
                paths += patch.get_transform().transform_path(patch.get_path()).to_polygons()
        for xy in paths:
            for (x0, y0), (x1, y1) in pairwise(xy):
                seg = leaders.clip((x0, y0, x1, y1), ax.bbox) if all(map(_finite, (x0, y0, x1, y1))) else None
                if seg is not None:
                    out.append(seg)
    return out


def _finite(v: float) -> bool:
    return v == v and abs(v) != float("inf")


def markers(fig: Figure, dots: bool = True) -> list:
    """Display boxes of every marker: line markers ("_" a horizontal dash) and (`dots`) scatter dots."""
    from matplotlib.collections import PathCollection
    from matplotlib.transforms import Bbox

    px = fig.dpi / 72
    out = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        for line in ax.lines:
            mk = line.get_marker()
            if not line.get_visible() or mk in (None, "None", "none", "", " "):
                continue
            half = line.get_markersize() * px / 2
            w, h = (half, 0.5 * px) if mk == "_" else (0.5 * px, half) if mk == "|" else (half, half)
            inside = ax.bbox.frozen() if REUSE_GEOMETRY else ax.bbox
            for x, y in _rows(line.get_transform().transform(line.get_xydata())):
                if _finite(x) and _finite(y) and inside.contains(x, y):
                    out.append(Bbox([[x - w, y - h], [x + w, y + h]]))
        for coll in ax.collections if dots else ():
            if isinstance(coll, PathCollection) and coll.get_visible() and len(coll.get_offsets()):
                sizes = coll.get_sizes()
                pts = coll.get_offset_transform().transform(coll.get_offsets())
                for i, (x, y) in enumerate(_rows(pts)):
                    half = (sizes[i % len(sizes)] ** 0.5) * px / 2 if len(sizes) else 3 * px
                    out.append(Bbox([[x - half, y - half], [x + half, y + half]]))
    return out


def _rows(points):
    """Points to iterate over: as a plain array unless a value is masked (a masked row costs more)."""
    import numpy as np

    return np.asarray(points) if REUSE_GEOMETRY and not np.ma.is_masked(points) else points


def hits_line(box, segs, tol: float = TOL) -> bool:
    """Whether any segment crosses the box shrunk by `tol` pixels on each side."""
    from matplotlib.transforms import Bbox

    inner = Bbox([[box.x0 + tol, box.y0 + tol], [box.x1 - tol, box.y1 - tol]])
    return inner.width > 0 and inner.height > 0 and any(leaders.clip(s, inner) is not None for s in segs)


class Scene:
    """What a label must avoid: text boxes, line segments, marker boxes (display space).

    A label stays inside its axes, so only the texts drawn inside axes can meet it: titles, axis
    names, tick labels and the legend stand outside them. That spares a layout pass (half the
    figure's time); `clashes` still checks every text against every other."""

    def __init__(self, fig: Figure, movable: list):
        self.fig, self.renderer = fig, renderer(fig, layout=False)
        for ax in fig.axes:  # settle the autoscaled limits (else done lazily, at drawing)
            ax.get_xlim(), ax.get_ylim()
        mine = {id(t) for t in movable}
        inside = [t for ax in fig.axes if ax.get_visible() for t in ax.texts if t.get_visible()]
        self.boxes = [box(t, self.renderer) for t in inside if id(t) not in mine and t.get_text().strip()]
        self.segments = segments(fig)
        self.markers = markers(fig)
        self.points = markers(fig, dots=False)  # a leader passes no series' point (dots: too dense)
        self.last, self.solid = None, [b.extents.tolist() for b in self.boxes]  # see `cost`
        self.marks = [m.extents.tolist() for m in self.markers]

    def cost(self, label, inside, lead: bool = True) -> float:
        """How many things the label's box (and with `lead` its leader line) runs into (0: it fits);
        `inside` is the box it must stay in."""
        mine = box(label, self.renderer)
        out = 0 if contains(inside, mine) else 100
        if REUSE_GEOMETRY:  # kept for `keep`; boxes and markers as plain numbers
            self.last = (label, mine)
            out += _overlaps(mine, self.solid, pad=-TOL) + _overlaps(mine, self.marks, pad=AIR)
        else:
            out += sum(boxes_overlap(mine, k, pad=-TOL) for k in self.boxes)
            out += sum(boxes_overlap(mine, m, pad=AIR) for m in self.markers)
        out += 10 if hits_line(mine, self.segments, -AIR) else 0
        if lead and (path := leaders.leader(label, mine, self.renderer)) is not None:
            faults = leaders.faults(*path, self.segments, self.points, self.boxes)
            out += sum(0.5 if f == leaders.CROSSES else 10 for f in faults)  # crossing: least bad
        return out

    def keep(self, label, measured: bool = False) -> None:
        """Add the label's box and leader to the things to avoid; `measured`: not moved since `cost`."""
        fresh = measured and REUSE_GEOMETRY and self.last is not None and self.last[0] is label
        mine = self.last[1] if fresh else box(label, self.renderer)
        self.boxes.append(mine)
        self.solid.append(mine.extents.tolist())
        if (lead := leaders.leader(label, mine, self.renderer)) is not None:
            self.segments.append(lead[0])


def _overlaps(mine, others: list[list[float]], pad: float) -> int:
    """How many of the boxes (x0, y0, x1, y1) `boxes_overlap` the box `mine`, as plain numbers."""
    x0, y0, x1, y1 = mine.extents.tolist()
    return sum(
        not (x1 + pad <= a or c + pad <= x0 or y1 + pad <= b or d + pad <= y0) for a, b, c, d in others
    )


def contains(outer, inner, tol: float = TOL) -> bool:
    """Whether `inner` lies inside `outer` (to `tol` pixels)."""
    return (
        inner.x0 >= outer.x0 - tol
        and inner.x1 <= outer.x1 + tol
        and inner.y0 >= outer.y0 - tol
        and inner.y1 <= outer.y1 + tol
    )


def _apply(label, cand: dict) -> None:
    cand = dict(cand)
    if "xyann" in cand:
        label.xyann = cand.pop("xyann")
    label.set(**cand)


def place(
    scene: Scene, label, candidates: list[dict], required: bool = False, fallback=None, lead: bool = True
) -> bool:
    """Put the label at the first candidate (text properties; `xyann` for an annotation's offset)
    where it fits inside its axes; when none does, put it at `fallback`, or (`required`) where it
    runs into least, or else remove it. Returns whether it was placed where it fits."""
    inside = label.axes.bbox if label.axes else scene.fig.bbox
    best, best_cost = None, None
    for cand in candidates:
        _apply(label, cand)
        cost = scene.cost(label, inside, lead=lead)
        if cost == 0:
            scene.keep(label, measured=True)
            return True
        if best_cost is None or cost < best_cost:
            best, best_cost = cand, cost
    if fallback is not None or (required and best is not None):
        _apply(label, fallback if fallback is not None else best)
        scene.keep(label)
    else:
        label.remove()
    return False


def offsets(rings: tuple[float, ...] = (4.0, 13.0, 24.0, 36.0, 48.0)) -> list[dict]:
    """Candidate places of a point's label, nearest first: above, below (centred, then flush left
    or right of the point: by an axes' edge), then diagonal, then beside, then further out
    (offsets in points, for an annotation in "offset points")."""
    out = []
    for d in rings:
        out += [
            {"xyann": (0, d), "ha": "center", "va": "bottom"},
            {"xyann": (0, -d), "ha": "center", "va": "top"},
            {"xyann": (2, d), "ha": "right", "va": "bottom"},
            {"xyann": (-2, d), "ha": "left", "va": "bottom"},
            {"xyann": (2, -d), "ha": "right", "va": "top"},
            {"xyann": (-2, -d), "ha": "left", "va": "top"},
            {"xyann": (d * 0.7, d * 0.7), "ha": "left", "va": "bottom"},
            {"xyann": (-d * 0.7, d * 0.7), "ha": "right", "va": "bottom"},
            {"xyann": (d * 0.7, -d * 0.7), "ha": "left", "va": "top"},
            {"xyann": (-d * 0.7, -d * 0.7), "ha": "right", "va": "top"},
            {"xyann": (d, 0), "ha": "left", "va": "center"},
            {"xyann": (-d, 0), "ha": "right", "va": "center"},
        ]
    return out


def declutter(
    fig: Figure, labels: list, required: list[tuple] = (), leads: bool = False, misfits: list | None = None
) -> list:
    """Place labels so no box overlaps another text, a line, a marker or leaves its axes.

    `required`: (text, candidates[, fallback]) placed first and never removed (the method-change
    note, the province's own label): where nothing fits, the fallback place (outside the axes:
    the chart keeps it clear), else the least crowded candidate. `labels`: point
    annotations in priority order, each tried at `offsets()` (or given as (label, candidates)) and
    removed when no place fits; each label's leader line must reach its point on a clear path
    (`leaders.faults`), a required label's too with `leads`. Returns the labels kept; `misfits`,
    when given, collects the required labels that found no place where they fit."""
    items = [x if isinstance(x, tuple) else (x, offsets()) for x in labels]
    scene = Scene(fig, [t for t, *_ in required] + [t for t, _c in items])
    for text, cands, *fallback in required:
        fits = place(
            scene, text, cands, required=True, fallback=fallback[0] if fallback else None, lead=leads
        )
        if not fits and misfits is not None:
            misfits.append(text)
    return [label for label, cands in items if place(scene, label, cands)]


def clashes(fig: Figure, tol: float = TOL) -> list[str]:
    """What a reader would see collide: two texts whose boxes overlap, a text on a line or a marker
    (nearer than AIR), a text outside the figure, a leader not reaching its own point on a clear
    path (`leaders.faults`: through no text either). Empty when clean (the tests' check)."""
    r = renderer(fig)
    found = [(t, box(t, r)) for t in texts(fig)]
    segs, marks = segments(fig), markers(fig, dots=False)
    leads = {id(t): lead for t, b in found if (lead := leaders.leader(t, b, r)) is not None}
    out = []
    for i, (ta, a) in enumerate(found):
        name = repr(ta.get_text())
        if id(ta) in leads:  # its leader line reaches its own point on a clear path
            others = [b for t, b in found if t is not ta]
            lines = segs + [lead[0] for k, lead in leads.items() if k != id(ta)]
            faults = leaders.faults(*leads[id(ta)], lines, marks, others)
            out += [f"{name}'s leader {f}" for f in faults if f in leaders.MISLEADS]
        if not contains(fig.bbox, a, tol=0):
            out.append(f"{name} leaves the figure")
        if hits_line(a, segs, -AIR):  # a line through it, or touching it (Phú Thọ 2025's DTI "50/63*")
            out.append(f"{name} is crossed by a line")
        out += [f"{name} touches a marker" for m in marks if boxes_overlap(a, m, pad=AIR)][:1]
        for tb, b in found[i + 1 :]:
            if boxes_overlap(a, b, pad=-tol):
                out.append(f"{name} overlaps {tb.get_text()!r}")
    return out


def spread(wanted: list[float], widths: list[float], lo: float, hi: float) -> list[float]:
    """Centres for a row of boxes wanted at `wanted` (ascending), each `widths` wide, that no two
    overlap and all stay within [lo, hi]; each moved as little as it can (a run of boxes that
    would overlap is set side by side, centred on where its boxes want to be)."""
    runs: list[list[int]] = []  # each run: indices of boxes set side by side
    starts: list[float] = []  # each run's left edge

    def width(run: list[int]) -> float:
        return sum(widths[i] for i in run)

    def best_start(run: list[int]) -> float:
        # the left edge that puts the run's boxes, on average, where they want to be
        offset, total = 0.0, 0.0
        for i in run:
            total += wanted[i] - (offset + widths[i] / 2)
            offset += widths[i]
        return min(max(total / len(run), lo), max(lo, hi - width(run)))

    for i in range(len(wanted)):
        runs.append([i])
        starts.append(best_start([i]))
        while len(runs) > 1 and starts[-2] + width(runs[-2]) > starts[-1]:
            merged = runs.pop(-2) + runs.pop()
            starts.pop(), starts.pop()
            runs.append(merged)
            starts.append(best_start(merged))
    out = []
    for run, start in zip(runs, starts, strict=True):
        for i in run:
            out.append(start + widths[i] / 2)
            start += widths[i]
    return out
