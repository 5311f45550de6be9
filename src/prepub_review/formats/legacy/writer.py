"""Redacts a legacy .doc/.wps/.xls/.et or an .odt/.ods: LibreOffice converts it (as `check` does, reader.py),
the modern copy is redacted by the .docx/.xlsx writer, and the output is that modern file.

The conversion itself is reported as a step, so the output is never a byte copy of the legacy
input under a modern name.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from prepub_review.formats.edits import Cleaning, Edit
from prepub_review.formats.base import Limits, ReaderItem
from prepub_review.formats.legacy.reader import CONVERSIONS, convert_legacy, converted_prefix


class LegacyDocument:
    def __init__(self, path: Path, limits: Limits, source_format: str, open_modern: Callable):
        self.suffix = path.suffix.lower() or "旧版文档"
        self.prefix = converted_prefix(path)
        self.target = CONVERSIONS[source_format][0]
        self.converted = convert_legacy(path, self.target, limits, source_format=source_format)
        try:
            self.modern = open_modern(self.target, self.converted, limits)
        except BaseException:
            shutil.rmtree(self.converted.parent, ignore_errors=True)
            raise

    def close(self) -> None:
        try:
            self.modern.close()
        finally:
            shutil.rmtree(self.converted.parent, ignore_errors=True)

    def items(self) -> Iterator[ReaderItem]:
        """The converted copy's items; every location says it refers to the converted copy."""
        for item in self.modern.items():
            yield dataclasses.replace(item, location=self.prefix + item.location)

    def cleaned(self, place) -> bool:
        return self.modern.cleaned(place)

    def cannot_edit(self):
        return getattr(self.modern, "cannot_edit", lambda: None)()

    def clean(self) -> list[Cleaning]:
        converted = Cleaning("converted", f"已用 LibreOffice 将 {self.suffix} 转换为 .{self.target}，输出为 .{self.target} 格式")
        return [converted, *self.modern.clean()]

    def apply(self, edits: list[Edit]) -> tuple[list[Edit], list[Cleaning]]:
        return self.modern.apply(edits)

    def save(self, out: Path) -> None:
        self.modern.save(out)


def open_editable(path: Path, limits: Limits, fmt: str) -> LegacyDocument:
    from prepub_review.formats import registry

    return LegacyDocument(path, limits, fmt, registry.open_editable)
