"""Published briefings unchanged except where meant: each section's visible text against golden files.

The golden texts (`tests/data/golden/`) were rendered from the fixture frame before the briefing
package was split into section modules. A meant change regenerates them (see `tests/golden.py`:
`python tests/golden.py --write`) and the diff is reviewed in the commit.
"""

from __future__ import annotations

import pytest

from briefing_fixtures import figures_frame, write_clean
from golden import CASES, case_file, render


@pytest.fixture(scope="module")
def clean_dir(tmp_path_factory):
    return write_clean(tmp_path_factory.mktemp("clean"), figures_frame(with_2025=True))


@pytest.mark.parametrize(("province", "year", "lang"), CASES)
def test_briefing_text_matches_golden(clean_dir, province, year, lang):
    expected = case_file(province, year, lang).read_text(encoding="utf-8")
    got = render(clean_dir, province, year, lang)
    assert got == expected, f"{province} {year} {lang}: text changed; if meant, run tests/golden.py --write"
