"""The take-away CSV says a count's magnitude word as the page does (issue #16 review): Nghệ An
2024's "trên 3,1 triệu thuê bao di động" is 3100000 in `value`, with `scale` "triệu" / "million"
(the word the page prints); a count given in full digits has none."""

from __future__ import annotations

import pytest

from analysis import provinces
from analysis.briefing.core import read_figures
from analysis.national.takeaway import takeaway_frame


@pytest.mark.parametrize(("lang", "word"), [("vi", "triệu"), ("en", "million")])
def test_the_csv_carries_the_sources_magnitude_word(shipped_clean_dir, lang, word) -> None:
    p = provinces.resolve("Nghệ An", 2024).province
    frame = takeaway_frame(read_figures(shipped_clean_dir), p.code, p.regime, lang, year=2024)
    rows = frame[frame["year"] == 2024].set_index("indicator")
    assert rows.loc["mobile_subscriptions", ["value", "scale"]].tolist() == [3100000.0, word]
    assert rows.loc["vneid_accounts_activated", "scale"] == word
    assert rows.loc["public_services_count", "scale"] == ""  # "1.923": full digits
