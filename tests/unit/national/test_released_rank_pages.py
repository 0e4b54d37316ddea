"""Nghệ An's PCI 2023 rank (44/63, the province's own release: VCCI published only a top 30) reads
the same on every page that states it (issue #16 review): the overview marks it (44†) and says what
the mark means, the take-away CSV's rank kind names the province, and the audit flags a briefing
that states such a rank without its note."""

from __future__ import annotations

import pytest

from analysis import provinces, rulebook
from analysis.briefing.core import compute, read_figures
from analysis.briefing.labels import t
from analysis.national import audit, audit_truth, overview
from analysis.national.takeaway import takeaway_frame

NGHE_AN = provinces.resolve("Nghệ An", 2023).province


@pytest.fixture(scope="module")
def figures(shipped_clean_dir):
    return read_figures(shipped_clean_dir)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_overview_marks_the_rank_and_explains_the_mark(figures, lang) -> None:
    view = overview._view(overview.index_table(figures, 2023, "pci"), lang, set())
    (row,) = [r for r in view["rows"] if r["name"] in (NGHE_AN.name, NGHE_AN.name_en)]
    assert row["rank"] == "44†"
    assert sum(r["rank"].endswith("†") for r in view["rows"]) == 1  # VCCI's own 30 are not marked
    assert any(n.startswith("†") for n in view["notes"])


def test_the_overview_csv_says_who_released_the_rank(figures) -> None:
    frame = overview.table_frame(overview.index_table(figures, 2023, "pci"))
    row = frame[frame["province_code"] == NGHE_AN.code].iloc[0]
    assert (row["rank"], row["rank_kind"], row["rank_released_by"]) == (44, rulebook.PUBLISHED, "province")
    assert set(frame.loc[frame["province_code"] != NGHE_AN.code, "rank_released_by"]) == {""}


@pytest.mark.parametrize(("lang", "word"), [("vi", "do tỉnh công bố"), ("en", "published by the province")])
def test_the_csv_names_the_province_as_the_ranks_source(figures, lang, word) -> None:
    frame = takeaway_frame(figures, NGHE_AN.code, "63", lang, year=2023)
    pci = frame[(frame["indicator"] == "pci") & (frame["year"] == 2023)].iloc[0]
    assert (pci["rank"], pci["rank_of"], pci["rank_kind"]) == (44, 63, word)
    assert audit.csvtext.kind_of(word, lang) == rulebook.PUBLISHED  # the same rank as the page's


def test_the_audit_passes_the_briefing_and_flags_a_rank_stated_without_its_note(figures, monkeypatch) -> None:
    b = compute(figures, NGHE_AN, 2023, "vi")
    csv_rows = takeaway_frame(figures, NGHE_AN.code, "63", "vi", year=2023)
    res = dict(b.results) | {"_code": NGHE_AN.code, "_ctx": b.ctx, "_csv": csv_rows}
    assert list(audit_truth.check_released(res, b.ctx, "vi")) == []
    assert "released_by" in audit.RULES
    from analysis.briefing.sections import headline

    monkeypatch.setattr(headline, "released_note", lambda *a, **k: "")  # the table before the note
    found = [what for rule, what in audit_truth.check_released(res, b.ctx, "vi") if rule == "released_by"]
    assert any("headline table" in w for w in found), found
    csv_rows["rank_kind"] = t("csv_rank_published", "vi")  # the CSV before: plain "công bố"
    found = [what for _, what in audit_truth.check_released(res, b.ctx, "vi")]
    assert any("the CSV" in w for w in found), found
