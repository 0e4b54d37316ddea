"""The text a reader sees in a built briefing, as HTML text and as PDF text, for end-to-end tests
that check a figure appears in both (shared by test_recent_e2e and test_report_figures_e2e)."""

from __future__ import annotations

import html as htmllib
import re
import unicodedata
from pathlib import Path

from analysis import provinces

# What the end-to-end modules build once per session: (provinces, years, languages).
SELECTIONS = (("Nghệ An,Lào Cai", "2024", "vi,en"), ("Nghệ An", "2022,2023", "vi"))


def page_text(markup: str) -> str:
    """The visible text of an HTML page, whitespace folded, NFC."""
    markup = re.sub(r"<(style|script)\b.*?</\1>", " ", markup, flags=re.S | re.I)
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", markup))
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", text))


def pages(out: Path, name: str, year: int, lang: str = "vi") -> tuple[str, str, str]:
    """(HTML text, PDF text, the HTML's <title>) of one briefing."""
    from pypdf import PdfReader

    slug = provinces.resolve(name, year).province.slug
    html_path = out / str(year) / lang / f"{slug}.html"
    raw = html_path.read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", raw, re.S).group(1)
    pdf = " ".join(p.extract_text() for p in PdfReader(html_path.with_suffix(".pdf")).pages)
    pdf = unicodedata.normalize("NFC", re.sub(r"\s+", " ", pdf))
    return page_text(raw), pdf, htmllib.unescape(title)


def in_both(needle: str | re.Pattern, html_text: str, pdf_text: str) -> None:
    for where, text in (("HTML", html_text), ("PDF", pdf_text)):
        found = needle.search(text) if isinstance(needle, re.Pattern) else needle in text
        assert found, f"{needle!r} not in the {where} text"
