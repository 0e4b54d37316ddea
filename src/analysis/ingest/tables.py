"""Find the province table in one sheet and read its values, whatever the layout.

Layouts seen in the publishers' workbooks, all handled by the same rules (no cell addresses):
- one province column and one column per indicator, titles over one or two rows (EN + VI);
- pairs (province, score) side by side, each pair sorted on its own (PCI 2008-2015);
- a rank or tier column that shares the composite's province column (PCI 2013);
- the same table transposed, provinces across the top (PAPI 2018 full workbook);
- summary rows (Min, Median, Max, Highest), repeated headers, notes and stray copies of one
  province's row under the table.

Rules: province columns are the columns where province names cluster; a column is an indicator if
the nearest title above the first province row names one (names.match_header); each indicator reads
its province from the nearest province column to its left (else to its right). Rows below a repeated
header or two blank rows are leftovers: a province not yet seen is kept with a warning, a repeat is
rejected, and so is every row that has numbers but no province.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from analysis.errors import NumberParseError
from analysis.ingest.grid import Cell, Grid, column_letters
from analysis.ingest.names import (
    SKIP,
    content_skip_reason,
    fold,
    match_alias,
    match_header,
    skip_reason,
    years_in,
)

HEADER_DEPTH = 8  # rows above the first province row searched for column titles
HEADLINE = {"pci", "pci_rank", "papi", "papi_rank"}  # titles whose year tells the table's year
NO_DATA = {"kcdl", "khong co du lieu", "na", "n a", "nan", "none", "x"}
SUMMARY_WORDS = (
    "min", "max", "median", "mean", "average", "trung vi", "trung binh", "cao nhat", "thap nhat",
    "highest", "lowest", "national", "ca nuoc", "toan quoc", "total", "tong", "std", "do lech",
)  # fmt: skip

Identify = Callable[[str], Hashable | None]


@dataclass(frozen=True)
class Value:
    province: str  # as written in the workbook
    identity: Hashable  # the province it resolves to (same identity = same province)
    indicator: str
    value: float
    ref: str  # file:sheet!cell


@dataclass(frozen=True)
class Reject:
    file: str
    sheet: str
    row: str  # "row 66" or a cell address
    values: str  # the raw cells, " | "-joined
    reason: str


@dataclass(frozen=True)
class NotImported:
    """A column of a province table whose values are not imported, and why."""

    file: str
    sheet: str
    column: str  # "G", or "row 7" when the provinces run across the sheet
    header: str  # the column's title cells, top to bottom, " / "-joined ("" when it has none)
    reason: str
    explained: bool  # False for a title no data file knows (or no title): the analyst must look


@dataclass
class SheetTable:
    """What one sheet yields: values, rejected leftovers, warnings, and the years its titles name."""

    grid: Grid
    columns: dict[int, str]  # column of the view -> indicator key
    values: list[Value] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    header_years: list[int] = field(default_factory=list)
    empty_cells: list[tuple[str, str]] = field(default_factory=list)  # (province, indicator) left blank
    not_imported: list[NotImported] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.grid.file}:{self.grid.sheet}"


def _text(cell: Cell) -> str | None:
    return cell if isinstance(cell, str) else None


def _is_summary(label: str) -> bool:
    words = f" {fold(label)} "
    return any(f" {w} " in words for w in SUMMARY_WORDS)


SHOWN_CHARS = 200  # a cell quoted in a reject: enough to find it, not a 100,000-character note


def _short(text: str) -> str:
    return text if len(text) <= SHOWN_CHARS else f"{text[:SHOWN_CHARS]}… ({len(text):,} characters)"


def _raw(cells: tuple[Cell, ...]) -> str:
    def show(c: Cell) -> str:
        return f"{c:g}" if isinstance(c, float) else _short(str(c))

    return " | ".join(show(c) for c in cells if c is not None)


def _province_columns(grid: Grid, identify: Identify) -> tuple[list[int], dict[tuple[int, int], Hashable]]:
    """Columns where province names cluster, and every cell that names a province."""
    hits: dict[tuple[int, int], Hashable] = {}
    counts: dict[int, int] = {}
    for i, row in enumerate(grid.cells):
        for j, cell in enumerate(row):
            if (text := _text(cell)) is not None and (ident := identify(text)) is not None:
                hits[(i, j)] = ident
                counts[j] = counts.get(j, 0) + 1
    if not counts:
        return [], hits
    floor = max(1, math.ceil(max(counts.values()) / 2))
    return sorted(j for j, n in counts.items() if n >= floor), hits


def _titles(
    grid: Grid, r0: int, province_cols: list[int], publisher: str
) -> tuple[dict[int, str], list[int], dict[int, tuple[str, str, bool]]]:
    """Indicator per column from the nearest title above row r0; years named in headline titles;
    and for every other column its titles, the reason it is left out and whether a data file says so."""
    columns: dict[int, str] = {}
    other: dict[int, tuple[str, str, bool]] = {}
    years: list[int] = []
    top = max(0, r0 - HEADER_DEPTH)
    for j in range(grid.n_cols):
        if j in province_cols:
            continue
        texts = [
            t for i in range(r0 - 1, top - 1, -1) if (t := _text(grid.at(i, j))) is not None
        ]  # nearest first
        shown = " / ".join(" ".join(t.split()) for t in reversed(texts))
        hit = next((a for t in texts if (a := match_alias(t, publisher)) is not None), None)
        if hit is not None and hit.indicator != SKIP:
            columns[j] = hit.indicator
        elif hit is not None:
            other[j] = (shown, hit.note or "listed as not imported in subindex_names.csv", True)
        elif (why := skip_reason(texts, publisher)) is not None:
            other[j] = (shown, why, True)
        else:
            other[j] = (
                shown,
                "title not in subindex_names.csv or skip_columns.csv" if texts else "no title",
                False,
            )
        if columns.get(j) in HEADLINE:
            for i in range(top, r0):
                years += years_in(grid.at(i, j) or "") if _text(grid.at(i, j)) else []
    return columns, years, other


def _content_reason(cells: list[Cell], header: str, publisher: str) -> str | None:
    """A column skip_columns.csv describes by its cells: labels without a digit, or untitled ids."""
    if not any(any(ch.isdigit() for ch in str(c)) for c in cells):
        return content_skip_reason("text_only", publisher)
    whole = [c for c in cells if isinstance(c, float) and c.is_integer() and 0 < c <= 1000]
    if not header and len(whole) == len(cells) and len(set(whole)) == len(whole):
        return content_skip_reason("untitled_ids", publisher)
    return None


def _column_name(grid: Grid, j: int) -> str:
    """Column j of this view as the sheet shows it: a letter, or a row when the view is transposed."""
    return f"row {j + 1}" if grid.is_transposed else column_letters(j)


def _owner(j: int, province_cols: list[int]) -> int:
    left = [p for p in province_cols if p < j]
    return left[-1] if left else min(province_cols, key=lambda p: abs(p - j))


def _is_repeated_header(row: tuple[Cell, ...], publisher: str) -> bool:
    titles = [t for c in row if (t := _text(c)) and match_header(t, publisher) is not None]
    return len(titles) >= 2


def _locale(grid: Grid, j: int, rows: range) -> str | None:
    """Number locale of the text cells in column j; None when they are ambiguous or mixed."""
    from analysis.numbers import infer_locale

    texts = [t for i in rows if (t := _text(grid.at(i, j))) is not None and fold(t) not in NO_DATA]
    if not texts:
        return "vi"
    try:
        return infer_locale(texts)
    except NumberParseError:
        return None


def _number(cell: Cell, locale: str | None) -> float:
    """The cell as a number: numeric cells as they are, text by the column's locale."""
    from analysis.numbers import parse_number

    if isinstance(cell, float):
        return cell
    text = str(cell)
    if fold(text) in NO_DATA or not fold(text):
        raise NumberParseError(text, "marked as no data")
    if locale is None:
        raise NumberParseError(text, "the column mixes number formats or is ambiguous (1.234 vs 1,234)")
    return parse_number(text, locale)


def read_table(grid: Grid, publisher: str, identify: Identify) -> SheetTable | None:
    """The province table of this view of a sheet, or None if it has none."""
    province_cols, hits = _province_columns(grid, identify)
    if not province_cols:
        return None
    primary = max(province_cols, key=lambda j: (sum(1 for (_, c) in hits if c == j), -j))
    r0 = min(i for (i, c) in hits if c == primary)
    columns, years, other = _titles(grid, r0, province_cols, publisher)
    if not columns:
        return None
    table = SheetTable(grid, columns, header_years=years)
    province_rows = sorted({i for (i, c) in hits if c in province_cols and i >= r0})
    for j, (header, reason, explained) in other.items():
        cells = [c for i in province_rows if (c := grid.at(i, j)) is not None]
        if not cells:
            continue
        if not explained and (why := _content_reason(cells, header, publisher)) is not None:
            reason, explained = why, True
        table.not_imported.append(
            NotImported(grid.file, grid.sheet, _column_name(grid, j), header, reason, explained)
        )
    groups: dict[int, list[int]] = {}
    for j in sorted(columns):
        groups.setdefault(_owner(j, province_cols), []).append(j)
    data_rows = range(r0, grid.n_rows)
    locales = {j: _locale(grid, j, data_rows) for j in columns}
    seen: dict[tuple[int, Hashable], tuple[int, dict[int, float]]] = {}
    below, blanks = False, 0
    for i in data_rows:
        row = grid.row(i)
        if all(c is None for c in row):
            blanks += 1
            below = below or blanks >= 2
            continue
        blanks = 0
        if _is_repeated_header(row, publisher):
            below = True
            continue
        _read_row(table, i, row, groups, hits, locales, seen, below)
    if table.empty_cells:
        shown = ", ".join(f"{p}: {k}" for p, k in table.empty_cells[:3])
        more = "..." if len(table.empty_cells) > 3 else ""
        table.warnings.append(
            f"{table.label}: {len(table.empty_cells)} empty cell(s) in province rows ({shown}{more})"
        )
    return table


def _read_row(
    table: SheetTable,
    i: int,
    row: tuple[Cell, ...],
    groups: dict[int, list[int]],
    hits: dict[tuple[int, int], Hashable],
    locales: dict[int, str | None],
    seen: dict[tuple[int, Hashable], tuple[int, dict[int, float]]],
    below: bool,
) -> None:
    grid = table.grid
    reasons: list[str] = []
    unnamed: list[int] = []
    label = next((t for c in row if (t := _text(c)) is not None), "")
    for p, cols in groups.items():
        present = [j for j in cols if grid.at(i, j) is not None]
        if not present:
            continue
        name = _text(grid.at(i, p))
        ident = hits.get((i, p))
        if ident is None:
            if name is None:
                unnamed.append(p)
            elif _is_summary(name):
                reasons.append(f"summary row {name!r}")
            else:
                reasons.append(f"{name!r} is not a province")
            continue
        values: dict[int, float] = {}
        for j in present:
            try:
                values[j] = _number(grid.at(i, j), locales[j])
            except NumberParseError as exc:
                table.rejects.append(_cell_reject(table, i, j, f"{table.columns[j]}: {exc}"))
        empty = [j for j in cols if j not in present]
        if empty and values and not any(values.values()):
            # PAPI 2014 writes a 0 aggregate where a province has no dimension scores: no data, not 0.
            for j in values:
                table.rejects.append(
                    _cell_reject(table, i, j, f"{table.columns[j]}: 0 beside empty cells: no data")
                )
            values = {}
        table.empty_cells += [(name, table.columns[j]) for j in empty]
        if (p, ident) in seen:
            first, before = seen[(p, ident)]
            same = all(
                math.isclose(before.get(j, v), v, rel_tol=1e-9, abs_tol=1e-9) for j, v in values.items()
            )
            where = grid.row_ref(first)
            if same:
                reasons.append(f"{name} repeats {where} (same values)")
            else:
                reasons.append(f"{name} conflicts with {where}")
                table.warnings.append(
                    f"{table.label}: {grid.row_ref(i)}: {name} differs from {where}; kept {where}"
                )
            continue
        seen[(p, ident)] = (i, values)
        if below:
            table.warnings.append(f"{table.label}: {grid.row_ref(i)}: {name} sits below the table; imported")
        for j, v in values.items():
            table.values.append(Value(name, ident, table.columns[j], v, grid.ref(i, j)))
    if unnamed and not reasons:  # a row already explained (a stray copy, a label) needs no more words
        if label and _is_summary(label):
            reasons.append(f"summary row {label!r}")
        else:
            cols = ", ".join(column_letters(p) if not grid.is_transposed else f"row {p + 1}" for p in unnamed)
            reasons.append(f"numbers without a province name (province column {cols})")
    if reasons:
        table.rejects.append(Reject(grid.file, grid.sheet, grid.row_ref(i), _raw(row), "; ".join(reasons)))


def _cell_reject(table: SheetTable, i: int, j: int, reason: str) -> Reject:
    grid = table.grid
    where = grid.ref(i, j).rsplit("!", 1)[1]
    return Reject(grid.file, grid.sheet, where, _short(str(grid.at(i, j))), _short(reason))


def best_table(grid: Grid, publisher: str, identify: Identify) -> SheetTable | None:
    """Read the sheet both ways (provinces down, provinces across) and keep the richer reading."""
    readings = [t for g in (grid, grid.transposed()) if (t := read_table(g, publisher, identify))]
    return max(readings, key=lambda t: len(t.values), default=None)
