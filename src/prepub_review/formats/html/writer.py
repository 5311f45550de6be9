"""Writes a redacted HTML page in its own encoding: edits go into the text nodes / attributes the
reader's anchors name; comments are removed; a hidden element holding personal data is removed.
A local picture the page shows is painted (pixels.py) and written beside the output page as
`name.去标识化.png` (same relative folder), and the page's <img src> points at it; an inline data:
picture is replaced inline. The original pictures are never touched."""

from __future__ import annotations

import base64
import os
import posixpath
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

from PIL import Image

import lxml.html
from lxml import etree

from prepub_review.formats.edits import Cleaning, Edit
from prepub_review.formats.image import pixels
from prepub_review.formats.image.pixels import is_picture_edit
from prepub_review.formats.xmltree import remove_keep_tail
from prepub_review.models import Zone
from prepub_review.formats.base import Limits, ReaderItem
from prepub_review.formats.html.reader import (
    BOMS,
    HtmlAnchor,
    HtmlPicture,
    decode_html,
    local_picture_items,
    parse_page,
    picture_bytes,
)

REDACTED_PICTURE_SUFFIX = ".去标识化"     # list.png -> list.去标识化.png, beside the output page


class HtmlDocument:
    def __init__(self, path: Path, limits: Limits):
        data = path.read_bytes()
        _text, self.codec = decode_html(data)
        self.bom = next((bom for bom, _codec in BOMS if data.startswith(bom)), b"")
        self.root, self._items = parse_page(data)
        self.folder = path.parent
        self.removed_hidden = 0
        self.pictures: list[tuple[HtmlPicture, bytes, str]] = []    # (picture, new bytes, new src)

    def close(self) -> None:
        pass

    def items(self) -> Iterator[ReaderItem]:
        yield from self._items
        yield from local_picture_items(self.root, self.folder, anchors=True)

    def cleaned(self, place) -> bool:
        """HTML comments leave the page in clean()."""
        return place.zone == Zone.COMMENT

    def clean(self) -> list[Cleaning]:
        tree = self.root.getroottree()
        comments = [node for node in tree.iter(etree.Comment)]
        comments += [node for node in self.root.itersiblings(preceding=True) if node.tag is etree.Comment]
        comments += [node for node in self.root.itersiblings() if node.tag is etree.Comment]
        removed = 0
        for node in comments:
            if node.getparent() is not None:
                remove_keep_tail(node)
                removed += 1
        return [Cleaning("comments", f"删除网页注释 {removed} 处", removed)] if removed else []

    def apply(self, edits: list[Edit]) -> tuple[list[Edit], list[Cleaning]]:
        unplaced = self._repaint([e for e in edits if is_picture_edit(e)])
        for edit in [e for e in edits if not is_picture_edit(e)]:
            anchor = edit.finding.anchor
            if not isinstance(anchor, HtmlAnchor):
                unplaced.append(edit)
                continue
            element = anchor.element
            if anchor.attribute is None and edit.finding.zone == Zone.HIDDEN and element.getparent() is not None:
                remove_keep_tail(element)         # a hidden block with personal data goes entirely
                self.removed_hidden += 1
                continue
            if anchor.attribute is not None:
                value = element.get(anchor.attribute) or ""
                if edit.finding.text in value:
                    element.set(anchor.attribute, value.replace(edit.finding.text, edit.replacement))
                    continue
            elif _replace_in_subtree(element, edit.finding.text, edit.replacement) \
                    or _replace_across_nodes(element, edit.finding.text, edit.replacement):
                continue
            if element.getparent() is None and element is not self.root:
                continue          # its hidden block was removed already
            unplaced.append(edit)
        steps = []
        if self.removed_hidden:
            steps.append(Cleaning("hidden_elements", f"删除含个人信息的隐藏元素 {self.removed_hidden} 个",
                                  self.removed_hidden))
        return unplaced, steps

    def _repaint(self, edits: list[Edit]) -> list[Edit]:
        """Painted copies of the pictures the edits name; the page points at them (save writes them)."""
        by_picture: dict[HtmlPicture, list[Edit]] = {}
        for edit in edits:
            by_picture.setdefault(edit.finding.anchor.picture, []).append(edit)
        unplaced = []
        for picture_ref, picture_edits in by_picture.items():
            data, image_format, missed = pixels.redrawn(picture_bytes(picture_ref.src, self.folder) or b"",
                                                        picture_edits)
            unplaced += missed
            if picture_ref.src.startswith("data:"):
                mime = Image.MIME.get((image_format or "PNG").upper(), "image/png") if image_format \
                    else picture_ref.src[5:].split(";", 1)[0]
                new_src = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
            else:
                path, suffix = posixpath.splitext(urllib.parse.unquote(picture_ref.src.split("?", 1)[0].split("#", 1)[0]))
                new_src = f"{path}{REDACTED_PICTURE_SUFFIX}{suffix}"
                self.pictures.append((picture_ref, data, new_src))
            picture_ref.element.set("src", new_src)
        return unplaced

    def save(self, out: Path) -> None:
        for _picture, data, new_src in self.pictures:      # first: the page is verified with them
            target = out.parent / new_src
            target.parent.mkdir(parents=True, exist_ok=True)
            temp = target.with_name(f".{target.name}.tmp")
            temp.write_bytes(data)
            os.replace(temp, target)
        html = lxml.html.tostring(self.root.getroottree(), encoding="unicode", method="html",
                                  doctype=self.root.getroottree().docinfo.doctype or None)
        out.write_bytes(self.bom + html.encode(self.codec, errors="xmlcharrefreplace"))


def _replace_in_subtree(element: etree._Element, raw: str, replacement: str) -> bool:
    found = False
    if element.tag is etree.Comment:
        if raw in (element.text or ""):
            element.text = element.text.replace(raw, replacement)
            return True
        return False
    for node in element.iter():
        if node.text and raw in node.text:
            node.text = node.text.replace(raw, replacement)
            found = True
        if node is not element and node.tail and raw in node.tail:
            node.tail = node.tail.replace(raw, replacement)
            found = True
    return found


def _replace_across_nodes(element: etree._Element, raw: str, replacement: str) -> bool:
    """`raw` replaced where it runs across text nodes (Word's and LibreOffice's HTML put every run in
    a <font>/<span> of its own: 建设路|34|弄|8|号) or across a line break of the source, compared as a
    browser shows it (white space collapsed). The first node of each occurrence gets the replacement,
    the others lose their part of the value."""
    wanted = " ".join(raw.split())
    slots = list(_text_slots(element))
    shown, places = [], []          # the text as shown; for each of its characters: (slot, offset)
    for number, (node, side) in enumerate(slots):
        for offset, char in enumerate(getattr(node, side) or ""):
            if char.isspace():
                if shown and shown[-1] == " ":
                    continue
                char = " "
            shown.append(char)
            places.append((number, offset))
    text = "".join(shown)
    starts, index = [], text.find(wanted) if wanted else -1
    while index >= 0:
        starts.append(index)
        index = text.find(wanted, index + len(wanted))
    for start in reversed(starts):          # right to left: earlier offsets stay valid
        (first, first_offset), (last, last_offset) = places[start], places[start + len(wanted) - 1]
        for number in range(last, first - 1, -1):
            node, side = slots[number]
            value = getattr(node, side) or ""
            begin = first_offset if number == first else 0
            end = last_offset + 1 if number == last else len(value)
            setattr(node, side, value[:begin] + (replacement if number == first else "") + value[end:])
    return bool(starts)


def _text_slots(element: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """The text holders inside `element` in reading order, as (node, "text" or "tail"); a comment's
    own text is not shown, its tail is."""
    if element.tag is not etree.Comment:
        yield element, "text"
        for child in element:
            yield from _text_slots(child)
            yield child, "tail"


def open_editable(path: Path, limits: Limits, fmt: str) -> HtmlDocument:
    return HtmlDocument(path, limits)
