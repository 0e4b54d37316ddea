"""Rules a screen reader of the HTML needs as much as a reader of the PDF live in briefing.css, which
both use (print.css is the PDF's alone): the review's screenshot of Phú Thọ 2025 showed "86,76 %"
broken over two lines in the HTML headline table, the no-wrap rule having gone to print.css only."""

from __future__ import annotations

import re

from analysis import config

TEMPLATES = config.PACKAGE_DIR / "templates"


def _rules(name: str) -> dict[str, str]:
    css = re.sub(r"/\*.*?\*/", "", (TEMPLATES / name).read_text(encoding="utf-8"), flags=re.S)
    return {sel.strip(): body for sel, body in re.findall(r"([^{}]+)\{([^}]*)\}", css)}


def test_the_headline_value_never_wraps_on_screen_or_paper() -> None:
    rules = _rules("briefing.css")
    assert "nowrap" in rules.get("table.cchc-headline td:nth-child(2)", "")
    assert "table.cchc-headline td:nth-child(2)" not in _rules("print.css")  # one place for the rule
