"""HTML pages: the text a browser shows, and what the file publishes without showing it.

Visible text comes out per block element (p, div, li, td…), with a location made of the
source line and an element path ("第37行 html>body>div#main>table[2]>tr[5]>td[3]").
Table cells carry their column header as `field` and their row as `record`.

A published page also publishes what a browser hides: comments, display:none blocks,
hidden inputs, title/alt/data-* attributes, <meta> author, string literals in scripts.
Those come out too, each in its own zone, because anyone can read the page source.
"""

from __future__ import annotations

import base64
import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field as default
from pathlib import Path
from typing import NamedTuple

import lxml.html
from lxml import etree

from prepub_review.errors import ReadError
from prepub_review.models import Locator, Notice, Segment, Zone, pickled_by_fields
from prepub_review.formats.base import Limits, ReaderItem
from prepub_review.formats.tables import HEADER_SEARCH_ROWS, HeaderCell, find_header
from prepub_review.formats.text.reader import BOMS, HEAD_SAMPLE_BYTES, detect_sample_encoding

TOP_BLOCKS = 5
MAX_DEPTH = 400                  # deeper markup is read flat, without recursion
BLOCK_TAGS = frozenset((
    "address", "article", "aside", "blockquote", "caption", "center", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
    "tbody", "thead", "tfoot", "tr", "ul", "option", "legend", "textarea", "body", "html", "frameset",
    "noscript",
))
CELL_TAGS = frozenset(("td", "th"))
SKIP_TAGS = frozenset(("style", "link", "base"))
# A link's address is read when it can carry a person's data: a query string (?sfzh=…), or a
# telephone, SMS or mail link, whose number or address the visible text need not repeat.
SPOKEN_LINKS = ("tel:", "sms:", "mailto:")
HIDDEN_CLASSES = {"hidden", "d-none", "hide", "invisible", "sr-only", "visually-hidden", "display-none",
                  "is-hidden"}
HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden"
    r"|font-size\s*:\s*0(?:\.0+)?(?:px|pt|em|rem|%)?\s*(?:;|!|$)|opacity\s*:\s*0(?:\.0+)?\s*(?:;|!|$)",
    re.IGNORECASE)
CSS_HIDDEN_CLASS = re.compile(
    r"\.([A-Za-z_][\w-]*)\s*(?:,[^{]*)?\{[^}]*?(?:display\s*:\s*none|visibility\s*:\s*hidden)", re.IGNORECASE)
DECLARED_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
WHITESPACE = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
SCRIPT_STRING = re.compile(r"\"((?:[^\"\\\n]|\\.){1,4000})\"|'((?:[^'\\\n]|\\.){1,4000})'|`([^`]{1,4000})`")
SCRIPT_KEY_BEFORE = re.compile(r"([\w\u3400-\u9fff$]+)[\"']?\s*[:=]\s*$")
JS_ESCAPE = re.compile(r"\\u\{?([0-9a-fA-F]{4,5})\}?|\\x([0-9a-fA-F]{2})")
URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_text_content = etree.XPath("string()")     # what lxml.html's HtmlElement.text_content() does

# GB2312/GBK pages routinely contain characters only GB18030 (their superset) has.
CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
                   "cp936": "gb18030", "big5": "big5hkscs"}


def read(path: Path, limits: Limits) -> Iterator[ReaderItem]:
    root, items = parse_page(path.read_bytes())
    yield from items
    yield from local_picture_items(root, path.parent)


@dataclass(frozen=True, slots=True)
class HtmlPicture:
    """The picture an <img> shows: a local file (`src` relative to the page's folder) or a data: URI."""

    element: etree._Element
    src: str


def local_picture_items(root: etree._Element, folder: Path, *, anchors: bool = True) -> Iterator[ReaderItem]:
    """The pictures the page shows from its own folder or inline (data: URIs), read by OCR. A remote
    picture (http://) is not fetched: it is published by its own site and checked there."""
    from prepub_review.ocr.picture import picture_items

    for element in root.iter("img"):
        src = (element.get("src") or "").strip()
        shown = src if not src.startswith("data:") else "内嵌 data: 图片"
        where = f"第{element.sourceline or 1}行 图片「{shown[:80]}」"
        data = picture_bytes(src, folder)
        if data is None:
            if src and not URL_SCHEME.match(src) and not src.startswith("//"):
                yield Notice("image_missing", where, "网页引用的本地图片不在网页所在文件夹中，未能审查；请连同图片一起审查")
            continue
        yield from picture_items(data, where, HtmlPicture(element, src), anchors=anchors,
                                 locator_path=("img", shown[:200]))


def picture_bytes(src: str, folder: Path) -> bytes | None:
    if src.startswith("data:image/") and ";base64," in src[:100]:
        try:
            return base64.b64decode(src.split(",", 1)[1], validate=False)
        except ValueError:
            return None
    if not src or URL_SCHEME.match(src) or src.startswith("//"):
        return None
    target = folder / urllib.parse.unquote(src.split("#", 1)[0].split("?", 1)[0])
    try:
        return target.read_bytes() if target.is_file() else None
    except OSError:
        return None


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class HtmlAnchor:
    """Where a segment's text lives: an element's text nodes (its own text and the text/tails of
    everything inside it), or one of its attributes; a comment node's text when it is a comment."""

    element: etree._Element
    attribute: str | None = None
    order: int = 0          # place in reading order: one element may hold several segments (lines)


def parse_page(data: bytes) -> tuple[etree._Element, Iterator[ReaderItem]]:
    """(parsed tree, its segments); each segment carries an `HtmlAnchor` into that tree and a
    Locator (its source line)."""
    text, _codec = decode_html(data)
    try:
        # lxml.html's parser but without its element classes: their Python lookup runs for every
        # element the walk touches, and nothing here needs them (text_content is _text_content).
        parser = etree.HTMLParser(remove_comments=False, remove_pis=True, huge_tree=True)
        root = lxml.html.document_fromstring(XML_DECLARATION.sub("", text, count=1) or "<html></html>",
                                             parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ReadError(f"网页无法解析（{exc}），文件未能审查", code="corrupt_html") from exc
    fatal = [error for error in parser.error_log if error.level_name == "FATAL"]
    if fatal:   # libxml2 stopped early (e.g. nesting deeper than 2048): the rest would be lost silently
        raise ReadError(f"网页结构异常，第{fatal[0].line}行之后的内容无法解析（{fatal[0].message}），"
                        "文件未能完整审查", code="corrupt_html")
    return root, _placed(_HtmlWalker(root).items())


def _placed(items: Iterator[_Found]) -> Iterator[ReaderItem]:
    """The walker's texts as segments, with their anchors (place in reading order) and Locators.
    Every HTML location is "第N行 <element path>"; the Locator holds line and path apart."""
    for order, (found, node, attribute) in enumerate(items):
        anchor = HtmlAnchor.from_fields(node, attribute, order) if node is not None else None
        locator = Locator.from_fields(found.zone.value, (found.path,) if found.path else (), found.line, None)
        yield Segment.from_fields(found.text, _location(found.line, found.path), found.zone, found.field,
                                  found.record, locator, anchor)


def decode_html(data: bytes) -> tuple[str, str]:
    """(text, codec): BOM, then the declared <meta charset> if it decodes, then detection."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace"), codec
    declared = DECLARED_CHARSET.search(data[:8192])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        codec = CHARSET_ALIASES.get(name, name)
        try:
            return data.decode(codec), codec
        except (UnicodeDecodeError, LookupError):
            pass  # a wrong declaration is common; detect instead
    detected = detect_sample_encoding(data[:HEAD_SAMPLE_BYTES], complete=len(data) <= HEAD_SAMPLE_BYTES)
    codec = detected.codec if detected else "utf-8"
    return data.decode(codec, errors="replace"), codec


class _Text(NamedTuple):
    """A segment's text and place before it is a Segment (made once, with its anchor, in _placed)."""

    text: str
    line: int                  # source line
    path: str                  # element path, e.g. "html>body>p[2]" (" 注释"/" 脚本" after it for those)
    zone: Zone
    field: str | None = None
    record: str | None = None


_Found = tuple[_Text, etree._Element | None, str | None]   # a text, the node and attribute holding it


@dataclass(slots=True)
class _Block:
    """The block element whose visible text is being collected."""

    path: str
    line: int
    zone: Zone
    field: str | None = None
    record: str | None = None
    counts_for_top: bool = True
    element: etree._Element | None = None
    pieces: list[str | None] = default(default_factory=list)   # None marks a line break (<br>)


class _HtmlWalker:
    def __init__(self, root: etree._Element):
        self.root = root
        self.hidden_classes = HIDDEN_CLASSES | _classes_hidden_by_css(root)
        self.cells: dict[etree._Element, tuple[str | None, str]] = {}
        self.top_left = TOP_BLOCKS

    def items(self) -> Iterator[_Found]:
        for sibling in reversed(list(self.root.itersiblings(preceding=True))):
            yield from self._outside(sibling)
        page = _Block(path="html", line=self.root.sourceline or 1, zone=Zone.BODY, element=self.root)
        yield from self._walk(self.root, "html", hidden=False, block=page, in_pre=False, depth=0)
        yield from self._flush(page)
        for sibling in self.root.itersiblings():
            yield from self._outside(sibling)

    def _outside(self, node: etree._Element) -> Iterator[_Found]:
        if node.tag is etree.Comment:
            yield from self._with_anchor(_comment(node, "html"), node)

    # -- the tree walk ---------------------------------------------------------------------

    def _walk(self, el: etree._Element, path: str, *, hidden: bool, block: _Block, in_pre: bool,
              depth: int) -> Iterator[_Found]:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        has_attributes = bool(el.attrib)      # most elements have none: nothing hidden, nothing to read
        newly_hidden = not hidden and ((has_attributes and self._is_hidden(el, tag)) or tag == "template")
        hidden = hidden or newly_hidden
        line = el.sourceline or block.line
        if has_attributes:
            yield from self._attributes(el, tag, path, line, hidden)
        if tag in SKIP_TAGS:
            return
        if tag == "script":
            yield from self._with_anchor(_script_strings(el, path), el)
            return
        if tag == "title":
            yield from self._with_anchor(_property(_normalize(_text_content(el)), "title", path, line), el)
            return
        if tag == "br":
            block.pieces.append(None)
            return
        if tag == "table":
            self.cells.update(_table_cells(el, path))
        current = block
        if tag in BLOCK_TAGS or tag in CELL_TAGS or newly_hidden:   # a hidden <span> is a block of its own
            if block.pieces:
                yield from self._flush(block)
            current = self._new_block(el, tag, path, line, hidden, block)
        if el.text:
            _add_text(current.pieces, el.text, in_pre or tag == "pre")
        if depth >= MAX_DEPTH:
            _add_text(current.pieces, " ".join(el.itertext()), in_pre)
        elif len(el):
            yield from self._children(el, path, hidden, current, in_pre or tag == "pre", depth)
        if current is not block and current.pieces:
            yield from self._flush(current)

    def _children(self, el: etree._Element, path: str, hidden: bool, block: _Block, in_pre: bool,
                  depth: int) -> Iterator[_Found]:
        # el[:]: the children as a list built in C, cheaper than lxml's child iterator (as in the docx reader)
        children = [(child, child.tag.lower() if isinstance(child.tag, str) else None) for child in el[:]]
        totals: dict[str, int] = {}
        for _child, tag in children:
            if tag is not None:
                totals[tag] = totals.get(tag, 0) + 1
        seen: dict[str, int] = {}
        for child, tag in children:
            if child.tag is etree.Comment:
                yield from self._with_anchor(_comment(child, path), child)
            elif tag is not None:
                seen[tag] = seen.get(tag, 0) + 1
                step = _step(child, tag, seen[tag], totals[tag])
                yield from self._walk(child, f"{path}>{step}", hidden=hidden, block=block, in_pre=in_pre,
                                      depth=depth + 1)
            if child.tail:
                _add_text(block.pieces, child.tail, in_pre)

    def _new_block(self, el: etree._Element, tag: str, path: str, line: int, hidden: bool,
                   parent: _Block) -> _Block:
        block = self._block_for(el, tag, path, line, hidden, parent)
        block.element = el
        return block

    def _block_for(self, el: etree._Element, tag: str, path: str, line: int, hidden: bool,
                   parent: _Block) -> _Block:
        if tag in CELL_TAGS and el in self.cells:
            field_name, record = self.cells[el]
            return _Block(path, line, Zone.HIDDEN if hidden else Zone.TABLE, field_name, record)
        if hidden:
            return _Block(path, line, Zone.HIDDEN, parent.field, parent.record)
        # A block inside a table cell (a <p> in a <td>) is still that cell.
        return _Block(path, line, parent.zone if parent.zone == Zone.TABLE else Zone.BODY,
                      parent.field, parent.record)

    def _flush(self, block: _Block) -> Iterator[_Found]:
        pieces, block.pieces = block.pieces, []
        for line_text in _lines(pieces):
            zone = block.zone
            if zone in (Zone.BODY, Zone.TABLE) and self.top_left > 0:
                self.top_left -= 1
                if zone == Zone.BODY:
                    zone = Zone.TOP
            yield (_Text(line_text, block.line, block.path, zone, block.field, block.record),
                   block.element, None)

    def _with_anchor(self, segments: Iterator[_Text], node: etree._Element,
                     attribute: str | None = None) -> Iterator[_Found]:
        for segment in segments:
            yield segment, node, attribute

    # -- what the page publishes without showing it ------------------------------------------

    def _is_hidden(self, el: etree._Element, tag: str) -> bool:
        if not tag:
            return False
        if el.get("hidden") is not None or (tag == "input" and (el.get("type") or "").lower() == "hidden"):
            return True
        if HIDDEN_STYLE.search(el.get("style") or ""):
            return True
        classes = (el.get("class") or "").lower().split()
        return any(name in self.hidden_classes for name in classes)

    def _attributes(self, el: etree._Element, tag: str, path: str, line: int,
                    hidden: bool) -> Iterator[_Found]:
        for segment in self._attribute_segments(el, tag, path, line, hidden):
            name = segment.field or ""
            attribute = ("content" if tag == "meta" else
                         name if name in ("title", "alt", "href", "src", "srcdoc") or name.lower().startswith("data-")
                         else "value")
            yield segment, el, attribute

    def _attribute_segments(self, el: etree._Element, tag: str, path: str, line: int,
                            hidden: bool) -> Iterator[_Text]:
        if not tag:
            return
        if tag == "meta":
            name = el.get("name") or el.get("property") or el.get("http-equiv") or el.get("itemprop")
            content = _normalize(el.get("content") or "")
            if name and content:
                yield _Text(content, line, path, Zone.PROPERTY, field=name)
            return
        for attr in ("title", "alt"):
            value = _normalize(el.get(attr) or "")
            if value:
                yield _Text(value, line, path, Zone.PROPERTY, field=attr)
        for attr, raw in el.attrib.items():
            if attr.lower().startswith("data-") and (value := _normalize(raw)):
                yield _Text(value, line, path, Zone.HIDDEN, field=attr)
        if tag == "iframe" and (source := el.get("srcdoc") or "").strip():
            # the frame's whole page is written into the attribute: its text, as a browser shows it
            shown = _normalize(" ".join(_fragment_text(source)))
            if shown:
                yield _Text(shown, line, path, Zone.BODY, field="srcdoc")
        for attr in ("href", "src"):
            value = (el.get(attr) or "").strip()
            if value and (("?" in value and not value.startswith("data:")) or value.lower().startswith(SPOKEN_LINKS)):
                yield _Text(value, line, path, Zone.PROPERTY, field=attr)
        if tag == "input" and (value := _normalize(el.get("value") or "")):
            name = el.get("name") or el.get("id") or "value"
            zone = Zone.HIDDEN if hidden else Zone.BODY
            yield _Text(value, line, path, zone, field=name)


def _property(value: str, name: str, path: str, line: int) -> Iterator[_Text]:
    if value:
        yield _Text(value, line, path, Zone.PROPERTY, field=name)


def _comment(node: etree._Element, path: str) -> Iterator[_Text]:
    text = node.text or ""
    # libxml2 gives a comment the line where it ends.
    first_line = max(1, (node.sourceline or 1) - text.count("\n"))
    for offset, raw in enumerate(text.split("\n")):
        text = _normalize(raw)
        if text:
            yield _Text(text, first_line + offset, f"{path} 注释", Zone.COMMENT)


def _script_strings(el: etree._Element, path: str) -> Iterator[_Text]:
    """String literals with Chinese text or long digit runs; `field` is the key they are assigned to."""
    code = el.text or ""
    first_line = el.sourceline or 1
    for match in SCRIPT_STRING.finditer(code):
        literal = _unescape_js(next(group for group in match.groups() if group is not None))
        if not (CJK.search(literal) or sum(ch.isdigit() for ch in literal) >= 6):
            continue
        line_start = code.rfind("\n", 0, match.start()) + 1
        key = SCRIPT_KEY_BEFORE.search(code[line_start:match.start()])
        line = first_line + code.count("\n", 0, match.start())
        for offset, raw in enumerate(literal.split("\n")):
            text = _normalize(raw)
            if text:
                yield _Text(text, line + offset, f"{path} 脚本", Zone.SCRIPT,
                              field=key.group(1) if key else None)


def _unescape_js(literal: str) -> str:
    return JS_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), literal)


def _classes_hidden_by_css(root: etree._Element) -> set[str]:
    names: set[str] = set()
    for style in root.iter("style"):
        names.update(name.lower() for name in CSS_HIDDEN_CLASS.findall(style.text or ""))
    return names


# -- tables ------------------------------------------------------------------------------------


def _table_rows(table: etree._Element) -> list[etree._Element]:
    rows = []
    for child in table[:]:
        if not isinstance(child.tag, str):
            continue
        tag = child.tag.lower()
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(row for row in child if isinstance(row.tag, str) and row.tag.lower() == "tr")
    return rows


def _cells(row: etree._Element) -> list[etree._Element]:
    return [cell for cell in row[:] if isinstance(cell.tag, str) and cell.tag.lower() in CELL_TAGS]


def _span(cell: etree._Element, attr: str) -> int:
    value = cell.get(attr)
    if value is None:
        return 1
    try:
        return max(1, min(int(value.strip() or "1"), 1000))
    except ValueError:
        return 1


def _table_cells(table: etree._Element, table_path: str) -> dict[etree._Element, tuple[str | None, str]]:
    """For each cell of `table` (not of nested tables): (column header, record id of its row)."""
    rows = _table_rows(table)
    columns: list[list[tuple[int, etree._Element, int]]] = []   # per row: (column index, cell, colspan)
    occupied: set[tuple[int, int]] = set()
    for r, row in enumerate(rows):
        placed, col = [], 0
        for cell in _cells(row):
            while (r, col) in occupied:
                col += 1
            colspan, rowspan = _span(cell, "colspan"), _span(cell, "rowspan")
            placed.append((col, cell, colspan))
            if rowspan > 1 or colspan > 1:
                occupied.update((r + dr, col + dc) for dr in range(rowspan) for dc in range(colspan))
            col += colspan
        columns.append(placed)
    header_rows, headers = find_header([[HeaderCell(col, _normalize(_text_content(cell)), colspan,
                                                    marked=cell.tag.lower() == "th") for col, cell, colspan in placed]
                                        for placed in columns[:HEADER_SEARCH_ROWS + 1]],
                                       max((col + colspan for placed in columns for col, _cell, colspan in placed),
                                           default=0))
    last_header_row = max(header_rows, default=-1)
    result: dict[etree._Element, tuple[str | None, str]] = {}
    for r, placed in enumerate(columns):
        record = f"{table_path} 第{r + 1}行"
        for col, cell, _colspan in placed:
            result[cell] = (None if r <= last_header_row else headers.get(col), record)
    return result


# -- text helpers ------------------------------------------------------------------------------


def _step(el: etree._Element, tag: str, index: int, total: int) -> str:
    element_id = el.get("id")
    if element_id:
        return f"{tag}#{element_id}"
    return f"{tag}[{index}]" if total > 1 else tag


def _location(line: int, path: str) -> str:
    return f"第{line}行 {path}"


def _add_text(pieces: list[str | None], text: str, in_pre: bool) -> None:
    """Append `text` to a block's pieces; in <pre>, each line break is a break (None)."""
    if not in_pre:
        pieces.append(text)
        return
    for number, part in enumerate(text.split("\n")):
        if number:
            pieces.append(None)
        pieces.append(part)


def _lines(pieces: list[str | None]) -> Iterator[str]:
    if None not in pieces:          # no <br>: the block is one line
        text = _normalize("".join(pieces))
        if text:
            yield text
        return
    current: list[str] = []
    for piece in [*pieces, None]:
        if piece is None:
            text = _normalize("".join(current))
            if text:
                yield text
            current = []
        else:
            current.append(piece)


def _fragment_text(source: str) -> list[str]:
    """The text nodes of an HTML fragment (an iframe's srcdoc), scripts and styles left out."""
    try:
        root = etree.fromstring(f"<div>{source}</div>", etree.HTMLParser(remove_comments=True))
    except (etree.LxmlError, ValueError):
        return [source]
    if root is None:
        return []
    for element in root.iter("script", "style"):
        element.text = ""
    return [text for text in root.itertext()]


def _normalize(text: str) -> str:
    return WHITESPACE.sub(" ", text).strip()
