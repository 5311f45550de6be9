"""Image files (.jpg/.jpeg/.png/.bmp/.tif/.tiff/.webp; the first frame of a .gif): OCR. Vector
pictures (.emf/.wmf/.svg): their drawn strings (formats/image/vector.py), no OCR.

The picture's text lines become segments placed into rows and columns (see prepub_review.ocr);
without the `[ocr]` extra the picture is a `needs_ocr` notice. EXIF text and a GPS position are
read as properties. With `anchors=True` each line carries a PictureTextAnchor whose `picture` is
None (the file itself is the picture).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from prepub_review.formats.image import vector
from prepub_review.ocr.picture import open_picture, read_picture, vector_items
from prepub_review.formats.base import Limits, ReaderItem

WHERE = "图片"


def read(path: Path, limits: Limits, *, anchors: bool = True) -> Iterator[ReaderItem]:
    data = path.read_bytes()
    if vector.kind_of(data):       # a file that does not parse is an error (inside a document: a notice)
        yield from vector_items(data, "矢量图", None, anchors=anchors, locator_path=(path.name,), strict=True)
        return
    picture = open_picture(data)
    yield from read_picture(picture, WHERE, None, anchors=anchors, locator_path=(path.name,))
