"""Header words: fold publishers' column titles and map them to indicator keys.

Publishers word the same sub-index differently every few years ("Chi phí gia nhập thị trường",
"Gia nhập  thị trường", "Sub-Index 1: Entry Costs"), and in English and Vietnamese. We fold every
title (no diacritics, no punctuation, no year, no "Chỉ số thành phần 3:" numbering) and look it up
in data/subindex_names.csv, per publisher, so a new year with the same words needs no code change.
A title that is not found word for word is looked up by its meaning words (order ignored, without
the articles and the words for score and index listed in data/header_filler_words.csv): a new
year's "The PCI Weighted Score" is the known "Weighted PCI". What still matches nothing stays in the
loud "not imported" report.
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
SKIP_FILE = config.PACKAGE_DATA / "skip_columns.csv"
FILLER_FILE = config.PACKAGE_DATA / "header_filler_words.csv"

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
_WEIGHTING = re.compile(r"trong so|weight")
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


@cache
def _fillers(path: Path = FILLER_FILE) -> tuple[re.Pattern[str], frozenset[str]]:
    """Words a title may add or drop without changing the column it names (data/header_filler_words.csv):
    phrases of several words as one pattern, single words as a set."""
    with path.open(encoding="utf-8", newline="") as fh:
        words = [fold(r["words"]) for r in csv.DictReader(fh) if fold(r["words"])]
    phrases = sorted((w for w in words if " " in w), key=len, reverse=True)
    pattern = (
        re.compile(r"\b(?:" + "|".join(map(re.escape, phrases)) + r")\b") if phrases else re.compile("(?!)")
    )
    return pattern, frozenset(w for w in words if " " not in w)


def meaning_key(text: object) -> str:
    """A title's words that carry its meaning, in a fixed order: folded (case, diacritics), without
    year, numbering and filler words (articles, 'score', 'index', 'điểm', 'chỉ số'), order ignored.
    "The Weighted PCI Score", "PCI weighted" and "Weighted PCI" have one meaning key."""
    phrases, single = _fillers()
    words = phrases.sub(" ", header_key(text)).split()
    return " ".join(sorted({w for w in words if w not in single}))


@cache
def meanings(path: Path = NAMES_FILE) -> dict[tuple[str, str], Alias]:
    """(publisher, meaning key) -> alias, for the known titles whose meaning key names one indicator
    (a key two indicators share is left out: the exact title decides there, or nothing does)."""
    table: dict[tuple[str, str], Alias] = {}
    clash: set[tuple[str, str]] = set()
    for (pub, _), alias in aliases(path).items():
        key = (pub, meaning_key(alias.name))
        if not key[1]:
            continue
        if key in table and table[key].indicator != alias.indicator:
            clash.add(key)
        table.setdefault(key, alias)
    return {k: v for k, v in table.items() if k not in clash}


@lru_cache(maxsize=65536)
def match_alias(text: str, publisher: str) -> Alias | None:
    """The alias row a column title matches (its note says why a SKIP column is left out), or None.

    The title is tried whole, then without its parenthesised remarks ("Chỉ số PAPI (không có trọng
    số)" is whole-listed; "Chí số PCI 2006 (đã có trọng số)" only matches without them); each first
    by its folded words in order, then by meaning (`meaning_key`: a new year's "The weighted PCI
    score" is the known "Weighted PCI").
    """
    table = aliases()
    candidates = [text]
    if not _WEIGHTING.search(fold(" ".join(_PARENS.findall(text)))):
        candidates.append(_PARENS.sub(" ", text))  # never drop a remark on weighting: "PCI (unweighted)"
    for candidate in candidates:
        key = header_key(candidate)
        if key and (hit := table.get((publisher, key))):
            return hit
    by_meaning = meanings()
    for candidate in candidates:
        key = meaning_key(candidate)
        if key and (hit := by_meaning.get((publisher, key))):
            return hit
    return None


@dataclass(frozen=True)
class SkipRule:
    """One row of data/skip_columns.csv: a column we know and leave out on purpose, and why.

    kind `name` compares folded titles as subindex_names.csv does; `pattern` is a regular expression
    searched in the lower-cased title; `untitled_ids` and `text_only` describe a column by its cells.
    """

    publisher: str  # "*" for any publisher
    kind: str
    text: str
    reason: str


@cache
def skip_rules(path: Path = SKIP_FILE) -> tuple[SkipRule, ...]:
    with path.open(encoding="utf-8", newline="") as fh:
        rules = tuple(
            SkipRule(
                r["publisher"].strip().upper(), r["kind"].strip(), r["text"].strip(), r["reason"].strip()
            )
            for r in csv.DictReader(fh)
        )
    for rule in rules:
        if rule.kind not in {"name", "pattern", "untitled_ids", "text_only"} or not rule.reason:
            raise ValueError(f"{path}: bad rule {rule}")
        if rule.kind == "pattern":
            re.compile(rule.text)
    return rules


def _rules_for(publisher: str, kind: str) -> list[SkipRule]:
    return [r for r in skip_rules() if r.kind == kind and r.publisher in ("*", publisher)]


@lru_cache(maxsize=65536)
def _meets(rule: SkipRule, text: str) -> bool:
    if rule.kind == "name":
        return header_key(rule.text) in {header_key(text), header_key(_PARENS.sub(" ", text))} - {""}
    lowered = " ".join(unicodedata.normalize("NFC", text).casefold().split())
    return re.search(rule.text, lowered) is not None


def skip_reason(texts: list[str], publisher: str) -> str | None:
    """The first rule of skip_columns.csv (in file order) that any of a column's titles meets."""
    for rule in skip_rules():
        if rule.publisher not in ("*", publisher) or rule.kind not in ("name", "pattern"):
            continue
        for text in texts:
            if _meets(rule, text):
                return rule.reason
    return None


def content_skip_reason(kind: str, publisher: str) -> str | None:
    """The reason skip_columns.csv gives for a column known by its cells (`untitled_ids`, `text_only`)."""
    rules = _rules_for(publisher, kind)
    return rules[0].reason if rules else None


def match_header(text: str, publisher: str) -> str | None:
    """Indicator key for a column title, SKIP for a known column we leave out, None if unknown."""
    hit = match_alias(text, publisher)
    return hit.indicator if hit else None


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
