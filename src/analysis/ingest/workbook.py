"""Import the publishers' own PCI and PAPI workbooks into raw long rows, for the figure sheets.

`ingest_workbook(path)` reads every sheet, finds the province tables (ingest.tables), tells the
publisher and the year from the workbook's content (titles, header words, sheet names; the file
name only breaks ties), drops values that other sheets of the same workbook repeat, and skips a
sheet whose titles name another year (PCI_2015.xlsx carries a copy of the 2013 summary): a
workbook must never quietly yield another year's figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis.errors import AnalysisError, InputFileError
from analysis.ingest.grid import Grid, column_letters, read_grids
from analysis.ingest.names import PUBLISHERS, publisher_votes, years_in
from analysis.ingest.tables import NotImported, Reject, SheetTable, Value, best_table

ROW_COLUMNS = ["province", "year", "indicator", "value", "unit", "source", "source_ref"]
REJECT_COLUMNS = ["file", "sheet", "row", "values", "reason"]
NOT_IMPORTED_COLUMNS = ["file", "sheet", "column", "header", "reason", "explained"]
SOURCES = {
    "PCI": ("VCCI", "Provincial Competitiveness Index"),
    "PAPI": (
        "CECODES, VFF-CRT & UNDP",
        "Provincial Governance and Public Administration Performance Index (PAPI)",
    ),
}
HEADLINE_PREFIX = {"PCI": "pci", "PAPI": "papi"}


@dataclass
class IngestResult:
    """What one workbook yields: raw long rows, rejected leftovers and what the analyst should know."""

    path: Path
    publisher: str
    years: list[int]
    rows: pd.DataFrame
    rejects: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    provinces: dict[int, int] = field(default_factory=dict)  # year -> provinces with a value
    # Columns of the workbook's province tables whose values are not imported, each with the reason
    # (column "" = a whole sheet). `explained` is False where no data file knows the title: look at it.
    not_imported: list[NotImported] = field(default_factory=list)

    @property
    def unexplained(self) -> list[NotImported]:
        return [n for n in self.not_imported if not n.explained]


def not_imported_frame(results: Iterable[IngestResult]) -> pd.DataFrame:
    """Every column the workbooks' tables leave out, one row each (for the manifest and the summary)."""
    rows = [vars(n) for r in results for n in r.not_imported]
    return pd.DataFrame(rows, columns=NOT_IMPORTED_COLUMNS)


def source_label(publisher: str, year: int) -> str:
    org, title = SOURCES[publisher]
    return f"{org}, {title} {year}"


@lru_cache(maxsize=65536)
def identify(text: str) -> Hashable | None:
    """The province a cell names (old names keep their own identity), or None for any other text."""
    from analysis.provinces import resolve

    if len(text) > 60 or not any(ch.isalpha() for ch in text):
        return None
    try:
        res = resolve(text)
    except AnalysisError:
        return None
    p = res.successor_of or res.province
    return (p.regime, p.code)


def detect_publisher(grids: Sequence[Grid], path: Path) -> str:
    """PCI or PAPI, from the words in the workbook (sheet names and the first rows and columns)."""
    votes: Counter[str] = Counter()
    for g in grids:
        texts = [g.sheet]
        texts += [c for i in range(min(10, g.n_rows)) for c in g.row(i) if isinstance(c, str)]
        texts += [c for row in g.cells for c in row[:2] if isinstance(c, str)]
        for text in texts:
            votes.update(publisher_votes(text))
    if not votes:
        raise InputFileError(path, "unknown layout: no PCI or PAPI titles or sub-index names found")
    ranked = votes.most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        hint = [p for p in PUBLISHERS if p.lower() in path.name.lower()]
        if len(hint) == 1:
            return hint[0]
        raise InputFileError(path, f"cannot tell PCI from PAPI (equal evidence: {dict(votes)})")
    return ranked[0][0]


# --- years ---------------------------------------------------------------------------------------------


def _single(years: Iterable[int]) -> int | None:
    distinct = set(years)
    return distinct.pop() if len(distinct) == 1 else None


def _header_year(t: SheetTable) -> int | None:
    common = Counter(t.header_years).most_common()
    return common[0][0] if common else None


def _values_of(t: SheetTable) -> dict[tuple[Hashable, str], float]:
    return {(v.identity, v.indicator): v.value for v in t.values}


def _same_figures(a: SheetTable, b: SheetTable) -> bool:
    va, vb = _values_of(a), _values_of(b)
    shared = va.keys() & vb.keys()
    return len(shared) >= 10 and all(agree(va[k], vb[k]) for k in shared)


def assign_years(tables: list[SheetTable], path: Path, warnings: list[str]) -> dict[int, int]:
    """Year per table (index -> year); tables left out are skipped, with the reason in `warnings`.

    Evidence, strongest first: a year in the sheet name (one sheet per year), the year in the
    composite/rank titles, the year shared by the other sheets; the file name breaks ties and is
    the last resort (with a warning).
    """
    hint = _single(years_in(path.name))
    own_name = {k: _single(years_in(t.grid.sheet)) for k, t in enumerate(tables)}
    own_head = {k: _header_year(t) for k, t in enumerate(tables)}
    votes = Counter(y for k, y in own_head.items() if own_name[k] is None and y is not None)
    labelled = {y for y in own_name.values() if y is not None}
    main: int | None = None
    if votes:
        top = max(votes.values())
        tied = sorted(y for y, n in votes.items() if n == top)
        main = hint if hint in tied else tied[-1]
        if len(tied) > 1 and hint not in tied:
            warnings.append(f"{path.name}: sheets are headed with years {tied}; took {main}")
    elif len(labelled) == 1:
        main = next(iter(labelled))
    elif not labelled and hint is not None:
        main = hint
        warnings.append(
            f"{path.name}: no year in the workbook's titles or sheet names; year {hint} from the file name"
        )
    if main is not None and hint is not None and main != hint and not labelled:
        warnings.append(f"{path.name}: the file name says {hint} but the titles say {main}; using {main}")

    years: dict[int, int] = {}
    for k, t in enumerate(tables):
        head = own_head[k]
        if own_name[k] is not None:
            years[k] = own_name[k]
            if head is not None and head != own_name[k]:
                copies = [o for o in tables if o is not t and own_name[tables.index(o)] == head]
                if any(_same_figures(t, o) for o in copies):
                    warnings.append(
                        f"{t.label}: titles name {head} and the figures equal sheet {copies[0].grid.sheet!r} "
                        f"({head}): a copy of another year, skipped"
                    )
                    del years[k]
                else:
                    warnings.append(
                        f"{t.label}: titles name {head} but the sheet name says {own_name[k]}; "
                        f"the figures differ from {head}'s, so they are read as {own_name[k]}"
                    )
        elif head is not None and main is not None and head != main:
            warnings.append(
                f"{t.label}: titles name {head} in a {main} workbook: the sheet repeats another year's "
                f"figures; skipped"
            )
        elif main is not None:
            years[k] = main
        else:
            warnings.append(f"{t.label}: cannot tell which year this sheet is for; skipped")
    if not years:
        raise InputFileError(
            path, "cannot tell the year of any table (no year in titles, sheet or file name)"
        )
    return years


# --- values --------------------------------------------------------------------------------------------


def _decimals(x: float) -> int:
    text = f"{x:.10f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def agree(a: float, b: float) -> bool:
    """Same figure, allowing for one copy being rounded: 55.89 agrees with 55.890123 and with 55.9
    (55.89 rounded), not with 55.8; whole numbers (ranks) must match exactly."""
    digits = max(1, min(_decimals(a), _decimals(b)))
    return abs(a - b) <= 0.5 * 10.0**-digits + 1e-9


def _unit(indicator: str) -> str:
    from analysis.indicators import get

    return get(indicator).unit


def _checked_province(v: Value, year: int) -> str | None:
    """None if the name is a province in that year, else why not (e.g. a 34-province name in 2015)."""
    from analysis.provinces import resolve

    try:
        resolve(v.province, year)
    except AnalysisError as exc:
        return str(exc)
    return None


def ingest_workbook(path: Path | str) -> IngestResult:
    """Import one official workbook (any known layout); InputFileError if it cannot be read at all."""
    path = Path(path)
    grids = read_grids(path)
    publisher = detect_publisher(grids, path)
    warnings: list[str] = [f"{path.name}: {grids[0].reader}"] if grids[0].reader else []
    tables: list[SheetTable] = []
    not_imported: list[NotImported] = []
    for g in grids:
        try:
            t = best_table(g, publisher, identify)
        except AnalysisError:
            raise
        except Exception as exc:  # a layout no rule foresaw must still name the file and sheet
            raise InputFileError(
                path, f"sheet {g.sheet!r}: cannot be read as a table ({type(exc).__name__}: {exc})"
            ) from exc
        if t is None:
            continue
        if len(set(t.columns.values())) < 2:
            # detail sheets carry one sub-index beside its components: the summary has it
            (key,) = set(t.columns.values())
            not_imported.append(NotImported(
                g.file, g.sheet, "", key, "whole sheet: the detail of one sub-index and its components; "
                "the summary sheet carries the sub-index, the components have no catalogue key", True,
            ))  # fmt: skip
            continue
        doubled = [k for k, n in Counter(t.columns.values()).items() if n > 1 and _read_twice(t, k)]
        if doubled:
            warnings.append(f"{t.label}: several columns are titled {doubled}; those columns are skipped")
            t.values = [v for v in t.values if v.indicator not in doubled]
            not_imported += [
                NotImported(
                    g.file, g.sheet, _letter(t, j), k, f"one of several columns titled {k}: ambiguous", True
                )
                for j, k in sorted(t.columns.items())
                if k in doubled
            ]
        tables.append(t)
    if not tables:
        raise InputFileError(
            path, f"unknown layout: no {publisher} table with provinces and sub-indices found"
        )
    tables.sort(key=lambda t: -len(set(t.columns.values())))  # summary sheets first
    years = assign_years(tables, path, warnings)
    for k, t in enumerate(tables):
        if k in years:
            not_imported += t.not_imported
        else:
            not_imported.append(NotImported(
                t.grid.file, t.grid.sheet, "", "", "whole sheet: its titles name another year or none "
                "(see the warnings)", True,
            ))  # fmt: skip
    result = _collect(path, publisher, tables, years, warnings)
    result.not_imported = not_imported
    return result


def _letter(t: SheetTable, j: int) -> str:
    return f"row {j + 1}" if t.grid.is_transposed else column_letters(j)


def _read_twice(t: SheetTable, indicator: str) -> bool:
    """Two columns with one title are ambiguous when a province gets a value from each
    (in the pair layout each pair has its own provinces, so one title per pair is fine)."""
    refs = Counter((v.identity, v.indicator) for v in t.values if v.indicator == indicator)
    return any(n > 1 for n in refs.values())


def _collect(
    path: Path, publisher: str, tables: list[SheetTable], years: dict[int, int], warnings: list[str]
) -> IngestResult:
    rows: list[dict] = []
    rejects: list[Reject] = []
    kept: dict[tuple[Hashable, int, str], tuple[float, str]] = {}
    clashes: Counter[tuple[str, str]] = Counter()
    for k, t in enumerate(tables):
        rejects += t.rejects
        warnings += t.warnings
        if k not in years:
            continue
        year = years[k]
        for v in t.values:
            key = (v.identity, year, v.indicator)
            if key in kept:
                first_value, first_ref = kept[key]
                if agree(first_value, v.value):
                    continue
                clashes[(first_ref.rsplit("!", 1)[0], t.label)] += 1
            elif (why := _checked_province(v, year)) is not None:
                rejects.append(Reject(t.grid.file, t.grid.sheet, v.ref.rsplit("!", 1)[1], v.province, why))
                continue
            kept.setdefault(key, (v.value, v.ref))
            rows.append(
                {
                    "province": v.province,
                    "year": year,
                    "indicator": v.indicator,
                    "value": v.value,
                    "unit": _unit(v.indicator),
                    "source": source_label(publisher, year),
                    "source_ref": v.ref,
                }
            )
    for (a, b), n in clashes.items():
        warnings.append(f"{b} disagrees with {a} on {n} value(s); both kept for the clean stage to reject")
    frame = pd.DataFrame(rows, columns=ROW_COLUMNS).astype({"year": "int64", "value": "float64"})
    per_year = {int(y): len({key[0] for key in kept if key[1] == y}) for y in sorted(set(years.values()))}
    return IngestResult(
        path=path,
        publisher=publisher,
        years=sorted(per_year),
        rows=frame,
        rejects=pd.DataFrame([vars(r) for r in rejects], columns=REJECT_COLUMNS),
        warnings=warnings,
        provinces=per_year,
    )


# --- several workbooks ---------------------------------------------------------------------------------


def merge_results(results: Sequence[IngestResult]) -> pd.DataFrame:
    """All rows as figure-sheet rows (`note` = where each came from); one row per figure that
    several workbooks agree on (the note names them all), every row where they disagree."""
    from analysis.provinces import resolve

    groups: dict[tuple[str, int, str], list[dict]] = {}
    for result in results:
        for row in result.rows.to_dict("records"):
            res = resolve(row["province"], int(row["year"]))
            p = res.successor_of or res.province
            groups.setdefault((f"{p.regime}:{p.code}", int(row["year"]), row["indicator"]), []).append(row)
    out = []
    for group in groups.values():
        first, refs = group[0], [r["source_ref"] for r in group]
        if all(agree(first["value"], r["value"]) for r in group):
            note = refs[0] if len(refs) == 1 else f"{refs[0]}; same value in {', '.join(refs[1:])}"
            out.append({**first, "note": note})
            continue
        for row in group:
            others = ", ".join(r for r in refs if r != row["source_ref"])
            out.append({**row, "note": f"{row['source_ref']}; disagrees with {others}"})
    columns = [*ROW_COLUMNS[:-1], "note"]
    return pd.DataFrame(out, columns=[*ROW_COLUMNS, "note"])[columns].reset_index(drop=True)
