"""Writes a redacted .txt/.md/.json/.xml/.csv in the encoding (and BOM) it was read in; bytes that did
not decode are written back unchanged. Edits find their value on the line the reader's anchor names.
A .json that parsed before must parse after: a masked number written without quotes would not."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from prepub_review.formats.edits import Cleaning, Edit
from prepub_review.errors import ReadError, VerificationFailed
from prepub_review.formats.text import reader as text_reader
from prepub_review.formats.base import Limits, ReaderItem
from prepub_review.formats.text.reader import LineAnchor, detect_encoding

LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
SEARCH_AHEAD_LINES = 50          # a quoted CSV cell may run over several lines


class TextDocument:
    def __init__(self, path: Path, limits: Limits):
        self.path, self.limits = path, limits
        self.encoding = detect_encoding(path)
        if self.encoding is None:
            raise ReadError("无法识别文本文件的字符编码，无法去标识化", code="unknown_encoding")
        self.errors = "surrogateescape" if self.encoding.codec.replace("_", "-").lower() in ("utf-8", "utf8") \
            else "replace"
        data = path.read_bytes()[len(self.encoding.bom):]
        self.lines = LINE.findall(data.decode(self.encoding.codec, errors=self.errors))
        self.json_parses = path.suffix.lower() == ".json" and _parses("".join(self.lines))

    def close(self) -> None:
        pass

    def items(self) -> Iterator[ReaderItem]:
        return text_reader.read(self.path, self.limits, encoding=self.encoding)

    def cleaned(self, place) -> bool:
        return False

    def clean(self) -> list[Cleaning]:
        return []

    def apply(self, edits: list[Edit]) -> tuple[list[Edit], list[Cleaning]]:
        unplaced = []
        for edit in sorted(edits, key=lambda e: (getattr(e.finding.anchor, "line", 0), e.finding.start)):
            anchor = edit.finding.anchor
            if not isinstance(anchor, LineAnchor) or not self._replace(anchor.line - 1, edit):
                unplaced.append(edit)
        return unplaced, []

    def _replace(self, index: int, edit: Edit) -> bool:
        for number in range(index, min(index + SEARCH_AHEAD_LINES, len(self.lines))):
            line = self.lines[number]
            if edit.finding.text in line:
                self.lines[number] = line.replace(edit.finding.text, edit.replacement, 1)
                return True
        return False

    def save(self, out: Path) -> None:
        text = "".join(self.lines)
        if self.json_parses and not _parses(text):
            raise VerificationFailed("去标识化后的 JSON 无法解析（打码的值多半是不带引号的数字）：未写出。请在原文件中"
                                     "把这些号码写成字符串（加引号）后重试，或手工删除", code="json_broken")
        errors = "surrogateescape" if self.errors == "surrogateescape" else "strict"
        out.write_bytes(self.encoding.bom + text.encode(self.encoding.codec, errors=errors))


def _parses(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def open_editable(path: Path, limits: Limits, fmt: str) -> TextDocument:
    return TextDocument(path, limits)
