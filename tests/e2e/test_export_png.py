"""The PDF embeds our RGB PNG figures' compressed data as it is (WeasyPrint would decode and compress
them again): the pages must show the same pixels as WeasyPrint's own path."""

from __future__ import annotations

import base64
import io
import zlib

from PIL import Image

from analysis.outputs import as_pdf as export
from pdf_pages import render_page


def _png(mode: str, **save: object) -> bytes:
    image = Image.new(mode, (97, 41), "white")
    for x in range(97):  # stripes and a gradient, so every PNG row filter has work to do
        for y in range(41):
            image.putpixel((x, y), (x * 2 % 256, y * 6, (x * y) % 256)[: len(mode)] if mode != "L" else x)
    out = io.BytesIO()
    image.save(out, format="PNG", **save)
    return out.getvalue()


def test_only_8_bit_rgb_non_interlaced_png_is_reused():
    rgb = _png("RGB")
    idat = export._png_idat(Image.open(io.BytesIO(rgb)))
    assert idat is not None and len(zlib.decompress(idat)) == 41 * (1 + 97 * 3)  # filter byte + RGB
    assert export._png_idat(Image.open(io.BytesIO(_png("RGBA")))) is None
    assert export._png_idat(Image.open(io.BytesIO(_png("L")))) is None
    # The same header marked interlaced (Adam7 rows are not the PDF's row order); CRC fixed.
    head = rgb[12:28] + b"\x01"
    interlaced = rgb[:28] + b"\x01" + zlib.crc32(head).to_bytes(4, "big") + rgb[33:]
    assert export._png_idat(Image.open(io.BytesIO(interlaced))) is None


def test_pdf_pages_show_the_same_pixels_as_weasyprints_own_path(tmp_path, monkeypatch):
    src = base64.b64encode(_png("RGB")).decode("ascii")
    html = f'<p>Hình</p><img src="data:image/png;base64,{src}" style="width: 8cm">'

    def pages(name: str) -> bytes:
        return render_page(export.PdfWriter().pdf(html, "t", tmp_path), 1, dpi=100).tobytes()

    used: list[bool] = []
    real = export._png_idat
    monkeypatch.setattr(export, "_png_idat", lambda im: used.append(True) or real(im))
    reused = pages("reused")
    assert used  # the figure took the direct path
    monkeypatch.setattr(export, "_png_idat", lambda im: None)  # WeasyPrint decodes and compresses again
    assert pages("recompressed") == reused
