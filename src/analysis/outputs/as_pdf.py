"""The briefing as an A4 PDF: WeasyPrint prints the HTML page's print copy, fonts embedded.

Why WeasyPrint, in-process: from PyPI alone (no browser, no TeX), and its command line costs about
1.0 s per briefing, almost all start-up (perf_baseline.md section 1); a process keeps one font
setup and the print stylesheet. The print copy (outputs.printcopy) has the SVG figures as PNG,
because WeasyPrint draws SVG in pure Python. Speed tricks, each private to this module and each
switchable here: figure rasters begun as each cell finishes (RASTERS_PER_CELL), PNG data
embedded as it is (`_reuse_png_data`), no cyclic garbage collection during layout (`_no_gc`).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import struct
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.config import PACKAGE_DIR
from analysis.errors import BriefingError
from analysis.outputs import as_html
from analysis.outputs.format import Briefing, Format
from analysis.outputs.safety import url_fetcher

if TYPE_CHECKING:
    from nbformat import NotebookNode

PRINT_CSS = PACKAGE_DIR / "templates" / "print.css"
FONT_FAMILY = "Briefing Sans"
RASTERS_PER_CELL = True  # False: the print copy rasterises its figures after the notebook


def css_string(text: str) -> str:
    """A CSS string literal (for @page content), so a title can never break out of the rule."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("\r", " ")
    return f'"{escaped}"'


def font_files() -> dict[tuple[str, str], Path]:
    """DejaVu Sans as shipped inside matplotlib: Vietnamese never depends on the system's fonts.

    Found without importing matplotlib (0.5 s the build process does not otherwise need).
    """
    from importlib.util import find_spec

    spec = find_spec("matplotlib")
    if spec is None or spec.origin is None:
        raise BriefingError("matplotlib is not installed: its DejaVu fonts are the briefings' fonts")
    ttf = Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf"
    files = {
        ("normal", "normal"): ttf / "DejaVuSans.ttf",
        ("bold", "normal"): ttf / "DejaVuSans-Bold.ttf",
        ("normal", "italic"): ttf / "DejaVuSans-Oblique.ttf",
        ("bold", "italic"): ttf / "DejaVuSans-BoldOblique.ttf",
        ("mono", "normal"): ttf / "DejaVuSansMono.ttf",
    }
    missing = [str(p) for p in files.values() if not p.exists()]
    if missing:
        raise BriefingError(f"font files missing from matplotlib: {', '.join(missing)}")
    return files


# Unicode blocks kept in the embedded fonts: Latin (with Vietnamese: ơ ư in Latin Extended-B, ạ…ỹ in
# Latin Extended Additional), combining marks, punctuation, currency (₫), arrows, maths, shapes.
_SUBSET_RANGES = (
    (0x20, 0x7E), (0xA0, 0x24F), (0x2B0, 0x36F), (0x1E00, 0x1EFF), (0x2000, 0x206F), (0x20A0, 0x20CF),
    (0x2100, 0x214F), (0x2190, 0x21FF), (0x2200, 0x22FF), (0x25A0, 0x25FF),
)  # fmt: skip
_SUBSET_VERSION = b"3"
# Layout tables are dropped too: WeasyPrint's per-PDF subsetting (fontTools, as this image has no
# HarfBuzz-subset library) spends most of its time decompiling them. Vietnamese needs none of them
# once text is NFC (every Vietnamese letter is one precomposed code point): `Exporter.html` normalises.
_DROP_TABLES = ("GSUB", "GPOS", "GDEF", "MATH", "FFTM")


def font_cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cchc-briefings" / "fonts"


def subset_font(src: Path, cache_dir: Path) -> Path:
    """DejaVu Sans cut down once to the blocks above (kept in a cache dir, keyed by content).

    WeasyPrint subsets every font for every PDF; on the full DejaVu Sans (6,000 glyphs, large
    GSUB/GPOS tables) that took about 0.5 s per font face per PDF, more than the layout itself.
    """
    import hashlib

    digest = hashlib.sha256(src.read_bytes() + _SUBSET_VERSION).hexdigest()[:16]
    out = cache_dir / f"{src.stem}-{digest}.ttf"
    if out.exists():
        return out
    from fontTools import subset

    logging.getLogger("fontTools").setLevel(logging.ERROR)
    opts = subset.Options()
    opts.name_IDs, opts.notdef_outline, opts.hinting = ["*"], True, False
    opts.drop_tables += list(_DROP_TABLES)
    font = subset.load_font(str(src), opts)
    subsetter = subset.Subsetter(opts)
    subsetter.populate(unicodes=[c for a, b in _SUBSET_RANGES for c in range(a, b + 1)])
    subsetter.subset(font)
    tmp = cache_dir / f".{out.name}.{os.getpid()}.tmp"
    cache_dir.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(tmp), opts)
    os.replace(tmp, out)
    return out


def font_face_css(cache_dir: Path | None = None) -> str:
    """@font-face rules for "Briefing Sans" (+ Mono), from the subset DejaVu files."""
    cache_dir = cache_dir or font_cache_dir()
    rules = []
    for (weight, style), path in font_files().items():
        family = f"{FONT_FAMILY} Mono" if weight == "mono" else FONT_FAMILY
        w = "normal" if weight == "mono" else weight
        rules.append(
            f'@font-face {{ font-family: "{family}"; src: url("{subset_font(path, cache_dir).as_uri()}"); '
            f"font-weight: {w}; font-style: {style}; }}"
        )
    return "\n".join(rules)


def import_weasyprint() -> None:
    """Import WeasyPrint without cffi's slow library search.

    WeasyPrint tries several names per system library; for each name the loader cannot open, cffi
    asks `ctypes.util.find_library`, which runs gcc and ldconfig (about 0.5 s in all). On Linux the
    `.so.N` names load directly, so the search is skipped; if that fails, the normal import runs.
    """
    if "weasyprint" in sys.modules:
        return
    import ctypes.util

    real = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        import weasyprint
    except OSError:
        for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[name]
    finally:
        ctypes.util.find_library = real
    import weasyprint  # noqa: F401


def _png_idat(pillow_image: object) -> bytes | None:
    """The compressed pixel data of an 8-bit RGB, non-interlaced PNG, straight from its file.

    That is byte for byte what a PDF image with FlateDecode and PNG predictors holds, so it needs
    neither decoding nor compressing again; None for any other image (WeasyPrint's own path).
    """
    fp = getattr(pillow_image, "fp", None)
    if getattr(pillow_image, "format", None) != "PNG" or fp is None:
        return None
    try:
        fp.seek(0)
        data = fp.read()
    except (OSError, ValueError):
        return None
    # Signature, then IHDR: width, height, bit depth 8, colour type 2 (RGB), compression,
    # filter 0 and interlace 0.
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR" or data[24:29] != b"\x08\x02\x00\x00\x00":
        return None
    chunks, pos = [], 8
    while pos + 8 <= len(data):
        (length,) = struct.unpack("!I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        if kind == b"IDAT":
            chunks.append(data[pos + 8 : pos + 8 + length])
        elif kind == b"IEND":
            break
        pos += 12 + length
    return b"".join(chunks) or None


def _reuse_png_data() -> None:
    """Let WeasyPrint embed our PNG figures' compressed data as it is.

    WeasyPrint decodes every PNG and compresses it again only to take the data chunks back out
    (0.27 s for a briefing's five figures, a fifth of its PDF time). The figures librsvg draws
    (8-bit RGB, non-interlaced) carry exactly those chunks already; any other image takes
    WeasyPrint's own path. The PDF shows the same pixels.
    """
    from weasyprint import images

    raster = getattr(images, "RasterImage", None)
    original = getattr(raster, "_get_png_data", None)
    if original is None or getattr(original, "_cchc_reuse", False):
        return

    def get_png_data(pillow_image: object) -> bytes:
        return _png_idat(pillow_image) or original(pillow_image)

    get_png_data._cchc_reuse = True  # type: ignore[attr-defined]
    raster._get_png_data = staticmethod(get_png_data)


class _Collect(logging.Handler):
    """Keeps WeasyPrint's ERROR records (e.g. an image that failed to load) for the briefing's report."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


# What the warm-up prints: every face of the briefing font, a table and a PNG figure, so the first
# real briefing finds the fonts loaded and WeasyPrint's table and image code paths warm.
_WARM_PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJ"
    "RU5ErkJggg=="
)
_WARM_HTML = (
    "<h2>Tỉnh Đắk Lắk</h2><p>Chỉ số <b>đạt</b> <i>ước</i> <code>90,2%</code></p>"
    "<table><thead><tr><th>Năm</th><th>Điểm</th></tr></thead><tbody><tr><td>2018</td>"
    "<td>65,3</td></tr></tbody></table>"
)


def warm_notebook() -> NotebookNode:
    """A one-cell notebook with what a briefing prints: every face of the font, a table, a PNG."""
    import nbformat

    outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": _WARM_HTML}),
        nbformat.v4.new_output("display_data", data={"image/png": _WARM_PNG}),
    ]
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("", outputs=outputs)])


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """No cyclic garbage collection while WeasyPrint lays out a briefing.

    Its layout allocates boxes by the hundred thousand, and each collection then walks everything
    this process holds (pandas, nbconvert, fonts): 11 % of a PDF's time (0.08 s, median of 8 runs
    alternating with and without). The cycles it leaves are collected at the next collection.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class PdfWriter:
    """WeasyPrint set up once per process: fonts, print stylesheet, error collection."""

    def __init__(self) -> None:
        self._pdf_css: Any = None
        self._fonts: Any = None
        self._errors = _Collect()

    def close(self) -> None:
        """Remove WeasyPrint's temporary font folder (its own clean-up runs only when garbage-collected)."""
        folder = getattr(self._fonts, "_folder", None)
        if folder:
            import shutil

            shutil.rmtree(folder, ignore_errors=True)
            self._fonts._folder = None
        self._fonts = self._pdf_css = None  # a later pdf() sets them up again

    def pdf(self, html: str, title: str, base_dir: Path) -> bytes:
        """A4 PDF with DejaVu Sans embedded, the title on top of every page and 'page/pages' below."""
        import_weasyprint()
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration

        if self._pdf_css is None:
            # CSS warnings (selectors WeasyPrint does not support) are noise; errors are kept and reported.
            for name in ("weasyprint", "weasyprint.progress"):
                logger = logging.getLogger(name)
                logger.setLevel(logging.ERROR)
                logger.propagate = False
                logger.addHandler(self._errors)
            self._fonts = FontConfiguration()
            _reuse_png_data()
            text = font_face_css() + "\n" + PRINT_CSS.read_text(encoding="utf-8")
            self._pdf_css = CSS(string=text, font_config=self._fonts)
        self._errors.messages.clear()
        page = CSS(string=f"@page {{ @top-center {{ content: {css_string(title)}; }} }}")
        with _no_gc():
            # No base URL: links stay relative in the PDF (its CSV beside it, not the builder's
            # file:// path) and nothing is fetched but data: URLs and our fonts (url_fetcher).
            fetch = url_fetcher([font_cache_dir(), PACKAGE_DIR / "templates"])
            pdf = HTML(string=html, base_url=None, url_fetcher=fetch).write_pdf(
                stylesheets=[self._pdf_css, page], font_config=self._fonts
            )
        if self._errors.messages:
            raise BriefingError("WeasyPrint: " + "; ".join(self._errors.messages[:3]))
        return pdf


class PdfFormat(Format):
    name, suffix, label = "pdf", ".pdf", "PDF"
    packages = ("weasyprint",)

    def __init__(self) -> None:
        from analysis.outputs.printcopy import Rasters

        self.writer = PdfWriter()
        self.rasters = Rasters()

    def warm(self) -> None:
        """Load WeasyPrint and print a small page (fonts, tables and images warm) once."""
        if self.writer._pdf_css is None:
            self.writer.pdf(as_html.page(warm_notebook(), "warm", "vi"), "warm", Path.cwd())

    def cell_done(self, cell: Any) -> None:
        if RASTERS_PER_CELL:
            self.rasters.cell_done(cell)

    def render(self, briefing: Briefing) -> bytes:
        from analysis.outputs.printcopy import print_copy

        variant = print_copy(briefing, self.rasters)
        printed = (
            as_html.screen_page(briefing)
            if variant is None
            else as_html.page(variant, briefing.title, briefing.lang)
        )
        return self.writer.pdf(printed, briefing.title, briefing.base_dir)

    def reset(self) -> None:
        self.rasters.clear()  # what the print copy did not take (a failure)

    def close(self) -> None:
        self.writer.close()
