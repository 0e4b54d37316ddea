"""Golden briefing texts: what a reader of the published HTML sees, section by section.

The refactor of the briefing package must not change what a briefing says. This module renders
each section of a few briefings (from the fixture frame of `briefing_fixtures.py`, not the real
data) as plain text: tags stripped, entities unescaped, whitespace normalised, and each figure as
its alt text. `tests/e2e/test_golden.py` compares that text with `tests/data/golden/*.txt`.

When a change to the briefing text is meant, regenerate the files and review the diff:

    env LANG=C.UTF-8 .venv/bin/python tests/golden.py --write
    git diff tests/data/golden/
"""

from __future__ import annotations

import html
import re
import sys
import tempfile
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLDEN_DIR = HERE / "data" / "golden"

# (name asked, year, language): a 63-province briefing, a year that falls back to the latest year
# with data, and a 2025 merged province asked for by a former province's name.
CASES: tuple[tuple[str, int, str], ...] = (
    ("Nghệ An", 2018, "vi"),
    ("Nghệ An", 2018, "en"),
    ("Nghệ An", 2019, "en"),
    ("Hà Nội", 2017, "vi"),
    ("Vĩnh Phúc", 2025, "vi"),
    ("Vĩnh Phúc", 2025, "en"),
)
# The sections a published briefing shows, in order (the notebook's cells before the refactor).
SECTION_NAMES = ("title", "headline", "ranking", "subindices", "trend", "online", "notes")


def plain(markup: str) -> str:
    """Visible text of an HTML fragment: tags out, entities unescaped, whitespace normalised."""
    markup = re.sub(r"<(br|/p|/li|/tr|/h[1-6]|/table|/ul)\b[^>]*>", "\n", markup)
    markup = re.sub(r"</t[dh]>", " | ", markup)
    text = html.unescape(re.sub(r"<[^>]+>", " ", markup))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def section_text(shown: list[object]) -> str:
    """A section's display objects as text: HTML as its visible text, a figure as [figure: alt]."""
    out = []
    for obj in shown:
        if hasattr(obj, "svg"):
            out.append(f"[figure: {' '.join(str(getattr(obj, 'alt', '')).split())}]")
        else:
            out.append(plain(str(getattr(obj, "data", obj))))
    return "\n".join(part for part in out if part)


def case_file(province: str, year: int, lang: str) -> Path:
    folded = unicodedata.normalize("NFD", province.replace("đ", "d").replace("Đ", "D"))
    slug = "-".join("".join(c for c in folded if not unicodedata.combining(c)).lower().split())
    return GOLDEN_DIR / f"{slug}-{year}-{lang}.txt"


def render(clean_dir: Path, province: str, year: int, lang: str) -> str:
    """One briefing's text, every section under a `## name` heading."""
    import os

    from analysis.briefing import load_briefing

    os.environ.setdefault("CCHC_BUILD_DATE", "2026-01-01")  # a golden text has a fixed build date
    b = load_briefing(province, year, lang, clean_dir)
    parts = [f"## {name}\n{section_text(b.section(name))}" for name in SECTION_NAMES]
    text = "\n\n".join(parts) + "\n"
    # the data's cut-off is the shipped sidecars' latest read: it moves with the data, not the code
    return re.sub(r"(số liệu thu thập đến|data collected up to) \S+", r"\1 <cut-off>", text)


def write_all() -> list[Path]:
    """Render every case from the fixture frame and write the golden files."""
    from briefing_fixtures import figures_frame, write_clean

    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        clean = write_clean(Path(tmp), figures_frame(with_2025=True))
        for province, year, lang in CASES:
            path = case_file(province, year, lang)
            path.write_text(render(clean, province, year, lang), encoding="utf-8")
            written.append(path)
    return written


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python tests/golden.py --write   (regenerates tests/data/golden/*.txt)")
    sys.path.insert(0, str(HERE))
    for p in write_all():
        print(p.relative_to(HERE.parent))
