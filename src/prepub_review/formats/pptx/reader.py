"""Reads a .pptx/.ppsx: every place a presentation keeps text, walked in the raw PresentationML.

Slides in the order the presentation shows them (hidden ones too, marked 隐藏), each with its shapes,
text boxes, grouped shapes and tables; then its speaker notes and comments; then the masters and
layouts (a footer typed there shows on every slide); charts, alt text, links, properties, custom
XML, embedded files and pictures, as in the other Office formats (ooxml/).

Each DrawingML paragraph is one segment with a DrawingParagraphAnchor: the writer edits it across
its runs. A table's cells carry their column's header as field (formats/tables.py), so a list pasted
into a slide as a table reads like any table, row by row as a record.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from lxml import etree

from prepub_review.formats.base import Limits, ReaderItem
from prepub_review.formats.ooxml.charts import chart_items
from prepub_review.formats.ooxml.package import (
    A_T,
    NS,
    OoxmlPackage,
    alt_text_segments,
    custom_xml_segments,
    drawing_paragraphs,
    embedded_picture_items,
    guard_reader,
    link_target_segments,
    read_properties,
)
from prepub_review.formats.tables import HeaderCell, find_header
from prepub_review.models import Segment, Zone

KIND_ZH = "PowerPoint 演示文稿"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
A = NS["a"]
R_ID = f"{{{NS['r']}}}id"
A_TBL, A_TR, A_TC = f"{{{A}}}tbl", f"{{{A}}}tr", f"{{{A}}}tc"
MODERN_COMMENT_TEXT = "{http://schemas.microsoft.com/office/powerpoint/2018/8/main}txBody"


@guard_reader(KIND_ZH)
def read(path: Path, limits: Limits) -> Iterator[ReaderItem]:
    with OoxmlPackage(path, limits, KIND_ZH) as package:
        yield from package_items(package, limits)


def package_items(package: OoxmlPackage, limits: Limits) -> Iterator[ReaderItem]:
    presentation = package.main_part("ppt/presentation.xml")
    for number, slide in enumerate(_slides(package, presentation), 1):
        root = package.parse(slide)
        hidden = root.get("show") in ("0", "false")
        label = f"第{number}张幻灯片" + ("（隐藏）" if hidden else "")
        yield from _paragraphs(root, slide, label, Zone.HIDDEN if hidden else Zone.BODY)
        for notes in package.related(slide, "notesSlide"):
            yield from _paragraphs(package.parse(notes), notes, f"{label} 备注", Zone.NOTE)
        yield from _comments(package, slide, label)
        yield from alt_text_segments(root, label)
        yield from link_target_segments(package, slide, label)
    for part in sorted(name for name in package.names
                       if name.startswith(("ppt/slideMasters/", "ppt/slideLayouts/")) and name.endswith(".xml")):
        kind = "母版" if "slideMasters" in part else "版式"
        yield from _paragraphs(package.parse(part), part, f"幻灯片{kind}「{PurePosixPath(part).stem}」", Zone.HEADER)
    yield from _comment_authors(package)
    yield from chart_items(package)
    yield from read_properties(package)
    yield from custom_xml_segments(package)
    yield from package.embedded.items()
    yield from embedded_picture_items(package, anchors=True)


def _slides(package: OoxmlPackage, presentation: str) -> list[str]:
    """Slide parts in the presentation's order (p:sldIdLst), then any slide it does not list."""
    rels = package.rels(presentation)
    ordered = []
    for slide_id in package.parse(presentation).iter(f"{{{P}}}sldId"):
        rel = rels.get(slide_id.get(R_ID, ""))
        if rel is not None and not rel.external and package.has(rel.target) and rel.target not in ordered:
            ordered.append(rel.target)
    unlisted = sorted((name for name in package.names if name.startswith("ppt/slides/slide") and name.endswith(".xml")
                       and name not in ordered), key=_number_in)
    return ordered + unlisted


def _number_in(name: str) -> tuple[int, str]:
    digits = "".join(char for char in PurePosixPath(name).stem if char.isdigit())
    return (int(digits) if digits else 0, name)


def _paragraphs(root: etree._Element, part: str, label: str, zone: Zone) -> Iterator[Segment]:
    """Every non-empty paragraph of a slide (or notes, master, layout) part, table cells with their
    column header as field and their row as record."""
    cells = _table_cells(root, label)
    for paragraph, text, anchor in drawing_paragraphs(root, part):
        cell = cells.get(_cell_of(paragraph))
        if cell is None:
            yield Segment(text, label, zone, anchor=anchor)
        else:
            where, field, record = cell
            yield Segment(text, where, Zone.TABLE if zone is Zone.BODY else zone, field=field, record=record,
                          anchor=anchor)


def _table_cells(root: etree._Element, label: str) -> dict[etree._Element, tuple[str, str | None, str]]:
    """a:tc -> (location, column header, record) for every table of the part."""
    found = {}
    for table_number, table in enumerate(root.iter(A_TBL), 1):
        rows = [list(row.iter(A_TC)) for row in table.iter(A_TR)]
        texts = [[_cell_text(cell) for cell in row] for row in rows]
        header_rows, fields = find_header([[HeaderCell(column, text) for column, text in enumerate(row)]
                                           for row in texts])
        for row_number, row in enumerate(rows, 1):
            record = f"{label} 表格{table_number} 第{row_number}行"
            for column, cell in enumerate(row):
                field = None if row_number - 1 in header_rows else fields.get(column)
                found[cell] = (f"{record} 第{column + 1}列", field, record)
    return found


def _cell_text(cell: etree._Element) -> str:
    return "".join(t.text or "" for t in cell.iter(A_T)).strip()


def _cell_of(paragraph: etree._Element) -> etree._Element | None:
    parent = paragraph.getparent()
    while parent is not None and parent.tag != A_TC:
        parent = parent.getparent()
    return parent


def _comments(package: OoxmlPackage, slide: str, label: str) -> Iterator[Segment]:
    """Review comments on a slide, classic (p:cm/p:text) and modern (DrawingML text); clean() removes them."""
    for part in package.related(slide, "comments"):
        root = package.parse(part)
        for number, comment in enumerate(root.iter(f"{{{P}}}cm"), 1):
            text = (comment.findtext(f"{{{P}}}text") or "").strip()
            if text:
                yield Segment(text, f"{label} 批注{number}", Zone.COMMENT)
    for part in package.related(slide, "comment"):      # modern comments (PowerPoint 365)
        root = package.parse(part)
        for number, body in enumerate(root.iter(MODERN_COMMENT_TEXT), 1):
            text = "".join(t.text or "" for t in body.iter(A_T)).strip()
            if text:
                yield Segment(text, f"{label} 批注{number}", Zone.COMMENT)


def _comment_authors(package: OoxmlPackage) -> Iterator[Segment]:
    for part in sorted(name for name in package.names if name in ("ppt/commentAuthors.xml", "ppt/authors.xml")):
        seen = set()
        for author in package.parse(part).iter():
            name = (author.get("name") or "").strip() if isinstance(author.tag, str) else ""
            if name and name not in seen:
                seen.add(name)
                yield Segment(name, "批注人员列表", Zone.PROPERTY, field="批注作者")
