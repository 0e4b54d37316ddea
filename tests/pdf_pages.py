"""PDF pages as images for tests, with pypdfium2 (PDFium from PyPI): runs on any machine, no pdftoppm."""

from __future__ import annotations

from pathlib import Path

from PIL import Image


def render_page(pdf: Path | bytes, page: int = 1, dpi: float = 72) -> Image.Image:
    """Page `page` (1-based) of `pdf` as an RGB image at `dpi`."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))
    try:
        if not 1 <= page <= len(doc):
            raise IndexError(f"{pdf if isinstance(pdf, Path) else 'PDF'} has {len(doc)} pages, not {page}")
        return doc[page - 1].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        doc.close()
