"""Image files (.jpg/.jpeg/.png/.bmp/.tif/.tiff/.webp; the first frame of a .gif): OCR.

The picture's text lines become segments placed into rows and columns (see prepub_review.ocr);
without the `[ocr]` extra the picture is a `needs_ocr` notice. EXIF text and a GPS position are
read as properties. With `anchors=True` each line carries a PictureTextAnchor whose `picture` is
None (the file itself is the picture).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from prepub_review.ocr.picture import open_picture, read_picture
from prepub_review.formats.base import Limits, ReaderItem

WHERE = "图片"


def read(path: Path, limits: Limits, *, anchors: bool = True) -> Iterator[ReaderItem]:
    picture = open_picture(path.read_bytes())
    yield from read_picture(picture, WHERE, None, anchors=anchors, locator_path=(path.name,))
