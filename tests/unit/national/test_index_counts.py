"""reports/index.html says, per year and language, how many of the year's provinces are built, so
ad-hoc builds (one 2025 province, two English briefings) never read as a complete year."""

from __future__ import annotations

import re

from analysis.national.index import built_counts, write_index


def _entry(out, year: int, lang: str, slug: str, name: str) -> tuple[str, dict]:
    rel = f"{year}/{lang}/{slug}"
    for ext in ("html", "pdf"):
        path = out / f"{rel}.{ext}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    return rel, {"year": year, "lang": lang, "slug": slug, "name": name, "key": "k"}


def test_index_counts_built_briefings_per_year_and_language(tmp_path):
    cache = dict(
        [
            _entry(tmp_path, 2024, "vi", "nghe-an", "Nghệ An"),
            _entry(tmp_path, 2024, "vi", "lao-cai", "Lào Cai"),
            _entry(tmp_path, 2024, "en", "nghe-an", "Nghệ An"),
            _entry(tmp_path, 2025, "vi", "lao-cai", "Lào Cai"),
        ]
    )
    page = write_index(tmp_path, cache, "v1").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", page)
    assert "VI 2 / 63" in text and "EN 1 / 63" in text  # 2024: the 63 provinces
    assert "VI 1 / 34" in text  # 2025: the 34
    block_2025 = page.split('id="y2025"')[1].split('id="y2024"')[0]
    assert "<th>EN</th>" not in block_2025  # no column of dashes for a language never built that year


def test_counts_follow_the_regime_of_the_year():
    rows = {"a": {"links": {"en": {}, "vi": {}}}, "b": {"links": {"vi": {}}}}
    assert built_counts(2018, rows) == [
        {"lang": "vi", "built": 2, "of": 63},
        {"lang": "en", "built": 1, "of": 63},
    ]
    assert built_counts(2025, rows)[0]["of"] == 34
