"""What every format reader shares: size limits and the reader signature.

A reader is a function `read(path, limits) -> Iterator[Segment | Notice]`.
It yields text in document order with a Chinese location for each piece, and
raises ReadError (never anything else) when the file cannot be read completely.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from prepub_review.models import Notice, Segment

MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds that keep a hostile or huge file from exhausting time or memory."""

    max_file_bytes: int = 256 * MiB          # larger files are refused with a clear error
    max_unpacked_bytes: int = 512 * MiB      # total uncompressed size of a zip container
    max_compression_ratio: int = 200         # per zip member larger than 1 MiB unpacked
    max_sheet_cells: int = 5_000_000         # cells read per workbook
    libreoffice_timeout_s: int = 120         # legacy .doc/.xls conversion
    embedded_depth: int = 0                  # 1 inside a file embedded in another (ooxml/embedded.py)


ReaderItem = Segment | Notice
Reader = Callable[[Path, Limits], Iterator[ReaderItem]]

