"""Every output format of a briefing, in render order. Adding a format: one module, one line here.

The entries name classes by path, so the build's parent process can learn names and suffixes
without importing nbconvert or WeasyPrint (the format modules import those where they render).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from functools import cache

from analysis.outputs.format import Format

REGISTRY = (
    "analysis.outputs.as_html:HtmlFormat",
    "analysis.outputs.as_pdf:PdfFormat",  # after HTML: it prints the same page
    "analysis.outputs.as_csv:CsvFormat",
    "analysis.outputs.as_docx:DocxFormat",
)


@cache
def _load(entry: str) -> type[Format]:
    module, _, name = entry.partition(":")
    return getattr(importlib.import_module(module), name)


def formats(names: Iterable[str] | None = None) -> tuple[type[Format], ...]:
    """The format classes, in registry order; `names` picks some (unknown names are an error)."""
    every = tuple(_load(entry) for entry in REGISTRY)
    if names is None:
        return every
    wanted = list(names)
    unknown = sorted(set(wanted) - {f.name for f in every})
    if unknown:
        raise ValueError(f"unknown output formats: {', '.join(unknown)} (known: {names_of(every)})")
    return tuple(f for f in every if f.name in wanted)


def names_of(classes: Sequence[type[Format]]) -> str:
    return ", ".join(f.name for f in classes)


def links(classes: Sequence[type[Format]] | None = None) -> tuple[tuple[str, str], ...]:
    """(label, suffix) of each format: what the index and overview pages link."""
    return tuple((f.label, f.suffix) for f in (classes or formats()))


def key_packages(classes: Sequence[type[Format]] | None = None) -> tuple[str, ...]:
    """The packages whose versions enter the rebuild key, each once."""
    return tuple(dict.fromkeys(p for f in (classes or formats()) for p in f.packages))
