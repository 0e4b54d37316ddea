"""What a briefing's take-away CSV writes in its text columns, in the CSV's language (issue #16).

The CSV (`national.takeaway`) carries what the page says: a qualifier and a unit as words of the
briefing's language (not the raw keys exact/over/score/vnd), a rank bounded by score as its bounds
in columns (the page's "33–62 (theo điểm)"), a source without our internal file names, and a note
only in the CSV's language, without our extraction offsets. Pure functions over one row's values.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from analysis import rulebook
from analysis.briefing.labels import labels, t
from analysis.periods import is_per_year

# our own provenance, not the source's: report texts' file names and character offsets
_INTERNAL = re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b|\bchars? \d+\s*[-–]\s*\d+\b", re.IGNORECASE)
_VI_LETTERS = re.compile(
    r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.IGNORECASE
)
_CELL = re.compile(r"\.xlsx?:")  # a workbook cell reference: a name, in no language


def qualifier_word(qualifier: object, lang: str) -> str:
    """exact/about/nearly/over/under → chính xác/khoảng/gần/trên/dưới (exact/about/… in English)."""
    q = str(qualifier or "exact")
    key = f"csv_qualifier_{q}"
    return t(key, lang) if key in labels() else q


def unit_word(unit: object, lang: str) -> str:
    """The catalogue unit in words: score → điểm/points, vnd → đồng/VND, percent → %."""
    key = f"csv_unit_{unit}"
    return t(key, lang) if key in labels() else str(unit)  # a unit with no words yet stays as written


def rank_columns(rank: rulebook.Rank, lang: str) -> dict[str, object]:
    """A rank as the page says it, in columns: rank, rank_low, rank_high, rank_of, rank_kind (words).
    A rank bounded by published neighbours ("33–62 (by score)") has no rank, its bounds instead."""
    if rank.rank is not None:
        kind = "published" if rank.given else "computed"
        kind += "_province" if rank.released == rulebook.BY_PROVINCE else ""  # fmt.released_note
        return {
            "rank": rank.rank,
            "rank_low": None,
            "rank_high": None,
            "rank_of": rank.of,
            "rank_kind": t(f"csv_rank_{kind}", lang),
        }
    if rank.bounded:
        return {
            "rank": None,
            "rank_low": rank.low,
            "rank_high": rank.high,
            "rank_of": rank.of,
            "rank_kind": t("csv_rank_bounded", lang),
        }
    return {"rank": None, "rank_low": None, "rank_high": None, "rank_of": None, "rank_kind": ""}


def source_text(source: object, citation_url: object = "") -> str:
    """A source as a reader can follow it: its address, or the site named beside our file name
    ("000_8afbc….txt (nghean.gov.vn)" → "nghean.gov.vn"); never one of our internal file names."""
    text = str(source or "").strip()
    if not _INTERNAL.search(text):
        return text
    url = str(citation_url or "")
    if url.startswith(("http://", "https://")):
        return url
    site = re.search(r"\(([^()]*\.[a-z]{2,}[^()]*)\)", text)
    if site:
        return site.group(1).strip()
    host = urlsplit(url).hostname if url else None
    return host or ""


def _language(segment: str) -> str:
    words = re.findall(r"[^\W\d_]+", segment)
    if not words:
        return ""
    vi = sum(1 for w in words if _VI_LETTERS.search(w))
    return "vi" if vi >= max(1, len(words) // 4) else "en"


def note_text(note: object, lang: str) -> str:
    """The row's note in the CSV's language: parts (split at ";") in the other language and our own
    extraction offsets are left out; a workbook cell reference is kept (a name, in no language). A
    yearly amount's note says "per year" in the page's own words (label `per_year`), first, once."""
    keep = [t("per_year", lang)] if is_per_year(note) else []
    for part in str(note or "").split(";"):
        part = part.strip()
        if not part or _INTERNAL.search(part) or is_per_year(part):
            continue
        if _CELL.search(part) or _language(part) in ("", lang):
            keep.append(part)
    return "; ".join(keep)


BOUNDED = "bounded"  # no rank, bounds by score: the page's "33–62 (by score)"


def page_kind(rank: rulebook.Rank) -> str:
    """What the page says a rank is: the rule book's kind (published / computed), BOUNDED for a rank
    bounded by score, "" for none; what `kind_of` reads back from the CSV."""
    return BOUNDED if rank.bounded else rank.kind


def kind_of(word: object, lang: str) -> str:
    """The kind (published / computed / BOUNDED / "" for none) of a `rank_kind` word written by
    `rank_columns`, for the audit's same-rank check of the CSV against the page (`page_kind`)."""
    for kind in (rulebook.PUBLISHED, rulebook.COMPUTED, BOUNDED):
        if str(word or "") == t(f"csv_rank_{kind}", lang):
            return kind
    if str(word or "") == t("csv_rank_published_province", lang):  # released by the province
        return rulebook.PUBLISHED
    return ""
