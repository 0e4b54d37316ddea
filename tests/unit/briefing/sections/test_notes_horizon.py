"""Issue #16 review: Lào Cai's 2023 briefing says no published PCI 2023 figure was found, while its
2024 briefing shows one, from a 2025 article past the 2023 briefing's horizon. The data notes say
up to when sources are read, in general words (nothing dated past the horizon), and the headline
rows stay as short as they were, and the notes gain no line: the words go in the note on the missing
or earlier figures (the print layout depends on both)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import provinces, rulebook
from analysis.briefing import metrics
from analysis.briefing.core import compute
from analysis.citations import Citations
from briefing_fixtures import figure_row

LAO_CAI = provinces.resolve("Lào Cai", 2023).province


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("vi", "Không có số liệu năm 2023 hay năm trước đó trong dữ liệu (nguồn đọc đến hết năm 2024):"),
        ("en", "No value for 2023 or any earlier year in our data (sources read to the end of 2024):"),
    ],
)
def test_a_briefing_lacking_a_years_figure_says_up_to_when_sources_are_read(lang: str, said: str) -> None:
    df = pd.DataFrame([figure_row(LAO_CAI, "pci", 2022, 68.2, 2, "VCCI, PCI 2022")])
    built = compute(df, LAO_CAI, 2023, lang)
    notes = built.html("notes")
    assert said in notes
    line = next(li for li in notes.split("<li>") if said in li)
    assert max(int(y) for y in re.findall(r"\b(\d{4})\b", line)) == rulebook.read_until(2023) == 2024
    assert "2024" not in built.html("headline")  # the rows do not grow


def test_a_briefing_with_every_index_of_its_year_has_no_such_sentence() -> None:
    rows = [
        figure_row(LAO_CAI, key, 2023, 70.0 if key != "dti" else 0.7, 1, "a publisher's table")
        for key in metrics.headline_keys()
    ]
    notes = compute(pd.DataFrame(rows), LAO_CAI, 2023, "vi").html("notes")
    assert "nguồn đọc đến hết năm" not in notes


def test_with_only_earlier_figures_the_earlier_note_says_it_once() -> None:
    rows = [
        figure_row(LAO_CAI, key, 2022, 70.0 if key != "dti" else 0.7, 1, "a publisher's table")
        for key in metrics.headline_keys()
    ]
    notes = compute(pd.DataFrame(rows), LAO_CAI, 2023, "vi").html("notes")
    said = "Không có số liệu năm 2023 trong dữ liệu (nguồn đọc đến hết năm 2024; số liệu công bố sau đó"
    assert said in notes
    assert notes.count("nguồn đọc đến hết năm") == 1


@pytest.mark.parametrize(
    ("lang", "said", "unsaid"),
    [
        ("vi", "(nguồn đọc đến 2024-06-30):", "nguồn đọc đến hết năm"),
        ("en", "(sources read to 2024-06-30):", "sources read to the end of"),
    ],
)
def test_a_horizon_not_over_by_the_data_cut_off_says_the_cut_off_date(
    monkeypatch: pytest.MonkeyPatch, lang: str, said: str, unsaid: str
) -> None:
    """Issue #16 review: Lào Cai 2025, built 2026-12-05, said its sources were read "to the end of
    2026". The horizon's end is capped at the data's cut-off, the date the page's stamp shows."""
    monkeypatch.setattr(Citations, "cutoff", lambda self: "2024-06-30")
    df = pd.DataFrame([figure_row(LAO_CAI, "pci", 2022, 68.2, 2, "VCCI, PCI 2022")])
    built = compute(df, LAO_CAI, 2023, lang)
    notes = built.html("notes")
    assert said in notes
    assert unsaid not in notes
    assert "2024-06-30" in built.html("title")  # the stamp shows the same cut-off


@pytest.mark.parametrize(
    ("lang", "later", "same"),
    [
        (
            "vi",
            "số liệu công bố sau ngày đó, nếu có, chỉ ở bản tin các năm sau",
            "Các nguồn đó cũng không có số liệu năm 2023",
        ),
        (
            "en",
            "any published after that date is in later briefings only",
            "Nor is there a 2023 figure in those",
        ),
    ],
)
def test_lao_cai_2023_notes_say_its_pci_line_is_as_of_the_same_reading(
    shipped_clean_dir, lang: str, later: str, same: str
) -> None:
    """The real case: Lào Cai 2023 lacks PAR Index, SIPAS and the service index (the first note, which
    says up to when sources were read) and shows PCI 2022 for PCI 2023. The PCI line said only "no
    2023 figure in our data", while the 2024 briefing shows PCI 2023 from a May 2025 article: the PCI
    line now says it is as of the same sources and that a figure published later is in later
    briefings only (there, not in the first note: a longer first note moved Nghệ An 2025's pages)."""
    from analysis.briefing.core import read_figures

    df = read_figures(shipped_clean_dir)
    notes = compute(df, LAO_CAI, 2023, lang).html("notes")
    items = notes.split("<li>")
    first = next(li for li in items if "PAR Index" in li)
    assert str(rulebook.read_until(2023)) in first
    pci = next(li for li in items if same in li)
    assert "PCI" in pci and later in pci
    # why it matters: the PCI 2023 figure the 2024 briefing uses rests on a source past 2023's horizon
    dates = metrics.source_dates(df)
    rows = df[(df["province_code"] == LAO_CAI.code) & (df["year"] == 2023) & (df["indicator"] == "pci")]
    assert len(rows) and all(int(str(dates.at[i])[:4]) > rulebook.read_until(2023) for i in rows.index)
