"""The publishing check: a briefing page must run no script and load nothing from outside.

It parses the page (elements, attributes, the CSS of <style> and style="") instead of matching
text, so escaped text that merely mentions `src=https://` or `<script>` (a citation, a quoted
source) never trips it, while a real script element, an event-handler attribute, a `javascript:`
link or an outside load (src, srcset, <link href>, SVG <image href>, CSS url() or @import) does.
A plain <a href> to a source is a citation the reader may follow, not a load.

URLs are read as a browser reads them (the WHATWG URL standard): leading and trailing control
characters and spaces are dropped and every tab and newline inside is removed, so `java&#9;script:`
is `javascript:`. Links may go to http(s)/mailto addresses, to files beside or below the page (its
take-away CSV, another briefing) or up to the reports folder (`../../index.html`), never beyond it
or to an absolute path: a page opened from disk must not reach the reader's other files. SVG
animation that sets a link (`<animate attributeName="href" values="javascript:…">`, `<set>`) is
refused, and so is any attribute value that is a script URL. The PDF's renderer fetches nothing
but data: URLs and the font files the build made (`url_fetcher`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import tinycss2

# Attributes whose URL the browser fetches by itself (on any element; <a>/<area> href are links).
_LOAD_ATTRS = frozenset({"src", "srcset", "poster", "data", "background", "action", "formaction", "ping"})
_HREF_LOADS = frozenset({"link", "image", "use", "feimage", "script", "base"})
_EMBED_TAGS = frozenset({"script", "iframe", "frame", "object", "embed", "applet", "portal"})
_SAFE_SCHEMES = ("data:",)
_SCRIPT_SCHEMES = frozenset({"javascript", "vbscript", "livescript"})
_LINK_SCHEMES = frozenset({"http", "https", "mailto"})
_ANIMATIONS = frozenset({"animate", "set", "animatemotion", "animatetransform", "animatecolor"})
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
_C0_OR_SPACE = "".join(chr(i) for i in range(0x21))
PAGE_DEPTH = 2  # published pages live at <reports>/<year>/<lang>/: a link may go up this far, no further


def whatwg(url: str) -> str:
    """The URL as a browser parses it: C0 controls and spaces trimmed, tabs and newlines removed."""
    return re.sub(r"[\t\n\r]", "", url.strip(_C0_OR_SPACE))


def scheme(url: str) -> str:
    """The URL's scheme, lower case, as a browser reads it ("" for a relative URL)."""
    m = _SCHEME.match(whatwg(url).lower())
    return m.group(1) if m else ""


def _is_outside(url: str) -> bool:
    """A URL the page would fetch from beyond itself: anything but a data: URL or a #fragment
    (a relative URL is a file on the reader's disk when the page is opened from there)."""
    u = whatwg(url).lower()
    return bool(u) and not u.startswith(("#", *_SAFE_SCHEMES))


def _link_problem(url: str) -> str | None:
    """Why a link (<a href>) must not be published, or None: script URLs, schemes other than
    http(s)/mailto (file:, ftp:, …), protocol-relative or absolute paths, and paths that go up."""
    u = whatwg(url)
    kind = scheme(u)
    if kind in _SCRIPT_SCHEMES:
        return "runs a script"
    if kind:
        return None if kind in _LINK_SCHEMES else f"opens a {kind}: address"
    if not u or u.startswith("#"):
        return None
    path = unquote(urlsplit(u.replace("\\", "/")).path)
    if path.startswith("/") or "\\" in u:
        return "reaches a file outside the reports folder"
    depth = PAGE_DEPTH  # how far up the reports folder is from the page
    for part in path.split("/"):
        depth += -1 if part == ".." else 0 if part in ("", ".") else 1
        if depth < 0:
            return "reaches a file outside the reports folder"
    return None


def _srcset_urls(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def css_problem(css: str, declarations: bool = False) -> str | None:
    """Why this CSS would load from outside (url() or @import), or None."""
    nodes = (
        tinycss2.parse_blocks_contents(css) if declarations else tinycss2.parse_stylesheet(css, True, True)
    )
    stack = list(nodes)
    while stack:
        node = stack.pop()
        kind = getattr(node, "type", "")
        if kind == "url" and _is_outside(node.value):
            return f"CSS url({node.value})"
        if kind == "function":
            if node.lower_name in ("url", "src", "image-set", "image"):
                for arg in node.arguments:
                    if getattr(arg, "type", "") == "string" and _is_outside(arg.value):
                        return f"CSS {node.lower_name}({arg.value!r})"
            stack.extend(node.arguments)
        if kind == "at-rule" and node.lower_at_keyword == "import":
            for tok in node.prelude:
                if getattr(tok, "type", "") in ("string", "url") and _is_outside(tok.value):
                    return f"CSS @import {tok.value!r}"
        for attr in ("prelude", "content", "value"):  # rules, declarations and () [] {} blocks
            part = getattr(node, attr, None)
            if isinstance(part, list):
                stack.extend(part)
    return None


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_style = 0
        self._style_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)
        if tag == "style":
            self._in_style += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "style" and self._in_style:
            self._in_style -= 1
            if problem := css_problem("".join(self._style_text)):
                self.problems.append(f"<style> loads an outside resource: {problem}")
            self._style_text.clear()

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._style_text.append(data)

    def _check(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "base":
            self.problems.append("contains a <base> element (it would move every link)")
        if tag in _EMBED_TAGS:
            what = "a <script> element" if tag == "script" else f"an <{tag}> element"
            self.problems.append(f"contains {what}")
        for raw_name, raw_value in attrs:
            name, value = raw_name.lower(), raw_value or ""
            local = name.rsplit(":", 1)[-1]  # xlink:href
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> runs a script")
            elif local == "href":
                if scheme(value) in _SCRIPT_SCHEMES:
                    self.problems.append(f"<{tag} href={value[:60]!r}> runs a script")
                elif tag in _HREF_LOADS and _is_outside(value):
                    self.problems.append(f"<{tag} {name}={value[:80]!r}> loads an outside resource")
                elif tag not in _HREF_LOADS and (why := _link_problem(value)):
                    self.problems.append(f"<{tag} {name}={value[:80]!r}> {why}")
            elif (
                tag in _ANIMATIONS
                and name == "attributename"
                and value.lower().rsplit(":", 1)[-1]
                in (
                    "href",
                    "src",
                )
            ):
                self.problems.append(f"<{tag} attributeName={value!r}> sets a link")
            elif any(scheme(part) in _SCRIPT_SCHEMES for part in value.split(";")):
                self.problems.append(f"<{tag} {name}={value[:60]!r}> holds a script URL")
            elif name in _LOAD_ATTRS:
                urls = _srcset_urls(value) if name == "srcset" else [value]
                if any(_is_outside(u) for u in urls):
                    self.problems.append(f"<{tag} {name}={value[:80]!r}> loads an outside resource")
            elif name == "style" and (problem := css_problem(value, declarations=True)):
                self.problems.append(f"<{tag} style> loads an outside resource: {problem}")
            elif name == "http-equiv" and value.lower() == "refresh":
                self.problems.append("<meta http-equiv=refresh> navigates away")


def unsafe_html(html: str) -> str | None:
    """Why `html` must not be published (a script or an outside load), or None when it is clean."""
    checker = _Checker()
    checker.feed(html)
    checker.close()
    if checker._in_style and (problem := css_problem("".join(checker._style_text))):
        checker.problems.append(f"<style> loads an outside resource: {problem}")
    if not checker.problems:
        return None
    more = f" (and {len(checker.problems) - 1} more)" if len(checker.problems) > 1 else ""
    return checker.problems[0] + more


def url_fetcher(allowed: Sequence[Path]) -> object:
    """A WeasyPrint URL fetcher that fetches data: URLs and files inside `allowed` folders only (the
    fonts the build subset); anything else (a relative `../../etc/passwd`, http:, file: elsewhere)
    is refused, so WeasyPrint reports it and the briefing fails instead of embedding a reader's file."""
    from weasyprint.urls import URLFetcher

    roots = [Path(a).resolve() for a in allowed]

    class _Fetcher(URLFetcher):
        def fetch(self, url: str, headers: object = None) -> object:
            kind = scheme(url)
            if kind == "data":
                return super().fetch(url, headers)
            if kind == "file":
                path = Path(unquote(urlsplit(whatwg(url)).path)).resolve()
                if any(path.is_relative_to(root) for root in roots):
                    return super().fetch(url, headers)
            raise ValueError(f"refused to fetch {url[:80]!r}: a briefing's PDF embeds nothing from outside")

    return _Fetcher(allowed_protocols=("data", "file"), allow_redirects=False)
