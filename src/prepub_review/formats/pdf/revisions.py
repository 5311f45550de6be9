"""Earlier revisions of an incrementally saved PDF.

An editor that saves a PDF incrementally (Acrobat, Foxit, WPS: a quick save, a signature, a form
filled in) does not rewrite the file: it appends the objects it changed, a new cross-reference
section and another `%%EOF`. The earlier objects stay in the file, so a list whose names were
masked in such an editor still holds the page as it was, and cutting the file after an earlier
`%%EOF` opens that revision again: full names, the author, a comment since deleted.

Each earlier revision is the file up to one of its earlier `%%EOF` markers that closes a
cross-reference section (`startxref` just before it). The first section of a linearized file
(`/Linearized` in its first object) is not a revision: it holds the first page's cross-reference
only, and is skipped.
"""

from __future__ import annotations

import mmap
import re
from pathlib import Path

EOF_MARKER = re.compile(rb"%%EOF")
STARTXREF_WINDOW = 1024       # bytes before a %%EOF in which its startxref stands
LINEARIZED_WINDOW = 1024      # bytes at the start of a file in which a linearization dictionary stands
MAX_REVISIONS = 32            # earlier revisions read at most (each is opened and read whole)


def earlier(path: Path) -> tuple[list[int], int]:
    """Where each earlier revision ends (the byte after its %%EOF), oldest first, at most
    MAX_REVISIONS of them; and how many earlier revisions the file has in all."""
    with open(path, "rb") as handle:
        try:
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:            # an empty file
            return [], 0
        with data:
            ends = [match.end() for match in EOF_MARKER.finditer(data)]
            linearized = b"/Linearized" in data[:LINEARIZED_WINDOW]
            closing = [end for end in ends[:-1]
                       if data.rfind(b"startxref", max(0, end - STARTXREF_WINDOW), end) >= 0]
            if linearized and closing and closing[0] == ends[0]:
                closing = closing[1:]  # the first page's section of a linearized file
            return closing[:MAX_REVISIONS], len(closing)


def revision(path: Path, end: int) -> bytes:
    """The earlier revision that ends at `end`: the file's first `end` bytes (read when needed, one
    revision at a time)."""
    with open(path, "rb") as handle:
        return handle.read(end)
