"""Reads a .docx: every place text can hide, walked in the raw WordprocessingML.

python-docx does not expose tracked changes, text boxes, hidden text or footnotes, so the
XML parts are walked directly (see ooxml.py for the safe zip and XML handling).

Order of output: headers/footers of every section, the body (paragraphs, tables, text boxes),
footnotes, endnotes, comments, SmartArt text, revision authors, document properties, then the
embedded files (an inserted Excel table, a chart's workbook: read as documents of their own, see
ooxml/embedded.py) and the pictures.

A paragraph's text is built from all of its runs in order, so a number split over runs with
different formatting is one string. Text that is visible yields one segment; deleted tracked
changes and hidden text yield their own segments (zones REVISION / HIDDEN); a tracked insertion
is part of the visible text and is reported there only, once. Those extra
segments are widened over adjacent letters and digits, so digits 7-14 of an ID number that
were deleted or hidden still show up together with the rest of the number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree

from prepub_review.errors import ReadError
from prepub_review.models import Locator, Notice, Segment, Zone, pickled_by_fields
from prepub_review.formats.base import Limits, ReaderItem
from prepub_review.formats.tables import HEADER_SEARCH_ROWS, HeaderCell, find_header
from prepub_review.formats.ooxml.charts import chart_items
from prepub_review.formats.ooxml.package import (
    ElementTextAnchor,
    alt_text_segments,
    custom_xml_segments,
    drawing_paragraphs,
    link_target_segments,
    NS,
    OoxmlPackage,
    embedded_picture_items,
    guard_reader,
    local_name,
    read_properties,
)

KIND_ZH = "Word 文档"
TOP_PARAGRAPHS = 5               # the first non-empty body paragraphs, where 密级/附注 markings sit

W = NS["w"]
MC = NS["mc"]
A = NS["a"]
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"


def w_tag(name: str) -> str:
    return f"{{{W}}}{name}"


W_P, W_R, W_T, W_TBL, W_TR, W_TC = w_tag("p"), w_tag("r"), w_tag("t"), w_tag("tbl"), w_tag("tr"), w_tag("tc")
W_INSTR_TEXT, W_FLD_SIMPLE, W_INSTR = w_tag("instrText"), w_tag("fldSimple"), w_tag("instr")
W_DOC_VAR, W_NAME, W_VAL = w_tag("docVar"), w_tag("name"), w_tag("val")
W_DEL_TEXT, W_INS, W_DEL, W_MOVE_TO, W_MOVE_FROM = w_tag("delText"), w_tag("ins"), w_tag("del"), w_tag("moveTo"), w_tag("moveFrom")
W_PPR, W_RPR, W_TCPR, W_TRPR, W_VAL, W_AUTHOR = w_tag("pPr"), w_tag("rPr"), w_tag("tcPr"), w_tag("trPr"), w_tag("val"), w_tag("author")
W_TXBX = w_tag("txbxContent")
W_SDT, W_SDT_CONTENT, W_CUSTOM_XML = w_tag("sdt"), w_tag("sdtContent"), w_tag("customXml")
W_SECT_PR, W_TYPE = w_tag("sectPr"), w_tag("type")
W_VANISH, W_P_STYLE, W_R_STYLE = w_tag("vanish"), w_tag("pStyle"), w_tag("rStyle")
W_STYLE, W_STYLE_ID, W_BASED_ON = w_tag("style"), w_tag("styleId"), w_tag("basedOn")
W_GRID_BEFORE, W_GRID_SPAN, W_V_MERGE, W_H_MERGE = w_tag("gridBefore"), w_tag("gridSpan"), w_tag("vMerge"), w_tag("hMerge")
W_COMMENT = w_tag("comment")
MC_ALTERNATE, MC_CHOICE, MC_FALLBACK = f"{{{MC}}}AlternateContent", f"{{{MC}}}Choice", f"{{{MC}}}Fallback"
R_ID = f"{{{NS['r']}}}id"
M_T = f"{{{M}}}t"
RUN_BREAKS = {w_tag("tab"): "\t", w_tag("ptab"): "\t", w_tag("br"): "\n", w_tag("cr"): "\n", w_tag("noBreakHyphen"): "-"}
RUN_OBJECTS = {w_tag("drawing"), w_tag("pict"), w_tag("object"), MC_ALTERNATE}
WRAPPERS = {W_SDT, W_SDT_CONTENT, W_CUSTOM_XML, MC_ALTERNATE}
CELL_LAYOUT_TAGS = frozenset((W_GRID_SPAN, W_V_MERGE, W_H_MERGE))

# The walk loops over `elem[:]`, the children as a list lxml builds in C, rather than over `elem`
# itself: an lxml child iterator costs more to set up than a short list (a run, a cell and their
# property elements have one to three children), half of each small loop's cost.

HEADER_VARIANTS = {"default": "", "first": ", 首页", "even": ", 偶数页"}
OFF_VALUES = {"0", "false", "off", "none"}


@guard_reader(KIND_ZH)
def read(path: Path, limits: Limits) -> Iterator[ReaderItem]:
    """Yield the segments and notices of a .docx/.docm file in document order."""
    with OoxmlPackage(path, limits, KIND_ZH) as package:
        yield from package_items(package, limits)


def package_items(package: OoxmlPackage, limits: Limits) -> Iterator[ReaderItem]:
    """The same walk as `read` over an open package (the writer's): every visible segment carries
    a `TextAnchor`, where each character of its text sits in the XML."""
    yield from DocxWalker(package).items()


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class TextAnchor:
    """Where a visible segment's text lives: (w:t or m:t element, offset of its text in the segment).

    A piece may start before offset 0 or run past the end: the segment text is stripped.
    """

    pieces: tuple[tuple[etree._Element, int], ...]


# -- text of one paragraph ----------------------------------------------------------------------

@dataclass(slots=True)
class Piece:
    """Text of one run (or part of a run) with what the author did to it. (Not frozen: a frozen
    dataclass is four times slower to make, a document has one per run, and _run sets `hidden`
    once it has read the run's properties.)"""

    text: str
    deleted_by: str | None = None     # None: not deleted; "" deleted by an unknown author
    inserted_by: str | None = None
    hidden: bool = False
    element: etree._Element | None = None   # the w:t / m:t holding `text` (None for breaks, tabs)

    @property
    def visible(self) -> bool:
        return self.deleted_by is None and not self.hidden


@dataclass(frozen=True, slots=True)
class _RunState:
    deleted_by: str | None = None
    inserted_by: str | None = None
    paragraph_hidden: bool = False


_PLAIN = _RunState()


def marked_spans(pieces: list[Piece], in_view: Callable[[Piece], bool], is_target: Callable[[Piece], bool],
                 author_of: Callable[[Piece], str | None], widen: bool) -> list[tuple[str, str]]:
    """Texts of the target pieces, adjacent ones joined, as (text, author).

    `in_view` picks the version of the paragraph the targets are read in (deleted text is read in
    the original version, hidden text in the version with hidden text shown). With `widen`, a span
    grows over neighbouring letters/digits of that version, so a partly deleted or hidden number
    comes out whole.
    """
    parts: list[str] = []
    spans: list[list] = []            # [start, end, author]
    pos = 0
    for piece in pieces:
        if not in_view(piece):
            continue
        if is_target(piece):
            if spans and spans[-1][1] == pos:
                spans[-1][1] = pos + len(piece.text)
            else:
                spans.append([pos, pos + len(piece.text), author_of(piece)])
        parts.append(piece.text)
        pos += len(piece.text)
    full = "".join(parts)
    found: list[list] = []
    for start, end, author in spans:
        if widen:
            while start > 0 and _joins(full[start - 1]) and _joins(full[start]):
                start -= 1
            while end < len(full) and _joins(full[end]) and _joins(full[end - 1]):
                end += 1
        if found and start <= found[-1][1]:
            found[-1][1] = max(found[-1][1], end)
        else:
            found.append([start, end, author])
    return [(full[s:e].strip(), author or "") for s, e, author in found if full[s:e].strip()]


def _joins(char: str) -> bool:
    """Characters that continue a number or code across a formatting boundary."""
    return char.isalnum() and (char.isascii() or "０" <= char <= "９" or "Ａ" <= char <= "ｚ")


def _on(elem: etree._Element) -> bool:
    """A w:vanish-style toggle: present without w:val, or with a true value."""
    return (elem.get(W_VAL) or "true").lower() not in OFF_VALUES


def _choose_branch(alternate: etree._Element) -> etree._Element | None:
    """mc:AlternateContent holds the same content twice: read the first Choice, else the Fallback."""
    choice = alternate.find(MC_CHOICE)
    return choice if choice is not None else alternate.find(MC_FALLBACK)


def _marks(pieces: list[Piece]) -> tuple[bool, bool]:
    """(has deleted text to report, has hidden text to report): whether `marked_spans` can find any."""
    deleted = hidden = False
    for piece in pieces:
        if piece.deleted_by is not None:
            deleted = deleted or piece.inserted_by is None
        elif piece.hidden:
            hidden = True
    return deleted, hidden


AUTHOR_NAME = b"author"          # bytes of the w:author attribute's local name
_WITH_AUTHOR = etree.XPath("descendant-or-self::*[@w:author]", namespaces={"w": W})


def _by(author: str) -> str:
    return f" (作者 {author})" if author else ""


# -- where a block of paragraphs sits -------------------------------------------------------------

@dataclass(slots=True)
class _Place:
    """The container being walked: body, a table cell, a header, a note, a comment or a text box."""

    kind: str                      # "body" | "cell" | "other"
    location: str                  # "" for the body; else the container's location
    zone: Zone
    field: str | None = None
    record: str | None = None
    address: tuple[str | int, ...] = ()   # structured: ("表格", 1, 3, 2) = table 1, row 3, column 2
    tables: int = 0                        # tables met so far directly in this container

    def inner(self, location: str, **changes) -> _Place:
        return replace(self, kind="other", location=location, tables=0, **changes)

    def next_table(self) -> int:
        self.tables += 1
        return self.tables

    def locator(self, body_paragraph: int) -> Locator:
        if self.kind == "body":
            return Locator.from_fields("body", ("段", body_paragraph), None, None)
        part = "table" if self.kind == "cell" else self.zone.value
        return Locator.from_fields(part, self.address, None, None)


@dataclass(slots=True)
class _Cell:                       # never changed; not frozen only to be cheaper to make (one per cell)
    column: int                    # 0-based grid column where the cell starts
    span: int
    continues_merge: bool          # a vMerge continuation: the cell above already holds the content
    element: etree._Element


# -- the reader -----------------------------------------------------------------------------------

class DocxWalker:
    def __init__(self, package: OoxmlPackage):
        self.package = package
        self.main_part = self.package.main_part("word/document.xml")
        self.root, authored = package.parse_noting(self.main_part, AUTHOR_NAME)
        self.body = self.root.find(w_tag("body"))
        if self.body is None:
            raise ReadError(f"{self.main_part} 中没有正文（w:body），文件不是有效的 Word 文档。", code="corrupt_zip")
        self.hidden_styles = self._hidden_styles()
        self.body_paragraphs = 0
        self.text_boxes = 0
        # Parsed parts whose bytes may hold a w:author attribute (revision authors are looked up there).
        self.parsed_roots: list[etree._Element] = [self.root] if authored else []
        # Paragraphs of header-candidate cells are read once for the table's header, kept until walked.
        self.read_ahead: dict[etree._Element, tuple[list[Piece], list[etree._Element]]] = {}
        self.stories: list[tuple[str, str, etree._Element]] = [(self.main_part, "正文", self.root)]

    def _parse_related(self, part: str, label: str) -> etree._Element:
        root, authored = self.package.parse_noting(part, AUTHOR_NAME)
        self.stories.append((part, label, root))
        if authored:
            self.parsed_roots.append(root)
        return root

    def items(self) -> Iterator[ReaderItem]:
        yield from self._headers_and_footers()
        yield from self._blocks(self.body, _Place(kind="body", location="", zone=Zone.BODY))
        yield from self._notes("footnotes", "footnote", "脚注")
        yield from self._notes("endnotes", "endnote", "尾注")
        yield from self._comments()
        yield from self._smart_art()
        yield from chart_items(self.package)
        yield from self._revision_authors()
        yield from read_properties(self.package)
        yield from self._document_variables()
        yield from self._glossary()
        yield from custom_xml_segments(self.package)
        yield from self.package.embedded.items()
        yield from self._alt_texts_and_links()
        yield from self._alt_chunk_notices()
        yield from embedded_picture_items(self.package, anchors=True)

    # -- styles -------------------------------------------------------------------------------
    def _hidden_styles(self) -> dict[str, bool]:
        """Style id -> whether text in that style is hidden (w:vanish, following w:basedOn)."""
        parts = self.package.related(self.main_part, "styles")
        root = self.package.parse_mentioning(parts[0], b"vanish") if parts else None
        if root is None:      # no style hides text (a big styles part is not parsed for nothing)
            return {}
        own: dict[str, bool | None] = {}
        based_on: dict[str, str] = {}
        for style in root.iter(W_STYLE):
            style_id = style.get(W_STYLE_ID)
            if not style_id:
                continue
            vanish = style.find(f"{W_RPR}/{W_VANISH}")
            own[style_id] = _on(vanish) if vanish is not None else None
            parent = style.find(W_BASED_ON)
            if parent is not None and parent.get(W_VAL):
                based_on[style_id] = parent.get(W_VAL)
        resolved: dict[str, bool] = {}
        for style_id in own:
            current, seen = style_id, set()
            while current in own and own[current] is None and current in based_on and current not in seen:
                seen.add(current)
                current = based_on[current]
            resolved[style_id] = bool(own.get(current))
        return resolved

    def _style_hidden(self, props: etree._Element | None, style_tag: str) -> bool:
        if props is None or not self.hidden_styles:
            return False
        style = _child(props, style_tag)
        return style is not None and self.hidden_styles.get(style.get(W_VAL, ""), False)

    # -- blocks -------------------------------------------------------------------------------
    def _blocks(self, container: etree._Element, place: _Place) -> Iterator[Segment]:
        for child in container[:]:
            tag = child.tag
            if tag == W_P:
                yield from self._paragraph(child, place)
            elif tag == W_TBL:
                yield from self._table(child, place)
            elif tag == MC_ALTERNATE:
                branch = _choose_branch(child)
                if branch is not None:
                    yield from self._blocks(branch, place)
            elif tag in WRAPPERS or tag in (W_INS, W_DEL, W_MOVE_TO, W_MOVE_FROM):
                yield from self._blocks(child, place)

    def _paragraph(self, paragraph: etree._Element, place: _Place) -> list[Segment]:
        """The segments of one paragraph (a list: half the paragraphs of a document are empty)."""
        found = self.read_ahead.pop(paragraph, None)
        pieces, text_boxes = found if found is not None else self.paragraph_pieces(paragraph)
        if not pieces and not text_boxes:
            return []
        segments: list[Segment] = []
        location, zone = place.location, place.zone
        if place.kind == "body" and any(piece.text.strip() for piece in pieces):
            self.body_paragraphs += 1
            location = f"第{self.body_paragraphs}段"
            zone = Zone.TOP if self.body_paragraphs <= TOP_PARAGRAPHS else Zone.BODY
        if len(pieces) == 1 and pieces[0].visible and pieces[0].element is not None:
            # Most paragraphs (a table cell's) are one plain run: the general case below, in one step.
            joined = pieces[0].text
            visible = joined.strip()
            stripped = len(joined) - len(joined.lstrip())
            anchor = TextAnchor.from_fields(((pieces[0].element, -stripped),)) if visible else None
            deleted = hidden = False
        else:
            joined = "".join([piece.text for piece in pieces if piece.visible])
            visible = joined.strip()
            anchor = self._anchor(pieces, len(joined) - len(joined.lstrip())) if visible else None
            deleted, hidden = _marks(pieces)
        if visible:
            segments.append(Segment.from_fields(visible, location, zone, place.field, place.record,
                                                place.locator(self.body_paragraphs), anchor))
        prefix = f"{location} " if location else ""
        if deleted:
            for text, author in marked_spans(pieces, lambda p: p.inserted_by is None,
                                             lambda p: p.deleted_by is not None, lambda p: p.deleted_by, widen=True):
                segments.append(Segment(text, f"{prefix}修订-删除的文字{_by(author)}", Zone.REVISION,
                                        place.field, place.record))
        # A tracked insertion is not a segment of its own: it is part of the visible text above (what
        # is published once the revision is accepted) and is judged there, with its sentence as context,
        # so it is reported once. Its author is reported with the revision authors.
        if hidden:
            for text, _ in marked_spans(pieces, lambda p: p.deleted_by is None, lambda p: p.hidden,
                                        lambda p: None, widen=True):
                segments.append(Segment(text, f"{prefix}隐藏文字", Zone.HIDDEN, place.field, place.record))
        for box in text_boxes:
            self.text_boxes += 1
            box_location = f"{location} > 文本框{self.text_boxes}" if location else f"文本框{self.text_boxes}"
            box_zone = Zone.BODY if zone in (Zone.TOP, Zone.BODY) else zone
            segments.extend(self._blocks(box, place.inner(box_location, zone=box_zone)))
        return segments

    def _anchor(self, pieces: list[Piece], stripped: int) -> TextAnchor:
        found, pos = [], -stripped
        for piece in pieces:
            if piece.deleted_by is not None or piece.hidden:
                continue
            if piece.element is not None:
                found.append((piece.element, pos))
            pos += len(piece.text)
        return TextAnchor(tuple(found))

    def paragraph_pieces(self, paragraph: etree._Element) -> tuple[list[Piece], list[etree._Element]]:
        """All text of a paragraph in order, and the text boxes anchored in it."""
        hidden = bool(self.hidden_styles) and self._style_hidden(_child(paragraph, W_PPR), W_P_STYLE)
        state = _RunState(paragraph_hidden=True) if hidden else _PLAIN
        pieces: list[Piece] = []
        text_boxes: list[etree._Element] = []
        self._collect(paragraph, state, pieces, text_boxes)
        return pieces, text_boxes

    def _collect(self, elem: etree._Element, state: _RunState, pieces: list[Piece],
                 text_boxes: list[etree._Element]) -> None:
        for child in elem[:]:
            tag = child.tag
            if tag == W_R:                  # nearly every child: tested first
                self._run(child, state, pieces, text_boxes)
            elif not isinstance(tag, str) or tag in (W_PPR, W_RPR, W_P, W_TBL):
                continue
            elif tag in (W_INS, W_MOVE_TO):
                self._collect(child, replace(state, inserted_by=child.get(W_AUTHOR, "")), pieces, text_boxes)
            elif tag in (W_DEL, W_MOVE_FROM):
                self._collect(child, replace(state, deleted_by=child.get(W_AUTHOR, "")), pieces, text_boxes)
            elif tag == MC_ALTERNATE:
                branch = _choose_branch(child)
                if branch is not None:
                    self._collect(branch, state, pieces, text_boxes)
            elif tag == W_TXBX:
                text_boxes.append(child)
            elif tag == M_T:
                pieces.append(Piece(child.text or "", state.deleted_by, state.inserted_by, state.paragraph_hidden,
                                    child))
            else:   # hyperlink, smartTag, fldSimple, sdt, customXml, math ...
                self._collect(child, state, pieces, text_boxes)

    def _run(self, run: etree._Element, state: _RunState, pieces: list[Piece],
             text_boxes: list[etree._Element]) -> None:
        first = len(pieces)
        deleted_by, inserted_by, hidden = state.deleted_by, state.inserted_by, state.paragraph_hidden
        props = None
        for child in run[:]:            # one pass: the run's text and its properties (w:rPr)
            tag = child.tag
            if tag == W_T:
                pieces.append(Piece(child.text or "", deleted_by, inserted_by, hidden, child))
            elif tag == W_DEL_TEXT:
                deleted_text_by = "" if deleted_by is None else deleted_by
                pieces.append(Piece(child.text or "", deleted_text_by, inserted_by, hidden, child))
            elif tag in RUN_BREAKS:
                pieces.append(Piece(RUN_BREAKS[tag], deleted_by, inserted_by, hidden))
            elif tag == W_RPR:
                props = child if props is None else props
            elif tag in RUN_OBJECTS:
                self._find_text_boxes(child, text_boxes)
        if props is None or len(pieces) == first:
            return
        # The run's own properties may hide (or show) its text: known only once the run is read.
        vanish = _child(props, W_VANISH)
        if vanish is not None:
            hidden = _on(vanish)
        elif self._style_hidden(props, W_R_STYLE):
            hidden = True
        if hidden != state.paragraph_hidden:
            for piece in pieces[first:]:
                piece.hidden = hidden

    def _find_text_boxes(self, elem: etree._Element, found: list[etree._Element]) -> None:
        if elem.tag == W_TXBX:
            found.append(elem)
            return
        if elem.tag == MC_ALTERNATE:
            branch = _choose_branch(elem)
            if branch is not None:
                self._find_text_boxes(branch, found)
            return
        for child in elem[:]:
            if isinstance(child.tag, str):
                self._find_text_boxes(child, found)

    def visible_text(self, container: etree._Element) -> str:
        """Visible text of a cell's own paragraphs (not nested tables), for header detection."""
        texts = []
        for paragraph in _own_paragraphs(container):
            found = self.read_ahead.get(paragraph)
            if found is None:
                found = self.read_ahead[paragraph] = self.paragraph_pieces(paragraph)
            pieces, _ = found
            texts.append("".join(piece.text for piece in pieces if piece.visible).strip())
        return " ".join(text for text in texts if text)

    # -- tables -------------------------------------------------------------------------------
    def _table(self, table: etree._Element, place: _Place) -> Iterator[Segment]:
        number = place.next_table()
        label = f"{place.location} > 表格{number}" if place.location else f"表格{number}"
        rows = [_row_cells(row) for row in _children(table, W_TR)]
        header_rows, fields = self._header(rows)
        cell_zone = Zone.TABLE if place.zone in (Zone.BODY, Zone.TOP, Zone.TABLE) else place.zone
        for row_index, cells in enumerate(rows):
            record = f"{label} 第{row_index + 1}行"
            in_header = row_index <= max(header_rows, default=-1)
            for cell in cells:
                if cell.continues_merge and not self.visible_text(cell.element):
                    continue
                cell_field = None if in_header else _field_for(cell, fields)
                cell_place = _Place(kind="cell", location=f"{record} 第{cell.column + 1}列", zone=cell_zone,
                                    field=cell_field, record=record,
                                    address=(*place.address, "表格", number, row_index + 1, cell.column + 1))
                yield from self._blocks(cell.element, cell_place)

    def _header(self, rows: list[list[_Cell]]) -> tuple[list[int], dict[int, str]]:
        """Which rows form the table's header, and the header text of each grid column (tables.py)."""
        width = max((cell.column + cell.span for cells in rows for cell in cells), default=0)
        return find_header([[HeaderCell(cell.column, self.visible_text(cell.element), cell.span) for cell in cells]
                            for cells in rows[:HEADER_SEARCH_ROWS + 1]], width)

    # -- headers, footers, notes, comments ---------------------------------------------------
    def _section_properties(self) -> list[etree._Element]:
        found = []
        for sect in self.body.iter(W_SECT_PR):
            parent = sect.getparent()
            if parent is self.body or (parent.tag == W_PPR and parent.getparent().tag == W_P):
                found.append(sect)
        return found

    def _headers_and_footers(self) -> Iterator[Segment]:
        rels = self.package.rels(self.main_part)
        done: set[str] = set()
        for number, sect in enumerate(self._section_properties(), 1):
            for ref in sect:
                kind = {w_tag("headerReference"): "页眉", w_tag("footerReference"): "页脚"}.get(ref.tag)
                rel = rels.get(ref.get(R_ID, ""))
                if kind is None or rel is None or rel.external or rel.target in done or not self.package.has(rel.target):
                    continue
                done.add(rel.target)
                variant = HEADER_VARIANTS.get(ref.get(W_TYPE, "default"), "")
                yield from self._part_blocks(rel.target, f"{kind}(第{number}节{variant})", Zone.HEADER)
        for rel in rels.values():       # header/footer parts no section uses are still in the file
            kind = {"header": "页眉", "footer": "页脚"}.get(rel.rel_type)
            if kind and not rel.external and rel.target not in done and self.package.has(rel.target):
                done.add(rel.target)
                yield from self._part_blocks(rel.target, f"{kind}(未使用)", Zone.HEADER)

    def _part_blocks(self, part: str, location: str, zone: Zone) -> Iterator[Segment]:
        root = self._parse_related(part, location)
        yield from self._blocks(root, _Place(kind="other", location=location, zone=zone))

    def _notes(self, rel_type: str, tag: str, label: str) -> Iterator[Segment]:
        for part in self.package.related(self.main_part, rel_type):
            root = self._parse_related(part, label)
            number = 0
            for note in root.iter(w_tag(tag)):
                if note.get(W_TYPE, "normal") != "normal":
                    continue     # separator lines
                number += 1
                yield from self._blocks(note, _Place(kind="other", location=f"{label}{number}", zone=Zone.NOTE))

    def _comments(self) -> Iterator[Segment]:
        authors_seen: set[str] = set()
        for part in self.package.related(self.main_part, "comments"):
            root = self._parse_related(part, "批注")
            for number, comment in enumerate(root.iter(W_COMMENT), 1):
                author = (comment.get(W_AUTHOR) or "").strip()
                place = _Place(kind="other", location=f"批注{number}{_by(author)}", zone=Zone.COMMENT)
                yield from self._blocks(comment, place)
                if author and author not in authors_seen:
                    authors_seen.add(author)
                    yield Segment(author, f"批注{number} 作者", Zone.PROPERTY, field="批注作者")

    def _smart_art(self) -> Iterator[Segment]:
        """Text typed into SmartArt graphics (org charts often name people) lives in diagram parts."""
        parts = sorted(name for name in self.package.names
                       if name.startswith("word/diagrams/data") and name.endswith(".xml"))
        for number, part in enumerate(parts, 1):
            for _paragraph, text, anchor in drawing_paragraphs(self.package.parse(part), part):
                yield Segment(text, f"SmartArt 图形{number}", Zone.BODY, anchor=anchor)

    def _revision_authors(self) -> Iterator[Segment]:
        """Names of people who made tracked changes are stored in the file too."""
        seen: set[str] = set()
        for root in self.parsed_roots:
            for elem in _WITH_AUTHOR(root):
                author = elem.get(W_AUTHOR).strip()
                if author and elem.tag != W_COMMENT and author not in seen:
                    seen.add(author)
                    yield Segment(author, "修订记录 作者", Zone.PROPERTY, field="修订作者")
        yield from self._people(seen)

    def _people(self, seen: set[str]) -> Iterator[Segment]:
        """The list of people who commented or revised (word/people.xml, w15:person), with their sign-in
        account (presenceInfo userId: an e-mail or phone-based id). Word keeps it after their comments
        are deleted."""
        for part in self.package.related(self.main_part, "people"):
            for person in self.package.parse(part).iter():
                if not isinstance(person.tag, str) or local_name(person.tag) != "person":
                    continue
                author = next((v.strip() for k, v in person.attrib.items() if local_name(k) == "author"), "")
                if author and author not in seen:
                    seen.add(author)
                    yield Segment(author, "批注与修订人员列表", Zone.PROPERTY, field="修订作者")
                for presence in person:
                    account = next((v.strip() for k, v in presence.attrib.items() if local_name(k) == "userId"), "")
                    if account and account not in seen:
                        seen.add(account)
                        yield Segment(account, "批注与修订人员列表 账号", Zone.PROPERTY, field="修订作者")

    def _document_variables(self) -> Iterator[Segment]:
        """Document variables (w:docVar in settings.xml): office systems fill 拟稿人, 电话… into them."""
        for part in self.package.related(self.main_part, "settings"):
            root = self.package.parse_mentioning(part, b"docVar")
            for variable in root.iter(W_DOC_VAR) if root is not None else ():
                value = variable.get(W_VAL) or ""
                name = variable.get(W_NAME) or ""
                if value.strip():
                    yield Segment(value.strip(), f"文档变量「{name}」", Zone.PROPERTY, field=name or None,
                                  anchor=ElementTextAnchor(variable, value.index(value.strip()), W_VAL))

    def _glossary(self) -> Iterator[Segment]:
        """The building blocks (自动图文集) saved with the document: text no page shows; clean() removes it."""
        for part in self.package.related(self.main_part, "glossaryDocument"):
            location = "自动图文集（未显示）"
            root = self._parse_related(part, location)
            for body in root.iter(w_tag("docPartBody")):
                yield from self._blocks(body, _Place(kind="other", location=location, zone=Zone.HIDDEN))

    def _alt_texts_and_links(self) -> Iterator[Segment]:
        """Pictures' alt text, hyperlinks' addresses and field codes in every story read (body,
        headers, notes, comments): published with the file, shown on no page."""
        for part, label, root in self.stories:
            yield from alt_text_segments(root, label)
            yield from link_target_segments(self.package, part, label)
            yield from _field_codes(root, label)

    def _alt_chunk_notices(self) -> Iterator[Notice]:
        for rel in self.package.rels(self.main_part).values():
            if rel.rel_type == "aFChunk" and not rel.external:
                name = rel.target.rsplit("/", 1)[-1]
                yield Notice(code="embedded_object", location=f"嵌入内容「{name}」",
                             detail="文档中以“外部内容块”方式嵌入了另一份文档（如网页或 RTF），本工具未检查其内容。"
                                    "请在 Word 中打开核对，或删除后再发布。")


# -- table helpers ---------------------------------------------------------------------------------

def _field_codes(root: etree._Element, label: str) -> Iterator[Segment]:
    """Field instructions (a HYPERLINK field's address, a MERGEFIELD's name): the w:instrText runs of
    one paragraph read together (Word splits a long one over several runs), and w:fldSimple's w:instr."""
    by_paragraph: dict[etree._Element | None, list[etree._Element]] = {}
    simple_fields = []
    for element in root.iter(W_INSTR_TEXT, W_FLD_SIMPLE):      # one walk of the story for both
        if element.tag == W_FLD_SIMPLE:
            simple_fields.append(element)
        else:
            by_paragraph.setdefault(_paragraph_of(element), []).append(element)
    for codes in by_paragraph.values():
        joined = "".join(element.text or "" for element in codes)
        text = joined.strip()
        if text:
            pieces, position = [], -joined.index(text)
            for element in codes:
                pieces.append((element, position))
                position += len(element.text or "")
            yield Segment(text, f"{label} 域代码", Zone.PROPERTY, field="域代码", anchor=TextAnchor(tuple(pieces)))
    for simple in simple_fields:
        value = simple.get(W_INSTR) or ""
        if value.strip():
            yield Segment(value.strip(), f"{label} 域代码", Zone.PROPERTY, field="域代码",
                          anchor=ElementTextAnchor(simple, value.index(value.strip()), W_INSTR))


def _paragraph_of(element: etree._Element) -> etree._Element | None:
    """The nearest enclosing w:p (a text box's paragraph is its own, not the one holding the box)."""
    parent = element.getparent()
    while parent is not None and parent.tag != W_P:
        parent = parent.getparent()
    return parent


def _children(parent: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Children with `tag`, looking through wrappers (w:sdt, w:customXml...) around them."""
    for child in parent[:]:
        child_tag = child.tag
        if child_tag == tag:
            yield child
        elif child_tag in WRAPPERS:
            yield from _children(child, tag)


def _row_cells(row: etree._Element) -> list[_Cell]:
    """Cells of a row with their grid columns (w:gridBefore, w:gridSpan, w:vMerge)."""
    column = _int_val(_first_grandchild(row, W_TRPR, W_GRID_BEFORE), 0)
    cells: list[_Cell] = []
    for tc in _children(row, W_TC):
        props = _child(tc, W_TCPR)
        span, continues = 1, False
        if props is not None:
            found = _first_children(props, CELL_LAYOUT_TAGS)
            if found:
                span = max(1, _int_val(found.get(W_GRID_SPAN), 1))
                continues = _continues_merge(found.get(W_V_MERGE)) or _continues_merge(found.get(W_H_MERGE))
        cells.append(_Cell(column, span, continues, tc))
        column += span
    return cells


def _continues_merge(merge: etree._Element | None) -> bool:
    return merge is not None and merge.get(W_VAL, "continue") != "restart"


def _first_children(parent: etree._Element, tags: frozenset[str]) -> dict[str, etree._Element]:
    """The first child with each of `tags` that `parent` has, in one pass over the children."""
    found: dict[str, etree._Element] = {}
    for elem in parent[:]:
        tag = elem.tag
        if tag in tags and tag not in found:
            found[tag] = elem
    return found


def _child(parent: etree._Element, tag: str) -> etree._Element | None:
    """parent.find(tag) for one plain tag, without lxml's ElementPath machinery (several times faster;
    a plain loop beats iterchildren(tag) too, on the few children of a property element)."""
    for child in parent[:]:
        if child.tag == tag:
            return child
    return None


def _first_grandchild(parent: etree._Element, child_tag: str, tag: str) -> etree._Element | None:
    """parent.find("child/tag"): the first `tag` under a `child_tag` child."""
    for middle in parent.iterchildren(child_tag):
        found = _child(middle, tag)
        if found is not None:
            return found
    return None


def _own_paragraphs(container: etree._Element) -> Iterator[etree._Element]:
    for child in container[:]:
        if child.tag == W_P:
            yield child
        elif child.tag in WRAPPERS:
            yield from _own_paragraphs(child)


def _int_val(elem: etree._Element | None, default: int) -> int:
    if elem is None:
        return default
    try:
        return int(elem.get(W_VAL, default))
    except (TypeError, ValueError):
        return default


def _field_for(cell: _Cell, fields: dict[int, str]) -> str | None:
    for column in range(cell.column, cell.column + cell.span):
        if fields.get(column):
            return fields[column]
    return None
