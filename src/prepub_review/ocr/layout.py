"""OCR'd lines -> rows and columns, so a photographed table reads like a real table.

Skew first: a rotated scan or a tilted photo makes a table row climb across the picture, so the
lines are placed in a frame turned by the median slope of the wider lines' baselines.
Rows: lines whose vertical extents overlap by at least half the smaller height sit on one row.
Columns: the first row with at least two lines and at least MIN_HEADER_SHARE of the widest row's
line count is the header row; each header line spans a column. Every later row whose lines fall
into those columns is a record and each of its lines gets the header above it as its `header` (the
field context, like 身份证号 over a column of a .docx table). Lines above the header, and single
lines that do not fit the columns (a title, a note under the table), are prose.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

from prepub_review.ocr.engine import OcrLine

MIN_ROW_OVERLAP = 0.5
MIN_HEADER_SHARE = 0.6
MIN_SLOPE_LINE_RATIO = 3        # only lines this many times wider than tall tell the skew


@dataclass(frozen=True, slots=True)
class PlacedLine:
    line: OcrLine
    row: int                   # 1-based, top to bottom over the whole picture
    column: int | None = None  # 1-based under the header; None for prose
    header: str | None = None  # the column's header text (for data rows)
    is_header: bool = False


def place_lines(lines: list[OcrLine]) -> list[PlacedLine]:
    """Every line once, in reading order (rows top to bottom, left to right within a row)."""
    straight = deskew(lines)
    original = {id(s): line for s, line in zip(straight, lines)}
    rows = group_rows(straight)
    header_index = _header_row(rows)
    columns = rows[header_index] if header_index is not None else []
    placed: list[PlacedLine] = []
    for index, row in enumerate(rows):
        number = index + 1
        if header_index is None or index < header_index:
            placed += [PlacedLine(original[id(s)], number) for s in row]
        elif index == header_index:
            placed += [PlacedLine(original[id(s)], number, col, None, True) for col, s in enumerate(row, start=1)]
        else:
            fitted = [_column_of(s, columns) for s in row]
            if len(row) == 1 and fitted[0] is None:
                placed.append(PlacedLine(original[id(row[0])], number))
                continue
            for s, col in zip(row, fitted):
                header = original[id(columns[col - 1])].text if col is not None else None
                placed.append(PlacedLine(original[id(s)], number, col, header))
    return placed


def deskew(lines: list[OcrLine]) -> list[OcrLine]:
    """The lines with their boxes turned by minus the picture's skew (a new OcrLine per line)."""
    slopes = [ln.slope for ln in lines
              if ln.box[2] - ln.box[0] >= MIN_SLOPE_LINE_RATIO * max(ln.box[3] - ln.box[1], 1)]
    angle = math.atan(statistics.median(slopes)) if slopes else 0.0
    if abs(angle) < 0.002:
        return list(lines)
    cos, sin = math.cos(-angle), math.sin(-angle)
    turned = []
    for line in lines:
        left, top, right, bottom = line.box
        corners = [(x * cos - y * sin, x * sin + y * cos) for x in (left, right) for y in (top, bottom)]
        # the turned line keeps its own height: centre from the corners, height from the box
        cx = sum(c[0] for c in corners) / 4
        cy = sum(c[1] for c in corners) / 4
        half_w = (right - left) / 2 / max(math.cos(angle), 0.5)
        half_h = ((bottom - top) - abs(math.sin(angle)) * (right - left)) / 2
        half_h = max(half_h, (bottom - top) / 4, 1)
        box = (int(cx - half_w), int(cy - half_h), int(cx + half_w), int(cy + half_h))
        turned.append(OcrLine(line.text, box, line.score, 0.0))
    return turned


def group_rows(lines: list[OcrLine]) -> list[list[OcrLine]]:
    rows: list[list[OcrLine]] = []
    spans: list[tuple[int, int]] = []
    for line in sorted(lines, key=lambda ln: ((ln.box[1] + ln.box[3]) / 2, ln.box[0])):
        top, bottom = line.box[1], line.box[3]
        if rows and _overlap((top, bottom), spans[-1]) >= MIN_ROW_OVERLAP:
            rows[-1].append(line)
            spans[-1] = (min(spans[-1][0], top), max(spans[-1][1], bottom))
        else:
            rows.append([line])
            spans.append((top, bottom))
    return [sorted(row, key=lambda ln: ln.box[0]) for row in rows]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    shared = min(a[1], b[1]) - max(a[0], b[0])
    smaller = max(min(a[1] - a[0], b[1] - b[0]), 1)
    return shared / smaller


def _header_row(rows: list[list[OcrLine]]) -> int | None:
    widest = max((len(row) for row in rows), default=0)
    if widest < 2:
        return None
    for index, row in enumerate(rows):
        if len(row) >= 2 and len(row) >= MIN_HEADER_SHARE * widest:
            return index
    return None


def _column_of(line: OcrLine, columns: list[OcrLine]) -> int | None:
    """The header column the line overlaps most horizontally; else the nearest one if the line
    lies inside the table's width (cells are often wider than their header text)."""
    left, right = line.box[0], line.box[2]
    best, best_shared = None, 0
    for number, header in enumerate(columns, start=1):
        shared = min(right, header.box[2]) - max(left, header.box[0])
        if shared > best_shared:
            best, best_shared = number, shared
    if best is not None:
        return best
    table_left, table_right = columns[0].box[0], columns[-1].box[2]
    width = max(right - left, 1)
    if right < table_left - width or left > table_right + width:
        return None
    centre = (left + right) / 2
    return min(range(len(columns)), key=lambda i: abs((columns[i].box[0] + columns[i].box[2]) / 2 - centre)) + 1
