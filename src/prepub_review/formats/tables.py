"""The one table-header detector, used by every table format (docx, xlsx, html, csv, Markdown).

A table's header row is the first row, among the first HEADER_SEARCH_ROWS, whose filled cells are
mostly short labels (text that is not a number). A title row ("2024年1月低保对象名单": one filled
cell in a wider table) is therefore passed over. When the header row groups columns (a cell
spanning several) and the row below is also made of labels, the two rows form the header and a
column's field reads "组/子" (e.g. "联系方式/手机").

Each cell's field (the header text of its column) becomes context for the detectors, so one
table gets the same column context whatever format it was saved in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

HEADER_SEARCH_ROWS = 10          # the header row is among the first rows (after titles and notes)
HEADER_CELL_MAX_CHARS = 30       # a header cell is short
# A label is no piece of a sentence: a PDF line of prose comes as several runs (a font per script), and
# "以公示。（耿雷，身份证号" | "350481197403108203" | "，因死亡注销）" is otherwise mostly short text.
SENTENCE_MARKS = frozenset("。，；！？")
HEADER_LABEL_SHARE = 0.6         # "mostly labels": at least this share of the row's filled cells
FORM_ROWS = 4                    # a key/value form is told from a table by its first rows (3 at least)
FORM_MIN_ROWS = 3


@dataclass(frozen=True, slots=True)
class HeaderCell:
    column: int                  # first grid column the cell covers (any origin, consistent per table)
    text: str
    span: int = 1                # grid columns covered
    is_text: bool = True         # typed as text (a spreadsheet number or date is not a label)
    marked: bool = False         # marked as a header by the format itself (HTML <th>)


def is_label(cell: HeaderCell) -> bool:
    text = " ".join(cell.text.split())
    if not text or len(text) > HEADER_CELL_MAX_CHARS:
        return False
    return cell.marked or (cell.is_text and not mostly_digits(text) and SENTENCE_MARKS.isdisjoint(text))


def mostly_digits(text: str) -> bool:
    compact = "".join(text.split())
    digits = sum(char.isdigit() for char in compact)
    return bool(compact) and digits * 2 > len(compact)


def looks_like_header(cells: Sequence[HeaderCell], width: int) -> bool:
    """At least two labels (one in a one-column table), and mostly labels."""
    filled = [cell for cell in cells if cell.text.strip()]
    labels = [cell for cell in filled if is_label(cell)]
    return bool(labels) and len(labels) >= min(2, max(width, 1)) and len(labels) >= HEADER_LABEL_SHARE * len(filled)


def column_fields(cells: Sequence[HeaderCell]) -> dict[int, str]:
    """Grid column -> the header text over it."""
    fields: dict[int, str] = {}
    for cell in cells:
        text = " ".join(cell.text.split())
        if 0 < len(text) <= HEADER_CELL_MAX_CHARS:
            for column in range(cell.column, cell.column + cell.span):
                fields[column] = text
    return fields


def is_form(rows: Sequence[Sequence[HeaderCell]]) -> bool:
    """A key/value grid (审批表: 申请人姓名 | 王芳 | 性别 | 女, 身份证号码 | 1101… | 出生年月 | 1953年5月 …),
    not a table with a header. Over its first FORM_ROWS rows (after a title row; FORM_MIN_ROWS at
    least): labels in the even columns, two label/value pairs in at least two rows, and below the
    first row every value column with two values or more mixes numbers and words (an ID number, an
    address). Below a table's header each column holds one kind of data. A form has no header: each
    value cell comes after its label cell, and the detectors read a label on the line before a value."""
    filled_rows = [[cell for cell in row if cell.text.strip()] for row in rows]
    while filled_rows and len(filled_rows[0]) < 2:
        filled_rows.pop(0)                       # a title row over the grid
    rows = [row for row in filled_rows if row][:FORM_ROWS]
    if len(rows) < FORM_MIN_ROWS or sum(len(row) >= 4 for row in rows) < 2:
        return False
    first = min(cell.column for row in rows for cell in row)
    values: dict[int, list[bool]] = {}       # value column -> is each value below the first row a number
    for number, row in enumerate(rows):
        for cell in row:
            if (cell.column - first) % 2 == 0:
                if not is_label(cell):
                    return False
            elif number:
                values.setdefault(cell.column, []).append(mostly_digits(cell.text))
    judged = [set(kinds) for kinds in values.values() if len(kinds) >= 2]
    return bool(judged) and all(len(kinds) == 2 for kinds in judged)


def find_header(rows: Sequence[Sequence[HeaderCell]], width: int | None = None) -> tuple[list[int], dict[int, str]]:
    """(indexes of the header rows, grid column -> field) of a table; ([], {}) without a header
    (a form's grid has none)."""
    if is_form(rows):
        return [], {}
    if width is None:
        width = max((cell.column + cell.span for row in rows for cell in row), default=0) \
            - min((cell.column for row in rows for cell in row), default=0)
    for index in range(min(HEADER_SEARCH_ROWS, len(rows))):
        if not looks_like_header(rows[index], width):
            continue
        fields = column_fields(rows[index])
        if groups_columns(rows[index]) and index + 1 < len(rows) and looks_like_header(rows[index + 1], 2):
            return [index, index + 1], with_subheader(fields, rows[index + 1])
        return [index], fields
    return [], {}


def groups_columns(cells: Sequence[HeaderCell]) -> bool:
    """A header row with a cell over several columns: the row below may name them."""
    return any(cell.span > 1 for cell in cells)


def with_subheader(fields: dict[int, str], cells: Sequence[HeaderCell]) -> dict[int, str]:
    """The fields of a grouping header row with the row below it: "组/子" (联系方式/手机)."""
    fields = dict(fields)
    for column, text in column_fields(cells).items():
        fields[column] = f"{fields[column]}/{text}" if fields.get(column) else text
    return fields


Row = TypeVar("Row")


class HeaderFinder(Generic[Row]):
    """find_header for rows that arrive one by one (xlsx, csv): holds back the first rows until
    the header row is known (and the row below a grouping one), then releases them in order.
    `cells_of(row)` gives a row's cells; `header` is the last header row."""

    def __init__(self, cells_of) -> None:
        self.cells_of = cells_of
        self.pending: list[Row] = []
        self.header: Row | None = None           # the header row, once found
        self.fields: dict[int, str] = {}
        self.searching = True
        self._from_header: list[list[HeaderCell]] = []   # the header row and the rows held after it

    def feed(self, row: Row) -> list[Row]:
        if not self.searching:
            return [row]
        self.pending.append(row)
        cells = self.cells_of(row)
        if self.header is None:
            if looks_like_header(cells, 2):      # the width is unknown yet: a title row is one cell
                self.header, self.fields = row, column_fields(cells)
                self._from_header = [cells]
            elif len(self.pending) >= HEADER_SEARCH_ROWS:
                return self.finish()
            return []
        self._from_header.append(cells)          # held back until a form can be told from a table
        if len(self._from_header) == 2 and groups_columns(self._from_header[0]) and looks_like_header(cells, 2):
            self.header, self.fields = row, with_subheader(self.fields, cells)
        return self.finish() if len(self._from_header) >= FORM_ROWS else []

    def finish(self) -> list[Row]:
        if self.header is not None and is_form(self._from_header):
            self.header, self.fields = None, {}  # a form's grid: no header (see is_form)
        self.searching = False
        ready, self.pending = self.pending, []
        return ready
