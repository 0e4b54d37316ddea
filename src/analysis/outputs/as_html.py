"""The briefing as one self-contained HTML page (nbconvert, our template): what readers open first.

Why our own template: nbconvert's `lab` template loads require.js and MathJax from a CDN, so its
HTML neither opens offline nor is free of scripts. Ours extends `classic/base.html.j2` (the cell
markup only), drops every script-producing block and inlines a small stylesheet. Why in-process:
the nbconvert command line costs about 0.6 s per briefing, almost all of it start-up
(perf_baseline.md section 1); a process keeps one exporter.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import TYPE_CHECKING, Any

from analysis.config import PACKAGE_DIR
from analysis.errors import BriefingError
from analysis.outputs.format import Briefing, Format
from analysis.outputs.safety import unsafe_html

if TYPE_CHECKING:
    from nbformat import NotebookNode

TEMPLATES_DIR = PACKAGE_DIR / "templates"
TEMPLATE_NAME = "briefing"
SCREEN_CSS = TEMPLATES_DIR / "briefing.css"
REMOVE_TAGS = frozenset({"remove", "remove_cell", "remove-cell", "hide"})


def prune(nb: NotebookNode) -> NotebookNode:
    """Drop what a reader must not see: cells tagged remove/hide, stderr (warnings) and script outputs."""
    cells = []
    for cell in nb.cells:
        if REMOVE_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            continue
        if cell.cell_type == "code":
            kept = []
            for out in cell.get("outputs", []):
                if out.get("output_type") == "stream" and out.get("name") == "stderr":
                    continue
                data = out.get("data")
                if data is not None:
                    for mime in [m for m in data if "javascript" in m or "widget" in m]:
                        del data[mime]
                    if not data:
                        continue
                kept.append(out)
            cell.outputs = kept
            if not kept:  # with inputs hidden, an output-less code cell is an empty box
                continue
        cells.append(cell)
    nb.cells = cells
    return nb


def _html_exporter(**options: object) -> object:
    """nbconvert's HTML exporter without its last pass through BeautifulSoup.

    That pass only adds a placeholder alt text to images without one and tabindex attributes for
    JupyterLab's layout; our figures carry their own alt text and our template has no such layout.
    It cost about 0.2 s per page, plus 0.4 s compiling CSS selectors once per process.
    """
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class BriefingHTMLExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):  # type: ignore[override]
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
            resources = self._init_resources(resources)
            data_filter = WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            )
            self.register_filter("highlight_code", highlight)
            self.register_filter("filter_data_type", data_filter)
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return BriefingHTMLExporter(**options)


@functools.cache
def _exporter() -> tuple[Any, str]:
    """One nbconvert exporter and the screen stylesheet per process (the PDF's page uses it too)."""
    exporter = _html_exporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    return exporter, SCREEN_CSS.read_text(encoding="utf-8")


def page(nb: NotebookNode, title: str, lang: str) -> str:
    """Self-contained HTML: no code, images as data: URIs, inline CSS, no script, nothing fetched.

    Text is NFC (every Vietnamese letter one code point): the PDF's fonts keep no layout tables."""
    exporter, css = _exporter()
    resources = {"briefing": {"title": title, "lang": lang, "css": css}}
    body, _ = exporter.from_notebook_node(prune(nb), resources=resources)
    body = unicodedata.normalize("NFC", body)
    if reason := unsafe_html(body):
        raise BriefingError(f"HTML {reason}")
    return body


def screen_page(briefing: Briefing) -> str:
    """The briefing's HTML page, made once per briefing whichever format asks first."""
    if "html" not in briefing.shared:
        briefing.shared["html"] = page(briefing.nb, briefing.title, briefing.lang)
    return briefing.shared["html"]


class HtmlFormat(Format):
    name, suffix, label = "html", ".html", "HTML"
    packages = ("nbconvert",)

    def warm(self) -> None:
        _exporter()

    def render(self, briefing: Briefing) -> bytes:
        return screen_page(briefing).encode("utf-8")
