"""The briefing's own figures to take away, as a CSV beside its page (the data notes link it).

It is cut from the clean table, not from the notebook (national.takeaway says which rows and how
ranks are given), so the engine may render it while the notebook still runs; it is cut to the
briefing's year (the job's), as every other format of that briefing is.
"""

from __future__ import annotations

from typing import Any

from analysis.outputs.format import Briefing, Format


class CsvFormat(Format):
    name, suffix, label = "csv", ".csv", "CSV"
    reads_notebook = False

    def __init__(self) -> None:
        self._citations: Any = None

    def render(self, briefing: Briefing) -> bytes:
        from analysis.citations import Citations
        from analysis.national.takeaway import takeaway_csv

        if self._citations is None:
            self._citations = Citations.load()
        df = briefing.clean_table()
        return takeaway_csv(
            df, briefing.code, briefing.regime, briefing.lang, self._citations, year=briefing.year
        )
