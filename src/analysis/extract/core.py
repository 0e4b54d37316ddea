"""Figures from report texts, for an analyst to review (`analysis extract`, then `analysis accept`).

Rule-based on purpose: every number the extractor keeps or drops has a named reason (see `explain`),
so a reviewer can see why. What counts as a figure: a numeral that says how many, what share, how
much money, what score or what rank. What does not (never in the output):

- dates (`31/01/2024`, `ngày 22/12/2024`, `tháng 6/2024`, `2025-12-18`) and years (`năm 2024`,
  `2021 - 2025`): a bare four-digit 19xx/20xx is a year, because reports write counts of that size
  with a thousands dot (`2.024`);
- document numbers and names that contain numbers (`87/KH-UBND`, `57-NQ/TW`, `Nghị quyết số 18`,
  `Đề án 06`, a number right after a capitalised word as in `Tổ Công tác ... 30`);
- ordinals (`phiên họp thứ 9`), except ranks (`xếp thứ 5`, `đứng thứ 12/63`), which are figures;
- slogans: numbers inside a short quotation (`"5 rõ"`, `"3 tăng, 2 giảm, 2 không"`) or in a chain
  like `5-4-3-2-1`;
- durations (`02 năm`, `6 tháng`, `15 ngày`): how long something took is not an indicator value;
- the scope phrase `63 tỉnh` / `34 tỉnh` (it says "the whole country", it counts nothing);
- a bare integer followed by punctuation with nothing it counts (`... Chính phủ 30.`).

The `text` of a figure is the number with the marks that change its meaning (`%`, scale word,
currency, `/Y`, `/100 dân`) and never the qualifier word before it: "trên 80%" gives text `80%`,
qualifier `over`. `start`/`end` are offsets into the file's own text (`text == file[start:end]`).
Units: `%` → percent, currency → vnd, `/100 dân` → per_100, `điểm` or a decimal with no unit →
score, `xếp/đứng thứ N[/M]` → rank, anything else counts what follows it → count.

Around each figure: `indicator` from data/indicator_cues.csv (cue words in the figure's own clause,
cut at the neighbouring figures, and a unit that fits); `province` empty for national figures (a
national cue nearer than a local one, or a count of localities), else the province named nearest
in the sentence, else the report's province; `year` per `_year`.

The package, by job: `rules` (what is a figure, what is not, cue table, provinces in a text),
`figures` (context around each figure; `analysis extract`), `labels` (which index a rank or score
belongs to, the nearest cue words, the province named just before, the period a sentence states),
`review` (`analysis accept`), `scoring` (measure against hand-read figures). This module
re-exports their public names.
"""

from __future__ import annotations

from analysis.extract.figures import (
    CANDIDATE_COLUMNS,
    Candidate,
    extract_files,
    extract_to_csv,
    find_figures,
    read_text,
)
from analysis.extract.review import (
    ACCEPT_WORDS,
    SHEET_COLUMNS,
    AcceptResult,
    accept_rows,
    accept_to_sheet,
    apply_decisions,
    is_accepted,
)
from analysis.extract.rules import Cue, Skip, cues, explain, report_province
from analysis.extract.scoring import SCORED_FIELDS, Score, score

__all__ = [
    "ACCEPT_WORDS",
    "CANDIDATE_COLUMNS",
    "SCORED_FIELDS",
    "SHEET_COLUMNS",
    "AcceptResult",
    "Candidate",
    "Cue",
    "Score",
    "Skip",
    "accept_rows",
    "accept_to_sheet",
    "apply_decisions",
    "cues",
    "explain",
    "extract_files",
    "extract_to_csv",
    "find_figures",
    "is_accepted",
    "read_text",
    "report_province",
    "score",
]
