"""What every format reader shares: size limits and the reader signature.

A reader is a function `read(path, limits) -> Iterator[Segment | Notice]`.
It yields text in document order with a Chinese location for each piece, and
raises ReadError (never anything else) when the file cannot be read completely.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from prepub_review.entities import UNVERIFIED_CONTENT
from prepub_review.models import Locator, Notice, Segment, Zone

MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds that keep a hostile or huge file from exhausting time or memory."""

    max_file_bytes: int = 256 * MiB          # larger files are refused with a clear error
    max_unpacked_bytes: int = 512 * MiB      # total uncompressed size of a zip container
    max_compression_ratio: int = 200         # per zip member larger than 1 MiB unpacked
    max_sheet_cells: int = 5_000_000         # cells read per workbook
    libreoffice_timeout_s: int = 120         # legacy .doc/.xls conversion
    embedded_depth: int = 0                  # 1 inside a file found in another (embedded, in an archive)

    @property
    def nested_too_deep(self) -> bool:
        """A file found inside another is opened; one found inside that is not (NESTING_LIMIT)."""
        return self.embedded_depth >= NESTING_LIMIT


NESTING_LIMIT = 1
ReaderItem = Segment | Notice
Reader = Callable[[Path, Limits], Iterator[ReaderItem]]
FILE_NAME = "文件名"
FILE_NAME_PART = "file_name"   # the Locator part of a file's own name
ATTACHMENT = "attachment"      # the Locator part of a document's embedded file (its name): PDF, OFD
ATTACHED_FILE_NOTICE = "embedded_object"    # the notice a PDF or OFD reader gives for each attached file


def attached_file_items(name: str, number: int, kind: str) -> Iterator[ReaderItem]:
    """A file attached to a PDF or an OFD (`kind`): its name, published with the document (its
    writer's clean() removes the file), and a notice that its content was not read."""
    where = f"附件{number}「{name}」"
    named = member_name_segment(name, where, ATTACHMENT, str(number))
    if named is not None:
        yield named
    yield Notice(ATTACHED_FILE_NOTICE, where, f"{kind} 内嵌附件，附件内容未审查，需人工审查")


def is_attached_file_notice(place) -> bool:
    """The finding of the notice that a PDF's or an OFD's attached file was not read: its writer's
    clean() removes every attached file, so the notice leaves with it."""
    return place.entity == UNVERIFIED_CONTENT and place.variant == ATTACHED_FILE_NOTICE


@dataclass(frozen=True, slots=True)
class FileNameAnchor:
    """A file's own name (without its extension): published with the file, as the attachment's
    address and the name a download is saved under. No writer edits it: `prepub redact` names its
    output without the value (act/redact/redactor.py)."""


def file_name_segment(stem: str) -> Segment | None:
    """The segment of a file's name (a property: a marking there blocks as in the document's
    properties), or None for a blank name."""
    if not stem.strip():
        return None
    return Segment(stem, FILE_NAME, Zone.PROPERTY, field=FILE_NAME, anchor=FileNameAnchor(),
                   locator=Locator(FILE_NAME_PART))


def member_name_segment(name: str, where: str, locator_part: str, key: str) -> Segment | None:
    """The name of a file found inside another (an archive's member with its folders, a PDF's
    attachment), placed as nested_item places its items. No anchor: what a writer does is remove or
    refuse the whole file, not edit its name."""
    path = PurePosixPath(name)
    named = file_name_segment(str(path.with_suffix("")) if path.name else name)   # "." has no name to cut
    return None if named is None else nested_item(replace(named, anchor=None), where, locator_part, key)


def nested_item(item: ReaderItem, where: str, locator_part: str, key: str,
                anchor_of: Callable[[object], object] | None = None) -> ReaderItem:
    """An item of a file found inside another (ooxml/embedded.py, archive/): `where` (嵌入对象「…」,
    压缩包内「…」) before its location and record, its Locator under `locator_part` and `key`, and its
    anchor passed through `anchor_of` when given (an anchor of None stays None)."""
    if isinstance(item, Notice):
        return replace(item, location=f"{where} {item.location}")
    locator = item.locator or Locator(item.zone.value)
    anchor = item.anchor if anchor_of is None or item.anchor is None else anchor_of(item.anchor)
    return replace(item, location=f"{where} {item.location}", record=f"{where} {item.record}" if item.record else None,
                   locator=Locator(locator_part, (key, locator.part, *locator.path), locator.line, locator.column),
                   anchor=anchor)

