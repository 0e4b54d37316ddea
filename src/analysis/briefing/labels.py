"""The words of a briefing, in Vietnamese and English, from `data/labels.csv` (key, vi, en).

Words are data: an editor changes a label in the CSV, not in Python. Everything that comes from
data (province names, sources, notes) passes through `esc` before it is put into HTML, so a source
string such as `<script>` is shown as text, never run. No matplotlib here: the build imports it.
"""

from __future__ import annotations

import csv
import html
from collections.abc import Sequence
from functools import cache

from analysis import indicators
from analysis.config import PACKAGE_DATA
from analysis.errors import LabelsError, UnknownLanguageError

LANGS = ("vi", "en")
LABELS_FILE = PACKAGE_DATA / "labels.csv"


@cache
def labels() -> dict[str, tuple[str, str]]:
    """key → (vi, en); every row must have both languages."""
    out: dict[str, tuple[str, str]] = {}
    with LABELS_FILE.open(encoding="utf-8", newline="") as fh:
        for row_no, row in enumerate(csv.DictReader(fh), start=2):
            key = (row.get("key") or "").strip()
            if key in out:
                raise LabelsError(LABELS_FILE, key, "appears twice", row_no)
            missing = [lang for lang in LANGS if not (row.get(lang) or "").strip()]
            if not key or missing:
                raise LabelsError(LABELS_FILE, key, f"has no text in {', '.join(missing) or 'key'}", row_no)
            out[key] = (row["vi"], row["en"])
    return out


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise UnknownLanguageError(lang, LANGS)
    return lang


def t(key: str, lang: str, **fmt: object) -> str:
    """The label in the briefing's language, with {placeholders} filled (values are not escaped)."""
    check_lang(lang)
    try:
        pair = labels()[key]
    except KeyError:
        raise LabelsError(LABELS_FILE, key, "is not in the file") from None
    text = pair[0 if lang == "vi" else 1]
    return text.format(**fmt) if fmt else text


def esc(value: object) -> str:
    """HTML-escape any text that came from data, so it always shows as text."""
    return html.escape("" if value is None else str(value), quote=True)


def index_name(key: str, lang: str, short: bool = True) -> str:
    """A headline index's short name (PCI, PAPI…: label `short.<key>`) or any indicator's catalogue name."""
    if short and f"short.{key}" in labels():
        return t(f"short.{key}", lang)
    ind = indicators.catalogue().get(key)
    return ind.name(lang) if ind else key


def join_names(names: Sequence[str], lang: str) -> str:
    """ "A, B và C" / "A, B and C"."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {t('and', lang)} " + names[-1]


def briefing_title(name: str, year: int, lang: str) -> str:
    """The one title of a briefing: its heading, the page title and the PDF's running head."""
    return f"{name} — {t('title', lang)} {year}"
