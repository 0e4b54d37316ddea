"""Header words: fold publishers' column titles and map them to indicator keys.

Publishers word the same sub-index differently every few years ("Chi phí gia nhập thị trường",
"Gia nhập  thị trường", "Sub-Index 1: Entry Costs"), and in English and Vietnamese. We fold every
title (no diacritics, no punctuation, no year, no "Chỉ số thành phần 3:" numbering) and look it up
in data/subindex_names.csv, per publisher, so a new year with the same words needs no code change.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from analysis import config

PUBLISHERS = ("PCI", "PAPI")
NAMES_FILE = config.PACKAGE_DATA / "subindex_names.csv"

# A title that names a column we know but do not import (unweighted score, tier, SOE bias...).
SKIP = "-"

YEAR_RE = re.compile(r"(?<!\d)(?:199\d|20[0-4]\d)(?!\d)")
_PARENS = re.compile(r"\([^)]*\)?")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Numbering and generic words in front of a sub-index name, once folded.
_PREFIXES = re.compile(
    r"^(?:\d+(?: \d+)*"
    r"|sub ?index(?: \d+)?"
    r"|dimensions?(?: \d+)?|dimentions?(?: \d+)?"
    r"|(?:diem )?chi so(?: thanh phan| noi dung)?(?: \d+)?"
    r"|diem(?: so)?(?: thanh phan)?(?: \d+)?"
    r"|noi dung(?: \d+)?|thanh phan(?: \d+)?"
    r")(?: |$)"
)
_SUFFIXES = re.compile(r" (?:sub ?index|subindex)$")


def fold(text: object) -> str:
    """Lower-case ASCII words: 'Tiếp cận  đất đai & Tenure*' -> 'tiep can dat dai and tenure'."""
    s = unicodedata.normalize("NFD", str(text).casefold())
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    s = s.replace("đ", "d").replace("&", " and ")
    return _NON_ALNUM.sub(" ", s).strip()


def years_in(text: object) -> list[int]:
    """Every plausible year written in a text (also glued to words: 'Un-weighted2015PAPI')."""
    return [int(y) for y in YEAR_RE.findall(str(text))]


def header_key(text: object) -> str:
    """The folded core of a column title: no year, no numbering, no generic 'index' words."""
    s = fold(YEAR_RE.sub(" ", str(text)))
    previous = None
    while s != previous:
        previous = s
        s = _PREFIXES.sub("", s).strip()
        s = _SUFFIXES.sub("", s).strip()
    return s


@dataclass(frozen=True)
class Alias:
    publisher: str
    indicator: str  # SKIP for a known column that is not imported
    name: str
    note: str


@cache
def aliases(path: Path = NAMES_FILE) -> dict[tuple[str, str], Alias]:
    """(publisher, folded name) -> alias, from the CSV the analysts extend."""
    table: dict[tuple[str, str], Alias] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            pub = row["publisher"].strip().upper()
            alias = Alias(pub, row["indicator"].strip() or SKIP, row["name"].strip(), row.get("note", ""))
            key = (pub, header_key(alias.name))
            if key in table and table[key].indicator != alias.indicator:
                raise ValueError(
                    f"{path}: {alias.name!r} maps to both {table[key].indicator} and {alias.indicator}"
                )
            table[key] = alias
    return table


@lru_cache(maxsize=65536)
def match_header(text: str, publisher: str) -> str | None:
    """Indicator key for a column title, SKIP for a known column we leave out, None if unknown.

    The title is tried whole, then without its parenthesised remarks ("Chỉ số PAPI (không có trọng
    số)" is whole-listed; "Chí số PCI 2006 (đã có trọng số)" only matches without them).
    """
    table = aliases()
    for candidate in (text, _PARENS.sub(" ", text)):
        key = header_key(candidate)
        if key and (hit := table.get((publisher, key))):
            return hit.indicator
    return None


@lru_cache(maxsize=65536)
def publisher_votes(text: str) -> dict[str, int]:
    """How strongly one text cell points at each publisher: its own name counts most."""
    words = set(fold(YEAR_RE.sub(" ", text)).split())
    votes = {}
    for pub in PUBLISHERS:
        v = 3 * (pub.lower() in words)
        if pub == "PCI" and "nang luc canh tranh" in fold(text):
            v += 3
        if match_header(text, pub) not in (None, SKIP):
            v += 1
        if v:
            votes[pub] = v
    return votes
