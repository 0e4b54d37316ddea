"""The publishing check: a briefing page must run no script and load nothing from outside.

It parses the page (elements, attributes, the CSS of <style> and style="") instead of matching
text, so escaped text that merely mentions `src=https://` or `<script>` (a citation, a quoted
source) never trips it, while a real script element, an event-handler attribute, a `javascript:`
link or an outside load (src, srcset, <link href>, SVG <image href>, CSS url() or @import) does.
A plain <a href> to a source is a citation the reader may follow, not a load.
"""

from __future__ import annotations

from html.parser import HTMLParser

import tinycss2

# Attributes whose URL the browser fetches by itself (on any element; <a>/<area> href are links).
_LOAD_ATTRS = frozenset({"src", "srcset", "poster", "data", "background", "action", "formaction", "ping"})
_HREF_LOADS = frozenset({"link", "image", "use", "feimage", "script", "base"})
_EMBED_TAGS = frozenset({"script", "iframe", "frame", "object", "embed", "applet", "portal"})
_SAFE_SCHEMES = ("data:",)


def _is_outside(url: str) -> bool:
    """A URL the page would fetch from outside itself: any scheme but data:, or protocol-relative."""
    u = "".join(url.split()).lower()  # browsers ignore whitespace inside URLs
    if not u or u.startswith("#") or u.startswith(_SAFE_SCHEMES):
        return False
    if u.startswith("//") or u.startswith("\\\\"):
        return True
    head = u.split("/", 1)[0]
    return ":" in head  # http:, https:, ftp:, file:, javascript: ...


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
        if tag in _EMBED_TAGS:
            what = "a <script> element" if tag == "script" else f"an <{tag}> element"
            self.problems.append(f"contains {what}")
        for raw_name, raw_value in attrs:
            name, value = raw_name.lower(), raw_value or ""
            local = name.rsplit(":", 1)[-1]  # xlink:href
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> runs a script")
            elif local == "href":
                if value.strip().lower().startswith(("javascript:", "vbscript:")):
                    self.problems.append(f"<{tag} href={value[:60]!r}> runs a script")
                elif tag in _HREF_LOADS and _is_outside(value):
                    self.problems.append(f"<{tag} {name}={value[:80]!r}> loads an outside resource")
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
