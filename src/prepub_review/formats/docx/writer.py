"""Writes a redacted .docx: edits go through the reader's anchors (the w:t elements of each
paragraph); comments, tracked changes, hidden text and personal properties are cleaned first."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from prepub_review.formats.ooxml.editable import EditablePackage, is_cleared_property
from prepub_review.models import Zone
from prepub_review.formats.edits import Cleaning, Edit, by_anchor
from prepub_review.formats.xmltree import remove_keep_tail
from prepub_review.formats.docx import reader as docx_reader
from prepub_review.formats.base import Limits, ReaderItem
from prepub_review.formats.docx.reader import KIND_ZH, MC_CHOICE, MC_FALLBACK, TextAnchor, W, w_tag
from prepub_review.formats.ooxml.package import NS

CLEANED_ZONES = frozenset({Zone.COMMENT, Zone.REVISION, Zone.HIDDEN})
CLEANED_FIELDS = frozenset({"批注作者", "修订作者"})
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
STORY_TYPES = ("officeDocument", "header", "footer", "footnotes", "endnotes")
COMMENT_MARKS = {w_tag("commentRangeStart"), w_tag("commentRangeEnd"), w_tag("commentReference")}
COMMENT_PART_TYPES = ("comments", "commentsExtended", "commentsIds", "commentsExtensible", "people")
DELETED = {w_tag("del"), w_tag("moveFrom")}
INSERTED = {w_tag("ins"), w_tag("moveTo")}
REVISION_MARKS = {w_tag(name) for name in ("rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "trPrChange",
                                        "tcPrChange", "tblGridChange", "numberingChange", "moveFromRangeStart",
                                        "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd", "cellIns",
                                        "cellDel", "cellMerge")}


class DocxDocument:
    def __init__(self, path: Path, limits: Limits):
        self.package = EditablePackage(path, limits, KIND_ZH)
        self.main = (self.package.related("", "officeDocument") or ["word/document.xml"])[0]

    def close(self) -> None:
        self.package.close()

    def items(self) -> Iterator[ReaderItem]:
        return docx_reader.package_items(self.package, self.package.limits)

    def cleaned(self, place) -> bool:
        """Comments, tracked changes (deleted text, revision authors), hidden text and personal
        properties leave the document in clean()."""
        if self.package.cleaned_elsewhere(place):
            return True
        return place.zone in CLEANED_ZONES or place.field in CLEANED_FIELDS or is_cleared_property(place)

    def _stories(self) -> list[etree._Element]:
        parts = [self.main]
        for rel_type in STORY_TYPES[1:]:
            parts += self.package.related(self.main, rel_type)
        return [self.package.parse(part) for part in parts]

    # -- cleaning -----------------------------------------------------------------------------
    def clean(self) -> list[Cleaning]:
        steps = []
        people = bool(self.package.related(self.main, "people"))
        comments = self._remove_comments()
        if comments:
            steps.append(Cleaning("comments", f"删除批注 {comments} 条（含批注内容、作者和在正文中的标记）", comments))
        elif people:
            steps.append(Cleaning("people", "删除批注与修订人员列表（含登录账号）"))
        accepted, rejected = self._resolve_revisions()
        if accepted or rejected:
            steps.append(Cleaning("tracked_changes",
                                  f"处理修订：接受插入 {accepted} 处，删除的文字 {rejected} 处已彻底移除",
                                  accepted + rejected))
        hidden = self._remove_hidden_text()
        if hidden:
            steps.append(Cleaning("hidden_text", f"删除隐藏文字 {hidden} 处", hidden))
        fallbacks = self._remove_fallbacks()
        if fallbacks:
            steps.append(Cleaning("fallback_copies", f"删除文本框等的兼容副本 {fallbacks} 处（其中的文字另存了一份）",
                                  fallbacks))
        glossary = self.package.related(self.main, "glossaryDocument")
        for part in glossary:
            self.package.remove_part(part)
        if glossary:
            steps.append(Cleaning("glossary", "删除自动图文集（随文档保存的文档部件，页面上不显示）"))
        return steps + self.package.clean_shared()

    def _remove_comments(self) -> int:
        count = 0
        for part in self.package.related(self.main, "comments"):
            count += sum(1 for _ in self.package.parse(part).iter(w_tag("comment")))
        for root in self._stories():
            for mark in [e for e in root.iter() if e.tag in COMMENT_MARKS]:
                parent = mark.getparent()
                parent.remove(mark)
                if parent.tag == w_tag("r") and not [c for c in parent if c.tag != w_tag("rPr")]:
                    parent.getparent().remove(parent)
                self.package.touch(root)
        for rel_type in COMMENT_PART_TYPES:
            for part in self.package.related(self.main, rel_type):
                self.package.remove_part(part)
        return count

    def _remove_fallbacks(self) -> int:
        """mc:AlternateContent keeps a second copy (mc:Fallback, VML) of what mc:Choice holds; the
        reader and the edits use the Choice, so the copy would keep the raw text."""
        count = 0
        for root in self._stories():
            for fallback in list(root.iter(MC_FALLBACK)):
                if fallback.getparent() is not None and fallback.getparent().find(MC_CHOICE) is not None:
                    remove_keep_tail(fallback)
                    count += 1
                    self.package.touch(root)
        return count

    def _resolve_revisions(self) -> tuple[int, int]:
        accepted = rejected = 0
        for root in self._stories():
            for elem in [e for e in root.iter() if e.tag in DELETED or e.tag in INSERTED or e.tag in REVISION_MARKS]:
                parent = elem.getparent()
                if parent is None:
                    continue
                if elem.tag in INSERTED and parent.tag != w_tag("rPr") and parent.tag != w_tag("trPr"):
                    accepted += 1
                    _unwrap(elem)
                else:
                    if elem.tag in DELETED and parent.tag not in (w_tag("rPr"), w_tag("trPr")):
                        rejected += 1
                    remove_keep_tail(elem)
                self.package.touch(root)
            for text in [e for e in root.iter(w_tag("delText"))]:     # a stray w:delText outside w:del
                rejected += 1
                remove_keep_tail(text)
                self.package.touch(root)
        return accepted, rejected

    def _remove_hidden_text(self) -> int:
        reader = docx_reader.DocxWalker(self.package)
        count = 0
        for root in self._stories():
            for paragraph in list(root.iter(w_tag("p"))):
                pieces, _ = reader.paragraph_pieces(paragraph)
                for piece in pieces:
                    if piece.hidden and piece.element is not None and piece.element.getparent() is not None:
                        if piece.text.strip():
                            count += 1
                        remove_keep_tail(piece.element)
                        self.package.touch(root)
        return count

    # -- edits ----------------------------------------------------------------------------------
    def apply(self, edits: list[Edit]) -> tuple[list[Edit], list[Cleaning]]:
        """Apply the edits it can place; returns those without an anchor in the document text."""
        edits, unplaced, steps = self.package.place_shared_edits(edits)
        for group in by_anchor(edits):
            anchor = group[0].finding.anchor
            if not isinstance(anchor, TextAnchor) or not anchor.pieces:
                unplaced.extend(group)
                continue
            for edit in group:
                _replace_span(anchor, edit.finding.start, edit.finding.end, edit.replacement)
            self.package.touch(anchor.pieces[0][0])
        return unplaced, steps

    def save(self, out: Path) -> None:
        self.package.save(out)


def _replace_span(anchor: TextAnchor, start: int, end: int, replacement: str) -> None:
    """Replace [start, end) of the segment text; the replacement goes in the first run it touches,
    so it keeps that run's formatting; the other runs lose their part of the value."""
    placed = False
    for element, position in anchor.pieces:
        text = element.text or ""
        if position >= end or position + len(text) <= start:
            continue
        local_start, local_end = max(start - position, 0), min(end - position, len(text))
        inserted = "" if placed else replacement
        placed = True
        element.text = text[:local_start] + inserted + text[local_end:]
        if element.tag == w_tag("t"):
            element.set(XML_SPACE, "preserve")


def _unwrap(elem: etree._Element) -> None:
    parent = elem.getparent()
    index = parent.index(elem)
    for offset, child in enumerate(list(elem)):
        parent.insert(index + offset, child)
    remove_keep_tail(elem)



__all__ = ["NS", "DocxDocument", "W"]


def open_editable(path: Path, limits: Limits, fmt: str) -> DocxDocument:
    return DocxDocument(path, limits)
