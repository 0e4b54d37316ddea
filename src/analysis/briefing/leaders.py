"""Leader lines: the thin line from a label that had to move away from its point back to that point.

A reader follows a leader line to the marker it ends at, or the one it seems to aim at; so a leader
must reach its own point on a clear path: it passes no other marker, crosses no line and no text,
and does not run along a line leaving its own point (there it reads as pointing at the neighbour
that line goes to: the reviewer's Lào Cai 2024 PAPI "41/63*"). The geometry is the one matplotlib
draws (`Annotation.update_positions`): from the text box's centre towards the point, clipped by the
box padded with 2 pt, shortened by `shrinkA` at the text and `shrinkB` at the point. Display space.
"""

from __future__ import annotations

import math

AIR = 2.0  # pixels (at 100 dpi): a leader keeps this far from other markers, lines and texts
MIN_ANGLE = 30.0  # degrees between a leader and a line leaving its own point
MIN_LENGTH = 2.0  # pixels: a shorter leader is not drawn to be seen (a label beside its point)
# A leader crossing a line at an angle still leads the eye to its end: placement avoids it where it
# can, the charts' check (`draw.clashes`) allows it. A leader passing another marker, running along
# a line from its point or striking through a text (the reviewer's Hòa Bình 2023 DTI label, its
# leader through "Trung vị cả nước") leads the eye elsewhere or spoils a word: the check reports it.
CROSSES = "crosses a line"
PASSES, ALONG, THROUGH = "passes a marker", "runs along a line from its point", "crosses a text"
MISLEADS = (PASSES, ALONG, THROUGH)

Segment = tuple[float, float, float, float]


def clip(seg: Segment, box) -> Segment | None:
    """The part of a segment inside a box (Liang-Barsky), or None."""
    x0, y0, x1, y1 = seg
    dx, dy = x1 - x0, y1 - y0
    lo, hi = 0.0, 1.0
    for p, q in ((-dx, x0 - box.x0), (dx, box.x1 - x0), (-dy, y0 - box.y0), (dy, box.y1 - y0)):
        if p == 0:
            if q < 0:
                return None
            continue
        r = q / p
        if p < 0:
            lo = max(lo, r)
        else:
            hi = min(hi, r)
        if lo > hi:
            return None
    return (x0 + lo * dx, y0 + lo * dy, x0 + hi * dx, y0 + hi * dy)


def leader(label, text_box, renderer) -> tuple[Segment, tuple[float, float]] | None:
    """An annotation's drawn leader as a segment (text end first) and its point, or None when it
    draws none that shows (no arrow, the point inside the padded box, the shrinks eat it)."""
    from matplotlib.transforms import Bbox

    props = getattr(label, "arrowprops", None)
    if props is None or not label.get_visible() or label.axes is None:
        return None
    px = renderer.points_to_pixels(1)
    x1, y1 = label.axes.transData.transform(label.xy)
    pad = 2 * px  # matplotlib's patchA: the text box with 4 pt of padding, half on each side
    padded = Bbox([[text_box.x0 - pad, text_box.y0 - pad], [text_box.x1 + pad, text_box.y1 + pad]])
    if padded.contains(x1, y1):
        return None
    cx, cy = (text_box.x0 + text_box.x1) / 2, (text_box.y0 + text_box.y1) / 2
    inside = clip((cx, cy, x1, y1), padded)
    ex, ey = inside[2:] if inside else (cx, cy)
    length = math.hypot(x1 - ex, y1 - ey)
    a, b = props.get("shrinkA", 2) * px, props.get("shrinkB", 2) * px
    if length - a - b < MIN_LENGTH:
        return None
    ux, uy = (x1 - ex) / length, (y1 - ey) / length
    return (ex + ux * a, ey + uy * a, x1 - ux * b, y1 - uy * b), (x1, y1)


def _point_to_segment(x: float, y: float, seg: Segment) -> float:
    x0, y0, x1, y1 = seg
    dx, dy = x1 - x0, y1 - y0
    n = dx * dx + dy * dy
    f = 0.0 if n == 0 else max(0.0, min(1.0, ((x - x0) * dx + (y - y0) * dy) / n))
    return math.hypot(x - x0 - f * dx, y - y0 - f * dy)


def _cross(a: Segment, b: Segment) -> bool:
    def side(x0, y0, x1, y1, x, y) -> float:
        return (x1 - x0) * (y - y0) - (y1 - y0) * (x - x0)

    d1, d2 = side(*a, *b[:2]), side(*a, *b[2:])
    d3, d4 = side(*b, *a[:2]), side(*b, *a[2:])
    return d1 * d2 < 0 and d3 * d4 < 0


def _distance(a: Segment, b: Segment) -> float:
    if _cross(a, b):
        return 0.0
    return min(
        _point_to_segment(*a[:2], b),
        _point_to_segment(*a[2:], b),
        _point_to_segment(*b[:2], a),
        _point_to_segment(*b[2:], a),
    )


def _angle(ux: float, uy: float, vx: float, vy: float) -> float:
    nu, nv = math.hypot(ux, uy), math.hypot(vx, vy)
    if nu == 0 or nv == 0:
        return 180.0
    return math.degrees(math.acos(max(-1.0, min(1.0, (ux * vx + uy * vy) / (nu * nv)))))


def faults(seg: Segment, point: tuple[float, float], lines: list, marks: list, boxes: list) -> list[str]:
    """What leads a reader's eye from the leader `seg` (text end first) to another point than its
    own `point`: a marker it passes, a line it crosses or runs beside, a line leaving its own point
    at a narrow angle (the two read as one), a text it crosses. `marks` and `boxes` are display
    boxes, `lines` display segments; the label's own box is not among `boxes`."""
    from matplotlib.transforms import Bbox

    px, py = point
    out = []
    for m in marks:
        if m.x0 - 1 <= px <= m.x1 + 1 and m.y0 - 1 <= py <= m.y1 + 1:
            continue  # its own marker, or one drawn over its point (the median's dash where the
            # value is the median's): the leader ends there whatever way it comes
        if clip(seg, Bbox([[m.x0 - AIR, m.y0 - AIR], [m.x1 + AIR, m.y1 + AIR]])) is not None:
            out.append(PASSES)
            break
    back = (seg[0] - px, seg[1] - py)  # from the point along the leader
    for line in lines:
        ends = [(x, y) for x, y in (line[:2], line[2:]) if math.hypot(x - px, y - py) <= 1]
        if ends:  # a line from its own point: apart by an angle the eye tells
            x, y = line[2:] if ends[0] == line[:2] else line[:2]
            if _angle(*back, x - px, y - py) < MIN_ANGLE:
                out.append(ALONG)
                break
        elif _distance(seg, line) < AIR:
            out.append(CROSSES)
            break
    if any(clip(seg, b) is not None for b in boxes):
        out.append(THROUGH)
    return out
