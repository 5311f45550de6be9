"""Office files embedded in a Word or Excel file, read as documents of their own.

An Excel table inserted into a report as an object, the workbook behind a chart (Word keeps a chart's
data as a workbook in word/embeddings/), a Word file inside a workbook: each is published with the
file and opens with a double click. Such a workbook often is the whole register the visible table or
chart was made from. Each embedded .docx/.xlsx (known by its content, see sniff.py) is opened like a
file of its own (formats/document.py) and its items come out with 嵌入对象「name」 before their
location, a Locator under "embedded" and an `EmbeddedAnchor` around their own anchor.

A package opened for editing opens its embedded files for editing too, once, and keeps them open: the
redactor's edits and cleanings reach them through `EmbeddedFiles`, and `write_back()` puts each
changed file into the package before it is saved. (What the host shows of an inserted object is a
preview picture in media/, read and rewritten like any picture.)

Not read, each a notice (review): files embedded in an embedded file (base.NESTING_LIMIT), OLE objects
(.bin), presentations, PDFs, and an embedded file that does not open, with the reason.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from prepub_review.errors import ReadError
from prepub_review.formats.base import Limits, ReaderItem, nested_item
from prepub_review.formats.edits import Cleaning, Edit
from prepub_review.models import Notice

if TYPE_CHECKING:
    from prepub_review.formats.document import Document
    from prepub_review.formats.ooxml.package import OoxmlPackage

OPENED_SUFFIXES = frozenset({".docx", ".docm", ".xlsx", ".xlsm", ".pptx", ".pptm"})
READ_FORMATS = frozenset({"docx", "xlsx", "pptx"})
EMBEDDED_KINDS = {
    ".xlsx": "Excel 工作表", ".xlsm": "Excel 工作表", ".xls": "Excel 工作表",
    ".docx": "Word 文档", ".docm": "Word 文档", ".doc": "Word 文档",
    ".pptx": "PowerPoint 演示文稿", ".ppt": "PowerPoint 演示文稿",
    ".pdf": "PDF 文件", ".bin": "OLE 嵌入对象", ".odt": "文档", ".ods": "工作表",
}


@dataclasses.dataclass(frozen=True, slots=True)
class EmbeddedAnchor:
    """Where a segment of an embedded file lives: the member holding the file, and the segment's
    anchor inside that file."""

    member: str
    inner: object


def where(member: str) -> str:
    return f"嵌入对象「{PurePosixPath(member).name}」"


def embedded_members(package: OoxmlPackage) -> list[str]:
    """The package's embedded files (members of an `embeddings` folder)."""
    found = []
    for name in package.names:
        if "embeddings" not in name:        # most members: no path to parse
            continue
        path = PurePosixPath(name)
        if "embeddings" in path.parts[:-1] and not name.endswith("/"):
            found.append(name)
    return found


class EmbeddedFiles:
    """The embedded files of one package: read once each; while editing, kept open for the edits."""

    def __init__(self, package: OoxmlPackage, limits: Limits, *, editable: bool):
        self.package, self.limits, self.editable = package, limits, editable
        self.documents: dict[str, Document] = {}        # member -> open document (editing only)
        self.changed: set[str] = set()
        self._folder: Path | None = None

    # -- reading --------------------------------------------------------------------------------
    def items(self) -> Iterator[ReaderItem]:
        for member in embedded_members(self.package):
            suffix = PurePosixPath(member).suffix.lower()
            kind = EMBEDDED_KINDS.get(suffix, "其他文件")
            if suffix not in OPENED_SUFFIXES or self.limits.nested_too_deep:
                yield _not_read(member, kind)
                continue
            document, failed = None, False
            try:
                document = self._open(member)
                for item in document.items():
                    yield nested_item(item, where(member), "embedded", member,
                                      lambda inner, member=member: EmbeddedAnchor(member, inner))
            except ReadError as exc:
                failed = True                   # what was read stays reported; the rest is a notice
                yield _not_read(member, kind, exc.message)
            finally:
                if document is not None and (failed or not self.editable):
                    self.documents.pop(member, None)
                    document.close()
                    document.path.unlink(missing_ok=True)

    def _open(self, member: str) -> Document:
        from prepub_review.formats.document import open_nested

        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="prepub-embedded-"))
        path = self._folder / f"{len(list(self._folder.iterdir()))}-{PurePosixPath(member).name}"
        document = open_nested(self.package.read(member), path, self.limits, editable=self.editable)
        if document.format not in READ_FORMATS:
            document.close()
            raise ReadError(f"其实际格式不是 Word/Excel/PowerPoint 文件（{document.format}）", code="unsupported_format")
        if self.editable:
            self.documents[member] = document
        return document

    # -- editing (the host document's writer passes these on) -------------------------------------
    def cleaned(self, place) -> bool:
        anchor = place.anchor
        document = self.documents.get(anchor.member)
        if document is None:
            return False
        prefix = f"{where(anchor.member)} "
        return document.cleaned(dataclasses.replace(place, location=place.location.removeprefix(prefix),
                                                    anchor=anchor.inner))

    def clean(self) -> list[Cleaning]:
        steps = []
        for member, document in self.documents.items():
            for step in document.clean():
                steps.append(Cleaning(step.code, f"{where(member)}：{step.description}", step.count))
                self.changed.add(member)
        return steps

    def apply(self, edits: list[Edit]) -> tuple[list[Edit], list[Cleaning]]:
        """Edits anchored in embedded files, applied to them; returns (unplaced, cleanings)."""
        by_member: dict[str, list[tuple[Edit, Edit]]] = {}
        for edit in edits:
            anchor = edit.finding.anchor
            inner = dataclasses.replace(edit, finding=dataclasses.replace(edit.finding, anchor=anchor.inner))
            by_member.setdefault(anchor.member, []).append((edit, inner))
        unplaced, steps = [], []
        for member, pairs in by_member.items():
            document = self.documents.get(member)
            if document is None:
                unplaced += [outer for outer, _inner in pairs]
                continue
            missed, extra = document.apply([inner for _outer, inner in pairs])
            missed_ids = {id(edit) for edit in missed}
            unplaced += [outer for outer, inner in pairs if id(inner) in missed_ids]
            steps += [Cleaning(step.code, f"{where(member)}：{step.description}", step.count) for step in extra]
            self.changed.add(member)
        return unplaced, steps

    def write_back(self) -> None:
        """Each changed embedded file, saved, becomes the package's member again."""
        for member in sorted(self.changed):
            out = self._folder / f"out-{PurePosixPath(member).name}"
            self.documents[member].save(out)
            self.package.replaced[member] = out.read_bytes()

    def close(self) -> None:
        for document in self.documents.values():
            document.close()
        self.documents.clear()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None


def is_embedded_edit(edit: Edit) -> bool:
    return isinstance(edit.finding.anchor, EmbeddedAnchor)


def _not_read(member: str, kind: str, reason: str | None = None) -> Notice:
    why = f"，但无法打开（{reason}）" if reason else ""
    return Notice(code="embedded_object", location=where(member),
                  detail=f"文档中嵌入了另一个文件（{kind}）{why}，本工具未检查其内容。请打开该对象逐项核对，或删除后再发布。")


