"""Reads a .xlsx: every sheet (hidden ones too), hidden rows/columns, comments, properties.

Sheets are streamed with lxml iterparse straight from the (size-checked) zip, so memory stays
flat and a 50,000-cell sheet takes well under a second. openpyxl is not used for cells: its
streaming mode does not report hidden columns.

Each non-empty cell yields one segment:
- location "工作表「名单」 C7", with " (隐藏行)" / " (隐藏列)" and a sheet label such as
  "工作表「名单」(隐藏工作表)" when the cell is not visible (zone HIDDEN, else TABLE);
- field = the header text of its column, record = "工作表「名单」 第7行".
The header row is found by formats/tables.py (the same rule for every table format).
Numbers are written without exponent or ".0", so an ID typed as a number keeps its digits
(as many as Excel stored: a number holds at most 15-17 significant digits).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from lxml import etree

from prepub_review.errors import ReadError
from prepub_review.models import Locator, Segment, Zone, pickled_by_fields
from prepub_review.formats.base import Limits, ReaderItem
from prepub_review.formats.tables import HeaderCell, HeaderFinder
from prepub_review.formats.ooxml.charts import chart_items
from prepub_review.formats.ooxml.package import (
    NS,
    STRICT_NS,
    OoxmlPackage,
    alt_text_segments,
    custom_xml_segments,
    drawing_paragraphs,
    embedded_picture_items,
    guard_reader,
    link_target_segments,
    local_name,
    read_properties,
    release,
)

KIND_ZH = "Excel 工作簿"
SHEET_STATES = {"hidden": "(隐藏工作表)", "veryHidden": "(深度隐藏工作表)"}
SHEET_REL_TYPES = ("worksheet", "xlMacrosheet")
TEXT_TYPES = {"s", "inlineStr", "str"}
TRUE_VALUES = {"1", "true"}

S = NS["s"]
EXTERNAL_LINK = re.compile(r"^xl/externalLinks/externalLink\d+\.xml$")
MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?\bref="\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?\d+"')   # columns, first row
S_URIS = (S, *[uri for uri, mapped in STRICT_NS.items() if mapped == S])
R_ID = f"{{{NS['r']}}}id"

# Built-in number formats that show a date or time (incl. the zh-CN ones, ids 27-36 and 50-58).
DATE_FORMAT_IDS = set(range(14, 23)) | set(range(27, 37)) | set(range(45, 48)) | set(range(50, 59))
HEADER_FOOTER_TAGS = {"oddHeader": "页眉", "evenHeader": "页眉(偶数页)", "firstHeader": "页眉(首页)",
                      "oddFooter": "页脚", "evenFooter": "页脚(偶数页)", "firstFooter": "页脚(首页)"}
HEADER_FOOTER_CODES = re.compile(r'&"[^"]*"|&K[0-9A-Fa-f]{6}|&K\d\d[+-]\d{3}|&\d+|&[LCRPNDTZFAGBIUSEXYH]')


def s_tag(name: str) -> str:
    return f"{{{S}}}{name}"


def _tags(*names: str) -> tuple[str, ...]:
    return tuple(f"{{{uri}}}{name}" for uri in S_URIS for name in names)


@guard_reader(KIND_ZH)
def read(path: Path, limits: Limits) -> Iterator[ReaderItem]:
    """Yield the segments and notices of a .xlsx/.xlsm file, sheet by sheet, row by row."""
    with OoxmlPackage(path, limits, KIND_ZH) as package:
        yield from _XlsxReader(package, limits).items()


def package_items(package: OoxmlPackage, limits: Limits) -> Iterator[ReaderItem]:
    """The same walk as `read` over an open package (the writer's); each cell's segment carries a
    `CellAnchor` (for the redactor)."""
    yield from _XlsxReader(package, limits).items()


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class CellAnchor:
    """Where a cell's text lives: the worksheet part and the cell reference ("C7")."""

    part: str
    ref: str


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class PivotItemAnchor:
    """A pivot cache's shared item: the definition part, the field's and the item's 0-based places.
    Every record that names the item (<x v=...>) shows its text, so one edit covers them all."""

    part: str
    field: int
    item: int


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class PivotValueAnchor:
    """A value written into a pivot cache record: the records part, the record (1-based), the value's
    0-based place in it (which is also its field's place in the definition part)."""

    part: str
    record: int
    index: int
    definition: str


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class HeaderFooterAnchor:
    """A sheet's printed header or footer: the worksheet part and the element's name ("oddHeader").
    Its text holds formatting codes (&"宋体,常规"&12), so an edit replaces the value itself in it."""

    part: str
    tag: str


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class ListChoicesAnchor:
    """A drop-down list's choice written into a data validation (<formula1>"张三,李四"</formula1>):
    the worksheet part, the list's 1-based place among the sheet's formula1 elements, the choice's."""

    part: str
    number: int
    choice: int


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class ExternalCellAnchor:
    """A cell value cached from another workbook: the externalLink part and the cell's 1-based place."""

    part: str
    number: int


@dataclass(slots=True)
class CellValue:                 # never changed; not frozen only to be cheaper to make (one per cell)
    column: int          # 1-based
    text: str
    is_text: bool        # typed as text (not a number/date): header rows are made of these


@dataclass(slots=True)
class _Row:
    number: int
    hidden: bool
    cells: list[CellValue]


@dataclass(slots=True)
class _Sheet:
    name: str
    part: str
    label: str           # 工作表「名单」 or 工作表「名单」(隐藏工作表)
    hidden: bool
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)
    rows_hidden_by_default: bool = False
    column_spans: dict[tuple[int, int], int] | None = None   # (row, first column) -> columns merged


class _XlsxReader:
    def __init__(self, package: OoxmlPackage, limits: Limits):
        self.package = package
        self.limits = limits
        self.workbook_part = self.package.main_part("xl/workbook.xml")
        self.workbook = package.parse(self.workbook_part)
        props = self.workbook.find(s_tag("workbookPr"))
        self.date1904 = props is not None and (props.get("date1904") or "").lower() in TRUE_VALUES
        self.shared_strings = self._shared_strings()
        self.date_styles = self._date_styles()
        self.cells_read = 0
        self.authors_seen: set[str] = set()

    def items(self) -> Iterator[ReaderItem]:
        for sheet in self._sheets():
            yield from self._sheet_items(sheet)
        yield from self._pivot_caches()
        yield from self._external_caches()
        yield from chart_items(self.package)
        yield from self._people()
        yield from read_properties(self.package)
        yield from custom_xml_segments(self.package)
        yield from self.package.embedded.items()
        yield from embedded_picture_items(self.package, anchors=True)

    # -- workbook-level parts ------------------------------------------------------------------
    def _sheets(self) -> Iterator[_Sheet]:
        rels = self.package.rels(self.workbook_part)
        for sheet in self.workbook.iter(s_tag("sheet")):
            rel = rels.get(sheet.get(R_ID, ""))
            if rel is None or rel.external or rel.rel_type not in SHEET_REL_TYPES or not self.package.has(rel.target):
                continue
            name = sheet.get("name", "")
            state = sheet.get("state", "visible")
            yield _Sheet(name=name, part=rel.target, label=f"工作表「{name}」{SHEET_STATES.get(state, '')}",
                         hidden=state in SHEET_STATES)

    def _shared_strings(self) -> list[str]:
        parts = self.package.related(self.workbook_part, "sharedStrings")
        if not parts:
            return []
        strings = []
        for item in self.package.iterparse(parts[0], _tags("si")):
            strings.append(rich_text(item))
            release(item)
        return strings

    def _date_styles(self) -> set[int]:
        """Indexes of cell styles (cellXfs) whose number format displays a date or time."""
        parts = self.package.related(self.workbook_part, "styles")
        if not parts:
            return set()
        root = self.package.parse(parts[0])
        custom = {int(fmt.get("numFmtId", -1)): fmt.get("formatCode", "") for fmt in root.iter(s_tag("numFmt"))}
        found = set()
        cell_xfs = root.find(s_tag("cellXfs"))
        for index, xf in enumerate(cell_xfs if cell_xfs is not None else []):
            try:
                fmt_id = int(xf.get("numFmtId", 0))
            except ValueError:
                continue
            if fmt_id in custom and is_date_format(custom[fmt_id]) or fmt_id not in custom and fmt_id in DATE_FORMAT_IDS:
                found.add(index)
        return found

    # -- one sheet ------------------------------------------------------------------------------
    def _sheet_items(self, sheet: _Sheet) -> Iterator[Segment]:
        if sheet.name.strip():      # people name sheets after households too ("张三家")
            yield Segment(sheet.name.strip(), f"{sheet.label} 名称", Zone.PROPERTY, field="工作表名称")
        header: HeaderFinder[_Row] = HeaderFinder(lambda row: self._header_cells(sheet, row))
        previous_row = 0
        tags = _tags("col", "row", "sheetFormatPr", "formula1", *HEADER_FOOTER_TAGS)
        lists = 0
        for elem in self.package.iterparse(sheet.part, tags):
            name = local_name(elem.tag)
            if name == "col":
                if _true(elem.get("hidden")) or _zero(elem.get("width")):
                    sheet.hidden_columns.append((_int(elem.get("min"), 1), _int(elem.get("max"), 1)))
            elif name == "sheetFormatPr":
                sheet.rows_hidden_by_default = _true(elem.get("zeroHeight"))
            elif name == "row":
                row = self._row(elem, sheet, previous_row)
                previous_row = row.number
                release(elem)
                for ready in header.feed(row):
                    yield from self._row_segments(sheet, ready, header)
            elif name == "formula1":
                lists += 1
                yield from _list_choices(elem, sheet, lists)
            elif name in HEADER_FOOTER_TAGS:
                text = " ".join(HEADER_FOOTER_CODES.sub(" ", elem.text or "").replace("&&", "&").split())
                if text:
                    yield Segment(text, f"{sheet.label} {HEADER_FOOTER_TAGS[name]}",
                                  Zone.HIDDEN if sheet.hidden else Zone.HEADER,
                                  anchor=HeaderFooterAnchor(sheet.part, name))
        for ready in header.finish():
            yield from self._row_segments(sheet, ready, header)
        yield from self._comments(sheet)
        yield from self._drawing_text(sheet)

    def _header_cells(self, sheet: _Sheet, row: _Row) -> list[HeaderCell]:
        """A row's cells for the header detector; a cell merged across the empty cells after it (a
        group header: 户主信息 over 姓名 and 住址) spans them."""
        spans = self._column_spans(sheet) if _has_gap(row) else {}
        return [HeaderCell(cell.column, cell.text, spans.get((row.number, cell.column), 1), cell.is_text)
                for cell in row.cells]

    def _column_spans(self, sheet: _Sheet) -> dict[tuple[int, int], int]:
        """The sheet's merged ranges over several columns: the list follows the cells in the part, so
        it is read (once per sheet) only when a header row shows a gap a merge may fill."""
        if sheet.column_spans is None:
            sheet.column_spans = {}
            for first, row, last in MERGE_CELL.findall(self.package.read(sheet.part)):
                first_column = column_index(first.decode())
                span = column_index(last.decode()) - first_column + 1
                if span > 1:
                    sheet.column_spans[(int(row), first_column)] = span
        return sheet.column_spans

    def _row(self, elem: etree._Element, sheet: _Sheet, previous_row: int) -> _Row:
        number = _int(elem.get("r"), previous_row + 1)
        hidden = _true(elem.get("hidden")) or (_true(elem.get("customHeight")) and _zero(elem.get("ht")))
        hidden = hidden or (sheet.rows_hidden_by_default and elem.get("ht") is None)
        cells: list[CellValue] = []
        column = 0
        for cell in elem.iterchildren("{*}c"):        # any namespace, as local_name() == "c"
            self.cells_read += 1
            if self.cells_read > self.limits.max_sheet_cells:
                raise ReadError(f"工作簿单元格过多（超过 {self.limits.max_sheet_cells:,} 个），未完整检查。"
                                "请拆分后再检查。", code="too_large")
            ref = cell.get("r")
            column = column_index(ref) if ref else column + 1
            value = self._cell_value(cell, column)
            if value is not None and value.text.strip():
                cells.append(value)
        return _Row(number, hidden, cells)

    def _cell_value(self, cell: etree._Element, column: int) -> CellValue | None:
        cell_type = cell.get("t", "n")
        raw = None
        for child in cell[:]:       # a list built in C: cheaper than lxml's iterators on one or two children
            name = local_name(child.tag)
            if name == "v":
                raw = child.text or ""
            elif name == "is":
                return CellValue(column, rich_text(child).strip(), True)
        if raw is None or cell_type in ("e", "b"):
            return None     # empty, an error value (#N/A) or TRUE/FALSE
        if cell_type == "s":
            index = _int(raw, -1)
            text = self.shared_strings[index] if 0 <= index < len(self.shared_strings) else ""
            return CellValue(column, text.strip(), True)
        if cell_type in ("str", "inlineStr", "d"):
            return CellValue(column, raw.strip(), cell_type != "d")
        style = _int(cell.get("s"), 0)
        if style in self.date_styles:
            return CellValue(column, excel_date_text(raw, self.date1904), False)
        return CellValue(column, number_text(raw), False)

    def _row_segments(self, sheet: _Sheet, row: _Row, header: HeaderFinder[_Row]) -> Iterator[Segment]:
        record = f"{sheet.label} 第{row.number}行"
        fields = header.fields if header.header is not None and row.number > header.header.number else {}
        row_mark = " (隐藏行)" if row.hidden else ""
        row_zone = Zone.HIDDEN if sheet.hidden or row.hidden else Zone.TABLE
        for cell in row.cells:
            marks, zone = row_mark, row_zone
            if sheet.hidden_columns and any(low <= cell.column <= high for low, high in sheet.hidden_columns):
                marks, zone = row_mark + " (隐藏列)", Zone.HIDDEN
            ref = f"{column_letters(cell.column)}{row.number}"
            yield Segment.from_fields(cell.text, f"{sheet.label} {ref}{marks}", zone, fields.get(cell.column),
                                      record, Locator.from_fields("sheet", (sheet.name, ref), None, None),
                                      CellAnchor.from_fields(sheet.part, ref))

    def _comments(self, sheet: _Sheet) -> Iterator[Segment]:
        for part in self.package.related(sheet.part, "comments"):
            root = self.package.parse(part)
            authors = [(author.text or "").strip() for author in root.iter(s_tag("author"))]
            for comment in root.iter(s_tag("comment")):
                ref = comment.get("ref", "")
                index = _int(comment.get("authorId"), -1)
                author = authors[index] if 0 <= index < len(authors) else ""
                body = comment.find(s_tag("text"))
                text = rich_text(body).strip() if body is not None else ""
                by = f" (作者 {author})" if author else ""
                if text:
                    yield Segment(text, f"{sheet.label} {ref} 批注{by}", Zone.COMMENT)
                if author and not author.startswith("tc=") and author not in self.authors_seen:
                    self.authors_seen.add(author)
                    yield Segment(author, f"{sheet.label} {ref} 批注作者", Zone.PROPERTY, field="批注作者")

    def _drawing_text(self, sheet: _Sheet) -> Iterator[Segment]:
        """Text boxes and shapes drawn over a sheet, pictures' alt text, and the sheet's hyperlinks."""
        for part in self.package.related(sheet.part, "drawing"):
            root = self.package.parse(part)
            for _paragraph, text, anchor in drawing_paragraphs(root, part):
                yield Segment(text, f"{sheet.label} 文本框", Zone.HIDDEN if sheet.hidden else Zone.BODY,
                              anchor=anchor)
            yield from alt_text_segments(root, sheet.label)
        yield from link_target_segments(self.package, sheet.part, sheet.label)

    # -- copies of data outside the sheets ---------------------------------------------------
    def _external_caches(self) -> Iterator[Segment]:
        """A formula that reads another workbook keeps a copy of each cell it read (xl/externalLinks/):
        a summary made with VLOOKUP from a register carries the register's IDs in it."""
        for part in sorted(n for n in self.package.names if EXTERNAL_LINK.match(n)):
            root = self.package.parse(part)
            sheets = [name.get("val", "") for name in root.iter(s_tag("sheetName"))]
            label = f"外部链接缓存{part.rsplit('externalLink', 1)[-1].removesuffix('.xml')}"
            number = 0
            for data in root.iter(s_tag("sheetData")):
                index = _int(data.get("sheetId"), 0)
                sheet = sheets[index] if 0 <= index < len(sheets) else ""
                for cell in data.iter(s_tag("cell")):
                    number += 1
                    value = cell.find(s_tag("v"))
                    text = (value.text or "").strip() if value is not None else ""
                    if cell.get("t") in (None, "n"):         # a number (the default type); text stays text
                        text = number_text(text)
                    if text:
                        yield Segment(text, f"{label}「{sheet}」 {cell.get('r', '')}", Zone.HIDDEN,
                                      anchor=ExternalCellAnchor(part, number))

    def _pivot_caches(self) -> Iterator[Segment]:
        """A pivot table keeps a full copy of its source rows, even after the source sheet is deleted."""
        definitions = sorted(name for name in self.package.names
                             if name.startswith("xl/pivotCache/pivotCacheDefinition") and name.endswith(".xml"))
        for number, definition in enumerate(definitions, 1):
            root = self.package.parse(definition)
            fields = [(cache_field.get("name", ""), [item_text(item) for item in shared_items(cache_field)])
                      for cache_field in root.iter(s_tag("cacheField"))]
            label = f"数据透视表缓存{number}"
            records = self.package.related(definition, "pivotCacheRecords")
            if records:
                yield from self._pivot_records(records[0], label, fields, definition)
            else:
                for field_index, (name, items) in enumerate(fields):
                    for item_index, item in enumerate(items):
                        if item.strip():
                            yield _pivot_segment(item, f"{label} 字段「{name}」", name, None,
                                                 PivotItemAnchor(definition, field_index, item_index))

    def _pivot_records(self, part: str, label: str, fields: list[tuple[str, list[str]]],
                       definition: str) -> Iterator[Segment]:
        for number, record in enumerate(self.package.iterparse(part, _tags("r")), 1):
            location = f"{label} 第{number}条"
            for index, value in enumerate(record):
                self.cells_read += 1
                if self.cells_read > self.limits.max_sheet_cells:
                    raise ReadError(f"工作簿单元格过多（超过 {self.limits.max_sheet_cells:,} 个），未完整检查。",
                                    code="too_large")
                name, items = fields[index] if index < len(fields) else ("", [])
                if local_name(value.tag) == "x":
                    position = _int(value.get("v"), -1)
                    text = items[position] if 0 <= position < len(items) else ""
                    anchor: object = PivotItemAnchor(definition, index, position)
                else:
                    text = item_text(value)
                    anchor = PivotValueAnchor(part, number, index, definition)
                if text.strip():
                    yield _pivot_segment(text, location, name, location, anchor)
            release(record)

    def _people(self) -> Iterator[Segment]:
        """Names of people who wrote threaded comments."""
        for part in self.package.related(self.workbook_part, "person"):
            for person in self.package.parse(part).iter():
                name = (person.get("displayName") or "").strip() if local_name(person.tag) == "person" else ""
                if name and name not in self.authors_seen:
                    self.authors_seen.add(name)
                    yield Segment(name, "批注人员列表", Zone.PROPERTY, field="批注作者")


def _has_gap(row: _Row) -> bool:
    columns = [cell.column for cell in row.cells]
    return bool(columns) and columns[-1] - columns[0] + 1 > len(columns)


# -- value formatting ---------------------------------------------------------------------------------

def number_text(raw: str) -> str:
    """'3.30483199001012E+17' -> '330483199001012000'; '12.0' -> '12'; '0.5' -> '0.5'."""
    plain = raw.strip()
    if plain.isascii() and plain.isdigit() and len(plain) <= 30:    # the usual whole number: as Decimal would
        return str(int(plain))
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        return raw.strip()
    if not value.is_finite():
        return raw.strip()
    if value == value.to_integral_value() and abs(value) < Decimal(10) ** 30:
        return str(int(value))
    return format(value.normalize(), "f")


def excel_date_text(raw: str, date1904: bool) -> str:
    """A date serial number as ISO text: '32874' -> '1990-01-01'."""
    try:
        serial = float(raw)
    except ValueError:
        return raw.strip()
    if date1904:
        base = dt.datetime(1904, 1, 1)
    else:
        base = dt.datetime(1899, 12, 31) if serial < 60 else dt.datetime(1899, 12, 30)   # Lotus leap-day bug
    try:
        moment = base + dt.timedelta(days=serial)
    except OverflowError:
        return number_text(raw)
    moment = moment.replace(microsecond=0) + dt.timedelta(seconds=round(moment.microsecond / 1e6))
    if serial < 1 and serial != 0:
        return moment.strftime("%H:%M:%S")
    if moment.time() == dt.time(0):
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def is_date_format(code: str) -> bool:
    """True if a number format code shows a date or time (y, m, d, h, s outside quotes/brackets)."""
    cleaned = re.sub(r'"[^"]*"|\\.|_.|\*.', "", code)
    cleaned = re.sub(r"\[(?![hms]+\])[^\]]*\]", "", cleaned, flags=re.IGNORECASE)
    cleaned = cleaned.split(";")[0]
    return bool(re.search(r"[ymdhs]", cleaned, re.IGNORECASE)) and "general" not in cleaned.lower()


def rich_text(elem: etree._Element) -> str:
    """Text of a shared string / inline string / comment, without phonetic (rPh) runs."""
    if len(elem) == 1 and local_name(elem.tag) != "t":
        only = elem[0]
        if len(only) == 0 and local_name(only.tag) == "t":     # the usual <si><t>…</t></si>
            return only.text or ""
    return "".join([t.text or "" for t in elem.iter("{*}t") if local_name(t.getparent().tag) != "rPh"])


def column_index(ref: str) -> int:
    """'C7' -> 3, 'AA1' -> 27."""
    letters = ref.rstrip("0123456789")
    if letters.isascii() and letters.isalpha():     # the usual "C7": its letters' index, computed once
        return _letters_index(letters)
    return _leading_letters_index(ref)


def _leading_letters_index(ref: str) -> int:
    """The column of the ASCII letters `ref` starts with (any case), 0 if none."""
    index = 0
    for char in ref:
        if "A" <= char <= "Z":
            index = index * 26 + ord(char) - 64
        elif "a" <= char <= "z":
            index = index * 26 + ord(char) - 96
        else:
            break
    return index


_letters_index = functools.lru_cache(maxsize=4096)(_leading_letters_index)


@functools.lru_cache(maxsize=1024)
def column_letters(index: int) -> str:
    """3 -> 'C', 27 -> 'AA'."""
    letters = ""
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _list_choices(formula: etree._Element, sheet: _Sheet, number: int) -> Iterator[Segment]:
    """The choices of a drop-down list typed into its rule ("王晓红,刘建国"), one segment each: a
    clerk clicking the cell sees them all. A list drawn from a range (=$A$2:$A$9) holds no text."""
    validation = formula.getparent()
    text = formula.text or ""
    if validation is None or validation.get("type") != "list" or not text.startswith('"'):
        return
    where = f"{sheet.label} 下拉列表{number}（{validation.get('sqref', '')}）"
    for index, choice in enumerate(text.strip('"').split(","), 1):
        if choice.strip():
            yield Segment(choice.strip(), where, Zone.HIDDEN if sheet.hidden else Zone.PROPERTY,
                          anchor=ListChoicesAnchor(sheet.part, number, index))


def _pivot_segment(text: str, location: str, name: str, record: str | None, anchor: object) -> Segment:
    """A pivot cache value (stripped): no sheet shows it, but it is published with the file."""
    return Segment(text.strip(), location, Zone.HIDDEN, field=name or None, record=record, anchor=anchor)


def shared_items(cache_field: etree._Element) -> list[etree._Element]:
    items = cache_field.find(s_tag("sharedItems"))
    return [item for item in items if isinstance(item.tag, str)] if items is not None else []


def item_text(item: etree._Element) -> str:
    kind = local_name(item.tag)
    value = item.get("v", "")
    if kind == "n":
        return number_text(value)
    if kind in ("s", "d"):
        return value
    return ""      # booleans, errors, missing values


def _true(value: str | None) -> bool:
    return (value or "").lower() in TRUE_VALUES


def _zero(value: str | None) -> bool:
    try:
        return value is not None and float(value) == 0
    except ValueError:
        return False


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
