"""The print copy: a briefing's SVG figures as PNG for the PDF, the screen HTML keeping the vectors.

Why: WeasyPrint draws SVG in pure Python (1-2 s for a matplotlib figure with its text as paths);
librsvg (analysis.outputs.svgraster) draws the same figure in under 0.1 s, outside the GIL. The
figures of each cell are begun as soon as the cell finishes (`Rasters`), while the kernel still
runs the next ones; `print_variant` makes the copy the PDF is rendered from.
"""

from __future__ import annotations

import base64
import copy as copy_module
import re
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nbformat import NotebookNode

__all__ = ["Rasters", "print_copy", "print_variant"]


_INLINE_SVG = re.compile(r"<svg\b[^>]*>.*?</svg>", re.S | re.I)
_VIEWBOX = re.compile(r'\bviewBox="\s*([-\d.eE]+)[\s,]+([-\d.eE]+)[\s,]+([-\d.eE]+)[\s,]+([-\d.eE]+)\s*"')


def _inline_svgs(out: NotebookNode) -> list[str]:
    """Self-contained <svg> elements inside an HTML output (a nested <svg> is left alone)."""
    html = out.get("data", {}).get("text/html")
    if not isinstance(html, str) or "<svg" not in html:
        return []
    return [m.group(0) for m in _INLINE_SVG.finditer(html) if m.group(0).count("<svg") == 1]


def _raster_svg(svg: str, png: bytes, width: float, height: float) -> str:
    """The same <svg> element (attributes, so the page's CSS still sizes it) holding one PNG image."""
    head = svg[: svg.index(">") + 1]
    if m := _VIEWBOX.search(head):
        x, y, w, h = m.groups()
    else:
        x, y, w, h = "0", "0", f"{width:g}", f"{height:g}"
    data = base64.b64encode(png).decode("ascii")
    image = f'<image x="{x}" y="{y}" width="{w}" height="{h}" preserveAspectRatio="none" '
    return f'{head}{image}href="data:image/png;base64,{data}"/></svg>'


class Rasters:
    """PNG copies of SVG figures, started while the notebook still runs.

    Why: the print copy (`print_variant`) needs every SVG figure as a PNG, 0.1-0.2 s of librsvg
    right after the notebook, on the critical path. librsvg runs outside the GIL, and the build's
    process mostly waits on the kernel then: so each cell's figures go to librsvg as soon as the cell
    finishes (`cell_done`, nbclient's `on_cell_executed` hook), and `print_variant` takes them.
    """

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None
        self._jobs: dict[str, Future] = {}

    def cell_done(self, cell: NotebookNode, **_: object) -> None:
        """Start rasterising the finished cell's SVG figures (called in the notebook's thread)."""
        from analysis.outputs import svgraster

        if not svgraster.available():
            return
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            svg = data.get("image/svg+xml")
            todo = [svg] if isinstance(svg, str) and "image/png" not in data else []
            for item in [*todo, *_inline_svgs(out)]:
                if item not in self._jobs:
                    if self._pool is None:
                        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="raster")
                    self._jobs[item] = self._pool.submit(_raster, item)

    def take(self, svg: str) -> tuple[bytes, float, float] | None:
        """The PNG of `svg` (started earlier, or made now)."""
        job = self._jobs.pop(svg, None)
        return job.result() if job is not None else _raster(svg)

    def clear(self) -> None:
        """Forget what no print copy took (a failed briefing's figures)."""
        self._jobs.clear()


def _raster(svg: str | bytes) -> tuple[bytes, float, float] | None:
    from analysis.outputs import svgraster

    try:
        return svgraster.svg_to_png(svg.encode("utf-8") if isinstance(svg, str) else svg)
    except (OSError, ValueError):
        return None


def print_variant(nb: NotebookNode, rasters: Rasters | None = None) -> NotebookNode | None:
    """A copy of `nb` whose SVG figures are PNG, for the PDF; None when it has no SVG figure.

    WeasyPrint draws SVG in Python: a matplotlib figure with its text as paths took 1-2 s per figure,
    more than the notebook itself, and a small inline SVG in an HTML output (a tile map) about
    0.25 s. An output that also carries a PNG keeps that PNG; an SVG-only output is rasterised
    with librsvg (analysis.outputs.svgraster), and an inline <svg> in HTML keeps its element and
    attributes (the print CSS still sizes it) around one rasterised image; if librsvg is
    unavailable or fails, the SVG stays (slower, same look). The HTML always keeps the vector SVG.
    `rasters` holds PNGs started while the notebook ran; the others are made here.
    """
    from analysis.outputs import svgraster

    every = [out for cell in nb.cells for out in cell.get("outputs", [])]
    if not any(
        ("image/svg+xml" in out.get("data", {}) and ("image/png" in out["data"] or svgraster.available()))
        or (svgraster.available() and _inline_svgs(out))
        for out in every
    ):
        return None
    import nbformat

    copy = nbformat.from_dict(copy_module.deepcopy(nb))
    outputs = [out for cell in copy.cells for out in cell.get("outputs", [])]
    figures = [out for out in outputs if "image/svg+xml" in out.get("data", {})]
    inline = [(out, svg) for out in outputs for svg in _inline_svgs(out)] if svgraster.available() else []

    raster = rasters.take if rasters is not None else _raster
    todo = [out["data"]["image/svg+xml"] for out in figures if "image/png" not in out["data"]]
    todo += [svg for _, svg in inline]
    # librsvg runs outside the GIL (ctypes releases it): figures rasterise in parallel on 2 cores.
    with ThreadPoolExecutor(max_workers=min(4, max(1, len(todo)))) as pool:
        pngs = iter(list(pool.map(raster, todo)))
    for out in figures:
        data = out["data"]
        if "image/png" not in data and (done := next(pngs)) is not None:
            png, width, _ = done
            data["image/png"] = base64.b64encode(png).decode("ascii")
            meta = out.setdefault("metadata", {})
            meta["image/png"] = dict(meta.get("image/svg+xml", {})) | {"width": round(width)}
        if "image/png" in data:
            del data["image/svg+xml"]
    for out, svg in inline:
        if (done := next(pngs)) is not None:
            out["data"]["text/html"] = out["data"]["text/html"].replace(svg, _raster_svg(svg, *done), 1)
    return copy


def print_copy(briefing: Any, rasters: Rasters | None = None) -> NotebookNode | None:
    """The briefing's print copy (`print_variant`), made once per briefing for every format that
    prints figures as images (the PDF, the Word document)."""
    if "print" not in briefing.shared:
        briefing.shared["print"] = print_variant(briefing.nb, rasters)
    return briefing.shared["print"]
