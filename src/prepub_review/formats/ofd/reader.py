"""Reads an .ofd (GB/T 33190-2016 版式文件, the fixed-layout format of Chinese e-government).

An OFD is a zip of XML (opened with the same safe zip and XML handling as Office files,
ooxml/package.py): OFD.xml names each document's root (Doc_0/Document.xml), which lists its pages;
a page's Content.xml draws text objects (ofd:TextObject, Unicode text in ofd:TextCode, placed by a
Boundary in millimetres), images and paths, in layers and page blocks.

Text objects are placed into rows and columns as OCR'd lines are (ocr/layout.py: a list drawn as a
table reads with its header as field), after the pieces a generator draws side by side on one line
(often one object per word or per character) are joined. Also read: the document information
(作者, 标题…) and custom data, annotations' remarks, and the pictures (OCR, as a PDF's scans;
without the [ocr] extra each is a review notice). Attachments are notices. An OFD is read-only here.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from prepub_review.errors import ReadError
from prepub_review.formats.base import Limits, ReaderItem
from prepub_review.formats.ooxml.package import OoxmlPackage, guard_reader, local_name
from prepub_review.models import Locator, Notice, Segment, Zone
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


@guard_reader(KIND_ZH)
def read(path: Path, limits: Limits) -> Iterator[ReaderItem]:
    with OoxmlPackage(path, limits, KIND_ZH) as package:
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
    for key, label in DOC_INFO:
        text = (info.findtext(o_tag(key)) or "").strip()
        if text:
            yield Segment(text, f"文档属性: {label}", Zone.PROPERTY, field=label, locator=Locator("property", (key,)))
    for data in info.iter(o_tag("CustomData")):
        text, name = (data.text or "").strip(), data.get("Name") or "自定义数据"
        if text:
            yield Segment(text, f"文档属性: {name}", Zone.PROPERTY, field=name, locator=Locator("property", (name,)))


def _document(package: OoxmlPackage, doc_root: str) -> Iterator[ReaderItem]:
    folder = posixpath.dirname(doc_root)
    root = package.parse(doc_root)
    media = _media(package, root, folder)
    pages = root.find(f"{o_tag('Pages')}")
    for number, page in enumerate(pages.iter(o_tag("Page")) if pages is not None else (), 1):
        location = _resolve(folder, page.get("BaseLoc") or "")
        if package.has(location):
            yield from _page(package, location, number, media)
    annotations = (root.findtext(o_tag("Annotations")) or "").strip()
    if annotations:
        yield from _annotations(package, _resolve(folder, annotations))
    attachments = (root.findtext(o_tag("Attachments")) or "").strip()
    if attachments and package.has(_resolve(folder, attachments)):
        for index, attachment in enumerate(package.parse(_resolve(folder, attachments)).iter(o_tag("Attachment")), 1):
            yield Notice("embedded_object", f"附件{index}「{attachment.get('Name') or ''}」",
                         "OFD 内嵌附件，附件内容未审查，需人工审查")


def _resolve(folder: str, location: str) -> str:
    return location.lstrip("/") if location.startswith("/") else posixpath.normpath(posixpath.join(folder, location))


def _media(package: OoxmlPackage, root: etree._Element, folder: str) -> dict[str, str]:
    """Resource ID -> the zip member of each picture the document's resource files declare."""
    found = {}
    for res_tag in ("PublicRes", "DocumentRes"):
        for res in root.iter(o_tag(res_tag)):
            part = _resolve(folder, (res.text or "").strip())
            if not package.has(part):
                continue
            res_root = package.parse(part)
            base = _resolve(posixpath.dirname(part), res_root.get("BaseLoc") or "")
            for media in res_root.iter(o_tag("MultiMedia")):
                file = (media.findtext(o_tag("MediaFile")) or "").strip()
                if file and media.get("ID"):
                    found[media.get("ID")] = _resolve(base, file)
    return found


def _page(package: OoxmlPackage, part: str, number: int, media: dict[str, str]) -> Iterator[ReaderItem]:
    root = package.parse(part)
    pieces: list[tuple[float, float, float, float, str]] = []
    for text_object in root.iter(o_tag("TextObject")):
        text = "".join(code.text or "" for code in text_object.iter(o_tag("TextCode")))
        box = _boundary(text_object.get("Boundary"))
        if text.strip() and box is not None:
            pieces.append((*box, text))
    lines = [OcrLine(text, (round(x * SCALE), round(y * SCALE), round((x + w) * SCALE), round((y + h) * SCALE)), 1.0)
             for x, y, w, h, text in _joined(pieces)]
    yield from text_segments(lines, f"第{number}页", None, locator_path=("ofd", number), pixels=False)
    for index, image in enumerate(root.iter(o_tag("ImageObject")), 1):
        member = media.get(image.get("ResourceID") or "")
        if member and package.has(member):
            yield from picture_items(package.read(member), f"第{number}页 图片{index}", None,
                                     locator_path=("ofd", number, index))


def _boundary(value: str | None) -> tuple[float, float, float, float] | None:
    numbers = [float(n) for n in NUMBER.findall(value or "")]
    return tuple(numbers[:4]) if len(numbers) >= 4 else None


def _joined(pieces: list[tuple[float, float, float, float, str]]) -> list[tuple[float, float, float, float, str]]:
    """Pieces on one line that nearly touch, joined left to right (a generator may draw a line word by
    word or character by character); pieces farther apart stay apart (table cells)."""
    joined: list[list] = []
    for x, y, w, h, text in sorted(pieces, key=lambda p: (round(p[1] + p[3] / 2, 1), p[0])):
        last = joined[-1] if joined else None
        if last is not None and abs((last[1] + last[3] / 2) - (y + h / 2)) < max(h, last[3]) / 2 \
                and 0 <= x - (last[0] + last[2]) < JOIN_GAP * max(h, last[3]):
            last[2] = x + w - last[0]
            last[4] += text
        else:
            joined.append([x, y, w, h, text])
    return [tuple(piece) for piece in joined]


def _annotations(package: OoxmlPackage, part: str) -> Iterator[Segment]:
    if not package.has(part):
        return
    folder = posixpath.dirname(part)
    for page_annotations in package.parse(part).iter(o_tag("Page")):
        location = _resolve(folder, (page_annotations.findtext(o_tag("FileLoc")) or "").strip())
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
