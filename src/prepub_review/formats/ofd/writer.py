"""Writes a redacted .ofd: each value is overwritten character by character in the text codes that
draw it (the count of characters stays, so each code's glyph advances, DeltaX, stay valid; a shorter
replacement is padded with spaces, a dropped value becomes spaces). Before that, clean() removes the
annotations and the attached files (with their names; their content is not read) and clears the
author. An OFD that changed loses its electronic seals: a signature covers the exact bytes, so the
seal would show as broken; the seals are removed and the report says so, to be applied again after
review. Pictures are not repainted here: an edit on an OCR'd picture of an
OFD stays unplaced, and the redactor refuses the output."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator
from pathlib import Path

from prepub_review.formats.base import ATTACHMENT, Limits, ReaderItem, is_attached_file_notice
from prepub_review.formats.edits import Cleaning, Edit, by_anchor
from prepub_review.formats.ofd import reader as ofd_reader
from prepub_review.formats.ofd.reader import KIND_ZH, OfdTextAnchor, o_tag, resolve
from prepub_review.formats.ooxml.editable import EditablePackage
from prepub_review.models import Zone

PERSONAL_INFO = (("Author", "作者"),)


class OfdDocument:
    def __init__(self, path: Path, limits: Limits):
        self.package = EditablePackage(path, limits, KIND_ZH)
        self.changed = False

    def close(self) -> None:
        self.package.close()

    def items(self) -> Iterator[ReaderItem]:
        return ofd_reader.package_items(self.package)

    def cleaned(self, place) -> bool:
        """Annotations, attached files (their names) and the author leave the file in clean()."""
        return place.zone == Zone.COMMENT or (place.zone == Zone.PROPERTY and place.field == "作者") \
            or (place.locator is not None and place.locator.part == ATTACHMENT) or is_attached_file_notice(place)

    def clean(self) -> list[Cleaning]:
        steps = []
        removed = self._remove_annotations()
        if removed:
            steps.append(Cleaning("annotations", f"删除注释 {removed} 条", removed))
        files = self._remove_attachments()
        if files:
            steps.append(Cleaning("embedded_files", f"删除 OFD 附件 {files} 个（附件内容未经审查）", files))
        root = self.package.parse("OFD.xml")
        cleared = []
        for key, label in PERSONAL_INFO:
            for element in root.iter(o_tag(key)):
                if (element.text or "").strip():
                    element.text = ""
                    self.package.touch(element)
                    cleared.append(label)
        if cleared:
            steps.append(Cleaning("properties", f"清除文档属性：{'、'.join(cleared)}", len(cleared)))
        self.changed = bool(steps)
        return steps

    def _remove_annotations(self) -> int:
        return self._remove_listed("Annotations", self._annotation_parts)

    def _remove_attachments(self) -> int:
        return self._remove_listed("Attachments", self._attachment_parts)

    def _remove_listed(self, list_tag: str, entries: Callable[[str], Iterator[tuple[str, int]]]) -> int:
        """Remove each document's `list_tag` reference, the list part it names and the parts that list
        names (`entries(list part)`: each part and how many items it holds); how many items."""
        count = 0
        for document in self._documents():
            root = self.package.parse(document)
            for reference in list(root.iter(o_tag(list_tag))):
                listed = resolve(posixpath.dirname(document), reference.text or "")
                if self.package.has(listed):
                    for part, items in entries(listed):
                        count += items
                        if self.package.has(part):
                            self.package.removed.add(part)
                    self.package.removed.add(listed)
                reference.getparent().remove(reference)
                self.package.dirty.add(document)
        return count

    def _annotation_parts(self, listed: str) -> Iterator[tuple[str, int]]:
        for page in self.package.parse(listed).iter(o_tag("Page")):
            part = resolve(posixpath.dirname(listed), page.findtext(o_tag("FileLoc")) or "")
            yield part, sum(1 for _ in self.package.parse(part).iter(o_tag("Annot"))) if self.package.has(part) else 0

    def _attachment_parts(self, listed: str) -> Iterator[tuple[str, int]]:
        for attachment in self.package.parse(listed).iter(o_tag("Attachment")):
            yield resolve(posixpath.dirname(listed), attachment.findtext(o_tag("FileLoc")) or ""), 1

    def _documents(self) -> list[str]:
        root = self.package.parse("OFD.xml")
        return [(body.findtext(o_tag("DocRoot")) or "").strip().lstrip("/") for body in root.iter(o_tag("DocBody"))]

    def apply(self, edits: list[Edit]) -> tuple[list[Edit], list[Cleaning]]:
        rest, unplaced, steps = self.package.place_shared_edits(edits)
        for group in by_anchor(rest):
            anchor = group[0].finding.anchor
            if not isinstance(anchor, OfdTextAnchor) or not self._overwrite(anchor, group):
                unplaced.extend(group)
        self.changed |= len(unplaced) < len(edits)
        if self.changed:
            steps += self._remove_seals()
        return unplaced, steps

    def _overwrite(self, anchor: OfdTextAnchor, group: list[Edit]) -> bool:
        codes = list(self.package.parse(anchor.part).iter(o_tag("TextCode")))
        if any(place >= len(codes) for place in anchor.codes):
            return False
        elements = [codes[place] for place in anchor.codes]
        chars = [list(element.text or "") for element in elements]
        where = [(index, position) for index, text in enumerate(chars) for position in range(len(text))]
        for edit in group:            # right to left; a replacement takes exactly the value's characters
            span = where[edit.finding.start:edit.finding.end]
            replacement = edit.replacement[:len(span)].ljust(len(span))
            for (index, position), char in zip(span, replacement):
                chars[index][position] = char
        for element, text in zip(elements, chars):
            element.text = "".join(text)
        self.package.touch(elements[0])
        return True

    def _remove_seals(self) -> list[Cleaning]:
        root = self.package.parse("OFD.xml")
        seals = 0
        for body in root.iter(o_tag("DocBody")):
            for reference in list(body.iter(o_tag("Signatures"))):
                folder = posixpath.dirname((reference.text or "").strip().lstrip("/"))
                for name in self.package.names:
                    if folder and name.startswith(folder + "/"):
                        self.package.removed.add(name)
                        seals += name.endswith("Signature.xml")
                reference.getparent().remove(reference)
                self.package.touch(body)
        return [Cleaning("seals", f"删除电子签章 {seals} 个（内容修改后原签章失效；经审查后请按规定重新签章）", seals)] \
            if seals else []

    def save(self, out: Path) -> None:
        self.package.save(out)


def open_editable(path: Path, limits: Limits, fmt: str) -> OfdDocument:
    return OfdDocument(path, limits)
