"""Reads an .ofd (GB/T 33190-2016 版式文件, the fixed-layout format of Chinese e-government).

An OFD is a zip of XML (opened with the same safe zip and XML handling as Office files,
ooxml/package.py): OFD.xml names each document's root (Doc_0/Document.xml), which lists its pages;
a page's Content.xml draws text objects (ofd:TextObject, Unicode text in ofd:TextCode, placed by a
Boundary in millimetres), images and paths, in layers and page blocks.

Text objects are placed into rows and columns as OCR'd lines are (ocr/layout.py: a list drawn as a
table reads with its header as field), after the pieces a generator draws side by side on one line
(often one object per word or per character) are joined. Also read: the document information
(作者, 标题…) and custom data, annotations' remarks, and the pictures (OCR, as a PDF's scans;
without the [ocr] extra each is a review notice). Attachments are notices. Each line's segment
carries an OfdTextAnchor (the page part and its text codes) for writer.py.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from prepub_review.errors import ReadError
from prepub_review.formats.base import Limits, ReaderItem, attached_file_items
from prepub_review.formats.ooxml.package import ElementTextAnchor, OoxmlPackage, guard_reader, local_name
from prepub_review.models import Locator, Segment, Zone
from prepub_review.ocr.engine import OcrLine
from prepub_review.ocr.picture import picture_items, text_segments

KIND_ZH = "OFD 版式文件"
OFD = "http://www.ofdspec.org/2016"
SCALE = 10                      # millimetres -> integer boxes for the layout (0.1 mm)
JOIN_GAP = 0.6                  # pieces of one line closer than this many text heights are one text
DOC_INFO = (("Title", "标题"), ("Author", "作者"), ("Subject", "主题"), ("Abstract", "摘要"),
            ("Keywords", "关键词"), ("Creator", "创建程序"))
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def o_tag(name: str) -> str:
    return f"{{{OFD}}}{name}"


@dataclass(frozen=True, slots=True)
class OfdTextAnchor:
    """A line of a page: the page's Content.xml and the places (in document order) of the text codes
    whose texts, joined, are the line."""

    part: str
    codes: tuple[int, ...]


@guard_reader(KIND_ZH)
def read(path: Path, limits: Limits) -> Iterator[ReaderItem]:
    with OoxmlPackage(path, limits, KIND_ZH) as package:
        yield from package_items(package)


def package_items(package: OoxmlPackage) -> Iterator[ReaderItem]:
    """The walk `read` makes, over an open package (the writer's, whose trees the anchors point into)."""
    if not package.has("OFD.xml"):
        raise ReadError("文件中没有 OFD.xml，不是有效的 OFD 文件", code="corrupt_zip")
    root = package.parse("OFD.xml")
    for body in root.iter(o_tag("DocBody")):
        yield from _doc_info(body)
        doc_root = (body.findtext(o_tag("DocRoot")) or "").strip().lstrip("/")
        if doc_root and package.has(doc_root):
            yield from _document(package, doc_root)


def _doc_info(body: etree._Element) -> Iterator[Segment]:
    info = body.find(o_tag("DocInfo"))
    if info is None:
        return
    entries = [(info.find(o_tag(key)), key, label) for key, label in DOC_INFO]
    entries += [(data, data.get("Name") or "自定义数据", data.get("Name") or "自定义数据")
                for data in info.iter(o_tag("CustomData"))]
    for element, key, label in entries:
        value = (element.text or "") if element is not None else ""
        if value.strip():
            yield Segment(value.strip(), f"文档属性: {label}", Zone.PROPERTY, field=label,
                          locator=Locator("property", (key,)), anchor=ElementTextAnchor(element, value.index(value.strip())))


def _document(package: OoxmlPackage, doc_root: str) -> Iterator[ReaderItem]:
    folder = posixpath.dirname(doc_root)
    root = package.parse(doc_root)
    media = _media(package, root, folder)
    pages = root.find(f"{o_tag('Pages')}")
    for number, page in enumerate(pages.iter(o_tag("Page")) if pages is not None else (), 1):
        location = resolve(folder, page.get("BaseLoc") or "")
        if package.has(location):
            yield from _page(package, location, number, media)
    annotations = (root.findtext(o_tag("Annotations")) or "").strip()
    if annotations:
        yield from _annotations(package, resolve(folder, annotations))
    attachments = (root.findtext(o_tag("Attachments")) or "").strip()
    if attachments and package.has(resolve(folder, attachments)):
        for index, attachment in enumerate(package.parse(resolve(folder, attachments)).iter(o_tag("Attachment")), 1):
            yield from attached_file_items(attachment.get("Name") or "", index, "OFD")


def resolve(folder: str, location: str) -> str:
    """A location written in an OFD part: absolute ("/Doc_0/…") or relative to the part's folder."""
    location = location.strip()
    return location.lstrip("/") if location.startswith("/") else posixpath.normpath(posixpath.join(folder, location))


def _media(package: OoxmlPackage, root: etree._Element, folder: str) -> dict[str, str]:
    """Resource ID -> the zip member of each picture the document's resource files declare."""
    found = {}
    for res_tag in ("PublicRes", "DocumentRes"):
        for res in root.iter(o_tag(res_tag)):
            part = resolve(folder, (res.text or "").strip())
            if not package.has(part):
                continue
            res_root = package.parse(part)
            base = resolve(posixpath.dirname(part), res_root.get("BaseLoc") or "")
            for media in res_root.iter(o_tag("MultiMedia")):
                file = (media.findtext(o_tag("MediaFile")) or "").strip()
                if file and media.get("ID"):
                    found[media.get("ID")] = resolve(base, file)
    return found


def _page(package: OoxmlPackage, part: str, number: int, media: dict[str, str]) -> Iterator[ReaderItem]:
    root = package.parse(part)
    places = {code: place for place, code in enumerate(root.iter(o_tag("TextCode")))}   # keeps the proxies
    pieces: list[_Piece] = []
    for text_object in root.iter(o_tag("TextObject")):
        codes = list(text_object.iter(o_tag("TextCode")))
        text = "".join(code.text or "" for code in codes)
        box = _boundary(text_object.get("Boundary"))
        if text.strip() and box is not None:
            pieces.append(_Piece(*box, text, tuple(places[code] for code in codes)))
    lines, anchors = [], {}
    for piece in _joined(pieces):
        line = OcrLine(piece.text, (round(piece.x * SCALE), round(piece.y * SCALE),
                                    round((piece.x + piece.w) * SCALE), round((piece.y + piece.h) * SCALE)), 1.0)
        anchors[id(line)] = OfdTextAnchor(part, piece.codes)
        lines.append(line)
    yield from text_segments(lines, f"第{number}页", None, locator_path=("ofd", number), pixels=False,
                             make_anchor=lambda line: anchors[id(line)])
    for index, image in enumerate(root.iter(o_tag("ImageObject")), 1):
        member = media.get(image.get("ResourceID") or "")
        if member and package.has(member):
            yield from picture_items(package.read(member), f"第{number}页 图片{index}", None,
                                     locator_path=("ofd", number, index))


def _boundary(value: str | None) -> tuple[float, float, float, float] | None:
    numbers = [float(n) for n in NUMBER.findall(value or "")]
    return tuple(numbers[:4]) if len(numbers) >= 4 else None


@dataclass(slots=True)
class _Piece:
    x: float
    y: float
    w: float
    h: float
    text: str
    codes: tuple[int, ...]


def _joined(pieces: list[_Piece]) -> list[_Piece]:
    """Pieces on one line that nearly touch, joined left to right (a generator may draw a line word by
    word or character by character); pieces farther apart stay apart (table cells)."""
    joined: list[_Piece] = []
    for piece in sorted(pieces, key=lambda p: (round(p.y + p.h / 2, 1), p.x)):
        last = joined[-1] if joined else None
        if last is not None and abs((last.y + last.h / 2) - (piece.y + piece.h / 2)) < max(piece.h, last.h) / 2 \
                and 0 <= piece.x - (last.x + last.w) < JOIN_GAP * max(piece.h, last.h):
            last.w = piece.x + piece.w - last.x
            last.text += piece.text
            last.codes += piece.codes
        else:
            joined.append(_Piece(piece.x, piece.y, piece.w, piece.h, piece.text, piece.codes))
    return joined


def _annotations(package: OoxmlPackage, part: str) -> Iterator[Segment]:
    if not package.has(part):
        return
    folder = posixpath.dirname(part)
    for page_annotations in package.parse(part).iter(o_tag("Page")):
        location = resolve(folder, (page_annotations.findtext(o_tag("FileLoc")) or "").strip())
        if not package.has(location):
            continue
        for index, annotation in enumerate(package.parse(location).iter(o_tag("Annot")), 1):
            remark = (annotation.findtext(o_tag("Remark")) or "").strip()
            if remark:
                yield Segment(remark, f"注释{index}（{annotation.get('Creator') or ''}）", Zone.COMMENT)
            for parameter in annotation.iter(o_tag("Parameter")):
                text = (parameter.text or "").strip()
                if text and local_name(parameter.tag) == "Parameter":
                    yield Segment(text, f"注释{index} 参数「{parameter.get('Name') or ''}」", Zone.COMMENT)
