"""PDF: the text layer page by page, document properties, annotations, and scanned pages.

A scanned page has no text layer: with the `[ocr]` extra its rendered image is read by OCR
(prepub_review.ocr; anchors are PictureTextAnchors whose picture is a PdfPageImage); without it
the page is a Notice ("扫描页无文字层，需人工审查" and how to install the extra), never clean. Annotations (sticky
notes, form field values) and the document properties are published with the file,
so they are read too.

Each segment also says where its text lives (its anchor, for the writer): a page
line's area in PDF user space, an annotation's place in the page's /Annots array, a property
key, a bookmark's order; and a structured Locator (page and line).
"""

from __future__ import annotations

import bisect
import ctypes
import itertools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from prepub_review.errors import ReadError
from prepub_review.models import Locator, Notice, Segment, Zone
from prepub_review.formats.base import Limits, ReaderItem, attached_file_items
from prepub_review.formats.pdf import cells as pdf_cells
from prepub_review.formats.pdf import fonts, revisions, xmp
from prepub_review.ocr import engine as ocr_engine

TOP_LINES = 5
REVISION = "revision"           # the Locator part of what only an earlier revision shows (revisions.py)
SCAN_TEXT_CHARS = 20            # a page with less text than this and a page-sized image is a scan
SCAN_IMAGE_SHARE = 0.5          # share of the page area an image must cover to count as a scan
OUTLINED_TEXT_PATHS = 200       # no text, no image, but this many vector paths: text drawn as outlines
UNMAPPED_MIN_CHARS = 5          # a font without a ToUnicode map yields glyph codes: control characters,
UNMAPPED_SHARE = 0.05           # U+FFFD; this many, and this share of the visible characters, flag a page
UNMAPPED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")
METADATA_FIELDS = (("Author", "作者"), ("Title", "标题"), ("Subject", "主题"), ("Keywords", "关键词"),
                   ("Creator", "创建程序"), ("Producer", "生成程序"))
# XMP properties with an Info counterpart, under its label; others keep their qualified name.
XMP_FIELDS = {"dc:creator": "作者", "pdf:Author": "作者", "dc:title": "标题", "dc:description": "主题",
              "dc:subject": "关键词", "pdf:Keywords": "关键词", "xmp:CreatorTool": "创建程序", "pdf:Producer": "生成程序"}
LINE_BREAK = re.compile(r"\r\n|[\r\n\u2028\u2029]")
WHITESPACE = re.compile(r"\s")          # what str.isspace() calls white space
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
ANNOTATION_KEYS = (("Contents", Zone.COMMENT, None), ("V", Zone.BODY, "表单字段"))
# A number wrapped in a narrow table cell comes out as two lines ("320106199308" / "163746"), or,
# in a cell a few digits wide, as several ("37020" / "21984" / "07154" / "356", "19111" / "18039" /
# "9"). Pieces of consecutive lines whose lengths add up to an ID (15/18), a card number (16-19) or,
# for a cell's full-width column of pieces, a mobile number (11) are offered joined, as an extra
# segment; the recognizers' checksums and prefixes decide.
DIGIT_PIECE = re.compile(r"(?<![0-9A-Za-z])\d+[Xx]?(?![0-9A-Za-z])")
JOINED_LENGTHS = frozenset({15, 16, 17, 18, 19})
COLUMN_LENGTHS = JOINED_LENGTHS | {11}
MIN_HEAD_DIGITS = 6
MIN_CELL_DIGITS = 3     # the narrowest cell whose wrapped column of pieces is joined
# A paragraph's line broken at the right margin is joined with the next (`_seams`): a line of at least
# SEAM_MIN_LINE characters is full when it ends within SEAM_MARGIN_EMS character heights of the page's
# right margin, and the next line follows within SEAM_LINE_EMS heights.
SEAM_MIN_LINE = 8
SEAM_MARGIN_EMS = 1.5
SEAM_LINE_EMS = 2.5
Box = tuple[float, float, float, float]


class PageBoxes:
    """The line boxes of one page (`_line_boxes`), measured when first asked for: only the redactor
    uses them, and measuring costs a pdfium call per character, so `prepub check` never pays it.
    Measured later, the page is opened again from `path`; a writer (which reads the file it then
    edits) passes `boxes` measured while reading instead."""

    __slots__ = ("path", "page", "_boxes")

    def __init__(self, path: Path, page: int, boxes: dict[int, Box] | None = None):
        self.path, self.page, self._boxes = path, page, boxes

    def of(self, start: int) -> Box | None:
        """The box of the line that starts at offset `start` of the page's text."""
        if self._boxes is None:
            self._boxes = _measure_page(self.path, self.page)
        return self._boxes.get(start)


@dataclass(frozen=True, slots=True)
class PdfLineAnchor:
    """A text line of a page: `box` = (left, bottom, right, top) of its characters, or None."""

    page: int                  # 0-based
    line: int                  # 1-based, as in the location
    start: int                 # offset of the line in the page's text
    boxes: PageBoxes = dataclass_field(compare=False, repr=False)

    @property
    def box(self) -> Box | None:
        return self.boxes.of(self.start)


@dataclass(frozen=True, slots=True)
class PdfWrappedAnchor:
    """A value in pieces, in order: `lengths[i]` of its characters stand on `lines[i]` (a number
    wrapped over consecutive lines, or a table cell's runs, each anchored by its own box)."""

    lines: tuple[PdfLineAnchor, ...]
    lengths: tuple[int, ...]
    at_line_edges: bool = False   # each piece but the last ends its line, each but the first opens it


@dataclass(frozen=True, slots=True)
class PdfPageImage:
    """A page without a text layer, rendered at `dpi` for OCR (the key of its PictureTextAnchors)."""

    page: int                  # 0-based
    dpi: int


OCR_DPI = 200                  # scanned pages are rendered at this resolution for OCR


@dataclass(frozen=True, slots=True)
class PdfAnnotationAnchor:
    page: int                  # 0-based
    index: int                 # 0-based place in the page's /Annots array


@dataclass(frozen=True, slots=True)
class PdfPropertyAnchor:
    key: str                   # document information key, e.g. "Author"


@dataclass(frozen=True, slots=True)
class PdfXmpAnchor:
    packet: int                # 1-based, in file order (xmp.packets)
    name: str                  # the XMP property's qualified name, e.g. "dc:creator"


@dataclass(frozen=True, slots=True)
class PdfBookmarkAnchor:
    index: int                 # 0-based, depth-first order of the outline


@dataclass(frozen=True, slots=True)
class PdfRevisionAnchor:
    revision: int              # 1-based, oldest first: an earlier revision kept by an incremental save


def read(path: Path, limits: Limits, *, measure_boxes: bool = False) -> Iterator[ReaderItem]:
    """The document's items, then what only its earlier revisions show; line anchors measure their
    boxes when first asked, or while reading with `measure_boxes` (the writer's reading: it edits the
    file it read)."""
    document = _open(path)
    earlier, revision_count = revisions.earlier(path)
    shown: set[str] = set()
    try:
        for item in _current(document, path, measure_boxes):
            if earlier and isinstance(item, Segment):
                shown.add(item.text)
            yield item
    except pdfium.PdfiumError as exc:
        raise ReadError(f"PDF 文件部分内容无法读取（{exc}），文件未能完整审查", code="corrupt_pdf") from exc
    finally:
        document.close()
    yield from _earlier_revisions(path, earlier, revision_count, shown)


def _current(document: pdfium.PdfDocument, path: Path, measure_boxes: bool) -> Iterator[ReaderItem]:
    properties = list(_properties(document))
    yield from properties
    yield from _xmp(path, {segment.text for segment in properties})
    tables, held = pdf_cells.Tables(), HeldRow()
    for index in range(len(document)):
        yield from _page(document, index, path, measure_boxes, tables, held)
    yield from held.release()       # the document's last table row
    yield from _attachments(document)


def _earlier_revisions(path: Path, earlier: list[int], count: int, shown: set[str]) -> Iterator[ReaderItem]:
    """What the earlier revisions of an incrementally saved file (revisions.py; `earlier`: where each
    ends) show and the current one does not: their properties, page lines and annotations, as
    `早期版本N 第2页 第3行`."""
    for number, end in enumerate(earlier, start=1):
        try:
            document = pdfium.PdfDocument(revisions.revision(path, end))
        except pdfium.PdfiumError:
            yield Notice("pdf_revision_unreadable", f"早期版本{number}",
                         f"文件中保存有增量修改前的早期版本{number}，无法打开审查；发布前请用“另存为”重新保存 PDF")
            continue
        try:
            for segment in _revision_segments(document):
                if segment.text not in shown:
                    shown.add(segment.text)
                    yield Segment(segment.text, f"早期版本{number} {segment.location}", segment.zone,
                                  field=segment.field, anchor=PdfRevisionAnchor(number),
                                  locator=Locator(REVISION, (number, segment.location)))
        except pdfium.PdfiumError:
            yield Notice("pdf_revision_unreadable", f"早期版本{number}",
                         f"文件中保存有增量修改前的早期版本{number}，未能完整读取；发布前请用“另存为”重新保存 PDF")
        finally:
            document.close()
    if count > len(earlier):
        yield Notice("pdf_revision_unreadable", "早期版本",
                     f"文件中保存有 {count} 个增量修改前的早期版本，只审查了前 {len(earlier)} 个；"
                     "发布前请用“另存为”重新保存 PDF")


def _revision_segments(document: pdfium.PdfDocument) -> Iterator[Segment]:
    """An earlier revision's properties, page lines and annotations (lines only: what is new in a
    revision is compared line by line with the current one)."""
    yield from _properties(document)
    for index in range(len(document)):
        page = document[index]
        try:
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_range()
            finally:
                textpage.close()
            lines = [line for line in (_clean(raw.group()) for raw in _raw_lines(text)) if line]
            for line_number, line in enumerate(lines, start=1):
                zone = Zone.TOP if index == 0 and line_number <= TOP_LINES else Zone.BODY
                yield Segment(line, f"第{index + 1}页 第{line_number}行", zone)
            yield from _annotations(page, index + 1)
        finally:
            page.close()


def _open(path: Path) -> pdfium.PdfDocument:
    fonts.install()
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise ReadError("PDF 文件设置了打开密码，无法审查。请去除密码后再审查", code="encrypted") from exc
        raise ReadError(f"PDF 文件已损坏或格式错误，无法打开（{exc}）。请用原程序重新导出 PDF 后再审查",
                        code="corrupt_pdf") from exc


def _properties(document: pdfium.PdfDocument) -> Iterator[Segment]:
    for key, label in METADATA_FIELDS:
        value = _clean(document.get_metadata_value(key))
        if value:
            yield Segment(value, f"文档属性 {key}", Zone.PROPERTY, field=label,
                          anchor=PdfPropertyAnchor(key), locator=Locator("property", (key,)))
    try:
        bookmarks = list(document.get_toc())
    except pdfium.PdfiumError:
        bookmarks = []
    for order, bookmark in enumerate(bookmarks):
        title = _clean(bookmark.get_title())
        if title:
            yield Segment(title, "书签", Zone.PROPERTY, field="书签",
                          anchor=PdfBookmarkAnchor(order), locator=Locator("bookmark", (order + 1,)))


def _xmp(path: Path, shown: set[str]) -> Iterator[Segment]:
    """The XMP packets' values, except those the document information already gave (Word writes the
    author and title in both)."""
    seen = set(shown)
    for number, packet in enumerate(xmp.packets(path), start=1):
        where = "XMP 元数据" if number == 1 else f"XMP 元数据{number}"
        for name, value in xmp.values(packet):
            value = _clean(value)
            if value and value not in seen:
                seen.add(value)
                yield Segment(value, f"{where} {name}", Zone.PROPERTY, field=XMP_FIELDS.get(name, name),
                              anchor=PdfXmpAnchor(number, name), locator=Locator("xmp", (number, name)))


def _page(document: pdfium.PdfDocument, index: int, path: Path, measure_boxes: bool,
          tables: pdf_cells.Tables, held: HeldRow) -> Iterator[ReaderItem]:
    number = index + 1
    fonts_loaded = fonts.files_loaded()
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_range()
            boxes = PageBoxes(path, index, _line_boxes(textpage, text) if measure_boxes else None)
            found = [(line, raw.span())
                     for line, raw in ((_clean(raw.group()), raw) for raw in _raw_lines(text)) if line]
            lines = [(line, span[0]) for line, span in found]
            texts = [line for line, _span in found]
            edges = _line_edges(textpage, text, [span for _line, span in found])
            # a page that goes on with a table, or shows wrapped cells; else there is no layout to carry
            carried = tables.layout
            cells = tables.cells(pdf_cells.page_runs(textpage)) \
                if tables.layout is not None or pdf_cells.wrapped_cells(texts) else []
        finally:
            textpage.close()
        line_anchors = [PdfLineAnchor(index, n, start, boxes)
                        for n, (_line, start) in enumerate(lines, start=1)]
        starts = [start for _line, start in lines]
        in_table = {bisect.bisect_right(starts, run.start) - 1 for cell in cells for run in cell.runs}
        placed = _placed_cells(cells, index, path, starts)
        released = held.release(placed if carried is not None and tables.layout is carried else None)
        if tables.layout is not None:
            held.keep(placed)         # the table goes on: its last row may go on at the next page's top
        yield from released
        for line_number, (line, _start) in enumerate(lines, start=1):
            if line_number - 1 in in_table:
                continue              # read as the table's cells below
            zone = Zone.TOP if number == 1 and line_number <= TOP_LINES else Zone.BODY
            yield Segment.from_fields(line, f"第{number}页 第{line_number}行", zone, None, None,
                                      Locator.from_fields("page", (number, line_number), None, None),
                                      line_anchors[line_number - 1])
        for joined in _wrapped_numbers(texts, number, line_anchors):
            _page_number, first, last = joined.locator.path
            if in_table.isdisjoint(range(first - 1, last)):
                yield joined
        yield from (_cell_segment(number, cell, anchors) for cell, anchors in placed)
        yield from _seams(texts, edges, number, line_anchors, in_table)
        notice = _scan_notice(page, number, sum(len(line) for line, _start in lines)) or _unmapped_notice(text, number)
        if notice is not None and notice.code == "scanned_page" and ocr_engine.available():
            yield from _ocr_page(page, index)
        elif notice is not None:
            yield notice
        yield from _annotations(page, number)
        if fonts.files_loaded() != fonts_loaded:
            fonts.keep_fonts_of(document, index)   # the next document finds them loaded
    finally:
        page.close()


def _wrapped_numbers(lines: list[str], page_number: int,
                     line_anchors: list[PdfLineAnchor | None]) -> Iterator[Segment]:
    """Digit pieces of consecutive lines joined, when their lengths add up to an identifier's: a
    long piece with the first piece of the next line (a cell wrapped once, among other cells: the
    row's continuation line holds only what wrapped, so the number's rest comes first), and a
    column of pieces as a narrow cell wraps a number (`_column_joins`). Each joined number once.
    Any piece of the next line would join a full row's ID or phone with the next row's figures
    (序号, household size): one such join in ten passes a card's Luhn check."""
    pieces = [[m.group() for m in DIGIT_PIECE.finditer(line)] for line in lines]
    offered: dict[tuple[int, str], tuple[int, ...]] = {}    # (first line, number) -> its pieces' lengths
    for first in range(len(lines) - 1):
        tail = pieces[first + 1][0] if pieces[first + 1] else ""
        if _numbers_next_row(pieces[first], tail):
            tail = ""
        for head in pieces[first] if tail else ():
            if MIN_HEAD_DIGITS <= len(head) < max(JOINED_LENGTHS) and head[-1].isdigit() \
                    and len(head) + len(tail) in JOINED_LENGTHS:
                offered.setdefault((first, head + tail), (len(head), len(tail)))
        columns = list(_column_joins(lines, pieces, first))
        totals = {sum(map(len, column)) for column in columns}
        for column in columns:
            if sum(map(len, column)) == 15 and 18 in totals:
                continue    # the first 15 digits of the 18 the column goes on to: not an old-style ID
            offered.setdefault((first, "".join(column)), tuple(map(len, column)))
    for (first, number), lengths in offered.items():
        last = first + len(lengths) - 1
        anchors = line_anchors[first:last + 1]
        anchor = PdfWrappedAnchor(tuple(anchors), lengths) if all(anchors) else None
        yield Segment(number, f"第{page_number}页 第{first + 1}-{last + 1}行（跨行数字）",
                      Zone.BODY, field="跨行拼接", anchor=anchor,
                      locator=Locator("page", (page_number, first + 1, last + 1)))


def _line_edges(textpage: pdfium.PdfTextPage, text: str,
                spans: list[tuple[int, int]]) -> list[tuple[Box, Box] | None]:
    """Per line (its span in the page's text): the boxes (left, bottom, right, top) of its first and
    last visible characters; None where pdfium's text has no box for them."""
    if len(text) != textpage.count_chars():
        return [None] * len(spans)
    raw_page, get_box = textpage.raw, _GET_CHAR_BOX
    values = [ctypes.c_double() for _ in range(4)]        # left, right, bottom, top
    refs = [ctypes.byref(value) for value in values]

    def box(index: int) -> Box | None:
        if not get_box(raw_page, index, *refs):
            return None
        left, right, bottom, top = (value.value for value in values)
        return (left, bottom, right, top) if right > left and top > bottom else None

    edges = []
    for start, end in spans:
        raw = text[start:end]
        first, last = start + len(raw) - len(raw.lstrip()), end - 1 - (len(raw) - len(raw.rstrip()))
        ends = box(first), box(last)
        edges.append(ends if ends[0] and ends[1] else None)
    return edges


def _seams(lines: list[str], edges: list[tuple[Box, Box] | None], page_number: int,
           line_anchors: list[PdfLineAnchor], in_table: set[int]) -> Iterator[Segment]:
    """Each paragraph the wrap broke into lines, joined again: a line that runs to the right margin
    goes on in the next when that starts no further right (a continuation is not indented) at a
    line's distance. A name, an address or a diagnosis broken by the wrap ("本人重" / "度残疾") is
    then read whole, in its paragraph (the person it belongs to is often a line above). The lines
    keep their own segments; the policy keeps only the paragraph's findings that run across a
    break (`Segment.seams`). A break between two digits is no join: `_wrapped_numbers` tells a
    wrapped number from a row's figure and the next row's 序号."""
    measured = [ends is not None and len(line) >= SEAM_MIN_LINE for ends, line in zip(edges, lines)]
    margin = max((ends[1][2] for ends, known in zip(edges, measured) if known), default=math.inf)
    full = [known and ends[1][2] >= margin - SEAM_MARGIN_EMS * _height(ends[1])
            for ends, known in zip(edges, measured)]
    if sum(full) < 2:
        return              # one line alone at the right: the longest row of a table, not a margin
    joined = [full[index] and _continues(lines, edges, index, in_table) for index in range(len(lines) - 1)]
    for goes_on, run in itertools.groupby(range(len(joined)), key=joined.__getitem__):
        if not goes_on:
            continue
        indexes = list(run)
        first, last = indexes[0], indexes[-1] + 1    # lines first..last (0-based) form the paragraph
        members = lines[first:last + 1]
        breaks = tuple(itertools.accumulate(len(line) for line in members[:-1]))
        yield Segment("".join(members), f"第{page_number}页 第{first + 1}-{last + 1}行（跨行）",
                      Zone.TOP if page_number == 1 and first < TOP_LINES else Zone.BODY,
                      anchor=PdfWrappedAnchor(tuple(line_anchors[first:last + 1]), tuple(map(len, members)),
                                              at_line_edges=True),
                      locator=Locator("page", (page_number, first + 1, last + 1)), seams=breaks)


def _continues(lines: list[str], edges: list[tuple[Box, Box] | None], index: int, in_table: set[int]) -> bool:
    """Whether full line `index` goes on in the next line (see `_seams`)."""
    following = index + 1
    if edges[following] is None or index in in_table or following in in_table:
        return False
    last, first = lines[index][-1], lines[following][0]
    if not (last.isalnum() and first.isalnum()) or (last.isdigit() and first.isdigit()):
        return False
    (a_left, _a_bottom, _a_right, a_top), last_box = edges[index]
    (b_left, _b_bottom, _b_right, b_top), _next_last = edges[following]
    em = _height(last_box)
    return b_left <= a_left + 0.5 * em and 0.5 * em < a_top - b_top < SEAM_LINE_EMS * em


def _height(box: Box) -> float:
    return box[3] - box[1]


PlacedCell = tuple[pdf_cells.Cell, tuple[PdfLineAnchor, ...]]


def _placed_cells(cells: list[pdf_cells.Cell], index: int, path: Path, starts: list[int]) -> list[PlacedCell]:
    """A table's cells with an anchor for each of their runs: a line anchor whose box is the run's,
    so a redaction takes the value from its cell, not an equal text from another cell of the line
    (所属社区 南庄村 beside 家庭住址 南庄村后村94号)."""
    run_boxes = PageBoxes(path, index, {run.start: (run.left, run.bottom, run.right, run.top)
                                        for cell in cells for run in cell.runs})
    return [(cell, tuple(PdfLineAnchor(index, bisect.bisect_right(starts, run.start), run.start, run_boxes)
                         for run in cell.runs)) for cell in cells]


def _cell_segment(page_number: int, cell: pdf_cells.Cell, anchors: tuple[PdfLineAnchor, ...]) -> Segment:
    """A cell as a segment under its column's header, one record per row."""
    return Segment(cell.text, f"第{page_number}页 表格第{cell.row}行 第{cell.column + 1}列", Zone.BODY,
                   field=cell.field, record=f"第{page_number}页表格第{cell.row}行",
                   locator=Locator("page", (page_number, "表格", cell.row, cell.column + 1)),
                   anchor=PdfWrappedAnchor(anchors, tuple(len(run.text) for run in cell.runs)))


class HeldRow:
    """The last row of a table page, held back until the next page is read: a row the page break
    cut goes on at the top of the next page, its first column empty (the ID's last digits, the
    address's house number), and is read whole, as one record at the place it starts."""

    def __init__(self) -> None:
        self.page_number, self.cells = 0, []

    def keep(self, placed: list[PlacedCell]) -> None:
        """Hold the last row of `placed` (taken out of it)."""
        last = max((cell.row for cell, _anchors in placed), default=None)
        self.cells = [item for item in placed if item[0].row == last]
        placed[:] = [item for item in placed if item[0].row != last]
        self.page_number = self.cells[0][1][0].page + 1 if self.cells else 0

    def release(self, following: list[PlacedCell] | None = None) -> list[Segment]:
        """The held row's cells; joined with the first row of `following` (the next page's cells on
        the same columns, which loses that row) when that row's first column is empty."""
        held, self.cells = self.cells, []
        if not held:
            return []
        top = [item for item in following or () if item[0].row == 1]
        if top and all(cell.column > 0 for cell, _anchors in top):
            following[:] = [item for item in following if item[0].row != 1]
            by_column = {cell.column: (cell, anchors) for cell, anchors in held}
            row = held[0][0].row
            for cell, anchors in top:
                first, first_anchors = by_column.get(cell.column, (None, ()))
                runs = (first.runs if first else ()) + cell.runs
                field = first.field if first else cell.field
                by_column[cell.column] = (pdf_cells.Cell(row, cell.column, field, runs), first_anchors + anchors)
            held = [by_column[column] for column in sorted(by_column)]
        return [_cell_segment(self.page_number, cell, anchors) for cell, anchors in held]


def _numbers_next_row(row: list[str], tail: str) -> bool:
    """Whether `tail`, opening the next line, is the next row's 序号: `row` opened with the number
    before it ("66 王明 … 6228485921916900" / "67 韦桂芳 …")."""
    return bool(row) and row[0].isdigit() and tail.isdigit() and len(tail) <= 4 and int(tail) == int(row[0]) + 1


def _column_joins(lines: list[str], pieces: list[list[str]], first: int) -> Iterator[list[str]]:
    """The joins of a number wrapped in a narrow cell, starting at the piece that ends line `first`:
    pieces of the cell's full width each alone on the lines below it, then a last piece no wider,
    alone or opening its line. Full width is what tells a wrapped cell from a column of figures."""
    if not pieces[first] or not lines[first].endswith(pieces[first][-1]):
        return
    column = [pieces[first][-1]]
    width = len(column[0])
    if width < MIN_CELL_DIGITS or not column[0].isdigit():
        return
    for line, found in zip(lines[first + 1:], pieces[first + 1:]):
        if not found or not line.startswith(found[0]) or len(found[0]) > width:
            return
        column.append(found[0])
        if sum(map(len, column)) in COLUMN_LENGTHS:
            yield list(column)
        if line != found[0] or len(found[0]) < width or not found[0].isdigit():
            return      # the number's last piece: shorter, or followed by the next cell's text


def _raw_lines(text: str) -> Iterator[re.Match]:
    """The lines of a page's text (as LINE_BREAK splits them), with their offsets."""
    return re.finditer(rf"(?:(?!{LINE_BREAK.pattern}).)+", text, re.DOTALL)


def _measure_page(path: Path, index: int) -> dict[int, Box]:
    """`_line_boxes` of page `index` of the PDF at `path`, opened again for it."""
    document = _open(path)
    try:
        page = document[index]
        try:
            textpage = page.get_textpage()
            try:
                return _line_boxes(textpage, textpage.get_text_range())
            finally:
                textpage.close()
        finally:
            page.close()
    finally:
        document.close()


def _line_boxes(textpage: pdfium.PdfTextPage, text: str) -> dict[int, Box]:
    """Line start offset -> the union of its characters' boxes. pdfium's text has one character per
    character index; if that ever does not hold, no boxes (the redactor then searches the page).
    (textpage.get_charbox without its per-call wrapping: a page has thousands of characters.)"""
    if len(text) != textpage.count_chars():
        return {}
    raw_page, get_box = textpage.raw, _GET_CHAR_BOX
    box_left, box_right, box_bottom, box_top = (ctypes.c_double() for _ in range(4))
    refs = [ctypes.byref(value) for value in (box_left, box_right, box_bottom, box_top)]
    boxes = {}
    for raw in _raw_lines(text):
        left = bottom = math.inf
        right = top = -math.inf
        for index, char in enumerate(raw.group(), raw.start()):
            if char.isspace():
                continue
            if not get_box(raw_page, index, *refs):
                raise pdfium.PdfiumError("Failed to get charbox.")
            x0, x1, y0, y1 = box_left.value, box_right.value, box_bottom.value, box_top.value
            if x1 > x0 or y1 > y0:      # generated characters have no box
                if x0 < left:
                    left = x0
                if y0 < bottom:
                    bottom = y0
                if x1 > right:
                    right = x1
                if y1 > top:
                    top = y1
        if right != -math.inf:
            boxes[raw.start()] = (left, bottom, right, top)
    return boxes


def _unchecked(function):
    """The same C function without ctypes' per-call argument checks (4 times faster a call; the
    caller passes exactly the C types: a handle, a Python int for `int`, byref(c_double) for `double*`)."""
    bare = type(function)(ctypes.cast(function, ctypes.c_void_p).value)   # keeps the calling convention
    bare.restype = function.restype
    return bare


_GET_CHAR_BOX = _unchecked(pdfium_c.FPDFText_GetCharBox)   # (textpage, index, &left, &right, &bottom, &top)


def _scan_notice(page: pdfium.PdfPage, number: int, text_chars: int) -> Notice | None:
    if text_chars >= SCAN_TEXT_CHARS:
        return None
    page_area = max(page.get_width() * page.get_height(), 1.0)
    image_area, paths = 0.0, 0
    for obj in page.get_objects():
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            left, bottom, right, top = obj.get_bounds()
            image_area += max(right - left, 0) * max(top - bottom, 0)
        elif obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
            paths += 1
    location = f"第{number}页"
    if image_area > 0 and (text_chars == 0 or image_area / page_area >= SCAN_IMAGE_SHARE):
        return Notice("scanned_page", location, f"扫描页无文字层，需人工审查。{ocr_engine.INSTALL_HINT}")
    if text_chars == 0 and paths >= OUTLINED_TEXT_PATHS:
        return Notice("scanned_page", location, f"页面无文字层（文字可能已转为图形），需人工审查。{ocr_engine.INSTALL_HINT}")
    return None


def render_page(page: pdfium.PdfPage, dpi: int = OCR_DPI):
    """The page as a PIL image at `dpi` (what OCR reads and the redactor paints)."""
    return page.render(scale=dpi / 72).to_pil()


def _ocr_page(page: pdfium.PdfPage, index: int) -> Iterator[ReaderItem]:
    from prepub_review.ocr.picture import text_segments

    picture = render_page(page)
    lines = ocr_engine.recognise(picture)
    yield from text_segments(lines, f"第{index + 1}页（扫描）", PdfPageImage(index, OCR_DPI), anchors=True,
                             locator_path=("page", index + 1))


def _unmapped_notice(text: str, number: int) -> Notice | None:
    unmapped = len(UNMAPPED.findall(text))
    if unmapped >= UNMAPPED_MIN_CHARS and unmapped >= UNMAPPED_SHARE * len(WHITESPACE.sub("", text)):
        return Notice("unmapped_text", f"第{number}页",
                      "此页文字层无法识别（字体缺少 Unicode 映射，提取出的是乱码），需人工审查")
    return None


def _annotations(page: pdfium.PdfPage, number: int) -> Iterator[Segment]:
    for index in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
        annotation = pdfium_c.FPDFPage_GetAnnot(page.raw, index)
        if not annotation:
            continue
        try:
            subtype = pdfium_c.FPDFAnnot_GetSubtype(annotation)
            if subtype == pdfium_c.FPDF_ANNOT_POPUP:
                continue   # a popup repeats its parent's text
            if subtype == pdfium_c.FPDF_ANNOT_LINK:
                address = _link_address(page, annotation)
                if address:     # a query string can carry an ID number; redaction removes the link
                    yield Segment(address, f"第{number}页 链接{index + 1}", Zone.PROPERTY, field="链接地址",
                                  anchor=PdfAnnotationAnchor(number - 1, index))
            for key, zone, field in ANNOTATION_KEYS:
                for line in LINE_BREAK.split(_annotation_string(annotation, key)):
                    text = _clean(line)
                    if text:
                        anchor = PdfAnnotationAnchor(number - 1, index)
                        yield Segment(text, f"第{number}页 批注{index + 1}", zone, field=field, anchor=anchor)
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annotation)


def _link_address(page: pdfium.PdfPage, annotation) -> str:
    """The address a link annotation opens (a URI action), or ""."""
    link = pdfium_c.FPDFAnnot_GetLink(annotation)
    action = pdfium_c.FPDFLink_GetAction(link) if link else None
    if not action or pdfium_c.FPDFAction_GetType(action) != pdfium_c.PDFACTION_URI:
        return ""
    size = pdfium_c.FPDFAction_GetURIPath(page.pdf.raw, action, None, 0)
    if size <= 1:
        return ""
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDFAction_GetURIPath(page.pdf.raw, action, buffer, size)
    return _clean(buffer.raw[:size - 1].decode("utf-8", errors="replace"))


def _annotation_string(annotation, key: str) -> str:
    size = pdfium_c.FPDFAnnot_GetStringValue(annotation, key.encode("ascii"), None, 0)
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDFAnnot_GetStringValue(annotation, key.encode("ascii"),
                                      ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)), size)
    return buffer.raw[:size - 2].decode("utf-16-le", errors="replace")


def _attachments(document: pdfium.PdfDocument) -> Iterator[ReaderItem]:
    """Each embedded file: its name (published with the PDF; the writer's clean() removes the file)
    and a notice that its content was not read."""
    for index in range(document.count_attachments()):
        yield from attached_file_items(document.get_attachment(index).get_name(), index + 1, "PDF")


def _clean(text: str | None) -> str:
    return CONTROL_CHARS.sub("", text or "").strip()
