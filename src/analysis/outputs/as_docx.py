"""The briefing as an editable Word document (python-docx), for offices that write their reports in Word.

An analyst pastes its tables and figures into the province's own report, so they must be real:
headings as Word headings, every table of the page as a Word table (header row bold, figures
right-aligned), every figure as a picture with its alt text as caption, and the data notes'
sources as a list with live links. It is made from the same executed notebook as the page (the
print copy, whose figures are PNG), so it says exactly what the page says. Text stays NFC
Unicode: Vietnamese needs no special font handling in Word.

The bytes are reproducible: no creation date (the template's would be false) and fixed zip
times, so two builds of the same briefing give the same file.
"""

from __future__ import annotations

import base64
import io
import re
import unicodedata
import zipfile
from html.parser import HTMLParser
from typing import Any

from analysis.outputs import as_html
from analysis.outputs.format import Briefing, Format

FONT = "Times New Roman"  # the usual face of Vietnamese administrative documents; has every letter
FIGURE_CM = 16.0  # the text width of an A4 page with 2.5 cm margins, less a little
_SPACE = re.compile(r"\s+")
_DATA_PNG = re.compile(r"^data:image/png;base64,", re.I)
_HEADINGS = {"h1": 0, "h2": 1, "h3": 2, "h4": 3}
_SKIP = frozenset({"style", "script", "title"})


def _styled(doc: Any, style: str, text: str = "") -> Any:
    """A new paragraph in `style`, its id looked up once per document (python-docx looks a style up
    by scanning every style, each time: most of a document's time before)."""
    ids = doc._cchc_style_ids
    if style not in ids:
        ids[style] = doc.styles[style].style_id
    paragraph = doc.add_paragraph(text)
    paragraph._p.style = ids[style]
    return paragraph


def _picture(doc: Any, png: bytes, alt: str = "") -> None:
    """A picture at the text width (or its own size at 96 dpi, if smaller), its alt text below."""
    from docx.shared import Cm

    width = FIGURE_CM
    try:
        from PIL import Image

        with Image.open(io.BytesIO(png)) as im:
            width = min(FIGURE_CM, im.width / 2 / 96 * 2.54)  # the print copy's PNG is drawn at 2x
    except Exception:  # an image Pillow cannot read is still placed, at the text width
        pass
    doc.add_picture(io.BytesIO(png), width=Cm(width))
    if alt:
        _styled(doc, "Caption", alt)


def _hyperlink(paragraph: Any, text: str, url: str) -> None:
    """A clickable link (python-docx has no call for it: the run goes inside a w:hyperlink)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rid = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = paragraph.add_run(text)
    part = paragraph.part
    if not hasattr(part, "_cchc_hyperlink"):  # looked up once per document: a scan of every style
        part._cchc_hyperlink = any(s.name == "Hyperlink" for s in part.styles)
    if part._cchc_hyperlink:
        run.style = "Hyperlink"
    run.font.underline = True
    link.append(run._r)
    paragraph._p.append(link)


class _Html(HTMLParser):
    """One HTML output of the notebook, added to the document block by block."""

    def __init__(self, doc: Any):
        super().__init__(convert_charrefs=True)
        self.doc = doc
        self.runs: list[tuple[str, frozenset[str], str]] = []  # (text, {"b","i","small","code"}, href)
        self.marks: list[str] = []
        self.href = ""
        self.block: tuple[str, Any] = ("p", None)  # the kind of paragraph the runs will become
        self.table: list[list[tuple[list, bool, bool]]] | None = None  # rows of (runs, header, number)
        self.cell: tuple[bool, bool] | None = None
        self.skip = 0
        self.svg = 0

    # ---------------------------------------------------------------- structure

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in _SKIP:
            self.skip += 1
        elif tag == "svg":
            self.flush()
            self.svg += 1
            self.svg_label = a.get("aria-label", "")
        elif tag == "image" and self.svg:
            href = a.get("href") or a.get("xlink:href", "")
            if _DATA_PNG.match(href):
                _picture(self.doc, base64.b64decode(_DATA_PNG.sub("", href)), self.svg_label)
        elif self.svg:
            return
        elif tag == "img":
            src = a.get("src", "")
            if _DATA_PNG.match(src):
                self.flush()
                _picture(self.doc, base64.b64decode(_DATA_PNG.sub("", src)), a.get("alt", ""))
        elif tag in _HEADINGS or tag in ("p", "li", "figcaption", "div"):
            self.flush()
            self.block = (tag, None)
        elif tag == "table":
            self.flush()
            self.table = []
        elif tag == "tr" and self.table is not None:
            self.table.append([])
        elif tag in ("td", "th") and self.table is not None:
            self.runs = []
            self.cell = (tag == "th", "num" in a.get("class", "").split())
        elif tag in ("b", "strong"):
            self.marks.append("b")
        elif tag in ("i", "em"):
            self.marks.append("i")
        elif tag in ("small", "code"):
            self.marks.append(tag)
        elif tag == "a":
            self.href = a.get("href", "")
        elif tag == "br":
            self.runs.append(("\n", frozenset(self.marks), ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "svg":
            self.svg = max(0, self.svg - 1)
        elif self.svg:
            return
        elif tag in ("td", "th") and self.table is not None and self.cell is not None:
            if not self.table:
                self.table.append([])
            self.table[-1].append((self.runs, *self.cell))
            self.runs, self.cell = [], None
        elif tag == "table" and self.table is not None:
            self._table(self.table)
            self.table = None
        elif tag in _HEADINGS or tag in ("p", "li", "figcaption", "div", "ul", "ol"):
            self.flush()
        elif tag in ("b", "strong", "i", "em", "small", "code"):
            want = {"strong": "b", "em": "i"}.get(tag, tag)
            if want in self.marks:
                self.marks.reverse()
                self.marks.remove(want)
                self.marks.reverse()
        elif tag == "a":
            self.href = ""

    def handle_data(self, data: str) -> None:
        if self.skip or self.svg:
            return
        text = _SPACE.sub(" ", data)
        if text:
            self.runs.append((text, frozenset(self.marks), self.href))

    # ---------------------------------------------------------------- output

    def _fill(self, paragraph: Any, runs: list[tuple[str, frozenset[str], str]]) -> None:
        from docx.shared import Pt

        text_runs = _trimmed(runs)
        for text, marks, href in text_runs:
            if href.startswith(("http://", "https://")):
                _hyperlink(paragraph, text, href)
                continue
            run = paragraph.add_run(text)
            if "b" in marks:  # set only when on: setting None still writes an empty run property
                run.bold = True
            if "i" in marks:
                run.italic = True
            if "small" in marks:
                run.font.size = Pt(8.5)
            if "code" in marks:
                run.font.name = "Courier New"

    def flush(self) -> None:
        """The runs gathered so far become one paragraph (a heading, a list item, a caption …)."""
        if self.table is not None and self.cell is not None:
            return  # inside a table cell: the cell collects them
        runs, (kind, _) = self.runs, self.block
        self.runs, self.block = [], ("p", None)
        if not any(text.strip() for text, _, _ in runs):
            return
        if kind in _HEADINGS:
            level = _HEADINGS[kind]
            text = "".join(t for t, _, _ in _trimmed(runs))
            _styled(self.doc, "Title" if level == 0 else f"Heading {level}", text)
            return
        style = {"li": "List Bullet", "figcaption": "Caption"}.get(kind)
        self._fill(_styled(self.doc, style) if style else self.doc.add_paragraph(), runs)

    def _table(self, rows: list[list[tuple[list, bool, bool]]]) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        rows = [r for r in rows if r]
        if not rows:
            return
        width = max(len(r) for r in rows)
        table = self.doc.add_table(rows=len(rows), cols=width)
        ids = self.doc._cchc_style_ids
        ids.setdefault("Table Grid", self.doc.styles["Table Grid"].style_id)
        table._tbl.tblPr.style = ids["Table Grid"]
        cells = table._cells  # row by row, read once (each table.cell() call walks the whole table)
        for i, row in enumerate(rows):
            for j, (runs, header, number) in enumerate(row):
                paragraph = cells[i * width + j].paragraphs[0]
                self._fill(paragraph, [(t, m | {"b"} if header else m, h) for t, m, h in runs])
                if number:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        self.doc.add_paragraph()  # Word joins two tables that touch


def _trimmed(runs: list[tuple[str, frozenset[str], str]]) -> list[tuple[str, frozenset[str], str]]:
    """The runs without the blank at the paragraph's start and end (HTML's collapsed whitespace)."""
    out = list(runs)
    while out and not out[0][0].strip():
        out.pop(0)
    while out and not out[-1][0].strip():
        out.pop()
    if out:
        out[0] = (out[0][0].lstrip(), *out[0][1:])
        out[-1] = (out[-1][0].rstrip(), *out[-1][1:])
    return out


def _setup(doc: Any, briefing: Briefing) -> None:
    """A4 with 2.5 cm margins, the body font, the title in the page header, metadata without dates."""
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    section.header.paragraphs[0].text = briefing.title
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    props = doc.core_properties
    props.title, props.language, props.author = briefing.title, briefing.lang, "cchc-briefings"
    props.last_modified_by, props.revision = "cchc-briefings", 1
    root = props._element
    for name in ("dcterms:created", "dcterms:modified"):
        for el in root.findall(qn(name)):
            root.remove(el)


class _Zip:
    """python-docx's package writer, with fixed member times and PNG data stored as it is.

    python-docx stamps each member with the clock and deflates the PNG figures again; writing its
    parts here gives the same package, reproducible, in one pass."""

    def __init__(self, out: io.BytesIO):
        self.zip = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)

    def write(self, pack_uri: Any, blob: bytes) -> None:
        info = zipfile.ZipInfo(pack_uri.membername, date_time=(1980, 1, 1, 0, 0, 0))
        png = pack_uri.membername.lower().endswith(".png")  # compressed already
        info.compress_type = zipfile.ZIP_STORED if png else zipfile.ZIP_DEFLATED
        self.zip.writestr(info, blob)

    def close(self) -> None:
        self.zip.close()


def _package(doc: Any) -> bytes:
    from docx.opc.pkgwriter import PackageWriter

    package = doc.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    out = io.BytesIO()
    writer = _Zip(out)
    PackageWriter._write_content_types_stream(writer, parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, parts)
    writer.close()
    return out.getvalue()


def document(nb: Any, briefing: Briefing) -> bytes:
    """The .docx of an executed (print-copy) notebook: its outputs in order, as Word blocks."""
    from docx import Document

    doc = Document()
    doc._cchc_style_ids = {}
    _setup(doc, briefing)
    for cell in as_html.prune(nb).cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "image/png" in data:
                alt = (out.get("metadata", {}).get("image/png") or {}).get("alt", "")
                alt = alt or (out.get("metadata", {}).get("image/svg+xml") or {}).get("alt", "")
                _picture(doc, base64.b64decode(data["image/png"]), alt)
            elif "text/html" in data:
                parser = _Html(doc)
                parser.feed(unicodedata.normalize("NFC", data["text/html"]))
                parser.close()
                parser.flush()
            elif "image/svg+xml" in data:  # no librsvg on this machine: the figure is named, not drawn
                alt = (out.get("metadata", {}).get("image/svg+xml") or {}).get("alt", "")
                _styled(doc, "Caption", f"[{alt or 'figure'}]")
            elif out.get("output_type") == "stream":
                doc.add_paragraph(unicodedata.normalize("NFC", str(out.get("text", ""))).strip())
    return _package(doc)


class DocxFormat(Format):
    name, suffix, label = "docx", ".docx", "Word"
    packages = ("python-docx",)

    def warm(self) -> None:
        import docx  # noqa: F401

    def render(self, briefing: Briefing) -> bytes:
        from analysis.outputs.printcopy import print_copy

        as_html.prune(briefing.nb)  # what the page drops, the document drops (the page may have done it)
        nb = print_copy(briefing) or briefing.nb
        return document(nb, briefing)
