"""PDF pages for tests, with pypdfium2 (PDFium from PyPI): runs on any machine, no pdftoppm.

`render_page` draws a page as an image; `read_layout` reads where things are really printed: the
headings (WeasyPrint writes a bookmark per h1-h6, with its page and top), the text lines and the
images of each page's text area, and which page each body row of the briefing's tables landed on.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from PIL import Image

MM = 72 / 25.4
MARGIN_TOP_MM, MARGIN_BOTTOM_MM = 20, 18  # print.css @page


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


def squeeze(text: str) -> str:
    """Text compared without whitespace (line breaks differ between HTML and PDF), NFC. PDFium
    reads a hyphen at a line's end as U+FFFE."""
    return unicodedata.normalize("NFC", re.sub(r"\s+", "", text.replace("\ufffe", "-")))


@dataclass(frozen=True)
class Item:
    """A text line (part) or an image in a page's text area; `top`/`bottom` in points from the page top."""

    page: int  # 1-based
    top: float
    bottom: float
    kind: str  # "text" or "image"
    text: str = ""
    width: float = 0.0


@dataclass
class Heading:
    level: int  # 0 = h1, 1 = h2, 2 = h3
    title: str
    page: int
    top: float
    bottom: float = 0.0  # the foot of its last line (found among the page's text lines)


@dataclass
class Layout:
    pages: int
    items: list[Item] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    page_text: list[str] = field(default_factory=list)  # each page's text area, squeezed

    def on(self, page: int) -> list[Item]:
        return [i for i in self.items if i.page == page]


def read_layout(pdf: Path) -> Layout:
    """Where the text lines, images and headings of `pdf` are printed (the running title and page
    number, in the margins, are left out)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    doc = pdfium.PdfDocument(str(pdf))
    try:
        layout = Layout(pages=len(doc))
        for number in range(1, len(doc) + 1):
            page = doc[number - 1]
            height = page.get_size()[1]
            lo, hi = MARGIN_TOP_MM * MM - 1, height - MARGIN_BOTTOM_MM * MM + 1  # the text area, from the top
            textpage = page.get_textpage()
            texts = [
                item
                for item in _lines(textpage, number, height)
                if item.text.strip() and lo <= item.top and item.bottom <= hi
            ]
            layout.page_text.append(squeeze("".join(t.text for t in texts)))
            layout.items += texts
            for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=8):
                left, bottom, right, top = obj.get_bounds()
                layout.items.append(Item(number, height - top, height - bottom, "image", width=right - left))
        for mark in doc.get_toc():
            dest = mark.get_dest()
            if dest is None:
                continue
            page = dest.get_index() + 1
            _mode, view = dest.get_view()
            top = doc[page - 1].get_size()[1] - view[1]
            layout.headings.append(Heading(mark.level, mark.get_title(), page, top))
    finally:
        doc.close()
    for heading in layout.headings:
        heading.bottom = _heading_foot(layout, heading)
    return layout


def _lines(textpage, number: int, height: float) -> list[Item]:
    """The page's text as runs of characters between PDFium's line breaks, each with its box."""
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count)
    if len(text) != count:  # characters outside the BMP: one at a time
        text = "".join(textpage.get_text_range(i, 1)[:1] or " " for i in range(count))
    lines, run, box = [], [], None
    for i, char in enumerate(text):
        if char in "\r\n":
            if run:
                lines.append(Item(number, height - box[3], height - box[1], "text", "".join(run)))
            run, box = [], None
            continue
        run.append(char)
        if not char.isspace():
            left, bottom, right, top = textpage.get_charbox(i)
            box = (
                (left, bottom, right, top)
                if box is None
                else (min(box[0], left), min(box[1], bottom), max(box[2], right), max(box[3], top))
            )
    if run and box is not None:
        lines.append(Item(number, height - box[3], height - box[1], "text", "".join(run)))
    return lines


def _heading_foot(layout: Layout, heading: Heading) -> float:
    """The foot of a heading's last line: its text lines are the first below its bookmark that spell
    its title."""
    title, said, foot = squeeze(heading.title), "", None
    for item in layout.on(heading.page):
        if item.kind != "text" or item.top < heading.top - 2:
            continue
        part = squeeze(item.text)
        if title.startswith(said + part):
            said, foot = said + part, item.bottom
            if said == title:
                return foot
        elif said:
            break
    raise AssertionError(f"heading {heading.title!r} not found printed on page {heading.page}")


def text_lines(layout: Layout, page: int) -> int:
    """How many lines of text a page prints: its text runs grouped where they overlap in height (a
    bullet, the cells of a table row and a line's own runs stand side by side)."""
    lines, foot = 0, None
    for item in sorted((i for i in layout.on(page) if i.kind == "text"), key=lambda i: i.top):
        if foot is None or item.top >= foot - 1:
            lines, foot = lines + 1, item.bottom
        else:
            foot = max(foot, item.bottom)
    return lines


def heading_lines(layout: Layout) -> set[Item]:
    """The text lines that are headings' own."""
    own = set()
    for h in layout.headings:
        own |= {
            i
            for i in layout.on(h.page)
            if i.kind == "text" and h.top - 2 <= i.top and i.bottom <= h.bottom + 0.5
        }
    return own


class _Rows(HTMLParser):
    """The body rows of each table of an HTML page, each row's text squeezed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[str]] = []
        self._in_body = self._skip = 0
        self._row: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        elif tag == "table":
            self.tables.append([])
        elif tag == "tbody":
            self._in_body += 1
        elif tag == "tr" and self._in_body:
            self._row = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1
        elif tag == "tbody":
            self._in_body -= 1
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(squeeze("".join(self._row)))
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._row is not None and not self._skip:
            self._row.append(data)


def table_rows(html: str) -> list[list[str]]:
    """Each table's body rows (squeezed text), in document order."""
    parser = _Rows()
    parser.feed(html)
    return [rows for rows in parser.tables if rows]


def row_pages(layout: Layout, tables: list[list[str]]) -> list[list[int]]:
    """The page each body row is printed on, table by table: rows are found in order in the
    printed text (a continued table's repeated header row is skipped over)."""
    text = "".join(layout.page_text)
    starts, at = [], 0
    for page_text in layout.page_text:
        starts.append(at)
        at += len(page_text)
    found, cursor = [], 0
    for rows in tables:
        pages = []
        for row in rows:
            at = text.find(row, cursor)
            if at < 0:
                raise AssertionError(f"table row {row[:60]!r} not found in the printed text")
            cursor = at + len(row)
            pages.append(max(n for n, s in enumerate(starts, 1) if s <= at))
        found.append(pages)
    return found
