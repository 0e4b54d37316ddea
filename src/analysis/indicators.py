"""The indicator catalogue: keys, units, direction and names every part of the project shares.

The catalogue starts from the project spec (`shared/spec/indicators.csv`, keys never renamed) and
adds keys the data needs. Units written in sources ("points (0-10)", "rank /63", "thousand
persons") are mapped to catalogue units here, in one place, so a sheet cannot smuggle a percent
into a score column.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from analysis.config import PACKAGE_DATA
from analysis.errors import UnitMismatchError, UnknownIndicatorError

UNITS = ("percent", "score", "rank", "count", "vnd", "per_100", "people", "km2")


@dataclass(frozen=True)
class Indicator:
    """One indicator of the catalogue."""

    key: str
    unit: str
    higher_is_better: bool | None
    name_vi: str
    name_en: str
    family: str
    min: float | None
    max: float | None
    description: str = ""
    # Briefing columns: the section that shows it (headline, subindices, online…), its place there
    # and its display decimals. Data, not code: see scripts/add_section_columns.py.
    section: str = ""
    order: int | None = None
    precision: int | None = None
    # Plausible range (min_value/max_value columns): bounds for what has no scale (counts, money,
    # people), so a typing slip like a count of 10^28 is rejected by the clean stage.
    min_value: float | None = None
    max_value: float | None = None

    def name(self, lang: str = "vi") -> str:
        """The indicator's name in the briefing's language."""
        return self.name_en if lang == "en" else self.name_vi

    @property
    def is_rank(self) -> bool:
        return self.unit == "rank"


def _opt_float(text: str) -> float | None:
    return float(text) if text.strip() else None


def _opt_bool(text: str) -> bool | None:
    return {"true": True, "false": False}.get(text.strip().lower())


@cache
def catalogue() -> dict[str, Indicator]:
    """All indicators by key, in catalogue order."""
    with (PACKAGE_DATA / "indicators.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {
        r["key"]: Indicator(
            key=r["key"],
            unit=r["unit"],
            higher_is_better=_opt_bool(r["higher_is_better"]),
            name_vi=r["name_vi"],
            name_en=r["name_en"],
            family=r["family"],
            min=_opt_float(r["min"]),
            max=_opt_float(r["max"]),
            description=r["description"],
            section=(r.get("section") or "").strip(),
            order=int(r["order"]) if (r.get("order") or "").strip() else None,
            precision=int(r["precision"]) if (r.get("precision") or "").strip() else None,
            min_value=_opt_float(r.get("min_value") or ""),
            max_value=_opt_float(r.get("max_value") or ""),
        )
        for r in rows
    }


def _fold(text: str) -> str:
    """Compare names without case, diacritics, punctuation or spacing differences."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


@cache
def _index() -> dict[str, str]:
    """Folded key, alias, Vietnamese and English name → key."""
    index: dict[str, str] = {}
    for ind in catalogue().values():
        for label in (ind.key, ind.name_vi, ind.name_en):
            index.setdefault(_fold(label), ind.key)
    with (PACKAGE_DATA / "indicator_aliases.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            index.setdefault(_fold(row["alias"]), row["key"])
    return index


def get(key: str) -> Indicator:
    """The indicator with this exact key; raises UnknownIndicatorError naming the key."""
    try:
        return catalogue()[key]
    except KeyError:
        raise UnknownIndicatorError(key, difflib.get_close_matches(key, list(catalogue()), n=3)) from None


def lookup(text: str) -> Indicator:
    """Find an indicator by key, alias or its Vietnamese/English name, as analysts write them."""
    folded = _fold(str(text))
    key = _index().get(folded)
    if key is None:
        close = difflib.get_close_matches(folded, list(_index()), n=3, cutoff=0.75)
        raise UnknownIndicatorError(str(text), [_index()[c] for c in close])
    return catalogue()[key]


@dataclass(frozen=True)
class UnitReading:
    """A source's unit text mapped to a catalogue unit: multiply the value by `factor`."""

    unit: str
    factor: float = 1.0
    rank_of: int | None = None  # the N of "rank /N" when the source states it


_SCALE_WORDS = (("thousand", 1e3), ("nghìn", 1e3), ("ngàn", 1e3), ("million", 1e6), ("triệu", 1e6))


def read_unit(text: str) -> UnitReading | None:
    """Map unit text as sources write it to a catalogue unit; None when it says nothing usable."""
    raw = unicodedata.normalize("NFC", str(text or "")).strip()
    low = raw.casefold()
    if not low:
        return None
    if low in UNITS:
        return UnitReading(low)
    if low.startswith(("rank", "hạng", "thứ hạng", "xếp hạng")):
        match = re.search(r"/\s*(\d+)|\((\d+) provinces", low)
        n = next((int(g) for g in match.groups() if g), None) if match else None
        return UnitReading("rank", rank_of=n)
    factor = 1.0
    for word, scale in _SCALE_WORDS:
        if word in low:
            factor = scale
    if any(w in low for w in ("person", "people", "người", "dân số")):
        return UnitReading("people", factor)
    if low in {"%", "percent", "phần trăm", "tỷ lệ"} or low.startswith(("%", "percent", "tỷ lệ %")):
        return UnitReading("percent")
    if "% of max" in low:
        return UnitReading("percent")
    if low.startswith(("points", "point", "score", "điểm", "index")):
        return UnitReading("score")
    if low.startswith(("km2", "km²")):
        return UnitReading("km2")
    if any(w in low for w in ("vnd", "vnđ", "đồng")):
        for word, scale in (("tỷ", 1e9), ("billion", 1e9), ("triệu", 1e6), ("million", 1e6)):
            if word in low:
                return UnitReading("vnd", scale)
        return UnitReading("vnd")
    if "/100" in low or "per 100" in low:
        return UnitReading("per_100")
    if low in {"count", "number", "số", "số lượng", "tasks", "nhiệm vụ", "accounts", "tài khoản"}:
        return UnitReading("count")
    return None


def check_unit(key: str, unit_text: str | None) -> UnitReading:
    """The catalogue unit for `key` given the unit a source wrote (empty → the catalogue's own).

    Raises UnitMismatchError when the source's unit is a different kind of measure, or unreadable.
    """
    ind = get(key)
    if unit_text is None or not str(unit_text).strip():
        return UnitReading(ind.unit)
    reading = read_unit(unit_text)
    if reading is None or reading.unit != ind.unit:
        raise UnitMismatchError(key, str(unit_text), ind.unit)
    return reading
