"""Vietnam's provinces across the 2025 merger: the 63 before 2025-07-01, the 34 after, and the map between.

Codes are reused with different meanings (15 is Yên Bái among the 63 and the new Lào Cai among the 34), so
the regime ("63" | "34") is part of every identity. Real files spell names in many ways; `resolve` folds a
name to a key (NFC, casefold, no diacritics, no "tỉnh"/"TP." prefix, no punctuation) and looks the key up,
so only true abbreviations and typos need an explicit alias (data/province_aliases.csv).

The data files are generated once from the `vietnamadminunits` and `vietnam-provinces` packages by
scripts/make_province_data.py; this module reads only our CSV files, so it needs neither package at run time.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from analysis import config
from analysis.errors import AnalysisError, UnknownProvinceError
from analysis.selection import check_year

REGIMES = ("63", "34")
MERGER_DATE = "2025-07-01"

REGIONS: dict[str, tuple[str, str]] = {
    "northern_midlands": ("Trung du và miền núi phía Bắc", "Northern Midlands and Mountains"),
    "red_river_delta": ("Đồng bằng sông Hồng", "Red River Delta"),
    "central_coast": ("Bắc Trung Bộ và duyên hải miền Trung", "North Central and Central Coast"),
    "central_highlands": ("Tây Nguyên", "Central Highlands"),
    "southeast": ("Đông Nam Bộ", "South East"),
    "mekong_delta": ("Đồng bằng sông Cửu Long", "Mekong River Delta"),
}


@dataclass(frozen=True)
class Province:
    """One province of one regime; (code, regime) is its identity."""

    code: str
    name: str
    name_en: str
    slug: str
    kind: str  # "tinh" | "thanh_pho" (thành phố trực thuộc trung ương)
    region: str  # key of REGIONS
    regime: str  # "63" | "34" ("64" only for provinces dissolved before 2008, e.g. Hà Tây)
    name_full: str = ""

    def ref(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name, "regime": self.regime}


@dataclass(frozen=True)
class Resolution:
    """What a name means in a year: the province, and the older province it was mapped from, if any."""

    province: Province
    successor_of: Province | None = None
    note: str | None = None
    query: str = ""

    def to_dict(self) -> dict[str, Any]:
        p = self.province
        return {
            "code": p.code,
            "name": p.name,
            "regime": p.regime,
            "name_en": p.name_en,
            "slug": p.slug,
            "kind": p.kind,
            "region": p.region,
            "input": self.query,
            "successor_of": self.successor_of.ref() if self.successor_of else None,
            "note": self.note,
        }


# --- normalisation -----------------------------------------------------------------------------------

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _fold(text: str) -> str:
    """Casefolded, without diacritics or punctuation, words separated by one space."""
    text = unicodedata.normalize("NFD", unicodedata.normalize("NFC", text).casefold())
    text = "".join(c for c in text if unicodedata.category(c) not in ("Mn", "Cf"))
    text = text.replace("đ", "d").replace("ð", "d")  # ð: the Icelandic eth some old fonts use for Đ
    return _NON_ALNUM.sub(" ", text).strip()


@cache
def _affixes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Prefix and suffix patterns from data/province_affixes.csv ("Tỉnh", "TP.", "Thủ đô", "UBND" …)."""
    rows = _read_csv(config.PACKAGE_DATA / "province_affixes.csv")
    words = {
        pos: sorted({_fold(r["affix"]) for r in rows if r["position"] == pos}, key=len, reverse=True)
        for pos in ("prefix", "suffix")
    }
    prefix = re.compile(r"^(?:(?:" + "|".join(map(re.escape, words["prefix"])) + r")\s+)+")
    suffix = re.compile(r"(?:\s+(?:" + "|".join(map(re.escape, words["suffix"])) + r"))+$")
    return prefix, suffix


@cache
def _spelling_folds() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Spelling classes folded together (k/c: Đắk Lắk = Đắc Lắc), from data/province_spelling_folds.csv."""
    rows = _read_csv(config.PACKAGE_DATA / "province_spelling_folds.csv")
    return tuple((re.compile(r["pattern"]), r["replacement"]) for r in rows)


@lru_cache(maxsize=65536)
def normalise(name: str) -> str:
    """Fold a province name to its lookup key: 'TP. Hồ Chí Minh', 'Ho Chi Minh City' -> 'hochiminh'.

    Dropping every diacritic also unifies old/new tone placement (Hoà/Hòa), Đăk/Đắk and NFC/NFD input;
    administrative and honorific prefixes ("Tỉnh", "TP.", "Thủ đô", "UBND tỉnh") and English suffixes
    go (data/province_affixes.csv). No two provinces of one regime share a folded key (checked when
    the registry loads).
    """
    prefix, suffix = _affixes()
    text = _fold(name)
    stripped = suffix.sub("", prefix.sub("", text))
    return (stripped or text).replace(" ", "")


def spelling_key(key: str) -> str:
    """A normalised key with spelling classes folded (k/c), for names no exact key or alias matches."""
    for pattern, replacement in _spelling_folds():
        key = pattern.sub(replacement, key)
    return key


# --- registry ----------------------------------------------------------------------------------------


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _province(row: dict[str, str], regime: str) -> Province:
    return Province(
        code=row["code"],
        name=row["name"],
        name_en=row["name_en"],
        slug=row["slug"],
        kind=row["kind"],
        region=row["region"],
        regime=regime,
        name_full=row.get("name_full", ""),
    )


@dataclass(frozen=True)
class Registry:
    """Both regimes, the merger map and the name index; built once from the CSV files in one folder."""

    provinces: dict[str, tuple[Province, ...]]
    by_code: dict[tuple[str, str], Province]
    index: dict[str, dict[str, Province]]  # regime -> key -> province
    aliases: dict[str, str]  # key -> canonical key
    successors: dict[tuple[str, str], Province]  # (code, regime) of an old province -> its successor
    predecessors: dict[str, tuple[Province, ...]]  # code of a 34-province -> the 63 it was formed from
    former: dict[str, tuple[Province, str, str]] = field(
        default_factory=dict
    )  # key -> (province, how, until)
    loose: dict[str, dict[str, Province]] = field(default_factory=dict)  # regime -> spelling key -> province
    loose_aliases: dict[str, str] = field(default_factory=dict)  # spelling key of an alias -> canonical key

    @classmethod
    def load(cls, folder: Path) -> Registry:
        provinces = {
            r: tuple(_province(row, r) for row in _read_csv(folder / f"provinces_{r}.csv")) for r in REGIMES
        }
        by_code = {(p.code, p.regime): p for ps in provinces.values() for p in ps}
        index = {r: _name_index(provinces[r], folder) for r in REGIMES}
        aliases = {
            normalise(a["alias"]): normalise(a["canonical"])
            for a in _read_csv(folder / "province_aliases.csv")
        }
        successors: dict[tuple[str, str], Province] = {}
        preds: dict[str, list[Province]] = {}
        for m in _read_csv(folder / "merger_2025.csv"):
            old, new = by_code[(m["old_code"], "63")], by_code[(m["new_code"], "34")]
            if (old.name, new.name) != (m["old_name"], m["new_name"]):
                raise AnalysisError(
                    f"{folder / 'merger_2025.csv'}: names disagree with the province files: {m}"
                )
            successors[(old.code, "63")] = new
            preds.setdefault(new.code, []).append(old)
        former: dict[str, tuple[Province, str, str]] = {}
        former_file = folder / "provinces_former.csv"
        for row in _read_csv(former_file) if former_file.exists() else []:
            gone = _province(row, "64")
            successors[(gone.code, gone.regime)] = by_code[(row["successor_code"], "63")]
            for key in {normalise(gone.name), normalise(gone.name_en), normalise(gone.slug)}:
                former[key] = (gone, row["reason"], row["until"])
        loose = {r: _spelling_index(index[r], folder) for r in REGIMES}
        loose_aliases = {spelling_key(k): v for k, v in aliases.items()}
        return cls(
            loose=loose,
            loose_aliases=loose_aliases,
            provinces=provinces,
            by_code=by_code,
            index=index,
            aliases=aliases,
            successors=successors,
            predecessors={code: tuple(ps) for code, ps in preds.items()},
            former=former,
        )

    def lookup(self, key: str, regime: str) -> Province | None:
        idx = self.index[regime]
        hit = idx.get(key)
        if hit is None and key in self.aliases:
            hit = idx.get(self.aliases[key])
        if hit is None:  # a spelling variant (Đắc Lắc, Bắc Cạn): compare with k/c folded
            loose = spelling_key(key)
            hit = self.loose.get(regime, {}).get(loose)
            if hit is None and loose in self.loose_aliases:
                hit = idx.get(self.loose_aliases[loose])
        return hit

    def successor(self, p: Province) -> Province:
        try:
            return self.successors[(p.code, p.regime)]
        except KeyError:
            raise AnalysisError(f"{p.name} (code {p.code}, regime {p.regime}) has no successor") from None

    def resolve(self, name: str, year: int | None = None) -> Resolution:
        key = normalise(name)
        if year is None:
            for regime in REGIMES:
                if (hit := self.lookup(key, regime)) is not None:
                    return Resolution(hit, query=name)
            return self._former_or_fail(name, key, "63", year)
        regime = regime_for_year(year)
        if (hit := self.lookup(key, regime)) is not None:
            return Resolution(hit, query=name)
        if regime == "34" and (old := self.lookup(key, "63")) is not None:
            new = self.successor(old)
            return Resolution(new, successor_of=old, note=self._merger_note(old, new), query=name)
        if regime == "63" and (new := self.lookup(key, "34")) is not None:
            raise ProvinceNotYetError(name, year, new, [p.name for p in self.predecessors.get(new.code, ())])
        return self._former_or_fail(name, key, regime, year)

    def _former_or_fail(self, name: str, key: str, regime: str, year: int | None) -> Resolution:
        if key in self.former:
            gone, how, until = self.former[key]
            heir = self.successors[(gone.code, gone.regime)]
            note = f"{gone.name} (former code {gone.code}) no longer exists: {how} on {until}"
            if regime == "34":
                heir = self.successor(heir)
                note += f"; in the 34-province regime that is {heir.name} (code {heir.code})"
            return Resolution(heir, successor_of=gone, note=note, query=name)
        raise UnknownProvinceError(name, year, self.suggest(key))

    def _merger_note(self, old: Province, new: Province) -> str:
        others = [p for p in self.predecessors[new.code] if p.code != old.code]
        head = f"{old.name} (63-province code {old.code})"
        if not others:
            return f"{head} continues as {new.name} (34-province code {new.code}) from {MERGER_DATE}"
        with_ = ", ".join(f"{p.name} (code {p.code})" for p in others)
        return f"{head} merged with {with_} into {new.name} (34-province code {new.code}) on {MERGER_DATE}"

    def suggest(self, key: str, n: int = 3) -> list[str]:
        names = {k: p.name for r in REGIMES for k, p in self.index[r].items()}
        return list(
            dict.fromkeys(names[k] for k in difflib.get_close_matches(key, list(names), n=n, cutoff=0.6))
        )


def _name_index(provinces: Iterable[Province], folder: Path) -> dict[str, Province]:
    index: dict[str, Province] = {}
    for p in provinces:
        for variant in (p.name, p.name_full, p.name_en, p.slug):
            key = normalise(variant)
            if index.setdefault(key, p) != p:
                raise AnalysisError(f"{folder}: {variant!r} folds to {key!r}, already {index[key].name!r}")
    return index


def _spelling_index(index: dict[str, Province], folder: Path) -> dict[str, Province]:
    loose: dict[str, Province] = {}
    for key, p in index.items():
        fold = spelling_key(key)
        if loose.setdefault(fold, p) != p:
            raise AnalysisError(f"{folder}: spelling fold {fold!r} joins {loose[fold].name!r} and {p.name!r}")
    return loose


class FormerProvinceError(UnknownProvinceError):
    """A province that existed in the year asked but whose figures are not kept (Hà Tây before 2008)."""

    def __init__(self, name: str, year: int, gone: Province, heir: Province, until: str, how: str):
        super().__init__(name, year, [heir.name])
        self.args = (
            f"{gone.name} existed in {year} but is not one of the provinces the clean table keeps (the 63 "
            f"and the 34): {how} on {until}, and its figures are never credited to {heir.name}, so there "
            f"is no {gone.name} briefing for {year}; brief {heir.name}, or a year from {int(until[:4]) + 1}",
        )


class ProvinceNotYetError(UnknownProvinceError):
    """A name that exists only among the 34 provinces, asked for a year before the merger."""

    def __init__(self, name: str, year: int, new: Province, formed_from: list[str]):
        super().__init__(name, year, formed_from)
        self.args = (
            f"province {name!r} did not exist in {year}: {new.name} (code {new.code}) belongs to the "
            f"34-province regime from {MERGER_DATE}; before that use one of: {', '.join(formed_from)}",
        )


# --- module API over the packaged data ---------------------------------------------------------------


@cache
def registry() -> Registry:
    """The registry of the package data, loaded once per process."""
    return Registry.load(config.PACKAGE_DATA)


def regime_for_year(year: int) -> str:
    """'34' from the merger year (2025) on, else '63'."""
    return "34" if int(year) >= config.MERGER_YEAR else "63"


@lru_cache(maxsize=131072)
def _resolve(name: str, year: int | None) -> Resolution:
    return registry().resolve(name, year)


def resolve(name: str, year: int | None = None) -> Resolution:
    """The province `name` denotes in `year` (None: the 63 first, then the 34); cached, so cheap per row.

    A lookup for importers and the clean stage (any whole year; a former province's name gives its
    successor, `successor_of` saying so). What a reader asks for goes through `validate`.
    """
    if not isinstance(name, str) or not name.strip():
        raise UnknownProvinceError(str(name), year)
    if year is not None:
        try:
            year = int(year)
        except (TypeError, ValueError):
            raise AnalysisError(f"province {name!r}: year {year!r} is not a whole number") from None
    return _resolve(name, year)


def validate(name: str, year: int | None = None) -> Resolution:
    """The province a briefing for `name` in `year` is about, or an error saying why there is none.

    The one check every request goes through (the command line, the build, `load_briefing`): the
    year (selection.check_year), the name (`resolve`), and a former province asked for a year it
    still existed in (Hà Tây up to 2008): its figures are not kept, so no briefing is made for it,
    rather than its successor's under its name. A name mapped to a successor is answered by
    `explain(resolution)`.
    """
    if year is not None:
        year = check_year(year, what=f"province {name!r}: year")
    res = resolve(name, year)
    gone = res.successor_of
    if gone is not None and gone.regime == "64" and year is not None:
        _, how, until = next(v for v in registry().former.values() if v[0].code == gone.code)
        if int(year) <= int(until[:4]):
            raise FormerProvinceError(name, int(year), gone, successor(gone), until, how)
    return res


def ended(p: Province) -> str:
    """The date (YYYY-MM-DD) a province of an older regime stopped existing: the merger it ended in."""
    if p.regime == "64":
        return next(until for gone, _, until in registry().former.values() if gone.code == p.code)
    return MERGER_DATE if p.regime == "63" else ""


def explain(res: Resolution) -> str | None:
    """One line for a name that was answered with another province, e.g. when a build starts:
    'Yên Bái → Lào Cai, 34 provinces from 2025-07-01'. None when the name was the province's own."""
    old = res.successor_of
    if old is None:
        return None
    if old.regime == "64":
        return f"{old.name} → {res.province.name}, merged on {ended(old)}"
    return f"{old.name} → {res.province.name}, 34 provinces from {MERGER_DATE}"


def _check_regime(regime: str | int) -> str:
    regime = str(regime)
    if regime not in REGIMES:
        raise AnalysisError(f"unknown regime {regime!r}: use '63' (before {MERGER_DATE}) or '34'")
    return regime


def all_provinces(regime: str | int) -> list[Province]:
    """Every province of one regime, by code."""
    return sorted(registry().provinces[_check_regime(regime)], key=lambda p: p.code)


def get(code: str | int, regime: str | int) -> Province:
    """The province with this GSO code in this regime ('1', 1 and '01' are the same code)."""
    regime = _check_regime(regime)
    text = str(code).strip()
    key = text.zfill(2) if text.isdigit() else text
    try:
        return registry().by_code[(key, regime)]
    except KeyError:
        raise UnknownProvinceError(
            f"code {code}", suggestions=[f"no such code in the {regime}-province list"]
        ) from None


def successor(p63: Province) -> Province:
    """The 34-regime province an old one became part of (for Hà Tây: Hà Nội of the 63)."""
    return registry().successor(p63)


def predecessors(p34: Province) -> list[Province]:
    """The 63-regime provinces a new one was formed from, by code."""
    if p34.regime != "34":
        raise AnalysisError(
            f"{p34.name} (code {p34.code}) is a {p34.regime}-regime province, not one of the 34"
        )
    return sorted(registry().predecessors[p34.code], key=lambda p: p.code)


def region_name(key: str, lang: str = "vi") -> str:
    """The Vietnamese or English name of a region key."""
    vi, en = REGIONS[key]
    return en if lang == "en" else vi
