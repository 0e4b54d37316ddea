"""SVG -> PNG with the system's librsvg + cairo (through ctypes), for the PDF only.

Why: WeasyPrint draws SVG in pure Python. A briefing figure with its text as glyph paths took about
1 s per figure there, most of a briefing's whole cost; librsvg draws the same figure in under 0.1 s.
The HTML keeps the vector SVG; the PDF gets a PNG at 2x (about 190 dpi at its printed size).
librsvg and cairo are part of this machine image (the same GNOME stack as the Pango WeasyPrint
needs). When they are missing, `available()` is False and the PDF keeps the SVG (slower, same look).
"""

from __future__ import annotations

import ctypes
import functools

_RGB24 = 1  # opaque: WeasyPrint then embeds the image without a separate alpha mask


class _Rect(ctypes.Structure):
    _fields_ = [(n, ctypes.c_double) for n in ("x", "y", "width", "height")]


_WRITE = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(ctypes.c_ubyte), ctypes.c_uint)


@functools.cache
def _libs() -> tuple[ctypes.CDLL, ctypes.CDLL, ctypes.CDLL] | None:
    try:
        rsvg = ctypes.CDLL("librsvg-2.so.2")
        cairo = ctypes.CDLL("libcairo.so.2")
        gobject = ctypes.CDLL("libgobject-2.0.so.0")
        rsvg.rsvg_handle_get_intrinsic_size_in_pixels  # noqa: B018 - librsvg >= 2.52
    except (OSError, AttributeError):
        return None
    vp, dp, ip = ctypes.c_void_p, ctypes.POINTER(ctypes.c_double), ctypes.POINTER(ctypes.c_void_p)
    rsvg.rsvg_handle_new_from_data.restype = vp
    rsvg.rsvg_handle_new_from_data.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ip]
    rsvg.rsvg_handle_get_intrinsic_size_in_pixels.restype = ctypes.c_int
    rsvg.rsvg_handle_get_intrinsic_size_in_pixels.argtypes = [vp, dp, dp]
    rsvg.rsvg_handle_render_document.restype = ctypes.c_int
    rsvg.rsvg_handle_render_document.argtypes = [vp, vp, ctypes.POINTER(_Rect), ip]
    cairo.cairo_image_surface_create.restype = vp
    cairo.cairo_image_surface_create.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    cairo.cairo_create.restype = vp
    cairo.cairo_create.argtypes = [vp]
    cairo.cairo_destroy.argtypes = [vp]
    cairo.cairo_set_source_rgb.argtypes = [vp, ctypes.c_double, ctypes.c_double, ctypes.c_double]
    cairo.cairo_paint.argtypes = [vp]
    cairo.cairo_surface_destroy.argtypes = [vp]
    cairo.cairo_surface_write_to_png_stream.restype = ctypes.c_int
    cairo.cairo_surface_write_to_png_stream.argtypes = [vp, _WRITE, vp]
    gobject.g_object_unref.argtypes = [vp]
    return rsvg, cairo, gobject


def available() -> bool:
    return _libs() is not None


def svg_to_png(svg: bytes, scale: float = 2.0) -> tuple[bytes, float, float]:
    """PNG bytes and the SVG's own size in CSS pixels (to display the PNG at that size)."""
    libs = _libs()
    if libs is None:
        raise OSError("librsvg/cairo not found")
    rsvg, cairo, gobject = libs
    err = ctypes.c_void_p()
    handle = rsvg.rsvg_handle_new_from_data(svg, len(svg), ctypes.byref(err))
    if not handle:
        raise ValueError("librsvg cannot read this SVG")
    try:
        w, h = ctypes.c_double(), ctypes.c_double()
        if not rsvg.rsvg_handle_get_intrinsic_size_in_pixels(handle, ctypes.byref(w), ctypes.byref(h)):
            raise ValueError("SVG has no intrinsic size")
        width, height = max(1, round(w.value * scale)), max(1, round(h.value * scale))
        surface = cairo.cairo_image_surface_create(_RGB24, width, height)
        context = cairo.cairo_create(surface)
        try:
            cairo.cairo_set_source_rgb(context, 1.0, 1.0, 1.0)  # white paper behind the figure
            cairo.cairo_paint(context)
            viewport = _Rect(0, 0, width, height)
            if not rsvg.rsvg_handle_render_document(
                handle, context, ctypes.byref(viewport), ctypes.byref(err)
            ):
                raise ValueError("librsvg failed to render the SVG")
            chunks: list[bytes] = []

            def write(_closure, data, length):  # cairo's write callback: 0 = CAIRO_STATUS_SUCCESS
                chunks.append(ctypes.string_at(data, length))
                return 0

            if cairo.cairo_surface_write_to_png_stream(surface, _WRITE(write), None) != 0:
                raise ValueError("cairo failed to write the PNG")
            return b"".join(chunks), w.value, h.value
        finally:
            cairo.cairo_destroy(context)
            cairo.cairo_surface_destroy(surface)
    finally:
        gobject.g_object_unref(handle)
