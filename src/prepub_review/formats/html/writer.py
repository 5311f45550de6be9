"""Writes a redacted HTML page in its own encoding: edits go into the text nodes / attributes the
reader's anchors name; comments are removed; a hidden element holding personal data is removed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import lxml.html
from lxml import etree

from prepub_review.formats.edits import Cleaning, Edit
from prepub_review.formats.xmltree import remove_keep_tail
from prepub_review.models import Zone
from prepub_review.formats.base import Limits, ReaderItem
from prepub_review.formats.html.reader import BOMS, HtmlAnchor, decode_html, parse_page


class HtmlDocument:
    def __init__(self, path: Path, limits: Limits):
        data = path.read_bytes()
        _text, self.codec = decode_html(data)
        self.bom = next((bom for bom, _codec in BOMS if data.startswith(bom)), b"")
        self.root, self._items = parse_page(data)
        self.removed_hidden = 0

    def close(self) -> None:
        pass

    def items(self) -> Iterator[ReaderItem]:
        return self._items

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
        unplaced = []
        for edit in edits:
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
            elif _replace_in_subtree(element, edit.finding.text, edit.replacement):
                continue
            if element.getparent() is None and element is not self.root:
                continue          # its hidden block was removed already
            unplaced.append(edit)
        steps = []
        if self.removed_hidden:
            steps.append(Cleaning("hidden_elements", f"删除含个人信息的隐藏元素 {self.removed_hidden} 个",
                                  self.removed_hidden))
        return unplaced, steps

    def save(self, out: Path) -> None:
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



def open_editable(path: Path, limits: Limits, fmt: str) -> HtmlDocument:
    return HtmlDocument(path, limits)
