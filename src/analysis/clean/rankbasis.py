"""Whose rank a rank row holds: the publisher's (stated by the source), or one derived by someone.

The rule book calls every `<index>_rank` row of the clean table *published*. A rank that a research
panel computed from the scores ("the order of the scores"), or that a sheet inferred from a list's
order or from a stated change ("2024 rank 23, up 3 places ⇒ 2023 rank 26"), is neither stated by
its source nor computed by the rule book over a set it checked: such rows go to the rejects with the
reason (the rule book computes a rank, marked *, where the complete set of scores is held; an
inferred rank is left out: when unsure, say less). The cues are the row notes' wording, kept in
`data/rank_basis_cues.csv`.
"""

from __future__ import annotations

import csv
import re
from functools import cache

from analysis.config import PACKAGE_DATA

STATED = "stated"


@cache
def _cues() -> tuple[tuple[str, re.Pattern[str], str], ...]:
    with (PACKAGE_DATA / "rank_basis_cues.csv").open(encoding="utf-8", newline="") as fh:
        return tuple(
            (r["basis"], re.compile(r["pattern"], re.IGNORECASE), r["reason"]) for r in csv.DictReader(fh)
        )


def basis(note: object) -> tuple[str, str]:
    """(basis, reason) of a rank row from its note: STATED, or 'computed'/'inferred' with why the row
    cannot stand as the publisher's rank."""
    text = str(note or "")
    for kind, pattern, reason in _cues():
        if pattern.search(text):
            return kind, reason
    return STATED, ""
