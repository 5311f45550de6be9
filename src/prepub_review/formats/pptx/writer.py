"""Writes a redacted .pptx/.ppsx: every edit is one the Office formats share (a paragraph across its
runs, an element's text or attribute, a picture, an embedded file: EditablePackage.place_shared_edits);
comments (with their authors), personal properties and custom XML are cleaned first."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from prepub_review.formats.base import Limits, ReaderItem
from prepub_review.formats.edits import Cleaning, Edit
from prepub_review.formats.ooxml.editable import EditablePackage, is_cleared_property
from prepub_review.formats.pptx import reader as pptx_reader
from prepub_review.formats.pptx.reader import KIND_ZH
from prepub_review.models import Zone

COMMENT_PARTS = ("comments", "comment")          # classic and modern comments of a slide
AUTHOR_PARTS = ("ppt/commentAuthors.xml", "ppt/authors.xml")


class PptxDocument:
    def __init__(self, path: Path, limits: Limits):
        self.package = EditablePackage(path, limits, KIND_ZH)

    def close(self) -> None:
        self.package.close()

    def items(self) -> Iterator[ReaderItem]:
        return pptx_reader.package_items(self.package, self.package.limits)

    def cleaned(self, place) -> bool:
        """Comments and their authors, personal properties and custom XML leave the file in clean()."""
        return self.package.cleaned_elsewhere(place) or place.zone == Zone.COMMENT or place.field == "批注作者" \
            or is_cleared_property(place)

    def clean(self) -> list[Cleaning]:
        removed = 0
        for slide in [name for name in self.package.names if name.startswith("ppt/slides/slide")
                      and name.endswith(".xml")]:
            for rel_type in COMMENT_PARTS:
                for part in self.package.related(slide, rel_type):
                    self.package.remove_part(part)
                    removed += 1
        for part in AUTHOR_PARTS:
            if self.package.has(part):
                self.package.remove_part(part)
        steps = [Cleaning("comments", f"删除幻灯片批注 {removed} 份（含作者）", removed)] if removed else []
        return steps + self.package.clean_shared()

    def apply(self, edits: list[Edit]) -> tuple[list[Edit], list[Cleaning]]:
        rest, unplaced, steps = self.package.place_shared_edits(edits)
        return unplaced + rest, steps       # every place a presentation's text lives is a shared one

    def save(self, out: Path) -> None:
        self.package.save(out)


def open_editable(path: Path, limits: Limits, fmt: str) -> PptxDocument:
    return PptxDocument(path, limits)
