"""Table cells of a PDF page, rebuilt from where its text runs stand.

A PDF has no tables: a 低保 list saved as PDF is text runs placed on the page. When the columns are
narrow, every cell wraps ("南庄村" / "后村" / "94 号" / "肺癌"), and read line by line the address and
the illness lose both their wholeness and their column (家庭住址, 致贫原因), which is what tells the
detectors they belong to a person. pdfium reports one rectangle per run of text, in content order,
and writers (LibreOffice, Word) place each cell's text on its own, cell after cell, row after row. So:
- the columns are the left edges of the runs of the header row: the first line of several runs
  that the one table-header detector (`formats.tables.find_header`) takes for a header and that
  rows of cells follow (a title's runs are followed by none);
- a run belongs to the last column whose left edge it does not stand before;
- a run in a column before the previous run's starts a new row;
- a run wider than its column (a paragraph, a footer) ends the table.
A page whose runs stand on the columns of the page before goes on with that table (a header row
repeated on it is read as a row of labels).
Only pages whose lines show wrapped cells (`wrapped_cells`), and the pages after one that held
such a table, are rebuilt: a table that fits on its lines is read well enough line by line, and
rebuilding costs pdfium calls per run.
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from dataclasses import dataclass

import pypdfium2.raw as pdfium_c

from prepub_review.formats.tables import HEADER_SEARCH_ROWS, HeaderCell, find_header

EDGE = 3.0                    # points: runs whose left edges differ by less stand in one column
MIN_COLUMNS = 3
SHORT_LINE = 4                # characters: a line this short is mostly a wrapped cell's fragment
MIN_SHORT_LINES = 6
ALIGNED_SHARE = 0.8           # of a page's runs on the carried columns, for it to go on with them


@dataclass(frozen=True, slots=True)
class Run:
    left: float
    top: float
    right: float
    bottom: float
    text: str                 # stripped
    start: int                # offset of its first character in the page's text


@dataclass(frozen=True, slots=True)
class Layout:
    lefts: tuple[float, ...]            # the columns' left edges
    fields: dict[int, str]              # column -> its header text


@dataclass(frozen=True, slots=True)
class Cell:
    row: int                  # 1-based among the table's data rows on this page
    column: int               # 0-based
    field: str | None
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


class Tables:
    """The table layout of one document as it goes on from page to page."""

    def __init__(self) -> None:
        self.layout: Layout | None = None

    def cells(self, runs: Sequence[Run]) -> list[Cell]:
        found, self.layout = table_cells(runs, self.layout)
        return found


def wrapped_cells(lines: Sequence[str]) -> bool:
    return sum(1 for line in lines if len(line) <= SHORT_LINE) >= MIN_SHORT_LINES


def page_runs(textpage) -> list[Run]:
    """pdfium's text rectangles of the page, in content order, with their text."""
    raw = textpage.raw
    left, top, right, bottom = (ctypes.c_double() for _ in range(4))
    runs = []
    for index in range(pdfium_c.FPDFText_CountRects(raw, 0, -1)):
        pdfium_c.FPDFText_GetRect(raw, index, left, top, right, bottom)
        text = textpage.get_text_bounded(left.value, bottom.value, right.value, top.value).strip()
        if not text:
            continue
        middle = (top.value + bottom.value) / 2
        # the whole height: a run may open with a mark whose glyph sits on the baseline ("，因…")
        half_height = (top.value - bottom.value) / 2
        start = pdfium_c.FPDFText_GetCharIndexAtPos(raw, left.value + 0.5, middle, EDGE, half_height + 1)
        if start >= 0:
            runs.append(Run(left.value, top.value, right.value, bottom.value, text, start))
    return runs


def table_cells(runs: Sequence[Run], carried: Layout | None) -> tuple[list[Cell], Layout | None]:
    """The data cells of the page's table, and the layout the next page may go on with."""
    if carried is not None and _aligned(runs, carried.lefts):
        layout, rows = carried, _rows(runs, carried.lefts)   # a row of names and places can pass for a header
    elif (found := _header_layout(runs)) is not None:
        layout, rows = found
    else:
        return [], None
    cells = [Cell(number, column, layout.fields.get(column), tuple(cell_runs))
             for number, row in enumerate(rows, start=1) for column, cell_runs in sorted(row.items())]
    return cells, layout


def _header_layout(runs: Sequence[Run]) -> tuple[Layout, list[dict[int, list[Run]]]] | None:
    """The layout whose header row starts the first line of several runs that the header detector
    takes for a header and that rows of cells follow, and those rows."""
    by_line: dict[float, list[int]] = {}     # a line's top -> its runs (tops differ by a fraction of a point)
    for index, run in enumerate(runs):
        top = next((top for top in by_line if abs(top - run.top) < EDGE), run.top)
        by_line.setdefault(top, []).append(index)
    candidates = [line for line in by_line.values() if len(line) >= MIN_COLUMNS][:HEADER_SEARCH_ROWS]
    for line in candidates:
        lefts = tuple(sorted(runs[index].left for index in line))
        rows = _rows(runs[line[0]:], lefts)
        header, fields = find_header([[HeaderCell(column, "".join(run.text for run in cell))
                                       for column, cell in sorted(row.items())] for row in rows[:2]], len(lefts))
        data = rows[max(header) + 1:] if header and header[0] == 0 else []
        if any(len(row) >= MIN_COLUMNS for row in data):     # a title's runs are followed by no rows
            return Layout(lefts, fields), data
    return None


def _rows(runs: Sequence[Run], lefts: tuple[float, ...]) -> list[dict[int, list[Run]]]:
    rows: list[dict[int, list[Run]]] = []
    row: dict[int, list[Run]] = {}
    previous = -1
    for run in runs:
        column = _column(run, lefts)
        if column is None:
            if row or rows:
                break                                    # the table ends
            continue                                     # a running head above it
        if column < previous and row:
            rows.append(row)
            row = {}
        row.setdefault(column, []).append(run)
        previous = column
    if row:
        rows.append(row)
    return rows


def _column(run: Run, lefts: tuple[float, ...]) -> int | None:
    column = None
    for index, left in enumerate(lefts):
        if run.left >= left - EDGE:
            column = index
    if column is None or (column + 1 < len(lefts) and run.right > lefts[column + 1] + EDGE):
        return None
    return column


def _aligned(runs: Sequence[Run], lefts: tuple[float, ...]) -> bool:
    on_columns = sum(1 for run in runs if _column(run, lefts) is not None)
    return bool(runs) and on_columns >= ALIGNED_SHARE * len(runs)
